"""Writes for notice-and-takedown: platforms, listings, notices, measures, service on the seller.

Each function is one transaction: permission check, state transition (django-fsm; an illegal one → 409
listing what is allowed), a ``ListingEvent`` on the listing's timeline, an audit entry and notifications.
Time-dependent functions take ``now`` so tests (and the catching-up periodic job) can simulate time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.evidence import selectors as evidence_selectors
from zhibao.law import uscc as uscc_lib
from zhibao.notifications.services import notify
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right, RightType
from zhibao.takedown import integration, relisting, repeat, selectors, webhooks
from zhibao.takedown.models import (
    Listing,
    ListingEvent,
    Notice,
    NoticeItem,
    Platform,
    Shop,
)

MAX_LISTINGS = 300
COUNTER_RULE = "ecommerce_counter_notice"
EXTENSION_RULE = "ecommerce_notarisation_extension"
LIFTED_STATES = (NoticeItem.Status.RESTORED, NoticeItem.Status.WITHDRAWN, NoticeItem.Status.NO_ACTION,
                 NoticeItem.Status.JOINED)
DOWN_STATES = (NoticeItem.Status.TAKEN_DOWN, NoticeItem.Status.COUNTERED, NoticeItem.Status.CLOCK,
               NoticeItem.Status.PROCEEDING)


# --- helpers -----------------------------------------------------------------------------------------

def _fire(obj: Any, name: str) -> None:
    """Run an fsm transition or raise Conflict naming the transitions allowed from the current state."""
    method = getattr(obj, name)
    if not can_proceed(method):
        allowed = sorted(t.name for t in obj.get_available_status_transitions())
        raise Conflict(f"当前状态（{obj.get_status_display()}）不允许此操作", allowed_transitions=allowed,
                       status=obj.status)
    method()


def _event(*, item: NoticeItem | None, listing: Listing, actor: User | None, kind: str, summary: str,
           reason: str = "", public: bool = False, at: dt.datetime | None = None) -> ListingEvent:
    return ListingEvent.objects.create(
        listing=listing, item=item, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else "system", kind=kind, summary=summary[:300],
        reason=reason, public=public, at=at or timezone.now())


def operators(platform: Platform) -> list[User]:
    return list(User.objects.filter(role=Role.PLATFORM_OPERATOR, organisation_id=platform.organisation_id,
                                    is_active=True))


def _org_users(org_id: int | None) -> list[User]:
    if org_id is None:
        return []
    return list(User.objects.filter(organisation_id=org_id, is_active=True,
                                    role__in=(Role.RIGHT_HOLDER, Role.PLATFORM_OPERATOR)))


def _notifier_users(notice: Notice) -> list[User]:
    return [notice.filed_by, *_org_users(notice.notifier_id)]


def _item_url(item: NoticeItem) -> str:
    return f"/takedown/items/{item.pk}/"


def _parse_decimal(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(f"价格格式有误：{value}")
        return None
    if not amount.is_finite() or amount < 0:
        errors.setdefault(field, []).append("价格不能为负数")
        return None
    return amount.quantize(Decimal("0.01"))


# --- platforms and listings -------------------------------------------------------------------------

@transaction.atomic
def register_platform(*, actor: User | None, organisation: Organisation, name: str, sla_hours: int = 24,
                      fast_lane_hours: int = 2, live_sla_minutes: int = 30, oncall: User | None = None) -> Platform:
    """Register an organisation as a platform; city/district administrators or the organisation's operators."""
    if actor is not None and not (actor.role in (Role.CITY_ADMIN, Role.DISTRICT_ADMIN) or (
            actor.role == Role.PLATFORM_OPERATOR and actor.organisation_id == organisation.pk)):
        raise Forbidden("无权登记该平台")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["请填写平台名称"]
    if not 1 <= sla_hours <= 24 * 7:
        errors["sla_hours"] = ["首次措施时限应在 1 到 168 小时之间"]
    if not 1 <= live_sla_minutes <= 24 * 60:
        errors["live_sla_minutes"] = ["直播时限应在 1 到 1440 分钟之间"]
    if Platform.objects.filter(organisation=organisation).exists():
        errors["organisation"] = ["该主体已登记为平台"]
    if errors:
        raise InvalidInput(errors)
    platform = Platform.objects.create(organisation=organisation, name=name.strip(), sla_hours=sla_hours,
                                       fast_lane_hours=fast_lane_hours, live_sla_minutes=live_sla_minutes,
                                       oncall=oncall)
    audit.record(actor=actor, action="create", obj=platform, after=audit.snapshot(platform))
    return platform


