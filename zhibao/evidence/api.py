"""API: deposits (authenticated) and public verification (no login)."""

from __future__ import annotations

import datetime as dt

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhibao.accounts.api_auth import require_scope
from zhibao.core.errors import InvalidInput
from zhibao.core.schemas import StrictSchema
from zhibao.evidence import selectors, services

router = Router(tags=["电子存证"])
public_router = Router(tags=["公众核验"], auth=None)


class FileOut(Schema):
    name: str
    sha256: str
    sm3: str
    size: int


class DepositOut(Schema):
    deposit_no: str
    title: str
    kind: str
    category: str
    timestamp_time: dt.datetime
    leaf_index: int
    tree_size: int
    root: str
    inclusion_proof: list[str]
    checkpoint: str
    files: list[FileOut]
    duplicate: bool = False


def _out(deposit, duplicate: bool = False) -> dict:  # noqa: ANN001
    return {"deposit_no": deposit.deposit_no, "title": deposit.title, "kind": deposit.kind,
            "category": deposit.category,
            "timestamp_time": deposit.timestamp_time, "leaf_index": deposit.leaf_index,
            "tree_size": deposit.tree_size, "root": deposit.root_hex, "inclusion_proof": deposit.inclusion_proof,
            "checkpoint": deposit.checkpoint, "files": list(deposit.files.all()), "duplicate": duplicate}


@router.post("/deposits", response={201: DepositOut, 200: DepositOut}, summary="存证（文件和/或文字声明）")
def create_deposit(request, title: Form[str], statement: Form[str] = "", category: Form[str] = "",  # noqa: ANN001, ANN201
                   files: File[list[UploadedFile]] = None):  # type: ignore[assignment]
    require_scope(request, "evidence:write")
    outcome = services.make_deposit(actor=request.user, title=title, files=list(files or []), statement=statement,
                                    category=category)
    if outcome.duplicate:
        if not outcome.visible:
            raise InvalidInput({"files": [f"该文件已存证（{outcome.deposit.deposit_no}），可在公众核验页面核验"]})
        return Status(200, _out(outcome.deposit, duplicate=True))
    return Status(201, _out(outcome.deposit))


@router.get("/deposits/{deposit_no}", response=DepositOut, summary="存证详情")
def get_deposit(request, deposit_no: str):  # noqa: ANN001, ANN201
    require_scope(request, "evidence:read")
    deposit = selectors.get_deposit(actor=request.user, deposit_no=deposit_no)
    services.record_custody(actor=request.user, deposit=deposit, action="viewed", note="API")
    return _out(deposit)


class CaptureIn(StrictSchema):
    url: str
    title: str = ""
    category: str = ""


@router.post("/captures", response={201: DepositOut, 200: DepositOut}, summary="网页取证：无头浏览器截取并存证")
def capture_page(request, payload: CaptureIn):  # noqa: ANN001, ANN201
    require_scope(request, "evidence:write")
    outcome = services.capture_and_deposit(actor=request.user, url=payload.url, title=payload.title,
                                           category=payload.category)
    return Status(200 if outcome.duplicate else 201, _out(outcome.deposit, duplicate=outcome.duplicate))


class ChecklistItemOut(Schema):
    category: str
    label: str
    examples: str
    required: bool
    present: int


class ChecklistOut(Schema):
    channel: str
    channel_label: str
    source: str
    version: str
    complete: bool
    missing_required: list[str]
    missing_recommended: list[str]
    items: list[ChecklistItemOut]


@router.get("/checklists/{channel}", response=ChecklistOut,
            summary="渠道证据清单：该渠道要求/建议的证据类别，以及所给存证还缺什么")
def channel_checklist(request, channel: str, deposit_no: list[str] = Query([])):  # noqa: ANN001, ANN201, B008
    require_scope(request, "evidence:read")
    return selectors.checklist_for(actor=request.user, channel=channel, deposit_nos=deposit_no).as_dict()


class VerifyOut(Schema):
    status: str
    label: str
    sha256: str
    deposit_no: str | None
    timestamp_time: dt.datetime | None
    leaf_hex: str | None
    leaf_index: int | None
    tree_size: int | None
    inclusion_proof: list[str] | None
    root: str | None
    checkpoint: str | None
    reasons: list[str]


@public_router.get("/verify", response=VerifyOut, summary="公众核验：按 SHA-256 和/或存证编号（无需登录）")
def public_verify(request, sha256: str = "", deposit_no: str = ""):  # noqa: ANN001, ANN201
    try:
        result = services.public_verification(content=None, sha256=sha256, deposit_no=deposit_no)
    except ValueError as exc:
        raise InvalidInput({"sha256": [str(exc)]}) from exc
    proof = selectors.proof_payload(result.deposit) if result.deposit else {}
    return {"status": result.status, "label": result.label, "sha256": result.sha256,
            "deposit_no": result.deposit.deposit_no if result.deposit else None,
            "timestamp_time": result.deposit.timestamp_time if result.deposit else None,
            "leaf_hex": proof.get("leaf_hex"), "leaf_index": proof.get("leaf_index"),
            "tree_size": proof.get("tree_size"), "inclusion_proof": proof.get("inclusion_proof"),
            "root": proof.get("root"), "checkpoint": proof.get("checkpoint"), "reasons": result.reasons}
