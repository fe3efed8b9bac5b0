"""Thin adapters from the pure law library to JSON-ready data and service errors.

Nothing is stored here: the law engine is a calculator. Errors from the library
(a calendar year the holiday package does not know, a statutory amount out of
range) become ``InvalidInput`` naming the field, so every edge answers 400.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from zhibao.core.errors import InvalidInput
from zhibao.law import damages as damages_lib
from zhibao.law import periods
from zhibao.law import thresholds as thresholds_lib


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    return value


def deadline(*, start: dt.date, days: int | None = None, working_days: int | None = None,
             rule: str | None = None, provisional: bool = False) -> dict:
    given = [name for name, v in (("days", days), ("working_days", working_days), ("rule", rule)) if v is not None]
    if len(given) != 1:
        raise InvalidInput({"days": ["请且仅请给出 days、working_days、rule 之一"]})
    if rule is not None and rule not in periods.RULES:
        raise InvalidInput({"rule": [f"未知的期限规则：{rule}（可用：{', '.join(sorted(periods.RULES))}）"]})
    try:
        if rule is not None:
            result = periods.deadline_for(rule, start, provisional=provisional)
        elif days is not None:
            result = periods.deadline(start, days=days, provisional=provisional)
        else:
            result = periods.deadline(start, working_days=working_days, provisional=provisional)
    except ValueError as exc:
        raise InvalidInput({given[0] if given[0] != "rule" else "start": [str(exc)]}) from exc
    return _plain(result.as_dict())


def period_rules() -> list[dict]:
    return [_plain(r) for r in periods.RULES.values()]


def damages(payload: damages_lib.DamagesInput) -> dict:
    try:
        return _plain(damages_lib.calculate(payload))
    except damages_lib.DamagesError as exc:
        raise InvalidInput({getattr(exc, "field", None) or "statutory_amount": [str(exc)]}) from exc


def thresholds(facts: thresholds_lib.CaseFacts) -> list[dict]:
    return [_plain(f) for f in thresholds_lib.check(facts)]
