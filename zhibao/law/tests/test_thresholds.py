"""Criminal thresholds: dated versions, messages, and the transfer flag."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from zhibao.law import thresholds
from zhibao.law.thresholds import CaseFacts, check


def test_counterfeit_mark_business_volume_over_50000_requires_transfer():
    findings = check(CaseFacts(right_type="trademark", act="counterfeit_mark", illegal_business_volume=Decimal("62000"),
                               date=date(2024, 6, 1)))
    assert len(findings) == 1
    f = findings[0]
    assert f.transfer_required and f.threshold == Decimal("50000") and "法释〔2004〕19号" in f.source
    assert f.message.startswith("非法经营数额 62,000.00 元 ≥ 50,000 元：涉嫌犯罪，应在3日内")


def test_gains_below_threshold_is_reported_without_transfer():
    findings = check(CaseFacts(right_type="trademark", act="counterfeit_mark", illegal_gains=Decimal("29999.99"),
                               date=date(2024, 6, 1)))
    assert not thresholds.transfer_required(findings) and "<" in findings[0].message
    assert "未达到假冒注册商标罪" in findings[0].message


def test_facts_from_2025_04_26_use_the_2025_interpretation_marked_check():
    early = check(CaseFacts(right_type="trademark", act="counterfeit_mark", illegal_gains=Decimal("30000"),
                            date=date(2025, 4, 25)))
    late = check(CaseFacts(right_type="trademark", act="counterfeit_mark", illegal_gains=Decimal("30000"),
                           date=date(2025, 4, 26)))
    assert early[0].rule.endswith("@2004") and late[0].rule.endswith("@2025")
    assert "法释〔2025〕5号" in late[0].source and "[check]" in late[0].source
    assert late[0].transfer_required  # ≥ is inclusive


def test_both_interpretations_are_kept_as_data():
    versions = {(t.act, t.version) for t in thresholds.THRESHOLDS}
    assert ("counterfeit_mark", "2004") in versions and ("counterfeit_mark", "2025") in versions
    assert all(t.source and t.effective for t in thresholds.THRESHOLDS)


def test_copyright_copies_threshold_500():
    findings = check(CaseFacts(right_type="copyright", act="copyright_infringement", copies=499,
                               date=date(2026, 1, 1)))
    assert not findings[0].transfer_required and findings[0].message.startswith("复制品数量 499 张（份） <")
    assert check(CaseFacts(right_type="copyright", act="copyright_infringement", copies=500))[0].transfer_required


def test_trade_secret_loss_threshold():
    findings = check(CaseFacts(right_type="trade_secret", act="trade_secret", loss=Decimal("300000"),
                               illegal_gains=Decimal("1"), date=date(2026, 1, 1)))
    assert [f.figure for f in findings] == ["illegal_gains", "loss"]
    assert thresholds.transfer_required(findings)


def test_act_must_belong_to_the_right():
    with pytest.raises(ValueError, match="不属于"):
        check(CaseFacts(right_type="copyright", act="counterfeit_mark", illegal_gains=Decimal("1")))


@pytest.mark.parametrize("body", [
    {"right_type": "trademark", "act": "counterfeit_mark", "illegal_gains": "-1"},
    {"right_type": "trademark", "act": "counterfeit_mark", "unknown": 1},
    {"right_type": "trademark", "act": "arson"},
    {"right_type": "trademark", "act": "counterfeit_mark", "date": "2025-02-30"},
])
def test_invalid_facts_are_rejected(body: dict[str, object]):
    with pytest.raises(ValidationError):
        CaseFacts.model_validate(body)
