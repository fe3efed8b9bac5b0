"""Who may see and change a registered right.

The owner (or its authorised agent) manages its rights; staff read the
register. A trade secret's protected description is visible only to the
owner's side (``rights.view_secret``) and to the officers handling an open case that cites it.
"""

import rules

from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids


@rules.predicate
def is_staff(user) -> bool:  # noqa: ANN001
    return is_staff_role(user)


@rules.predicate
def owns_right(user, right) -> bool:  # noqa: ANN001
    return right is not None and right.owner_id in represented_org_ids(user, scope="rights")


@rules.predicate
def is_register_admin(user) -> bool:  # noqa: ANN001
    return getattr(user, "role", None) in (Role.CITY_ADMIN, Role.DISTRICT_ADMIN)


@rules.predicate
def may_register_for_someone(user) -> bool:  # noqa: ANN001
    return bool(represented_org_ids(user, scope="rights"))


rules.add_perm("rights.view_right", rules.is_authenticated & (is_staff | owns_right))
@rules.predicate
def handles_case_citing(user, right) -> bool:  # noqa: ANN001
    """Officers handling an open case that cites the secret must read what is claimed to be infringed."""
    if right is None or right.right_type != "trade_secret":
        return False
    from django.apps import apps

    if not apps.is_installed("zhibao.cases"):
        return False
    from zhibao.cases.selectors import officer_sees_secret

    return officer_sees_secret(user, right)


rules.add_perm("rights.view_secret", rules.is_authenticated & (owns_right | handles_case_citing))
rules.add_perm("rights.add_right", rules.is_authenticated & (is_register_admin | may_register_for_someone))
rules.add_perm("rights.change_right", rules.is_authenticated & (is_register_admin | owns_right))
