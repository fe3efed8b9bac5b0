"""API: the caller's own notifications (list, mark read)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from zhibao.accounts.api_auth import require_scope
from zhibao.core.schemas import Page, StrictSchema, page_of
from zhibao.notifications import selectors, services

router = Router(tags=["站内通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MarkReadIn(StrictSchema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


@router.get("", response=Page[NotificationOut], summary="我的站内通知（新的在前）")
def list_notifications(request, unread: bool = False, kind: str = "",  # noqa: ANN001, ANN201
                       limit: int = 50, offset: int = 0):
    require_scope(request, "notifications:read")
    items = selectors.notifications_for(request.user, unread_only=unread, kind=kind)
    return page_of(items, limit, offset, lambda n: n)


@router.post("/read", response=MarkReadOut, summary="标为已读（不给 ids 则全部）；他人的通知编号返回 404")
def mark_read(request, payload: MarkReadIn):  # noqa: ANN001, ANN201
    require_scope(request, "notifications:write")
    return {"marked": services.mark_read(user=request.user, ids=payload.ids)}
