"""Writes for credit supervision: facts, the listing procedure, repair, expiry, subscriptions.

Each public function is one transaction: permission check, an fsm transition (an illegal one → 409
naming the allowed transitions), a ``ListingEvent`` (who, when, what, why), an audit entry and the
notifications to the entity, the credit officers and the subscribed agencies. Time-dependent functions
take ``now`` so tests and the catching-up expiry job can simulate time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import can_proceed

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.credit import webhooks
from zhibao.credit.models import (
    CreditFact,
    Listing,
    ListingDecision,
    ListingEvent,
    ListingRule,
    RepairApplication,
    Subscription,
    Visibility,
)
from zhibao.law import periods
from zhibao.notifications.services import notify
from zhibao.orgs.models import Organisation

SOURCE_TYPES = ("case", "cases", "takedown", "fair", "fairs", "court", "manual")
#: Facts entered by hand need the recorder permission; facts fed by another app's service (case decided,
#: notice found malicious, pledge broken) were authorised by that service, whose actor is audited here.
HAND_SOURCES = ("court", "manual")
DEFENCE_RULE = "credit_statement_defence"
#: States after which a new proposal for the same list type may be made.
CLOSED_STATES = (Listing.Status.DISMISSED, Listing.Status.DECIDED_NOT_LIST, Listing.Status.WITHDRAWN,
                 Listing.Status.EXPIRED)


# --- helpers -----------------------------------------------------------------------------------------

def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(_now(now))


def _fire(obj: Any, name: str) -> None:
    """Run an fsm transition or raise Conflict naming the transitions allowed from the current state."""
    method = getattr(obj, name)
    if not can_proceed(method):
        allowed = sorted(t.name for t in obj.get_available_status_transitions())
        raise Conflict(f"当前状态（{obj.get_status_display()}）不允许此操作", allowed_transitions=allowed,
                       status=obj.status)
    method()


def _require(actor: User | None, perm: str, obj: Any = None, message: str = "无权办理此事项") -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise Forbidden(message)


def _event(listing: Listing, *, actor: User | None, kind: str, summary: str, reason: str = "",
           from_status: str = "", public: bool = False, at: dt.datetime | None = None) -> ListingEvent:
    """Append to the timeline; a public change is also pushed to the subscribed agencies' webhooks."""
    event = ListingEvent.objects.create(
        listing=listing, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if actor is not None else "系统")[:150], kind=kind, from_status=from_status,
        to_status=listing.status, summary=summary[:300], reason=reason, public=public, at=at or timezone.now())
    if public:
        webhooks.schedule(event)
    return event


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InvalidInput({field: [f"日期格式应为 YYYY-MM-DD：{value}"]}) from exc


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput({"amount": [f"金额格式有误：{value}"]}) from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidInput({"amount": ["金额必须是不小于 0 的数字"]})
    return amount.quantize(Decimal("0.01"))


def managers() -> list[User]:
    return list(User.objects.filter(role=Role.CREDIT_OFFICER, is_active=True))


def entity_users(org_id: int) -> list[User]:
    """The entity's own side: its members and agents under a current power of attorney."""
    today = timezone.localdate()
    return list(User.objects.filter(
        Q(organisation_id=org_id, role__in=(Role.RIGHT_HOLDER, Role.PLATFORM_OPERATOR))
        | Q(role=Role.AGENT, powers__principal_id=org_id, powers__revoked_at__isnull=True,
            powers__valid_from__lte=today),
        is_active=True).distinct())


def subscribers(org_id: int) -> list[User]:
    subs = Subscription.objects.filter(cancelled_at__isnull=True).filter(
        Q(organisation_id=org_id) | Q(organisation__isnull=True)).select_related("subscriber")
    return [s.subscriber for s in subs]


def _tell(listing: Listing, *, kind: str, title: str, body: str = "", entity: bool = True,
          agencies: bool = False, officers: bool = False) -> None:
    recipients: list[User] = []
    if entity:
        recipients += entity_users(listing.organisation_id)
    if agencies:
        recipients += subscribers(listing.organisation_id)
    if officers:
        recipients += managers()
    notify(recipients=recipients, kind=f"credit.{kind}", title=title, body=body,
           url=f"/credit/listings/{listing.pk}/")


# --- facts and the rule engine -----------------------------------------------------------------------

