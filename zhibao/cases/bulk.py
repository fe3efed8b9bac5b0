"""Bulk filing for agents and platforms: a CSV (UTF-8 or GB18030), one complaint per row, a per-row report.

Each row is filed in its own savepoint through ``intake.file_complaint``, so one bad row never blocks the
others; the report names the row, the case number or the reasons (the same messages as the form and API).
"""

from __future__ import annotations

import csv
import io

from django.db import transaction

from zhibao.accounts.models import User
from zhibao.cases.intake import file_complaint
from zhibao.core.errors import InvalidInput, ServiceError
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right

COLUMNS = ["complainant_uscc", "right_numbers", "title", "respondent_uscc", "respondent_name", "respondent_shop_url",
           "respondent_address", "act", "place_type", "place", "facts", "damages_claimed", "preferred_channel",
           "deposit_nos"]
REQUIRED = {"complainant_uscc", "right_numbers", "title", "deposit_nos"}
MAX_ROWS = 5000


def _rows(content: bytes) -> list[dict[str, str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput({"file": ["文件应为 UTF-8 或 GB18030 编码的 CSV"]})
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing, unknown = REQUIRED - set(header), set(header) - set(COLUMNS) - {""}
    if missing or unknown:
        reasons = ([f"缺少必需的列：{', '.join(sorted(missing))}"] if missing else []) + (
            [f"未知的列：{', '.join(sorted(unknown))}"] if unknown else [])
        raise InvalidInput({"file": reasons})
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)} for row in reader]
    if len(rows) > MAX_ROWS:
        raise InvalidInput({"file": [f"一次最多 {MAX_ROWS} 行"]})
    return rows


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]


def bulk_file(*, actor: User, content: bytes) -> list[dict]:
    """File every row; returns ``[{"row": n, "ok": bool, "number": ..., "errors": {...}, "verification_code": ...}]``
    (row 2 = first data row). The verification code of each new case is shown here once; only its digest is kept."""
    report = []
    for n, row in enumerate(_rows(content), start=2):
        try:
            complainant = Organisation.objects.filter(uscc=row.get("complainant_uscc", "").upper(),
                                                      is_active=True).first()
            if complainant is None:
                raise InvalidInput({"complainant_uscc": ["未登记的投诉人"]})
            numbers = _split(row.get("right_numbers", ""))
            right_ids = list(Right.objects.filter(number__in=numbers).values_list("pk", flat=True))
            if len(right_ids) != len(set(numbers)) or not numbers:
                raise InvalidInput({"right_numbers": ["有权利编号未在登记簿中找到"]})
            acts = [{"act": row["act"], "place_type": row.get("place_type") or "online", "place": row.get("place", "")}
                    ] if row.get("act") else []
            with transaction.atomic():
                filing = file_complaint(
                    actor=actor, complainant=complainant, right_ids=right_ids, title=row.get("title", ""),
                    facts=row.get("facts", ""), respondent_uscc=row.get("respondent_uscc", ""),
                    respondent_name=row.get("respondent_name", ""),
                    respondent_shop_url=row.get("respondent_shop_url", ""),
                    respondent_address=row.get("respondent_address", ""), acts=acts,
                    damages_claimed=row.get("damages_claimed") or None,
                    preferred_channel=row.get("preferred_channel", ""),
                    deposit_nos=_split(row.get("deposit_nos", "")))
            report.append({"row": n, "ok": True, "number": filing.case.number, "errors": {},
                           "verification_code": filing.verification_code})
        except InvalidInput as exc:
            report.append({"row": n, "ok": False, "number": None, "errors": exc.errors, "verification_code": None})
        except ServiceError as exc:
            extra = {"duplicate": [exc.extra["duplicate"]]} if "duplicate" in exc.extra else {}
            report.append({"row": n, "ok": False, "number": None, "errors": {"__all__": [exc.message], **extra},
                           "verification_code": None})
    return report
