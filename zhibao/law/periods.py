"""Statutory time limits (期间) computed the way the Civil Code counts them.

Why a module of its own: every clock on the platform (counter-notice, adjudication,
criminal transfer, credit hearing) must agree with the court's way of counting, and
every answer must say which rule it used and which rest days moved it.

Counting rules (民法典第二百零一条至第二百零四条):

* days: the start day is not counted (第二百零一条); if the last day is a statutory
  rest day (weekend or public holiday) the period ends on the first working day
  after it (第二百零三条). Weekend days declared working days (调休) are working days.
* working days: N working days after the start day; rest days are passed over.
* months: the corresponding day of the month N months later; if that month has no
  such day, its last day (第二百零二条); then moved off rest days like a day period.
* hours: counted from the moment given (第二百零一条第一款 "按照小时计算期间的，自法律
  规定或者当事人约定的时间开始计算"), on a timezone-aware datetime; not moved off rest days.

Holidays and 调休 working weekends come from ``chinese_calendar`` only. A date outside
the years that package covers raises :class:`CalendarUnavailable` instead of guessing.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

import chinese_calendar as cc

Unit = Literal["days", "working_days", "hours", "months"]

CIVIL_CODE_COUNTING = "民法典第二百零一条至第二百零四条"

#: chinese_calendar's English holiday names → the Chinese reason shown to users.
HOLIDAY_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarUnavailable(ValueError):
    """The holiday calendar has no data for a date the computation needs."""


@functools.cache
def supported_years() -> tuple[int, int]:
    """First and last year ``chinese_calendar`` has official holiday data for."""
    years = [d.year for d in cc.holidays]
    return min(years), max(years)


def _check(d: date) -> None:
    first, last = supported_years()
    if not first <= d.year <= last:
        raise CalendarUnavailable(
            f"节假日日历没有 {d.year} 年的数据（chinese_calendar 仅支持 {first}–{last} 年）；"
            f"holiday calendar covers only {first}-{last}"
        )


def _workday(d: date) -> bool:
    """``chinese_calendar.is_workday`` without its per-call range scan (callers have run ``_check``).

    Same rule as the package, on the package's own tables: a declared working day (调休) works,
    a listed holiday rests, otherwise Monday-Friday work. A test compares it with ``cc.is_workday``
    on every supported date.
    """
    if d in cc.workdays:
        return True
    return d.weekday() < 5 and d not in cc.holidays


def is_working_day(d: date) -> bool:
    """True for a working day, including a weekend day declared a working day (调休)."""
    _check(d)
    return bool(cc.is_workday(d))


def rest_reason(d: date) -> str:
    """Why ``d`` is a rest day: the holiday's Chinese name, or "周末"."""
    _check(d)
    on_holiday, name = cc.get_holiday_detail(d)
    if on_holiday and name is not None:
        key = name.value if hasattr(name, "value") else str(name)
        return HOLIDAY_NAMES_ZH.get(key, key)
    return "周末"


def working_days_between(a: date, b: date) -> int:
    """Working days in the half-open interval (a, b]: a not counted, b counted; negative if b < a."""
    if b < a:
        return -working_days_between(b, a)
    _check(a)
    _check(b)
    count = 0
    d = a + timedelta(days=1)
    while d <= b:
        if _workday(d):
            count += 1
        d += timedelta(days=1)
    return count


@dataclass(frozen=True)
class Rule:
    """A named statutory period: data, so a change in the law is a change of row."""

    name: str
    title: str
    unit: Unit
    amount: int
    source: str
    effective: date
    extension: int | None = None  # one extension of this many ``unit`` allowed, if any
    note: str = ""


