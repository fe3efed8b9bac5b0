"""工作台 cards for credit: the credit officer's waiting proposals and repairs; an entity's own listings."""

from __future__ import annotations

from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.dashboard import Card, Row, register
from zhibao.credit.models import Listing, RepairApplication


@register(40)
def cards(actor: User) -> list[Card]:
    if actor.role in (Role.CREDIT_OFFICER, Role.CITY_ADMIN):
        waiting = Listing.objects.filter(status__in=(Listing.Status.PROPOSED, Listing.Status.UNDER_REVIEW))
        repairs = RepairApplication.objects.filter(status=RepairApplication.Status.PENDING).count()
        out = [Card("待审核的列入建议", waiting.count(), "/credit/dashboard/", rows=tuple(
            Row(listing.organisation.name, f"/credit/listings/{listing.pk}/", listing.list_type.name)
            for listing in waiting.select_related("organisation", "list_type").order_by("proposed_at")[:5]))]
        if repairs:
            out.append(Card("待审核的信用修复申请", repairs, "/credit/dashboard/"))
        return out
    org_ids = represented_org_ids(actor)
    if not org_ids or actor.role == Role.AGENCY:
        return []
    active = (Listing.objects.filter(organisation_id__in=org_ids)
              .exclude(status__in=(Listing.Status.DISMISSED, Listing.Status.DECIDED_NOT_LIST, Listing.Status.WITHDRAWN,
                                   Listing.Status.EXPIRED))
              .select_related("list_type"))
    if not active.exists():
        return []
    return [Card("本单位的信用列入程序", active.count(), f"/credit/orgs/{min(org_ids)}/", warn=True, rows=tuple(
        Row(listing.list_type.name, f"/credit/listings/{listing.pk}/", listing.get_status_display(), warn=True)
        for listing in active[:5]))]
