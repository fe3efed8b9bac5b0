"""API over ``zhibao.law``: USCC check, statutory deadlines, damages, criminal thresholds."""

from __future__ import annotations

from ninja import Router, Schema

from zhibao.accounts.api_auth import require_scope
from zhibao.law import uscc as uscc_lib

router = Router(tags=["法律计算"])


class UsccOut(Schema):
    code: str
    valid: bool
    errors: list[str]
    warnings: list[str]
    division_code: str | None
    entity_type: str | None


@router.get("/uscc/{code}", response=UsccOut, summary="校验统一社会信用代码（GB 32100-2015）")
def check_uscc(request, code: str):  # noqa: ANN001, ANN201
    require_scope(request, "law:read")
    result = uscc_lib.validate(code)
    return {
        "code": result.code, "valid": result.valid, "errors": list(result.errors),
        "warnings": list(result.warnings), "division_code": result.division_code,
        "entity_type": result.entity_type,
    }
