"""Journey for credit supervision (issue #7, "Done means"): a repeat infringer from the demo data is proposed by
the rule engine after its second decision, goes through notice, defence and decision, appears on the public page,
a procurement agency's token sees ``restricted: true``, and after repair it is withdrawn.

The repair becomes possible only 12 months after publication: that one step is simulated by applying with a
later ``now`` through the service (as the takedown journey runs its job with a later ``now``).
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check(page, live_server, raw: str, uscc: str) -> dict:  # noqa: ANN001
    r = page.request.get(f"{live_server.url}/api/v1/credit/check",
                         params={"uscc": uscc, "measure": "government_procurement", "purpose": "政府采购资格审查"},
                         headers={"Authorization": f"Bearer {raw}"})
    assert r.status == 200, r.text()
    return r.json()


def test_repeat_infringer_listed_checked_and_repaired(live_server, page, login, demo, orgs):  # noqa: ANN001
    from zhibao.accounts import services as accounts
    from zhibao.credit import services
    from zhibao.credit.models import Listing
    from zhibao.notifications.models import Notification

    fangmao = orgs["fangmao"]
    _, raw = accounts.issue_token(actor=demo["caigou"], name="政府采购核查", scopes=["credit:check"])
    assert _check(page, live_server, raw, fangmao.uscc)["restricted"] is False

    # the court liaison records the second infringement decision: the rule engine proposes a listing
    login("sunfayuan")
    page.goto(f"{live_server.url}/credit/facts/new/")
    page.fill("#id_uscc", fangmao.uscc)
    page.select_option("#id_kind", "court_judgment")
    page.fill("#id_occurred_on", "2026-10-20")
    page.fill("#id_source_ref", "(2026)京73民初1234号")
    page.fill("#id_authority", "北京知识产权法院")
    page.fill("#id_legal_basis", "《中华人民共和国商标法》第五十七条、第六十三条")
    page.fill("#id_summary", "销售侵犯“星河”注册商标专用权的商品，判决赔偿 30 万元")
    page.click("[data-testid=fact-form] button")
    page.get_by_test_id("file-listings").wait_for()
    assert "待审核" in page.get_by_test_id("listing-status").first.inner_text()

    # the credit officer reviews and serves the prior notice
    login("qianxinyong")
    page.goto(f"{live_server.url}/credit/dashboard/")
    page.get_by_test_id("proposals").get_by_role("link", name="北京仿冒商贸有限公司").click()
    page.get_by_test_id("review").click()
    page.get_by_test_id("serve-notice").click()
    page.get_by_test_id("statement-due").wait_for()
    listing = Listing.objects.get(organisation=fangmao)
    url = f"{live_server.url}/credit/listings/{listing.pk}/"

    # the entity reads the notice and states its defence
    login("fangmao")
    page.goto(url)
    assert "ZB-2024-000001" in page.get_by_test_id("notice-text").inner_text()
    page.fill("#id_text", "我方已停止销售并下架全部商品，请求不予列入。")
    page.click("[data-testid=statement-form] button")
    page.get_by_test_id("statement").wait_for()

    # decision and publication
    login("qianxinyong")
    page.goto(url)
    page.select_option("#id_list_entity", "1")
    page.fill("#id_reasons", "五年内两次被认定侵权；陈述申辩所称已停止销售不影响已认定的事实，不予采纳。")
    page.click("[data-testid=decision-form] button")
    page.get_by_test_id("publish").click()
    assert page.get_by_test_id("listing-status").inner_text() == "已公示"
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="credit.published").exists()

    # the public page (no login) shows it; the procurement agency's token is told restricted: true
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/credit/list/")
    assert "北京仿冒商贸有限公司" in page.get_by_test_id("public-list").inner_text()
    answer = _check(page, live_server, raw, fangmao.uscc)
    assert answer["restricted"] is True and answer["known"] is True
    assert answer["listings"][0]["decision_no"].startswith("京知信决")

    # a year later the entity applies for repair; the officer grants it on the page
    listing.refresh_from_db()
    later = dt.datetime.combine(listing.earliest_repair_on, dt.time(10), tzinfo=dt.UTC)
    services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid", "training_done"],
                          statement="已履行判决并参加信用修复培训", now=later)
    login("qianxinyong")
    page.goto(url)
    page.select_option("#id_approve", "1")
    page.fill("#id_reason", "已履行判决、完成培训，准予修复")
    page.click("[data-testid=repair-review-form] button")
    assert page.get_by_test_id("listing-status").inner_text() == "已移出（信用修复/撤销）"
    assert _check(page, live_server, raw, fangmao.uscc)["restricted"] is False
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/credit/orgs/{fangmao.pk}/")
    page.get_by_test_id("not-listed").wait_for()
    kinds = list(listing.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["proposed", "review", "notice", "statement", "decision", "publish", "repair_applied", "repaired"]
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="credit.repaired").exists()
