"""People on a case: messages and served documents (送达, with reading time), technical investigators and
appraisals (clause 9), conflict-of-interest declarations. Each write is an event on the case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.cases import events
from zhibao.cases.models import Case, CaseMessage, ConflictDeclaration, ExpertRequest
from zhibao.cases.rules import complainant_side, respondent_side
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.evidence import services as evidence
from zhibao.orgs.models import Organisation


def _side(actor: User, case: Case) -> str:
    if actor.has_perm("cases.handle_case", case):
        return "handler"
    if complainant_side(actor, case):
        return "complainant"
    if respondent_side(actor, case):
        return "respondent"
    raise Forbidden("只有当事人和承办人员可以在案件中发送消息")


@transaction.atomic
def send_message(*, actor: User, case: Case, body: str, files: list | None = None, is_service: bool = False
                 ) -> CaseMessage:
    """A message (or, from the handler, a document served on the parties); attached files become a deposit."""
    side = _side(actor, case)
    if not body.strip():
        raise InvalidInput({"body": ["请填写内容"]})
    if is_service and side != "handler":
        raise Forbidden("只有承办人员可以送达文书")
    deposit = None
    if files:
        deposit = evidence.make_deposit(actor=actor, title=f"{case.number} 文书/材料", files=files).deposit
    message = CaseMessage.objects.create(case=case, sender=actor, sender_side=side, body=body.strip(),
                                         is_service=is_service, deposit=deposit)
    events.record(case, actor, "service" if is_service else "message",
                  f"{'送达文书' if is_service else '发送消息'}（{message.get_sender_side_display()}）",
                  payload={"message": message.pk, "deposit": deposit.deposit_no if deposit else None})
    recipients = [u for u in events.party_users(case) if u.pk != actor.pk]
    if side != "handler":
        recipients = events.handlers_for(case) + [u for u in recipients if not (
            complainant_side(u, case) if side == "complainant" else respondent_side(u, case))]
    events.tell(recipients, case, "message", f"案件 {case.number} 有新{'送达文书' if is_service else '消息'}")
    return message


@transaction.atomic
def mark_read(*, actor: User, case: Case, now: dt.datetime | None = None) -> int:
    """Record the first reading of the other sides' messages by this party's side; served documents get an event."""
    now = now or timezone.now()
    if complainant_side(actor, case):
        field, side = "read_by_complainant_at", "complainant"
    elif respondent_side(actor, case):
        field, side = "read_by_respondent_at", "respondent"
    else:
        return 0
    unread = list(case.messages.filter(**{f"{field}__isnull": True}).exclude(sender_side=side))
    for message in unread:
        setattr(message, field, now)
        message.save(update_fields=[field])
        if message.is_service:
            events.record(case, actor, "served", f"文书已送达（{actor} 于 {timezone.localtime(now):%Y-%m-%d %H:%M} 阅读）",
                          payload={"message": message.pk, "side": side}, at=now)
    return len(unread)


@transaction.atomic
def request_expert(*, actor: User, case: Case, kind: str, question: str, due_date: dt.date,
                   expert: User | None = None, institution: Organisation | None = None,
                   pause_clock: bool = False) -> ExpertRequest:
    """Ask a technical investigator or an appraisal institution; optionally pause the clock while waiting."""
    if not actor.has_perm("cases.handle_case", case):
        raise Forbidden("只有承办人员可以委托技术调查或鉴定")
    errors: dict[str, list[str]] = {}
    if kind not in ExpertRequest.Kind.values:
        errors["kind"] = ["类型应为 investigator 或 appraisal"]
    if not question.strip():
        errors["question"] = ["请写明需查明的技术问题"]
    if due_date is None or due_date <= timezone.localdate():
        errors["due_date"] = ["期限应晚于今天"]
    if kind == ExpertRequest.Kind.INVESTIGATOR and (expert is None or expert.role != Role.TECH_INVESTIGATOR):
        errors["expert"] = ["请选择技术调查官"]
    if kind == ExpertRequest.Kind.APPRAISAL and (institution is None or institution.sector != "appraisal"):
        errors["institution"] = ["请选择鉴定机构"]
    if errors:
        raise InvalidInput(errors)
    if expert is not None and ConflictDeclaration.objects.filter(case=case, user=expert, has_conflict=True).exists():
        raise Conflict(f"{expert} 已声明与本案存在利益冲突，应当回避", allowed_transitions=[])
    request = ExpertRequest.objects.create(case=case, kind=kind, question=question.strip(), due_date=due_date,
                                           expert=expert, institution=institution, requested_by=actor)
    events.record(case, actor, "expert_requested", f"委托{request.get_kind_display()}，期限 {due_date:%Y-%m-%d}",
                  reason=question.strip(), payload={"request": request.pk})
    if expert is not None:
        events.tell([expert], case, "expert_requested", f"案件 {case.number} 委托技术调查：{question.strip()[:40]}")
    if pause_clock and case.due_rule and case.paused_since is None:
        from zhibao.cases.services import pause_clock as pause

        pause(actor=actor, case=case, reason=f"等待{request.get_kind_display()}意见")
    return request


@transaction.atomic
def submit_expert_report(*, actor: User, request: ExpertRequest, summary: str, files: list) -> ExpertRequest:
    """The expert (or, for an institution's report, the handler) uploads the report; it becomes case evidence."""
    case = request.case
    if not (actor == request.expert or actor.has_perm("cases.handle_case", case)):
        raise Forbidden("只有受托的技术调查官或承办人员可以提交意见")
    if request.reported_at is not None:
        raise Conflict("该委托已提交意见", allowed_transitions=[])
    if not summary.strip() or not files:
        raise InvalidInput({"report": ["请填写意见摘要并上传意见书"]})
    deposit = evidence.make_deposit(actor=actor, title=f"{case.number} {request.get_kind_display()}意见", files=files,
                                    statement=summary.strip()).deposit
    request.report, request.report_summary, request.reported_at = deposit, summary.strip(), timezone.now()
    request.save(update_fields=["report", "report_summary", "reported_at"])
    case.deposits.add(deposit)
    events.record(case, actor, "expert_report", f"{request.get_kind_display()}意见已提交（{deposit.deposit_no}）",
                  reason=summary.strip()[:300], payload={"request": request.pk, "deposit": deposit.deposit_no})
    events.tell(events.handlers_for(case), case, "expert_report", f"案件 {case.number} 收到技术意见")
    return request


@transaction.atomic
def declare_conflict(*, actor: User, case: Case, has_conflict: bool, statement: str = "") -> ConflictDeclaration:
    """A handler or expert declares (no) conflict of interest; a conflicted assignee is unassigned (回避)."""
    is_expert = case.expert_requests.filter(expert=actor).exists()
    if not (actor.has_perm("cases.handle_case", case) or is_expert):
        raise Forbidden("只有承办人员和受托专家需要声明利益冲突")
    if has_conflict and not statement.strip():
        raise InvalidInput({"statement": ["请说明利益冲突的情况"]})
    declaration = ConflictDeclaration.objects.create(case=case, user=actor, has_conflict=has_conflict,
                                                     statement=statement.strip())
    events.record(case, actor, "conflict_declared", f"{actor} 声明{'存在利益冲突，申请回避' if has_conflict else '无利益冲突'}",
                  reason=statement.strip())
    if has_conflict and case.assignee_id == actor.pk:
        locked = events.lock(case, None)
        locked.assignee = None
        locked.version += 1
        locked.save(update_fields=["assignee", "version", "updated_at"])
        events.record(locked, None, "unassigned", f"{actor} 回避，案件待重新分配")
        events.tell(events.handlers_for(locked), locked, "unassigned", f"案件 {locked.number} 承办人回避，待重新分配")
    return declaration
