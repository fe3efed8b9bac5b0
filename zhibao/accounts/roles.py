"""The roles of ZhiBao users and which of them are public-authority staff.

A role is a single value on the user: the plan's actors are distinct people
(a mediator is not also an officer), and object-level rules in ``rules.py``
decide per object what each role may see.
"""

from django.db import models


class Role(models.TextChoices):
    RIGHT_HOLDER = "right_holder", "权利人"
    AGENT = "agent", "代理人"
    PLATFORM_OPERATOR = "platform_operator", "平台/展会运营人员"
    OFFICER = "officer", "执法人员"
    MEDIATOR = "mediator", "调解员"
    ARBITRATOR = "arbitrator", "仲裁员"
    COURT_LIAISON = "court_liaison", "法院联络员"
    TECH_INVESTIGATOR = "tech_investigator", "技术调查官"
    CREDIT_OFFICER = "credit_officer", "信用管理人员"
    DISTRICT_ADMIN = "district_admin", "区级管理员"
    CITY_ADMIN = "city_admin", "市知识产权局管理员"
    AUDITOR = "auditor", "审计员"
    AGENCY = "agency", "联合惩戒成员单位（核查）"


#: Public-authority and dispute-resolution staff: they may read the whole
#: register of organisations and rights (but not trade-secret descriptions).
STAFF_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.MEDIATOR,
        Role.ARBITRATOR,
        Role.COURT_LIAISON,
        Role.TECH_INVESTIGATOR,
        Role.CREDIT_OFFICER,
        Role.DISTRICT_ADMIN,
        Role.CITY_ADMIN,
        Role.AUDITOR,
    }
)

#: Roles that act for an organisation of their own (or, for agents, their principals).
PARTY_ROLES = frozenset({Role.RIGHT_HOLDER, Role.AGENT, Role.PLATFORM_OPERATOR})

#: Roles that may write to the organisations register for any organisation.
REGISTRAR_ROLES = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.OFFICER})

#: Roles bound to a district (GB/T 2260) whose cases they handle.
DISTRICT_BOUND_ROLES = frozenset({Role.OFFICER, Role.DISTRICT_ADMIN})

#: Roles bound to an organisation (mediation centre, arbitration commission, court, platform).
ORG_BOUND_ROLES = frozenset(
    {Role.RIGHT_HOLDER, Role.PLATFORM_OPERATOR, Role.MEDIATOR, Role.ARBITRATOR, Role.COURT_LIAISON}
)
