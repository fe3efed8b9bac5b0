"""API for trade fairs: the public list of fairs; booths (with filings and pledge for those who may see them);
on-site booth complaints filed by right holders and handled by the organiser or an officer.

Permissions are the web pages' own (``fairs.rules`` and the selectors): booths are public at the fair, an
exhibitor's filings are for the exhibitor, the organiser and staff; a complaint is for its parties, the
organiser and staff — anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from zhibao.accounts.api_auth import require_scope
from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.errors import InvalidInput, NotFound
from zhibao.core.schemas import Page, StrictSchema, page_of
from zhibao.fairs import selectors, services
from zhibao.fairs.models import BoothComplaint, Exhibitor, Fair
from zhibao.orgs.models import Organisation

router = Router(tags=["展会保护"])

READ, COMPLAINTS = "fairs:read", "fairs:complaints"


class FairOut(Schema):
    id: int
    name: str
    venue: str
    district_code: str
    organiser_id: int
    organiser_name: str
    starts_on: dt.date
    ends_on: dt.date
    exhibitors: int


def _fair(fair: Fair) -> dict:
    return {"id": fair.pk, "name": fair.name, "venue": fair.venue, "district_code": fair.district.code,
            "organiser_id": fair.organiser_id, "organiser_name": fair.organiser.name, "starts_on": fair.starts_on,
            "ends_on": fair.ends_on, "exhibitors": getattr(fair, "n_exhibitors", 0)}


class FilingOut(Schema):
    id: int
    exhibit: str
    right_id: int | None
    right: str
    certificate_no: str
    filed_at: dt.datetime


class PledgeOut(Schema):
    signer_name: str
    signed_at: dt.datetime
    deposit_no: str
    broken: bool


class ExhibitorOut(Schema):
    id: int
    booth: str
    organisation_id: int
    organisation_name: str
    pledged: bool
    filings: list[FilingOut] | None = None
    pledge: PledgeOut | None = None


def _exhibitor(exhibitor: Exhibitor, detail: bool) -> dict:
    pledge = getattr(exhibitor, "pledge", None) if hasattr(exhibitor, "pledge") else None
    row: dict = {"id": exhibitor.pk, "booth": exhibitor.booth, "organisation_id": exhibitor.organisation_id,
                 "organisation_name": exhibitor.organisation.name, "pledged": pledge is not None}
    if detail:
        row["filings"] = [{"id": f.pk, "exhibit": f.exhibit, "right_id": f.right_id, "right": str(f.right or ""),
                           "certificate_no": f.certificate_no, "filed_at": f.filed_at}
                          for f in exhibitor.filings.all()]
        row["pledge"] = ({"signer_name": pledge.signer_name, "signed_at": pledge.signed_at,
                          "deposit_no": pledge.deposit.deposit_no, "broken": pledge.broken} if pledge else None)
    return row


class ComplaintIn(StrictSchema):
    respondent_id: int
    complainant_id: int
    right_ids: list[int]
    description: str
    deposit_no: str = ""


class HandleIn(StrictSchema):
    outcome: str
    note: str


class ComplaintEventOut(Schema):
    at: dt.datetime
    actor: str
    summary: str
    reason: str


class ComplaintOut(Schema):
    id: int
    number: str
    fair_id: int
    booth: str
    respondent_id: int
    respondent_name: str
    complainant_id: int
    complainant_name: str
    right_ids: list[int]
    description: str
    deposit_no: str | None
    status: str
    status_display: str
    filed_at: dt.datetime
    due_at: dt.datetime
    due_rule: str
    outcome: str
    handled_at: dt.datetime | None
    within_clock: bool | None
    case_number: str | None
    events: list[ComplaintEventOut]


def _complaint(c: BoothComplaint) -> dict:
    return {"id": c.pk, "number": c.number, "fair_id": c.fair_id, "booth": c.respondent.booth,
            "respondent_id": c.respondent_id, "respondent_name": c.respondent.organisation.name,
            "complainant_id": c.complainant_id, "complainant_name": c.complainant.name,
            "right_ids": sorted(r.pk for r in c.rights.all()), "description": c.description,
            "deposit_no": c.deposit.deposit_no if c.deposit_id else None, "status": c.status,
            "status_display": c.get_status_display(), "filed_at": c.filed_at, "due_at": c.due_at,
            "due_rule": c.due_rule, "outcome": c.outcome, "handled_at": c.handled_at, "within_clock": c.within_clock,
            "case_number": c.case.number if c.case_id else None,
            "events": [{"at": e.at, "actor": e.actor_name, "summary": e.summary, "reason": e.reason}
                       for e in c.events.all()]}


def _get_complaint(request, complaint_id: int) -> BoothComplaint:  # noqa: ANN001
    return selectors.get_complaint(actor=request.user, pk=complaint_id)


@router.get("", auth=None, response=Page[FairOut], summary="展会列表（公开）")
def list_fairs(request, limit: int = 50, offset: int = 0):  # noqa: ANN001, ANN201
    return page_of(selectors.fairs(), limit, offset, _fair)


@router.get("/{fair_id}/exhibitors", response=list[ExhibitorOut],
            summary="展会的参展商与展位；主办方、执法人员和参展商本人可见报备与承诺")
def list_exhibitors(request, fair_id: int):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    fair = selectors.get_fair(pk=fair_id)
    rows = selectors.exhibitors_of(fair=fair).select_related("pledge__deposit").prefetch_related("filings__right")
    return [_exhibitor(e, request.user.has_perm("fairs.view_exhibitor", e)) for e in rows]


@router.post("/{fair_id}/complaints", response={201: ComplaintOut}, summary="权利人现场投诉展位（24 小时处理时限）")
def file_complaint(request, fair_id: int, payload: ComplaintIn):  # noqa: ANN001, ANN201
    require_scope(request, COMPLAINTS)
    fair = selectors.get_fair(pk=fair_id)
    if not represented_org_ids(request.user, scope="notices"):
        raise NotFound("您不代表任何权利人")  # as the complaint page: only right holders' side may complain
    respondent = fair.exhibitors.select_related("organisation").filter(pk=payload.respondent_id).first()
    complainant = Organisation.objects.filter(pk=payload.complainant_id).first()
    errors: dict[str, list[str]] = {}
    if respondent is None:
        errors["respondent_id"] = ["该展会没有这个展位"]
    if complainant is None:
        errors["complainant_id"] = ["未登记的投诉人"]
    if errors:
        raise InvalidInput(errors)
    complaint = services.file_complaint(actor=request.user, respondent=respondent, complainant=complainant,
                                        right_ids=payload.right_ids, description=payload.description,
                                        deposit_no=payload.deposit_no)
    return Status(201, _complaint(_get_complaint(request, complaint.pk)))


@router.get("/complaints/{complaint_id}", response=ComplaintOut, summary="展会投诉详情与记录")
def get_complaint(request, complaint_id: int):  # noqa: ANN001, ANN201
    require_scope(request, COMPLAINTS)
    return _complaint(_get_complaint(request, complaint_id))


@router.post("/complaints/{complaint_id}/handle", response=ComplaintOut,
             summary="主办方或执法人员处理投诉：mediate、remove_exhibits、cover、transfer（移交执法立案）、reject")
def handle_complaint(request, complaint_id: int, payload: HandleIn):  # noqa: ANN001, ANN201
    require_scope(request, COMPLAINTS)
    complaint = _get_complaint(request, complaint_id)
    services.handle_complaint(actor=request.user, complaint=complaint, outcome=payload.outcome, note=payload.note)
    return _complaint(_get_complaint(request, complaint_id))
