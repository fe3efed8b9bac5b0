"""Reads for notice-and-takedown, always for an acting user: what they may not see is 404 or filtered out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils import timezone

from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import InvalidInput, NotFound
from zhibao.takedown.models import (
    Listing,
    ListingEvent,
    MaliciousFinding,
    Notice,
    NoticeItem,
    Platform,
    RelistFlag,
)


@dataclass(frozen=True)
class Quality:
    """A notifier's record: share of decided listings that were not withdrawn, countered away or found wrong."""

    decided: int
    withdrawn: int
    countered_away: int
    malicious_notices: int
    score: float | None
    fast_lane: bool

    @property
    def label(self) -> str:
        return "—" if self.score is None else f"{self.score:.0%}"


#: The queue page counts at most this many rows (then shows "1,000+"): an exact COUNT(*) walks every row.
QUEUE_COUNT_CAP = 1000


@dataclass
class QueuePage:
    """One page of the platform queue, paged by a cursor (the last row's position) instead of OFFSET.

    Why: at 100,000 open items an OFFSET page walks and joins every row before it, and a paginator's
    COUNT(*) walks them all on every view; a cursor page is an index seek at any depth, and the count stops
    at ``QUEUE_COUNT_CAP`` (an operator needs "more than 1,000", not the exact figure, on each page view).
    """

    platform: Platform
    items: list[NoticeItem]
    count: int
    count_capped: bool
    paged: bool = False
    prev_cursor: str = ""
    next_cursor: str = ""

    @property
    def count_label(self) -> str:
        return f"{QUEUE_COUNT_CAP:,}+" if self.count_capped else f"{self.count:,}"


def fast_lane_settings() -> tuple[float, int]:
    """(score threshold, minimum decided listings) for the good-faith fast lane."""
    return (float(getattr(settings, "ZHIBAO_TAKEDOWN_FAST_LANE_SCORE", 0.95)),
            int(getattr(settings, "ZHIBAO_TAKEDOWN_FAST_LANE_MIN", 5)))


def notifier_quality(*, notifier_id: int) -> Quality:
    return notifier_qualities([notifier_id])[notifier_id]


def notifier_qualities(notifier_ids: list[int]) -> dict[int, Quality]:
    """Quality of several notifiers in two grouped queries (a queue page shows one per row)."""
    ids = sorted(set(notifier_ids))
    if not ids:
        return {}
    decided_states = [s for s in NoticeItem.Status.values if s not in (NoticeItem.Status.PENDING,
                                                                       NoticeItem.Status.JOINED)]
    rows = {r["notice__notifier_id"]: r for r in NoticeItem.objects.filter(
        notice__notifier_id__in=ids, status__in=decided_states).values("notice__notifier_id").annotate(
        decided=Count("id"), withdrawn=Count("id", filter=Q(status=NoticeItem.Status.WITHDRAWN)),
        restored=Count("id", filter=Q(status=NoticeItem.Status.RESTORED)),
        wrong=Count("id", filter=Q(notice__malicious=True))).order_by()}
    malicious = dict(MaliciousFinding.objects.filter(notifier_id__in=ids).values("notifier_id")
                     .annotate(n=Count("id")).order_by().values_list("notifier_id", "n"))
    threshold, minimum = fast_lane_settings()
    out = {}
    for nid in ids:
        counts = rows.get(nid, {"decided": 0, "withdrawn": 0, "restored": 0, "wrong": 0})
        decided, found = counts["decided"], malicious.get(nid, 0)
        bad = counts["withdrawn"] + counts["restored"] + counts["wrong"]
        score = None if decided == 0 else max(0.0, 1 - bad / decided)
        fast = score is not None and decided >= minimum and score >= threshold and found == 0
        out[nid] = Quality(decided, counts["withdrawn"], counts["restored"], found, score, fast)
    return out


def notifier_qualities_cached(notifier_ids: list[int], seconds: int = 300) -> dict[int, Quality]:
    """The queue page shows a score per row; it changes slowly, so it is cached for a few minutes.

    Misses are computed together (two queries whatever their number). The fast-lane decision at filing time
    always uses the uncached ``notifier_quality``.
    """
    from django.core.cache import cache

    keys = {nid: f"takedown:quality:{nid}" for nid in set(notifier_ids)}
    found = cache.get_many(list(keys.values()))
    out = {nid: found[key] for nid, key in keys.items() if key in found}
    missing = [nid for nid in keys if nid not in out]
    if missing:
        fresh = notifier_qualities(missing)
        cache.set_many({keys[nid]: q for nid, q in fresh.items()}, seconds)
        out.update(fresh)
    return out


