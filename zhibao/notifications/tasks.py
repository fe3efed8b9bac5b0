"""Background work: the e-mail copy of notifications (Django tasks, database backend)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

from zhibao.notifications.models import Notification


@task()
def send_notification_emails(ids: list[int]) -> int:
    """Send each not-yet-emailed notification to its recipient's address; rows without an address are skipped."""
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at=None).select_related("recipient"):
        address = note.recipient.email
        if not address:
            continue
        link = f"\n\n{settings.ZHIBAO_SITE_URL.rstrip('/')}{note.url}" if note.url else ""
        send_mail(subject=f"[知保] {note.title}", message=f"{note.body}{link}",
                  from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[address])
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
