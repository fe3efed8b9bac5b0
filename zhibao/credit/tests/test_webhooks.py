"""Signed pushes of public listing changes to subscribed agencies, with retries and back-off."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.error

import pytest
from django.utils import timezone

from zhibao.core.errors import InvalidInput
from zhibao.credit import services, tasks, webhooks
from zhibao.credit.models import Listing, WebhookDelivery

pytestmark = pytest.mark.django_db


class _Response:
    def __init__(self, status: int) -> None:
        self.status = status

    def __enter__(self):  # noqa: ANN204
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        return None


def _publish(demo, listing) -> None:  # noqa: ANN001
    officer = demo["qianxinyong"]
    services.start_review(actor=officer, listing=listing)
    services.serve_notice(actor=officer, listing=listing)
    services.submit_statement(actor=demo["fangmao"], listing=listing, text="无")
    services.decide(actor=officer, listing=listing, list_entity=True, reasons="重复侵权")
    services.publish(actor=officer, listing=listing)


def test_publication_is_pushed_signed_to_subscribers(demo, orgs, facts, monkeypatch,  # noqa: ANN001
                                                     django_capture_on_commit_callbacks):
    sent = []

    def fake_urlopen(request, timeout):  # noqa: ANN001, ANN202
        sent.append(request)
        return _Response(204)

    monkeypatch.setattr(webhooks.urllib.request, "urlopen", fake_urlopen)
    sub = services.subscribe(actor=demo["caigou"], webhook_url="https://ggzy.example/credit-hook")
    services.subscribe(actor=demo["qianxinyong"])  # no push URL: notifications only
    facts(1)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(demo, Listing.objects.get())
    assert len(sent) == 1
    request = sent[0]
    body = json.loads(request.data)
    assert body["event"] == "listing.publish" and body["uscc"] == orgs["fangmao"].uscc
    expected = "sha256=" + hmac.new(sub.webhook_secret.encode(), request.data, hashlib.sha256).hexdigest()
    assert request.get_header("X-zhibao-signature") == expected
    assert WebhookDelivery.objects.get().delivered_at is not None


def test_failed_push_is_retried_with_backoff_under_the_same_delivery_id(demo, orgs, facts, monkeypatch,  # noqa: ANN001
                                                                       django_capture_on_commit_callbacks):
    outcomes = [urllib.error.URLError("connection refused"), _Response(500), _Response(200)]
    seen = []

    def flaky(request, timeout):  # noqa: ANN001, ANN202
        seen.append(request.get_header("X-zhibao-delivery"))
        result = outcomes.pop(0)
        if isinstance(result, Exception):
            raise result
        if result.status >= 400:
            raise urllib.error.HTTPError(request.full_url, result.status, "error", {}, None)
        return result

    monkeypatch.setattr(webhooks.urllib.request, "urlopen", flaky)
    services.subscribe(actor=demo["caigou"], organisation=orgs["fangmao"], webhook_url="https://ggzy.example/h")
    facts(1)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(demo, Listing.objects.get())
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.delivered_at is None
    now = timezone.now()
    assert tasks.retry_webhooks(now=now) == "retried 0 webhook deliver(ies)"  # back-off not yet over
    assert tasks.retry_webhooks(now=now + dt.timedelta(minutes=2)) == "retried 1 webhook deliver(ies)"
    delivery.refresh_from_db()
    assert delivery.status_code == 500 and delivery.attempts == 2
    assert delivery.next_attempt_at > now + dt.timedelta(minutes=1)
    tasks.retry_webhooks(now=now + dt.timedelta(minutes=10))
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and len(set(seen)) == 1 and len(seen) == 3


def test_subscription_needs_a_web_url_and_a_checker(demo):  # noqa: ANN001
    from zhibao.core.errors import Forbidden

    with pytest.raises(InvalidInput):
        services.subscribe(actor=demo["caigou"], webhook_url="ftp://x")
    with pytest.raises(Forbidden):
        services.subscribe(actor=demo["xinghe"])


def test_subscription_api_returns_the_secret_once(demo, client_as):  # noqa: ANN001
    r = client_as("caigou").post("/api/v1/credit/subscriptions", json.dumps({"webhook_url": "https://a.example/h"}),
                                 content_type="application/json")
    assert r.status_code == 201 and len(r.json()["webhook_secret"]) == 64
    bad = client_as("caigou").post("/api/v1/credit/subscriptions", json.dumps({"uscc": "91110105MA7000001X"}),
                                   content_type="application/json")
    assert bad.status_code == 400
