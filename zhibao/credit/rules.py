"""Who may do what in credit supervision.

Credit officers (and the city administrator) run the listing procedure; court liaisons and credit officers
record facts by hand; the listed entity's own side reads its file, answers the notice and applies for repair;
agencies (联合惩戒成员单位) check restrictions. Another party's credit file is invisible (404).
"""

import rules

from zhibao.accounts.roles import STAFF_ROLES, Role
from zhibao.accounts.selectors import represented_org_ids

MANAGERS = frozenset({Role.CREDIT_OFFICER, Role.CITY_ADMIN})
RECORDERS = MANAGERS | {Role.COURT_LIAISON}
CHECKERS = MANAGERS | {Role.AGENCY}


def _role(user) -> str | None:  # noqa: ANN001
    return getattr(user, "role", None)


@rules.predicate
def is_manager(user) -> bool:  # noqa: ANN001
    return _role(user) in MANAGERS


@rules.predicate
def is_recorder(user) -> bool:  # noqa: ANN001
    return _role(user) in RECORDERS


@rules.predicate
def is_checker(user) -> bool:  # noqa: ANN001
    return _role(user) in CHECKERS


@rules.predicate
def is_staff_or_agency(user) -> bool:  # noqa: ANN001
    return _role(user) in STAFF_ROLES or _role(user) == Role.AGENCY


@rules.predicate
def acts_for_org(user, org) -> bool:  # noqa: ANN001
    return org is not None and org.pk in represented_org_ids(user)


@rules.predicate
def acts_for_listed(user, listing) -> bool:  # noqa: ANN001
    return listing is not None and listing.organisation_id in represented_org_ids(user)


rules.add_perm("credit.record_fact", rules.is_authenticated & is_recorder)
rules.add_perm("credit.manage_listing", rules.is_authenticated & is_manager)
rules.add_perm("credit.view_file", rules.is_authenticated & (is_staff_or_agency | acts_for_org))
rules.add_perm("credit.view_listing", rules.is_authenticated & (is_staff_or_agency | acts_for_listed))
rules.add_perm("credit.answer_listing", rules.is_authenticated & acts_for_listed)
rules.add_perm("credit.check", rules.is_authenticated & is_checker)
rules.add_perm("credit.subscribe", rules.is_authenticated & is_checker)
