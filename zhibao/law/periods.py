"""Statutory time limits (期间) computed the way the Civil Code counts them.

Why a module of its own: every clock on the platform (counter-notice, adjudication, criminal
transfer, credit hearing) must agree with the way a court counts, and every answer must say which
rule it used and which rest days moved it.

Counting rules (民法典第二百条至第二百零四条), Beijing time:

* days: the start day is not counted (第二百零一条第二款); if the last day is a statutory rest day
  (weekend or public holiday) the period ends on the first working day after it (第二百零三条第一款).
  A weekend day declared a working day (调休) is a working day. ``skipped`` lists the rest days that
  moved the deadline.
* working days: the N-th working day after the start day; ``skipped`` lists the rest days passed over.
* months: the corresponding day N months later; if that month has no such day, its last day
  (第二百零二条); then moved off rest days like a day period. A permitted extension (e.g. adjudication:
  3 months + 1) runs from the end of the original period (end-of-month clamping applied to each part),
  and only the final day of the whole period is moved off rest days — the original end is not a day on
  which anything must be done.
* hours: from the given moment (第二百零一条第一款), on a timezone-aware datetime; not moved off rest
  days (the roll-forward of 第二百零三条 concerns a *last day*).

Holidays and 调休 working weekends come from ``chinese_calendar`` only. A date outside the years that
package covers raises :class:`CalendarUnavailable` (a ValueError) naming the covered range, never a
silent guess. Callers that must show a clock before the State Council has published next year's
arrangement (it appears each November; a case filed in November already has deadlines in the next
year) may ask for ``provisional=True``: for at most :data:`PROVISIONAL_YEARS_AHEAD` years after the
last published one, rest days are the weekends plus the statutory holidays of 《全国年节及纪念日放假办法》
(dates from the maintained ``holidays`` package, without substitute days or 调休 working weekends,
which only the official notice fixes). Such a result says so (``provisional_years`` and a warning),
and must be recomputed when the package knows the year. The named rules are data (``data/period_rules.json``) with their legal source and effective
date; a start date selects the version in force on it.
"""

from __future__ import annotations

import calendar
import contextvars
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple

import chinese_calendar as cc
import holidays as holidays_pkg

from zhibao.law._data import parse_rows, read_rows

Unit = Literal["days", "working_days", "hours", "months"]
UNIT_NAMES: dict[str, str] = {"days": "日", "working_days": "个工作日", "hours": "小时", "months": "个月"}

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
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class CalendarUnavailable(ValueError):
    """The holiday calendar has no data for a date the computation needs (never guessed)."""


#: How many years past the last published arrangement a provisional computation may reach.
PROVISIONAL_YEARS_AHEAD = 1

#: Set while a provisional computation runs: the years it had to estimate are added to it.
_PROVISIONAL: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("provisional", default=None)


@functools.cache
def _statutory_holidays(year: int) -> dict[date, str]:
    """Statutory holidays of a year without a published arrangement: no substitutes, no 调休."""
    return {d: str(name) for d, name in holidays_pkg.country_holidays("CN", years=year, observed=False).items()}


def _provisional_year(year: int) -> bool:
    """True when a provisional computation is running and may estimate ``year`` (recording that it did)."""
    used = _PROVISIONAL.get()
    _, last = supported_years()
    if used is None or not last < year <= last + PROVISIONAL_YEARS_AHEAD:
        return False
    used.add(year)
    return True


class RestDay(NamedTuple):
    """A rest day that moved or was excluded from a period, with the reason shown to users."""

    date: date
    reason: str


@functools.cache
def supported_years() -> tuple[int, int]:
    """First and last year ``chinese_calendar`` has official holiday arrangements for."""
    years = [d.year for d in cc.holidays]
    return min(years), max(years)


def _unavailable(year: int | str) -> CalendarUnavailable:
    first, last = supported_years()
    return CalendarUnavailable(
        f"节假日日历没有 {year} 年的数据（chinese_calendar 仅支持 {first}–{last} 年，请升级该包）；"
        f"holiday calendar covers only {first}-{last}"
    )


def _check(d: date) -> None:
    first, last = supported_years()
    if not first <= d.year <= last and not _provisional_year(d.year):
        raise _unavailable(d.year)


