"""Writes on cases: the stable entry points other apps call (credit, takedown, monitoring).

``file_complaint`` (intake), ``refer_complaint`` (移交 on the complainant's behalf), ``accept``, ``reject``,
``advance`` (any other transition of the channel), ``switch_channel``, ``decide``, ``close``, clock
``pause_clock`` / ``resume_clock`` / ``extend_clock``, ``reassign``, ``regenerate_verification_code``,
``consent_to_mediation``, ``schedule_hearing``. Each is one transaction: permission check,
optimistic lock (``expected_version``), the transition (409 with the allowed ones), an event, an audit
entry, notifications.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.cases import codes, events, selectors
from zhibao.cases.intake import (  # noqa: F401
    EVIDENCE_CHANNEL,
    file_complaint,
    refer_complaint,
    save_draft,
    save_triage_rule,
)
from zhibao.cases.models import Case, Channel, Decision, Status
from zhibao.cases.rules import complainant_side, respondent_side
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.evidence import services as evidence
from zhibao.law import thresholds


def _handler(actor: User, case: Case) -> None:
    if not actor.has_perm("cases.handle_case", case):
        raise Forbidden(f"您不是该案件（{case.get_channel_display()}）的承办人员")


def _reason(reason: str, what: str = "原因") -> str:
    if not (reason or "").strip():
        raise InvalidInput({"reason": [f"请填写{what}"]})
    return reason.strip()


@transaction.atomic
def advance(*, actor: User, case: Case, action: str, reason: str = "", expected_version: int | None = None,
            payload: dict | None = None, now: dt.datetime | None = None) -> Case:
    """Any transition of the case's channel by a handler (decide and reject have their own services)."""
    _handler(actor, case)
    if action in ("decide", "reject", "both_agree"):
        raise InvalidInput({"action": [f"{action} 请使用专门的接口"]})
    if action in ("fail_mediation", "close"):
        reason = _reason(reason)
    if action == "reach_agreement":
        reason = _reason(reason, "调解协议的内容")
    case = events.lock(case, expected_version)
    now = now or timezone.now()
    if action == "reach_agreement" and case.status == Status.IN_SESSION:
        case.agreement_terms = reason
    if action == "apply_confirmation" and case.status == Status.AGREEMENT:
        if case.due_at and now > case.due_at:
            raise Conflict(f"调解协议生效后30日内未申请司法确认（期限 {timezone.localtime(case.due_at):%Y-%m-%d}）"
                           "，可就原纠纷另行起诉或转换渠道", allowed_transitions=events.allowed_actions(case))
        case.confirmation_court = reason or "北京知识产权法院"
    events.apply(case, action, actor, reason=reason, payload=payload, now=now)
    events.tell(events.party_users(case), case, action, f"案件 {case.number}：{case.get_status_display()}",
                reason)
    return case


def accept(*, actor: User, case: Case, reason: str = "", expected_version: int | None = None,
           now: dt.datetime | None = None) -> Case:
    """受理/立案 (enforcement, adjudication, arbitration, criminal)."""
    return advance(actor=actor, case=case, action="accept", reason=reason, expected_version=expected_version, now=now)


@transaction.atomic
def reject(*, actor: User, case: Case, legal_reason: str, expected_version: int | None = None,
           now: dt.datetime | None = None) -> Case:
    """不予受理, with the legal reason (required)."""
    _handler(actor, case)
    legal_reason = _reason(legal_reason, "不予受理的法律依据和理由")
    case = events.lock(case, expected_version)
    events.apply(case, "reject", actor, reason=legal_reason, now=now)
    events.tell(events.party_users(case, respondent=False), case, "rejected", f"案件 {case.number} 不予受理",
                legal_reason)
    return case


def close(*, actor: User, case: Case, reason: str, expected_version: int | None = None,
          now: dt.datetime | None = None) -> Case:
    return advance(actor=actor, case=case, action="close", reason=reason, expected_version=expected_version, now=now)


