"""CSV/XLSX import and export of the rights register.

Each row is written in its own savepoint: a good row goes in whole, a bad
row leaves nothing behind and lands in a downloadable report with the row
number, the column and the reason. The export uses the same columns, so an
exported file can be edited and imported again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from openpyxl import load_workbook

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.core.errors import Forbidden, InvalidInput, ServiceError
from zhibao.core.exports import csv_bytes
from zhibao.orgs.models import Organisation
from zhibao.rights import services
from zhibao.rights.models import ImportBatch, Right

COLUMNS = [
    "right_type", "number", "title", "owner_uscc", "status", "valid_from", "valid_until", "patent_kind",
    "grant_number", "ipc", "nice_classes", "goods", "self_declared", "gi_product", "gi_area", "notes",
]
REQUIRED = {"right_type", "title", "owner_uscc"}
_TRUE = {"1", "true", "yes", "是", "y"}


def _rows_from_upload(name: str, content: bytes) -> Iterator[dict[str, str]]:
    if content[:4] == b"PK\x03\x04":
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a corrupt file
            raise InvalidInput({"file": [f"无法读取 XLSX 文件：{exc.__class__.__name__}"]}) from exc
        rows = wb.active.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, [])]
        _check_header(header)
        for values in rows:
            if values is None or all(v in (None, "") for v in values):
                continue
            yield {h: ("" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)).strip())
                   for h, v in zip(header, values, strict=False)}
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise InvalidInput({"file": ["文件既不是 XLSX，也不是 UTF-8/GB18030 编码的 CSV"]}) from exc
    reader = csv.DictReader(io.StringIO(text))
    _check_header([h.strip() for h in reader.fieldnames or []])
    for row in reader:
        yield {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}


def _check_header(header: list[str]) -> None:
    missing = REQUIRED - set(header)
    if missing:
        raise InvalidInput({"file": [f"缺少必需的列：{', '.join(sorted(missing))}（列名见导入模板）"]})
    unknown = set(header) - set(COLUMNS) - {""}
    if unknown:
        raise InvalidInput({"file": [f"未知的列：{', '.join(sorted(unknown))}"]})


def import_rights(*, actor: User, filename: str, content: bytes) -> ImportBatch:
    """Import rights; returns the batch with counts and the report of rejected rows."""
    if not actor.has_perm("rights.add_right"):
        raise Forbidden("无权导入权利")
    report: list[list[str]] = []
    total = imported = 0
    for line_no, row in enumerate(_rows_from_upload(filename, content), start=2):
        total += 1
        if total > settings.ZHIBAO_IMPORT_MAX_ROWS:
            raise InvalidInput({"file": [f"单次导入最多 {settings.ZHIBAO_IMPORT_MAX_ROWS} 行"]})
        try:
            with transaction.atomic():
                _import_row(actor, row)
            imported += 1
        except InvalidInput as exc:
            for field, reasons in exc.errors.items():
                report.append([str(line_no), field, "；".join(reasons), row.get("number", ""), row.get("title", "")])
        except ServiceError as exc:
            report.append([str(line_no), "", exc.message, row.get("number", ""), row.get("title", "")])
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            created_by=actor, filename=filename[:200], total_rows=total, imported_rows=imported,
            error_rows=total - imported,
            error_report=csv_bytes(["row", "column", "reason", "number", "title"], report).decode("utf-8"),
        )
        audit.record(actor=actor, action="import", obj=batch, object_repr=f"导入 {filename}",
                     after={"total": total, "imported": imported, "rejected": total - imported})
    return batch


def _import_row(actor: User, row: dict[str, str]) -> Right:
    code = row.get("owner_uscc", "").upper()
    owner = Organisation.objects.filter(uscc=code).first() if code else None
    if owner is None:
        raise InvalidInput({"owner_uscc": [f"未登记的权利人统一社会信用代码：{code or '（空）'}"]})
    return services.register_right(
        actor=actor, owner=owner, right_type=row.get("right_type", ""), title=row.get("title", ""),
        number=row.get("number", ""), status=row.get("status") or Right.Status.VALID,
        valid_from=row.get("valid_from") or None, valid_until=row.get("valid_until") or None,
        patent_kind=row.get("patent_kind", ""), grant_number=row.get("grant_number", ""), ipc=row.get("ipc", ""),
        nice_classes=row.get("nice_classes", ""), goods=row.get("goods", ""),
        self_declared=row.get("self_declared", "").lower() in _TRUE, gi_product=row.get("gi_product", ""),
        gi_area=row.get("gi_area", ""), notes=row.get("notes", ""),
    )


def export_rows(rights) -> Iterator[list[object]]:  # noqa: ANN001 - a queryset from the selectors
    for r in rights.select_related("owner"):
        yield [r.right_type, r.number, r.title, r.owner.uscc or "", r.status, r.valid_from, r.valid_until,
               r.patent_kind, r.grant_number, r.ipc, ",".join(str(c) for c in r.nice_classes), r.goods,
               "1" if r.self_declared else "", r.gi_product, r.gi_area, r.notes]
