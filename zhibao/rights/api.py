"""API: the rights register (权利登记), import and export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from zhibao.accounts.api_auth import require_scope
from zhibao.accounts.selectors import history_of
from zhibao.core.errors import InvalidInput
from zhibao.core.exports import export_response
from zhibao.core.schemas import Page, StrictSchema, page_of
from zhibao.orgs.selectors import get_organisation, registered_organisations
from zhibao.rights import importing, selectors, services
from zhibao.rights.models import Right

router = Router(tags=["权利登记"])


class RightOut(Schema):
    id: int
    right_type: str
    number: str
    title: str
    owner_id: int
    owner_name: str
    status: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    patent_kind: str
    grant_number: str
    ipc: str
    claims: str
    nice_classes: list[int]
    goods: str
    self_declared: bool
    secret_description: str | None
    gi_product: str
    gi_area: str
    version: int


def _out(request, right: Right) -> dict:  # noqa: ANN001
    data = {f: getattr(right, f) for f in RightOut.model_fields if hasattr(right, f)}
    data["owner_name"] = right.owner.name
    data["secret_description"] = (
        right.secret_description if request.user.has_perm("rights.view_secret", right) else None
    )
    return data


class RightIn(StrictSchema):
    owner_id: int
    right_type: str
    title: str
    number: str = ""
    status: str = Right.Status.VALID
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    patent_kind: str = ""
    grant_number: str = ""
    ipc: str = ""
    claims: str = ""
    nice_classes: list[int] = []
    goods: str = ""
    self_declared: bool = False
    secret_description: str = ""
    gi_product: str = ""
    gi_area: str = ""
    notes: str = ""


class RightPatch(StrictSchema):
    expected_version: int | None = None
    title: str | None = None
    number: str | None = None
    status: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    grant_number: str | None = None
    ipc: str | None = None
    claims: str | None = None
    nice_classes: list[int] | None = None
    goods: str | None = None
    secret_description: str | None = None
    gi_product: str | None = None
    gi_area: str | None = None
    notes: str | None = None


class LicenceIn(StrictSchema):
    licensee_id: int
    fee: Decimal
    start: dt.date
    end: dt.date | None = None
    kind: str = "ordinary"
    recordal_no: str = ""


class LicenceOut(Schema):
    id: int
    licensee_id: int
    kind: str
    fee: Decimal
    start: dt.date
    end: dt.date | None
    recordal_no: str


class ImportOut(Schema):
    id: int
    filename: str
    total_rows: int
    imported_rows: int
    error_rows: int
    error_report: str


@router.get("", response=Page[RightOut], summary="权利列表：按编号、名称、权利人、尼斯分类检索")
def list_rights(request, q: str = "", right_type: str = "", status: str = "", owner: str = "",  # noqa: ANN001, ANN201
                nice_class: str = "", limit: int = 50, offset: int = 0):
    require_scope(request, "rights:read")
    rights = selectors.rights_visible_to(actor=request.user, q=q, right_type=right_type, status=status,
                                         owner=owner, nice_class=nice_class)
    return page_of(rights, limit, offset, lambda r: _out(request, r))


@router.post("", response={201: RightOut}, summary="登记权利")
def create_right(request, payload: RightIn):  # noqa: ANN001, ANN201
    require_scope(request, "rights:write")
    data = payload.dict()
    owner = get_organisation(actor=request.user, pk=data.pop("owner_id"))
    right = services.register_right(actor=request.user, owner=owner, **data)
    return Status(201, _out(request, right))


@router.get("/export", summary="导出权利（CSV/XLSX，列与导入模板一致）", response={200: None})
def export_rights(request, format: str = "csv", q: str = "", right_type: str = "", owner: str = ""):  # noqa: A002, ANN001, ANN201
    require_scope(request, "rights:read")
    if format not in ("csv", "xlsx"):
        raise InvalidInput({"format": ["format 应为 csv 或 xlsx"]})
    rights = selectors.rights_visible_to(actor=request.user, q=q, right_type=right_type, owner=owner)
    return export_response(format, "rights", importing.COLUMNS, importing.export_rows(rights))


@router.post("/import", response={201: ImportOut}, summary="导入权利（CSV/XLSX，逐行报告错误）")
def import_rights(request, file: UploadedFile = File(...)):  # noqa: ANN001, ANN201, B008
    require_scope(request, "rights:write")
    batch = importing.import_rights(actor=request.user, filename=file.name or "upload", content=file.read())
    return Status(201, batch)


@router.get("/{right_id}", response=RightOut, summary="权利详情")
def get_right(request, right_id: int):  # noqa: ANN001, ANN201
    require_scope(request, "rights:read")
    return _out(request, selectors.get_right(actor=request.user, pk=right_id))


@router.patch("/{right_id}", response=RightOut, summary="修改权利（乐观锁：expected_version）")
def patch_right(request, right_id: int, payload: RightPatch):  # noqa: ANN001, ANN201
    require_scope(request, "rights:write")
    right = selectors.get_right(actor=request.user, pk=right_id)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    right = services.update_right(actor=request.user, right=right, changes=changes, expected_version=expected)
    return _out(request, right)


@router.post("/{right_id}/licences", response={201: LicenceOut}, summary="登记许可（许可费可作为赔偿计算基础）")
def add_licence(request, right_id: int, payload: LicenceIn):  # noqa: ANN001, ANN201
    require_scope(request, "rights:write")
    right = selectors.get_right(actor=request.user, pk=right_id)
    data = payload.dict()
    licensee = registered_organisations().filter(pk=data.pop("licensee_id")).first()
    if licensee is None:
        raise InvalidInput({"licensee_id": ["未登记的被许可人"]})
    return Status(201, services.add_licence(actor=request.user, right=right, licensee=licensee, **data))


class GiUsersIn(StrictSchema):
    organisation_ids: list[int]


@router.put("/{right_id}/gi-users", response=list[int], summary="设置地理标志核准使用人")
def set_gi_users(request, right_id: int, payload: GiUsersIn):  # noqa: ANN001, ANN201
    require_scope(request, "rights:write")
    right = selectors.get_right(actor=request.user, pk=right_id)
    found = list(registered_organisations().filter(pk__in=payload.organisation_ids))
    missing = set(payload.organisation_ids) - {o.pk for o in found}
    if missing:
        raise InvalidInput({"organisation_ids": [f"未登记的主体：{sorted(missing)}"]})
    right = services.set_gi_authorised_users(actor=request.user, right=right, users=found)
    return sorted(right.gi_authorised_users.values_list("pk", flat=True))


@router.get("/{right_id}/history", response=list[dict], summary="权利变更历史")
def right_history(request, right_id: int):  # noqa: ANN001, ANN201
    require_scope(request, "rights:read")
    right = selectors.get_right(actor=request.user, pk=right_id)
    return [
        {"at": e.at.isoformat(), "actor": e.actor_name, "action": e.action, "before": e.before, "after": e.after}
        for e in history_of(object_type="rights.right", object_id=right.pk)[:200]
    ]
