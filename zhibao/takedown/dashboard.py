"""工作台 cards for notice-and-takedown: the platform's queue (SLA first), a notifier's open notices, a seller's
listings under measures (the counter-notice window)."""

from __future__ import annotations

from django.utils import timezone

from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.dashboard import Card, Row, capped_count, register
from zhibao.takedown import selectors
from zhibao.takedown.models import Notice, NoticeItem


@register(20)
def cards(actor: User) -> list[Card]:
    out: list[Card] = []
    if actor.role == Role.PLATFORM_OPERATOR and selectors.platforms_operated_by(actor).exists():
        pending = selectors.queue(actor=actor)
        now = timezone.now()
        late = pending.filter(sla_due_at__lt=now).exists()
        first = list(pending[:5])
        count, more = capped_count(pending)
        out.append(Card("待处理的侵权通知", count, "/takedown/queue/", warn=late, more=more, rows=tuple(
            Row(f"{i.notice.number} {i.listing.title}", f"/takedown/items/{i.pk}/",
                "已超时" if i.sla_due_at and i.sla_due_at < now else
                f"时限 {timezone.localtime(i.sla_due_at):%m-%d %H:%M}" if i.sla_due_at else "",
                warn=bool(i.sla_due_at and i.sla_due_at < now)) for i in first)))
    org_ids = represented_org_ids(actor, scope="notices")
    if org_ids and actor.role != Role.PLATFORM_OPERATOR:
        open_notices = Notice.objects.filter(notifier_id__in=org_ids, status=Notice.Status.OPEN).count()
        if open_notices:
            out.append(Card("处理中的通知", open_notices, "/takedown/notices/"))
        countered = NoticeItem.objects.filter(notice__notifier_id__in=org_ids, status=NoticeItem.Status.CLOCK).count()
        if countered:
            out.append(Card("收到不侵权声明（15 日内须投诉或起诉）", countered, "/takedown/notices/", warn=True))
    if represented_org_ids(actor) and actor.role != Role.PLATFORM_OPERATOR:
        down = selectors.seller_items(actor=actor).filter(status=NoticeItem.Status.TAKEN_DOWN).count()
        if down:
            out.append(Card("被采取措施的本方商品（可提交不侵权声明）", down, "/takedown/seller/", warn=True))
    return out
