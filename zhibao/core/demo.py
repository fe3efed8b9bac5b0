"""A believable Beijing demo world, loaded idempotently through the services.

Everything is created through the same services as real data (so it is
validated and audited); running it twice changes nothing. The USCCs and
patent numbers are synthetic but pass their check digits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from zhibao.accounts import services as accounts
from zhibao.accounts.models import PowerOfAttorney, User
from zhibao.accounts.roles import Role
from zhibao.cases import demo as cases_demo
from zhibao.credit import demo as credit_demo
from zhibao.fairs import demo as fairs_demo
from zhibao.law import districts as district_lib
from zhibao.law import patents as patent_lib
from zhibao.law import uscc as uscc_lib
from zhibao.monitoring import demo as monitoring_demo
from zhibao.orgs import services as orgs
from zhibao.orgs.models import District, Organisation
from zhibao.rights import services as rights
from zhibao.rights.models import Right
from zhibao.takedown import demo as takedown_demo


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    district: str
    sector: str
    org_code8: str
    industry: str = ""
    address: str = ""
    representative: str = ""
    kind: str = Organisation.Kind.COMPANY
    authority: str = "91"


ORGS = (
    DemoOrg("xinghe", "北京星河科技有限公司", "110108", "general", "MA01XH00", "软件和信息技术服务业",
            "北京市海淀区中关村大街 1 号", "张星河"),
    DemoOrg("fangmao", "北京仿冒商贸有限公司", "110105", "general", "MA02FM00", "批发和零售业",
            "北京市朝阳区某商城 B1-23", "刘仿"),
    DemoOrg("mediation", "北京市知识产权纠纷人民调解中心", "110102", "mediation_centre", "MA03TJ00", "社会组织",
            "北京市西城区", "", Organisation.Kind.INSTITUTION, "52"),
    DemoOrg("arbitration", "北京国际知识产权仲裁中心", "110105", "arbitration", "MA04KC00", "仲裁",
            "北京市朝阳区", "", Organisation.Kind.INSTITUTION, "12"),
    DemoOrg("court", "北京知识产权法院", "110108", "court", "MA05FY00", "审判机关", "北京市海淀区",
            "", Organisation.Kind.INSTITUTION, "11"),
    DemoOrg("platform", "北京京购网络科技有限公司", "110115", "ecommerce_platform", "MA06JG00", "互联网平台",
            "北京市大兴区", "陈平台"),
    DemoOrg("fair", "北京国际会展服务有限公司", "110105", "fair_organiser", "MA07HK00", "会议及展览服务",
            "北京市朝阳区国际展览中心", "林会展"),
    DemoOrg("cnipa_bj", "北京市知识产权局", "110112", "agency", "MA08GJ00", "行政机关", "北京市通州区",
            "", Organisation.Kind.INSTITUTION, "11"),
    DemoOrg("appraisal", "北京知识产权鉴定中心", "110108", "appraisal", "MA09JD00", "鉴定", "北京市海淀区",
            "", Organisation.Kind.INSTITUTION, "12"),
    DemoOrg("agency", "北京华信知识产权代理事务所", "110101", "ip_agency", "MA10HX00", "知识产权服务",
            "北京市东城区", "黄华信"),
    DemoOrg("peach", "北京市平谷区大桃协会", "110117", "general", "MA11DT00", "农业", "北京市平谷区",
            "", Organisation.Kind.INSTITUTION, "51"),
    DemoOrg("orchard", "北京平谷绿源果品专业合作社", "110117", "general", "MA12LY00", "农业", "北京市平谷区",
            "", Organisation.Kind.COMPANY, "93"),
    DemoOrg("licensee", "北京银汉软件有限公司", "110108", "general", "MA13YH00", "软件和信息技术服务业",
            "北京市海淀区", "何银汉"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    role: str
    org: str | None = None
    district: str | None = None
    phone: str | None = None


USERS = (
    DemoUser("xinghe", "张星河（星河科技）", Role.RIGHT_HOLDER, "xinghe", None, "13800000001"),
    DemoUser("fangmao", "刘仿（仿冒商贸）", Role.RIGHT_HOLDER, "fangmao", None, "13800000002"),
    DemoUser("daili", "黄代理（华信代理）", Role.AGENT, "agency", None, "13800000003"),
    DemoUser("jinggou", "陈平台（京购）", Role.PLATFORM_OPERATOR, "platform"),
    DemoUser("huizhan", "林会展（会展公司）", Role.PLATFORM_OPERATOR, "fair"),
    DemoUser("wangzhifa", "王执法", Role.OFFICER, "cnipa_bj", "110105", "13900000001"),
    DemoUser("litiaojie", "李调解", Role.MEDIATOR, "mediation"),
    DemoUser("zhaozhongcai", "赵仲裁", Role.ARBITRATOR, "arbitration"),
    DemoUser("sunfayuan", "孙法院", Role.COURT_LIAISON, "court"),
    DemoUser("zhoujishu", "周技术", Role.TECH_INVESTIGATOR, "appraisal"),
    DemoUser("qianxinyong", "钱信用", Role.CREDIT_OFFICER, "cnipa_bj"),
    DemoUser("haidian", "吴区管（海淀）", Role.DISTRICT_ADMIN, "cnipa_bj", "110108"),
    DemoUser("shiju", "郑市局", Role.CITY_ADMIN, "cnipa_bj"),
    DemoUser("shenji", "冯审计", Role.AUDITOR, "cnipa_bj"),
)


def demo_uscc(org: DemoOrg) -> str:
    """Authority+type (2) + district (6) + organisation code with its check (9) + USCC check (1)."""
    org_code = org.org_code8 + uscc_lib.compute_org_code_check(org.org_code8)
    return uscc_lib.make_uscc(org.authority + org.district + org_code)


def _districts() -> None:
    for code, name in district_lib.BEIJING_DISTRICTS.items():
        District.objects.update_or_create(code=code, defaults={"name": name})


def _orgs() -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for spec in ORGS:
        code = demo_uscc(spec)
        org = Organisation.objects.filter(uscc=code).first()
        if org is None:
            org = orgs.register_organisation(
                actor=None, name=spec.name, kind=spec.kind, sector=spec.sector, uscc=code,
                district_code=spec.district, address=spec.address, legal_representative=spec.representative,
                industry=spec.industry,
            )
            if spec.representative:
                orgs.add_contact(actor=None, org=org, name=spec.representative, title="法定代表人",
                                 phone="010-8888" + code[-4:].translate(str.maketrans("ABCDEFGHJKLMNPQRTUWXY", "0" * 21)),
                                 is_representative=True)
        out[spec.key] = org
    foreign = Organisation.objects.filter(kind="foreign", country="德国", foreign_registration_no="HRB 123456").first()
    out["foreign"] = foreign or orgs.register_organisation(
        actor=None, name="Stellar Devices GmbH", kind="foreign", country="德国", foreign_registration_no="HRB 123456",
        address="München, Deutschland", industry="电子设备制造",
    )
    return out


def _users(org_map: dict[str, Organisation]) -> list[tuple[DemoUser, User]]:
    result = []
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = accounts.create_user(
                actor=None, username=spec.username, password=settings.ZHIBAO_DEMO_PASSWORD, role=spec.role,
                display_name=spec.name, phone=spec.phone, organisation=org_map[spec.org] if spec.org else None,
                district=District.objects.get(code=spec.district) if spec.district else None, check_password=False,
            )
        result.append((spec, user))
    agent = User.objects.get(username="daili")
    if not PowerOfAttorney.objects.filter(agent=agent, principal=org_map["xinghe"]).exists():
        accounts.grant_power_of_attorney(actor=None, agent=agent, principal=org_map["xinghe"], scope="all",
                                         valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2028, 12, 31),
                                         document_no="HX-WT-2025-001")
    return result


def _patent_no(year: int, type_digit: str, serial: str) -> str:
    body = f"{year}{type_digit}{serial}"
    return f"{body}.{patent_lib.compute_check_digit(body)}"


def _rights(org_map: dict[str, Organisation]) -> None:
    xinghe, fangmao = org_map["xinghe"], org_map["fangmao"]
    specs = [
        dict(right_type="patent", number=_patent_no(2021, "1", "0123456"), title="一种基于联邦学习的图像识别方法",
             owner=xinghe, patent_kind="invention", grant_number="CN113123456B", ipc="G06N 3/08; G06V 10/82",
             claims="1. 一种基于联邦学习的图像识别方法，其特征在于……", valid_from="2021-03-15", valid_until="2041-03-14"),
        dict(right_type="patent", number=_patent_no(2022, "2", "0234567"), title="一种便携式无线充电支架",
             owner=xinghe, patent_kind="utility_model", grant_number="CN217654321U", ipc="H02J 50/10",
             valid_from="2022-06-01", valid_until="2032-05-31"),
        dict(right_type="patent", number=_patent_no(2023, "3", "0345678"), title="智能音箱（星河 S1）",
             owner=xinghe, patent_kind="design", grant_number="CN308765432S", valid_from="2023-02-10",
             valid_until="2038-02-09"),
        dict(right_type="trademark", number="45678901", title="星河", owner=xinghe, nice_classes=[9, 42],
             goods="计算机软件；智能音箱；软件即服务", valid_from="2020-11-07", valid_until="2030-11-06"),
        dict(right_type="trademark", number="45678902", title="XINGHE", owner=xinghe, nice_classes=[9],
             goods="计算机硬件；耳机", valid_from="2020-11-07", valid_until="2030-11-06"),
        dict(right_type="trademark", number="31234567", title="星河 STARRIVER", owner=xinghe, nice_classes=[35],
             goods="广告；在线零售服务", status="expired", valid_from="2015-05-01", valid_until="2025-04-30"),
        dict(right_type="copyright", number="2022SR0123456", title="星河智能操作系统 V1.0", owner=xinghe,
             valid_from="2022-04-20"),
        dict(right_type="copyright", title="星河品牌宣传片《星辰大海》", owner=xinghe, self_declared=True,
             valid_from="2024-01-01", work_file=ContentFile("《星辰大海》分镜脚本与成片说明（演示）".encode(),
                                                            name="xingchen-dahai.txt")),
        dict(right_type="trade_secret", title="星河 S1 声学调校参数", owner=xinghe,
             secret_description="S1 扬声器 EQ 曲线与 DSP 参数表（存于研发部加密服务器，仅 6 人有权访问）"),
        dict(right_type="trademark", number="56789012", title="仿冒优选", owner=fangmao, nice_classes=[35],
             goods="在线零售服务", valid_from="2021-08-01", valid_until="2031-07-31"),
        dict(right_type="gi", number="AGI00123", title="平谷大桃", owner=org_map["peach"], gi_product="大桃",
             gi_area="北京市平谷区现辖行政区域", valid_from="2006-01-01"),
    ]
    for spec in specs:
        owner = spec.pop("owner")
        number = spec.get("number", "")
        existing = Right.objects.filter(owner=owner, title=spec["title"]).first()
        if existing is not None:
            continue
        right = rights.register_right(actor=None, owner=owner, **spec)
        if number == "45678901":
            rights.add_licence(actor=None, right=right, licensee=org_map["licensee"], fee="200000.00",
                               start="2024-01-01", end="2026-12-31", kind="ordinary", recordal_no="TM-BA-2024-0088")
        if right.right_type == "gi":
            right.gi_authorised_users.add(org_map["orchard"])


@transaction.atomic
def load() -> list[tuple[DemoUser, User]]:
    _districts()
    org_map = _orgs()
    users = _users(org_map)
    _rights(org_map)
    takedown_demo.load(org_map)
    fairs_demo.load(org_map)
    cases_demo.load(org_map)
    monitoring_demo.load(org_map)
    credit_demo.load(org_map)
    return users
