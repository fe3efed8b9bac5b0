"""Statutory clocks across the 2025/2026 Spring Festival and National Day holidays and 调休 weekends.

The holiday facts asserted here are those of ``chinese_calendar`` 1.11 (the official State Council
arrangements); a test that checks against the package too guards against a wrong hand-typed date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.law import periods
from zhibao.law.periods import CalendarUnavailable, deadline, deadline_for, deadline_with_pauses

BJ = timezone(timedelta(hours=8))


def _days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def test_counter_notice_over_2026_national_day_ends_on_october_8():
    result = deadline(date(2026, 9, 16), days=15)
    assert result.deadline == date(2026, 10, 8)
    assert result.skipped == [(d, "国庆节") for d in _days(date(2026, 10, 1), 7)]
    assert all(not cc.is_workday(d) for d, _ in result.skipped) and cc.is_workday(result.deadline)
    assert result.rule is None and "民法典" in result.source


def test_named_counter_notice_rule_gives_the_same_answer_and_names_article_43():
    result = deadline_for("ecommerce_counter_notice", date(2026, 9, 16))
    assert result.deadline == date(2026, 10, 8) and result.rule == "ecommerce_counter_notice"
    assert "电子商务法》第四十三条" in result.source and result.unit == "days" and result.amount == 15


def test_2025_national_day_with_mid_autumn_ends_on_october_9():
    result = deadline(date(2025, 9, 15), days=16)  # last day 2025-10-01
    assert result.deadline == date(2025, 10, 9)
    assert (date(2025, 10, 6), "中秋节") in result.skipped and (date(2025, 10, 8), "国庆节") in result.skipped
    assert len(result.skipped) == 8


def test_2025_spring_festival_moves_to_february_5():
    result = deadline(date(2025, 1, 13), days=15)  # last day 2025-01-28
    assert result.deadline == date(2025, 2, 5)
    assert result.skipped == [(d, "春节") for d in _days(date(2025, 1, 28), 8)]


def test_2026_spring_festival_moves_to_february_24():
    result = deadline(date(2026, 2, 1), days=15)  # last day 2026-02-16
    assert result.deadline == date(2026, 2, 24)
    assert [r for _, r in result.skipped] == ["春节"] * 8


@pytest.mark.parametrize(("start", "last"), [
    (date(2025, 1, 11), date(2025, 1, 26)),   # Sunday worked before the 2025 Spring Festival
    (date(2025, 9, 13), date(2025, 9, 28)),   # Sunday worked before the 2025 National Day
    (date(2026, 1, 30), date(2026, 2, 14)),   # Saturday worked before the 2026 Spring Festival
    (date(2026, 9, 25), date(2026, 10, 10)),  # Saturday worked after the 2026 National Day
])
def test_adjusted_working_weekend_day_is_a_valid_last_day(start: date, last: date):
    assert last.weekday() >= 5 and cc.is_workday(last)
    result = deadline(start, days=(last - start).days)
    assert result.deadline == last and result.skipped == []
    assert periods.is_working_day(last)


def test_ordinary_weekend_moves_to_monday_with_reason():
    result = deadline(date(2026, 11, 6), days=1)
    assert result.deadline == date(2026, 11, 9)
    assert result.skipped == [(date(2026, 11, 7), "周末"), (date(2026, 11, 8), "周末")]


def test_working_days_pass_over_national_day_and_count_adjusted_saturday():
    result = deadline(date(2026, 9, 30), working_days=5)
    assert result.deadline == date(2026, 10, 13)  # 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
    assert (date(2026, 10, 11), "周末") in result.skipped and (date(2026, 10, 10), "周末") not in result.skipped
    assert periods.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert periods.working_days_between(date(2026, 10, 13), date(2026, 9, 30)) == -5


def test_adjudication_acceptance_over_2025_spring_festival():
    result = deadline_for("adjudication_acceptance", date(2025, 1, 24))
    # 01-26 (调休 Sunday), 01-27, then the festival 01-28..02-04, then 02-05, 02-06, 02-07
    assert result.deadline == date(2025, 2, 7)
    assert result.unit == "working_days"


def test_month_period_clamps_to_month_end_and_keeps_adjusted_saturday():
    assert periods.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert deadline(date(2026, 1, 31), months=1).deadline == date(2026, 2, 28)  # 调休 Saturday
    assert deadline(date(2024, 1, 31), months=1).deadline == date(2024, 2, 29)
    assert periods.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_trademark_opposition_and_extended_adjudication_roll_off_national_day():
    assert deadline_for("trademark_opposition", date(2026, 7, 1)).deadline == date(2026, 10, 8)
    plain = deadline_for("adjudication_decision", date(2026, 6, 5))
    extended = deadline_for("adjudication_decision", date(2026, 6, 5), extended=True)
    assert plain.deadline == date(2026, 9, 7)  # 09-05 is a Saturday
    assert extended.deadline == date(2026, 10, 8) and extended.amount == 4
    with pytest.raises(ValueError, match="不允许延长"):
        deadline_for("ecommerce_counter_notice", date(2026, 6, 5), extended=True)


def test_hour_rules_run_on_aware_datetimes_without_holiday_roll():
    start = datetime(2026, 9, 30, 15, 30, tzinfo=BJ)
    result = deadline_for("criminal_handover", start)
    assert result.deadline == datetime(2026, 10, 1, 15, 30, tzinfo=BJ) and result.skipped == []
    assert deadline(start, hours=48).deadline == start + timedelta(hours=48)
    with pytest.raises(ValueError, match="时区"):
        deadline(datetime(2026, 9, 30, 15, 30), hours=24)
    with pytest.raises(ValueError, match="时区"):
        deadline_for("fair_complaint", date(2026, 9, 30))


@pytest.mark.parametrize("name", sorted(periods.RULES))
def test_every_named_rule_has_source_and_computes(name: str):
    rule = periods.RULES[name]
    assert rule.source and rule.effective.year >= 2001 and rule.amount > 0
    start: date | datetime = datetime(2026, 3, 2, 9, 0, tzinfo=BJ) if rule.unit == "hours" else date(2026, 3, 2)
    result = deadline_for(name, start)
    assert result.deadline > start and result.rule == name


def test_unknown_rule_lists_the_known_ones():
    with pytest.raises(ValueError, match="ecommerce_counter_notice"):
        deadline_for("no_such_rule", date(2026, 3, 2))


def test_exactly_one_unit_is_required():
    with pytest.raises(ValueError):
        deadline(date(2026, 3, 2))
    with pytest.raises(ValueError):
        deadline(date(2026, 3, 2), days=1, months=1)
    with pytest.raises(ValueError):
        deadline(date(2026, 3, 2), days=-1)


@pytest.mark.parametrize(("start", "days"), [(date(2026, 12, 20), 15), (date(2003, 12, 1), 1),
                                             (date(2027, 1, 4), 0)])
def test_years_outside_the_calendar_raise_calendar_unavailable(start: date, days: int):
    first, last = periods.supported_years()
    with pytest.raises(CalendarUnavailable, match=f"{first}.{last}") as info:
        deadline(start, days=days)
    assert isinstance(info.value, ValueError)


def test_is_working_day_outside_range_raises_instead_of_guessing():
    with pytest.raises(CalendarUnavailable):
        periods.is_working_day(date(2030, 10, 1))
    with pytest.raises(CalendarUnavailable):
        periods.working_days_between(date(2026, 12, 1), date(2027, 1, 10))


def test_pause_extends_by_paused_calendar_days():
    result = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 5), date(2026, 3, 9))])
    # 03-17 + 5 paused days = 03-22 (Sunday) → 03-23
    assert result.deadline == date(2026, 3, 23) and result.paused_days == 5
    assert result.skipped == [(date(2026, 3, 22), "周末")]


def test_overlapping_pauses_count_once_and_outside_pauses_do_nothing():
    overlapping = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 5), date(2026, 3, 9)),
                                                              (date(2026, 3, 8), date(2026, 3, 10))])
    assert overlapping.paused_days == 6 and overlapping.deadline == date(2026, 3, 23)
    outside = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 1, 1), date(2026, 3, 2)),
                                                          (date(2026, 4, 1), date(2026, 4, 30))])
    assert outside.deadline == deadline(date(2026, 3, 2), days=15).deadline and outside.paused_days == 0


def test_pause_on_month_rule_and_working_day_rule():
    months = deadline_with_pauses(date(2026, 3, 2), "adjudication_decision", [(date(2026, 6, 1), date(2026, 6, 10))])
    assert months.deadline == date(2026, 6, 12) and months.paused_days == 10
    working = deadline_with_pauses(date(2026, 3, 2), "adjudication_acceptance", [(date(2026, 3, 3), date(2026, 3, 4))])
    assert working.deadline == date(2026, 3, 11)
    with pytest.raises(ValueError):
        deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 9), date(2026, 3, 5))])


def test_as_dict_is_json_ready():
    body = deadline(date(2026, 9, 16), days=15).as_dict()
    assert body["deadline"] == "2026-10-08" and body["skipped"][0] == {"date": "2026-10-01", "reason": "国庆节"}


@settings(max_examples=150, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)), days=st.integers(0, 45))
def test_day_deadline_is_first_working_day_on_or_after_the_last_day(start: date, days: int):
    last = start + timedelta(days=days)
    result = deadline(start, days=days)
    assert isinstance(result.deadline, date) and cc.is_workday(result.deadline)
    assert result.deadline >= last
    between = [last + timedelta(days=i) for i in range((result.deadline - last).days)]
    assert [d for d, _ in result.skipped] == between and not any(cc.is_workday(d) for d in between)


def test_fast_workday_lookup_matches_chinese_calendar_on_every_supported_date():
    first, last = periods.supported_years()
    d = date(first, 1, 1)
    while d.year <= last:
        assert periods._workday(d) == cc.is_workday(d), d
        d += timedelta(days=1)
