# ruff: noqa: F811 - pytest fixtures imported from the cases tests are parameters here
"""Typed compensation references: decided awards grouped by kind, shown only from enough cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhibao.cases import services as case_services
from zhibao.cases.tests.conftest import file_case, xinghe_deposit  # noqa: F401, F811 - fixtures shared with cases tests

pytestmark = pytest.mark.django_db


def _decide_awards(file_case, demo, amounts):  # noqa: ANN001, ANN202
    officer = demo["wangzhifa"]
    for amount in amounts:
        case = file_case()
        case_services.accept(actor=officer, case=case)
        case_services.advance(actor=officer, case=case, action="investigate")
        case_services.decide(actor=officer, case=case, infringement_found=True, damages=str(amount),
                             legal_basis="《商标法》第六十三条")
        case_services.close(actor=officer, case=case, reason="已履行")


def test_references_need_the_minimum_count_then_show_median_and_quartiles(file_case, demo, client_as, settings):  # noqa: ANN001
    settings.ZHIBAO_REFERENCE_MIN_COUNT = 3
    client = client_as("xinghe")
    assert client.get("/api/v1/law/references", {"right_type": "trademark"}).json() == []
    _decide_awards(file_case, demo, [10000, 30000, 50000, 90000])
    groups = client.get("/api/v1/law/references", {"right_type": "trademark"}).json()
    assert len(groups) == 1 and groups[0]["count"] == 4
    assert Decimal(groups[0]["median"]) == Decimal("40000.00")
    assert Decimal(groups[0]["q1"]) == Decimal("25000.00") and Decimal(groups[0]["q3"]) == Decimal("60000.00")
    assert client.get("/api/v1/law/references", {"right_type": "patent"}).json() == []


def test_damages_page_shows_the_reference_chart_or_says_why_not(file_case, demo, client_as, settings):  # noqa: ANN001
    settings.ZHIBAO_REFERENCE_MIN_COUNT = 2
    client = client_as("xinghe")
    assert 'data-testid="references-empty"' in client.get("/law/damages/").content.decode()
    _decide_awards(file_case, demo, [20000, 40000])
    html = client.get("/law/damages/", {"right_type": "trademark"}).content.decode()
    assert "<svg" in html and "四分位区间" in html and "30000.00" in html


def test_awards_of_cases_still_open_are_not_references_yet(file_case, demo, client_as, settings):  # noqa: ANN001
    settings.ZHIBAO_REFERENCE_MIN_COUNT = 1
    officer = demo["wangzhifa"]
    case = file_case()
    case_services.accept(actor=officer, case=case)
    case_services.advance(actor=officer, case=case, action="investigate")
    case_services.decide(actor=officer, case=case, infringement_found=True, damages="70000",
                         legal_basis="《商标法》第六十三条")
    client = client_as("xinghe")
    assert client.get("/api/v1/law/references", {"right_type": "trademark"}).json() == []
    case_services.close(actor=officer, case=case, reason="已履行")
    assert client.get("/api/v1/law/references", {"right_type": "trademark"}).json()[0]["count"] == 1
