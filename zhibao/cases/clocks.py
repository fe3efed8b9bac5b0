"""Which statutory clock runs in which state of which channel, computed by ``zhibao.law.periods``.

Every period is a named rule in ``zhibao/law/data/period_rules.json`` (with its source); this module only
maps states to rules. Every clock shows the rule name, title and source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from zhibao.law import periods

BEIJING = ZoneInfo("Asia/Shanghai")


#: (channel, status) → rule name. States not listed have no clock.
CLOCKS: dict[tuple[str, str], str] = {
    ("enforcement", "received"): "enforcement_filing",
    ("enforcement", "accepted"): "enforcement_decision",
    ("enforcement", "investigating"): "enforcement_decision",
    ("adjudication", "received"): "adjudication_acceptance",
    ("adjudication", "accepted"): "adjudication_decision",
    ("adjudication", "hearing"): "adjudication_decision",
    ("criminal", "received"): "criminal_transfer_decision",
    ("criminal", "accepted"): "criminal_transfer_decision",
    ("criminal", "investigating"): "criminal_transfer_decision",
    ("criminal", "transfer_approved"): "criminal_handover",
    ("criminal", "handed_over"): "police_review",
    ("mediation", "invited"): "mediation_reply",
    ("mediation", "agreement"): "mediation_judicial_confirmation",
}

#: States whose clock keeps running from an earlier state (the decision period runs from acceptance).
CONTINUES = {("enforcement", "investigating"), ("adjudication", "hearing"), ("criminal", "accepted"),
             ("criminal", "investigating")}


@dataclass(frozen=True)
class Clock:
    rule: str
    title: str
    source: str
    due_at: dt.datetime
    paused_days: int
    extended: bool
    can_extend: bool
    warnings: tuple[str, ...] = ()


def rule_info(name: str) -> tuple[str, str, int | None]:
    """(title, source, extension) of a named rule."""
    rule = periods.get_rule(name)
    return rule.title, rule.source, rule.extension


def _end_of_day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(23, 59, 59), tzinfo=BEIJING)


def compute(name: str, start: dt.datetime, *, pauses: list[tuple[dt.date, dt.date]] | None = None,
            extended: bool = False) -> Clock:
    """The deadline of rule ``name`` started at ``start`` (aware), with pauses and the optional extension.

    Provisional mode (ADR 0002): a case filed in November has deadlines in a year whose holiday
    arrangement is not yet published; the clock then says so in ``warnings`` and is recomputed later.
    """
    start_local = start.astimezone(BEIJING)
    rule = periods.get_rule(name)
    if rule.unit == "hours":
        result = periods.deadline_for(name, start_local, extended=extended, provisional=True)
    else:
        result = periods.deadline_with_pauses(start_local.date(), name, list(pauses or []), extended=extended,
                                              provisional=True)
    due = result.deadline if isinstance(result.deadline, dt.datetime) else _end_of_day(result.deadline)
    return Clock(name, rule.title, result.source, due, result.paused_days, extended,
                 rule.extension is not None and not extended, tuple(result.warnings))
