"""Who may see and act on watch lists and alerts.

A right holder (or its agent under a power of attorney with scope rights) manages its own watch lists
and triages its own alerts; staff read all of them but do not triage: the decision to pursue a lead
is the owner's. Anyone acting for a party or on staff may submit items to screen (a crawler, a person,
an import of the official announcement) and run a risk check.
"""

import rules

from zhibao.accounts.roles import PARTY_ROLES, Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids


@rules.predicate
def is_staff(user) -> bool:  # noqa: ANN001
    return is_staff_role(user)


@rules.predicate
def acts_for_owner(user, watch_list) -> bool:  # noqa: ANN001
    return watch_list is not None and watch_list.owner_id in represented_org_ids(user, scope="rights")


@rules.predicate
def acts_for_some_party(user) -> bool:  # noqa: ANN001
    return bool(represented_org_ids(user, scope="rights"))


@rules.predicate
def is_party_or_admin(user) -> bool:  # noqa: ANN001
    return getattr(user, "role", None) in (PARTY_ROLES | {Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.OFFICER})


rules.add_perm("monitoring.view_watchlist", rules.is_authenticated & (is_staff | acts_for_owner))
rules.add_perm("monitoring.change_watchlist", rules.is_authenticated & acts_for_owner)
rules.add_perm("monitoring.add_watchlist", rules.is_authenticated & acts_for_some_party)
rules.add_perm("monitoring.triage_alert", rules.is_authenticated & acts_for_owner)
rules.add_perm("monitoring.submit_items", rules.is_authenticated & (is_party_or_admin | acts_for_some_party))
rules.add_perm("monitoring.risk_check", rules.is_authenticated)
