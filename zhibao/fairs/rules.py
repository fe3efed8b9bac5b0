"""Fairs: the organiser's operators run the fair; exhibitors act for their own booth; any right holder may
complain; staff read everything."""

import rules

from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids


@rules.predicate
def organises(user, fair) -> bool:  # noqa: ANN001
    return (getattr(user, "role", None) == Role.PLATFORM_OPERATOR and fair is not None
            and user.organisation_id == fair.organiser_id)


@rules.predicate
def is_exhibitor(user, exhibitor) -> bool:  # noqa: ANN001
    return exhibitor is not None and exhibitor.organisation_id in represented_org_ids(user)


@rules.predicate
def organises_exhibitor_fair(user, exhibitor) -> bool:  # noqa: ANN001
    return exhibitor is not None and organises(user, exhibitor.fair)


@rules.predicate
def is_staff(user) -> bool:  # noqa: ANN001
    return is_staff_role(user)


rules.add_perm("fairs.manage_fair", rules.is_authenticated & organises)
rules.add_perm("fairs.act_as_exhibitor", rules.is_authenticated & is_exhibitor)
rules.add_perm("fairs.view_exhibitor",
               rules.is_authenticated & (is_exhibitor | organises_exhibitor_fair | is_staff))
