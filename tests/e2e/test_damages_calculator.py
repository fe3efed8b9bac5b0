"""Journey: an officer uses the damages calculator; the total updates as they type (issue 6)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_calculator_updates_as_you_type_and_shows_legal_references(live_server, page, login, demo):  # noqa: ANN001
    login("wangzhifa")
    page.goto(f"{live_server.url}/law/damages/")
    page.select_option("#id_right_type", "trademark")
    page.fill("#id_actual_loss", "100000")
    page.fill("#id_reasonable_costs", "20000")
    page.wait_for_function("document.querySelector('[data-testid=damages-total]')?.innerText === '120000.00'")
    page.check("#id_wilful")
    page.check("#id_serious")
    page.fill("#id_punitive_multiple", "3")
    page.wait_for_function("document.querySelector('[data-testid=damages-total]').innerText === '320000.00'")
    assert "商标法第六十三条" in page.get_by_test_id("damages-result").inner_text()
    page.fill("#id_punitive_multiple", "9")
    page.get_by_test_id("damages-errors").wait_for()
    assert "punitive_multiple" in page.get_by_test_id("damages-errors").inner_text()
