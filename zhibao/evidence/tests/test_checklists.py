"""Channel evidence checklists: what each channel expects, what the attached deposits already prove."""

from __future__ import annotations

import pytest

from zhibao.core.errors import InvalidInput
from zhibao.evidence import checklists, selectors, services
from zhibao.evidence.models import CustodyEvent

pytestmark = pytest.mark.django_db


def _deposit(actor, category: str, text: str):  # noqa: ANN001, ANN202
    return services.make_deposit(actor=actor, title=text, files=[], statement=text, category=category).deposit


def test_every_channel_names_its_source_and_only_known_categories():
    cats = checklists.categories()
    for code, spec in checklists.channels().items():
        assert spec["source"] and spec["label"], code
        assert spec["required"], code
        assert set(spec["required"]) | set(spec["recommended"]) <= set(cats), code
        assert not set(spec["required"]) & set(spec["recommended"]), code


def test_arbitration_without_an_arbitration_agreement_is_incomplete():
    result = checklists.evaluate("arbitration", ["ownership", "identity", "infringement", "infringement"])
    assert not result.complete
    assert [i.category for i in result.missing_required] == ["agreement"]
    assert next(i for i in result.items if i.category == "infringement").present == 2


def test_unknown_channel_is_a_key_error_in_the_library_and_400_in_the_selector(demo):  # noqa: ANN001
    with pytest.raises(KeyError):
        checklists.evaluate("duel", [])
    with pytest.raises(InvalidInput) as exc:
        selectors.checklist_for(actor=demo["xinghe"], channel="duel", deposit_nos=[])
    assert "channel" in exc.value.errors


def test_checklist_counts_only_deposits_the_actor_may_see(demo):  # noqa: ANN001
    mine = _deposit(demo["xinghe"], "ownership", "星河商标注册证说明")
    theirs = _deposit(demo["fangmao"], "identity", "仿冒商贸营业执照")
    result = selectors.checklist_for(actor=demo["xinghe"], channel="enforcement",
                                     deposit_nos=[mine.deposit_no, theirs.deposit_no])
    present = {i.category for i in result.items if i.present}
    assert present == {"ownership"}
    assert {i.category for i in result.missing_required} == {"identity", "infringement"}


def test_unknown_category_is_rejected_with_the_known_ones(demo):  # noqa: ANN001
    with pytest.raises(InvalidInput) as exc:
        _deposit(demo["xinghe"], "gossip", "传闻")
    assert "ownership" in exc.value.errors["category"][0]


def test_submitting_to_a_channel_is_a_custody_event_per_deposit(demo):  # noqa: ANN001
    a = _deposit(demo["xinghe"], "ownership", "权利证明")
    b = _deposit(demo["xinghe"], "infringement", "侵权网页")
    assert services.submit_to_channel(actor=demo["xinghe"], deposits=[a, b], channel="mediation",
                                      reference="ZB-2026-000001") == 2
    event = CustodyEvent.objects.get(deposit=a, action=CustodyEvent.Action.SUBMITTED)
    assert event.channel == "调解" and event.note == "ZB-2026-000001"
    with pytest.raises(InvalidInput):
        services.submit_to_channel(actor=demo["xinghe"], deposits=[a], channel="duel", reference="x")


def test_checklist_api_and_page(demo, client_as):  # noqa: ANN001
    d = _deposit(demo["xinghe"], "ownership", "权利证明")
    client = client_as("xinghe")
    body = client.get("/api/v1/evidence/checklists/court", {"deposit_no": [d.deposit_no]}).json()
    assert body["complete"] is False and body["missing_required"] == ["identity", "infringement"]
    assert "法释〔2020〕12号" in body["source"]
    assert client.get("/api/v1/evidence/checklists/duel").status_code == 400
    html = client.get("/evidence/checklists/", {"channel": "court", "deposits": [d.deposit_no]}).content.decode()
    assert 'data-testid="checklist-result"' in html and "缺少 2 类必备证据" in html


def test_deposit_form_records_the_category(demo, client_as):  # noqa: ANN001
    client = client_as("xinghe")
    response = client.post("/evidence/new/", {"title": "权属声明", "statement": "星河科技为注册人", "category": "ownership"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "权利证明" in page
