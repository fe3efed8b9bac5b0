"""Writes after the measure: the seller's counter-notice, the 15-day clock, proceedings, lifting, abuse findings.

Split from ``services`` only for size; ``services`` re-exports these, so callers use ``takedown.services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.evidence import selectors as evidence_selectors
from zhibao.law import periods
from zhibao.notifications.services import notify
from zhibao.takedown import integration, repeat
from zhibao.takedown.models import CounterNotice, MaliciousFinding, Notice, NoticeItem, Proceeding, RelistFlag
from zhibao.takedown.services_core import (
    _event,
    _fire,
    _item_url,
    _maybe_close,
    _notifier_users,
    _org_users,
    _restore_listing_if_clear,
    operators,
)

COUNTER_RULE = "ecommerce_counter_notice"
EXTENSION_RULE = "ecommerce_notarisation_extension"
# --- counter-notice and the 15-day clock --------------------------------------------------------------

@transaction.atomic
def file_counter_notice(*, actor: User, item: NoticeItem, statement: str, deposit_nos: Iterable[str] = (),
                        now: dt.datetime | None = None) -> CounterNotice:
    """The seller's declaration of non-infringement (art. 43), with evidence; only while measures are in place."""
    if not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    if not actor.has_perm("takedown.counter_item", item):
        raise Forbidden("只有被通知商品的经营者可以提交不侵权声明")
    errors: dict[str, list[str]] = {}
    if len(statement.strip()) < 10:
        errors["statement"] = ["请说明不存在侵权行为的理由（至少 10 个字）"]
    deposits = []
    visible = evidence_selectors.deposits_visible_to(actor=actor)
    for no in deposit_nos:
        deposit = visible.filter(deposit_no=no.strip()).first()
        if deposit is None:
            errors.setdefault("deposit_nos", []).append(f"存证 {no} 不存在或无权使用")
        else:
            deposits.append(deposit)
    if not deposits:
        errors.setdefault("deposit_nos", []).append("不侵权声明须附初步证据（存证编号）")
    item = NoticeItem.objects.select_for_update().select_related("notice", "listing").get(pk=item.pk)
    _fire(item, "counter")  # 409 before field errors: a restored listing has nothing to counter
    if errors:
        raise InvalidInput(errors)
    item.save()
    now = now or timezone.now()
    counter = CounterNotice.objects.create(item=item, filed_by=actor, statement=statement.strip(), filed_at=now)
    counter.deposits.set(deposits)
    _event(item=item, listing=item.listing, actor=actor, kind="counter_notice", public=True, at=now,
           summary=f"经营者提交不侵权声明（附 {len(deposits)} 份证据）")
    audit.record(actor=actor, action="counter_notice", obj=item.notice, after={"item": item.pk})
    notify(recipients=operators(item.notice.platform), kind="takedown.counter_notice",
           title=f"不侵权声明待转送：{item.notice.number} / {item.listing.listing_id}", url=_item_url(item))
    return counter


def _clock(start: dt.date) -> periods.Deadline:
    try:
        return periods.deadline_for(COUNTER_RULE, start, provisional=True)
    except ValueError as exc:  # CalendarUnavailable is a ValueError
        raise InvalidInput({"clock": [str(exc)]}) from exc


@transaction.atomic
def forward_counter_notice(*, actor: User, item: NoticeItem, now: dt.datetime | None = None) -> NoticeItem:
    """Forward the declaration to the notifier: the 15-day clock starts (day of forwarding not counted)."""
    if not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    if not actor.has_perm("takedown.decide_item", item):
        raise Forbidden("只有该平台的运营人员可以转送声明")
    now = now or timezone.now()
    item = NoticeItem.objects.select_for_update().select_related("notice", "listing").get(pk=item.pk)
    _fire(item, "forward_counter")
    result = _clock(timezone.localtime(now).date())
    item.counter_forwarded_at, item.clock_deadline = now, result.deadline
    item.clock_rule = f"{result.title}（{result.source}）" + ("；" + result.warnings[0] if result.warnings else "")
    item.save()
    _event(item=item, listing=item.listing, actor=actor, kind="counter_forwarded", public=True, at=now,
           summary=f"不侵权声明已转送通知人；{result.amount} 日内未告知已投诉或起诉的，{result.deadline:%Y-%m-%d} "
                   "届满后次日终止措施", reason=item.clock_rule)
    audit.record(actor=actor, action="counter_forwarded", obj=item.notice,
                 after={"item": item.pk, "deadline": result.deadline.isoformat()})
    notify(recipients=_notifier_users(item.notice), kind="takedown.counter_forwarded",
           title=f"收到不侵权声明：{item.listing.listing_id}，请于 {result.deadline:%Y-%m-%d} 前提交投诉或起诉",
           body=item.clock_rule, url=_item_url(item))
    return item


