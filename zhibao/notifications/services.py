"""Writes for notifications: create them for recipients, mark them read.

``notify`` is called from other apps' services inside their transaction, so a
notification exists exactly when the change it announces was committed; the
e-mail copy is enqueued as a task only on commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from zhibao.core.errors import InvalidInput, NotFound
from zhibao.notifications.models import Notification

MAX_TITLE = 200


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", email: bool = True) -> int:
    """Create one unread notification per distinct active recipient; return how many were created."""
    if not kind or "." not in kind:
        raise InvalidInput({"kind": ["通知类型应为点分隔形式，如 cases.due_soon"]})
    if not title.strip():
        raise InvalidInput({"title": ["通知标题不能为空"]})
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title.strip()[:MAX_TITLE], body=body, url=url))
    if not rows:
        return 0
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        ids = [n.pk for n in created if n.pk is not None]
        if not ids:  # backends that do not return ids from bulk_create
            ids = list(Notification.objects.filter(recipient_id__in=seen, kind=kind, title=title.strip()[:MAX_TITLE],
                                                   read_at=None).order_by("-id").values_list("pk", flat=True)[:len(rows)])
        if email:
            from zhibao.notifications.tasks import send_notification_emails

            transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return len(rows)


def mark_read(*, user, ids: Sequence[int] | None = None) -> int:  # noqa: ANN001
    """Mark the user's own notifications read (all unread ones when ``ids`` is None); others' ids → 404."""
    with transaction.atomic():
        mine = Notification.objects.filter(recipient=user)
        if ids is not None:
            wanted = set(ids)
            found = set(mine.filter(pk__in=wanted).values_list("pk", flat=True))
            if wanted - found:
                raise NotFound("通知不存在")
            mine = mine.filter(pk__in=wanted)
        return mine.filter(read_at=None).update(read_at=timezone.now())
