"""Repeat sellers feed the credit file (issue #8, item 4).

Two signals make a seller a repeat infringer worth a credit fact of kind ``ecommerce_repeat``:

* its listings were taken down on ``ZHIBAO_TAKEDOWN_REPEAT_NOTICES`` (default 3) separate notices and the
  measures still stand — the item is ``taken_down`` (not countered) or ``proceeding`` (the right holder went to
  an authority or court). Countered, lifted, withdrawn and no-action items do not count, nor do notices found
  wrong or malicious, so a seller is never marked on the strength of a challenged or abusive notice. A fact
  is recorded on reaching N and again at every further multiple (2N, 3N …), each with its own source;
* the platform confirms a relisting flag (the listing is a copy of one it removed before).

Only sellers matched to a registered organisation with a USCC have a credit file; others are skipped. The
credit app makes every fact idempotent per (source type, source ref, kind), so re-running a check is harmless.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhibao.takedown import integration
from zhibao.takedown.models import Listing, NoticeItem, RelistFlag

KIND = "ecommerce_repeat"
SOURCE_TYPE = "takedown.repeat"
LEGAL_BASIS = "《中华人民共和国电子商务法》第四十二条、第四十五条；《关于强化知识产权保护的行动方案》第14条"
#: Items whose measure stands: taken down and not countered, or kept down by a complaint or lawsuit.
CONFIRMED = (NoticeItem.Status.TAKEN_DOWN, NoticeItem.Status.PROCEEDING)


def threshold() -> int:
    return max(1, int(getattr(settings, "ZHIBAO_TAKEDOWN_REPEAT_NOTICES", 3)))


def _seller_org(listing: Listing) -> Any | None:
    org = listing.shop.seller_org
    return org if org is not None and org.uscc and org.is_active else None


def _day(now: dt.datetime | None) -> dt.date:
    today = timezone.localdate()
    return min(timezone.localdate(now), today) if now is not None else today


def confirmed_removal_notices(org_id: int) -> int:
    """Separate notices on which the organisation's listings were taken down and the measures still stand."""
    return (NoticeItem.objects.filter(listing__shop__seller_org_id=org_id, status__in=CONFIRMED,
                                      notice__malicious=False)
            .values("notice_id").distinct().count())


def check_removals(*, actor: Any, listing: Listing, now: dt.datetime | None = None) -> Any | None:
    """After a measure stands on ``listing``: record the repeat-seller fact if its seller reached a multiple of N."""
    org = _seller_org(listing)
    if org is None:
        return None
    count, n = confirmed_removal_notices(org.pk), threshold()
    if count < n:
        return None
    marker = count // n * n
    return integration.report_credit_fact(
        actor=actor, organisation=org, kind=KIND, occurred_on=_day(now), legal_basis=LEGAL_BASIS,
        summary=f"{org.name} 的商品在 {marker} 份不同的通知中被平台删除、屏蔽或终止服务且措施未撤销"
                f"（最近：商品 {listing.listing_id}，{listing.platform.name}）",
        source_type=SOURCE_TYPE, source_ref=f"seller-{org.pk}-removals-{marker}", visibility="agencies")


def report_relisting(*, actor: Any, flag: RelistFlag, now: dt.datetime | None = None) -> Any | None:
    """A confirmed relisting flag: the seller put a removed listing back on sale."""
    listing = flag.listing
    org = _seller_org(listing)
    if org is None:
        return None
    return integration.report_credit_fact(
        actor=actor, organisation=org, kind=KIND, occurred_on=_day(now), legal_basis=LEGAL_BASIS,
        summary=f"{org.name} 重新上架已被删除的商品：{listing.listing_id} 与 {flag.fingerprint.listing.listing_id}"
                f"的{flag.matched_on}一致（在先处理 {flag.fingerprint.decision}）"[:500],
        source_type=SOURCE_TYPE, source_ref=f"relist-{flag.pk}", visibility="agencies")
