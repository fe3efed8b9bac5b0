"""API: one-stop complaints (一站式维权) — filing, queues, transitions (409 lists the allowed ones), decisions,
clocks, mediation consent, export, and the public status lookup."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from zhibao.accounts.api_auth import require_scope
from zhibao.cases import bulk, events, selectors, services
from zhibao.cases.models import Case, Channel
from zhibao.core.errors import InvalidInput
from zhibao.core.exports import export_response
from zhibao.core.schemas import Page, StrictSchema, page_of
from zhibao.orgs.models import Organisation

router = Router(tags=["案件"])
public_router = Router(tags=["公开信息"])
READ, WRITE = "cases:read", "cases:write"


class ClockOut(Schema):
    rule: str
    title: str
    source: str
    due_at: dt.datetime | None
    paused_since: dt.date | None
    extended: bool
    overdue: bool
    note: str


class CaseOut(Schema):
    number: str | None
    title: str
    channel: str
    status: str
    status_label: str
    version: int
    complainant: str
    respondent: str | None
    district: str | None
    assignee: str | None
    right_type: str
    complexity: str
    proposed_channel: str
    triage_rule: str | None
    filed_at: dt.datetime | None
    clock: ClockOut


class EventOut(Schema):
    at: dt.datetime
    actor: str
    kind: str
    summary: str
    from_status: str
    to_status: str
    channel: str
    reason: str


class DecisionOut(Schema):
    infringement_found: bool
    wilful: bool
    repeat: bool
    penalty_amount: Decimal
    damages: Decimal | None
    legal_basis: str
    decided_at: dt.datetime
    published: bool
    threshold_findings: list[dict]
    damages_calculation: dict


class CaseDetail(CaseOut):
    facts: str
    acts: list[dict]
    rights: list[dict]
    deposits: list[str]
    damages_claimed: Decimal | None
    allowed_transitions: list[str]
    events: list[EventOut]
    decision: DecisionOut | None
    verification_code: str | None = Field(None, description="只在投诉提交（201）时返回一次；之后只能重新生成")


def active_organisation(pk: int | None, field: str, missing: str = "未登记的主体") -> Organisation | None:
    """The active organisation with this id (None for no id); an unknown one is a 400 naming ``field``."""
    if pk is None:
        return None
    org = Organisation.objects.filter(pk=pk, is_active=True).first()
    if org is None:
        raise InvalidInput({field: [missing]})
    return org


def _out(case: Case) -> dict:
    return {
        "number": case.number, "title": case.title, "channel": case.channel, "status": case.status,
        "status_label": case.get_status_display(), "version": case.version, "complainant": case.complainant.name,
        "respondent": case.respondent.name if case.respondent else None, "district": case.district_id,
        "assignee": str(case.assignee) if case.assignee else None, "right_type": case.right_type,
        "complexity": case.complexity, "proposed_channel": case.proposed_channel,
        "triage_rule": str(case.triage_rule) if case.triage_rule_id else None, "filed_at": case.filed_at,
        "clock": {"rule": case.due_rule, "title": case.due_title, "source": case.due_source, "due_at": case.due_at,
                  "paused_since": case.paused_since, "extended": case.clock_extended, "overdue": case.is_overdue,
                  "note": case.due_note},
    }


def _detail(request, case: Case, *, verification_code: str | None = None) -> dict:  # noqa: ANN001
    decision = selectors.decision_for(case)
    return {
        **_out(case), "facts": case.facts, "acts": case.acts, "damages_claimed": case.damages_claimed,
        "rights": [{"id": r.pk, "type": r.right_type, "number": r.number, "title": r.title} for r in case.rights.all()],
        "deposits": [d.deposit_no for d in case.deposits.all()],
        "allowed_transitions": events.allowed_actions(case) if request.user.has_perm("cases.handle_case", case) else [],
        "events": [{**{f: getattr(e, f) for f in EventOut.model_fields if f != "actor"}, "actor": e.actor_name}
                   for e in selectors.timeline(case)],
        "decision": decision,
        "verification_code": verification_code,
    }


class ComplaintIn(StrictSchema):
    complainant_id: int
    right_ids: list[int]
    title: str
    facts: str = ""
    respondent_id: int | None = None
    respondent_uscc: str = ""
    respondent_name: str = ""
    respondent_shop_url: str = ""
    respondent_address: str = ""
    acts: list[dict] = []
    remedy_stop: bool = True
    remedy_apology: bool = False
    damages_claimed: Decimal | None = None
    illegal_business_volume: Decimal | None = None
    preferred_channel: str = ""
    both_willing_to_mediate: bool = False
    deposit_nos: list[str] = []
    join: bool = False


@router.get("", response=Page[CaseOut], summary="案件列表：按状态、渠道、辖区、权利类型、逾期筛选")
def list_cases(request, status: str = "", channel: str = "", district: str = "", right_type: str = "",  # noqa: ANN001, ANN201, PLR0913
               overdue: bool = False, q: str = "", limit: int = 50, offset: int = 0):
    require_scope(request, READ)
    cases = selectors.cases_visible_to(actor=request.user, status=status, channel=channel, district=district,
                                       right_type=right_type, overdue=overdue, q=q)
    return page_of(cases, limit, offset, _out)


@router.post("", response={201: CaseDetail}, summary="投诉（一站式维权）：重复投诉返回 409 并给出已有案件编号")
def file_complaint(request, payload: ComplaintIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    data = payload.dict()
    complainant = active_organisation(data.pop("complainant_id"), "complainant_id", "未登记的投诉人")
    respondent = active_organisation(data.pop("respondent_id"), "respondent_id", "未登记的被投诉人")
    filing = services.file_complaint(actor=request.user, complainant=complainant, respondent=respondent, **data)
    return Status(201, _detail(request, filing.case, verification_code=filing.verification_code))


class BulkRow(Schema):
    row: int
    ok: bool
    number: str | None
    errors: dict[str, list[str]]
    verification_code: str | None = None


@router.post("/bulk", response=list[BulkRow], summary="批量投诉（CSV，逐行报告：案件编号或错误原因）")
def bulk_file(request, file: UploadedFile = File(...)):  # noqa: ANN001, ANN201, B008
    require_scope(request, WRITE)
    return bulk.bulk_file(actor=request.user, content=file.read())


@router.get("/queue", response=Page[CaseOut], summary="工作队列：本人渠道/辖区的未结案件，期限最近的在前")
def queue(request, limit: int = 50, offset: int = 0):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    return page_of(selectors.queue_for(actor=request.user), limit, offset, _out)


EXPORT_HEADERS = ["案件编号", "案由", "渠道", "状态", "投诉人", "被投诉人", "辖区", "承办人", "期限", "期限规则", "提交时间"]


@router.get("/export", response={200: None}, summary="导出案件（CSV/XLSX）")
def export_cases(request, format: str = "xlsx", status: str = "", channel: str = "", district: str = "",  # noqa: A002, ANN001, ANN201
                 overdue: bool = False):
    require_scope(request, READ)
    if format not in ("csv", "xlsx"):
        raise InvalidInput({"format": ["format 应为 csv 或 xlsx"]})
    cases = selectors.cases_visible_to(actor=request.user, status=status, channel=channel, district=district,
                                       overdue=overdue)[:50000]
    rows = ([c.number, c.title, c.get_channel_display(), c.get_status_display(), c.complainant.name,
             c.respondent.name if c.respondent else "", c.district_id or "", str(c.assignee or ""),
             c.due_at.isoformat() if c.due_at else "", c.due_rule, c.filed_at.isoformat() if c.filed_at else ""]
            for c in cases)
    return export_response(format, "cases", EXPORT_HEADERS, rows)


@router.get("/{number}", response=CaseDetail, summary="案件详情：当事人、权利、证据、期限、时间线、可执行操作")
def get_case(request, number: str):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    return _detail(request, selectors.case_for(request.user, number))


class TransitionIn(StrictSchema):
    action: str
    reason: str = ""
    expected_version: int | None = None


@router.post("/{number}/transitions", response=CaseDetail,
             summary="办理操作（受理、不予受理、调查、调解、移送……）：不允许的操作返回 409 并列出可执行操作")
def transition(request, number: str, payload: TransitionIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    if payload.action == "reject":
        case = services.reject(actor=request.user, case=case, legal_reason=payload.reason,
                               expected_version=payload.expected_version)
    else:
        case = services.advance(actor=request.user, case=case, action=payload.action, reason=payload.reason,
                                expected_version=payload.expected_version)
    return _detail(request, selectors.case_for(request.user, number))


class SwitchIn(StrictSchema):
    channel: str
    reason: str
    expected_version: int | None = None


@router.post("/{number}/switch-channel", response=CaseDetail, summary="转换渠道：证据、当事人、历史保留")
def switch_channel(request, number: str, payload: SwitchIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    services.switch_channel(actor=request.user, case=case, channel=payload.channel, reason=payload.reason,
                            expected_version=payload.expected_version)
    return _detail(request, selectors.case_for(request.user, number))


class DecisionIn(StrictSchema):
    infringement_found: bool
    legal_basis: str
    penalty_amount: Decimal = Decimal("0")
    damages: Decimal | None = None
    wilful: bool = False
    repeat: bool | None = None
    reasoning: str = ""
    confiscation: str = ""
    published: bool = False
    illegal_business_volume: Decimal | None = None
    illegal_gains: Decimal | None = None
    act: str = ""
    # the inputs of POST /api/v1/law/damages without right_type (the case's) — the award is then computed by law
    damages_calculation: dict | None = None
    expected_version: int | None = None


@router.post("/{number}/decision", response={201: DecisionOut},
             summary="作出决定（罚款、赔偿、故意/重复侵权、公开）；达到刑事追诉标准时生成移送任务")
def decide(request, number: str, payload: DecisionIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    return Status(201, services.decide(actor=request.user, case=case, **payload.dict()))


class ClockIn(StrictSchema):
    op: str
    reason: str
    expected_version: int | None = None


@router.post("/{number}/clock", response=CaseDetail, summary="期限：pause 中止 / resume 恢复 / extend 延长（各需理由）")
def clock(request, number: str, payload: ClockIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    ops = {"pause": services.pause_clock, "resume": services.resume_clock, "extend": services.extend_clock}
    if payload.op not in ops:
        raise InvalidInput({"op": ["op 应为 pause、resume 或 extend"]})
    ops[payload.op](actor=request.user, case=case, reason=payload.reason, expected_version=payload.expected_version)
    return _detail(request, selectors.case_for(request.user, number))


class ConsentIn(StrictSchema):
    agree: bool


@router.post("/{number}/mediation-consent", response=CaseDetail, summary="当事人答复调解邀请")
def mediation_consent(request, number: str, payload: ConsentIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    services.consent_to_mediation(actor=request.user, case=case, agree=payload.agree)
    return _detail(request, selectors.case_for(request.user, number))


class ReassignIn(StrictSchema):
    assignee_id: int
    reason: str
    expected_version: int | None = None


@router.post("/{number}/assignee", response=CaseDetail,
             summary="更换承办人（区级/市局管理员，须说明理由）：不符合条件的人员返回 400")
def reassign(request, number: str, payload: ReassignIn):  # noqa: ANN001, ANN201
    from zhibao.accounts.models import User

    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    assignee = User.objects.filter(pk=payload.assignee_id).first()
    services.reassign(actor=request.user, case=case, assignee=assignee, reason=payload.reason,
                      expected_version=payload.expected_version)
    return _detail(request, selectors.case_for(request.user, number))


class CodeOut(Schema):
    number: str
    verification_code: str


@router.post("/{number}/verification-code", response=CodeOut,
             summary="投诉人重新生成查询码（只显示这一次，原查询码失效）")
def regenerate_code(request, number: str):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    code = services.regenerate_verification_code(actor=request.user, case=case)
    return {"number": case.number, "verification_code": code}


class PublicStatus(Schema):
    found: bool
    number: str | None = None
    channel: str | None = None
    status: str | None = None
    due_at: dt.datetime | None = None
    due_title: str | None = None
    last_update: dt.datetime | None = None


@public_router.get("/case-status", auth=None, response=PublicStatus,
                   summary="公众查询案件进度：案件编号 + 投诉人查询码（不含个人信息）")
def public_case_status(request, number: str = "", code: str = ""):  # noqa: ANN001, ANN201
    case = selectors.public_status(number=number, code=code)
    if case is None:
        return {"found": False}
    return {"found": True, "number": case.number, "channel": Channel(case.channel).label,
            "status": case.get_status_display(), "due_at": case.due_at, "due_title": case.due_title,
            "last_update": case.updated_at}

