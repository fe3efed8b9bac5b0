"""Who may see and act on notices: the notifier's side, the platform's operators, the seller, staff.

A platform operator acts only for the platform of their own organisation; the seller is whoever acts
for the organisation matched to the shop by its USCC; staff read everything and may find a notice
malicious, but never act as the platform.
"""

import rules

from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids


def operates(user, platform) -> bool:  # noqa: ANN001
    return (getattr(user, "role", None) == Role.PLATFORM_OPERATOR and platform is not None
            and user.organisation_id == platform.organisation_id)


@rules.predicate
def is_staff(user) -> bool:  # noqa: ANN001
    return is_staff_role(user)


@rules.predicate
def is_operator(user, platform) -> bool:  # noqa: ANN001
    return operates(user, platform)


@rules.predicate
def notifier_side(user, notice) -> bool:  # noqa: ANN001
    return notice is not None and notice.notifier_id in represented_org_ids(user, scope="notices")


@rules.predicate
def operator_of_notice(user, notice) -> bool:  # noqa: ANN001
    return notice is not None and operates(user, notice.platform)


@rules.predicate
def seller_side(user, item) -> bool:  # noqa: ANN001
    org_id = item.listing.shop.seller_org_id if item is not None else None
    return org_id is not None and org_id in represented_org_ids(user)


@rules.predicate
def item_notifier(user, item) -> bool:  # noqa: ANN001
    return item is not None and notifier_side(user, item.notice)


@rules.predicate
def item_operator(user, item) -> bool:  # noqa: ANN001
    return item is not None and operates(user, item.notice.platform)


@rules.predicate
def may_find_malicious(user) -> bool:  # noqa: ANN001
    return getattr(user, "role", None) in (Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN)


rules.add_perm("takedown.operate_platform", rules.is_authenticated & is_operator)
rules.add_perm("takedown.view_notice", rules.is_authenticated & (is_staff | notifier_side | operator_of_notice))
rules.add_perm("takedown.view_item",
               rules.is_authenticated & (is_staff | item_notifier | item_operator | seller_side))
rules.add_perm("takedown.decide_item", rules.is_authenticated & item_operator)
rules.add_perm("takedown.counter_item", rules.is_authenticated & seller_side)
rules.add_perm("takedown.act_as_notifier", rules.is_authenticated & item_notifier)
rules.add_perm("takedown.withdraw_notice", rules.is_authenticated & notifier_side)
rules.add_perm("takedown.find_malicious",
               rules.is_authenticated & (operator_of_notice | (is_staff & may_find_malicious)))
