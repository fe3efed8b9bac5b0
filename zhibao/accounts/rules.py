"""Object-level permissions for accounts (django-rules)."""

import rules

from zhibao.accounts.roles import Role


@rules.predicate
def is_auditor(user) -> bool:  # noqa: ANN001
    return getattr(user, "role", None) in (Role.AUDITOR, Role.CITY_ADMIN)


@rules.predicate
def is_city_admin(user) -> bool:  # noqa: ANN001
    return getattr(user, "role", None) == Role.CITY_ADMIN


rules.add_perm("accounts.view_audit_log", rules.is_authenticated & is_auditor)
rules.add_perm("accounts.create_user", rules.is_authenticated & is_city_admin)
rules.add_perm("accounts.manage_tokens", rules.is_authenticated & rules.is_active)
