"""Who may see and handle a case.

Parties see their own cases (the complainant's side from the draft on, the respondent once filed);
staff see every filed case. Handling (accept, investigate, decide, switch channel …) belongs to the
roles of the case's current channel: officers of the case's district (or the assignee) for enforcement,
adjudication and criminal transfer; mediators for mediation; arbitrators for arbitration; court liaisons
(and officers, who refer) for court referral. The city administrator may act everywhere. Changing the
handler (reassignment) is for the city administrator and the administrator of the case's district.
"""

import rules

from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids

HANDLERS = {
    "enforcement": {Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN},
    "adjudication": {Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN},
    "criminal": {Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN},
    "mediation": {Role.MEDIATOR, Role.CITY_ADMIN},
    "arbitration": {Role.ARBITRATOR, Role.CITY_ADMIN},
    "court": {Role.COURT_LIAISON, Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN},
}
DISTRICT_BOUND = {Role.OFFICER, Role.DISTRICT_ADMIN}


def complainant_side(user, case) -> bool:  # noqa: ANN001
    return case.complainant_id in represented_org_ids(user, scope="complaints")


def respondent_side(user, case) -> bool:  # noqa: ANN001
    return case.respondent_id is not None and case.respondent_id in represented_org_ids(user)


@rules.predicate
def is_party(user, case) -> bool:  # noqa: ANN001
    if case is None:
        return False
    if complainant_side(user, case):
        return True
    return case.status != "draft" and respondent_side(user, case)


@rules.predicate
def is_staff_viewer(user, case) -> bool:  # noqa: ANN001
    return case is not None and case.status != "draft" and is_staff_role(user)


@rules.predicate
def handles(user, case) -> bool:  # noqa: ANN001
    if case is None or case.status == "draft" or user.role not in HANDLERS.get(case.channel, ()):
        return False
    if user.role in DISTRICT_BOUND:
        return case.assignee_id == user.pk or case.district_id is None or case.district_id == user.district_id
    return True


@rules.predicate
def reassigns(user, case) -> bool:  # noqa: ANN001
    """Changing the handler is a supervisor's act: the city administrator, or the district's administrator."""
    if case is None or case.status == "draft":
        return False
    if user.role == Role.CITY_ADMIN:
        return True
    return user.role == Role.DISTRICT_ADMIN and case.district_id is not None and case.district_id == user.district_id


rules.add_perm("cases.view_case", rules.is_authenticated & (is_party | is_staff_viewer))
rules.add_perm("cases.handle_case", rules.is_authenticated & handles)
rules.add_perm("cases.edit_draft", rules.is_authenticated & is_party)
rules.add_perm("cases.reassign_case", rules.is_authenticated & reassigns)
