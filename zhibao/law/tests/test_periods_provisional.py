"""Provisional clocks: a year without a published holiday arrangement is estimated only on request, and says so.

chinesecalendar 1.11 knows 2004–2026; in November 2026 a case already has deadlines in 2027.
"""

from __future__ import annotations

from datetime import date

import pytest

from zhibao.law import periods


def test_without_provisional_a_2027_deadline_is_still_an_error():
    with pytest.raises(periods.CalendarUnavailable):
        periods.deadline(date(2026, 12, 20), days=15)


def test_a_2026_deadline_is_never_marked_provisional():
    result = periods.deadline(date(2026, 9, 16), days=15, provisional=True)
    assert result.deadline == date(2026, 10, 8)
    assert result.provisional is False and result.warnings == []


def test_spring_festival_2027_moves_a_provisional_deadline_and_is_named():
    # 2026-12-31 + 37 days = 2027-02-06 (正月初一, Saturday): 02-06, 02-07 (Sun), 02-08 (初三, Mon) rest → 02-09
    result = periods.deadline(date(2026, 12, 31), days=37, provisional=True)
    assert result.deadline == date(2027, 2, 9)
    assert [d for d, _ in result.skipped] == [date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]
    assert "春节" in result.skipped[0].reason and "放假安排未发布" in result.skipped[0].reason
    assert result.provisional_years == [2027]
    assert "2027" in result.warnings[0] and "须重新计算" in result.warnings[0]


def test_provisional_working_days_skip_new_year_and_weekends():
    # 2026-12-30 (Wed) + 3 working days: 12-31 (Thu) 1, 2027-01-01 元旦 (Fri) rest, 01-02/03 weekend, 01-04 (Mon) 2, 01-05 3
    result = periods.deadline(date(2026, 12, 30), working_days=3, provisional=True)
    assert result.deadline == date(2027, 1, 5)
    assert [d for d, _ in result.skipped] == [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)]


def test_adjudication_decision_started_in_november_gets_a_flagged_estimate():
    result = periods.deadline_for("adjudication_decision", date(2026, 11, 25), provisional=True)
    assert result.deadline == date(2027, 2, 25) and result.provisional
    assert result.as_dict()["provisional"] is True and result.as_dict()["warnings"]


def test_provisional_reaches_only_one_year_past_the_published_calendar():
    with pytest.raises(periods.CalendarUnavailable):
        periods.deadline(date(2026, 12, 1), days=400, provisional=True)


def test_pauses_work_provisionally_too():
    result = periods.deadline_with_pauses(date(2026, 12, 20), 15, [(date(2026, 12, 24), date(2026, 12, 25))],
                                          provisional=True)
    assert result.paused_days == 2 and result.deadline == date(2027, 1, 6) and result.provisional


def test_a_failed_provisional_computation_leaves_strict_mode_strict():
    with pytest.raises(periods.CalendarUnavailable):
        periods.deadline(date(2026, 12, 1), days=800, provisional=True)
    with pytest.raises(periods.CalendarUnavailable):
        periods.deadline(date(2026, 12, 20), days=15)


def test_cli_provisional_flag_prints_the_estimate_and_the_warning(capsys):
    from zhibao.law import cli

    assert cli.main(["deadline", "--start", "2026-12-20", "--days", "15", "--provisional", "--json"]) == 0
    import json

    body = json.loads(capsys.readouterr().out)
    assert body["deadline"] == "2027-01-04" and body["provisional"] is True and body["provisional_years"] == [2027]
    assert cli.main(["deadline", "--start", "2026-12-20", "--days", "15"]) == 2