@transaction.atomic
def configure_platform(*, actor: User, platform: Platform, sla_hours: int, fast_lane_hours: int,
                       live_sla_minutes: int, oncall: User | None, webhook_url: str, webhook_secret: str) -> Platform:
    """The platform's own settings: SLA, on-call contact (one of its operators) and the signed webhook."""
    if not actor.has_perm("takedown.operate_platform", platform):
        raise NotFound("未找到该平台")
    errors: dict[str, list[str]] = {}
    if not 1 <= sla_hours <= 24 * 7:
        errors["sla_hours"] = ["首次措施时限应在 1 到 168 小时之间"]
    if not 1 <= fast_lane_hours <= sla_hours:
        errors["fast_lane_hours"] = ["快速通道时限应在 1 小时到首次措施时限之间"]
    if not 1 <= live_sla_minutes <= 24 * 60:
        errors["live_sla_minutes"] = ["直播时限应在 1 到 1440 分钟之间"]
    if oncall is not None and oncall not in operators(platform):
        errors["oncall"] = ["值班联系人须是本平台的运营人员"]
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        errors["webhook_url"] = ["回调地址应以 https:// 开头"]
    if webhook_url and len(webhook_secret) < 16:
        errors["webhook_secret"] = ["设置回调地址时须设置至少 16 位的签名密钥"]
    if errors:
        raise InvalidInput(errors)
    before = audit.snapshot(platform, exclude=("webhook_secret",))
    platform.sla_hours, platform.fast_lane_hours, platform.live_sla_minutes = sla_hours, fast_lane_hours, live_sla_minutes
    platform.oncall, platform.webhook_url = oncall, webhook_url
    if webhook_secret:
        platform.webhook_secret = webhook_secret
    platform.save()
    old, new = audit.diff(before, audit.snapshot(platform, exclude=("webhook_secret",)))
    audit.record(actor=actor, action="update", obj=platform, before=old, after=new)
    return platform


def _clean_listing(raw: dict[str, Any], prefix: str, errors: dict[str, list[str]]) -> dict[str, Any]:
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
    if not data.get("listing_id"):
        errors.setdefault(f"{prefix}listing_id", []).append("请填写商品编号")
    if not data.get("title"):
        errors.setdefault(f"{prefix}title", []).append("请填写商品标题")
    url = data.get("url") or ""
    if url and not url.startswith(("http://", "https://")):
        errors.setdefault(f"{prefix}url", []).append("链接应以 http:// 或 https:// 开头")
    code = (data.get("seller_uscc") or "").upper()
    if code:
        result = uscc_lib.validate(code)
        if not result.valid:
            errors.setdefault(f"{prefix}seller_uscc", []).append("统一社会信用代码无效：" + "；".join(result.errors))
    if not code and not data.get("seller_name") and not data.get("shop_id"):
        errors.setdefault(f"{prefix}seller_name", []).append("请填写经营者统一社会信用代码、名称或店铺编号")
    images = data.get("images") or []
    if not isinstance(images, list) or not all(isinstance(i, str) for i in images):
        errors.setdefault(f"{prefix}images", []).append("图片应为网址列表")
    data["seller_uscc"] = code
    data["price"] = _parse_decimal(data.get("price"), f"{prefix}price", errors)
    return data


def _shop_key(data: dict[str, Any]) -> str:
    return (data.get("shop_id") or (f"uscc-{data['seller_uscc']}" if data["seller_uscc"]
                                    else f"seller-{data.get('seller_name', '')}"))[:64]


