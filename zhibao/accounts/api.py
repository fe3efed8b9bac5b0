"""API: the current user, API tokens, and the audit log (auditors)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from zhibao.accounts import selectors, services
from zhibao.accounts.api_auth import require_scope
from zhibao.core.errors import Forbidden, InvalidInput
from zhibao.core.schemas import Page, StrictSchema, page_of

router = Router(tags=["账户"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    organisation_id: int | None
    district_id: str | None
    token_scopes: list[str] | None


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):  # noqa: ANN001, ANN201
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name, "role": user.role,
        "role_label": user.role_label, "organisation_id": user.organisation_id, "district_id": user.district_id,
        "token_scopes": token.scopes if token else None,
    }


class TokenIn(StrictSchema):
    name: str
    scopes: list[str]
    expires_in_days: int | None = 365


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str


def _session_only(request) -> None:  # noqa: ANN001
    if getattr(request, "api_token", None) is not None:
        raise Forbidden("令牌不能管理令牌，请登录后操作")


@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌")
def list_tokens(request):  # noqa: ANN001, ANN201
    _session_only(request)
    return list(selectors.tokens_for(actor=request.user))


@router.post("/tokens", response={201: TokenCreated}, summary="创建 API 令牌（明文只显示一次）")
def create_token(request, payload: TokenIn):  # noqa: ANN001, ANN201
    _session_only(request)
    token, raw = services.issue_token(actor=request.user, name=payload.name, scopes=payload.scopes,
                                      expires_in_days=payload.expires_in_days)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="吊销 API 令牌")
def revoke_token(request, token_id: int):  # noqa: ANN001, ANN201
    _session_only(request)
    return services.revoke_token(actor=request.user, token_id=token_id)


class PowerIn(StrictSchema):
    agent: str
    scope: str = "all"
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    document_no: str = ""


class PowerOut(Schema):
    id: int
    agent_id: int
    agent_name: str
    principal_id: int
    principal_name: str
    scope: str
    document_no: str
    valid_from: dt.date
    valid_until: dt.date | None
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_agent_name(obj) -> str:  # noqa: ANN001
        return str(obj.agent)

    @staticmethod
    def resolve_principal_name(obj) -> str:  # noqa: ANN001
        return obj.principal.name


class RevokeIn(StrictSchema):
    reason: str


@router.get("/powers", response=list[PowerOut], summary="授权委托：我持有的（代理人）或我方授出的（权利人）")
def list_powers(request):  # noqa: ANN001, ANN201
    return list(selectors.powers_for(actor=request.user)[:500])


@router.post("/powers", response={201: PowerOut}, summary="登记授权委托（权利人向代理人授权）")
def grant_power(request, payload: PowerIn):  # noqa: ANN001, ANN201
    _session_only(request)
    agent = selectors.find_agent(username_or_phone=payload.agent)
    if agent is None:
        raise InvalidInput({"agent": ["未找到该代理人账户（用户名或手机号）"]})
    if request.user.role != "right_holder" or request.user.organisation is None:
        raise Forbidden("只有委托方（权利人）可以登记授权委托")
    poa = services.grant_power_of_attorney(actor=request.user, agent=agent, principal=request.user.organisation,
                                           scope=payload.scope, valid_from=payload.valid_from,
                                           valid_until=payload.valid_until, document_no=payload.document_no)
    return Status(201, poa)


@router.post("/powers/{power_id}/revoke", response=PowerOut, summary="撤销授权委托")
def revoke_power(request, power_id: int, payload: RevokeIn):  # noqa: ANN001, ANN201
    _session_only(request)
    return services.revoke_power_of_attorney(actor=request.user, power_id=power_id, reason=payload.reason)


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_name: str
    role: str
    token_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    reason: str
    ip: str | None


@router.get("/audit", response=Page[AuditOut], summary="审计日志（审计员）")
def audit_log(request, q: str = "", object_type: str = "", action: str = "", actor: str = "",  # noqa: ANN001, ANN201
              date_from: dt.date | None = None, date_to: dt.date | None = None, limit: int = 50, offset: int = 0):
    require_scope(request, "audit:read")
    if not request.user.has_perm("accounts.view_audit_log"):
        raise Forbidden("只有审计员可以查看审计日志")
    entries = selectors.audit_entries(actor=request.user, q=q, object_type=object_type, action=action,
                                      actor_name=actor, date_from=date_from, date_to=date_to)
    return page_of(entries, limit, offset, lambda e: e)