RULES: dict[str, Rule] = {r.name: r for r in (
    Rule("ecommerce_counter_notice", "转送不侵权声明后权利人投诉或起诉", "days", 15,
         "《中华人民共和国电子商务法》第四十三条第二款", date(2019, 1, 1)),
    Rule("ecommerce_notarisation_extension", "因公证、认证等原因延迟的最长期限", "working_days", 20,
         "法释〔2020〕9号《最高人民法院关于涉网络知识产权侵权纠纷几个法律适用问题的批复》第二条 [check]",
         date(2020, 9, 14), note="最长不超过20个工作日"),
    Rule("adjudication_acceptance", "专利侵权纠纷行政裁决：决定是否立案", "working_days", 5,
         "《专利行政执法办法》（国家知识产权局令第71号）第十三条 [check]", date(2015, 7, 1)),
    Rule("adjudication_decision", "专利侵权纠纷行政裁决：结案", "months", 3,
         "《专利行政执法办法》（国家知识产权局令第71号）第二十一条 [check]", date(2015, 7, 1),
         extension=1, note="案情复杂经批准可延长一次，最多1个月"),
    Rule("criminal_transfer_decision", "发现涉嫌犯罪后作出是否移送的决定", "days", 3,
         "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号，2020年国务院令第730号修订）第五条",
         date(2001, 7, 9)),
    Rule("criminal_handover", "批准移送后向公安机关移送", "hours", 24,
         "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第五条第二款 [check]", date(2001, 7, 9)),
    Rule("mediation_judicial_confirmation", "调解协议生效后共同申请司法确认", "days", 30,
         "《中华人民共和国人民调解法》第三十三条；《民事诉讼法》第二百零五条", date(2011, 1, 1)),
    Rule("fair_complaint", "展会知识产权投诉处理或转交", "hours", 24,
         "《展会知识产权保护办法》（商务部、国家工商总局、国家版权局、国家知识产权局2006年第1号令）[check]",
         date(2006, 3, 1)),
    Rule("credit_statement_defence", "列入失信名单前的陈述、申辩", "working_days", 5,
         "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十四条 [check]",
         date(2021, 9, 1)),
    Rule("trademark_opposition", "初步审定公告后提出商标异议", "months", 3,
         "《中华人民共和国商标法》第三十三条", date(2014, 5, 1)),
)}