@transaction.atomic
def record_fact(*, actor: User | None, organisation: Organisation, kind: str, occurred_on: Any, legal_basis: str,
                summary: str, source_type: str, source_ref: str, source_url: str = "",
                visibility: str = Visibility.PUBLIC, wilful: bool = False, amount: Any = None,
                authority: str = "") -> CreditFact:
    """Record a credit fact (idempotent per source and kind) and run the listing rules for the organisation.

    ``actor=None`` is the system. ``source_type`` is one of SOURCE_TYPES, optionally dotted ("takedown.notice",
    "fairs.complaint"); facts from "manual"/"court" need the ``credit.record_fact`` permission.
    """
    base = (source_type or "").split(".")[0]
    if base in HAND_SOURCES or base not in SOURCE_TYPES:
        _require(actor, "credit.record_fact", message="只有信用管理人员和法院联络员可以记录信用信息")
    errors: dict[str, list[str]] = {}
    if kind not in CreditFact.Kind.values:
        errors["kind"] = [f"未知的信用信息类型：{kind}（可选：{', '.join(CreditFact.Kind.values)}）"]
    if base not in SOURCE_TYPES:
        errors["source_type"] = [f"未知的来源类型：{source_type}（可选：{', '.join(SOURCE_TYPES)}）"]
    if visibility not in Visibility.values:
        errors["visibility"] = [f"未知的公开范围：{visibility}"]
    for field, value in (("legal_basis", legal_basis), ("summary", summary), ("source_ref", source_ref)):
        if not (value or "").strip():
            errors[field] = ["不能为空"]
    day = None
    try:
        day = _date(occurred_on, "occurred_on")
        if day > timezone.localdate():
            errors["occurred_on"] = ["日期不能晚于今天"]
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        money = _amount(amount)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if not organisation.is_active:
        errors["organisation"] = ["该市场主体已注销/停用"]
    if errors:
        raise InvalidInput(errors)
    existing = CreditFact.objects.filter(source_type=source_type, source_ref=source_ref.strip(), kind=kind).first()
    if existing is not None:
        if existing.organisation_id != organisation.pk:
            raise InvalidInput({"source_ref": ["该来源编号已记录在另一市场主体名下"]})
        return existing
    try:
        with transaction.atomic():
            fact = CreditFact.objects.create(
                organisation=organisation, kind=kind, occurred_on=day, legal_basis=legal_basis.strip(),
                summary=summary.strip(), source_type=source_type, source_ref=source_ref.strip(),
                source_url=source_url.strip(), visibility=visibility, wilful=wilful, amount=money,
                authority=authority.strip(), recorded_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:  # a concurrent call recorded the same source: idempotent
        return CreditFact.objects.get(source_type=source_type, source_ref=source_ref.strip(), kind=kind)
    audit.record(actor=actor, action="record_fact", obj=fact, after=audit.snapshot(fact))
    evaluate_rules(organisation=organisation)
    return fact


def current_rules(on: dt.date) -> list[ListingRule]:
    """The version of each active rule in force on ``on``."""
    newest: dict[str, ListingRule] = {}
    for rule in ListingRule.objects.filter(active=True, effective_from__lte=on).select_related("list_type"):
        if rule.code not in newest or newest[rule.code].version < rule.version:
            newest[rule.code] = rule
    return [r for r in newest.values() if r.list_type.active]


def matching_facts(rule: ListingRule, organisation: Organisation, on: dt.date) -> list[CreditFact]:
    since = periods.add_months(on, -12 * rule.years)
    facts = CreditFact.objects.filter(organisation=organisation, kind__in=rule.fact_kinds, occurred_on__gt=since,
                                      occurred_on__lte=on)
    if rule.wilful_only:
        facts = facts.filter(wilful=True)
    return list(facts.order_by("occurred_on", "id"))


@transaction.atomic
def evaluate_rules(*, organisation: Organisation, on: dt.date | None = None) -> list[Listing]:
    """Propose a listing for each rule that fires and has no open listing of its list type yet."""
    day = on or timezone.localdate()
    proposed: list[Listing] = []
    for rule in current_rules(day):
        facts = matching_facts(rule, organisation, day)
        if len(facts) < rule.min_count:
            continue
        open_listing = Listing.objects.filter(organisation=organisation, list_type=rule.list_type).exclude(
            status__in=CLOSED_STATES).exists()
        if open_listing:
            continue
        listing = Listing.objects.create(organisation=organisation, list_type=rule.list_type, rule=rule,
                                         basis=f"{rule.title}（规则 {rule.code} v{rule.version}；{rule.basis}）")
        listing.facts.set(facts)
        _event(listing, actor=None, kind="proposed",
               summary=f"规则引擎提议列入{rule.list_type.name}：{rule.title}",
               reason="；".join(f"{f.get_kind_display()} {f.source_ref}（{f.occurred_on}）" for f in facts))
        audit.record(actor=None, action="propose_listing", obj=listing, after={"rule": rule.code,
                                                                               "facts": [f.pk for f in facts]})
        _tell(listing, kind="proposed", title=f"列入提议待审核：{organisation.name}", entity=False, officers=True)
        proposed.append(listing)
    return proposed


# --- the listing procedure ---------------------------------------------------------------------------

def _step(actor: User | None, listing: Listing, transition: str, *, kind: str, summary: str, reason: str = "",
          public: bool = False, now: dt.datetime | None = None) -> Listing:
    before = listing.status
    _fire(listing, transition)
    listing.save()
    _event(listing, actor=actor, kind=kind, summary=summary, reason=reason, from_status=before, public=public,
           at=_now(now))
    audit.record(actor=actor, action=f"listing_{kind}", obj=listing, before={"status": before},
                 after={"status": listing.status}, reason=reason)
    return listing


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().select_related("organisation", "list_type").get(pk=listing.pk)


@transaction.atomic
def start_review(*, actor: User, listing: Listing, now: dt.datetime | None = None) -> Listing:
    _require(actor, "credit.manage_listing")
    listing = _locked(listing)
    return _step(actor, listing, "review", kind="review", summary="信用管理人员开始审核列入提议", now=now)


@transaction.atomic
def dismiss(*, actor: User, listing: Listing, reason: str, now: dt.datetime | None = None) -> Listing:
    _require(actor, "credit.manage_listing")
    if not reason.strip():
        raise InvalidInput({"reason": ["请填写不予启动的理由"]})
    listing = _locked(listing)
    listing.closed_at = _now(now)
    return _step(actor, listing, "dismiss", kind="dismiss", summary="不予启动列入程序", reason=reason, now=now)


def notice_text(listing: Listing) -> str:
    facts = "\n".join(f"- {f.occurred_on} {f.get_kind_display()}（{f.source_ref}）：{f.summary}；依据：{f.legal_basis}"
                      for f in listing.facts.order_by("occurred_on", "id"))
    return (f"{listing.organisation.name}（{listing.organisation.identifier}）：\n"
            f"本机关拟将你单位列入{listing.list_type.name}（认定机关：{listing.list_type.issuing_authority}）。\n"
            f"列入依据：{listing.basis}；名单设立依据：{listing.list_type.basis}。\n认定的事实：\n{facts}\n"
            f"列入后将适用的联合惩戒措施：{'、'.join(listing.list_type.measure_labels())}。\n"
            f"你单位有权在 {listing.statement_due} 前进行陈述和申辩（{listing.statement_rule}）。")


@transaction.atomic
def serve_notice(*, actor: User, listing: Listing, now: dt.datetime | None = None) -> Listing:
    """Prior notice (告知) with the facts and basis; the 5-working-day defence period starts the next day."""
    _require(actor, "credit.manage_listing")
    listing = _locked(listing)
    when = _now(now)
    if listing.status == Listing.Status.UNDER_REVIEW:
        try:
            due = periods.deadline_for(DEFENCE_RULE, timezone.localdate(when))
        except periods.CalendarUnavailable as exc:
            raise Conflict(f"无法计算陈述申辩期限：{exc}") from exc
        listing.statement_due = due.deadline
        listing.statement_rule = f"{due.title}，{due.amount} 个工作日；{due.source}"
        listing.notice_served_at = when
        listing.notice_text = notice_text(listing)
    _step(actor, listing, "serve_notice", kind="notice", summary=f"送达列入告知书，陈述申辩期至 {listing.statement_due}",
          reason=listing.statement_rule, now=now)
    _tell(listing, kind="notice", title=f"列入{listing.list_type.name}事先告知",
          body=f"请于 {listing.statement_due} 前提交陈述、申辩意见。")
    return listing


@transaction.atomic
def submit_statement(*, actor: User, listing: Listing, text: str, now: dt.datetime | None = None) -> Listing:
    """The entity's statement and defence (陈述申辩), within the period; one statement, kept verbatim."""
    listing = _locked(listing)
    _require(actor, "credit.answer_listing", listing, "只有被列入主体一方可以陈述申辩")
    if listing.status != Listing.Status.NOTICE_SERVED:
        raise Conflict("当前不在陈述申辩期", status=listing.status, allowed_transitions=[])
    if listing.statement:
        raise Conflict("已提交过陈述申辩意见", status=listing.status, allowed_transitions=[])
    if _today(now) > listing.statement_due:
        raise Conflict(f"陈述申辩期已于 {listing.statement_due} 届满", status=listing.status, allowed_transitions=[])
    if not text.strip():
        raise InvalidInput({"text": ["请填写陈述申辩意见"]})
    listing.statement = text.strip()
    listing.statement_at = _now(now)
    listing.save(update_fields=["statement", "statement_at"])
    _event(listing, actor=actor, kind="statement", summary="被列入主体提交陈述申辩意见", reason=text.strip()[:2000],
           from_status=listing.status, at=_now(now))
    audit.record(actor=actor, action="listing_statement", obj=listing)
    _tell(listing, kind="statement", title=f"{listing.organisation.name} 提交了陈述申辩", entity=False,
          officers=True)
    return listing


def _decision_no(day: dt.date) -> str:
    count = ListingDecision.objects.filter(decided_at__year=day.year).count()
    return f"京知信决〔{day.year}〕{count + 1:04d}号"


def _new_decision(listing: Listing, *, actor: User, outcome: str, reasons: str, start: dt.date | None,
                  end: dt.date | None, now: dt.datetime | None) -> ListingDecision:
    day = _today(now)
    number = _decision_no(day)
    while ListingDecision.objects.filter(decision_no=number).exists():
        number = number.replace("号", "-1号")
    return ListingDecision.objects.create(listing=listing, decision_no=number, outcome=outcome, reasons=reasons,
                                          start_on=start, end_on=end, decided_by=actor, decided_at=_now(now))


@transaction.atomic
def decide(*, actor: User, listing: Listing, list_entity: bool, reasons: str, start_on: Any = None,
           now: dt.datetime | None = None) -> ListingDecision:
    """Decide after the statement or once the defence period has run out; a list decision fixes the dates."""
    _require(actor, "credit.manage_listing")
    if not reasons.strip():
        raise InvalidInput({"reasons": ["请填写决定理由（含对陈述申辩意见的采纳情况）"]})
    listing = _locked(listing)
    if listing.status == Listing.Status.NOTICE_SERVED and not listing.statement and _today(now) <= listing.statement_due:
        raise Conflict(f"陈述申辩期至 {listing.statement_due} 届满，期满或收到陈述申辩后方可决定",
                       status=listing.status, allowed_transitions=[])
    start = end = None
    if list_entity:
        start = _date(start_on, "start_on") if start_on else _today(now)
        if start < _today(now):
            raise InvalidInput({"start_on": ["公示起始日不能早于决定日"]})
        end = periods.add_months(start, listing.list_type.duration_months)
    _step(actor, listing, "decide_list" if list_entity else "decide_not_list", kind="decision",
          summary="决定列入" if list_entity else "决定不列入", reason=reasons, now=now)
    decision = _new_decision(listing, actor=actor, outcome="list" if list_entity else "not_list",
                             reasons=reasons.strip(), start=start, end=end, now=now)
    if not list_entity:
        listing.closed_at = _now(now)
        listing.save(update_fields=["closed_at"])
    _tell(listing, kind="decision", title=f"列入决定：{decision.get_outcome_display()}（{decision.decision_no}）",
          body=reasons.strip())
    return decision


@transaction.atomic
def publish(*, actor: User, listing: Listing, now: dt.datetime | None = None) -> Listing:
    """Publish the decided listing with the start and end dates of its decision."""
    _require(actor, "credit.manage_listing")
    listing = _locked(listing)
    decision = listing.current_decision
    if listing.status == Listing.Status.DECIDED_LIST and decision is not None:
        listing.start_on, listing.end_on = decision.start_on, decision.end_on
        listing.earliest_repair_on = periods.add_months(decision.start_on, listing.list_type.earliest_repair_months)
    _step(actor, listing, "publish", kind="publish", public=True, now=now,
          summary=f"公示：列入{listing.list_type.name}（{listing.start_on} 至 {listing.end_on}）",
          reason=f"决定书 {decision.decision_no if decision else ''}")
    _tell(listing, kind="published", title=f"{listing.organisation.name} 已列入{listing.list_type.name}",
          body=f"公示期 {listing.start_on} 至 {listing.end_on}；最早可于 {listing.earliest_repair_on} 申请信用修复。",
          agencies=True)
    return listing


@transaction.atomic
def supersede(*, actor: User, listing: Listing, reasons: str, end_on: Any = None, revoke: bool = False,
              now: dt.datetime | None = None) -> ListingDecision:
    """Replace the published decision by a new one (changed end date, or revocation); the old one stays."""
    _require(actor, "credit.manage_listing")
    if not reasons.strip():
        raise InvalidInput({"reasons": ["请填写新决定的理由"]})
    listing = _locked(listing)
    old = listing.current_decision
    if listing.status != Listing.Status.PUBLISHED or old is None:
        raise Conflict("只有已公示的列入决定可以被新决定取代", status=listing.status, allowed_transitions=[])
    end = None
    if not revoke:
        if not end_on:
            raise InvalidInput({"end_on": ["请填写新的公示截止日"]})
        end = _date(end_on, "end_on")
        if end < listing.start_on:
            raise InvalidInput({"end_on": ["公示截止日不能早于公示起始日"]})
    new = _new_decision(listing, actor=actor, outcome="revoke" if revoke else "amend", reasons=reasons.strip(),
                        start=listing.start_on, end=end, now=now)
    ListingDecision.objects.filter(pk=old.pk).update(superseded_by=new)
    if revoke:
        listing.closed_at = _now(now)
        _step(actor, listing, "withdraw", kind="revoke", public=True, now=now,
              summary=f"新决定 {new.decision_no} 撤销列入，取代 {old.decision_no}", reason=reasons)
    else:
        listing.end_on = end
        listing.save(update_fields=["end_on"])
        _event(listing, actor=actor, kind="supersede", public=True, from_status=listing.status, at=_now(now),
               summary=f"新决定 {new.decision_no} 取代 {old.decision_no}：公示截止日改为 {end}", reason=reasons)
        audit.record(actor=actor, action="listing_supersede", obj=listing, before={"decision": old.decision_no},
                     after={"decision": new.decision_no, "end_on": end.isoformat()}, reason=reasons)
    _tell(listing, kind="superseded", title=f"{listing.organisation.name} 的列入决定已由 {new.decision_no} 取代",
          body=reasons.strip(), agencies=True)
    return new


# --- repair, expiry, subscriptions -------------------------------------------------------------------

@transaction.atomic
def apply_repair(*, actor: User, listing: Listing, evidence_kinds: list[str], statement: str,
                 deposit_numbers: list[str] | None = None, files: list | None = None,
                 now: dt.datetime | None = None) -> RepairApplication:
    """The entity applies for credit repair with its proof (penalty paid, commitment signed, training done).

    Proof is either cited evidence-ledger deposits the applicant may see, or files uploaded here, which are
    deposited in the ledger first — so the officer and, later, anyone reviewing the repair can verify that the
    proof existed unchanged when the application was made.
    """
    listing = _locked(listing)
    _require(actor, "credit.answer_listing", listing, "只有被列入主体一方可以申请信用修复")
    if listing.status != Listing.Status.PUBLISHED:
        raise Conflict("只有公示中的列入可以申请信用修复", status=listing.status, allowed_transitions=[])
    if _today(now) < listing.earliest_repair_on:
        raise Conflict(f"最早可于 {listing.earliest_repair_on} 申请信用修复（{listing.list_type.name}："
                       f"公示满 {listing.list_type.earliest_repair_months} 个月）", status=listing.status,
                       allowed_transitions=[])
    errors: dict[str, list[str]] = {}
    bad = [k for k in evidence_kinds if k not in RepairApplication.Evidence.values]
    if bad or not evidence_kinds:
        errors["evidence_kinds"] = [f"未知的修复材料：{', '.join(bad)}" if bad else "请至少选择一项修复材料"]
    if not statement.strip():
        errors["statement"] = ["请填写申请说明"]
    cited = list(dict.fromkeys(d.strip() for d in deposit_numbers or [] if d.strip()))
    if cited:
        from zhibao.evidence import selectors as evidence_selectors

        visible = set(evidence_selectors.deposits_visible_to(actor=actor).filter(deposit_no__in=cited)
                      .values_list("deposit_no", flat=True))
        if unknown := [d for d in cited if d not in visible]:
            errors["deposit_numbers"] = [f"存证不存在或无权引用：{', '.join(unknown)}"]
    if errors:
        raise InvalidInput(errors)
    if listing.repairs.filter(status=RepairApplication.Status.PENDING).exists():
        raise Conflict("已有待审核的修复申请", status=listing.status, allowed_transitions=[])
    if files:
        from zhibao.evidence import services as evidence

        outcome = evidence.make_deposit(actor=actor, title=f"信用修复材料：{listing.organisation.name}", files=files)
        if outcome.deposit.deposit_no not in cited:
            cited.append(outcome.deposit.deposit_no)
    application = RepairApplication.objects.create(
        listing=listing, applicant=actor, evidence_kinds=sorted(set(evidence_kinds)), statement=statement.strip(),
        deposit_numbers=cited, submitted_at=_now(now))
    _event(listing, actor=actor, kind="repair_applied", summary="申请信用修复", reason=statement.strip()[:2000],
           from_status=listing.status, at=_now(now))
    audit.record(actor=actor, action="repair_apply", obj=application, after=audit.snapshot(application))
    _tell(listing, kind="repair_applied", title=f"{listing.organisation.name} 申请信用修复", entity=False,
          officers=True)
    return application


@transaction.atomic
def review_repair(*, actor: User, application: RepairApplication, approve: bool, reason: str,
                  now: dt.datetime | None = None) -> RepairApplication:
    """Approve (listing withdrawn from the public list; internal history kept) or reject with reasons."""
    _require(actor, "credit.manage_listing")
    if not reason.strip():
        raise InvalidInput({"reason": ["请填写审核意见"]})
    application = RepairApplication.objects.select_for_update().get(pk=application.pk)
    _fire(application, "approve" if approve else "reject")
    application.reviewed_by, application.reviewed_at, application.review_reason = actor, _now(now), reason.strip()
    application.save()
    listing = _locked(application.listing)
    if approve:
        listing.closed_at = _now(now)
        _step(actor, listing, "withdraw", kind="repaired", public=True, now=now,
              summary="准予信用修复，移出公示名单", reason=reason)
        _tell(listing, kind="repaired", title=f"{listing.organisation.name} 信用修复完成，已移出{listing.list_type.name}",
              body=reason.strip(), agencies=True)
    else:
        _event(listing, actor=actor, kind="repair_rejected", summary="不予信用修复", reason=reason,
               from_status=listing.status, at=_now(now))
        _tell(listing, kind="repair_rejected", title="信用修复申请未获准予", body=reason.strip())
    audit.record(actor=actor, action="repair_review", obj=application, after={"status": application.status},
                 reason=reason)
    return application


def expire_due(*, now: dt.datetime | None = None) -> int:
    """Move every published listing whose end date has passed to expired (idempotent; catches up)."""
    today = _today(now)
    count = 0
    for pk in Listing.objects.filter(status=Listing.Status.PUBLISHED, end_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            listing = Listing.objects.select_for_update().select_related("organisation", "list_type").get(pk=pk)
            if listing.status != Listing.Status.PUBLISHED:
                continue
            listing.closed_at = _now(now)
            _step(None, listing, "expire", kind="expired", public=True, now=now,
                  summary=f"公示期于 {listing.end_on} 届满，自动移出")
            _tell(listing, kind="expired", title=f"{listing.organisation.name} 公示期满，已移出{listing.list_type.name}",
                  agencies=True)
            count += 1
    return count


@transaction.atomic
def subscribe(*, actor: User, organisation: Organisation | None = None, webhook_url: str = "") -> Subscription:
    """Subscribe to changes (of one organisation, or all); with a push URL a signing secret is generated.

    Subscribing again replaces the push URL and secret of the existing subscription.
    """
    _require(actor, "credit.subscribe", message="只有联合惩戒成员单位和信用管理人员可以订阅变更")
    url = (webhook_url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise InvalidInput({"webhook_url": ["推送地址应以 https:// 或 http:// 开头"]})
    sub = Subscription.objects.filter(subscriber=actor, organisation=organisation, cancelled_at__isnull=True).first()
    if sub is None:
        sub = Subscription(subscriber=actor, organisation=organisation)
    sub.webhook_url = url
    sub.webhook_secret = secrets.token_hex(32) if url else ""
    sub.save()
    audit.record(actor=actor, action="credit_subscribe", obj=sub, after={"organisation": getattr(organisation, "pk",
                                                                                                  None),
                                                                       "webhook_url": url})
    return sub
