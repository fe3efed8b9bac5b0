"""工作台 cards for cases: the handler's queue and overdue cases, a party's open cases and drafts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role
from zhibao.cases import selectors
from zhibao.cases.rules import HANDLERS
from zhibao.core.dashboard import Card, Row, register


@register(10)
def cards(actor: User) -> list[Card]:
    now = timezone.now()
    out: list[Card] = []
    if any(actor.role in roles for roles in HANDLERS.values()):
        queue = selectors.queue_for(actor=actor, now=now)
        overdue = selectors.overdue_cases(actor=actor, now=now)
        first = list(queue[:5])  # earliest deadline first
        out.append(Card("待办案件", queue.count(), "/cases/queue/", rows=tuple(
            Row(f"{c.number} {c.title}", f"/cases/{c.number}/",
                f"{c.due_title} {timezone.localtime(c.due_at):%m-%d %H:%M}" if c.due_at else c.get_status_display(),
                warn=bool(c.due_at and c.due_at < now + dt.timedelta(days=3))) for c in first)))
        n_overdue = overdue.count()
        if n_overdue:
            out.append(Card("逾期案件", n_overdue, "/cases/?overdue=on", warn=True))
    elif not is_staff_role(actor):
        mine = selectors.cases_visible_to(actor=actor).filter(is_open=True).exclude(status="draft")
        recent = list(mine[:5])
        if recent:
            out.append(Card("进行中的案件", mine.count(), "/cases/", rows=tuple(
                Row(f"{c.number} {c.title}", f"/cases/{c.number}/",
                    c.get_status_display()) for c in recent)))
        drafts = selectors.drafts_for(actor).count()
        if drafts:
            out.append(Card("未提交的投诉草稿", drafts, "/cases/new/"))
    return out
