"""Signed pushes of public listing changes to subscribed agencies, so they need not poll.

Body: JSON of the change (event id and kind, entity name and USCC, list, status, dates, decision number).
Headers: ``X-ZhiBao-Delivery`` (unique; a retry repeats it) and ``X-ZhiBao-Signature``:
``sha256=<hex HMAC-SHA256 of the raw body with the subscription's secret>``. A failed delivery is retried by
the periodic job with exponential back-off (1, 2, 4, 8 … minutes) up to ``MAX_ATTEMPTS``; agencies can
always pull ``GET /api/v1/credit/changes`` instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from zhibao.credit.models import ListingEvent, Subscription, WebhookDelivery

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(event: ListingEvent) -> bytes:
    listing = event.listing
    decision = listing.current_decision
    data = {"event": f"listing.{event.kind}", "event_id": event.pk, "at": event.at.isoformat(),
            "uscc": listing.organisation.uscc, "name": listing.organisation.name, "list": listing.list_type.name,
            "list_code": listing.list_type.code, "status": listing.status, "summary": event.summary,
            "from": listing.start_on.isoformat() if listing.start_on else None,
            "until": listing.end_on.isoformat() if listing.end_on else None,
            "decision_no": decision.decision_no if decision else None, "measures": listing.list_type.measures}
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def schedule(event: ListingEvent) -> list[WebhookDelivery]:
    """Inside the service's transaction: one delivery per subscriber with a push URL; sent after commit."""
    subs = Subscription.objects.filter(cancelled_at__isnull=True).exclude(webhook_url="").filter(
        Q(organisation_id=event.listing.organisation_id) | Q(organisation__isnull=True))
    made = [WebhookDelivery.objects.create(subscription=s, event=event, url=s.webhook_url,
                                           delivery_id=f"crd_{secrets.token_hex(12)}") for s in subs]
    for delivery in made:
        transaction.on_commit(lambda pk=delivery.pk: deliver.enqueue(pk))
    return made


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


@task()
def deliver(delivery_pk: int) -> int | None:
    """POST the signed body once; record the outcome and when to try again."""
    delivery = WebhookDelivery.objects.select_related("subscription", "event__listing__organisation",
                                                      "event__listing__list_type").get(pk=delivery_pk)
    if delivery.delivered_at is not None or delivery.attempts >= MAX_ATTEMPTS:
        return delivery.status_code
    body = body_of(delivery.event)
    request = urllib.request.Request(delivery.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-ZhiBao-Delivery": delivery.delivery_id,
        "X-ZhiBao-Signature": sign(delivery.subscription.webhook_secret, body)})
    attempts = delivery.attempts + 1
    retry_at = timezone.now() + _backoff(attempts)
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - agency's URL
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, str(exc)[:300]
    except (urllib.error.URLError, OSError) as exc:
        error = str(exc)[:300]
    done = timezone.now() if status is not None and 200 <= status < 300 else None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=attempts, status_code=status, error=error,
                                                          delivered_at=done, next_attempt_at=retry_at)
    return status


def retry_due(*, now: dt.datetime | None = None) -> int:
    due = WebhookDelivery.objects.filter(delivered_at__isnull=True, attempts__gt=0, attempts__lt=MAX_ATTEMPTS,
                                         next_attempt_at__lte=now or timezone.now())
    count = 0
    for pk in due.values_list("pk", flat=True):
        deliver.call(pk)
        count += 1
    return count