def _plus(d: date, days: int) -> date:
    """``d + days`` that reports a date beyond ``date.max`` as outside the calendar, not OverflowError."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise _unavailable("9999 以后") from None


def _workday(d: date) -> bool:
    """``chinese_calendar.is_workday`` without its per-call range scan (callers have run ``_check``).

    Same rule as the package, on the package's own tables: a declared working day (调休) works, a listed
    holiday rests, otherwise Monday-Friday work. A test compares it with ``cc.is_workday`` on every
    supported date.
    """
    if d.year > supported_years()[1]:  # only reached in a provisional computation (``_check`` ran)
        return d.weekday() < 5 and d not in _statutory_holidays(d.year)
    if d in cc.workdays:
        return True
    return d.weekday() < 5 and d not in cc.holidays


def is_working_day(d: date) -> bool:
    """True for a working day, including a weekend day declared a working day (调休)."""
    _check(d)
    return _workday(d)


def rest_reason(d: date) -> str:
    """Why ``d`` is a rest day: the holiday's Chinese name, else "周末"."""
    _check(d)
    if d.year > supported_years()[1]:
        estimated = _statutory_holidays(d.year).get(d)
        return f"{estimated}（法定假日，放假安排未发布）" if estimated else "周末"
    name = cc.holidays.get(d)
    if name is not None:
        key = name.value if hasattr(name, "value") else str(name)
        return HOLIDAY_NAMES_ZH.get(key, key)
    return "周末"


def working_days_between(a: date, b: date) -> int:
    """Working days in the half-open interval (a, b]: a not counted, b counted; negative if b < a."""
    if b < a:
        return -working_days_between(b, a)
    _check(a)
    _check(b)
    return sum(1 for i in range(1, (b - a).days + 1) if _workday(a + timedelta(days=i)))


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later, clamped to that month's last day (民法典第二百零二条)."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    if not 1 <= year <= 9999:
        raise _unavailable(year)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# --- named rules (data) ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One version of a named statutory period, loaded from ``data/period_rules.json``."""

    name: str
    title: str
    unit: Unit
    amount: int
    source: str
    effective: date
    extension: int | None = None  # one extension of this many ``unit`` allowed, if any
    note: str = ""

    def __post_init__(self) -> None:
        if self.amount <= 0 or (self.extension is not None and self.extension <= 0):
            raise ValueError("期间及延长期应为正整数")
        if not self.source.strip():
            raise ValueError("每条规则都需要法律依据 source")


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """Every version of every named rule (the packaged table, or a draft table at ``path``)."""
    return parse_rows(Rule, read_rows("period_rules.json", path), "period_rules.json")


RULE_VERSIONS: tuple[Rule, ...] = load_rules()

#: The newest version of each named rule, by name (what ``zhibao law rules`` lists).
RULES: dict[str, Rule] = {}
for _rule in RULE_VERSIONS:  # table order; a later-effective version replaces an earlier one in place
    if _rule.name not in RULES or RULES[_rule.name].effective < _rule.effective:
        RULES[_rule.name] = _rule


def get_rule(rule_name: str) -> Rule:
    """The newest version of the named rule, or ValueError listing the known names."""
    try:
        return RULES[rule_name]
    except KeyError:
        raise ValueError(f"未知的期间规则：{rule_name}（可用：{', '.join(sorted(RULES))}）") from None


def rule_for(rule_name: str, on: date) -> Rule:
    """The version of the named rule in force on ``on``; ValueError if the rule did not exist yet."""
    get_rule(rule_name)
    versions = [r for r in RULE_VERSIONS if r.name == rule_name and r.effective <= on]
    if not versions:
        first = min(r.effective for r in RULE_VERSIONS if r.name == rule_name)
        raise ValueError(f"规则 {rule_name} 自 {first.isoformat()} 起施行，起算日 {on.isoformat()} 早于施行日")
    return max(versions, key=lambda r: r.effective)


# --- results and computation -----------------------------------------------------------------

