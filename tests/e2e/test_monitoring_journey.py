"""Journeys: an administrator imports a trademark announcement with a planted look-alike; 星河科技 gets the
alert, opens the side-by-side view, confirms it (one click → evidence deposit) and opens the draft; and a
platform listing screened after the commit ends on the takedown notice form prefilled with the deposit."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANNOUNCEMENT = ("申请号,商标名称,类别,申请人,申请人统一社会信用代码,初审公告日期,公告期号\n"
                "79100001,星河智联,9,深圳某电子有限公司,,2026-11-20,第1969期\n"
                "79100002,蓝鲸湾,9,北京蓝鲸湾科技有限公司,,2026-11-20,第1969期\n")


def test_announcement_alert_side_by_side_capture_and_draft(live_server, page, login, demo, tmp_path):  # noqa: ANN001
    csv_file = tmp_path / "announcement.csv"
    csv_file.write_text(ANNOUNCEMENT, encoding="utf-8")

    login("haidian")
    page.goto(f"{live_server.url}/monitoring/import/")
    page.set_input_files("#id_file", str(csv_file))
    page.click("form.panel button[type=submit]")
    assert "已导入 2 条" in page.get_by_test_id("import-result").inner_text()

    login("xinghe")
    page.goto(f"{live_server.url}/monitoring/?q=星河智联")
    table = page.get_by_test_id("alerts-table")
    assert "蓝鲸湾" not in page.content()
    table.get_by_role("link", name="星河智联").first.click()

    pair = page.get_by_test_id("side-by-side")
    assert page.get_by_test_id("left-name").inner_text() in ("星河", "XINGHE")
    assert page.get_by_test_id("right-name").inner_text() == "星河智联"
    assert "第 9 类" in pair.inner_text()
    assert "第三十三条" in page.get_by_test_id("deadline").inner_text()
    assert page.get_by_test_id("alert-status").inner_text() == "待处理"

    page.get_by_test_id("confirm").click()
    assert page.get_by_test_id("alert-status").inner_text() == "已确认"
    deposit_no = page.get_by_test_id("deposit").get_by_role("link").first.inner_text()
    assert deposit_no.startswith("ZBCZ")

    page.get_by_role("link", name="起草异议").click()
    assert "商标异议要点" in page.get_by_test_id("draft-title").inner_text()
    assert page.get_by_test_id("draft-deposit").inner_text() == deposit_no
    assert "星河智联" in page.get_by_test_id("draft").inner_text()

    page.get_by_test_id("draft-deposit").click()  # the deposit itself, on the evidence page
    assert deposit_no in page.content()


def test_platform_listing_alert_to_prefilled_notice_citing_the_deposit(live_server, page, login, demo):  # noqa: ANN001
    """A listing registered by the platform is screened after the commit; 星河 confirms the alert (deposit),
    opens the draft and lands on the takedown notice form prefilled with the listing and the deposit."""
    from zhibao.takedown import services as takedown
    from zhibao.takedown.models import Platform

    takedown.register_listings(actor=demo["jinggou"], platform=Platform.objects.get(), listings=[
        {"listing_id": "JG-8800", "title": "猩河智能音箱 官方正品", "url": "https://shop.example.com/item/88",
         "seller_name": "某网店"}])

    login("xinghe")
    page.goto(f"{live_server.url}/monitoring/?q=猩河智能音箱")
    page.get_by_test_id("alerts-table").get_by_role("link", name="猩河智能音箱 官方正品").first.click()
    assert "电商商品" in page.get_by_test_id("side-by-side").inner_text()
    page.get_by_test_id("confirm").click()
    assert page.get_by_test_id("alert-status").inner_text() == "已确认"
    deposit_no = page.get_by_test_id("deposit").get_by_role("link").first.inner_text()
    page.get_by_role("link", name="起草通知").click()
    assert page.get_by_test_id("draft-title").inner_text() == "侵权通知（草稿）"
    draft = page.get_by_test_id("draft").inner_text()
    assert "https://shop.example.com/item/88" in draft and "电子商务法》第四十二条" in draft
    assert page.get_by_test_id("to-complaint").is_visible()

    page.get_by_test_id("to-notice").click()  # the notice form, prefilled from the alert
    assert page.get_by_test_id("prefill-deposit").inner_text() == deposit_no
    assert page.input_value("#id_deposit_nos") == deposit_no
    assert deposit_no in page.input_value("#id_statement")
    assert page.input_value("#id_listings").startswith("JG-8800 | https://shop.example.com/item/88 | 猩河智能音箱")
    assert page.input_value("#id_goods_class") == "9"
    assert page.locator("#id_platform option:checked").inner_text() == "京购商城"
    assert page.locator("input[name=rights]:checked").count() == 1
