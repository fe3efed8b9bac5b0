"""Live-stream notices (SLA in minutes, escalation to on-call) and signed, idempotent webhooks."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.server
import json
import threading

import pytest

from zhibao.notifications.models import Notification
from zhibao.rights.models import Right
from zhibao.takedown import services, tasks, webhooks
from zhibao.takedown.models import Platform, WebhookDelivery


def _live(demo, orgs, now):  # noqa: ANN001, ANN202
    return services.file_notice(
        actor=demo["xinghe"], notifier=orgs["xinghe"], platform=Platform.objects.get(),
        right_ids=[Right.objects.get(number="2022SR0123456").pk], kind="live", now=now,
        statement="直播间未经许可转播星河发布会视频，承诺通知真实。",
        listings=[{"listing_id": "LIVE-1", "url": "https://live.jinggou.example/room/88", "title": "星河发布会直播",
                   "seller_name": "某主播"}])


def test_live_notice_has_a_minutes_sla_and_escalates_to_on_call_once(demo, orgs):  # noqa: ANN001
    now = dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC)
    notice = _live(demo, orgs, now)
    assert notice.sla_due_at - now == dt.timedelta(minutes=30)
    assert tasks.live_escalation(now=now + dt.timedelta(minutes=5)) == "escalated 0 live notice(s)"
    assert tasks.live_escalation(now=now + dt.timedelta(minutes=21)) == "escalated 1 live notice(s)"
    assert tasks.live_escalation(now=now + dt.timedelta(minutes=22)) == "escalated 0 live notice(s)"
    note = Notification.objects.get(recipient=demo["jinggou"], kind="takedown.live_escalation")
    assert "9 分钟后到期" in note.title


class _Receiver(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.seen.append((self.headers["X-ZhiBao-Delivery"], self.headers["X-ZhiBao-Signature"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@pytest.fixture
def receiver():  # noqa: ANN201
    server = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_new_notice_webhook_is_signed_and_delivered_once(demo, orgs, receiver, django_capture_on_commit_callbacks):  # noqa: ANN001
    Platform.objects.update(webhook_url=receiver, webhook_secret="s3cret")
    with django_capture_on_commit_callbacks(execute=True):
        notice = _live(demo, orgs, None)
    delivery = WebhookDelivery.objects.get(notice=notice)
    delivery_id, signature, body = _Receiver.seen[0]
    assert delivery_id == delivery.delivery_id
    assert signature == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert json.loads(body)["number"] == notice.number
    delivery.refresh_from_db()
    assert delivery.status_code == 204 and delivery.delivered_at is not None
    webhooks.deliver.call(delivery.pk)  # a duplicate run (e.g. a retried task) sends nothing
    assert len(_Receiver.seen) == 1


def test_unreachable_webhook_is_recorded_and_retried(demo, orgs, django_capture_on_commit_callbacks):  # noqa: ANN001
    Platform.objects.update(webhook_url="http://127.0.0.1:9/hook", webhook_secret="k")
    with django_capture_on_commit_callbacks(execute=True):
        _live(demo, orgs, None)
    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is None and delivery.attempts == 1 and delivery.error
    assert tasks.retry_webhooks(now=dt.datetime.now(dt.UTC)) == "retried 1 webhook deliver(ies)"
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_broadcaster_page_lists_live_urls_with_countdown_and_refreshes(demo, orgs, client_as):  # noqa: ANN001
    _live(demo, orgs, None)
    page = client_as("xinghe").get("/takedown/live/").content.decode()
    assert "https://live.jinggou.example/room/88" in page and "剩余" in page and 'hx-trigger="every 30s"' in page
    rows = client_as("xinghe").get("/takedown/live/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in rows and "room/88" in rows
    assert "room/88" not in client_as("fangmao").get("/takedown/live/").content.decode()
