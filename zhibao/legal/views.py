"""Pages over the law engine: code check, deadline and damages calculators (htmx, live)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from pydantic import ValidationError

from zhibao.core.errors import InvalidInput
from zhibao.core.pdf import pdf_response
from zhibao.law import damages as damages_lib
from zhibao.law import uscc as uscc_lib
from zhibao.legal import calculators, references
from zhibao.legal.forms import DamagesForm, DeadlineForm

CRUMB = ("法律计算", "/law/")


def _partial(request) -> bool:  # noqa: ANN001
    return bool(request.headers.get("HX-Request"))


@login_required
def index(request):  # noqa: ANN001, ANN201
    return render(request, "legal/index.html", {"breadcrumbs": [(CRUMB[0], None)]})


@login_required
def uscc_check(request):  # noqa: ANN001, ANN201
    code = request.GET.get("code", "").strip()
    result = uscc_lib.validate(code) if code else None
    template = "legal/_uscc_result.html" if _partial(request) else "legal/uscc.html"
    return render(request, template, {"code": code, "result": result,
                                      "breadcrumbs": [CRUMB, ("统一社会信用代码校验", None)]})


@login_required
def deadline(request):  # noqa: ANN001, ANN201
    rules = calculators.period_rules()
    form = DeadlineForm(request.GET or None, rules=rules)
    result, error = None, None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            provisional = d.get("provisional", False)
            if d["mode"] == "rule":
                result = calculators.deadline(start=d["start"], rule=d["rule"] or None, provisional=provisional)
            elif d["mode"] == "days":
                result = calculators.deadline(start=d["start"], days=d["amount"], provisional=provisional)
            else:
                result = calculators.deadline(start=d["start"], working_days=d["amount"], provisional=provisional)
        except InvalidInput as exc:
            error = "；".join(r for reasons in exc.errors.values() for r in reasons)
    template = "legal/_deadline_result.html" if _partial(request) else "legal/deadline.html"
    return render(request, template, {"form": form, "result": result, "error": error, "rules": rules,
                                      "breadcrumbs": [CRUMB, ("法定期限计算", None)]})


def _calculate(form: DamagesForm) -> tuple[dict | None, dict[str, str]]:
    """(result, field errors) for a bound damages form."""
    if not form.is_valid():
        return None, {k: "；".join(v) for k, v in form.errors.items()}
    try:
        payload = damages_lib.DamagesInput(**form.payload())
        return calculators.damages(payload), {}
    except ValidationError as exc:
        return None, {".".join(str(p) for p in e["loc"]) or "__all__": e["msg"] for e in exc.errors()}
    except InvalidInput as exc:
        return None, {k: "；".join(v) for k, v in exc.errors.items()}


@login_required
def damages(request):  # noqa: ANN001, ANN201
    form = DamagesForm(request.POST or None)
    result, errors = _calculate(form) if request.method == "POST" else (None, {})
    if request.method == "POST" and request.POST.get("format") == "pdf" and result is not None:
        return pdf_response("legal/damages_sheet.html", {"result": result, "inputs": form.payload(),
                                                         "user": request.user}, "damages-calculation.pdf")
    template = "legal/_damages_result.html" if _partial(request) else "legal/damages.html"
    right_type = (request.POST.get("right_type") or request.GET.get("right_type") or "").strip()
    groups = references.reference_groups(right_type=right_type)
    return render(request, template, {"form": form, "result": result, "errors": errors,
                                      "references": [references.as_dict(g) for g in groups],
                                      "references_chart": references.chart_svg(groups) if groups else "",
                                      "reference_min_count": settings.ZHIBAO_REFERENCE_MIN_COUNT,
                                      "breadcrumbs": [CRUMB, ("赔偿数额计算", None)]})
