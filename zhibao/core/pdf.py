"""PDF documents from Django templates with WeasyPrint and Debian's Noto CJK fonts.

Decisions, certificates and calculation sheets are rendered from the same
template data as their pages, so the PDF never says something the page does not.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # imported lazily: it loads Pango and fonts, which web workers need only here

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html).write_pdf()


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
