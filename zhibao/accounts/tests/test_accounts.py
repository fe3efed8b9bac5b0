"""Login, throttling, API tokens (hashed, scoped, revocable, logged) and the append-only audit log."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibao.accounts import services
from zhibao.accounts.models import ApiToken, ApiTokenUse, AuditEntry

PASSWORD = "Zhibao@Demo2026"


def test_login_with_phone_number(demo, client):  # noqa: ANN001
    response = client.post("/accounts/login/", {"username": "13800000001", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_wrong_password_shows_a_form_error(demo, client):  # noqa: ANN001
    response = client.post("/accounts/login/", {"username": "xinghe", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "正确" in response.content.decode()


def test_repeated_failures_lock_the_login(demo, client):  # noqa: ANN001
    for _ in range(5):
        client.post("/accounts/login/", {"username": "xinghe", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "xinghe", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_session_cookie_is_httponly_and_pages_send_security_headers(demo, client):  # noqa: ANN001
    client.post("/accounts/login/", {"username": "xinghe", "password": PASSWORD})
    response = client.get("/dashboard/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.cookies["sessionid"]["httponly"]


def test_token_is_shown_once_and_stored_hashed(demo):  # noqa: ANN001
    token, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:read"])
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("zb_") and raw not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == services.hash_token(raw)


def test_token_use_is_logged_and_scoped(demo, client):  # noqa: ANN001
    _, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/rights", **auth).status_code == 200
    denied = client.get("/api/v1/orgs", **auth)
    assert denied.status_code == 403 and "orgs:read" in denied.json()["detail"]
    uses = list(ApiTokenUse.objects.order_by("at").values_list("path", "status"))
    assert uses == [("/api/v1/rights", 200), ("/api/v1/orgs", 403)]


def test_token_last_used_is_rewritten_at_most_once_a_minute_but_every_use_is_logged(demo, client):  # noqa: ANN001
    import datetime as dt

    token, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.get("/api/v1/rights", **auth)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/rights", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/rights", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
    assert ApiTokenUse.objects.filter(token=token, status=200).count() == 3


def test_token_writes_are_audited_with_the_token(demo, client, orgs):  # noqa: ANN001
    token, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:write"])
    response = client.post("/api/v1/rights", data=json.dumps({
        "owner_id": orgs["xinghe"].pk, "right_type": "trademark", "title": "星河云", "number": "77777777",
        "nice_classes": [42]}), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}",
        REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.filter(object_type="rights.right", action="create").first()
    assert entry.token_id == token.pk and entry.actor_id == demo["xinghe"].pk and entry.ip == "10.1.2.3"


def test_revoked_or_unknown_token_is_401(demo, client):  # noqa: ANN001
    token, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:read"])
    services.revoke_token(actor=demo["xinghe"], token_id=token.pk)
    assert client.get("/api/v1/rights", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/rights", HTTP_AUTHORIZATION="Bearer zb_guess").status_code == 401


def test_token_with_unknown_scope_is_rejected(client_as):  # noqa: ANN001
    response = client_as("xinghe").post("/api/v1/tokens", data=json.dumps({"name": "x", "scopes": ["root"]}),
                                        content_type="application/json")
    assert response.status_code == 400
    assert "scopes" in response.json()["errors"]


def test_token_cannot_manage_tokens(demo, client):  # noqa: ANN001
    _, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:read"])
    response = client.get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_tokens_page_shows_the_new_token_once(client_as):  # noqa: ANN001
    c = client_as("xinghe")
    page = c.post("/accounts/tokens/", {"name": "对接", "scopes": ["rights:read"], "expires_in_days": 30})
    raw = page.content.decode().split('data-testid="raw-token">')[1].split("<")[0]
    assert raw.startswith("zb_") and len(raw) > 30
    assert raw not in c.get("/accounts/tokens/").content.decode()


def test_audit_log_is_append_only(demo):  # noqa: ANN001
    entry = AuditEntry.objects.first()
    entry.reason = "tampered"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.update(reason="x")


def test_auditor_filters_and_exports_the_audit_log(client_as):  # noqa: ANN001
    c = client_as("shenji")
    page = c.get("/accounts/audit/", {"object_type": "rights.right"}).content.decode()
    assert "rights.right" in page and "orgs.organisation #" not in page
    export = c.get("/accounts/audit/", {"object_type": "rights.right", "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert "rights.right" in export.content.decode("utf-8-sig")
    assert client_as("xinghe").get("/accounts/audit/").status_code == 403


def test_createuser_command_creates_a_role_user(demo):  # noqa: ANN001
    out = io.StringIO()
    call_command("createuser", "--username", "newofficer", "--role", "officer", "--password", "Long-Enough-9x",
                 "--district", "110108", "--json", stdout=out)
    assert json.loads(out.getvalue())["role"] == "officer"


def test_createuser_command_rejects_bad_input_with_exit_2(demo):  # noqa: ANN001
    with pytest.raises(CommandError) as err:
        call_command("createuser", "--username", "x1", "--role", "officer", "--password", "Long-Enough-9x")
    assert err.value.returncode == 2 and "district" in str(err.value)
    with pytest.raises(CommandError) as err:
        call_command("createuser", "--username", "x2", "--role", "agent", "--password", "123")
    assert err.value.returncode == 2


def test_agent_sees_principal_only_while_power_of_attorney_is_current(demo, orgs, client_as):  # noqa: ANN001
    from zhibao.accounts.models import PowerOfAttorney

    c = client_as("daili")
    assert c.get(f"/api/v1/orgs/{orgs['xinghe'].pk}").status_code == 200
    PowerOfAttorney.objects.filter(agent=demo["daili"]).update(valid_until="2020-01-01")
    assert client_as("daili").get(f"/api/v1/orgs/{orgs['xinghe'].pk}").status_code == 404


def test_tokens_page_lists_recent_uses(demo, client, client_as):  # noqa: ANN001
    _, raw = services.issue_token(actor=demo["xinghe"], name="ERP", scopes=["rights:read"])
    client.get("/api/v1/rights", HTTP_AUTHORIZATION=f"Bearer {raw}")
    page = client_as("xinghe").get("/accounts/tokens/").content.decode()
    assert 'data-testid="token-uses"' in page and "GET /api/v1/rights" in page
