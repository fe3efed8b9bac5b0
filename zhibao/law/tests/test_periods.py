"""Statutory clocks across the 2025/2026 Spring Festival and National Day holidays and 调休 weekends.

The holiday facts asserted here are those of the State Council arrangements as shipped in
``chinese_calendar`` 1.11; each one is also checked against the package, so a wrong hand-typed date
in a test fails loudly instead of agreeing with a wrong implementation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.law import periods
from zhibao.law.periods import CalendarUnavailable, RestDay, deadline

BJ = timezone(timedelta(hours=8))


def _days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


# --- the calendar facts the clocks rely on (read from the package, asserted as known dates) ---------

ADJUSTED_WORKING_WEEKENDS = {
    2025: [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)],
    2026: [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
           date(2026, 10, 10)],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_adjusted_working_weekends_are_the_known_dates(year: int):
    from_package = sorted(d for d in cc.workdays if d.year == year)
    assert from_package == ADJUSTED_WORKING_WEEKENDS[year]
    for d in from_package:
        assert d.weekday() >= 5 and periods.is_working_day(d)


def test_spring_festival_and_national_day_blocks_are_the_known_dates():
    assert [periods.rest_reason(d) for d in _days(date(2025, 1, 28), 8)] == ["春节"] * 8
    assert [periods.rest_reason(d) for d in _days(date(2026, 2, 15), 9)] == ["春节"] * 9
    assert [periods.rest_reason(d) for d in _days(date(2026, 10, 1), 7)] == ["国庆节"] * 7
    assert periods.rest_reason(date(2025, 10, 6)) == "中秋节"  # 2025: Mid-autumn falls inside National Day
    assert periods.is_working_day(date(2025, 2, 5)) and periods.is_working_day(date(2026, 2, 24))
    assert periods.is_working_day(date(2026, 10, 8))
    assert not periods.is_working_day(date(2026, 10, 11)) and periods.rest_reason(date(2026, 10, 11)) == "周末"


# --- day periods -----------------------------------------------------------------------------

def test_counter_notice_example_2026_09_16_plus_15_days_ends_on_october_8():
    result = deadline(date(2026, 9, 16), days=15)  # last day 2026-10-01, National Day 10-01..10-07
    assert result.deadline == date(2026, 10, 8)
    assert result.skipped == [RestDay(d, "国庆节") for d in _days(date(2026, 10, 1), 7)]
    assert result.skipped[0].date == date(2026, 10, 1) and result.skipped[0].reason == "国庆节"
    assert result.rule is None and "民法典" in result.source and (result.unit, result.amount) == ("days", 15)


def test_start_day_is_not_counted():
    assert deadline(date(2026, 3, 2), days=1).deadline == date(2026, 3, 3)  # Monday → Tuesday
    assert deadline(date(2026, 3, 2), days=0).deadline == date(2026, 3, 2)


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
    (date(2025, 1, 24), date(2025, 2, 8)),    # Saturday worked after the 2025 Spring Festival
    (date(2025, 9, 13), date(2025, 9, 28)),   # Sunday worked before the 2025 National Day
    (date(2026, 1, 30), date(2026, 2, 14)),   # Saturday worked before the 2026 Spring Festival
    (date(2026, 2, 13), date(2026, 2, 28)),   # Saturday worked after the 2026 Spring Festival
    (date(2026, 9, 5), date(2026, 9, 20)),    # Sunday worked before the 2026 National Day
    (date(2026, 9, 25), date(2026, 10, 10)),  # Saturday worked after the 2026 National Day
])
def test_adjusted_working_weekend_day_is_a_valid_last_day(start: date, last: date):
    result = deadline(start, days=(last - start).days)
    assert result.deadline == last and result.skipped == []


def test_ordinary_weekend_moves_to_monday_with_reason():
    result = deadline(date(2026, 11, 6), days=1)
    assert result.deadline == date(2026, 11, 9)
    assert result.skipped == [(date(2026, 11, 7), "周末"), (date(2026, 11, 8), "周末")]


def test_datetime_start_counts_from_its_date():
    assert deadline(datetime(2026, 9, 16, 23, 59, tzinfo=BJ), days=15).deadline == date(2026, 10, 8)


# --- working days ----------------------------------------------------------------------------

def test_working_days_pass_over_national_day_and_count_adjusted_saturday():
    result = deadline(date(2026, 9, 30), working_days=5)
    assert result.deadline == date(2026, 10, 13)  # 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
    assert result.skipped[:7] == [(d, "国庆节") for d in _days(date(2026, 10, 1), 7)]
    assert result.skipped[7:] == [(date(2026, 10, 11), "周末")]
    assert periods.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert periods.working_days_between(date(2026, 10, 13), date(2026, 9, 30)) == -5
    assert periods.working_days_between(date(2026, 10, 1), date(2026, 10, 1)) == 0


def test_working_days_over_2025_spring_festival_count_the_working_sunday():
    result = deadline(date(2025, 1, 24), working_days=5)
    # 01-26 (调休 Sunday), 01-27, then the festival 01-28..02-04, then 02-05, 02-06, 02-07
    assert result.deadline == date(2025, 2, 7)
    assert date(2025, 1, 26) not in [d for d, _ in result.skipped]


def test_working_days_over_2026_spring_festival_count_both_working_saturdays():
    result = deadline(date(2026, 2, 13), working_days=3)  # 02-14 (调休 Sat), festival, 02-24, 02-25
    assert result.deadline == date(2026, 2, 25)
    assert periods.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5  # 14, 24, 25, 26, 27
    assert periods.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # + 调休 Saturday 28
    assert periods.working_days_between(date(2026, 2, 13), date(2026, 3, 1)) == 6   # Sunday 03-01 rests


# --- months ----------------------------------------------------------------------------------

def test_month_period_clamps_to_month_end_and_keeps_adjusted_saturday():
    assert periods.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert deadline(date(2026, 1, 31), months=1).deadline == date(2026, 2, 28)  # 调休 Saturday
    assert deadline(date(2024, 1, 31), months=1).deadline == date(2024, 2, 29)  # leap year
    assert periods.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert periods.add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)


def test_month_period_ending_in_national_day_rolls_forward():
    result = deadline(date(2026, 7, 1), months=3)
    assert result.deadline == date(2026, 10, 8) and len(result.skipped) == 7


# --- hours -----------------------------------------------------------------------------------

def test_hour_periods_run_on_aware_datetimes_without_holiday_roll():
    start = datetime(2026, 9, 30, 15, 30, tzinfo=BJ)
    result = deadline(start, hours=24)
    assert result.deadline == datetime(2026, 10, 1, 15, 30, tzinfo=BJ) and result.skipped == []
    assert deadline(start, hours=48).deadline == start + timedelta(hours=48)
    with pytest.raises(ValueError, match="时区"):
        deadline(datetime(2026, 9, 30, 15, 30), hours=24)
    with pytest.raises(ValueError, match="时区"):
        deadline(date(2026, 9, 30), hours=24)


# --- errors ----------------------------------------------------------------------------------

def test_exactly_one_unit_and_no_negative_amounts():
    with pytest.raises(ValueError, match="只需要一个"):
        deadline(date(2026, 3, 2))
    with pytest.raises(ValueError, match="只需要一个"):
        deadline(date(2026, 3, 2), days=1, months=1)
    with pytest.raises(ValueError, match="负数"):
        deadline(date(2026, 3, 2), days=-1)


@pytest.mark.parametrize(("start", "kwargs"), [
    (date(2026, 12, 20), {"days": 15}),          # lands in 2027
    (date(2003, 12, 1), {"days": 1}),            # starts before 2004
    (date(2027, 1, 4), {"days": 0}),
    (date(2026, 12, 28), {"working_days": 5}),   # runs into 2027
    (date(2026, 11, 30), {"months": 2}),
    (date(2026, 1, 1), {"days": 10**9}),         # beyond any calendar, no OverflowError
    (date(2026, 1, 1), {"months": 10**6}),
])
def test_dates_outside_the_calendar_raise_calendar_unavailable_naming_the_range(start: date, kwargs: dict):
    first, last = periods.supported_years()
    with pytest.raises(CalendarUnavailable, match=f"{first}–{last}") as info:
        deadline(start, **kwargs)
    assert isinstance(info.value, ValueError)


def test_helpers_outside_the_range_raise_instead_of_guessing():
    assert periods.supported_years() == (2004, 2026)  # chinese_calendar 1.11
    with pytest.raises(CalendarUnavailable):
        periods.is_working_day(date(2030, 10, 1))
    with pytest.raises(CalendarUnavailable):
        periods.rest_reason(date(2003, 10, 1))
    with pytest.raises(CalendarUnavailable):
        periods.working_days_between(date(2026, 12, 1), date(2027, 1, 10))


def test_huge_hour_period_is_a_value_error_not_an_overflow():
    with pytest.raises(ValueError, match="过长"):
        deadline(datetime(2026, 1, 1, tzinfo=BJ), hours=10**12)


# --- properties ------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30)), days=st.integers(0, 30))
def test_day_deadline_is_first_working_day_on_or_after_the_last_day(start: date, days: int):
    last = start + timedelta(days=days)
    result = deadline(start, days=days)
    assert isinstance(result.deadline, date) and cc.is_workday(result.deadline)
    between = [last + timedelta(days=i) for i in range((result.deadline - last).days)]
    assert [d for d, _ in result.skipped] == between and not any(cc.is_workday(d) for d in between)


@settings(max_examples=100, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)), n=st.integers(1, 25))
def test_working_day_deadline_agrees_with_working_days_between(start: date, n: int):
    result = deadline(start, working_days=n)
    assert isinstance(result.deadline, date) and cc.is_workday(result.deadline)
    assert periods.working_days_between(start, result.deadline) == n
    assert len(result.skipped) == (result.deadline - start).days - n


def test_fast_workday_lookup_matches_chinese_calendar_on_every_supported_date():
    first, last = periods.supported_years()
    d = date(first, 1, 1)
    while d.year <= last:
        assert periods._workday(d) == cc.is_workday(d), d
        d += timedelta(days=1)
