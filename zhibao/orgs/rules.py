"""Who may see and change an organisation.

Staff of public authorities see the whole register; a party (right holder,
agent, platform operator) sees only the organisations it acts for. Another
party's organisation is invisible, so the views answer 404, not 403.
"""

import rules

from zhibao.accounts.roles import REGISTRAR_ROLES
from zhibao.accounts.selectors import is_staff_role, represented_org_ids


@rules.predicate
def is_staff(user) -> bool:  # noqa: ANN001
    return is_staff_role(user)


@rules.predicate
def is_registrar(user) -> bool:  # noqa: ANN001
    return getattr(user, "role", None) in REGISTRAR_ROLES


@rules.predicate
def acts_for_org(user, org) -> bool:  # noqa: ANN001
    return org is not None and org.pk in represented_org_ids(user)


rules.add_perm("orgs.view_organisation", rules.is_authenticated & (is_staff | acts_for_org))
rules.add_perm("orgs.add_organisation", rules.is_authenticated & is_registrar)
rules.add_perm("orgs.change_organisation", rules.is_authenticated & (is_registrar | acts_for_org))
