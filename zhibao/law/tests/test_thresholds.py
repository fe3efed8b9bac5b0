"""Criminal thresholds: dated interpretation sets, 从旧兼从轻, messages, and the transfer deadline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from zhibao.law import thresholds
from zhibao.law.thresholds import CaseFacts, check

D = Decimal


def facts(**kwargs: object) -> CaseFacts:
    return CaseFacts.model_validate(kwargs)


def test_counterfeit_mark_business_volume_over_50000_requires_transfer_within_3_days():
    findings = check(facts(right_type="trademark", act="counterfeit_mark", illegal_business_volume="62000",
                           date="2024-06-01", found_on="2024-06-05"))
    assert len(findings) == 1
    f = findings[0]
    assert f.transfer_required and f.met and f.threshold == D("50000") and "法释〔2004〕19号" in f.source
    assert f.message.startswith("非法经营数额 62,000.00 元 ≥ 50,000 元：涉嫌犯罪，应在3日内（2024-06-11 前）")
    assert f.transfer_deadline == date(2024, 6, 11)  # 06-08 Saturday, 06-09 Sunday, 06-10 Dragon Boat
    assert "国务院令第310号" in f.transfer_source


def test_transfer_deadline_over_2026_national_day():
    result = thresholds.transfer_deadline(date(2026, 9, 29))
    assert result.deadline == date(2026, 10, 8) and result.rule == "criminal_transfer_decision"


def test_gains_below_threshold_is_reported_without_transfer():
    findings = check(facts(right_type="trademark", act="counterfeit_mark", illegal_gains="29999.99",
                           date="2024-06-01"))
    assert not thresholds.transfer_required(findings) and findings[0].transfer_deadline is None
    assert findings[0].message == "违法所得数额 29,999.99 元 < 30,000 元：未达到假冒注册商标罪的追诉标准"


def test_facts_from_2025_04_26_use_the_2025_interpretation_marked_check():
    early = check(facts(right_type="trademark", act="counterfeit_mark", illegal_gains="30000", date="2025-04-25",
                        found_on="2025-04-25"))
    late = check(facts(right_type="trademark", act="counterfeit_mark", illegal_gains="30000", date="2025-04-26"))
    assert early[0].rule.endswith("@2004") and late[0].rule.endswith("@2025")
    assert "法释〔2025〕5号" in late[0].source and "[check]" in late[0].source
    assert late[0].transfer_required  # ≥ is inclusive


def test_interpretation_sets_replace_each_other_and_rows_within_a_set_apply_from_their_own_date():
    copies = {on: thresholds.thresholds_in_force("copyright_infringement", on)
              for on in (date(2006, 1, 1), date(2007, 4, 5), date(2026, 1, 1))}
    by_figure = {on: {t.figure: t.amount for t in rows} for on, rows in copies.items()}
    assert by_figure[date(2006, 1, 1)]["copies"] == D(1000)   # 法释〔2004〕19号
    assert by_figure[date(2007, 4, 5)]["copies"] == D(500)    # 法释〔2007〕6号
    assert {t.version for t in copies[date(2026, 1, 1)]} == {"2025"}
    secret = {t.figure: t.amount for t in thresholds.thresholds_in_force("trade_secret", date(2019, 1, 1))}
    assert secret == {"loss": D(500000)}  # illegal gains only counted from 法释〔2020〕10号
    assert thresholds.thresholds_in_force("trade_secret", date(2004, 1, 1)) == []


def test_both_interpretations_are_kept_as_data_with_sources_marked_check():
    versions = {(t.act, t.version) for t in thresholds.THRESHOLDS}
    assert ("counterfeit_mark", "2004") in versions and ("counterfeit_mark", "2025") in versions
    assert all(t.source and t.effective and "[check]" in t.source for t in thresholds.THRESHOLDS)


def test_lenient_older_threshold_applies_to_an_act_before_the_change():
    # act in 2019 (loss threshold 500,000 under 法释〔2004〕19号), handled in 2021 (300,000 under 法释〔2020〕10号)
    findings = check(facts(right_type="trade_secret", act="trade_secret", loss="400000", illegal_gains="400000",
                           date="2019-06-01", found_on="2021-03-01"))
    assert [f.figure for f in findings] == ["loss"]  # gains did not count under the law at the time
    assert findings[0].threshold == D(500000) and not findings[0].transfer_required
    assert "从旧兼从轻取行为时标准" in findings[0].message
    handled_then = check(facts(right_type="trade_secret", act="trade_secret", loss="400000", date="2021-01-01"))
    assert handled_then[0].threshold == D(300000) and handled_then[0].transfer_required
    assert "从旧兼从轻" not in handled_then[0].message


def test_copyright_copies_threshold_1000_then_500():
    below = check(facts(right_type="copyright", act="copyright_infringement", copies=499, date="2026-01-01"))
    assert not below[0].transfer_required and below[0].message.startswith("复制品数量 499 张（份） < 500 张（份）")
    assert check(facts(right_type="copyright", act="copyright_infringement", copies=500,
                       date="2026-01-01"))[0].transfer_required
    old = check(facts(right_type="copyright", act="copyright_infringement", copies=800, date="2006-01-01",
                      found_on="2006-02-01"))
    assert old[0].threshold == D(1000) and not old[0].transfer_required


def test_trade_secret_findings_are_in_figure_order():
    findings = check(facts(right_type="trade_secret", act="trade_secret", loss="300000", illegal_gains="1",
                           date="2026-01-01"))
    assert [f.figure for f in findings] == ["illegal_gains", "loss"]
    assert thresholds.transfer_required(findings)


def test_brief_spellings_of_acts_are_accepted():
    for alias, canonical in (("counterfeit_trademark", "counterfeit_mark"),
                             ("pirate_copyright", "copyright_infringement")):
        right = "trademark" if canonical == "counterfeit_mark" else "copyright"
        assert facts(right_type=right, act=alias).act == canonical


def test_act_must_belong_to_the_right():
    with pytest.raises(ValueError, match="不属于"):
        check(facts(right_type="copyright", act="counterfeit_mark", illegal_gains="1"))


def test_no_figures_no_findings_and_calendar_gaps_are_explained_not_guessed():
    assert check(facts(right_type="trademark", act="sell_counterfeit", date="2026-01-01")) == []
    far = check(facts(right_type="trademark", act="sell_counterfeit", illegal_gains="40000", date="2026-01-01",
                      found_on="2027-03-01"))
    assert far[0].transfer_required and far[0].transfer_deadline is None and "截止日无法计算" in far[0].message


@pytest.mark.parametrize("body", [
    {"right_type": "trademark", "act": "counterfeit_mark", "illegal_gains": "-1"},
    {"right_type": "trademark", "act": "counterfeit_mark", "illegal_gains": "NaN"},
    {"right_type": "trademark", "act": "counterfeit_mark", "unknown": 1},
    {"right_type": "trademark", "act": "arson"},
    {"right_type": "trademark", "act": "counterfeit_mark", "date": "2025-02-30"},
    {"right_type": "trademark", "act": "counterfeit_mark", "copies": -1},
])
def test_invalid_facts_are_rejected(body: dict[str, object]):
    with pytest.raises(ValidationError):
        CaseFacts.model_validate(body)