def platforms_operated_by(actor: User) -> QuerySet[Platform]:
    if getattr(actor, "role", None) != Role.PLATFORM_OPERATOR:
        return Platform.objects.none()
    return Platform.objects.filter(organisation_id=actor.organisation_id)


def platform_of(actor: User) -> Platform:
    platform = platforms_operated_by(actor).first()
    if platform is None:
        raise NotFound("您的机构尚未登记为电商平台")
    return platform


def all_platforms() -> QuerySet[Platform]:
    return Platform.objects.select_related("organisation").order_by("name")


def _queue_items(platform: Platform, status: str) -> QuerySet[NoticeItem]:
    items = (NoticeItem.objects.filter(platform=platform)
             .select_related("notice", "notice__notifier", "listing", "listing__shop"))
    return items.filter(status=status) if status else items


def queue(*, actor: User, status: str = "pending") -> QuerySet[NoticeItem]:
    """The platform's work queue: fast lane and live notices first, then by SLA due time."""
    return _queue_items(platform_of(actor), status).order_by("-fast_lane", "sla_due_at", "id")


def mark_flags(items: list[NoticeItem]) -> list[NoticeItem]:
    """Set ``relisted`` and ``notifier_flagged`` on one page of queue rows (two indexed queries for the page,
    instead of per-row subqueries that would also slow the queue's count at 100,000 rows)."""
    relisted = set(RelistFlag.objects.filter(listing_id__in={i.listing_id for i in items})
                   .values_list("listing_id", flat=True))
    flagged = set(MaliciousFinding.objects.filter(notifier_id__in={i.notice.notifier_id for i in items})
                  .values_list("notifier_id", flat=True))
    for item in items:
        item.relisted = item.listing_id in relisted
        item.notifier_flagged = item.notice.notifier_id in flagged
    return items


def queue_page(*, actor: User, status: str = "pending", after: str = "", before: str = "",
               size: int | None = None) -> QueuePage:
    """One page of the platform queue (see ``QueuePage``), rows marked with flags and notifier quality."""
    platform = platform_of(actor)
    if after and before:
        raise InvalidInput({"cursor": ["after 与 before 只能给出一个"]})
    size = size or settings.ZHIBAO_PAGE_SIZE
    base = _queue_items(platform, status)
    cursor = _decode_cursor(after or before) if (after or before) else None
    rows, more = _walk_queue(base, cursor, backward=bool(before), size=size)
    if before and not more:  # walked back to the start: show the (full) first page
        cursor, before = None, ""
        rows, more = _walk_queue(base, None, backward=False, size=size)
    if before:
        prev_cursor, next_cursor = _encode_cursor(rows[0]), _encode_cursor(rows[-1])
    else:
        prev_cursor = _encode_cursor(rows[0]) if cursor and rows else ""
        next_cursor = _encode_cursor(rows[-1]) if more else ""
    count = base.order_by().values("pk")[:QUEUE_COUNT_CAP + 1].count()
    mark_flags(rows)
    qualities = notifier_qualities_cached([item.notice.notifier_id for item in rows])
    for item in rows:
        item.quality = qualities[item.notice.notifier_id]  # type: ignore[attr-defined]
    return QueuePage(platform=platform, items=rows, count=min(count, QUEUE_COUNT_CAP),
                     count_capped=count > QUEUE_COUNT_CAP, paged=cursor is not None,
                     prev_cursor=prev_cursor, next_cursor=next_cursor)