@dataclass
class Deadline:
    """A computed deadline and everything needed to explain it."""

    start: date | datetime
    deadline: date | datetime
    rule: str | None
    source: str
    unit: Unit
    amount: int
    skipped: list[tuple[date, str]] = field(default_factory=list)
    paused_days: int = 0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (ISO dates) used by the CLI and the API."""
        return {
            "start": self.start.isoformat(), "deadline": self.deadline.isoformat(), "rule": self.rule,
            "source": self.source, "unit": self.unit, "amount": self.amount,
            "skipped": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
            "paused_days": self.paused_days,
        }


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later, clamped to that month's last day (民法典第二百零二条)."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _roll_forward(last: date) -> tuple[date, list[tuple[date, str]]]:
    """Move a last day that is a rest day to the next working day, recording what was skipped."""
    skipped: list[tuple[date, str]] = []
    d = last
    _check(d)
    while not _workday(d):
        skipped.append((d, rest_reason(d)))
        d += timedelta(days=1)
        _check(d)
    return d, skipped


def _as_date(start: date | datetime) -> date:
    return start.date() if isinstance(start, datetime) else start


def _paused(d: date, pauses: Sequence[tuple[date, date]]) -> bool:
    return any(a <= d <= b for a, b in pauses)


def _count_days(start: date, days: int, pauses: Sequence[tuple[date, date]]) -> tuple[date, int]:
    """The last counted day of a ``days`` period, paused days not counted; and how many were paused."""
    d, counted, paused = start, 0, 0
    while counted < days:
        d += timedelta(days=1)
        if _paused(d, pauses):
            paused += 1
        else:
            counted += 1
    return d, paused


def _count_working(start: date, n: int, pauses: Sequence[tuple[date, date]]
                   ) -> tuple[date, list[tuple[date, str]], int]:
    d, counted, paused = start, 0, 0
    skipped: list[tuple[date, str]] = []
    _check(start)
    while counted < n:
        d += timedelta(days=1)
        _check(d)
        if _paused(d, pauses):
            paused += 1
        elif _workday(d):
            counted += 1
        else:
            skipped.append((d, rest_reason(d)))
    return d, skipped, paused


def _compute(start: date | datetime, unit: Unit, amount: int, pauses: Sequence[tuple[date, date]] = ()
             ) -> tuple[date | datetime, list[tuple[date, str]], int]:
    if amount < 0:
        raise ValueError(f"期间不能为负数：{amount}")
    if unit == "hours":
        if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("按小时计算的期间需要带时区的开始时间（如 2026-09-16T10:00+08:00）")
        if pauses:
            raise ValueError("按小时计算的期间不支持中止")
        return start + timedelta(hours=amount), [], 0
    first = _as_date(start)
    _check(first)
    if unit == "working_days":
        return _count_working(first, amount, pauses)
    if unit == "days":
        last, paused = _count_days(first, amount, pauses)
    elif unit == "months":
        last = add_months(first, amount)
        paused = 0
        if pauses:
            # Extend by every paused calendar day inside the running period (the period grows as it is
            # extended, so a pause just after the original end can still fall inside it).
            extra = 0
            while True:
                end = last + timedelta(days=extra)
                inside = sum(1 for i in range(1, (end - first).days + 1)
                             if _paused(first + timedelta(days=i), pauses))
                if inside == extra:
                    break
                extra = inside
            last, paused = last + timedelta(days=extra), extra
    else:
        raise ValueError(f"未知的期间单位：{unit}")
    deadline_day, skipped = _roll_forward(last)
    return deadline_day, skipped, paused


def deadline(start: date | datetime, *, days: int | None = None, working_days: int | None = None,
             hours: int | None = None, months: int | None = None) -> Deadline:
    """Deadline of a period given in exactly one unit; see the module docstring for the counting rules."""
    given = {k: v for k, v in (("days", days), ("working_days", working_days), ("hours", hours),
                               ("months", months)) if v is not None}
    if len(given) != 1:
        raise ValueError("需要且只需要一个期间单位：days、working_days、hours 或 months")
    unit_name, amount = next(iter(given.items()))
    unit: Unit = unit_name  # type: ignore[assignment]
    end, skipped, _ = _compute(start, unit, amount)
    return Deadline(start=start, deadline=end, rule=None, source=CIVIL_CODE_COUNTING, unit=unit,
                    amount=amount, skipped=skipped)


def get_rule(rule_name: str) -> Rule:
    """The named rule, or ValueError listing the known names."""
    try:
        return RULES[rule_name]
    except KeyError:
        raise ValueError(f"未知的期间规则：{rule_name}（可用：{', '.join(sorted(RULES))}）") from None


def deadline_for(rule_name: str, start: date | datetime, *, extended: bool = False) -> Deadline:
    """Deadline under a named rule; ``extended`` adds the rule's one permitted extension."""
    rule = get_rule(rule_name)
    amount = rule.amount
    if extended:
        if rule.extension is None:
            raise ValueError(f"规则 {rule_name} 不允许延长")
        amount += rule.extension
    end, skipped, _ = _compute(start, rule.unit, amount)
    return Deadline(start=start, deadline=end, rule=rule.name, source=f"{rule.source}；{CIVIL_CODE_COUNTING}",
                    unit=rule.unit, amount=amount, skipped=skipped)


def deadline_with_pauses(start: date, rule_or_days: str | int, pauses: Iterable[tuple[date, date]]
                         ) -> Deadline:
    """Deadline when the clock stops for some intervals (e.g. 中止 while awaiting notarisation).

    Definition: each pause ``(from, to)`` is a closed interval of calendar days during which the
    period does not run. A paused day inside the running period is not counted, so the deadline
    moves one calendar day later per paused day (for working-day rules, paused working days are
    simply not counted; ``paused_days`` reports every paused day the count passed over). Overlapping pauses count once. Pauses before the start or after
    the (extended) end have no effect. The usual rest-day roll-forward is applied last.
    """
    spans = [(a, b) for a, b in pauses]
    for a, b in spans:
        if b < a:
            raise ValueError(f"中止区间结束早于开始：{a} – {b}")
    if isinstance(rule_or_days, int):
        rule_name, unit, amount, source = None, "days", rule_or_days, CIVIL_CODE_COUNTING
    else:
        rule = get_rule(rule_or_days)
        rule_name, unit, amount, source = rule.name, rule.unit, rule.amount, rule.source
    end, skipped, paused = _compute(start, unit, amount, spans)  # type: ignore[arg-type]
    return Deadline(start=start, deadline=end, rule=rule_name, source=source, unit=unit,  # type: ignore[arg-type]
                    amount=amount, skipped=skipped, paused_days=paused)
