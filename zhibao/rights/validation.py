"""Field checks for the rights register, delegating the legal formats to ``zhibao.law``."""

from __future__ import annotations

from typing import Any

from zhibao.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, check_upload
from zhibao.law import patents


def patent_number(number: str) -> tuple[str, str, list[str]]:
    """(normalised number, patent kind code, problems) for a CN patent application number."""
    if not number:
        return "", "", ["请填写专利申请号"]
    result = patents.validate_application_number(number)
    if not result.valid:
        return "", "", list(result.errors)
    kind = {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model", "3": "design"}
    return result.normalized, kind.get(result.type_digit, "invention"), []


def ipc_problems(text: str) -> list[str]:
    problems = []
    for symbol in [s.strip() for s in text.replace("；", ";").split(";") if s.strip()]:
        if not patents.validate_ipc(symbol).valid:
            problems.append(f"IPC 分类号格式有误：{symbol}（示例：G06N 3/08）")
    return problems


def nice_classes(value: Any) -> tuple[list[int], list[str]]:
    return patents.parse_nice_classes(value)


def check_image_upload(upload, *, field: str) -> None:  # noqa: ANN001
    check_upload(upload, field=field, allowed=IMAGE_TYPES)


def check_document_upload(upload, *, field: str) -> None:  # noqa: ANN001
    check_upload(upload, field=field, allowed=DOCUMENT_TYPES, allow_text=True)
