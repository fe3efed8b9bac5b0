"""Pages: the queue (SLA timers, flags, bounded queries), the item page's actions per party, public page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhibao.rights.models import Right
from zhibao.takedown import services
from zhibao.takedown.models import Listing, NoticeItem, Platform


def _notice(demo, orgs, n: int, start: int = 0):  # noqa: ANN001, ANN202
    return services.file_notice(
        actor=demo["xinghe"], notifier=orgs["xinghe"], platform=Platform.objects.get(),
        right_ids=[Right.objects.get(number="45678901").pk], goods_class=9,
        statement="使用星河注册商标的同类商品，承诺通知真实。",
        listings=[{"listing_id": f"Q-{start + i}", "title": f"星河音箱 {start + i}", "shop_id": "q",
                   "seller_uscc": orgs["fangmao"].uscc} for i in range(n)])


def test_queue_page_shows_sla_and_needs_bounded_queries(demo, orgs, client_as, django_assert_max_num_queries):  # noqa: ANN001
    _notice(demo, orgs, 40)
    client = client_as("jinggou")
    with django_assert_max_num_queries(20):
        response = client.get("/takedown/queue/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "剩余" in body and "Q-1" in body
    assert client_as("xinghe").get("/takedown/queue/").status_code == 404
    assert client_as("huizhan").get("/takedown/queue/").status_code == 404


def test_item_page_walks_measure_counter_and_forward(demo, orgs, client_as):  # noqa: ANN001
    from zhibao.evidence import services as evidence

    item = NoticeItem.objects.get(listing__listing_id="JG-100001")
    url = f"/takedown/items/{item.pk}/"
    operator, seller = client_as("jinggou"), client_as("fangmao")
    assert 'data-testid="measure-form"' in operator.get(url).content.decode()
    assert 'data-testid="measure-form"' not in client_as("xinghe").get(url).content.decode()
    operator.post(url + "measure/", {"measure": "remove"})
    assert Listing.objects.get(listing_id="JG-100001").status == "down"
    deposit = evidence.make_deposit(actor=demo["fangmao"], title="进货凭证", files=[], statement="进货发票").deposit
    response = seller.post(url + "counter/", {"statement": "本店商品为正品，附进货发票。", "deposit_nos": deposit.deposit_no})
    assert response.status_code == 302
    operator.post(url + "forward/")
    item.refresh_from_db()
    assert item.status == "clock" and item.clock_deadline is not None
    # a second counter-notice is refused with a message, never a 500
    again = seller.post(url + "counter/", {"statement": "再次声明不构成侵权。", "deposit_nos": deposit.deposit_no},
                        follow=True)
    assert "不允许此操作" in again.content.decode()
    assert client_as("huizhan").get(url).status_code == 404
    assert operator.post(url + "explode/").status_code == 400


def test_notice_form_files_a_notice_and_shows_field_errors(demo, orgs, client_as):  # noqa: ANN001
    client = client_as("daili")
    mark = Right.objects.get(number="45678901")
    form = {"platform": Platform.objects.get().pk, "notifier": orgs["xinghe"].pk, "rights": [mark.pk],
            "goods_class": 25, "listings": "F-1 | https://mall.example/1 | 星河音箱 | 王小明",
            "statement": "使用星河注册商标的同类商品，承诺通知真实。", "kind": "standard"}
    bad = client.post("/takedown/notices/new/", form)
    assert bad.status_code == 200
    assert "不包括第 25 类" in bad.content.decode()
    ok = client.post("/takedown/notices/new/", {**form, "goods_class": 9})
    assert ok.status_code == 302
    assert NoticeItem.objects.filter(listing__listing_id="F-1").exists()
    assert client_as("wangzhifa").get("/takedown/notices/new/").status_code == 404


def test_public_page_is_open_and_masks_people(demo, orgs):  # noqa: ANN001
    services.file_notice(actor=demo["xinghe"], notifier=orgs["xinghe"], platform=Platform.objects.get(),
                         right_ids=[Right.objects.get(number="45678901").pk], goods_class=9,
                         statement="使用星河注册商标的同类商品，承诺通知真实。",
                         listings=[{"listing_id": "PP-1", "title": "星河音箱", "seller_name": "王小明"}])
    body = Client().get("/takedown/public/").content.decode()
    assert "王**" in body and "王小明" not in body


@pytest.mark.parametrize("username", ["xinghe", "daili", "fangmao", "jinggou", "wangzhifa", "shiju"])
def test_takedown_pages_render_for_each_party(demo, client_as, username):  # noqa: ANN001
    client = client_as(username)
    home = client.get("/takedown/")
    assert home.status_code == 302
    assert client.get(home["Location"]).status_code == 200
    assert client.get("/takedown/seller/").status_code == 200
    assert client.get("/takedown/notices/").status_code == 200


def test_metrics_page_and_api_report_time_to_first_measure(demo, orgs, client_as):  # noqa: ANN001
    import datetime as dt

    notice = _notice(demo, orgs, 2, start=500)
    services.decide(actor=demo["jinggou"], item=notice.items.first(), measure="remove",
                    now=notice.created_at + dt.timedelta(hours=3))
    data = client_as("jinggou").get("/api/v1/takedown/metrics").json()
    assert data["notices"] == 2 and data["median_hours"] is not None and data["within_sla"] == 0.5
    page = client_as("jinggou").get("/takedown/metrics/").content.decode()
    assert 'data-testid="metrics"' in page and "50%" in page
    assert client_as("xinghe").get("/takedown/metrics/").status_code == 404


def test_seller_and_notice_lists_need_bounded_queries(demo, orgs, client_as, django_assert_max_num_queries):  # noqa: ANN001
    for k in range(5):
        _notice(demo, orgs, 10, start=1000 + 10 * k)
    seller, notifier = client_as("fangmao"), client_as("xinghe")
    with django_assert_max_num_queries(12):
        assert seller.get("/takedown/seller/").status_code == 200
    with django_assert_max_num_queries(12):
        assert notifier.get("/takedown/notices/").status_code == 200
    with django_assert_max_num_queries(14):
        assert notifier.get("/takedown/public/").status_code == 200


def test_platform_operator_configures_sla_oncall_and_webhook(demo, orgs, client_as):  # noqa: ANN001
    client = client_as("jinggou")
    assert client.get("/takedown/platform/").status_code == 200
    base = {"name": "京购商城", "sla_hours": 12, "fast_lane_hours": 1, "live_sla_minutes": 15,
            "oncall": demo["jinggou"].pk, "webhook_url": "https://hooks.jinggou.example/zhibao"}
    short = client.post("/takedown/platform/", {**base, "webhook_secret": "short"})
    assert "至少 16 位" in short.content.decode()
    assert client.post("/takedown/platform/", {**base, "webhook_secret": "0123456789abcdef"}).status_code == 302
    platform = Platform.objects.get()
    assert (platform.sla_hours, platform.live_sla_minutes, platform.webhook_secret) == (12, 15, "0123456789abcdef")
    assert client_as("xinghe").get("/takedown/platform/").status_code == 404


def test_a_new_platform_registers_itself(demo, orgs, client_as):  # noqa: ANN001
    client = client_as("huizhan")  # the fair organiser's operator also runs an online shop mall
    response = client.post("/takedown/platform/", {"name": "会展商城", "sla_hours": 24, "fast_lane_hours": 2,
                                                   "live_sla_minutes": 30, "oncall": "", "webhook_url": ""})
    assert response.status_code == 302
    assert Platform.objects.filter(name="会展商城", organisation=demo["huizhan"].organisation).exists()


@pytest.fixture
def shop_page():  # noqa: ANN201
    """A listing page on 127.0.0.1 (no outside network) for the notice form to capture."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: ANN202, N802
            data = "<html><body><h1>星河 S1 智能音箱 特价 仿品</h1></body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # noqa: ANN002, ANN202
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/item/77"
    server.shutdown()