@transaction.atomic
def switch_channel(*, actor: User, case: Case, channel: str, reason: str, expected_version: int | None = None,
                   now: dt.datetime | None = None) -> Case:
    """Move the case to another channel; parties, rights, evidence and history stay, the evidence is re-submitted."""
    _handler(actor, case)
    reason = _reason(reason, "转换渠道的理由")
    if channel not in Channel.values:
        raise InvalidInput({"channel": [f"未知的渠道：{channel}"]})
    case = events.lock(case, expected_version)
    if channel == case.channel:
        raise InvalidInput({"channel": ["案件已在该渠道"]})
    old = case.channel
    case.channel = channel
    case.complainant_agreed = case.respondent_agreed = False
    case.assignee = events.pick_assignee(case)
    events.apply(case, "restart_in_channel", actor, reason=reason,
                 payload={"from_channel": old, "to_channel": channel}, now=now)
    events.record(case, actor, "channel_switched", f"渠道转换：{Channel(old).label} → {Channel(channel).label}",
                  reason=reason, payload={"from_channel": old, "to_channel": channel,
                                          "deposits": list(case.deposits.values_list("deposit_no", flat=True))})
    evidence.submit_to_channel(actor=actor, deposits=list(case.deposits.all()),
                               channel=EVIDENCE_CHANNEL.get(channel, channel), reference=case.number)
    events.tell(events.party_users(case) + events.handlers_for(case), case, "channel_switched",
                f"案件 {case.number} 转入{Channel(channel).label}", reason)
    return case


@transaction.atomic
def consent_to_mediation(*, actor: User, case: Case, agree: bool = True, now: dt.datetime | None = None) -> Case:
    """A party accepts (or refuses) the mediation invitation; both accepted → 'mediation_agreed'."""
    is_complainant = complainant_side(actor, case)
    if not (is_complainant or respondent_side(actor, case)):
        raise Forbidden("只有案件当事人可以答复调解邀请")
    case = events.lock(case, None)
    if case.channel != Channel.MEDIATION or case.status != Status.INVITED:
        raise Conflict("当前不在等待调解答复的阶段", allowed_transitions=events.allowed_actions(case))
    if is_complainant:
        case.complainant_agreed = agree
        side = "申请人"
    else:
        case.respondent_agreed = agree
        side = "被申请人"
    case.version += 1
    case.save()
    events.record(case, actor, "mediation_consent", f"{side}{'同意' if agree else '拒绝'}调解", at=now)
    if not agree:
        events.apply(case, "fail_mediation", actor, reason=f"{side}拒绝调解", now=now)
    elif case.complainant_agreed and case.respondent_agreed:
        events.apply(case, "both_agree", actor, reason="双方均同意调解", now=now)
    events.tell(events.handlers_for(case), case, "mediation_consent", f"案件 {case.number}：{side}答复调解邀请")
    return case


@transaction.atomic
def schedule_hearing(*, actor: User, case: Case, mode: str, at: dt.datetime, link: str = "",
                     expected_version: int | None = None) -> Case:
    """Adjudication/arbitration hearing: on-site, or online with a video link."""
    _handler(actor, case)
    errors: dict[str, list[str]] = {}
    if mode not in ("onsite", "online"):
        errors["mode"] = ["审理方式应为 onsite 或 online"]
    if mode == "online" and not link.startswith("https://"):
        errors["link"] = ["在线审理须提供 https 视频链接"]
    if at is None or timezone.is_naive(at):
        errors["at"] = ["请填写带时区的审理时间"]
    if errors:
        raise InvalidInput(errors)
    case = events.lock(case, expected_version)
    case.hearing_mode, case.hearing_at, case.hearing_link = mode, at, link
    events.apply(case, "hold_hearing", actor, payload={"mode": mode, "at": at.isoformat(), "link": link})
    events.tell(events.party_users(case), case, "hearing", f"案件 {case.number} 审理安排：{timezone.localtime(at):%Y-%m-%d %H:%M}")
    return case


@transaction.atomic
def record_hearing(*, actor: User, case: Case, record: str) -> Case:
    _handler(actor, case)
    if not record.strip():
        raise InvalidInput({"record": ["请填写审理笔录"]})
    case = events.lock(case, None)
    if case.status != Status.HEARING:
        raise Conflict("案件不在审理阶段", allowed_transitions=events.allowed_actions(case))
    case.hearing_record = record.strip()
    case.version += 1
    case.save()
    events.record(case, actor, "hearing_record", "记录审理笔录", payload={"length": len(record)})
    return case


