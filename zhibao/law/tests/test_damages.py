"""Damages: worked examples per right type, punitive conditions, statutory ranges, and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from zhibao.law.damages import DamagesError, DamagesInput, calculate, ruleset_for, typed_references

D = Decimal
TODAY = date(2026, 11, 25)


def calc(**kwargs: object):
    return calculate(DamagesInput.model_validate(kwargs), on=TODAY)


# --- patent (专利法第七十一条) -----------------------------------------------------------------

def test_patent_uses_larger_of_loss_and_gains_and_says_why():
    result = calc(right_type="patent", actual_loss="100000", infringer_gains="250000")
    assert result.basis == "infringer_gains" and result.base == D("250000.00")
    assert "取较高" in result.steps[0].description and result.steps[0].legal_reference == "专利法第七十一条第一款"
    equal = calc(right_type="patent", actual_loss="5", infringer_gains="5")
    assert equal.basis == "actual_loss"


def test_patent_licence_fee_multiple_when_loss_and_gains_unproven():
    result = calc(right_type="patent", licence_fee="80000", licence_multiple="2.5", reasonable_costs="20000")
    assert (result.basis, result.base, result.total) == ("licence_fee", D("200000.00"), D("220000.00"))
    assert result.steps[-2].legal_reference == "专利法第七十一条第三款"  # costs


def test_patent_punitive_on_gains_excludes_costs_from_the_base():
    result = calc(right_type="patent", infringer_gains="300000", wilful=True, serious=True, punitive_multiple="3",
                  reasonable_costs="50000")
    assert result.punitive_applied and result.punitive_multiple == D("3")
    assert (result.base, result.compensation, result.total) == (D("300000.00"), D("900000.00"), D("950000.00"))
    assert any("法释〔2021〕4号" in s.description for s in result.steps)


def test_patent_statutory_within_range_and_out_of_range():
    result = calc(right_type="patent", statutory_amount="30000", reasonable_costs="1000")
    assert (result.basis, result.total) == ("statutory", D("31000.00"))
    assert result.steps[0].legal_reference == "专利法第七十一条第二款"
    assert calc(right_type="patent", statutory_amount="5000000").total == D("5000000.00")
    with pytest.raises(DamagesError, match="30,000.00 元以上、5,000,000.00 元以下"):
        calc(right_type="patent", statutory_amount="29999.99")
    with pytest.raises(DamagesError, match="5,000,000.00"):
        calc(right_type="patent", statutory_amount="5000000.01")


def test_statutory_never_takes_the_punitive_multiple():
    result = calc(right_type="patent", statutory_amount="100000", wilful=True, serious=True, punitive_multiple="5")
    assert not result.punitive_applied and result.total == D("100000.00") and result.punitive_multiple is None
    assert any("法释〔2021〕4号第五条" in w for w in result.warnings)


def test_patent_rules_before_2021_use_the_old_range_and_no_punitive():
    assert ruleset_for("patent", date(2020, 1, 1)).version == "patent@2009-10-01"
    old = calculate(DamagesInput(right_type="patent", statutory_amount=D("1000000")), on=date(2020, 1, 1))
    assert old.rule_version == "patent@2009-10-01"
    with pytest.raises(DamagesError, match="1,000,000.00"):
        calculate(DamagesInput(right_type="patent", statutory_amount=D("2000000")), on=date(2020, 1, 1))
    no_punitive = calculate(DamagesInput(right_type="patent", actual_loss=D("10"), wilful=True, serious=True,
                                         punitive_multiple=D("2")), on=date(2020, 1, 1))
    assert not no_punitive.punitive_applied and no_punitive.warnings


# --- trademark (商标法第六十三条) --------------------------------------------------------------

def test_trademark_strict_order_prefers_actual_loss_even_if_gains_larger():
    result = calc(right_type="trademark", actual_loss="100000", infringer_gains="900000")
    assert result.basis == "actual_loss" and result.total == D("100000.00")
    assert "法定顺序" in result.steps[1].description and result.steps[0].legal_reference == "商标法第六十三条第一款"


def test_trademark_gains_then_licence_multiple():
    assert calc(right_type="trademark", infringer_gains="70000.50").basis == "infringer_gains"
    result = calc(right_type="trademark", licence_fee="10000", licence_multiple="3")
    assert (result.basis, result.total) == ("licence_fee", D("30000.00"))


def test_trademark_punitive_five_times_with_malice_and_costs():
    result = calc(right_type="trademark", actual_loss="200000", wilful=True, serious=True, punitive_multiple="5",
                  reasonable_costs="30000")
    assert (result.compensation, result.total) == (D("1000000.00"), D("1030000.00"))
    assert "恶意" in result.steps[1].description


def test_trademark_statutory_up_to_five_million_and_2014_version_caps_punitive_at_three():
    assert calc(right_type="trademark", statutory_amount="0").total == D("0.00")
    with pytest.raises(DamagesError, match="5,000,000.00 元以下"):
        calc(right_type="trademark", statutory_amount="5000001")
    with pytest.raises(DamagesError, match="1–3"):
        calculate(DamagesInput(right_type="trademark", actual_loss=D("1"), wilful=True, serious=True,
                               punitive_multiple=D("4")), on=date(2018, 1, 1))


# --- copyright (著作权法第五十四条) ------------------------------------------------------------

def test_copyright_loss_or_gains_then_fee_without_multiple():
    assert calc(right_type="copyright", actual_loss="9000", infringer_gains="8000").basis == "actual_loss"
    result = calc(right_type="copyright", licence_fee="12000", licence_multiple="2")
    assert (result.basis, result.total) == ("licence_fee", D("12000.00"))
    assert any("不适用倍数" in w for w in result.warnings)
    assert result.steps[0].legal_reference == "著作权法第五十四条第一款"


def test_copyright_punitive_with_decimal_multiple_rounds_half_up_at_the_end():
    result = calc(right_type="copyright", infringer_gains="10000.005", wilful=True, serious=True,
                  punitive_multiple="1.5")
    # 10000.005 × 1.5 = 15000.0075 → 15000.01 (rounded once, at the end)
    assert result.compensation == D("15000.01") and result.base == D("10000.01")


def test_copyright_statutory_range_is_500_to_5_million():
    assert calc(right_type="copyright", statutory_amount="500").total == D("500.00")
    with pytest.raises(DamagesError, match="500.00 元以上"):
        calc(right_type="copyright", statutory_amount="499")


# --- trade secret (反不正当竞争法第十七条) ------------------------------------------------------

def test_trade_secret_strict_order_and_no_licence_basis():
    assert calc(right_type="trade_secret", actual_loss="1", infringer_gains="2").basis == "actual_loss"
    assert calc(right_type="trade_secret", infringer_gains="2").steps[0].legal_reference == "反不正当竞争法第十七条第三款"
    result = calc(right_type="trade_secret", licence_fee="50000", statutory_amount="400000")
    assert result.basis == "statutory" and any("许可使用费" in w for w in result.warnings)
    assert result.steps[0].legal_reference == "反不正当竞争法第十七条第四款"


def test_trade_secret_punitive_and_statutory_cap():
    result = calc(right_type="trade_secret", actual_loss="1000000", wilful=True, serious=True, punitive_multiple="2")
    assert result.total == D("2000000.00")
    with pytest.raises(DamagesError):
        calc(right_type="trade_secret", statutory_amount="5000000.01")


# --- conditions, errors and input validation -------------------------------------------------

@pytest.mark.parametrize(("wilful", "serious"), [(True, False), (False, True), (False, False)])
def test_punitive_needs_both_wilful_and_serious(wilful: bool, serious: bool):
    result = calc(right_type="patent", actual_loss="1000", wilful=wilful, serious=serious, punitive_multiple="3")
    assert not result.punitive_applied and result.total == D("1000.00") and result.warnings


def test_wilful_and_serious_without_multiple_warns():
    result = calc(right_type="patent", actual_loss="1000", wilful=True, serious=True)
    assert not result.punitive_applied and "punitive_multiple" in result.warnings[0]


def test_no_basis_and_no_statutory_amount_is_an_error():
    with pytest.raises(DamagesError, match="statutory_amount"):
        calc(right_type="copyright", reasonable_costs="100")


def test_statutory_amount_ignored_when_a_basis_is_proven():
    result = calc(right_type="copyright", actual_loss="800", statutory_amount="100000")
    assert result.basis == "actual_loss" and result.total == D("800.00") and result.warnings


@pytest.mark.parametrize(("field", "value"), [
    ("actual_loss", "-1"), ("actual_loss", "NaN"), ("infringer_gains", "Infinity"), ("licence_fee", "abc"),
    ("licence_multiple", "0"), ("licence_multiple", "5.01"), ("punitive_multiple", "0.5"),
    ("punitive_multiple", "6"), ("reasonable_costs", "-0.01"), ("statutory_amount", "inf"), ("surprise", "1"),
    ("right_type", "design"),
])
def test_invalid_inputs_are_rejected_naming_the_field(field: str, value: str):
    with pytest.raises(ValidationError) as info:
        DamagesInput.model_validate({"right_type": "patent", field: value} if field != "right_type"
                                    else {"right_type": value})
    assert field in str(info.value)


def test_decimal_strings_are_accepted_exactly():
    inp = DamagesInput.model_validate({"right_type": "patent", "actual_loss": "0.10", "reasonable_costs": "0.20"})
    assert calculate(inp, on=TODAY).total == D("0.30")


def test_result_serialises_money_as_strings():
    body = calc(right_type="patent", actual_loss="1").model_dump(mode="json")
    assert body["total"] == "1.00" and body["rule_version"] == "patent@2021-06-01"


# --- properties ------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
rights = st.sampled_from(["patent", "trademark", "copyright", "trade_secret"])
fields = st.sampled_from(["actual_loss", "infringer_gains", "licence_fee"])


@settings(max_examples=300, deadline=None)
@given(right=rights, loss=st.none() | money, gains=st.none() | money, fee=st.none() | money, field=fields,
       increase=st.decimals(min_value="0.01", max_value=1_000_000, places=2), wilful=st.booleans(),
       serious=st.booleans(), multiple=st.none() | st.decimals(min_value=1, max_value=5, places=1))
def test_total_never_decreases_when_a_proven_amount_increases(right, loss, gains, fee, field, increase, wilful,
                                                              serious, multiple):
    values = {"actual_loss": loss, "infringer_gains": gains, "licence_fee": fee}
    if values[field] is None:
        values[field] = D("0")
    common = {"right_type": right, "wilful": wilful, "serious": serious, "punitive_multiple": multiple,
              "statutory_amount": "30000"}
    try:
        before = calculate(DamagesInput.model_validate({**common, **values}), on=TODAY)
    except DamagesError:
        return  # e.g. trade secret with only a licence fee and a statutory amount out of range: not comparable
    after = calculate(DamagesInput.model_validate({**common, **values, field: values[field] + increase}), on=TODAY)
    assert after.total >= before.total


@settings(max_examples=200, deadline=None)
@given(right=rights, loss=money, wilful=st.booleans(), serious=st.booleans(),
       multiple=st.none() | st.decimals(min_value=1, max_value=5, places=2))
def test_punitive_applies_only_with_wilful_serious_and_multiple(right, loss, wilful, serious, multiple):
    result = calc(right_type=right, actual_loss=loss, wilful=wilful, serious=serious, punitive_multiple=multiple)
    assert result.punitive_applied == (wilful and serious and multiple is not None)
    if not result.punitive_applied:
        assert result.compensation == result.base


# --- typed references ------------------------------------------------------------------------

def test_typed_references_groups_quartiles_and_omits_small_groups():
    awards = [("patent", "电子", "制造", D(v)) for v in ("100", "200", "300", "400", "500")]
    awards += [("trademark", "服装", "销售", D("50")), ("trademark", "服装", "销售", D("70"))]
    groups = typed_references(awards, min_count=3)
    assert groups == [{"right_type": "patent", "industry": "电子", "infringement_type": "制造", "count": 5,
                       "median": D("300.00"), "q1": D("200.00"), "q3": D("400.00")}]
    both = typed_references(awards, min_count=2)
    assert both[1]["median"] == D("60.00") and both[1]["q1"] == D("55.00") and both[1]["q3"] == D("65.00")
    assert typed_references([], min_count=1) == []