def _screening_item(platform: Platform, listing: Listing, data: dict[str, Any]) -> dict[str, Any]:
    """A new listing as monitoring screens it: the title (a name is at most 100 characters, the whole title
    goes in as text so a GI name further on is still found), the seller, the link and the main image."""
    title = "".join(c for c in listing.title if c.isprintable()).strip()
    shop = listing.shop
    return {"name": title[:100].strip() or listing.listing_id, "text": title,
            "reference": listing.url or f"{platform.name} {listing.listing_id}",
            "party": shop.seller_name or shop.name or shop.shop_id, "party_uscc": shop.seller_uscc,
            "images": [data["image_bytes"]] if data.get("image_bytes") else [],
            "origin": f"takedown.listing:{listing.pk}",
            "details": {"platform_id": platform.pk, "platform": platform.name, "listing_id": listing.listing_id}}


def _upsert_listings(platform: Platform, cleaned: Sequence[dict[str, Any]], actor: User | None,
                     now: dt.datetime | None = None, known_to: Organisation | None = None) -> list[Listing]:
    """Create or update listings in a few set-based queries (a notice carries up to 300), then check relisting.

    Shops are created on first sight and sellers matched to registered organisations by USCC; each new listing
    gets a "listed" event; new and changed listings are checked against removed fingerprints. New listings are
    handed to monitoring after the commit, to screen against other right holders' watch lists (``known_to``,
    the notifier, already knows them).
    """
    now = now or timezone.now()
    codes = {d["seller_uscc"] for d in cleaned if d["seller_uscc"]}
    orgs = dict(Organisation.objects.filter(uscc__in=codes).values_list("uscc", "pk")) if codes else {}
    shop_ids = {_shop_key(d) for d in cleaned}
    shops = {s.shop_id: s for s in Shop.objects.filter(platform=platform, shop_id__in=shop_ids)}
    new_shops = {}
    for d in cleaned:
        key = _shop_key(d)
        if key not in shops and key not in new_shops:
            new_shops[key] = Shop(platform=platform, shop_id=key, name=(d.get("shop_name") or "")[:200],
                                  seller_uscc=d["seller_uscc"], seller_name=(d.get("seller_name") or "")[:200],
                                  seller_org_id=orgs.get(d["seller_uscc"]))
    if new_shops:
        Shop.objects.bulk_create(new_shops.values())
        shops.update(new_shops)
    existing = {li.listing_id: li for li in Listing.objects.filter(
        platform=platform, listing_id__in=[d["listing_id"][:64] for d in cleaned]).select_related("shop")}
    out, created, changed, data_of = [], [], [], {}
    for d in cleaned:
        fields = {"shop": shops[_shop_key(d)], "url": (d.get("url") or "")[:1000], "title": d["title"][:300],
                  "price": d["price"], "images": d.get("images") or []}
        if d.get("image_bytes"):
            fields["image_phash"] = relisting.image_phash(d["image_bytes"])
        listing = existing.get(d["listing_id"][:64])
        if listing is None:
            listing = Listing(platform=platform, listing_id=d["listing_id"][:64], created_at=now, **fields)
            created.append(listing)
            data_of[id(listing)] = d
        elif any(getattr(listing, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(listing, k, v)
            listing.save()
            changed.append(listing)
        out.append(listing)
    if created:
        Listing.objects.bulk_create(created)
        ListingEvent.objects.bulk_create([
            ListingEvent(listing=li, actor=actor if getattr(actor, "pk", None) else None,
                         actor_name=str(actor) if actor is not None else "system", kind="listed", summary="商品登记",
                         at=now) for li in created])
        integration.submit_for_screening(source="listing", skip_owner=known_to,
                                         items=[_screening_item(platform, li, data_of[id(li)]) for li in created])
    flags = relisting.flag_many(created + changed)
    for listing, found in flags.items():
        for flag in found:
            fp = flag.fingerprint
            _event(item=None, listing=listing, actor=None, kind="relist_flag", at=now,
                   summary=f"疑似重新上架：与已处理商品 {fp.listing.listing_id} 的{flag.matched_on}一致；在先处理 {fp.decision}")
        notify(recipients=operators(platform), kind="takedown.relisted",
               title=f"疑似重新上架：{listing.listing_id} {listing.title[:40]}",
               body="; ".join(f.fingerprint.decision for f in found), url=f"/takedown/listings/{listing.pk}/")
    return out


@transaction.atomic
def register_listings(*, actor: User, platform: Platform, listings: Sequence[dict[str, Any]]) -> list[Listing]:
    """The platform's own listings (API): created or updated, each checked against removed fingerprints."""
    if not actor.has_perm("takedown.operate_platform", platform):
        raise NotFound("未找到该平台")
    if not listings or len(listings) > 1000:
        raise InvalidInput({"listings": ["每次登记 1 到 1000 个商品"]})
    errors: dict[str, list[str]] = {}
    cleaned = [_clean_listing(raw, f"listings[{i}].", errors) for i, raw in enumerate(listings)]
    if errors:
        raise InvalidInput(errors)
    return _upsert_listings(platform, cleaned, actor)


# --- notices -----------------------------------------------------------------------------------------

def _notice_no(now: dt.datetime) -> str:
    return f"TZ{timezone.localtime(now):%Y%m%d}{secrets.token_hex(3).upper()}"


def _check_rights(*, notifier: Organisation, right_ids: Sequence[int], goods_class: int | None,
                  errors: dict[str, list[str]]) -> list[Right]:
    if not right_ids:
        errors["right_ids"] = ["请至少选择一项权利"]
        return []
    found = {r.pk: r for r in Right.objects.filter(pk__in=list(right_ids))}
    rights = []
    for rid in right_ids:
        right = found.get(rid)
        if right is None or right.owner_id != notifier.pk:
            errors.setdefault("right_ids", []).append(f"权利 {rid} 不存在或不属于通知人 {notifier.name}")
            continue
        if not right.is_in_force:
            errors.setdefault("right_ids", []).append(
                f"{right}：权利不在有效期内（状态 {right.get_status_display()}，届满日 {right.valid_until or '—'}）")
            continue
        if right.right_type == RightType.TRADE_SECRET:
            errors.setdefault("right_ids", []).append(f"{right}：商业秘密不适用通知-删除程序")
            continue
        if right.right_type == RightType.TRADEMARK:
            if goods_class is None:
                errors.setdefault("goods_class", []).append("商标通知须填写商品所属尼斯分类")
            elif goods_class not in (right.nice_classes or []):
                errors.setdefault("goods_class", []).append(
                    f"{right}：核定使用类别 {right.nice_classes} 不包括第 {goods_class} 类商品")
                continue
        rights.append(right)
    return rights


@transaction.atomic
def file_notice(*, actor: User, notifier: Organisation, platform: Platform, right_ids: Sequence[int],
                listings: Sequence[dict[str, Any]], statement: str, deposit_nos: Iterable[str] = (),
                goods_class: int | None = None, kind: str = Notice.Kind.STANDARD,
                now: dt.datetime | None = None) -> Notice:
    """File a notice (art. 42) for up to 300 listings; a listing already under an open notice joins that one."""
    if notifier.pk not in represented_org_ids(actor, scope="notices"):
        raise Forbidden("无权以该权利人名义发出通知（需为权利人本人或持有有效授权委托的代理人）")
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if kind not in Notice.Kind.values:
        errors["kind"] = [f"未知的通知类型：{kind}"]
    if not listings:
        errors["listings"] = ["请至少列出一个商品"]
    elif len(listings) > MAX_LISTINGS:
        raise InvalidInput({"listings": [f"每份通知最多 {MAX_LISTINGS} 个商品，本次 {len(listings)} 个"]})
    if len(statement.strip()) < 10:
        errors["statement"] = ["请说明侵权初步证据，并承诺通知内容真实（至少 10 个字）"]
    rights = _check_rights(notifier=notifier, right_ids=right_ids, goods_class=goods_class, errors=errors)
    deposits = []
    visible = evidence_selectors.deposits_visible_to(actor=actor)
    for no in deposit_nos:
        deposit = visible.filter(deposit_no=no.strip()).first()
        if deposit is None:
            errors.setdefault("deposit_nos", []).append(f"存证 {no} 不存在或无权使用")
        else:
            deposits.append(deposit)
    cleaned = [_clean_listing(raw, f"listings[{i}].", errors) for i, raw in enumerate(listings or [])]
    ids = [c.get("listing_id") for c in cleaned]
    dupes = sorted({i for i in ids if i and ids.count(i) > 1})
    if dupes:
        errors.setdefault("listings", []).append(f"商品编号重复：{', '.join(dupes)}")
    if errors:
        raise InvalidInput(errors)
    quality = selectors.notifier_quality(notifier_id=notifier.pk)
    fast = kind == Notice.Kind.STANDARD and quality.fast_lane
    if kind == Notice.Kind.LIVE:
        due = now + dt.timedelta(minutes=platform.live_sla_minutes)
    else:
        due = now + dt.timedelta(hours=platform.fast_lane_hours if fast else platform.sla_hours)
    notice = Notice.objects.create(number=_notice_no(now), platform=platform, notifier=notifier, filed_by=actor,
                                   kind=kind, goods_class=goods_class, statement=statement.strip(), fast_lane=fast,
                                   created_at=now, sla_due_at=due)
    notice.rights.set(rights)
    notice.deposits.set(deposits)
    listings = _upsert_listings(platform, cleaned, actor, now, known_to=notifier)
    earlier_items = {}
    for open_item in (NoticeItem.objects.filter(listing__in=listings, status__in=NoticeItem.OPEN_STATES)
                      .exclude(notice=notice).select_related("notice").order_by("id")):
        earlier_items.setdefault(open_item.listing_id, open_item)
    items, events, joined = [], [], 0
    actor_name = str(actor)
    for listing in listings:
        item = NoticeItem(notice=notice, listing=listing, platform=platform, fast_lane=fast, sla_due_at=due)
        earlier = earlier_items.get(listing.pk)
        if earlier is not None:
            item.joined_to = earlier
            _fire(item, "join")
            item.closed_at = now
            joined += 1
            summary = f"{notifier.name} 的通知 {notice.number} 并入在先通知 {earlier.notice.number}"
            events.append(ListingEvent(listing=listing, actor=actor, actor_name=actor_name, kind="joined",
                                       summary=summary[:300], at=now))
        else:
            summary = f"收到 {notifier.name} 的通知 {notice.number}" + ("（善意快速通道）" if fast else "")
            events.append(ListingEvent(listing=listing, actor=actor, actor_name=actor_name, kind="notice",
                                       summary=summary[:300], public=True, at=now))
        items.append(item)
    NoticeItem.objects.bulk_create(items)
    for event, item in zip(events, items, strict=True):
        event.item = item
    ListingEvent.objects.bulk_create(events)
    if joined == len(cleaned):
        _fire(notice, "close")
        notice.save()
    webhooks.schedule(notice)
    audit.record(actor=actor, action="file_notice", obj=notice,
                 after={"listings": len(cleaned), "joined": joined, "fast_lane": fast,
                        "rights": [r.pk for r in rights]})
    notify(recipients=operators(platform), kind="takedown.notice",
           title=f"新通知 {notice.number}：{len(cleaned)} 个商品" + ("（快速通道）" if fast else ""),
           body=f"通知人 {notifier.name}；处理期限 {timezone.localtime(due):%Y-%m-%d %H:%M}",
           url=f"/takedown/notices/{notice.pk}/")
    return notice


def _maybe_close(notice: Notice, now: dt.datetime) -> None:
    open_left = notice.items.filter(status__in=NoticeItem.OPEN_STATES).exists()
    if not open_left and notice.status == Notice.Status.OPEN:
        _fire(notice, "close")
        notice.save()


def _restore_listing_if_clear(item: NoticeItem, actor: User | None, now: dt.datetime, why: str) -> None:
    listing = Listing.objects.select_for_update().get(pk=item.listing_id)
    still = NoticeItem.objects.filter(listing=listing, status__in=DOWN_STATES).exclude(pk=item.pk).exists()
    if listing.status == Listing.Status.DOWN and not still:
        _fire(listing, "restore")
        listing.save()
        listing.fingerprints.filter(item=item).update(active=False)
        _event(item=item, listing=listing, actor=actor, kind="restored", summary=f"恢复商品：{why}", public=True,
               at=now)


@transaction.atomic
def decide(*, actor: User, item: NoticeItem, measure: str, reason: str = "", now: dt.datetime | None = None
           ) -> NoticeItem:
    """The platform's measure on one listing: remove, block, stop service, or no action with a reason."""
    if not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    if not actor.has_perm("takedown.decide_item", item):
        raise Forbidden("只有该平台的运营人员可以采取措施")
    if measure not in NoticeItem.Measure.values:
        raise InvalidInput({"measure": [f"未知的措施：{measure}（可选：{', '.join(NoticeItem.Measure.values)}）"]})
    if measure == NoticeItem.Measure.NO_ACTION and len(reason.strip()) < 4:
        raise InvalidInput({"reason": ["不采取措施须说明理由"]})
    now = now or timezone.now()
    item = NoticeItem.objects.select_for_update().select_related("notice", "listing").get(pk=item.pk)
    _fire(item, "decline" if measure == NoticeItem.Measure.NO_ACTION else "take_measure")
    item.measure, item.measure_reason, item.measured_at = measure, reason.strip(), now
    if measure == NoticeItem.Measure.NO_ACTION:
        item.closed_at = now
    item.save()
    notice = item.notice
    if notice.first_measure_at is None:
        Notice.objects.filter(pk=notice.pk).update(first_measure_at=now)
        notice.first_measure_at = now
    listing = item.listing
    if measure != NoticeItem.Measure.NO_ACTION:
        if listing.status == Listing.Status.ONLINE:
            _fire(listing, "take_down")
            listing.save()
        relisting.record_fingerprint(item)
        repeat.check_removals(actor=actor, listing=listing, now=now)
    _event(item=item, listing=listing, actor=actor, kind="measure", public=True, at=now, reason=reason.strip(),
           summary=f"平台措施：{item.get_measure_display()}")
    _maybe_close(notice, now)
    audit.record(actor=actor, action="takedown_measure", obj=notice, after={"item": item.pk, "measure": measure},
                 reason=reason)
    followers = [u for j in item.joiners.select_related("notice__filed_by") for u in _notifier_users(j.notice)]
    notify(recipients=_notifier_users(notice) + followers, kind="takedown.measure",
           title=f"通知 {notice.number}：商品 {listing.listing_id} {item.get_measure_display()}", url=_item_url(item))
    return item


@transaction.atomic
def record_served(*, actor: User, item: NoticeItem, served_at: dt.datetime | None = None) -> NoticeItem:
    """The platform forwarded the notice to the seller (送达); the time is recorded on the timeline."""
    if not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    if not actor.has_perm("takedown.decide_item", item):
        raise Forbidden("只有该平台的运营人员可以登记送达")
    served_at = served_at or timezone.now()
    if served_at.tzinfo is None:
        raise InvalidInput({"served_at": ["送达时间须带时区"]})
    if served_at > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput({"served_at": ["送达时间不能晚于当前时间"]})
    if item.seller_served_at is not None:
        return item  # a repeated receipt (e.g. a retried API call) changes nothing
    item.seller_served_at = served_at
    item.save(update_fields=["seller_served_at"])
    _event(item=item, listing=item.listing, actor=actor, kind="served", at=served_at,
           summary=f"通知已转送经营者（送达时间 {timezone.localtime(served_at):%Y-%m-%d %H:%M}）")
    sellers = _org_users(item.listing.shop.seller_org_id)
    notify(recipients=sellers, kind="takedown.served", title=f"您的商品 {item.listing.listing_id} 收到侵权通知",
           body="如认为不构成侵权，可提交不侵权声明及证据。", url=_item_url(item))
    return item



def capture_listing_page(*, actor: User, url: str) -> str:
    """Capture the listing page in headless Chromium as an evidence deposit; returns its deposit number.

    Runs before ``file_notice`` (outside its transaction): the ledger append is its own durable step, and the
    deposit stays valid evidence even if the notice is then rejected.
    """
    from zhibao.evidence import services as evidence

    outcome = evidence.capture_and_deposit(actor=actor, url=url, title=f"商品页面取证 {url}"[:200],
                                           category="infringement")
    return outcome.deposit.deposit_no