@transaction.atomic
def decide(*, actor: User, case: Case, infringement_found: bool, legal_basis: str, penalty_amount: object = 0,
           damages: object = None, wilful: bool = False, repeat: bool | None = None, reasoning: str = "",
           confiscation: str = "", published: bool = False, illegal_business_volume: object = None,
           illegal_gains: object = None, act: str = "", damages_calculation: dict | None = None,
           expected_version: int | None = None, now: dt.datetime | None = None) -> Decision:
    """The decision; the criminal thresholds are checked and, if reached, a transfer task is opened.

    ``damages_calculation`` (the inputs of ``zhibao.law.damages``, without right type) computes the award by
    law: the figure, its basis and every step with its article are kept with the decision and printed on it.
    """
    _handler(actor, case)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    calculation: dict = {}
    if damages_calculation:
        calculation = damages_by_law(case=case, wilful=wilful, inputs=damages_calculation, on=now)
        if damages in (None, ""):
            damages = calculation["result"]["total"]
    if not legal_basis.strip():
        errors["legal_basis"] = ["请填写法律依据"]
    amounts = {}
    for name, value in (("penalty_amount", penalty_amount), ("damages", damages),
                        ("illegal_business_volume", illegal_business_volume), ("illegal_gains", illegal_gains)):
        try:
            amounts[name] = None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.01"))
        except ArithmeticError:
            errors[name] = ["金额格式有误"]
            continue
        if amounts[name] is not None and (amounts[name] < 0 or not amounts[name].is_finite()):
            errors[name] = ["金额不能为负数"]
    if calculation and "damages" not in errors and amounts["damages"] != Decimal(calculation["result"]["total"]):
        errors["damages"] = [f"赔偿数额与依法计算的结果 {calculation['result']['total']} 元不一致"
                             "（或不填赔偿数额，直接采用计算结果）"]
    if errors:
        raise InvalidInput(errors)
    case = events.lock(case, expected_version)
    if repeat is None:  # repeat infringer: an earlier infringement decision against the respondent within 5 years
        repeat = Decision.objects.filter(case__respondent_id=case.respondent_id, infringement_found=True,
                                         decided_at__gte=now - dt.timedelta(days=5 * 365)).exists()
    findings = _threshold_findings(case, act, amounts, now)
    events.apply(case, "decide", actor, reason=legal_basis, now=now,
                 payload={"penalty_amount": str(amounts["penalty_amount"] or 0), "infringement_found": infringement_found})
    decision = Decision.objects.create(
        case=case, infringement_found=infringement_found, wilful=wilful, repeat=repeat,
        penalty_amount=amounts["penalty_amount"] or Decimal("0"), damages=amounts["damages"],
        legal_basis=legal_basis.strip(), reasoning=reasoning, confiscation=confiscation, decided_at=now,
        decided_by=actor, published=published, threshold_findings=findings, damages_calculation=calculation,
    )
    if any(f["transfer_required"] for f in findings):
        events.record(case, actor, "criminal_transfer_task", "达到刑事追诉标准：须在3日内决定是否移送",
                      reason="；".join(f["message"] for f in findings if f["transfer_required"]),
                      payload={"findings": findings}, at=now)
        events.tell(events.handlers_for(case), case, "criminal_transfer_task",
                    f"案件 {case.number} 涉嫌犯罪，须在3日内决定是否移送")
    events.tell(events.party_users(case), case, "decided", f"案件 {case.number} 已作出决定")
    if infringement_found:
        _report_to_credit(actor, case, decision)
    return decision


#: zhibao.law.damages knows the four statutory regimes; a geographical indication is protected as a collective
#: or certification mark (商标法第十六条), so its damages follow the trademark rules.
DAMAGES_RIGHT_TYPE = {"gi": "trademark"}


