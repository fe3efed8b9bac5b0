"""API: the organisations register (市场主体)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from zhibao.accounts.api_auth import require_scope
from zhibao.accounts.selectors import history_of
from zhibao.core.schemas import Page, StrictSchema, page_of
from zhibao.orgs import selectors, services
from zhibao.orgs.models import Organisation

router = Router(tags=["市场主体"])


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    sector: str
    uscc: str | None
    uscc_warnings: list[str]
    entity_type: str
    country: str
    foreign_registration_no: str
    district_id: str | None
    address: str
    legal_representative: str
    shop_url: str
    industry: str
    provisional: bool
    is_active: bool
    version: int


class OrgIn(StrictSchema):
    name: str
    kind: str = Organisation.Kind.COMPANY
    sector: str = Organisation.Sector.GENERAL
    uscc: str = ""
    country: str = ""
    foreign_registration_no: str = ""
    district_code: str = ""
    address: str = ""
    legal_representative: str = ""
    shop_url: str = ""
    industry: str = ""
    provisional: bool = False


class OrgPatch(StrictSchema):
    expected_version: int | None = None
    name: str | None = None
    kind: str | None = None
    sector: str | None = None
    uscc: str | None = None
    country: str | None = None
    foreign_registration_no: str | None = None
    district_code: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    shop_url: str | None = None
    industry: str | None = None
    provisional: bool | None = None


class HistoryOut(Schema):
    at: dt.datetime
    actor_name: str
    action: str
    before: dict | None
    after: dict | None
    reason: str


@router.get("", response=Page[OrgOut], summary="市场主体列表（按权限过滤）")
def list_orgs(request, q: str = "", kind: str = "", sector: str = "", district: str = "",  # noqa: ANN001, ANN201
              limit: int = 50, offset: int = 0):
    require_scope(request, "orgs:read")
    orgs = selectors.organisations_visible_to(actor=request.user, q=q, kind=kind, sector=sector, district=district)
    return page_of(orgs, limit, offset, lambda o: o)


@router.post("", response={201: OrgOut}, summary="登记市场主体")
def create_org(request, payload: OrgIn):  # noqa: ANN001, ANN201
    require_scope(request, "orgs:write")
    return Status(201, services.register_organisation(actor=request.user, **payload.dict()))


@router.get("/{org_id}", response=OrgOut, summary="市场主体详情")
def get_org(request, org_id: int):  # noqa: ANN001, ANN201
    require_scope(request, "orgs:read")
    return selectors.get_organisation(actor=request.user, pk=org_id)


@router.patch("/{org_id}", response=OrgOut, summary="修改市场主体（乐观锁：expected_version）")
def patch_org(request, org_id: int, payload: OrgPatch):  # noqa: ANN001, ANN201
    require_scope(request, "orgs:write")
    org = selectors.get_organisation(actor=request.user, pk=org_id)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    return services.update_organisation(actor=request.user, org=org, expected_version=expected, changes=changes)


class ActiveIn(StrictSchema):
    active: bool
    reason: str


@router.post("/{org_id}/active", response=OrgOut, summary="停用或恢复市场主体（不删除，需说明原因）")
def set_active(request, org_id: int, payload: ActiveIn):  # noqa: ANN001, ANN201
    require_scope(request, "orgs:write")
    org = selectors.get_organisation(actor=request.user, pk=org_id)
    return services.set_organisation_active(actor=request.user, org=org, active=payload.active,
                                            reason=payload.reason)


@router.get("/{org_id}/history", response=list[HistoryOut], summary="市场主体变更历史")
def org_history(request, org_id: int):  # noqa: ANN001, ANN201
    require_scope(request, "orgs:read")
    org = selectors.get_organisation(actor=request.user, pk=org_id)
    return list(history_of(object_type="orgs.organisation", object_id=org.pk)[:200])
