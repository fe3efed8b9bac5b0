"""Writes about accounts: users, powers of attorney, API tokens. All audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibao.accounts import audit
from zhibao.accounts.models import ApiToken, PowerOfAttorney, User
from zhibao.accounts.roles import DISTRICT_BOUND_ROLES, Role
from zhibao.core.errors import Forbidden, InvalidInput, NotFound

#: Scopes a token may carry; each API endpoint names the scope it needs.
TOKEN_SCOPES = {
    "orgs:read": "读取市场主体",
    "orgs:write": "登记/修改市场主体",
    "rights:read": "读取权利",
    "rights:write": "登记/修改权利",
    "law:read": "法律计算（期限、赔偿、代码校验）",
    "evidence:read": "读取存证",
    "evidence:write": "存证（含网页取证）",
    "audit:read": "读取审计日志",
    "notifications:read": "读取本人站内通知",
    "notifications:write": "将本人通知标为已读",
}
TOKEN_PREFIX = "zb_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_user(*, actor: User | None, username: str, password: str, role: str, display_name: str = "",
                phone: str | None = None, email: str = "", organisation=None, district=None,  # noqa: ANN001
                check_password: bool = True) -> User:
    """Create a user; ``actor=None`` is the system (CLI, demo data)."""
    if actor is not None and not actor.has_perm("accounts.create_user"):
        raise Forbidden("只有市知识产权局管理员可以创建用户")
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [f"未知角色：{role}（可选：{', '.join(Role.values)}）"]
    if not username or User.objects.filter(username=username).exists():
        errors["username"] = ["用户名为空或已存在"]
    if phone and User.objects.filter(phone=phone).exists():
        errors["phone"] = ["该手机号已被使用"]
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        errors["phone"] = ["手机号应为以 1 开头的 11 位数字"]
    if role in DISTRICT_BOUND_ROLES and district is None:
        errors["district"] = ["执法人员和区级管理员须绑定所属区"]
    if check_password and not errors:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise InvalidInput(errors)
    user = User(username=username, role=role, display_name=display_name, phone=phone or None, email=email,
                organisation=organisation, district=district)
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action="create", obj=user, after=audit.snapshot(user, exclude=("password",)))
    return user


@transaction.atomic
def grant_power_of_attorney(*, actor: User | None, agent: User, principal, scope: str = "all",  # noqa: ANN001
                            valid_from: dt.date | None = None, valid_until: dt.date | None = None,
                            document_no: str = "") -> PowerOfAttorney:
    """Record an agent's authority. The principal's own staff or the city administrator may grant it."""
    if actor is not None and not (
        actor.role == Role.CITY_ADMIN or (actor.organisation_id == principal.pk and actor.role == Role.RIGHT_HOLDER)
    ):
        raise Forbidden("只有委托方或市管理员可以登记授权委托")
    if agent.role != Role.AGENT:
        raise InvalidInput({"agent": ["被授权人必须是代理人账户"]})
    if scope not in PowerOfAttorney.Scope.values:
        raise InvalidInput({"scope": [f"未知的授权范围：{scope}"]})
    start = valid_from or timezone.localdate()
    if valid_until and valid_until < start:
        raise InvalidInput({"valid_until": ["截止日期不能早于生效日期"]})
    poa = PowerOfAttorney.objects.create(agent=agent, principal=principal, scope=scope, valid_from=start,
                                         valid_until=valid_until, document_no=document_no)
    audit.record(actor=actor, action="grant_power", obj=poa, object_repr=f"{agent} 代理 {principal}",
                 after=audit.snapshot(poa))
    return poa


@transaction.atomic
def revoke_power_of_attorney(*, actor: User, power_id: int, reason: str) -> PowerOfAttorney:
    """End an agent's authority (the principal's side or the city administrator); kept for the record."""
    poa = PowerOfAttorney.objects.select_related("principal", "agent").filter(pk=power_id).first()
    may = poa is not None and (
        actor.role == Role.CITY_ADMIN
        or (actor.role == Role.RIGHT_HOLDER and actor.organisation_id == poa.principal_id)
        or actor.pk == poa.agent_id
    )
    if not may:
        raise NotFound("未找到该授权委托")
    if not reason.strip():
        raise InvalidInput({"reason": ["请填写撤销原因"]})
    if poa.revoked_at is None:
        poa.revoked_at = timezone.now()
        poa.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="revoke_power", obj=poa, reason=reason)
    return poa


@transaction.atomic
def issue_token(*, actor: User, name: str, scopes: list[str], expires_in_days: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token; the raw key is returned once and only its SHA-256 is stored."""
    if not actor.has_perm("accounts.manage_tokens"):
        raise Forbidden("无权创建 API 令牌")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["请填写令牌名称"]
    unknown = [s for s in scopes if s not in TOKEN_SCOPES]
    if unknown or not scopes:
        errors["scopes"] = [f"未知的权限范围：{', '.join(unknown)}" if unknown else "请至少选择一个权限范围"]
    if "audit:read" in scopes and not actor.has_perm("accounts.view_audit_log"):
        errors.setdefault("scopes", []).append("您的角色不能读取审计日志")
    if "credit:check" in scopes and not actor.has_perm("credit.check"):
        errors.setdefault("scopes", []).append("只有联合惩戒成员单位和信用管理人员可以核查信用")
    if "credit:write" in scopes and not actor.has_perm("credit.record_fact"):
        errors.setdefault("scopes", []).append("您的角色不能记录信用信息")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        errors["expires_in_days"] = ["有效期应在 1 到 3650 天之间"]
    if errors:
        raise InvalidInput(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), prefix=raw[:11], key_hash=hash_token(raw), scopes=sorted(set(scopes)),
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit.record(actor=actor, action="issue_token", obj=token, after={"name": token.name, "scopes": token.scopes})
    return token, raw


@transaction.atomic
def revoke_token(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound("未找到该令牌")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="revoke_token", obj=token)
    return token