def test_notice_form_captures_the_listing_page_as_evidence(demo, orgs, client_as, shop_page):  # noqa: ANN001
    client = client_as("xinghe")
    form = {"platform": Platform.objects.get().pk, "notifier": orgs["xinghe"].pk,
            "rights": [Right.objects.get(number="45678901").pk], "goods_class": 9,
            "listings": f"C-77 | {shop_page} | 星河 S1 智能音箱 特价 | 王小明", "kind": "standard",
            "statement": "页面使用星河注册商标销售同类商品，承诺通知真实。", "capture_url": shop_page}
    response = client.post("/takedown/notices/new/", form)
    assert response.status_code == 302, re.findall(r'role="alert"><p>[^<]*', response.content.decode())
    deposit = NoticeItem.objects.get(listing__listing_id="C-77").notice.deposits.get()
    assert deposit.kind == "web_capture" and deposit.source_url == shop_page
    unreachable = client.post("/takedown/notices/new/", {**form, "listings": "C-78 | | 标题 | 王小明",
                                                          "capture_url": "http://127.0.0.1:9/item"})
    assert unreachable.status_code == 200 and not NoticeItem.objects.filter(listing__listing_id="C-78").exists()
    assert re.findall(r'role="alert"><p>[^<]*', unreachable.content.decode())  # the capture error is shown
