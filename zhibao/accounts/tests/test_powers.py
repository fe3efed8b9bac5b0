"""Powers of attorney: granted by the right holder, bounded by scope and time, revocable, audited."""

from __future__ import annotations

import json

from zhibao.accounts.models import AuditEntry, PowerOfAttorney


def test_right_holder_grants_an_agent_through_the_page(client_as, demo, orgs):  # noqa: ANN001
    c = client_as("fangmao")
    response = c.post("/accounts/powers/", {"agent": "13800000003", "scope": "rights", "document_no": "FM-1"})
    assert response.status_code == 302
    poa = PowerOfAttorney.objects.get(principal=orgs["fangmao"])
    assert poa.agent == demo["daili"] and poa.scope == "rights"
    agent = client_as("daili")
    assert agent.get(f"/api/v1/orgs/{orgs['fangmao'].pk}").status_code == 200
    assert "北京仿冒商贸有限公司" in agent.get("/accounts/powers/").content.decode()


def test_granting_to_a_non_agent_is_a_form_error(client_as, demo):  # noqa: ANN001
    page = client_as("xinghe").post("/accounts/powers/", {"agent": "wangzhifa", "scope": "all"}).content.decode()
    assert 'data-testid="error-agent"' in page


def test_scope_limits_what_the_agent_may_do(client_as, demo, orgs):  # noqa: ANN001
    PowerOfAttorney.objects.filter(agent=demo["daili"]).update(scope="notices")
    c = client_as("daili")
    # orgs are visible under any scope, rights only under "all"/"rights"
    assert c.get(f"/api/v1/orgs/{orgs['xinghe'].pk}").status_code == 200
    assert c.get("/api/v1/rights").json()["count"] == 0


def test_revocation_needs_a_reason_and_is_audited(client_as, demo, orgs):  # noqa: ANN001
    poa = PowerOfAttorney.objects.get(agent=demo["daili"], principal=orgs["xinghe"])
    c = client_as("xinghe")
    no_reason = c.post(f"/api/v1/powers/{poa.pk}/revoke", data=json.dumps({"reason": " "}),
                       content_type="application/json")
    assert no_reason.status_code == 400
    ok = c.post(f"/api/v1/powers/{poa.pk}/revoke", data=json.dumps({"reason": "委托合同终止"}),
                content_type="application/json")
    assert ok.status_code == 200 and ok.json()["revoked_at"]
    assert AuditEntry.objects.filter(action="revoke_power", reason="委托合同终止").exists()
    assert client_as("daili").get(f"/api/v1/orgs/{orgs['xinghe'].pk}").status_code == 404
    assert client_as("fangmao").post(f"/api/v1/powers/{poa.pk}/revoke", data=json.dumps({"reason": "x"}),
                                     content_type="application/json").status_code == 404
