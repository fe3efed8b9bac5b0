"""Reads about users: whom a user acts for, and the audit log for auditors."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhibao.accounts.models import ApiToken, ApiTokenUse, AuditEntry, PowerOfAttorney, User
from zhibao.accounts.roles import STAFF_ROLES, Role


def is_staff_role(user) -> bool:  # noqa: ANN001
    return bool(getattr(user, "is_authenticated", False)) and user.role in STAFF_ROLES


def represented_org_ids(user, scope: str | None = None) -> set[int]:  # noqa: ANN001
    """Organisations ``user`` acts for as a party: their own, plus principals under a current power of attorney.

    Cached on the user object for the request: permission checks call this
    for every row of a list page.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    cache_key = f"_represented_{scope or 'any'}"
    cached = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    if user.organisation_id and user.role in (Role.RIGHT_HOLDER, Role.PLATFORM_OPERATOR):
        # staff belong to an authority or a mediation/arbitration body but do not act for it as a party
        ids.add(user.organisation_id)
    if user.role == Role.AGENT:
        today = timezone.localdate()
        powers = PowerOfAttorney.objects.filter(agent=user, revoked_at__isnull=True, valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        if scope:
            powers = powers.filter(scope__in=[PowerOfAttorney.Scope.ALL, scope])
        ids.update(powers.values_list("principal_id", flat=True))
    setattr(user, cache_key, ids)
    return ids


def powers_for(*, actor: User) -> QuerySet[PowerOfAttorney]:
    """Powers the user holds (agent) or granted (right holder's organisation); all for the city admin."""
    powers = PowerOfAttorney.objects.select_related("principal", "agent").order_by("-valid_from", "-id")
    if actor.role == Role.CITY_ADMIN:
        return powers
    if actor.role == Role.RIGHT_HOLDER and actor.organisation_id:
        return powers.filter(principal_id=actor.organisation_id)
    return powers.filter(agent=actor)


def find_agent(*, username_or_phone: str) -> User | None:
    """An agent account by username or phone, for recording a power of attorney."""
    return User.objects.filter(Q(username=username_or_phone) | Q(phone=username_or_phone), role=Role.AGENT,
                               is_active=True).first()


def tokens_for(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def token_uses_for(*, actor: User, limit: int = 50) -> QuerySet[ApiTokenUse]:
    """The latest requests made with the user's own tokens (every use is logged)."""
    return ApiTokenUse.objects.filter(token__user=actor).select_related("token").order_by("-at")[:limit]


def audit_entries(
    *,
    actor: User,
    q: str = "",
    object_type: str = "",
    action: str = "",
    actor_name: str = "",
    date_from=None,  # noqa: ANN001
    date_to=None,  # noqa: ANN001
) -> QuerySet[AuditEntry]:
    """The audit log, filtered; only auditors and the city administrator may read it."""
    if not actor.has_perm("accounts.view_audit_log"):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "token")
    if q:
        entries = entries.filter(Q(object_repr__icontains=q) | Q(object_id=q) | Q(reason__icontains=q))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if action:
        entries = entries.filter(action=action)
    if actor_name:
        entries = entries.filter(actor_name__icontains=actor_name)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def history_of(*, object_type: str, object_id: str | int) -> QuerySet[AuditEntry]:
    """An object's own history (shown on its page to whoever may see the object)."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-at", "-id")
