"""API: right holders file notices (scope takedown:notices); platforms pull their queue, register listings and
post measures and receipts (scope takedown:platform); sellers counter (takedown:seller); the art. 44 feed is public.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhibao.accounts.api_auth import require_scope
from zhibao.core.errors import InvalidInput
from zhibao.core.exports import export_response
from zhibao.core.schemas import Page, StrictSchema, check_limit, page_of
from zhibao.orgs.selectors import get_organisation
from zhibao.takedown import selectors, services
from zhibao.takedown.models import NoticeItem

router = Router(tags=["电商通知-删除"])
public_router = Router(tags=["公开信息"])

PLATFORM, NOTICES, SELLER = "takedown:platform", "takedown:notices", "takedown:seller"


class ListingIn(StrictSchema):
    listing_id: str
    title: str
    url: str = ""
    price: Decimal | None = None
    images: list[str] = []
    shop_id: str = ""
    shop_name: str = ""
    seller_uscc: str = ""
    seller_name: str = ""


class NoticeIn(StrictSchema):
    notifier_id: int
    platform_id: int
    right_ids: list[int]
    listings: list[ListingIn]
    statement: str
    goods_class: int | None = None
    deposit_nos: list[str] = []
    kind: str = "standard"


class ItemOut(Schema):
    id: int
    notice_number: str
    listing_id: str
    title: str
    url: str
    status: str
    measure: str
    measured_at: dt.datetime | None
    seller_served_at: dt.datetime | None
    clock_deadline: dt.date | None
    clock_rule: str
    joined_to_id: int | None
    relisted: bool = False
    notifier_flagged: bool = False


def _item(item: NoticeItem) -> dict:
    return {"id": item.pk, "notice_number": item.notice.number, "listing_id": item.listing.listing_id,
            "title": item.listing.title, "url": item.listing.url, "status": item.status, "measure": item.measure,
            "measured_at": item.measured_at, "seller_served_at": item.seller_served_at,
            "clock_deadline": item.clock_deadline, "clock_rule": item.clock_rule, "joined_to_id": item.joined_to_id,
            "relisted": getattr(item, "relisted", False), "notifier_flagged": getattr(item, "notifier_flagged", False)}


class NoticeOut(Schema):
    id: int
    number: str
    platform_id: int
    notifier_id: int
    notifier_name: str
    kind: str
    status: str
    fast_lane: bool
    created_at: dt.datetime
    sla_due_at: dt.datetime
    first_measure_at: dt.datetime | None
    malicious: bool


def _notice(n) -> dict:  # noqa: ANN001
    return {"id": n.pk, "number": n.number, "platform_id": n.platform_id, "notifier_id": n.notifier_id,
            "notifier_name": n.notifier.name, "kind": n.kind, "status": n.status, "fast_lane": n.fast_lane,
            "created_at": n.created_at, "sla_due_at": n.sla_due_at, "first_measure_at": n.first_measure_at,
            "malicious": n.malicious}


class NoticeDetail(NoticeOut):
    items: list[ItemOut]


class EventOut(Schema):
    at: dt.datetime
    actor: str
    kind: str
    summary: str
    reason: str


class ItemDetail(ItemOut):
    timeline: list[EventOut]


class MeasureIn(StrictSchema):
    measure: str
    reason: str = ""


class ServedIn(StrictSchema):
    served_at: dt.datetime | None = None


class CounterIn(StrictSchema):
    statement: str
    deposit_nos: list[str] = []


class ExtendIn(StrictSchema):
    working_days: int
    reason: str


@router.post("/notices", response={201: NoticeDetail}, summary="发出通知（最多 300 个商品）")
def file_notice(request, payload: NoticeIn):  # noqa: ANN001, ANN201
    require_scope(request, NOTICES)
    notifier = get_organisation(actor=request.user, pk=payload.notifier_id)
    platform = selectors.all_platforms().filter(pk=payload.platform_id).first()
    if platform is None:
        raise InvalidInput({"platform_id": ["未登记的平台"]})
    notice = services.file_notice(
        actor=request.user, notifier=notifier, platform=platform, right_ids=payload.right_ids,
        listings=[li.dict() for li in payload.listings], statement=payload.statement,
        goods_class=payload.goods_class, deposit_nos=payload.deposit_nos, kind=payload.kind)
    return Status(201, {**_notice(notice), "items": [_item(i) for i in notice.items.select_related("listing")]})


@router.get("/notices", response=Page[NoticeOut], summary="我可见的通知")
def list_notices(request, limit: int = 50, offset: int = 0):  # noqa: ANN001, ANN201
    require_scope(request, NOTICES)
    return page_of(selectors.notices_visible_to(actor=request.user), limit, offset, _notice)


@router.get("/notices/{notice_id}", response=NoticeDetail, summary="通知详情")
def get_notice(request, notice_id: int):  # noqa: ANN001, ANN201
    require_scope(request, NOTICES)
    notice = selectors.get_notice(actor=request.user, pk=notice_id)
    items = notice.items.select_related("notice", "listing")[:300]
    return {**_notice(notice), "items": [_item(i) for i in items]}


@router.get("/queue", response=Page[ItemOut], summary="平台待处理队列（快速通道、直播在前，按期限排序）")
def platform_queue(request, status: str = "pending", limit: int = 100, offset: int = 0):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    data = page_of(selectors.queue(actor=request.user, status=status), limit, offset, lambda i: i)
    data["items"] = [_item(i) for i in selectors.mark_flags(data["items"])]
    return data


class QueuePageOut(Schema):
    count: int
    count_capped: bool
    next_cursor: str
    prev_cursor: str
    items: list[ItemOut]


@router.get("/queue/page", response=QueuePageOut,
            summary="平台待处理队列，按游标分页（任意深度都是索引查找；count 最多数到 1000，超过时 count_capped 为 true）")
def platform_queue_page(request, status: str = "pending", after: str = "", before: str = "",  # noqa: ANN001, ANN201
                        limit: int = 100):
    """The queue as the platform's page shows it: ``next_cursor`` → ``after``, ``prev_cursor`` → ``before``. At
    100,000 open items an OFFSET page walks every row before it and the exact count walks them all; prefer this
    to ``/queue`` for pulling a large queue."""
    require_scope(request, PLATFORM)
    check_limit(limit)
    if status and status not in NoticeItem.Status.values:
        raise InvalidInput({"status": [f"未知的状态：{status}（可选：{', '.join(NoticeItem.Status.values)}）"]})
    page = selectors.queue_page(actor=request.user, status=status, after=after, before=before, size=limit)
    return {"count": page.count, "count_capped": page.count_capped, "next_cursor": page.next_cursor,
            "prev_cursor": page.prev_cursor, "items": [_item(i) for i in page.items]}


class RelistFlagOut(Schema):
    id: int
    listing_id: str
    title: str
    matches_listing_id: str
    matched_on: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    confirmed_by: str | None
    confirm_note: str


def _flag(flag) -> dict:  # noqa: ANN001
    return {"id": flag.pk, "listing_id": flag.listing.listing_id, "title": flag.listing.title,
            "matches_listing_id": flag.fingerprint.listing.listing_id, "matched_on": flag.matched_on,
            "created_at": flag.created_at, "confirmed_at": flag.confirmed_at,
            "confirmed_by": flag.confirmed_by.display_name if flag.confirmed_by else None,
            "confirm_note": flag.confirm_note}


@router.get("/relist-flags", response=Page[RelistFlagOut],
            summary="本平台商品的重新上架标记（confirmed=false 只看待确认的）")
def relist_flags(request, confirmed: bool | None = None, limit: int = 50, offset: int = 0):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    selectors.platform_of(request.user)  # 404 for anyone who operates no platform
    return page_of(selectors.relist_flags_for(actor=request.user, confirmed=confirmed), limit, offset, _flag)


class RelistConfirmIn(StrictSchema):
    note: str = ""


@router.post("/relist-flags/{flag_id}/confirm", response=RelistFlagOut,
             summary="平台确认重新上架（记入经营者信用档案；重复确认不产生新记录）")
def confirm_relist_flag(request, flag_id: int, payload: RelistConfirmIn):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    flag = selectors.get_relist_flag(actor=request.user, pk=flag_id)
    return _flag(services.confirm_relisting(actor=request.user, flag=flag, note=payload.note[:2000]))


@router.post("/listings", response={201: list[int]}, summary="登记/更新平台商品（同时检测重新上架）")
def register_listings(request, payload: list[ListingIn]):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    platform = selectors.platform_of(request.user)
    listings = services.register_listings(actor=request.user, platform=platform,
                                          listings=[li.dict() for li in payload])
    return Status(201, [li.pk for li in listings])


@router.get("/items/{item_id}", response=ItemDetail, summary="通知商品详情与时间线")
def get_item(request, item_id: int):  # noqa: ANN001, ANN201
    item = selectors.get_item(actor=request.user, pk=item_id)
    events = [{"at": e.at, "actor": e.actor_name, "kind": e.kind, "summary": e.summary, "reason": e.reason}
              for e in selectors.timeline(item=item)]
    return {**_item(item), "timeline": events}


@router.post("/items/{item_id}/measure", response=ItemOut, summary="采取措施（删除、屏蔽、终止服务或不采取措施并说明理由）")
def post_measure(request, item_id: int, payload: MeasureIn):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    item = selectors.get_item(actor=request.user, pk=item_id)
    return _item(services.decide(actor=request.user, item=item, measure=payload.measure, reason=payload.reason))


@router.post("/items/{item_id}/served", response=ItemOut, summary="登记通知已送达经营者（重复提交不改变记录）")
def post_served(request, item_id: int, payload: ServedIn):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    item = selectors.get_item(actor=request.user, pk=item_id)
    return _item(services.record_served(actor=request.user, item=item, served_at=payload.served_at))


@router.post("/items/{item_id}/forward-counter", response=ItemOut, summary="转送不侵权声明，开始 15 日期间")
def post_forward_counter(request, item_id: int):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    item = selectors.get_item(actor=request.user, pk=item_id)
    return _item(services.forward_counter_notice(actor=request.user, item=item))


@router.post("/items/{item_id}/counter-notice", response={201: ItemOut}, summary="经营者提交不侵权声明")
def post_counter_notice(request, item_id: int, payload: CounterIn):  # noqa: ANN001, ANN201
    require_scope(request, SELLER)
    item = selectors.get_item(actor=request.user, pk=item_id)
    counter = services.file_counter_notice(actor=request.user, item=item, statement=payload.statement,
                                           deposit_nos=payload.deposit_nos)
    return Status(201, _item(counter.item))


@router.post("/items/{item_id}/proceeding", response={201: ItemOut}, summary="提交已投诉/起诉的材料，停止 15 日期间")
def post_proceeding(request, item_id: int, case_number: str = Form(""), reference: str = Form(""),  # noqa: ANN001, ANN201, B008
                    authority: str = Form(""), document: UploadedFile | None = File(None)):  # noqa: B008
    require_scope(request, NOTICES)
    item = selectors.get_item(actor=request.user, pk=item_id)
    proceeding = services.attach_proceeding(actor=request.user, item=item, case_number=case_number,
                                            reference=reference, authority=authority, document=document)
    return Status(201, _item(proceeding.item))


@router.post("/items/{item_id}/extend", response=ItemOut, summary="因公证、认证申请延长（最多 20 个工作日）")
def post_extend(request, item_id: int, payload: ExtendIn):  # noqa: ANN001, ANN201
    require_scope(request, NOTICES)
    item = selectors.get_item(actor=request.user, pk=item_id)
    return _item(services.extend_clock(actor=request.user, item=item, working_days=payload.working_days,
                                       reason=payload.reason))


EXPORT_COLUMNS = ("notice", "notifier", "filed_at", "sla_due_at", "listing_id", "title", "url", "status", "measure",
                  "measured_at", "seller_served_at", "clock_deadline")


@router.get("/export", summary="批量导出本平台的通知商品（CSV/XLSX）", response={200: None})
def export_items(request, format: str = "csv", status: str = ""):  # noqa: A002, ANN001, ANN201
    require_scope(request, PLATFORM)
    if format not in ("csv", "xlsx"):
        raise InvalidInput({"format": ["format 应为 csv 或 xlsx"]})
    items = selectors.queue(actor=request.user, status=status).iterator(chunk_size=2000)
    rows = ((i.notice.number, i.notice.notifier.name, timezone.localtime(i.notice.created_at),
             timezone.localtime(i.notice.sla_due_at), i.listing.listing_id, i.listing.title, i.listing.url,
             i.get_status_display(), i.get_measure_display(),
             timezone.localtime(i.measured_at) if i.measured_at else None,
             timezone.localtime(i.seller_served_at) if i.seller_served_at else None, i.clock_deadline)
            for i in items)
    return export_response(format, "takedown-items", EXPORT_COLUMNS, rows)


@router.get("/metrics", response=dict, summary="平台指标：首次措施用时（中位数、P90）、时限内比例、声明率、重新上架率")
def platform_metrics(request):  # noqa: ANN001, ANN201
    require_scope(request, PLATFORM)
    return selectors.metrics(platform=selectors.platform_of(request.user))


class PublicItem(Schema):
    listing_id: str
    seller: str
    status: str
    measure: str
    counter_notice: bool


class PublicNotice(Schema):
    number: str
    platform: str
    notifier: str
    created_at: dt.datetime
    status: str
    malicious: bool
    items: list[PublicItem]


@public_router.get("/takedown-notices", auth=None, response=Page[PublicNotice],
                   summary="电子商务法第四十四条：通知、声明及处理结果公示（个人信息已遮蔽）")
def public_notices(request, q: str = "", limit: int = 20, offset: int = 0):  # noqa: ANN001, ANN201
    def convert(n) -> dict:  # noqa: ANN001
        return {"number": n.number, "platform": n.platform.name, "notifier": n.notifier.name,
                "created_at": n.created_at, "status": n.get_status_display(), "malicious": n.malicious,
                "items": [{"listing_id": i.listing.listing_id,
                           "seller": selectors.mask_name(i.listing.shop.seller_name, i.listing.shop.seller_uscc),
                           "status": i.get_status_display(), "measure": i.get_measure_display(),
                           "counter_notice": hasattr(i, "counter_notice")} for i in n.items.all()]}

    return page_of(selectors.public_notices(q=q), limit, offset, convert)
