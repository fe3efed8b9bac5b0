"""Named statutory periods: data with sources and effective dates, extensions, and paused clocks."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from zhibao.law import periods
from zhibao.law._data import DataError
from zhibao.law.periods import deadline, deadline_for, deadline_with_pauses

BJ = timezone(timedelta(hours=8))
BRIEF_RULES = {"ecommerce_counter_notice", "ecommerce_notarisation_extension", "adjudication_acceptance",
               "adjudication_decision", "criminal_transfer_decision", "criminal_handover",
               "mediation_judicial_confirmation", "fair_complaint", "credit_statement_defence",
               "trademark_opposition",
               # case clocks (issue #4): enforcement filing/decision, police review, mediation reply
               "enforcement_filing", "enforcement_decision", "police_review", "mediation_reply"}


def test_every_rule_of_the_brief_is_in_the_table_with_source_and_effective_date():
    assert set(periods.RULES) == BRIEF_RULES
    for rule in periods.RULE_VERSIONS:
        assert rule.source and rule.title and rule.effective.year >= 2001 and rule.amount > 0


@pytest.mark.parametrize(("name", "unit", "amount", "source_fragment"), [
    ("ecommerce_counter_notice", "days", 15, "电子商务法》第四十三条"),
    ("ecommerce_notarisation_extension", "working_days", 20, "法释〔2020〕9号"),
    ("adjudication_acceptance", "working_days", 5, "专利行政执法办法"),
    ("adjudication_decision", "months", 3, "专利行政执法办法"),
    ("criminal_transfer_decision", "days", 3, "国务院令第310号"),
    ("criminal_handover", "hours", 24, "国务院令第310号"),
    ("mediation_judicial_confirmation", "days", 30, "人民调解法"),
    ("fair_complaint", "hours", 24, "展会知识产权保护办法"),
    ("credit_statement_defence", "working_days", 5, "严重违法失信名单管理办法"),
    ("trademark_opposition", "months", 3, "商标法》第三十三条"),
])
def test_named_rules_carry_unit_amount_and_chinese_citation(name: str, unit: str, amount: int,
                                                            source_fragment: str):
    rule = periods.get_rule(name)
    assert (rule.unit, rule.amount) == (unit, amount) and source_fragment in rule.source
    start: date | datetime = datetime(2026, 3, 2, 9, 0, tzinfo=BJ) if unit == "hours" else date(2026, 3, 2)
    result = deadline_for(name, start)
    assert result.deadline > start and result.rule == name and source_fragment in result.source
    assert result.title == rule.title


def test_counter_notice_rule_over_2026_national_day():
    result = deadline_for("ecommerce_counter_notice", date(2026, 9, 16))
    assert result.deadline == date(2026, 10, 8) and len(result.skipped) == 7
    assert result.as_dict()["skipped"][0] == {"date": "2026-10-01", "reason": "国庆节"}


def test_notarisation_extension_is_20_working_days_over_spring_festival_2026():
    result = deadline_for("ecommerce_notarisation_extension", date(2026, 2, 2))
    # Feb 3-6 (4), 9-13 (9), 14 调休 (10), festival 15-23, 24-27 (14), 28 调休 (15), Mar 2-6 (20)
    assert result.deadline == date(2026, 3, 6)
    assert periods.working_days_between(date(2026, 2, 2), date(2026, 3, 6)) == 20


def test_criminal_transfer_decision_rolls_off_a_weekend_and_handover_is_24_hours():
    assert deadline_for("criminal_transfer_decision", date(2026, 11, 4)).deadline == date(2026, 11, 9)
    handover = deadline_for("criminal_handover", datetime(2026, 9, 30, 15, 30, tzinfo=BJ))
    assert handover.deadline == datetime(2026, 10, 1, 15, 30, tzinfo=BJ) and handover.skipped == []
    with pytest.raises(ValueError, match="时区"):
        deadline_for("fair_complaint", date(2026, 9, 30))


def test_trademark_opposition_three_months_from_announcement():
    assert deadline_for("trademark_opposition", date(2026, 7, 1)).deadline == date(2026, 10, 8)
    # 2025-11-30 + 3 months clamps to 2026-02-28, a Saturday declared a working day (调休): no roll-forward
    assert deadline_for("trademark_opposition", date(2025, 11, 30)).deadline == date(2026, 2, 28)


def test_adjudication_decision_three_months_plus_one_extension():
    plain = deadline_for("adjudication_decision", date(2026, 6, 5))
    extended = deadline_for("adjudication_decision", date(2026, 6, 5), extended=True)
    assert plain.deadline == date(2026, 9, 7) and plain.skipped == [(date(2026, 9, 5), "周末"),
                                                                     (date(2026, 9, 6), "周末")]
    assert extended.deadline == date(2026, 10, 8) and extended.amount == 4 and extended.extended
    with pytest.raises(ValueError, match="不允许延长"):
        deadline_for("ecommerce_counter_notice", date(2026, 6, 5), extended=True)


def test_extension_runs_from_the_end_of_the_original_period_with_month_end_clamping():
    # 2023-11-30 + 3 months = 2024-02-29 (clamped); + 1 month = 2024-03-29 (Friday).
    # Adding 4 months at once would give 2024-03-30 (Saturday) → 04-01: a different, later answer.
    assert deadline_for("adjudication_decision", date(2023, 11, 30)).deadline == date(2024, 2, 29)
    assert deadline_for("adjudication_decision", date(2023, 11, 30), extended=True).deadline == date(2024, 3, 29)
    assert deadline(date(2023, 11, 30), months=4).deadline == date(2024, 4, 1)


def test_rule_before_its_effective_date_is_refused():
    with pytest.raises(ValueError, match="自 2019-01-01 起施行"):
        deadline_for("ecommerce_counter_notice", date(2018, 12, 1))


def test_unknown_rule_lists_the_known_ones():
    with pytest.raises(ValueError, match="ecommerce_counter_notice"):
        deadline_for("no_such_rule", date(2026, 3, 2))


def _draft(tmp_path: Path, extra: list[dict]) -> Path:
    path = tmp_path / "period_rules.json"
    rows = json.loads((Path(periods.__file__).parent / "data" / "period_rules.json").read_text("utf-8"))["rows"]
    path.write_text(json.dumps({"rows": rows + extra}, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_amendment_is_a_new_row_and_applies_from_its_effective_date(tmp_path: Path, monkeypatch):
    amended = {"name": "ecommerce_counter_notice", "title": "（假设的修订）", "unit": "days", "amount": 20,
               "source": "假设的修订条文", "effective": "2026-07-01", "extension": None, "note": ""}
    monkeypatch.setattr(periods, "RULE_VERSIONS", periods.load_rules(_draft(tmp_path, [amended])))
    assert deadline_for("ecommerce_counter_notice", date(2026, 6, 30)).amount == 15
    later = deadline_for("ecommerce_counter_notice", date(2026, 7, 1))
    assert later.amount == 20 and later.source.startswith("假设的修订条文")


def test_a_bad_row_in_the_table_is_reported_with_the_table_name(tmp_path: Path):
    bad = {"name": "x", "title": "x", "unit": "weeks", "amount": 1, "source": "s", "effective": "2020-01-01"}
    with pytest.raises(DataError, match="period_rules.json"):
        periods.load_rules(_draft(tmp_path, [bad]))
    no_source = {**bad, "unit": "days", "source": " "}
    with pytest.raises(DataError):
        periods.load_rules(_draft(tmp_path, [no_source]))


# --- paused clocks ---------------------------------------------------------------------------

def test_pause_extends_a_day_period_by_the_paused_days():
    result = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 5), date(2026, 3, 9))])
    # 03-17 + 5 paused days = 03-22 (Sunday) → 03-23
    assert result.deadline == date(2026, 3, 23) and result.paused_days == 5
    assert result.skipped == [(date(2026, 3, 22), "周末")]


def test_overlapping_and_adjacent_pauses_count_once():
    overlapping = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 5), date(2026, 3, 9)),
                                                              (date(2026, 3, 8), date(2026, 3, 10))])
    assert overlapping.paused_days == 6 and overlapping.deadline == date(2026, 3, 23)
    adjacent = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 7), date(2026, 3, 9)),
                                                           (date(2026, 3, 5), date(2026, 3, 6))])
    assert adjacent.paused_days == 5 and adjacent.deadline == date(2026, 3, 23)


def test_pauses_outside_the_period_change_nothing():
    plain = deadline(date(2026, 3, 2), days=15)
    outside = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 1, 1), date(2026, 3, 2)),
                                                          (date(2026, 4, 1), date(2026, 4, 30))])
    assert outside.deadline == plain.deadline and outside.paused_days == 0
    assert deadline_with_pauses(date(2026, 3, 2), 15, []).deadline == plain.deadline


def test_a_pause_that_falls_inside_only_once_the_period_has_grown_still_counts():
    # 03-03..03-09 (7), pause 03-10..12, 03-13..03-17 (12), pause 03-18, 03-19..03-21 (15) → Saturday → 03-23
    result = deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 10), date(2026, 3, 12)),
                                                         (date(2026, 3, 18), date(2026, 3, 18))])
    assert result.deadline == date(2026, 3, 23) and result.paused_days == 4


def test_pause_on_month_rule_and_working_day_rule():
    months = deadline_with_pauses(date(2026, 3, 2), "adjudication_decision", [(date(2026, 6, 1), date(2026, 6, 10))])
    assert months.deadline == date(2026, 6, 12) and months.paused_days == 10 and months.rule == "adjudication_decision"
    working = deadline_with_pauses(date(2026, 3, 2), "adjudication_acceptance", [(date(2026, 3, 3), date(2026, 3, 4))])
    assert working.deadline == date(2026, 3, 11) and working.paused_days == 2
    extended = deadline_with_pauses(date(2026, 3, 2), "adjudication_decision",
                                    [(date(2026, 6, 1), date(2026, 6, 10))], extended=True)
    assert extended.deadline == date(2026, 7, 13) and extended.extended  # 07-02 + 10 = 07-12 (Sunday)


def test_bad_pauses_are_refused():
    with pytest.raises(ValueError, match="中止区间"):
        deadline_with_pauses(date(2026, 3, 2), 15, [(date(2026, 3, 9), date(2026, 3, 5))])
    with pytest.raises(ValueError, match="不支持中止"):
        deadline_with_pauses(datetime(2026, 3, 2, 9, tzinfo=BJ), "criminal_handover",
                             [(date(2026, 3, 2), date(2026, 3, 3))])
