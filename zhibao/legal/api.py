"""API over ``zhibao.law``: USCC check, statutory deadlines, damages, criminal thresholds.

Every answer carries the legal source of the rule it applied.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from zhibao.accounts.api_auth import require_scope
from zhibao.law import damages as damages_lib
from zhibao.law import thresholds as thresholds_lib
from zhibao.law import uscc as uscc_lib
from zhibao.legal import calculators

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


@router.get("/deadline", response=dict, summary="法定期限：自然日/工作日/具名规则（节假日与调休按日历）")
def deadline(request, start: dt.date, days: int | None = None, working_days: int | None = None,  # noqa: ANN001, ANN201
             rule: str | None = None, provisional: bool = False):
    """``provisional=true``: a year whose holiday arrangement is not yet published is estimated (flagged)."""
    require_scope(request, "law:read")
    return calculators.deadline(start=start, days=days, working_days=working_days, rule=rule,
                                provisional=provisional)


@router.get("/rules", response=list[dict], summary="具名期限规则及其法律依据")
def rules(request):  # noqa: ANN001, ANN201
    require_scope(request, "law:read")
    return calculators.period_rules()


@router.post("/damages", response=dict, summary="按法定顺序计算赔偿数额（含惩罚性赔偿）")
def damages(request, payload: damages_lib.DamagesInput):  # noqa: ANN001, ANN201
    require_scope(request, "law:read")
    return calculators.damages(payload)


@router.post("/thresholds", response=list[dict], summary="刑事立案追诉标准核对")
def thresholds(request, payload: thresholds_lib.CaseFacts):  # noqa: ANN001, ANN201
    require_scope(request, "law:read")
    return calculators.thresholds(payload)


@router.get("/references", response=list[dict],
            summary="类型化赔偿参考：已结案件判赔数额的中位数与四分位区间（按权利类型、行业、侵权行为）")
def compensation_references(request, right_type: str = ""):  # noqa: ANN001, ANN201
    require_scope(request, "law:read")
    from zhibao.legal import references

    return [references.as_dict(g) for g in references.reference_groups(right_type=right_type)]
