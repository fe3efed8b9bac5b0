"""Verification codes kept only as digests (shown once, regenerable) and reassignment of a case's handler."""

from __future__ import annotations

import importlib
import json

import pytest
from django.test import Client

from zhibao.accounts.models import AuditEntry
from zhibao.accounts.roles import Role
from zhibao.cases import codes, selectors, services
from zhibao.cases.models import Case, CaseEvent
from zhibao.core.errors import Forbidden, InvalidInput
from zhibao.notifications.models import Notification
from zhibao.orgs.models import District

pytestmark = pytest.mark.django_db


def _user(username: str, role: str, district: str | None = None):  # noqa: ANN202
    from zhibao.accounts import services as accounts

    return accounts.create_user(actor=None, username=username, password="Zhibao@Demo2026x", role=role,
                                district=District.objects.get(code=district) if district else None,
                                check_password=False)


def _post(client: Client, path: str, body: dict | None = None):  # noqa: ANN202
    return client.post(path, json.dumps(body or {}), content_type="application/json")


# --- verification codes -------------------------------------------------------------------------------------

def test_verification_code_is_stored_only_as_a_digest(file_case):
    case = file_case()
    code = case.shown_code
    assert len(code) == codes.LENGTH and case.verification_hash == codes.digest(case.number, code)
    row = Case.objects.filter(pk=case.pk).values().get()
    assert not any(code in str(value) for value in row.values())
    assert not CaseEvent.objects.filter(case=case, payload__icontains=code).exists()
    assert not any(code in json.dumps([e.before, e.after, e.reason], default=str)
                   for e in AuditEntry.objects.filter(object_id=str(case.pk)))


def test_public_lookup_works_with_the_right_code_and_answers_a_wrong_one_like_an_unknown_number(file_case):
    case = file_case()
    anonymous = Client()
    found = anonymous.get("/api/v1/public/case-status", {"number": case.number, "code": case.shown_code.lower()})
    assert found.status_code == 200 and found.json()["found"] is True and found.json()["number"] == case.number
    wrong = anonymous.get("/api/v1/public/case-status", {"number": case.number, "code": "ABCDEFGH"})
    unknown = anonymous.get("/api/v1/public/case-status", {"number": "ZB-2099-999999", "code": case.shown_code})
    assert wrong.status_code == unknown.status_code == 200 and wrong.json() == unknown.json() and wrong.json()["found"] is False
    assert selectors.public_status(number=case.number, code="") is None


def test_filing_response_shows_the_code_once_and_case_reads_never_do(client_as, file_case):
    case = file_case()
    detail = client_as("xinghe").get(f"/api/v1/cases/{case.number}").json()
    assert detail["verification_code"] is None


def test_complainant_regenerates_the_code_and_the_old_one_stops_working(client_as, file_case, demo):
    case = file_case()
    old = case.shown_code
    response = _post(client_as("daili"), f"/api/v1/cases/{case.number}/verification-code")
    assert response.status_code == 200
    new = response.json()["verification_code"]
    assert new != old and selectors.public_status(number=case.number, code=new) is not None
    assert selectors.public_status(number=case.number, code=old) is None
    assert CaseEvent.objects.filter(case=case, kind="verification_code_regenerated").count() == 1
    assert _post(client_as("fangmao"), f"/api/v1/cases/{case.number}/verification-code").status_code == 403
    assert _post(client_as("wangzhifa"), f"/api/v1/cases/{case.number}/verification-code").status_code == 403
    with pytest.raises(Forbidden):
        services.regenerate_verification_code(actor=demo["shiju"], case=case)


def test_regenerated_code_is_rendered_on_the_case_page_once(client_as, file_case):
    case = file_case()
    client = client_as("xinghe")
    page = client.post(f"/cases/{case.number}/", {"form": "code"})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="verification-code"' in text
    shown = text.split('data-testid="verification-code">')[1].split("<")[0]
    assert selectors.public_status(number=case.number, code=shown) is not None
    assert 'data-testid="verification-code"' not in client.get(f"/cases/{case.number}/").content.decode()


def test_migration_hashes_plain_codes_like_the_lookup_does():
    migration = importlib.import_module("zhibao.cases.migrations.0006_hashed_verification_code_queue_index")
    calls = []

    class Rows:
        def exclude(self, **_kw):  # noqa: ANN003, ANN202
            return self

        def values_list(self, *_f):  # noqa: ANN002, ANN202
            return self

        def iterator(self):  # noqa: ANN202
            return iter([(7, "ZB-2026-000007", "abcd2345")])

        def filter(self, pk):  # noqa: ANN001, ANN202
            return type("U", (), {"update": lambda _s, **kw: calls.append((pk, kw))})()

    class Apps:
        def get_model(self, *_a):  # noqa: ANN002, ANN202
            return type("M", (), {"objects": Rows()})

    migration.hash_existing_codes(Apps(), None)
    assert calls == [(7, {"verification_hash": codes.digest("ZB-2026-000007", "ABCD2345")})]


# --- reassignment -------------------------------------------------------------------------------------------