@transaction.atomic
def extend_clock(*, actor: User, item: NoticeItem, working_days: int, reason: str) -> NoticeItem:
    """Extend the clock for notarisation/authentication, once, by at most 20 working days (法释〔2020〕9号)."""
    if not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    if not actor.has_perm("takedown.act_as_notifier", item):
        raise Forbidden("只有通知人可以申请延长")
    rule = periods.get_rule(EXTENSION_RULE)
    errors: dict[str, list[str]] = {}
    if not 1 <= working_days <= rule.amount:
        errors["working_days"] = [f"延长期应为 1 到 {rule.amount} 个工作日（{rule.source}）"]
    if len(reason.strip()) < 4:
        errors["reason"] = ["请说明需要公证、认证的事项"]
    item = NoticeItem.objects.select_for_update().select_related("notice", "listing").get(pk=item.pk)
    if item.status != NoticeItem.Status.CLOCK:
        raise Conflict("只有在 15 日期间内才能申请延长", allowed_transitions=[], status=item.status)
    if item.clock_extended:
        raise Conflict("期间已延长过一次", allowed_transitions=[], status=item.status)
    if errors:
        raise InvalidInput(errors)
    try:
        result = periods.deadline(item.clock_deadline, working_days=working_days, provisional=True)
    except ValueError as exc:
        raise InvalidInput({"working_days": [str(exc)]}) from exc
    before = item.clock_deadline
    item.clock_deadline, item.clock_extended = result.deadline, True
    item.clock_rule += f"；延长 {working_days} 个工作日：{rule.title}（{rule.source}）"
    item.save()
    _event(item=item, listing=item.listing, actor=actor, kind="clock_extended", reason=reason.strip(), public=True,
           summary=f"因公证、认证延长 {working_days} 个工作日：{before:%Y-%m-%d} → {result.deadline:%Y-%m-%d}")
    audit.record(actor=actor, action="clock_extended", obj=item.notice, reason=reason,
                 before={"deadline": before.isoformat()}, after={"deadline": result.deadline.isoformat()})
    notify(recipients=operators(item.notice.platform), kind="takedown.clock_extended",
           title=f"{item.listing.listing_id} 期间延长至 {result.deadline:%Y-%m-%d}", url=_item_url(item))
    return item


@transaction.atomic
def attach_proceeding(*, actor: User, item: NoticeItem, reference: str = "", authority: str = "",
                      document: Any = None, case_number: str = "") -> Proceeding:
    """Show a complaint or lawsuit: either an accepted ZhiBao case, or an acceptance document + external number.

    The clock stops and the measures stay in place.
    """
    from zhibao.core.uploads import check_upload

    if not actor.has_perm("takedown.view_item", item):
        raise NotFound("未找到该通知商品")
    if not actor.has_perm("takedown.act_as_notifier", item):
        raise Forbidden("只有通知人可以提交投诉或起诉材料")
    errors: dict[str, list[str]] = {}
    case = None
    if case_number.strip():
        case = integration.find_accepted_case(case_number.strip())
        if case is None:
            errors["case_number"] = [f"未找到已受理的知保案件 {case_number.strip()}"]
    else:
        if not reference.strip():
            errors["reference"] = ["请填写法院案号或行政机关受理编号"]
        if not authority.strip():
            errors["authority"] = ["请填写受理机关"]
        if document is None:
            errors["document"] = ["请上传受理通知书"]
        else:
            try:
                check_upload(document, field="document", allowed={"application/pdf", "image/png", "image/jpeg"})
            except InvalidInput as exc:
                errors.update(exc.errors)
    item = NoticeItem.objects.select_for_update().select_related("notice", "listing").get(pk=item.pk)
    _fire(item, "attach_proceeding")
    if errors:
        raise InvalidInput(errors)
    item.closed_at = timezone.now()
    item.save()
    proceeding = Proceeding(item=item, attached_by=actor, authority=authority.strip()[:200],
                            kind=Proceeding.Kind.ZHIBAO_CASE if case is not None else Proceeding.Kind.EXTERNAL,
                            reference=(case_number.strip() if case is not None else reference.strip())[:100])
    if document is not None and case is None:
        proceeding.document = document
    proceeding.save()
    _event(item=item, listing=item.listing, actor=actor, kind="proceeding", public=True,
           summary=f"通知人已投诉/起诉（{proceeding.get_kind_display()} {proceeding.reference}），期间停止，维持措施")
    _maybe_close(item.notice, timezone.now())
    repeat.check_removals(actor=actor, listing=item.listing)
    audit.record(actor=actor, action="attach_proceeding", obj=item.notice,
                 after={"item": item.pk, "kind": proceeding.kind, "reference": proceeding.reference})
    notify(recipients=operators(item.notice.platform) + _org_users(item.listing.shop.seller_org_id),
           kind="takedown.proceeding", title=f"{item.listing.listing_id}：通知人已投诉或起诉，措施维持",
           url=_item_url(item))
    return proceeding


