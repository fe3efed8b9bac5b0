"""Import of the trademark announcement (商标公告) as CSV/XLSX: each row becomes an item to screen.

Why both Chinese and English headers: the official announcement data is usually re-keyed into a
spreadsheet with its Chinese column titles (申请号, 商标名称, 类别, 申请人, 初审公告日期, 公告期号),
while scripts write the English names. Rows are validated all together; any bad row → 400 naming its
row number and column, and nothing is imported (an announcement is screened whole or not at all).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import load_workbook

from zhibao.accounts.models import User
from zhibao.core.errors import InvalidInput
from zhibao.monitoring import services
from zhibao.monitoring.models import Screening

COLUMNS = {
    "application_no": ("application_no", "申请号", "注册号", "申请号/注册号"),
    "mark_name": ("mark_name", "商标名称", "商标"),
    "nice_classes": ("nice_classes", "类别", "国际分类", "尼斯分类"),
    "applicant": ("applicant", "申请人", "申请人名称"),
    "applicant_uscc": ("applicant_uscc", "申请人统一社会信用代码", "统一社会信用代码"),
    "announcement_date": ("announcement_date", "初审公告日期", "公告日期"),
    "announcement_issue": ("announcement_issue", "公告期号", "期号"),
}
REQUIRED = ("application_no", "mark_name", "nice_classes", "announcement_date")
TEMPLATE_HEADER = ["申请号", "商标名称", "类别", "申请人", "申请人统一社会信用代码", "初审公告日期", "公告期号"]


def _header_map(header: list[str]) -> dict[int, str]:
    alias = {a: key for key, names in COLUMNS.items() for a in names}
    mapping, unknown = {}, []
    for i, h in enumerate(header):
        h = h.strip().lstrip("\ufeff")
        if not h:
            continue
        if h in alias:
            mapping[i] = alias[h]
        else:
            unknown.append(h)
    missing = [k for k in REQUIRED if k not in mapping.values()]
    if missing:
        names = "、".join(COLUMNS[k][1] for k in missing)
        raise InvalidInput({"file": [f"缺少必需的列：{names}（模板列：{'，'.join(TEMPLATE_HEADER)}）"]})
    if unknown:
        raise InvalidInput({"file": [f"未知的列：{'、'.join(unknown)}"]})
    return mapping


def _cell(v: object) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _rows(content: bytes) -> Iterator[dict[str, str]]:
    if content[:4] == b"PK\x03\x04":
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a corrupt file
            raise InvalidInput({"file": [f"无法读取 XLSX 文件：{exc.__class__.__name__}"]}) from exc
        rows = wb.active.iter_rows(values_only=True)
        mapping = _header_map([_cell(h) for h in next(rows, [])])
        for values in rows:
            if values is None or all(v in (None, "") for v in values):
                continue
            yield {key: _cell(values[i]) if i < len(values) else "" for i, key in mapping.items()}
        return
    if b"\x00" in content[:4096]:
        raise InvalidInput({"file": ["文件不是文本格式的 CSV，也不是 XLSX"]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise InvalidInput({"file": ["文件既不是 XLSX，也不是 UTF-8/GB18030 编码的 CSV"]}) from exc
    reader = csv.reader(io.StringIO(text))
    mapping = _header_map(next(reader, []))
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        yield {key: values[i].strip() if i < len(values) else "" for i, key in mapping.items()}


def _classes(value: str) -> list[str]:
    return [c for c in value.replace("；", ",").replace(";", ",").replace("、", ",").replace("，", ",").split(",")
            if c.strip()]


def import_announcement(*, actor: User, filename: str, content: bytes) -> list[Screening]:
    """Parse the announcement and submit every row for screening; a bad row → 400 with its row number."""
    if not content:
        raise InvalidInput({"file": ["文件为空"]})
    items, errors = [], {}
    for line_no, row in enumerate(_rows(content), start=2):
        if not row.get("application_no", "").strip():
            errors[f"第 {line_no} 行 申请号"] = ["申请号不能为空"]
        items.append({
            "reference": row.get("application_no", ""), "name": row.get("mark_name", ""),
            "nice_classes": _classes(row.get("nice_classes", "")), "party": row.get("applicant", ""),
            "party_uscc": row.get("applicant_uscc", ""), "announced_on": row.get("announcement_date", ""),
            "announcement_issue": row.get("announcement_issue", ""),
        })
    if not items and not errors:
        raise InvalidInput({"file": ["文件中没有数据行"]})
    try:
        if errors:
            raise InvalidInput(errors)
        return services.submit_items(actor=actor, source=Screening.Source.APPLICATION, items=items)
    except InvalidInput as exc:
        # items[3].name → 第 5 行 name: row numbers the user can find in the spreadsheet
        renamed = {}
        for key, reasons in {**errors, **exc.errors}.items():
            if key.startswith("items["):
                n, _, col = key[6:].partition("].")
                key = f"第 {int(n) + 2} 行 {col}"
            renamed[key] = reasons
        raise InvalidInput(renamed) from exc
