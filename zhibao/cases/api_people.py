"""API for the rest of a complaint's life beside the main workflow (zhibao/cases/api.py): drafts saved now and
filed later, the versioned triage rules, and the people on a case — messages and served documents (送达),
technical investigators and appraisals (clause 9) with their reports, conflict-of-interest declarations.

Mounted before the main cases router so ``/cases/drafts`` is not read as a case number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhibao.accounts.api_auth import require_scope
from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role
from zhibao.cases import people, selectors, services
from zhibao.cases.api import READ, WRITE, CaseDetail, _detail, active_organisation
from zhibao.cases.models import Case, CaseMessage, ExpertRequest, TriageRule
from zhibao.core.errors import InvalidInput, NotFound
from zhibao.core.schemas import StrictSchema

router = Router(tags=["案件"])


# ---- drafts -------------------------------------------------------------------------------------------------

class DraftIn(StrictSchema):
    complainant_id: int
    title: str = ""
    facts: str | None = None
    acts: list[dict] | None = None
    right_ids: list[int] | None = None
    preferred_channel: str | None = None
    remedy_stop: bool | None = None
    remedy_apology: bool | None = None
    both_willing_to_mediate: bool | None = None
    damages_claimed: Decimal | None = None


class DraftOut(Schema):
    id: int
    title: str
    complainant_id: int
    facts: str
    acts: list[dict]
    right_ids: list[int]
    preferred_channel: str
    remedy_stop: bool
    remedy_apology: bool
    both_willing_to_mediate: bool
    damages_claimed: Decimal | None
    version: int
    updated_at: dt.datetime


class FileDraftIn(StrictSchema):
    """What a draft does not hold: the respondent and the evidence; anything else given here overrides the draft."""

    respondent_id: int | None = None
    respondent_uscc: str = ""
    respondent_name: str = ""
    respondent_shop_url: str = ""
    respondent_address: str = ""
    deposit_nos: list[str] = []
    illegal_business_volume: Decimal | None = None
    join: bool = False


def _draft_out(draft: Case) -> dict:
    return {"id": draft.pk, "title": draft.title, "complainant_id": draft.complainant_id, "facts": draft.facts,
            "acts": draft.acts or [], "right_ids": [r.pk for r in draft.rights.all()],
            "preferred_channel": draft.preferred_channel, "remedy_stop": draft.remedy_stop,
            "remedy_apology": draft.remedy_apology, "both_willing_to_mediate": draft.both_willing_to_mediate,
            "damages_claimed": draft.damages_claimed, "version": draft.version, "updated_at": draft.updated_at}


@router.get("/drafts", response=list[DraftOut], summary="我的投诉草稿（本单位及受托主体）")
def list_drafts(request):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    return [_draft_out(d) for d in selectors.drafts_for(request.user)[:200]]


@router.post("/drafts", response={201: DraftOut}, summary="保存投诉草稿（之后补全再提交）")
def create_draft(request, payload: DraftIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    data = payload.dict()
    complainant = active_organisation(data.pop("complainant_id"), "complainant_id")
    draft = services.save_draft(actor=request.user, complainant=complainant, **data)
    return Status(201, _draft_out(draft))


@router.put("/drafts/{draft_id}", response=DraftOut, summary="修改投诉草稿")
def update_draft(request, draft_id: int, payload: DraftIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    draft = selectors.draft_for(request.user, draft_id)
    data = payload.dict()
    complainant = active_organisation(data.pop("complainant_id"), "complainant_id")
    if complainant.pk != draft.complainant_id:
        raise InvalidInput({"complainant_id": ["草稿的投诉人不能更改，请另存新草稿"]})
    return _draft_out(services.save_draft(actor=request.user, complainant=complainant, draft=draft, **data))


@router.post("/drafts/{draft_id}/file", response={201: CaseDetail},
             summary="提交草稿为正式投诉（补充被投诉人和证据；重复投诉 409）")
def file_draft(request, draft_id: int, payload: FileDraftIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    draft = selectors.draft_for(request.user, draft_id)
    data = payload.dict()
    respondent = active_organisation(data.pop("respondent_id"), "respondent_id")
    filing = services.file_complaint(
        actor=request.user, complainant=draft.complainant, draft=draft, respondent=respondent,
        right_ids=[r.pk for r in draft.rights.all()], title=draft.title, facts=draft.facts, acts=draft.acts or [],
        remedy_stop=draft.remedy_stop, remedy_apology=draft.remedy_apology, damages_claimed=draft.damages_claimed,
        preferred_channel=draft.preferred_channel, both_willing_to_mediate=draft.both_willing_to_mediate, **data)
    return Status(201, _detail(request, filing.case))


# ---- triage rules --------------------------------------------------------------------------------------------

class TriageRuleIn(StrictSchema):
    key: str
    name: str
    conditions: dict
    complexity: str
    channel: str
    priority: int = 100
    active: bool = True
    basis: str = ""


class TriageRuleOut(Schema):
    key: str
    version: int
    is_current: bool
    active: bool
    priority: int
    name: str
    conditions: dict
    complexity: str
    channel: str
    basis: str
    created_at: dt.datetime | None = None


def _staff_only(user: User) -> None:
    if not is_staff_role(user):
        raise NotFound("未找到")


@router.get("/triage-rules", response=list[TriageRuleOut],
            summary="繁简分流规则（现行版本；history=true 含历史版本），工作人员可读")
def list_triage_rules(request, history: bool = False):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    _staff_only(request.user)
    rules = TriageRule.objects.all() if history else TriageRule.objects.filter(is_current=True)
    return list(rules.order_by("priority", "key", "-version"))


@router.post("/triage-rules", response={201: TriageRuleOut},
             summary="新增分流规则或保存新版本（旧版本保留），仅市知识产权局管理员")
def save_triage_rule(request, payload: TriageRuleIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    _staff_only(request.user)
    return Status(201, services.save_triage_rule(actor=request.user, **payload.dict()))


# ---- people on a case ----------------------------------------------------------------------------------------

class MessageOut(Schema):
    id: int
    sender: str
    sender_side: str
    body: str
    is_service: bool
    deposit_no: str | None
    sent_at: dt.datetime
    read_by_complainant_at: dt.datetime | None
    read_by_respondent_at: dt.datetime | None


def _message_out(m: CaseMessage) -> dict:
    return {"id": m.pk, "sender": str(m.sender), "sender_side": m.sender_side, "body": m.body,
            "is_service": m.is_service, "deposit_no": m.deposit.deposit_no if m.deposit else None,
            "sent_at": m.sent_at, "read_by_complainant_at": m.read_by_complainant_at,
            "read_by_respondent_at": m.read_by_respondent_at}


@router.get("/{number}/messages", response=list[MessageOut], summary="案件内消息与送达文书（含各方阅读时间）")
def list_messages(request, number: str):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    case = selectors.case_for(request.user, number)
    return [_message_out(m) for m in case.messages.select_related("sender", "deposit")]


@router.post("/{number}/messages", response={201: MessageOut},
             summary="发送消息（附件存证）；承办人员可正式送达文书（is_service）")
def send_message(request, number: str, body: Form[str], is_service: Form[bool] = False,  # noqa: ANN001, ANN201
                 files: File[list[UploadedFile]] = None):  # type: ignore[assignment]
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    message = people.send_message(actor=request.user, case=case, body=body, files=list(files or []),
                                  is_service=is_service)
    return Status(201, _message_out(message))


class ReadOut(Schema):
    marked: int


@router.post("/{number}/messages/read", response=ReadOut, summary="当事人阅读对方消息与送达文书（记录送达时间）")
def read_messages(request, number: str):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    return {"marked": people.mark_read(actor=request.user, case=selectors.case_for(request.user, number))}


class ExpertIn(StrictSchema):
    kind: str
    question: str
    due_date: dt.date
    expert_username: str = ""
    institution_id: int | None = None
    pause_clock: bool = False


class ExpertOut(Schema):
    id: int
    kind: str
    question: str
    due_date: dt.date
    expert: str | None
    institution: str | None
    requested_at: dt.datetime
    report_summary: str
    report_deposit_no: str | None
    reported_at: dt.datetime | None


def _expert_out(r: ExpertRequest) -> dict:
    return {"id": r.pk, "kind": r.kind, "question": r.question, "due_date": r.due_date,
            "expert": str(r.expert) if r.expert else None, "institution": r.institution.name if r.institution else None,
            "requested_at": r.requested_at, "report_summary": r.report_summary,
            "report_deposit_no": r.report.deposit_no if r.report else None, "reported_at": r.reported_at}


@router.get("/{number}/experts", response=list[ExpertOut], summary="技术调查、鉴定委托及意见")
def list_experts(request, number: str):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    case = selectors.case_for(request.user, number)
    return [_expert_out(r) for r in case.expert_requests.select_related("expert", "institution", "report")]


@router.post("/{number}/experts", response={201: ExpertOut},
             summary="委托技术调查官或鉴定机构（可中止期限），仅承办人员")
def request_expert(request, number: str, payload: ExpertIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    expert = None
    if payload.expert_username:
        expert = User.objects.filter(username=payload.expert_username, is_active=True).first()
        if expert is None:
            raise InvalidInput({"expert": [f"未找到用户 {payload.expert_username}"]})
    institution = active_organisation(payload.institution_id, "institution")
    created = people.request_expert(actor=request.user, case=case, kind=payload.kind, question=payload.question,
                                    due_date=payload.due_date, expert=expert, institution=institution,
                                    pause_clock=payload.pause_clock)
    return Status(201, _expert_out(created))


@router.post("/experts/{request_id}/report", response=ExpertOut,
             summary="提交技术调查/鉴定意见（意见书存证并列入案件证据）")
def submit_report(request, request_id: int, summary: Form[str],  # noqa: ANN001, ANN201
                  files: File[list[UploadedFile]] = None):  # type: ignore[assignment]
    require_scope(request, WRITE)
    expert_request = selectors.expert_request_for(request.user, request_id)
    return _expert_out(people.submit_expert_report(actor=request.user, request=expert_request, summary=summary,
                                                   files=list(files or [])))


class ConflictIn(StrictSchema):
    has_conflict: bool
    statement: str = ""


class ConflictOut(Schema):
    user: str
    has_conflict: bool
    statement: str
    declared_at: dt.datetime | None = None


@router.post("/{number}/conflicts", response={201: ConflictOut},
             summary="利益冲突声明（存在冲突的承办人自动回避）")
def declare_conflict(request, number: str, payload: ConflictIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    declaration = people.declare_conflict(actor=request.user, case=case, has_conflict=payload.has_conflict,
                                          statement=payload.statement)
    return Status(201, {"user": str(declaration.user), "has_conflict": declaration.has_conflict,
                        "statement": declaration.statement,
                        "declared_at": declaration.declared_at})


# ---- hearings (adjudication, arbitration) ---------------------------------------------------------------------

class HearingIn(StrictSchema):
    mode: str
    at: dt.datetime
    link: str = ""
    expected_version: int | None = None


class HearingRecordIn(StrictSchema):
    record: str


@router.post("/{number}/hearing", response=CaseDetail,
             summary="安排审理：现场或在线（https 视频链接），通知当事人；时间须带时区")
def schedule_hearing(request, number: str, payload: HearingIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    return _detail(request, services.schedule_hearing(actor=request.user, case=case, **payload.dict()))


@router.post("/{number}/hearing-record", response=CaseDetail, summary="审理笔录（审理阶段）")
def record_hearing(request, number: str, payload: HearingRecordIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    case = selectors.case_for(request.user, number)
    return _detail(request, services.record_hearing(actor=request.user, case=case, record=payload.record))
