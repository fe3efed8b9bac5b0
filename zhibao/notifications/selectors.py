"""Reads: a user's own notifications only (there is no way to read another's inbox)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhibao.core.errors import NotFound
from zhibao.notifications.models import Notification


def notifications_for(user, *, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:  # noqa: ANN001
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at=None)
    if kind:
        qs = qs.filter(kind__startswith=kind)
    return qs


def unread_count(user) -> int:  # noqa: ANN001
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notification_for(user, notification_id: int) -> Notification:  # noqa: ANN001
    try:
        return Notification.objects.get(pk=notification_id, recipient=user)
    except Notification.DoesNotExist:
        raise NotFound("通知不存在") from None