def _walk_queue(base: QuerySet[NoticeItem], cursor: tuple[bool, dt.datetime, int] | None, *, backward: bool,
                size: int) -> tuple[list[NoticeItem], bool]:
    """Up to ``size`` rows after (or before) the cursor in queue order, and whether there are more.

    The order (fast lane first, then due time, then id) is walked one lane at a time: within a lane,
    ``(sla_due_at, id) > cursor`` is a row-value range the queue index serves directly, so the page costs an
    index seek plus ``size`` rows however deep it is (at most one query per lane). Without a cursor
    (``backward`` is then ignored) it is the first page.
    """
    if cursor is None:  # the first page, the one viewed most: a single walk of the index in queue order
        rows = list(base.order_by("-fast_lane", "sla_due_at", "id")[: size + 1])
        return rows[:size], len(rows) > size
    lanes = [False, True] if backward else [True, False]
    lanes = lanes[lanes.index(cursor[0]):]
    order = ("-sla_due_at", "-id") if backward else ("sla_due_at", "id")
    rows: list[NoticeItem] = []
    for lane in lanes:
        items = base.filter(fast_lane=lane)
        if lane == cursor[0]:
            bound = TupleLessThan if backward else TupleGreaterThan
            items = items.filter(bound(Tuple(F("sla_due_at"), F("id")), (cursor[1], cursor[2])))
        rows += items.order_by(*order)[: size + 1 - len(rows)]
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        rows.reverse()
    return rows, more


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_CURSOR = re.compile(r"([01])\.(-?\d{1,18})\.(\d{1,18})")