@dataclass
class Deadline:
    """A computed deadline and everything needed to explain it."""

    start: date | datetime
    deadline: date | datetime
    rule: str | None
    source: str
    unit: Unit
    amount: int
    skipped: list[RestDay] = field(default_factory=list)
    paused_days: int = 0
    extended: bool = False
    title: str = ""
    provisional_years: list[int] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def warnings(self) -> list[str]:
        if not self.provisional_years:
            return []
        years = "、".join(str(y) for y in self.provisional_years)
        return [f"{years} 年放假安排尚未发布（chinese_calendar 未收录）：暂按周末及《全国年节及纪念日放假办法》"
                "规定的法定假日计算，未计调休；正式安排发布后须重新计算。"]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (ISO dates) used by the CLI and the API."""
        return {
            "provisional": self.provisional, "provisional_years": self.provisional_years,
            "warnings": self.warnings,
            "start": self.start.isoformat(), "deadline": self.deadline.isoformat(), "rule": self.rule,
            "title": self.title, "source": self.source, "unit": self.unit, "amount": self.amount,
            "extended": self.extended,
            "skipped": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
            "paused_days": self.paused_days,
        }


Pauses = Sequence[tuple[date, date]]


def _merge(pauses: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sorted, non-overlapping closed intervals; overlapping or adjacent pauses merge (counted once)."""
    spans = sorted((a, b) for a, b in pauses)
    for a, b in spans:
        if b < a:
            raise ValueError(f"中止区间结束早于开始：{a.isoformat()} – {b.isoformat()}")
    merged: list[tuple[date, date]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _count_days(start: date, days: int, pauses: Pauses) -> tuple[date, int]:
    """Last day of a ``days`` period that skips paused days; and how many paused days it passed over.

    Arithmetic over the merged pause intervals, so a long period costs nothing extra.
    """
    d, remaining, paused = start, days, 0
    for a, b in pauses:
        if b <= d:
            continue
        gap = (a - d).days - 1 if a > d else 0  # unpaused days strictly between d and the pause
        if remaining <= gap:
            break
        remaining -= gap
        paused += (b - max(a, _plus(d, 1))).days + 1
        d = b
    return _plus(d, remaining), paused


def _count_working(start: date, n: int, pauses: Pauses) -> tuple[date, list[RestDay], int]:
    """The n-th working day after ``start`` not inside a pause; rest days passed over; paused days."""
    d, counted, paused = start, 0, 0
    skipped: list[RestDay] = []
    _check(start)
    while counted < n:
        d = _plus(d, 1)
        _check(d)
        if any(a <= d <= b for a, b in pauses):
            paused += 1
        elif _workday(d):
            counted += 1
        else:
            skipped.append(RestDay(d, rest_reason(d)))
    return d, skipped, paused


def _roll_forward(last: date) -> tuple[date, list[RestDay]]:
    """Move a last day that is a rest day to the next working day, recording what was skipped."""
    skipped: list[RestDay] = []
    d = last
    _check(d)
    while not _workday(d):
        skipped.append(RestDay(d, rest_reason(d)))
        d = _plus(d, 1)
        _check(d)
    return d, skipped


def _compute(start: date | datetime, unit: Unit, amount: int, extension: int = 0, pauses: Pauses = ()
             ) -> tuple[date | datetime, list[RestDay], int]:
    if amount < 0 or extension < 0:
        raise ValueError(f"期间不能为负数：{amount}")
    if unit == "hours":
        if not isinstance(start, datetime) or start.utcoffset() is None:
            raise ValueError("按小时计算的期间需要带时区的开始时间（如 2026-09-16T10:00+08:00）")
        if pauses:
            raise ValueError("按小时计算的期间不支持中止")
        try:
            return start + timedelta(hours=amount + extension), [], 0
        except OverflowError:
            raise ValueError(f"期间过长：{amount} 小时") from None
    first = start.date() if isinstance(start, datetime) else start
    _check(first)
    if unit == "working_days":
        return _count_working(first, amount + extension, pauses)
    if unit == "days":
        total = amount + extension
    elif unit == "months":
        end = add_months(first, amount)
        total = ((add_months(end, extension) if extension else end) - first).days
    else:
        raise ValueError(f"未知的期间单位：{unit}")
    last, paused = _count_days(first, total, pauses)
    _check(last)
    deadline_day, skipped = _roll_forward(last)
    return deadline_day, skipped, paused


def _compute_maybe_provisional(provisional: bool, start: date | datetime, unit: Unit, amount: int,
                               extension: int = 0, pauses: Pauses = ()
                               ) -> tuple[date | datetime, list[RestDay], int, list[int]]:
    """``_compute``; with ``provisional`` the years it had to estimate are returned too."""
    if not provisional:
        return (*_compute(start, unit, amount, extension, pauses), [])
    used: set[int] = set()
    token = _PROVISIONAL.set(used)
    try:
        end, skipped, paused = _compute(start, unit, amount, extension, pauses)
    finally:
        _PROVISIONAL.reset(token)
    return end, skipped, paused, sorted(used)


def deadline(start: date | datetime, *, days: int | None = None, working_days: int | None = None,
             hours: int | None = None, months: int | None = None, provisional: bool = False) -> Deadline:
    """Deadline of a period given in exactly one unit; see the module docstring for the counting rules."""
    given = [(u, v) for u, v in (("days", days), ("working_days", working_days), ("hours", hours),
                                 ("months", months)) if v is not None]
    if len(given) != 1:
        raise ValueError("需要且只需要一个期间单位：days、working_days、hours 或 months")
    unit_name, amount = given[0]
    unit: Unit = unit_name  # type: ignore[assignment]
    end, skipped, _, years = _compute_maybe_provisional(provisional, start, unit, amount)
    return Deadline(start=start, deadline=end, rule=None, source=CIVIL_CODE_COUNTING, unit=unit,
                    amount=amount, skipped=skipped, provisional_years=years)


def _by_rule(rule_name: str, start: date | datetime, extended: bool, pauses: Pauses,
             provisional: bool = False) -> Deadline:
    rule = rule_for(rule_name, start.date() if isinstance(start, datetime) else start)
    extension = 0
    if extended:
        if rule.extension is None:
            raise ValueError(f"规则 {rule_name} 不允许延长")
        extension = rule.extension
    end, skipped, paused, years = _compute_maybe_provisional(provisional, start, rule.unit, rule.amount,
                                                             extension, pauses)
    return Deadline(start=start, deadline=end, rule=rule.name, source=f"{rule.source}；{CIVIL_CODE_COUNTING}",
                    unit=rule.unit, amount=rule.amount + extension, skipped=skipped, paused_days=paused,
                    extended=extended, title=rule.title, provisional_years=years)


def deadline_for(rule_name: str, start: date | datetime, *, extended: bool = False,
                 provisional: bool = False) -> Deadline:
    """Deadline under a named rule (the version in force on ``start``); ``extended`` adds its one extension."""
    return _by_rule(rule_name, start, extended, (), provisional)


def deadline_with_pauses(start: date, rule: str | int, pauses: Iterable[tuple[date, date]], *,
                         extended: bool = False, provisional: bool = False) -> Deadline:
    """Deadline when the clock stops for some intervals (中止, e.g. waiting for an appraisal).

    Definition: each pause ``(from, to)`` is a closed interval of calendar days during which the period
    does not run; overlapping or adjacent pauses merge. Day and month periods: the period must contain
    its full length of unpaused days after the start day (a month period's length is its calendar
    days), so each paused day inside it moves the last day one calendar day later — including pauses
    that only fall inside once the period has grown. Working-day periods: paused days are simply not
    counted. Pauses before the start or after the end change nothing. ``paused_days`` is the number of
    paused days the period passed over. The rest-day roll-forward applies to the final last day only.
    Hour periods cannot be paused. ``rule`` is a rule name or a number of calendar days.
    """
    merged = _merge(pauses)
    if isinstance(rule, int):
        if extended:
            raise ValueError("按天数计算时没有可延长的规则")
        end, skipped, paused, years = _compute_maybe_provisional(provisional, start, "days", rule, 0, merged)
        return Deadline(start=start, deadline=end, rule=None, source=CIVIL_CODE_COUNTING, unit="days",
                        amount=rule, skipped=skipped, paused_days=paused, provisional_years=years)
    return _by_rule(rule, start, extended, merged, provisional)
