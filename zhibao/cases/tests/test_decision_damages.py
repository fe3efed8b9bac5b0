"""Damages computed by law at decision time (赔偿低): the award, its basis and every step with its article are kept
with the decision, shown on the case page and printed on the decision document."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from zhibao.cases import services
from zhibao.cases.models import Decision
from zhibao.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _investigating(file_case, demo):  # noqa: ANN001, ANN202
    case = file_case()
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    services.advance(actor=officer, case=case, action="investigate")
    return case, officer


def test_wilful_serious_infringement_gets_punitive_damages_computed_by_law(file_case, demo):  # noqa: ANN001
    case, officer = _investigating(file_case, demo)
    decision = services.decide(actor=officer, case=case, infringement_found=True, wilful=True,
                               legal_basis="《商标法》第六十三条", damages_calculation={
                                   "infringer_gains": "100000", "serious": True, "punitive_multiple": "3",
                                   "reasonable_costs": "8000"})
    result = decision.damages_calculation["result"]
    assert decision.damages == Decimal("308000.00")  # 100,000 × 3 + 8,000 costs (costs are not multiplied)
    assert result["punitive_applied"] is True and result["basis"] == "infringer_gains"
    assert decision.damages_calculation["input"]["right_type"] == "trademark"
    assert any("商标法" in step["legal_reference"] for step in result["steps"])


def test_punitive_multiple_is_ignored_without_wilfulness(file_case, demo):  # noqa: ANN001
    case, officer = _investigating(file_case, demo)
    decision = services.decide(actor=officer, case=case, infringement_found=True, wilful=False,
                               legal_basis="《商标法》第六十三条", damages_calculation={
                                   "actual_loss": "50000", "serious": True, "punitive_multiple": "3"})
    assert decision.damages == Decimal("50000.00")
    assert decision.damages_calculation["result"]["punitive_applied"] is False


def test_a_stated_award_that_differs_from_the_calculation_is_refused(file_case, demo):  # noqa: ANN001
    case, officer = _investigating(file_case, demo)
    with pytest.raises(InvalidInput) as exc:
        services.decide(actor=officer, case=case, infringement_found=True, legal_basis="《商标法》第六十三条",
                        damages="99999", damages_calculation={"actual_loss": "50000"})
    assert "50000.00" in str(exc.value)
    with pytest.raises(InvalidInput) as exc:
        services.decide(actor=officer, case=case, infringement_found=True, legal_basis="《商标法》第六十三条",
                        damages_calculation={"statutory_amount": "9000000"})  # above the trademark ceiling
    assert "damages_calculation" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        services.decide(actor=officer, case=case, infringement_found=True, legal_basis="《商标法》第六十三条",
                        damages_calculation={"actual_loss": "-1"})
    assert "actual_loss" in str(exc.value)
    assert not Decision.objects.filter(case=case).exists()


def test_decision_through_the_api_and_the_page_with_the_calculation_printed(file_case, demo, client_as):  # noqa: ANN001
    case, _ = _investigating(file_case, demo)
    officer = client_as("wangzhifa")
    bad = officer.post(f"/api/v1/cases/{case.number}/decision", data=json.dumps({
        "infringement_found": True, "legal_basis": "《商标法》第六十三条",
        "damages_calculation": {"actual_loss": "abc"}}), content_type="application/json")
    assert bad.status_code == 400 and "damages_calculation" in bad.json()["errors"]
    page = officer.get(f"/cases/{case.number}/").content.decode()
    version = int(page.split('name="decision-expected_version" value="')[1].split('"')[0])
    posted = officer.post(f"/cases/{case.number}/", {
        "form": "decision", "decision-infringement_found": "on", "decision-penalty_amount": "0",
        "decision-legal_basis": "《商标法》第六十三条", "decision-calc_licence_fee": "20000",
        "decision-calc_licence_multiple": "2", "decision-calc_reasonable_costs": "3000",
        "decision-expected_version": version})
    assert posted.status_code in (200, 302), posted.content[:500]
    decision = Decision.objects.get(case=case)
    assert decision.damages == Decimal("43000.00") and decision.damages_calculation["result"]["basis"] == "licence_fee"
    page = officer.get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="damages-calculation"' in page and "43000.00" in page
    pdf = officer.get(f"/cases/{case.number}/decision.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    api = client_as("xinghe").get(f"/api/v1/cases/{case.number}").json()
    assert api["decision"]["damages_calculation"]["result"]["total"] == "43000.00"


def test_a_malformed_stated_award_beside_a_calculation_is_a_field_error(file_case, demo):  # noqa: ANN001
    case, officer = _investigating(file_case, demo)
    with pytest.raises(InvalidInput) as exc:
        services.decide(actor=officer, case=case, infringement_found=True, legal_basis="《商标法》第六十三条",
                        damages="abc", damages_calculation={"actual_loss": "50000"})
    assert exc.value.errors["damages"] == ["金额格式有误"]