def _encode_cursor(item: NoticeItem) -> str:
    """Exact position of a row (integer microseconds, so the row-value comparison sees the stored value)."""
    micros = (item.sla_due_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{int(item.fast_lane)}.{micros}.{item.pk}"


def _decode_cursor(raw: str) -> tuple[bool, dt.datetime, int]:
    match = _CURSOR.fullmatch(raw)
    if match is None:
        raise InvalidInput({"cursor": ["分页位置无效，请回到第一页"]})
    try:
        due = _EPOCH + dt.timedelta(microseconds=int(match[2]))
    except OverflowError as exc:
        raise InvalidInput({"cursor": ["分页位置无效，请回到第一页"]}) from exc
    return match[1] == "1", due, int(match[3])


def notices_visible_to(*, actor: User) -> QuerySet[Notice]:
    notices = (Notice.objects.select_related("platform", "notifier").annotate(n_items=Count("items"))
               .order_by("-created_at", "-id"))
    if is_staff_role(actor):
        return notices
    platform_ids = list(platforms_operated_by(actor).values_list("pk", flat=True))
    return notices.filter(Q(notifier_id__in=represented_org_ids(actor, scope="notices"))
                          | Q(platform_id__in=platform_ids))


def get_notice(*, actor: User, pk: int) -> Notice:
    notice = Notice.objects.select_related("platform", "notifier", "filed_by").filter(pk=pk).first()
    if notice is None or not actor.has_perm("takedown.view_notice", notice):
        raise NotFound("未找到该通知")
    return notice


def get_item(*, actor: User, pk: int) -> NoticeItem:
    item = (NoticeItem.objects.select_related("notice", "notice__platform", "notice__notifier", "listing",
                                              "listing__shop", "joined_to", "joined_to__notice")
            .filter(pk=pk).first())
    if item is None or not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    return item


def seller_items(*, actor: User) -> QuerySet[NoticeItem]:
    """Listings of the organisations the actor acts for that received notices (the counter-notice page)."""
    org_ids = represented_org_ids(actor)
    if not org_ids:
        return NoticeItem.objects.none()
    return (NoticeItem.objects.filter(listing__shop__seller_org_id__in=org_ids)
            .exclude(status=NoticeItem.Status.JOINED)
            .select_related("notice", "notice__notifier", "notice__platform", "listing").order_by("-id"))


def timeline(*, item: NoticeItem) -> QuerySet[ListingEvent]:
    return ListingEvent.objects.filter(listing_id=item.listing_id).select_related("item__notice")


def public_notices(*, q: str = "") -> QuerySet[Notice]:
    """Art. 44: notices, counter-notices and outcomes; rendered with personal data masked."""
    notices = Notice.objects.select_related("platform", "notifier").prefetch_related(
        "items__listing__shop", "items__counter_notice", "rights")
    if q:
        notices = notices.filter(Q(number=q.strip()) | Q(items__listing__listing_id=q.strip())).distinct()
    return notices.order_by("-created_at", "-id")


def mask_name(name: str, uscc: str = "") -> str:
    """An organisation (it has a USCC) is shown; a natural person's name keeps only its first character."""
    if uscc or not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def metrics(*, platform: Platform, since: dt.datetime | None = None) -> dict:
    """Time to first measure (median, p90), share within SLA, counter-notice and relisting rates."""
    notices = Notice.objects.filter(platform=platform)
    if since is not None:
        notices = notices.filter(created_at__gte=since)
    rows = list(notices.values_list("created_at", "first_measure_at", "sla_due_at"))
    hours = sorted((m - c).total_seconds() / 3600 for c, m, _ in rows if m is not None)
    within = sum(1 for _, m, due in rows if m is not None and m <= due)

    def pct(p: float) -> float | None:
        return round(hours[min(len(hours) - 1, int(p * len(hours)))], 2) if hours else None

    items = NoticeItem.objects.filter(notice__in=notices)
    measured = items.filter(measure__in=["remove", "block", "stop_service"]).count()
    countered = items.filter(counter_notice__isnull=False).count()
    relisted = RelistFlag.objects.filter(listing__platform=platform, created_at__gte=since or timezone.now()
                                         - dt.timedelta(days=36500)).count()
    return {"notices": len(rows), "median_hours": pct(0.5), "p90_hours": pct(0.9),
            "within_sla": round(within / len(rows), 3) if rows else None,
            "counter_rate": round(countered / measured, 3) if measured else None,
            "relist_rate": round(relisted / measured, 3) if measured else None}


def monthly_metrics(*, platform: Platform, months: int = 12) -> list[dict]:
    """Per calendar month (Beijing time): notices, median and p90 hours to first measure, share within SLA."""
    since = timezone.now() - dt.timedelta(days=31 * months)
    rows = Notice.objects.filter(platform=platform, created_at__gte=since).values_list(
        "created_at", "first_measure_at", "sla_due_at")
    by_month: dict[str, list] = {}
    for created, measured, due in rows:
        by_month.setdefault(timezone.localtime(created).strftime("%Y-%m"), []).append((created, measured, due))
    out = []
    for month in sorted(by_month):
        group = by_month[month]
        hours = sorted((m - c).total_seconds() / 3600 for c, m, _ in group if m is not None)
        within = sum(1 for _, m, due in group if m is not None and m <= due)
        share = within / len(group)
        out.append({"month": month, "notices": len(group),
                    "median_hours": round(hours[len(hours) // 2], 2) if hours else None,
                    "p90_hours": round(hours[min(len(hours) - 1, int(0.9 * len(hours)))], 2) if hours else None,
                    "within_sla": round(share, 3), "bar": round(share * 100)})
    return out


def live_items(*, actor: User, limit: int = 200) -> list[NoticeItem]:
    """Live-stream listings under the notices the actor can see, open ones first."""
    notices = notices_visible_to(actor=actor).filter(kind=Notice.Kind.LIVE)
    return list(NoticeItem.objects.filter(notice__in=notices.values("pk"))
                .select_related("notice", "notice__platform", "listing").order_by("closed_at", "-id")[:limit])


def get_listing(*, actor: User, pk: int) -> Listing:
    """A listing's own page: the platform's operators and staff (parties see it through their notice items)."""
    listing = Listing.objects.select_related("platform", "shop").filter(pk=pk).first()
    if listing is None or not (is_staff_role(actor) or actor.has_perm("takedown.operate_platform", listing.platform)):
        raise NotFound("未找到该商品")
    return listing


def relist_flags_for(*, actor: User, confirmed: bool | None = None) -> QuerySet[RelistFlag]:
    """The relisting flags on the listings of the platform ``actor`` operates, newest first (none for others:
    only the platform decides whether a flagged listing is a relisted copy)."""
    flags = (RelistFlag.objects.filter(listing__platform__in=platforms_operated_by(actor))
             .select_related("listing", "fingerprint__listing", "confirmed_by").order_by("-created_at", "-id"))
    if confirmed is not None:
        flags = flags.filter(confirmed_at__isnull=not confirmed)
    return flags


def get_relist_flag(*, actor: User, pk: int) -> RelistFlag:
    """A relisting flag, for whoever may see its listing's page (the platform's operators and staff)."""
    flag = RelistFlag.objects.select_related("listing__platform", "listing__shop").filter(pk=pk).first()
    if flag is None:
        raise NotFound("未找到该标记")
    get_listing(actor=actor, pk=flag.listing_id)
    return flag
