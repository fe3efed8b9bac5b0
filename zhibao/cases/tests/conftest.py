"""Fixtures: a statement deposit of 星河 and a helper that files a complaint through the service."""

from __future__ import annotations

import pytest


@pytest.fixture
def xinghe_deposit(demo):  # noqa: ANN001, ANN201
    from zhibao.evidence import services as evidence

    return evidence.make_deposit(actor=demo["xinghe"], title="公证购买记录", files=[],
                                 statement="2026年11月在仿冒商贸网店公证购买“星河”音箱一台").deposit


@pytest.fixture
def file_case(demo, orgs, xinghe_deposit):  # noqa: ANN001, ANN201
    from zhibao.cases import services
    from zhibao.rights.models import Right

    def make(number: str = "45678901", *, actor: str = "xinghe", **kwargs):  # noqa: ANN003, ANN202
        right = Right.objects.get(number=number)
        data = dict(actor=demo[actor], complainant=orgs["xinghe"], right_ids=[right.pk], title="销售假冒星河音箱",
                    respondent=orgs["fangmao"], acts=[{"act": "counterfeit_mark", "place_type": "online",
                                                       "place": "https://shop.example/fm"}],
                    deposit_nos=[xinghe_deposit.deposit_no], facts="网店销售假冒“星河”商标音箱")
        data.update(kwargs)
        filing = services.file_complaint(**data)
        filing.case.shown_code = filing.verification_code  # what the filer saw once; the DB keeps a digest
        return filing.case

    return make
