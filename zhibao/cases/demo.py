"""Demo cases, filed and handled through the services (idempotent: skipped when demo cases exist).

- two closed enforcement cases against 仿冒商贸 with infringement decisions (2024 and 2025), so the
  credit engine sees a repeat infringer within five years;
- an open enforcement complaint (XINGHE trademark) just received by 王执法's district;
- a design-patent dispute in mediation (invited, awaiting both parties);
- a utility-model dispute accepted for administrative adjudication.
"""

from __future__ import annotations

import datetime as dt

from zhibao.accounts.models import User
from zhibao.cases import events, services
from zhibao.cases.models import Case
from zhibao.cases.triage_seed import ensure_seed_rules
from zhibao.evidence import services as evidence
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right

BJ = dt.timezone(dt.timedelta(hours=8))
DEMO_OPEN_TITLE = "网店销售假冒“XINGHE”耳机"


def _file(xinghe: User, org_map: dict[str, Organisation], number: str, title: str, now: dt.datetime | None = None,
          **kwargs: object) -> Case:
    right = Right.objects.get(number=number)
    deposit = evidence.make_deposit(actor=xinghe, title=f"证据：{title}", files=[],
                                    statement=f"{title}：公证购买记录与网页截图（演示）").deposit
    return services.file_complaint(
        actor=xinghe, complainant=org_map["xinghe"], respondent=org_map["fangmao"], right_ids=[right.pk],
        title=title, facts=f"{title}（演示数据）", deposit_nos=[deposit.deposit_no], now=now,
        acts=[{"act": "sell_counterfeit", "place_type": "online", "place": "https://shop.example/fangmao"}],
        **kwargs).case


def load(org_map: dict[str, Organisation]) -> None:
    ensure_seed_rules()
    if Case.objects.filter(title=DEMO_OPEN_TITLE).exists():
        return
    with events.silenced():
        _load(org_map)


def _load(org_map: dict[str, Organisation]) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["xinghe", "wangzhifa", "litiaojie"])}
    xinghe, officer = users["xinghe"], users["wangzhifa"]
    # One earlier decided case against 仿冒商贸: its penalty is the demo's credit history (a second decision
    # would fire the repeat-infringement listing rule, which the credit journey shows happening live).
    for year, penalty in ((2024, "80000.00"),):
        start = dt.datetime(year, 5, 6, 10, 0, tzinfo=BJ)
        case = _file(xinghe, org_map, "45678901", f"{year}年销售假冒“星河”音箱", now=start)
        services.accept(actor=officer, case=case, now=start + dt.timedelta(days=3))
        services.advance(actor=officer, case=case, action="investigate", now=start + dt.timedelta(days=4))
        services.decide(actor=officer, case=case, infringement_found=True, wilful=False, penalty_amount=penalty,
                        legal_basis="《中华人民共和国商标法》第六十条第二款", published=True,
                        reasoning="当事人销售侵犯注册商标专用权的商品，货值较大。", now=start + dt.timedelta(days=40))
        services.close(actor=officer, case=case, reason="罚款已缴纳，侵权商品已没收", now=start + dt.timedelta(days=60))
    _file(xinghe, org_map, "45678902", DEMO_OPEN_TITLE)
    design = Right.objects.get(right_type="patent", patent_kind="design")
    mediation = _file(xinghe, org_map, design.number, "仿冒星河 S1 外观设计音箱", both_willing_to_mediate=True)
    services.advance(actor=users["litiaojie"], case=mediation, action="invite")
    utility = Right.objects.get(right_type="patent", patent_kind="utility_model")
    adjudication = _file(xinghe, org_map, utility.number, "无线充电支架专利侵权纠纷")
    services.accept(actor=officer, case=adjudication)
