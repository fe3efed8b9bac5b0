"""Template context: the unread count beside the user's name, computed only when a page shows it."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from zhibao.notifications.selectors import unread_count


def unread(request):  # noqa: ANN001, ANN201
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread": SimpleLazyObject(lambda: unread_count(user))}