def test_city_admin_reassigns_with_a_reason_event_and_notification(client_as, file_case, demo):
    case = file_case()
    assert case.assignee == demo["wangzhifa"]
    colleague = _user("zhangzhifa", Role.OFFICER, "110105")
    response = _post(client_as("shiju"), f"/api/v1/cases/{case.number}/assignee",
                     {"assignee_id": colleague.pk, "reason": "王执法回避，改派", "expected_version": case.version})
    assert response.status_code == 200 and response.json()["assignee"] == str(colleague)
    event = CaseEvent.objects.get(case=case, kind="reassigned")
    assert event.reason == "王执法回避，改派" and event.payload == {"from": demo["wangzhifa"].pk, "to": colleague.pk}
    assert Notification.objects.filter(recipient=colleague, kind="cases.assigned").exists()
    assert Notification.objects.filter(recipient=demo["wangzhifa"], kind="cases.unassigned").exists()
    assert AuditEntry.objects.filter(action="case_reassigned").exists()
    assert colleague.has_perm("cases.handle_case", Case.objects.get(pk=case.pk))


def test_district_admin_of_the_case_district_may_reassign_others_may_not(client_as, file_case, demo):
    case = file_case()
    colleague = _user("zhangzhifa", Role.OFFICER, "110105")
    chaoyang_admin = _user("chaoyang", Role.DISTRICT_ADMIN, "110105")
    services.reassign(actor=chaoyang_admin, case=case, assignee=colleague, reason="工作量均衡")
    assert Case.objects.get(pk=case.pk).assignee == colleague
    for username in ("haidian", "wangzhifa", "xinghe", "litiaojie"):  # other district's admin, officer, party
        with pytest.raises(Forbidden):
            services.reassign(actor=demo[username], case=case, assignee=demo["wangzhifa"], reason="试图改派")
    body = {"assignee_id": demo["wangzhifa"].pk, "reason": "试图改派"}
    assert _post(client_as("haidian"), f"/api/v1/cases/{case.number}/assignee", body).status_code == 403
    assert _post(client_as("wangzhifa"), f"/api/v1/cases/{case.number}/assignee", body).status_code == 403
    assert _post(client_as("jinggou"), f"/api/v1/cases/{case.number}/assignee", body).status_code == 404


def test_ineligible_handler_or_missing_reason_is_a_400(client_as, file_case, demo):
    case = file_case()
    shiju = client_as("shiju")
    path = f"/api/v1/cases/{case.number}/assignee"
    other_district = _user("haidianzhifa", Role.OFFICER, "110108")
    for user in (demo["litiaojie"], other_district, demo["xinghe"], demo["haidian"]):  # wrong channel/district/role
        response = _post(shiju, path, {"assignee_id": user.pk, "reason": "改派"})
        assert response.status_code == 400 and "assignee" in response.json()["errors"], user
    assert _post(shiju, path, {"assignee_id": 999999, "reason": "改派"}).status_code == 400
    colleague = _user("zhangzhifa", Role.OFFICER, "110105")
    assert _post(shiju, path, {"assignee_id": colleague.pk, "reason": " "}).status_code == 400
    assert _post(shiju, path, {"assignee_id": demo["wangzhifa"].pk, "reason": "同一人"}).status_code == 400
    from zhibao.cases import people

    people.declare_conflict(actor=colleague, case=case, has_conflict=False)
    case.refresh_from_db()
    services.reassign(actor=demo["shiju"], case=case, assignee=colleague, reason="改派")
    people.declare_conflict(actor=demo["wangzhifa"], case=case, has_conflict=True, statement="曾代理仿冒商贸")
    with pytest.raises(InvalidInput):  # a declared conflict makes the officer ineligible
        services.reassign(actor=demo["shiju"], case=case, assignee=demo["wangzhifa"], reason="改回")
    assert not Case.objects.get(pk=case.pk).assignee == demo["wangzhifa"]


def test_reassign_from_the_case_page(client_as, file_case, demo):
    case = file_case()
    colleague = _user("zhangzhifa", Role.OFFICER, "110105")
    shiju = client_as("shiju")
    page = shiju.get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="reassign-form"' in page and f'value="{colleague.pk}"' in page
    assert 'data-testid="reassign-form"' not in client_as("xinghe").get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="reassign-form"' not in client_as("wangzhifa").get(f"/cases/{case.number}/").content.decode()
    missing = shiju.post(f"/cases/{case.number}/", {"form": "reassign", "reassign-assignee": colleague.pk,
                                                   "reassign-reason": "", "reassign-expected_version": case.version},
                         follow=True)
    assert "请填写更换承办人的理由" in missing.content.decode()
    done = shiju.post(f"/cases/{case.number}/", {"form": "reassign", "reassign-assignee": colleague.pk,
                                                "reassign-reason": "改派", "reassign-expected_version": case.version})
    assert done.status_code == 302 and Case.objects.get(pk=case.pk).assignee == colleague
    assert str(colleague) in shiju.get(f"/cases/{case.number}/").content.decode()


def test_queue_shows_cases_assigned_in_another_district_with_bounded_queries(client_as, file_case, demo,
                                                                              django_assert_max_num_queries):
    case = file_case()
    Case.objects.filter(pk=case.pk).update(district_id="110108")  # moved to 海淀, still assigned to 王执法
    queue = selectors.queue_for(actor=demo["wangzhifa"])
    assert case in queue and case in selectors.queue_for(actor=demo["haidian"])
    officer = client_as("wangzhifa")
    with django_assert_max_num_queries(8):
        assert officer.get("/api/v1/cases/queue").json()["count"] >= 1
