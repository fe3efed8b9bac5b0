"""The navigation menu per role: one table, so what each role sees is reviewable in one place."""

from __future__ import annotations

from dataclasses import dataclass

from zhibao.accounts.roles import PARTY_ROLES, STAFF_ROLES, Role

ALL = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    section: str


MENU: tuple[NavItem, ...] = (
    NavItem("工作台", "core:dashboard", ALL, "dashboard"),
    NavItem("市场主体", "orgs:list", STAFF_ROLES | PARTY_ROLES, "orgs"),
    NavItem("权利登记", "rights:list", STAFF_ROLES | PARTY_ROLES, "rights"),
    NavItem("电子存证", "evidence:list", ALL, "evidence"),
    NavItem("案件", "cases:list", STAFF_ROLES | PARTY_ROLES, "cases"),
    NavItem("工作队列", "cases:queue", frozenset({Role.OFFICER, Role.MEDIATOR, Role.ARBITRATOR, Role.COURT_LIAISON,
                                                Role.DISTRICT_ADMIN, Role.CITY_ADMIN}), "queue"),
    NavItem("通知-删除", "takedown:home", STAFF_ROLES | PARTY_ROLES, "takedown"),
    NavItem("展会保护", "fairs:list", STAFF_ROLES | PARTY_ROLES, "fairs"),
    NavItem("预警监测", "monitoring:home", STAFF_ROLES | PARTY_ROLES, "monitoring"),
    NavItem("信用监管", "credit:home", ALL, "credit"),
    NavItem("法律计算", "legal:index", ALL, "legal"),
    NavItem("授权委托", "accounts:powers", frozenset({Role.RIGHT_HOLDER, Role.AGENT, Role.CITY_ADMIN}), "powers"),
    NavItem("审计日志", "accounts:audit", frozenset({Role.AUDITOR, Role.CITY_ADMIN}), "audit"),
    NavItem("API 令牌", "accounts:tokens", ALL, "tokens"),
)


def menu_for(role: str | None) -> list[NavItem]:
    if role is None:
        return []
    return [item for item in MENU if role in item.roles]
