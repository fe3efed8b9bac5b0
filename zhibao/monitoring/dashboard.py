"""工作台 card for monitoring: new alerts on the user's watch lists (trademark warnings carry a deadline)."""

from __future__ import annotations

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role
from zhibao.core.dashboard import Card, Row, register
from zhibao.monitoring import selectors
from zhibao.monitoring.models import Alert


@register(30)
def cards(actor: User) -> list[Card]:
    if is_staff_role(actor):
        return []
    new = selectors.alerts_visible_to(actor=actor, status=Alert.Status.NEW)
    count = new.count()
    if not count:
        return []
    return [Card("待处理的预警", count, "/monitoring/", warn=True, rows=tuple(
        Row(f"{a.screening.name} ≈ {a.right.title if a.right else ''}", f"/monitoring/alerts/{a.pk}/",
            f"{a.get_kind_display()} · 相似度 {a.score:.2f}") for a in new[:5]))]
