"""Damages: worked examples per right type and basis, punitive conditions, statutory ranges, versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from zhibao.law.damages import DamagesError, DamagesInput, calculate, ruleset_for

D = Decimal
TODAY = date(2026, 11, 25)


def calc(on: date = TODAY, **kwargs: object):
    return calculate(DamagesInput.model_validate(kwargs), on=on)


# --- patent (专利法第七十一条) -----------------------------------------------------------------

def test_patent_actual_loss_alone():
    result = calc(right_type="patent", actual_loss="120000")
    assert (result.basis, result.base, result.total, result.rule_version) == (
        "actual_loss", D("120000.00"), D("120000.00"), "patent@2021-06-01")
    assert result.steps[0].legal_reference == "专利法第七十一条第一款"


def test_patent_uses_larger_of_loss_and_gains_and_says_why():
    result = calc(right_type="patent", actual_loss="100000", infringer_gains="250000")
    assert result.basis == "infringer_gains" and result.base == D("250000.00")
    assert "二者择一" in result.steps[0].description and "取较高" in result.steps[0].description
    assert calc(right_type="patent", actual_loss="5", infringer_gains="5").basis == "actual_loss"
    assert calc(right_type="patent", actual_loss="9", infringer_gains="5").basis == "actual_loss"


def test_patent_licence_fee_multiple_when_loss_and_gains_unproven():
    result = calc(right_type="patent", licence_fee="80000", licence_multiple="2.5", reasonable_costs="20000")
    assert (result.basis, result.base, result.compensation, result.total) == (
        "licence_fee", D("200000.00"), D("200000.00"), D("220000.00"))
    assert "2.5 倍" in result.steps[0].description
    assert result.steps[-2].legal_reference == "专利法第七十一条第三款"  # costs paragraph


def test_patent_punitive_on_gains_excludes_costs_from_the_base():
    result = calc(right_type="patent", infringer_gains="300000", wilful=True, serious=True, punitive_multiple="3",
                  reasonable_costs="50000")
    assert result.punitive_applied and result.punitive_multiple == D("3")
    assert (result.base, result.compensation, result.reasonable_costs, result.total) == (
        D("300000.00"), D("900000.00"), D("50000.00"), D("950000.00"))
    assert any("法释〔2021〕4号" in s.description for s in result.steps)


def test_patent_punitive_on_licence_fee_basis():
    result = calc(right_type="patent", licence_fee="10000", licence_multiple="2", wilful=True, serious=True,
                  punitive_multiple="2")
    assert (result.basis, result.base, result.total) == ("licence_fee", D("20000.00"), D("40000.00"))


def test_patent_statutory_within_range_and_out_of_range():
    result = calc(right_type="patent", statutory_amount="30000", reasonable_costs="1000")
    assert (result.basis, result.total) == ("statutory", D("31000.00"))
    assert result.steps[0].legal_reference == "专利法第七十一条第二款"
    assert calc(right_type="patent", statutory_amount="5000000").total == D("5000000.00")
    with pytest.raises(DamagesError, match="30,000.00 元以上、5,000,000.00 元以下") as low:
        calc(right_type="patent", statutory_amount="29999.99")
    assert low.value.field == "statutory_amount"
    with pytest.raises(DamagesError, match="5,000,000.00"):
        calc(right_type="patent", statutory_amount="5000000.01")


def test_statutory_never_takes_the_punitive_multiple():
    result = calc(right_type="patent", statutory_amount="100000", wilful=True, serious=True, punitive_multiple="5")
    assert not result.punitive_applied and result.total == D("100000.00") and result.punitive_multiple is None
    assert any("法释〔2021〕4号第五条" in w for w in result.warnings)


def test_patent_2008_law_keeps_strict_order_old_range_and_no_punitive():
    on = date(2020, 1, 1)
    assert ruleset_for("patent", on).version == "patent@2009-10-01"
    both = calc(on, right_type="patent", actual_loss="100", infringer_gains="900")
    assert both.basis == "actual_loss" and both.steps[0].legal_reference == "专利法（2008年修正）第六十五条第一款"
    assert calc(on, right_type="patent", statutory_amount="1000000").rule_version == "patent@2009-10-01"
    with pytest.raises(DamagesError, match="10,000.00 元以上、1,000,000.00 元以下"):
        calc(on, right_type="patent", statutory_amount="2000000")
    no_punitive = calc(on, right_type="patent", actual_loss="10", wilful=True, serious=True, punitive_multiple="2")
    assert not no_punitive.punitive_applied and "未规定惩罚性赔偿" in no_punitive.warnings[0]


# --- trademark (商标法第六十三条) --------------------------------------------------------------

def test_trademark_strict_order_prefers_actual_loss_even_if_gains_larger():
    result = calc(right_type="trademark", actual_loss="100000", infringer_gains="900000")
    assert result.basis == "actual_loss" and result.total == D("100000.00")
    assert "顺序" in result.steps[1].description and result.steps[0].legal_reference == "商标法第六十三条第一款"


def test_trademark_gains_then_licence_multiple():
    assert calc(right_type="trademark", infringer_gains="70000.50").basis == "infringer_gains"
    result = calc(right_type="trademark", licence_fee="10000", licence_multiple="3")
    assert (result.basis, result.total) == ("licence_fee", D("30000.00"))


def test_trademark_punitive_five_times_with_malice_and_costs():
    result = calc(right_type="trademark", actual_loss="200000", wilful=True, serious=True, punitive_multiple="5",
                  reasonable_costs="30000")
    assert (result.compensation, result.total) == (D("1000000.00"), D("1030000.00"))
    assert "恶意" in result.steps[1].description


def test_trademark_statutory_up_to_five_million():
    assert calc(right_type="trademark", statutory_amount="0").total == D("0.00")
    result = calc(right_type="trademark", statutory_amount="5000000")
    assert result.steps[0].legal_reference == "商标法第六十三条第三款"
    with pytest.raises(DamagesError, match="5,000,000.00 元以下"):
        calc(right_type="trademark", statutory_amount="5000001")


def test_trademark_2013_law_caps_punitive_at_three_and_statutory_at_three_million():
    on = date(2018, 1, 1)
    assert calc(on, right_type="trademark", actual_loss="1", wilful=True, serious=True,
                punitive_multiple="3").total == D("3.00")
    with pytest.raises(DamagesError, match="1–3") as info:
        calc(on, right_type="trademark", actual_loss="1", wilful=True, serious=True, punitive_multiple="4")
    assert info.value.field == "punitive_multiple"
    with pytest.raises(DamagesError, match="3,000,000.00 元以下"):
        calc(on, right_type="trademark", statutory_amount="3000001")


# --- copyright (著作权法第五十四条) ------------------------------------------------------------

def test_copyright_loss_or_gains_then_fee_without_multiple():
    assert calc(right_type="copyright", actual_loss="9000", infringer_gains="8000").basis == "actual_loss"
    assert calc(right_type="copyright", actual_loss="8000", infringer_gains="9000").basis == "infringer_gains"
    result = calc(right_type="copyright", licence_fee="12000", licence_multiple="2")
    assert (result.basis, result.total) == ("licence_fee", D("12000.00"))
    assert any("不适用倍数" in w for w in result.warnings)
    assert result.steps[0].legal_reference == "著作权法第五十四条第一款"


def test_copyright_punitive_with_decimal_multiple_rounds_half_up_at_the_end():
    result = calc(right_type="copyright", infringer_gains="10000.005", wilful=True, serious=True,
                  punitive_multiple="1.5")
    # 10000.005 × 1.5 = 15000.0075 → 15000.01 (rounded once, at the end; rounding the base first gives .02)
    assert result.compensation == D("15000.01") and result.base == D("10000.01")


def test_copyright_statutory_range_is_500_to_5_million():
    assert calc(right_type="copyright", statutory_amount="500").total == D("500.00")
    with pytest.raises(DamagesError, match="500.00 元以上"):
        calc(right_type="copyright", statutory_amount="499")


def test_copyright_2010_law_strict_order_no_fee_basis_and_500k_cap():
    on = date(2015, 6, 1)
    assert calc(on, right_type="copyright", actual_loss="1", infringer_gains="2").basis == "actual_loss"
    result = calc(on, right_type="copyright", licence_fee="5000", statutory_amount="20000")
    assert result.basis == "statutory" and any("许可使用费" in w for w in result.warnings)
    with pytest.raises(DamagesError, match="500,000.00 元以下"):
        calc(on, right_type="copyright", statutory_amount="500001")


# --- trade secret (反不正当竞争法) -------------------------------------------------------------

def test_trade_secret_strict_order_and_no_licence_basis():
    on = date(2024, 1, 1)
    assert calc(on, right_type="trade_secret", actual_loss="1", infringer_gains="2").basis == "actual_loss"
    gains = calc(on, right_type="trade_secret", infringer_gains="2")
    assert gains.steps[0].legal_reference == "反不正当竞争法（2019年修正）第十七条第三款"
    result = calc(on, right_type="trade_secret", licence_fee="50000", statutory_amount="400000")
    assert result.basis == "statutory" and any("许可使用费" in w for w in result.warnings)
    assert result.steps[0].legal_reference == "反不正当竞争法（2019年修正）第十七条第四款"


def test_trade_secret_2025_revision_applies_from_october_15_and_is_marked_check():
    assert ruleset_for("trade_secret", date(2025, 10, 14)).version == "trade_secret@2019-04-23"
    result = calc(right_type="trade_secret", actual_loss="1000000", wilful=True, serious=True, punitive_multiple="2")
    assert result.rule_version == "trade_secret@2025-10-15" and result.total == D("2000000.00")
    assert "[check]" in result.steps[0].legal_reference
    with pytest.raises(DamagesError):
        calc(right_type="trade_secret", statutory_amount="5000000.01")


def test_no_rules_before_the_first_stored_version():
    with pytest.raises(DamagesError, match="没有可用的商业秘密赔偿规则") as info:
        calc(date(2019, 1, 1), right_type="trade_secret", actual_loss="1")
    assert info.value.field == "right_type"


# --- conditions, errors and input validation -------------------------------------------------

@pytest.mark.parametrize(("wilful", "serious", "missing"), [(True, False, "情节严重"), (False, True, "故意侵权"),
                                                            (False, False, "故意侵权、情节严重")])
def test_punitive_needs_both_wilful_and_serious(wilful: bool, serious: bool, missing: str):
    result = calc(right_type="patent", actual_loss="1000", wilful=wilful, serious=serious, punitive_multiple="3")
    assert not result.punitive_applied and result.total == D("1000.00")
    assert result.warnings == [f"惩罚性赔偿需同时具备故意侵权和情节严重，缺少：{missing}；未适用倍数"]


def test_wilful_and_serious_without_multiple_warns():
    result = calc(right_type="patent", actual_loss="1000", wilful=True, serious=True)
    assert not result.punitive_applied and "punitive_multiple" in result.warnings[0]


def test_no_basis_and_no_statutory_amount_is_an_error():
    with pytest.raises(DamagesError, match="statutory_amount") as info:
        calc(right_type="copyright", reasonable_costs="100")
    assert info.value.field == "statutory_amount"


def test_statutory_amount_ignored_when_a_basis_is_proven():
    result = calc(right_type="copyright", actual_loss="800", statutory_amount="100000")
    assert result.basis == "actual_loss" and result.total == D("800.00") and result.warnings


def test_zero_is_a_proven_amount_not_a_missing_one():
    result = calc(right_type="trademark", actual_loss="0", infringer_gains="5000")
    assert result.basis == "actual_loss" and result.total == D("0.00")


@pytest.mark.parametrize(("field", "value"), [
    ("actual_loss", "-1"), ("actual_loss", "NaN"), ("infringer_gains", "Infinity"), ("licence_fee", "abc"),
    ("licence_fee", "1,000"), ("actual_loss", "1e16"), ("actual_loss", "0.00001"), ("actual_loss", True),
    ("licence_multiple", "0"), ("licence_multiple", "5.01"), ("punitive_multiple", "0.5"),
    ("punitive_multiple", "6"), ("reasonable_costs", "-0.01"), ("statutory_amount", "inf"), ("surprise", "1"),
    ("right_type", "design"), ("evidence_notes", "x" * 10001),
])
def test_invalid_inputs_are_rejected_naming_the_field(field: str, value: object):
    body = {"right_type": "patent", field: value} if field != "right_type" else {"right_type": value}
    with pytest.raises(ValidationError) as info:
        DamagesInput.model_validate(body)
    assert field in str(info.value)


def test_decimal_strings_and_floats_are_accepted_exactly():
    inp = DamagesInput.model_validate({"right_type": "patent", "actual_loss": "0.10", "reasonable_costs": 0.2})
    assert calculate(inp, on=TODAY).total == D("0.30")


def test_total_is_exactly_compensation_plus_costs_even_with_sub_fen_inputs():
    result = calc(right_type="patent", actual_loss="0.005", reasonable_costs="0.005")
    assert (result.compensation, result.reasonable_costs, result.total) == (D("0.01"), D("0.01"), D("0.02"))


def test_result_serialises_money_as_strings_and_steps_end_with_the_total():
    body = calc(right_type="patent", actual_loss="1", reasonable_costs="2").model_dump(mode="json")
    assert body["total"] == "3.00" and body["rule_version"] == "patent@2021-06-01"
    assert body["steps"][-1]["description"] == "合计：赔偿 1.00 元 + 合理开支 2.00 元 = 3.00 元"
    assert all(s["legal_reference"] for s in body["steps"])
