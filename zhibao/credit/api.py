"""API: joint-discipline checks for agencies, credit files, facts and the listing procedure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema, Status

from zhibao.accounts.api_auth import require_scope, token_use_written_by_caller
from zhibao.core.errors import Forbidden, InvalidInput
from zhibao.core.schemas import StrictSchema
from zhibao.credit import checks, selectors, services
from zhibao.credit.models import Listing
from zhibao.orgs.models import Organisation

router = Router(tags=["信用监管"])


class CheckOut(Schema):
    uscc: str
    name: str | None
    known: bool
    restricted: bool
    measure: str | None
    measures: list[str]
    listings: list[dict]
    checked_at: str
    check_id: str


class BatchIn(StrictSchema):
    uscc: list[str]
    measure: str = ""
    purpose: str = ""


class BatchOut(Schema):
    count: int
    restricted: int
    results: list[CheckOut]


@router.get("/check", response=CheckOut, summary="联合惩戒核查：按统一社会信用代码查询某项措施是否受限（每次留痕）")
def check(request, uscc: str, measure: str = "", purpose: str = ""):  # noqa: ANN001, ANN201
    require_scope(request, "credit:check")
    with token_use_written_by_caller(request) as also_write:
        return checks.check(actor=request.user, uscc=uscc, measure=measure, purpose=purpose,
                            token=getattr(request, "api_token", None), also_write=also_write)


@router.post("/check/batch", response=BatchOut, summary="批量核查（每次最多 1000 个代码）")
def check_batch(request, payload: BatchIn):  # noqa: ANN001, ANN201
    require_scope(request, "credit:check")
    with token_use_written_by_caller(request) as also_write:
        results = checks.check_many(actor=request.user, codes=payload.uscc, measure=payload.measure,
                                    purpose=payload.purpose, token=getattr(request, "api_token", None),
                                    also_write=also_write)
    return {"count": len(results), "restricted": sum(r["restricted"] for r in results), "results": results}


class FactIn(StrictSchema):
    organisation_id: int
    kind: str
    occurred_on: dt.date
    legal_basis: str
    summary: str
    source_type: str = "manual"
    source_ref: str
    source_url: str = ""
    visibility: str = "public"
    wilful: bool = False
    amount: Decimal | None = None
    authority: str = ""


class FactOut(Schema):
    id: int
    organisation_id: int
    kind: str
    occurred_on: dt.date
    legal_basis: str
    summary: str
    authority: str
    source_type: str
    source_ref: str
    source_url: str
    visibility: str
    wilful: bool
    amount: Decimal | None


class ListingOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    list_type: str
    basis: str
    status: str
    statement_due: dt.date | None
    statement_rule: str
    start_on: dt.date | None
    end_on: dt.date | None
    earliest_repair_on: dt.date | None
    decision_no: str | None
    facts: list[int]


def _listing(listing: Listing) -> dict:
    decision = listing.current_decision
    return {"id": listing.pk, "organisation_id": listing.organisation_id, "organisation_name": listing.organisation.name,
            "list_type": listing.list_type.name, "basis": listing.basis, "status": listing.status,
            "statement_due": listing.statement_due, "statement_rule": listing.statement_rule,
            "start_on": listing.start_on, "end_on": listing.end_on, "earliest_repair_on": listing.earliest_repair_on,
            "decision_no": decision.decision_no if decision else None,
            "facts": sorted(listing.facts.values_list("pk", flat=True))}


class FileOut(Schema):
    organisation_id: int
    name: str
    uscc: str | None
    facts: list[FactOut]
    listings: list[ListingOut]


@router.post("/facts", response={201: FactOut}, summary="记录信用信息（法院联络员、信用管理人员）；同一来源重复提交不重复记录")
def record_fact(request, payload: FactIn):  # noqa: ANN001, ANN201
    require_scope(request, "credit:write")
    data = payload.dict()
    if data["source_type"] not in services.HAND_SOURCES:
        raise InvalidInput({"source_type": [f"人工记录的来源类型应为 {' 或 '.join(services.HAND_SOURCES)}"]})
    org = Organisation.objects.filter(pk=data.pop("organisation_id")).first()
    if org is None:
        raise InvalidInput({"organisation_id": ["未登记的市场主体"]})
    return Status(201, services.record_fact(actor=request.user, organisation=org, **data))


@router.get("/orgs/{org_id}", response=FileOut, summary="信用档案（按查看者的权限过滤）")
def credit_file(request, org_id: int):  # noqa: ANN001, ANN201
    require_scope(request, "credit:check")
    org = selectors.get_file_org(actor=request.user, pk=org_id)
    return {"organisation_id": org.pk, "name": org.name, "uscc": org.uscc,
            "facts": list(selectors.facts_of(actor=request.user, organisation=org)),
            "listings": [_listing(x) for x in selectors.listings_of(actor=request.user, organisation=org)]}


@router.get("/listings/{listing_id}", response=ListingOut, summary="列入事项")
def get_listing(request, listing_id: int):  # noqa: ANN001, ANN201
    require_scope(request, "credit:check")
    return _listing(selectors.get_listing(actor=request.user, pk=listing_id))


class ReasonIn(StrictSchema):
    reason: str = ""


class DecisionIn(StrictSchema):
    list_entity: bool
    reasons: str
    start_on: dt.date | None = None


class StatementIn(StrictSchema):
    text: str


class SupersedeIn(StrictSchema):
    reasons: str
    end_on: dt.date | None = None
    revoke: bool = False


class RepairIn(StrictSchema):
    evidence_kinds: list[str]
    statement: str
    deposit_numbers: list[str] = []


class RepairReviewIn(StrictSchema):
    approve: bool
    reason: str


class RepairOut(Schema):
    id: int
    listing_id: int
    status: str
    evidence_kinds: list[str]
    statement: str
    review_reason: str


def _get(request, listing_id: int) -> Listing:  # noqa: ANN001
    require_scope(request, "credit:write")
    return selectors.get_listing(actor=request.user, pk=listing_id)


@router.post("/listings/{listing_id}/review", response=ListingOut, summary="开始审核列入提议")
def review(request, listing_id: int):  # noqa: ANN001, ANN201
    return _listing(services.start_review(actor=request.user, listing=_get(request, listing_id)))


@router.post("/listings/{listing_id}/dismiss", response=ListingOut, summary="不予启动列入程序")
def dismiss(request, listing_id: int, payload: ReasonIn):  # noqa: ANN001, ANN201
    return _listing(services.dismiss(actor=request.user, listing=_get(request, listing_id), reason=payload.reason))


@router.post("/listings/{listing_id}/notice", response=ListingOut, summary="送达事先告知书，开始陈述申辩期")
def serve_notice(request, listing_id: int):  # noqa: ANN001, ANN201
    return _listing(services.serve_notice(actor=request.user, listing=_get(request, listing_id)))


@router.post("/listings/{listing_id}/statement", response=ListingOut, summary="被列入主体提交陈述申辩")
def statement(request, listing_id: int, payload: StatementIn):  # noqa: ANN001, ANN201
    return _listing(services.submit_statement(actor=request.user, listing=_get(request, listing_id),
                                              text=payload.text))


@router.post("/listings/{listing_id}/decision", response={201: dict}, summary="作出列入/不列入决定")
def decide(request, listing_id: int, payload: DecisionIn):  # noqa: ANN001, ANN201
    decision = services.decide(actor=request.user, listing=_get(request, listing_id), list_entity=payload.list_entity,
                               reasons=payload.reasons, start_on=payload.start_on)
    return Status(201, {"decision_no": decision.decision_no, "outcome": decision.outcome,
                        "start_on": decision.start_on, "end_on": decision.end_on})


@router.post("/listings/{listing_id}/publish", response=ListingOut, summary="公示列入决定")
def publish(request, listing_id: int):  # noqa: ANN001, ANN201
    return _listing(services.publish(actor=request.user, listing=_get(request, listing_id)))


@router.post("/listings/{listing_id}/supersede", response={201: dict}, summary="以新决定取代已公示的决定（原决定不修改）")
def supersede(request, listing_id: int, payload: SupersedeIn):  # noqa: ANN001, ANN201
    decision = services.supersede(actor=request.user, listing=_get(request, listing_id), reasons=payload.reasons,
                                  end_on=payload.end_on, revoke=payload.revoke)
    return Status(201, {"decision_no": decision.decision_no, "outcome": decision.outcome,
                        "end_on": decision.end_on})


@router.post("/listings/{listing_id}/repairs", response={201: RepairOut}, summary="申请信用修复")
def apply_repair(request, listing_id: int, payload: RepairIn):  # noqa: ANN001, ANN201
    application = services.apply_repair(actor=request.user, listing=_get(request, listing_id),
                                        evidence_kinds=payload.evidence_kinds, statement=payload.statement,
                                        deposit_numbers=payload.deposit_numbers)
    return Status(201, application)


@router.post("/repairs/{repair_id}/review", response=RepairOut, summary="审核信用修复申请")
def review_repair(request, repair_id: int, payload: RepairReviewIn):  # noqa: ANN001, ANN201
    require_scope(request, "credit:write")
    application = selectors.get_repair(actor=request.user, pk=repair_id)
    return services.review_repair(actor=request.user, application=application, approve=payload.approve,
                                  reason=payload.reason)


class ChangeOut(Schema):
    id: int
    at: dt.datetime
    uscc: str | None
    name: str
    list: str
    kind: str
    status: str
    summary: str


@router.get("/changes", response=list[ChangeOut], summary="名单变更订阅源（公示、取代、修复移出、期满移出），按 id 增量拉取")
def changes(request, after_id: int = 0, limit: int = 200):  # noqa: ANN001, ANN201
    require_scope(request, "credit:check")
    if not request.user.has_perm("credit.check"):
        raise Forbidden("只有联合惩戒成员单位和信用管理人员可以订阅名单变更")
    if not 1 <= limit <= 1000:
        raise InvalidInput({"limit": ["limit 应在 1 到 1000 之间"]})
    events = selectors.public_events().filter(id__gt=after_id)[:limit]
    return [{"id": e.pk, "at": e.at, "uscc": e.listing.organisation.uscc, "name": e.listing.organisation.name,
             "list": e.listing.list_type.name, "kind": e.kind, "status": e.to_status, "summary": e.summary}
            for e in events]



class SubscriptionIn(StrictSchema):
    uscc: str = ""
    webhook_url: str = ""


class SubscriptionOut(Schema):
    id: int
    organisation_id: int | None
    webhook_url: str
    webhook_secret: str | None


@router.post("/subscriptions", response={201: SubscriptionOut},
             summary="订阅名单变更（可选：签名推送地址；密钥只在此返回一次）")
def subscribe(request, payload: SubscriptionIn):  # noqa: ANN001, ANN201
    require_scope(request, "credit:check")
    org = None
    if payload.uscc:
        org = Organisation.objects.filter(uscc=payload.uscc.strip().upper()).first()
        if org is None:
            raise InvalidInput({"uscc": ["未登记的统一社会信用代码"]})
    sub = services.subscribe(actor=request.user, organisation=org, webhook_url=payload.webhook_url)
    return Status(201, {"id": sub.pk, "organisation_id": sub.organisation_id, "webhook_url": sub.webhook_url,
                        "webhook_secret": sub.webhook_secret or None})
