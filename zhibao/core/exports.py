"""CSV and XLSX responses built from rows, used by every "export" button and endpoint.

CSV is written with a UTF-8 BOM so that Excel on Chinese Windows opens it
correctly; cells starting with = + - @ are prefixed with ' against formula
injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if value is None:
        return ""
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]], title: str = "导出") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    for row in rows:
        ws.append([_safe(v if not hasattr(v, "tzinfo") or v.tzinfo is None else v.replace(tzinfo=None))
                   for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_response(fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    if fmt == "xlsx":
        body = xlsx_bytes(headers, rows, title=filename)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        fmt = "csv"
        body = csv_bytes(headers, rows)
        ctype = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