def lift_expired(*, now: dt.datetime) -> int:
    """Lift measures whose clock ended before today without a proceeding (each in its own transaction)."""
    today = timezone.localtime(now).date()
    due = list(NoticeItem.objects.filter(status=NoticeItem.Status.CLOCK, clock_deadline__lt=today)
               .values_list("pk", flat=True))
    lifted = 0
    for pk in due:
        with transaction.atomic():
            item = NoticeItem.objects.select_for_update().select_related("notice", "listing").get(pk=pk)
            if item.status != NoticeItem.Status.CLOCK or item.clock_deadline >= today:
                continue  # attached or extended meanwhile
            _fire(item, "lift")
            item.closed_at = now
            item.save()
            why = f"{item.clock_deadline:%Y-%m-%d} 期满未收到投诉或起诉（{item.clock_rule}）"
            _event(item=item, listing=item.listing, actor=None, kind="lifted", public=True, at=now,
                   summary="终止所采取的措施", reason=why)
            _restore_listing_if_clear(item, None, now, why)
            _maybe_close(item.notice, now)
            audit.record(actor=None, action="takedown_lifted", obj=item.notice, after={"item": item.pk}, reason=why)
            notify(recipients=(_notifier_users(item.notice) + operators(item.notice.platform)
                               + _org_users(item.listing.shop.seller_org_id)),
                   kind="takedown.lifted", title=f"商品 {item.listing.listing_id} 已恢复：{why}"[:200],
                   url=_item_url(item))
            lifted += 1
    return lifted


@transaction.atomic
def confirm_relisting(*, actor: User, flag: RelistFlag, note: str = "", now: dt.datetime | None = None
                      ) -> RelistFlag:
    """The platform confirms that a flagged listing is a relisted copy of one it removed; feeds the credit file.

    Only the platform decides (it sees both listings and knows its sellers); confirming twice changes nothing.
    """
    platform = flag.listing.platform
    may_operate = actor.has_perm("takedown.operate_platform", platform)
    if not (may_operate or is_staff_role(actor)):
        raise NotFound("未找到该商品")
    if not may_operate:
        raise Forbidden("只有该平台的运营人员可以确认重新上架")
    flag = RelistFlag.objects.select_for_update(of=("self",)).select_related("listing__shop__seller_org", "listing__platform",
                                                                 "fingerprint__listing").get(pk=flag.pk)
    if flag.confirmed_at is not None:
        return flag
    now = now or timezone.now()
    flag.confirmed_at, flag.confirmed_by, flag.confirm_note = now, actor, note.strip()
    flag.save(update_fields=["confirmed_at", "confirmed_by", "confirm_note"])
    _event(item=None, listing=flag.listing, actor=actor, kind="relist_confirmed", at=now, reason=note.strip(),
           summary=f"平台确认重新上架：与已处理商品 {flag.fingerprint.listing.listing_id} 的{flag.matched_on}一致")
    repeat.report_relisting(actor=actor, flag=flag, now=now)
    audit.record(actor=actor, action="relist_confirmed", obj=flag.listing, reason=note.strip(),
                 after={"flag": flag.pk})
    return flag


# --- withdrawal and abuse ------------------------------------------------------------------------------

