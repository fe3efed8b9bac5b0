"""The seams to cases and credit: inert when those apps are absent, and called with the agreed arguments."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from django.apps import apps

from zhibao.core.errors import InvalidInput
from zhibao.takedown import integration, services
from zhibao.takedown.models import NoticeItem


@pytest.fixture
def fake_apps(monkeypatch):  # noqa: ANN001, ANN201
    """Pretend zhibao.cases and zhibao.credit are installed, with recording stand-ins for their entry points."""
    calls: dict[str, list] = {"facts": [], "cases": []}
    credit = types.ModuleType("zhibao.credit.services")
    credit.record_fact = lambda **kw: calls["facts"].append(kw) or kw  # type: ignore[attr-defined]
    cases = types.ModuleType("zhibao.cases.selectors")

    def accepted_case_by_number(number: str) -> object | None:
        calls["cases"].append(number)
        return object() if number == "ZB-2026-0042" else None

    cases.accepted_case_by_number = accepted_case_by_number  # type: ignore[attr-defined]
    for name, module in (("zhibao.credit", types.ModuleType("zhibao.credit")), ("zhibao.credit.services", credit),
                         ("zhibao.cases", types.ModuleType("zhibao.cases")), ("zhibao.cases.selectors", cases)):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys.modules["zhibao.credit"], "services", credit, raising=False)
    monkeypatch.setattr(sys.modules["zhibao.cases"], "selectors", cases, raising=False)
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name in ("zhibao.cases", "zhibao.credit") or real(name))
    return calls


def test_without_the_apps_nothing_happens(db, monkeypatch):  # noqa: ANN001
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name not in ("zhibao.cases", "zhibao.credit") and real(name))
    assert integration.find_accepted_case("ZB-2026-0042") is None
    assert integration.report_credit_fact(actor=None, organisation=None, kind="malicious_notice",
                                          occurred_on=dt.date(2026, 11, 25), legal_basis="x", summary="y",
                                          source_type="takedown", source_ref="z") is None


def test_malicious_finding_records_a_credit_fact(demo, orgs, fake_apps):  # noqa: ANN001
    notice = NoticeItem.objects.get(listing__listing_id="JG-100001").notice
    services.find_malicious(actor=demo["wangzhifa"], notice=notice, reason="明知权利已转让仍发出通知打击竞争对手",
                            wilful=True)
    fact = fake_apps["facts"][0]
    assert fact["kind"] == "malicious_notice" and fact["organisation"] == orgs["xinghe"]
    assert fact["source_type"] == "takedown" and fact["source_ref"] == notice.number and fact["wilful"] is True
    assert "第四十二条" in fact["legal_basis"]


def test_an_accepted_zhibao_case_stops_the_clock(demo, orgs, fake_apps):  # noqa: ANN001
    item = NoticeItem.objects.get(listing__listing_id="JG-100001")
    services.decide(actor=demo["jinggou"], item=item, measure="remove")
    with pytest.raises(InvalidInput):
        services.attach_proceeding(actor=demo["xinghe"], item=item, case_number="ZB-NOT-ACCEPTED")
    proceeding = services.attach_proceeding(actor=demo["xinghe"], item=item, case_number="ZB-2026-0042")
    assert proceeding.kind == "zhibao_case" and proceeding.reference == "ZB-2026-0042"
    assert fake_apps["cases"] == ["ZB-NOT-ACCEPTED", "ZB-2026-0042"]


def test_malicious_finding_lands_in_the_real_credit_file(demo, orgs):  # noqa: ANN001
    from zhibao.credit.models import CreditFact

    notice = NoticeItem.objects.get(listing__listing_id="JG-100001").notice
    services.find_malicious(actor=demo["wangzhifa"], notice=notice, reason="明知权利已转让仍发出通知打击竞争对手",
                            wilful=True)
    fact = CreditFact.objects.get(source_type="takedown", source_ref=notice.number, kind="malicious_notice")
    assert fact.organisation == orgs["xinghe"] and fact.wilful
