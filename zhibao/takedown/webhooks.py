"""Signed webhooks to platforms on new notices.

Body: JSON of the notice (number, kind, SLA due time, listings). Headers: ``X-ZhiBao-Delivery`` (a unique id;
a retried delivery repeats it so the platform can drop duplicates) and ``X-ZhiBao-Signature``:
``sha256=<hex HMAC-SHA256 of the raw body with the platform's secret>``. A failed delivery is retried by the
periodic job up to ``MAX_ATTEMPTS`` times; the platform can always pull the queue instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from zhibao.takedown.models import Notice, WebhookDelivery

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(notice: Notice) -> bytes:
    data = {"event": "notice.created", "number": notice.number, "kind": notice.kind, "fast_lane": notice.fast_lane,
            "notifier": notice.notifier.name, "sla_due_at": notice.sla_due_at.isoformat(),
            "items": [{"id": i.pk, "listing_id": i.listing.listing_id, "status": i.status}
                      for i in notice.items.select_related("listing")]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def schedule(notice: Notice) -> WebhookDelivery | None:
    """Called inside file_notice's transaction: record the delivery, send it after commit."""
    url = notice.platform.webhook_url
    if not url:
        return None
    delivery = WebhookDelivery.objects.create(notice=notice, url=url, delivery_id=f"whd_{secrets.token_hex(12)}")
    transaction.on_commit(lambda: deliver.enqueue(delivery.pk))
    return delivery


@task()
def deliver(delivery_pk: int) -> int | None:
    """POST the signed body; record the status. Already delivered → nothing is sent again."""
    delivery = WebhookDelivery.objects.select_related("notice__platform", "notice__notifier").get(pk=delivery_pk)
    if delivery.delivered_at is not None or delivery.attempts >= MAX_ATTEMPTS:
        return delivery.status_code
    body = body_of(delivery.notice)
    request = urllib.request.Request(delivery.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-ZhiBao-Delivery": delivery.delivery_id,
        "X-ZhiBao-Signature": sign(delivery.notice.platform.webhook_secret, body)})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - platform's URL
            status = response.status
    except urllib.error.HTTPError as exc:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status_code=exc.code, error=str(exc)[:300])
        return exc.code
    except (urllib.error.URLError, OSError) as exc:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(error=str(exc)[:300])
        return None
    done = timezone.now() if 200 <= status < 300 else None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status_code=status, delivered_at=done, error="")
    return status


def retry_failed() -> int:
    pending = WebhookDelivery.objects.filter(delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS, attempts__gt=0)
    count = 0
    for pk in pending.values_list("pk", flat=True):
        deliver.call(pk)
        count += 1
    return count