def damages_by_law(*, case: Case, wilful: bool, inputs: dict, on: dt.datetime | None = None) -> dict:
    """Damages computed by ``zhibao.law.damages`` for this case's right type; errors name the field."""
    from pydantic import ValidationError

    from zhibao.law import damages as damages_law

    data = {k: v for k, v in inputs.items() if v not in (None, "")}
    data.setdefault("wilful", wilful)
    data["right_type"] = DAMAGES_RIGHT_TYPE.get(case.right_type, case.right_type)
    try:
        inp = damages_law.DamagesInput.model_validate(data)
        result = damages_law.calculate(inp, on=timezone.localdate(on) if on else None)
    except ValidationError as exc:
        raise InvalidInput({"damages_calculation": [
            f"{'.'.join(str(p) for p in e['loc']) or '输入'}：{e['msg']}" for e in exc.errors()]}) from exc
    except damages_law.DamagesError as exc:
        raise InvalidInput({"damages_calculation": [str(exc)]}) from exc
    return {"input": inp.model_dump(mode="json"), "result": result.model_dump(mode="json")}


#: Which decisions are credit facts of the respondent (clause 5): administrative penalties and patent
#: adjudications. Court judgments are recorded by court liaisons; mediation and arbitration are private.
CREDIT_FACT_KINDS = {Channel.ENFORCEMENT: "administrative_penalty", Channel.ADJUDICATION: "adjudication_decision"}


def _report_to_credit(actor: User, case: Case, decision: Decision) -> None:
    """Record the decision in the respondent's credit file, in this transaction; credit's listing rules then run."""
    kind = CREDIT_FACT_KINDS.get(case.channel)
    if kind is None:
        return
    from zhibao.credit import services as credit

    penalty = f"，罚款 {decision.penalty_amount:,.2f} 元" if decision.penalty_amount else ""
    credit.record_fact(
        actor=actor, organisation=case.respondent, kind=kind,
        occurred_on=timezone.localtime(decision.decided_at).date(), legal_basis=decision.legal_basis,
        summary=f"{case.number} {case.get_channel_display()}决定认定侵权{penalty}"
                f"{'（故意）' if decision.wilful else ''}{'（重复侵权）' if decision.repeat else ''}",
        source_type="case", source_ref=case.number, source_url=f"/cases/{case.number}/",
        visibility="public" if decision.published else "agencies", wilful=decision.wilful,
        amount=decision.penalty_amount or None,
    )


def _threshold_findings(case: Case, act: str, amounts: dict, now: dt.datetime) -> list[dict]:
    if case.right_type not in thresholds.ACTS_BY_RIGHT:
        return []
    volume = amounts.get("illegal_business_volume")
    gains = amounts.get("illegal_gains")
    if volume is None and gains is None:
        return []
    act = act or next((a.get("act") for a in case.acts if a.get("act") in thresholds.ACTS_BY_RIGHT[case.right_type]),
                      thresholds.ACTS_BY_RIGHT[case.right_type][0])
    try:
        facts = thresholds.CaseFacts(right_type=case.right_type, act=act, illegal_business_volume=volume,
                                     illegal_gains=gains, found_on=timezone.localdate(now))
        return [f.model_dump(mode="json") for f in thresholds.check(facts)]
    except ValueError as exc:
        raise InvalidInput({"act": [str(exc)]}) from exc


@transaction.atomic
def pause_clock(*, actor: User, case: Case, reason: str, expected_version: int | None = None,
                now: dt.datetime | None = None) -> Case:
    """Stop the clock (中止), e.g. waiting for an appraisal; the deadline moves by the paused days."""
    _handler(actor, case)
    reason = _reason(reason, "中止理由")
    case = events.lock(case, expected_version)
    if not case.due_rule or case.paused_since is not None:
        raise Conflict("当前没有可中止的期限" if not case.due_rule else "期限已中止", allowed_transitions=[])
    case.paused_since = timezone.localdate(now or timezone.now())
    case.version += 1
    case.save()
    events.record(case, actor, "clock_paused", f"期限中止：{case.due_title}", reason=reason, at=now)
    return case


