"""Journeys for notice-and-takedown (issue #8): time is simulated by running the lifting job with a later ``now``.

(a) notice → removal → counter-notice → 15 days pass with no complaint → listing restored;
(b) the same, but the notifier shows a lawsuit → the clock stops and the listing stays down;
(d) relisting and malicious-notice flags are shown to the platform in its queue.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _file_notice(page, live_server, listing_id: str, title: str, seller_uscc: str) -> None:  # noqa: ANN001
    from zhibao.rights.models import Right

    mark = Right.objects.get(number="45678901")
    page.goto(f"{live_server.url}/takedown/notices/new/")
    page.check(f"input[name=rights][value='{mark.pk}']")
    page.fill("#id_goods_class", "9")
    page.fill("#id_listings", f"{listing_id} | https://mall.jinggou.example/item/{listing_id} | {title} | {seller_uscc}")
    page.fill("#id_statement", "商品标题与图片使用“星河”注册商标，系未经许可的同类商品；承诺通知内容真实。")
    page.click("[data-testid=notice-form] button[type=submit]")
    page.get_by_test_id("item-table").wait_for()


def _remove_and_counter(page, live_server, login, demo, listing_id: str) -> int:  # noqa: ANN001
    from zhibao.evidence import services as evidence
    from zhibao.takedown.models import NoticeItem

    item = NoticeItem.objects.get(listing__listing_id=listing_id)
    url = f"{live_server.url}/takedown/items/{item.pk}/"
    login("jinggou")
    page.goto(f"{live_server.url}/takedown/queue/")
    page.get_by_test_id(f"queue-row-{listing_id}").get_by_role("link", name=listing_id).click()
    page.select_option("#id_measure", "remove")
    page.click("[data-testid=measure-form] button")
    assert page.get_by_test_id("listing-status").inner_text() == "已采取措施"
    page.get_by_test_id("served").click()

    deposit = evidence.make_deposit(actor=demo["fangmao"], title="进货发票", files=[],
                                    statement="2026 年 10 月自星河授权经销商购入，发票号 0012345").deposit
    login("fangmao")
    page.goto(f"{live_server.url}/takedown/seller/")
    page.get_by_role("link", name=listing_id).click()
    page.fill("#id_statement", "本店商品为星河授权经销商供货的正品，附进货发票。")
    page.fill("#id_deposit_nos", deposit.deposit_no)
    page.click("[data-testid=counter-form] button")
    assert page.get_by_test_id("item-status").inner_text() == "已提交不侵权声明"

    login("jinggou")
    page.goto(url)
    page.get_by_test_id("forward").click()
    page.get_by_test_id("clock-deadline").wait_for()
    return item.pk


def test_a_counter_notice_and_no_complaint_restores_the_listing(live_server, page, login, demo, orgs):  # noqa: ANN001
    from zhibao.takedown import tasks
    from zhibao.takedown.models import NoticeItem

    login("xinghe")
    _file_notice(page, live_server, "JG-200001", "星河 S1 智能音箱 高仿", orgs["fangmao"].uscc)
    pk = _remove_and_counter(page, live_server, login, demo, "JG-200001")
    deadline = NoticeItem.objects.get(pk=pk).clock_deadline
    # fifteen days pass: the scheduled job runs the day after the deadline
    later = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(1, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert tasks.lift_expired(now=later) == "lifted 1 listing measure(s)"
    login("xinghe")
    page.goto(f"{live_server.url}/takedown/items/{pk}/")
    assert page.get_by_test_id("item-status").inner_text() == "期满恢复"
    assert page.get_by_test_id("listing-status").inner_text() == "在售"
    assert "终止所采取的措施" in page.get_by_test_id("timeline").inner_text()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/takedown/public/?q=JG-200001")
    assert "期满恢复" in page.get_by_test_id("public-notice").inner_text()


def test_b_a_lawsuit_stops_the_clock_and_the_listing_stays_down(live_server, page, login, demo, orgs, tmp_path):  # noqa: ANN001
    from zhibao.takedown import tasks

    login("daili")  # the agent files for 星河 under its power of attorney
    _file_notice(page, live_server, "JG-300001", "星河 XINGHE 蓝牙耳机", orgs["fangmao"].uscc)
    pk = _remove_and_counter(page, live_server, login, demo, "JG-300001")
    acceptance = tmp_path / "受理通知书.pdf"
    acceptance.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    login("xinghe")
    page.goto(f"{live_server.url}/takedown/items/{pk}/")
    page.fill("#id_reference", "（2026）京73民初1234号")
    page.fill("#id_authority", "北京知识产权法院")
    page.set_input_files("#id_document", str(acceptance))
    page.click("[data-testid=proceeding-form] button")
    assert page.get_by_test_id("item-status").inner_text() == "已投诉/起诉，维持措施"
    assert tasks.lift_expired(now=dt.datetime(2027, 6, 1, tzinfo=dt.UTC)) == "lifted 0 listing measure(s)"
    page.reload()
    assert page.get_by_test_id("listing-status").inner_text() == "已采取措施"


def test_d_platform_sees_relisting_and_malicious_notice_flags(live_server, page, login, demo, orgs):  # noqa: ANN001
    from zhibao.takedown import services
    from zhibao.takedown.models import NoticeItem

    first = NoticeItem.objects.get(listing__listing_id="JG-100001")  # the demo notice
    services.decide(actor=demo["jinggou"], item=first, measure="remove")
    login("wangzhifa")
    page.goto(f"{live_server.url}/takedown/notices/{first.notice_id}/")
    page.fill("#id_reason", "通知所附商标已于通知前转让，通知人明知仍发出通知以打击竞争对手")
    page.check("#id_wilful")
    page.click("[data-testid=malicious-form] button")
    page.get_by_test_id("malicious-badge").wait_for()
    # the same goods come back under a new listing id in another shop of the same seller
    login("xinghe")
    _file_notice(page, live_server, "JG-100009", "星河 S1 智能音箱 同款 蓝牙", orgs["fangmao"].uscc)
    login("jinggou")
    page.goto(f"{live_server.url}/takedown/queue/")
    row = page.get_by_test_id("queue-row-JG-100009")
    assert row.get_by_test_id("relist-flag").is_visible()
    assert row.get_by_test_id("malicious-flag").is_visible()
    row.get_by_role("link", name="JG-100009").click()
    assert "JG-100001" in page.get_by_test_id("relist-warning").inner_text()
