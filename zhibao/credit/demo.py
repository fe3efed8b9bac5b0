"""Demo data: the reference lists, a procurement agency (公共资源交易中心) with its checking officer, and
credit facts recorded by hand — one earlier penalty against 仿冒商贸 (so its next infringement decision
fires the repeat-infringer rule) and 双公示 licence records for 星河科技.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from zhibao.accounts import services as accounts
from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.credit import reference, services
from zhibao.credit.models import CreditFact, ListingRule, ListType
from zhibao.law import uscc as uscc_lib
from zhibao.orgs import services as orgs
from zhibao.orgs.models import Organisation


def _agency() -> Organisation:
    code = uscc_lib.make_uscc("12110102" + "MA09CG00" + uscc_lib.compute_org_code_check("MA09CG00"))
    org = Organisation.objects.filter(uscc=code).first()
    if org is None:
        org = orgs.register_organisation(actor=None, name="北京市公共资源交易中心", kind="institution", sector="agency",
                                         uscc=code, district_code="110102", address="北京市西城区",
                                         industry="公共资源交易")
    return org


def load(org_map: dict[str, Organisation]) -> None:
    reference.seed(ListType, ListingRule)
    agency = _agency()
    if not User.objects.filter(username="caigou").exists():
        accounts.create_user(actor=None, username="caigou", password=settings.ZHIBAO_DEMO_PASSWORD, role=Role.AGENCY,
                             display_name="蔡采购（公共资源交易中心）", phone="13800000020", organisation=agency,
                             check_password=False)
    officer = User.objects.get(username="qianxinyong")
    # The demo cases' decisions against 仿冒商贸 reach its credit file through cases.services.decide; this
    # hand-recorded penalty stands in for them only when the cases demo did not run. record_fact is
    # idempotent per source, so loading the demo twice adds nothing.
    if not CreditFact.objects.filter(organisation=org_map["fangmao"], kind="administrative_penalty").exists():
        services.record_fact(
            actor=officer, organisation=org_map["fangmao"], kind="administrative_penalty",
            occurred_on=dt.date(2024, 8, 15), legal_basis="《中华人民共和国商标法》第五十七条第（三）项、第六十条第二款",
            summary="销售侵犯“星河”注册商标专用权的智能音箱 320 台，没收侵权商品并处罚款", source_type="manual",
            source_ref="京朝市监罚〔2024〕1187号", amount="96000", authority="北京市朝阳区市场监督管理局")
    services.record_fact(
        actor=officer, organisation=org_map["fangmao"], kind="commitment", occurred_on=dt.date(2024, 9, 1),
        legal_basis="《关于强化知识产权保护的行动方案》第5条", summary="签署不再销售侵权商品的信用承诺书",
        source_type="manual", source_ref="承诺〔2024〕0031号", visibility="agencies")
    services.record_fact(
        actor=officer, organisation=org_map["xinghe"], kind="administrative_licence", occurred_on=dt.date(2024, 1, 15),
        legal_basis="《中华人民共和国商标法》第四十三条（商标使用许可备案）",
        summary="“星河”注册商标（第45678901号）许可北京银汉软件有限公司使用", source_type="manual",
        source_ref="TM-BA-2024-0088", authority="国家知识产权局")
    services.record_fact(
        actor=officer, organisation=org_map["xinghe"], kind="positive", occurred_on=dt.date(2025, 6, 30),
        legal_basis="北京市知识产权试点示范单位认定", summary="认定为北京市知识产权示范单位", source_type="manual",
        source_ref="京知示范〔2025〕12号", authority="北京市知识产权局")