@transaction.atomic
def resume_clock(*, actor: User, case: Case, reason: str, expected_version: int | None = None,
                 now: dt.datetime | None = None) -> Case:
    _handler(actor, case)
    reason = _reason(reason, "恢复理由")
    case = events.lock(case, expected_version)
    if case.paused_since is None:
        raise Conflict("期限未中止", allowed_transitions=[])
    today = timezone.localdate(now or timezone.now())
    case.pauses = [*case.pauses, [case.paused_since.isoformat(), max(case.paused_since, today).isoformat()]]
    case.paused_since = None
    clock = events.recompute_clock(case)
    case.version += 1
    case.save()
    events.record(case, actor, "clock_resumed", f"期限恢复计算，新期限 {timezone.localtime(case.due_at):%Y-%m-%d}",
                  reason=reason, payload={"paused_days": clock.paused_days if clock else 0}, at=now)
    return case


@transaction.atomic
def extend_clock(*, actor: User, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """The one extension the rule allows (e.g. adjudication 3 months + 1 month), with the approval reason."""
    _handler(actor, case)
    reason = _reason(reason, "延长理由（经批准）")
    case = events.lock(case, expected_version)
    from zhibao.cases.clocks import rule_info

    if not case.due_rule or rule_info(case.due_rule)[2] is None or case.clock_extended:
        raise Conflict("当前期限不能延长（没有延长规定或已延长过一次）", allowed_transitions=[])
    case.clock_extended = True
    events.recompute_clock(case)
    case.version += 1
    case.save()
    events.record(case, actor, "clock_extended", f"期限延长至 {timezone.localtime(case.due_at):%Y-%m-%d}",
                  reason=reason)
    return case


@transaction.atomic
def reassign(*, actor: User, case: Case, assignee: User | None, reason: str, expected_version: int | None = None
             ) -> Case:
    """Give the case to another handler (更换承办人): district or city administrator, with a reason.

    The new handler must be eligible (``selectors.eligible_handlers``: the channel's role, the case's district
    for officers, no declared conflict); they are notified, and so is the previous handler.
    """
    if not actor.has_perm("cases.reassign_case", case):
        raise Forbidden("只有本辖区的区级管理员或市知识产权局管理员可以更换承办人")
    reason = _reason(reason, "更换承办人的理由")
    if assignee is None or not selectors.eligible_handlers(case).filter(pk=assignee.pk).exists():
        raise InvalidInput({"assignee": [f"{assignee or '该用户'} 不能承办本案（须为本渠道、本辖区的承办人员，且未声明利益冲突）"]})
    case = events.lock(case, expected_version)
    if not case.is_open:
        raise Conflict(f"案件已{case.get_status_display()}，不能更换承办人", allowed_transitions=[])
    if case.assignee_id == assignee.pk:
        raise InvalidInput({"assignee": [f"{assignee} 已是本案承办人"]})
    previous = case.assignee
    case.assignee = assignee
    case.version += 1
    case.save(update_fields=["assignee", "version", "updated_at"])
    events.record(case, actor, "reassigned", f"更换承办人：{previous or '未分配'} → {assignee}", reason=reason,
                  payload={"from": previous.pk if previous else None, "to": assignee.pk})
    audit.record(actor=actor, action="case_reassigned", obj=case,
                 before={"assignee": previous.username if previous else None},
                 after={"assignee": assignee.username}, reason=reason[:500])
    events.tell([assignee], case, "assigned", f"您被指派承办案件 {case.number}", reason)
    if previous is not None and previous.pk != actor.pk:
        events.tell([previous], case, "unassigned", f"案件 {case.number} 已改由 {assignee} 承办", reason)
    return case


@transaction.atomic
def regenerate_verification_code(*, actor: User, case: Case) -> str:
    """A new verification code for the complainant (the old one stops working); returned once, stored hashed."""
    if not complainant_side(actor, case):
        raise Forbidden("只有投诉人一方可以重新生成查询码")
    case = events.lock(case, None)
    if not case.number:
        raise Conflict("草稿尚未提交，没有查询码", allowed_transitions=[])
    code = codes.new_code()
    case.verification_hash = codes.digest(case.number, code)
    case.version += 1
    case.save(update_fields=["verification_hash", "version", "updated_at"])
    events.record(case, actor, "verification_code_regenerated", "投诉人重新生成了查询码（原查询码失效）")
    audit.record(actor=actor, action="case_verification_code_regenerated", obj=case)
    return code
