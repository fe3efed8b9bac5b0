"""Damages properties (hypothesis), the versioned rules table, and reference ranges of past awards."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.law import damages
from zhibao.law._data import DataError
from zhibao.law.damages import DamagesError, DamagesInput, calculate, typed_references

D = Decimal
TODAY = date(2026, 11, 25)

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
rights = st.sampled_from(["patent", "trademark", "copyright", "trade_secret"])
fields = st.sampled_from(["actual_loss", "infringer_gains", "licence_fee"])
multiples = st.none() | st.decimals(min_value=1, max_value=5, places=2)


@settings(max_examples=300, deadline=None)
@given(right=rights, loss=st.none() | money, gains=st.none() | money, fee=st.none() | money, field=fields,
       increase=st.decimals(min_value="0.01", max_value=1_000_000, places=2), wilful=st.booleans(),
       serious=st.booleans(), multiple=multiples, costs=money)
def test_total_never_decreases_when_a_proven_amount_increases(right, loss, gains, fee, field, increase, wilful,
                                                              serious, multiple, costs):
    values = {"actual_loss": loss, "infringer_gains": gains, "licence_fee": fee}
    if values[field] is None:
        values[field] = D("0")
    common = {"right_type": right, "wilful": wilful, "serious": serious, "punitive_multiple": multiple,
              "statutory_amount": "30000", "reasonable_costs": costs}
    try:
        before = calculate(DamagesInput.model_validate({**common, **values}), on=TODAY)
    except DamagesError:
        return  # e.g. trade secret with only a licence fee: statutory applies; no proven basis to increase
    after = calculate(DamagesInput.model_validate({**common, **values, field: values[field] + increase}), on=TODAY)
    assert after.total >= before.total


@settings(max_examples=200, deadline=None)
@given(right=rights, loss=money, wilful=st.booleans(), serious=st.booleans(), multiple=multiples,
       on=st.sampled_from([TODAY, date(2020, 1, 1)]))
def test_punitive_applies_only_with_wilful_serious_multiple_and_a_version_that_allows_it(
        right, loss, wilful, serious, multiple, on):
    rules = damages.ruleset_for(right, on)
    try:
        result = calculate(DamagesInput(right_type=right, actual_loss=loss, wilful=wilful, serious=serious,
                                        punitive_multiple=multiple), on=on)
    except DamagesError as exc:  # a multiple above an old version's cap
        assert exc.field == "punitive_multiple" and rules.punitive_max is not None and multiple > rules.punitive_max
        return
    allowed = rules.punitive_max is not None
    assert result.punitive_applied == (wilful and serious and multiple is not None and allowed)
    if not result.punitive_applied:
        assert result.compensation == result.base and result.punitive_multiple is None
    if multiple is not None and not result.punitive_applied:
        assert result.warnings  # never silently ignored


@settings(max_examples=200, deadline=None)
@given(right=rights, loss=st.none() | money, gains=st.none() | money, costs=money, multiple=multiples,
       statutory=st.decimals(min_value=30000, max_value=5_000_000, places=2))
def test_total_is_compensation_plus_costs_and_costs_are_never_multiplied(right, loss, gains, costs, multiple,
                                                                         statutory):
    inp = DamagesInput(right_type=right, actual_loss=loss, infringer_gains=gains, wilful=True, serious=True,
                       punitive_multiple=multiple, reasonable_costs=costs, statutory_amount=statutory)
    result = calculate(inp, on=TODAY)
    assert result.total == result.compensation + result.reasonable_costs
    without_costs = calculate(inp.model_copy(update={"reasonable_costs": D("0")}), on=TODAY)
    assert without_costs.compensation == result.compensation
    if result.basis == "statutory":
        assert not result.punitive_applied and result.compensation == statutory


# --- the rules table is data ---------------------------------------------------------------------

def test_every_version_has_references_and_the_current_ranges_match_the_domain_notes():
    for rs in damages.RULESETS:
        assert rs.ref_bases and rs.ref_statutory and rs.ref_costs and rs.version.startswith(rs.right_type)
    current = {r: damages.ruleset_for(r, TODAY) for r in ("patent", "trademark", "copyright", "trade_secret")}
    ranges = {r: (rs.statutory_min, rs.statutory_max, rs.punitive_max) for r, rs in current.items()}
    assert ranges == {"patent": (D(30000), D(5000000), D(5)), "trademark": (D(0), D(5000000), D(5)),
                      "copyright": (D(500), D(5000000), D(5)), "trade_secret": (D(0), D(5000000), D(5))}
    assert [current[r].strict_order for r in ("patent", "trademark", "copyright", "trade_secret")] == [
        False, True, False, True]


def _draft(tmp_path: Path, extra: list[dict]) -> Path:
    source = Path(damages.__file__).parent / "data" / "damages_rules.json"
    rows = json.loads(source.read_text("utf-8"))["rows"]
    path = tmp_path / "damages_rules.json"
    path.write_text(json.dumps({"rows": rows + extra}, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_amendment_is_a_new_row_not_a_code_change(tmp_path: Path):
    amended = {"right_type": "patent", "version": "patent@2030-01-01", "effective": "2030-01-01",
               "law": "专利法（假设的修正）", "strict_order": False, "licence_basis": "multiple",
               "statutory_min": "50000", "statutory_max": "10000000", "punitive_max": "5",
               "ref_bases": "假设第一款", "ref_statutory": "假设第二款", "ref_costs": "假设第三款", "wilful_word": "故意"}
    table = damages.load_rulesets(_draft(tmp_path, [amended]))
    inp = DamagesInput(right_type="patent", statutory_amount=D("8000000"))
    with pytest.raises(DamagesError):
        calculate(inp, on=TODAY, rulesets=table)
    result = calculate(inp, on=date(2030, 6, 1), rulesets=table)
    assert result.rule_version == "patent@2030-01-01" and result.steps[0].legal_reference == "假设第二款"


def test_a_bad_rules_row_fails_loading_with_the_table_name(tmp_path: Path):
    bad = {"right_type": "design", "version": "x", "effective": "2030-01-01", "law": "x", "strict_order": True,
           "licence_basis": "none", "statutory_min": "0", "statutory_max": "1", "punitive_max": None,
           "ref_bases": "x", "ref_statutory": "x", "ref_costs": "x", "wilful_word": "故意"}
    with pytest.raises(DataError, match="damages_rules.json"):
        damages.load_rulesets(_draft(tmp_path, [bad]))
    with pytest.raises(DataError):
        damages.load_rulesets(_draft(tmp_path, [{**bad, "right_type": "patent", "statutory_min": "2"}]))


# --- typed references --------------------------------------------------------------------------

def test_typed_references_groups_quartiles_and_omits_small_groups():
    awards = [("patent", "电子", "制造", D(v)) for v in ("500", "100", "300", "200", "400")]
    awards += [("trademark", "服装", "销售", D("50")), ("trademark", "服装", "销售", "70")]
    groups = typed_references(awards, min_count=3)
    assert [g.model_dump() for g in groups] == [{
        "right_type": "patent", "industry": "电子", "infringement_type": "制造", "count": 5, "median": D("300.00"),
        "q1": D("200.00"), "q3": D("400.00"), "minimum": D("100.00"), "maximum": D("500.00")}]
    both = typed_references(awards, min_count=2)
    assert [g.right_type for g in both] == ["patent", "trademark"]
    assert (both[1].median, both[1].q1, both[1].q3) == (D("60.00"), D("55.00"), D("65.00"))
    assert typed_references([], min_count=1) == []
    assert typed_references([("patent", "a", "b", 0.1)], min_count=0)[0].median == D("0.10")


@pytest.mark.parametrize("amount", ["-1", "abc", "NaN", None])
def test_typed_references_reject_bad_amounts(amount: object):
    with pytest.raises(ValueError, match="判赔金额"):
        typed_references([("patent", "a", "b", amount)], min_count=1)  # type: ignore[list-item]


@settings(max_examples=100, deadline=None)
@given(st.lists(money, min_size=1, max_size=30))
def test_quartiles_are_ordered_within_the_range(values: list[Decimal]):
    (group,) = typed_references([("patent", "x", "y", v) for v in values], min_count=1)
    assert group.minimum <= group.q1 <= group.median <= group.q3 <= group.maximum and group.count == len(values)