@transaction.atomic
def withdraw_notice(*, actor: User, notice: Notice, reason: str) -> Notice:
    if not actor.has_perm("takedown.view_notice", notice):
        raise NotFound("未找到该通知")
    if not actor.has_perm("takedown.withdraw_notice", notice):
        raise Forbidden("只有通知人可以撤回通知")
    if len(reason.strip()) < 2:
        raise InvalidInput({"reason": ["请说明撤回理由"]})
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _fire(notice, "withdraw")
    notice.save()
    now = timezone.now()
    for item in notice.items.filter(status__in=NoticeItem.OPEN_STATES).select_related("listing"):
        _fire(item, "withdraw")
        item.closed_at = now
        item.save()
        _event(item=item, listing=item.listing, actor=actor, kind="withdrawn", public=True, reason=reason,
               summary=f"通知人撤回通知 {notice.number}")
        _restore_listing_if_clear(item, actor, now, "通知撤回")
    audit.record(actor=actor, action="withdraw_notice", obj=notice, reason=reason)
    notify(recipients=operators(notice.platform), kind="takedown.withdrawn", title=f"通知 {notice.number} 已撤回",
           url=f"/takedown/notices/{notice.pk}/")
    return notice


@transaction.atomic
def find_malicious(*, actor: User, notice: Notice, reason: str, wilful: bool = False) -> MaliciousFinding:
    """Record that a notice was wrong (art. 42(3)); wilful = knowingly false (double damages). Feeds credit."""
    if not actor.has_perm("takedown.view_notice", notice):
        raise NotFound("未找到该通知")
    if not actor.has_perm("takedown.find_malicious", notice):
        raise Forbidden("只有平台运营人员或执法、管理人员可以认定错误/恶意通知")
    if len(reason.strip()) < 10:
        raise InvalidInput({"reason": ["请写明认定理由及依据的事实（至少 10 个字）"]})
    if MaliciousFinding.objects.filter(notice=notice).exists():
        raise Conflict("该通知已作出认定", allowed_transitions=[])
    finding = MaliciousFinding.objects.create(notice=notice, notifier=notice.notifier, found_by=actor,
                                              reason=reason.strip(), wilful=wilful)
    Notice.objects.filter(pk=notice.pk).update(malicious=True)
    label = "恶意通知" if wilful else "错误通知"
    for item in notice.items.select_related("listing"):
        _event(item=item, listing=item.listing, actor=actor, kind="malicious", public=True, reason=reason.strip(),
               summary=f"通知 {notice.number} 被认定为{label}")
    integration.report_credit_fact(
        actor=actor, organisation=notice.notifier, kind="malicious_notice", occurred_on=timezone.localdate(),
        legal_basis="《中华人民共和国电子商务法》第四十二条第三款", summary=f"{label}：{notice.number}；{reason.strip()}"[:500],
        source_type="takedown", source_ref=notice.number, source_url=f"/takedown/public/#{notice.number}",
        wilful=wilful)
    audit.record(actor=actor, action="malicious_notice", obj=notice, reason=reason, after={"wilful": wilful})
    notify(recipients=_notifier_users(notice) + operators(notice.platform), kind="takedown.malicious",
           title=f"通知 {notice.number} 被认定为{label}", body=reason.strip(), url=f"/takedown/notices/{notice.pk}/")
    return finding



def escalate_live(*, now: dt.datetime, warn_before: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Live-stream notices with listings still pending when the SLA is about to pass: tell the on-call contact."""
    due = (Notice.objects.filter(kind=Notice.Kind.LIVE, status=Notice.Status.OPEN, escalated_at__isnull=True,
                                 sla_due_at__lte=now + warn_before, items__status=NoticeItem.Status.PENDING)
           .select_related("platform__oncall").distinct())
    count = 0
    for notice in due:
        with transaction.atomic():
            if Notice.objects.filter(pk=notice.pk, escalated_at__isnull=True).update(escalated_at=now) != 1:
                continue
            left = int((notice.sla_due_at - now).total_seconds() // 60)
            when = f"{left} 分钟后到期" if left >= 0 else f"已超时 {-left} 分钟"
            recipients = ([notice.platform.oncall] if notice.platform.oncall else []) + operators(notice.platform)
            notify(recipients=recipients, kind="takedown.live_escalation", url=f"/takedown/notices/{notice.pk}/",
                   title=f"直播通知 {notice.number} {when}，请立即处理")
            count += 1
    return count
