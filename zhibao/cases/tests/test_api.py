"""The cases API: filing, errors as JSON (400/404/409/422, never 500), transitions, public lookup, export, queries."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhibao.cases.models import Case
from zhibao.rights.models import Right

pytestmark = pytest.mark.django_db


def _post(client, path: str, body: dict):  # noqa: ANN001, ANN202
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def body(orgs, xinghe_deposit):  # noqa: ANN001, ANN201
    return {"complainant_id": orgs["xinghe"].pk, "right_ids": [Right.objects.get(number="2022SR0123456").pk],
            "title": "盗版星河操作系统", "respondent_id": orgs["fangmao"].pk,
            "deposit_nos": [xinghe_deposit.deposit_no],
            "acts": [{"act": "copyright_infringement", "place_type": "online", "place": "https://x.example"}]}


def test_file_then_handle_through_the_api(client_as, body):
    response = _post(client_as("xinghe"), "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    case = response.json()
    number = case["number"]
    assert case["clock"]["rule"] == "enforcement_filing" and case["verification_code"]
    officer = client_as("wangzhifa")
    wrong = _post(officer, f"/api/v1/cases/{number}/transitions", {"action": "close", "reason": "x"})
    assert wrong.status_code == 409 and set(wrong.json()["allowed_transitions"]) == {"accept", "reject"}
    ok = _post(officer, f"/api/v1/cases/{number}/transitions", {"action": "accept", "expected_version": case["version"]})
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert ok.json()["verification_code"] is None  # only the complainant's side sees the code
    stale = _post(officer, f"/api/v1/cases/{number}/transitions",
                  {"action": "investigate", "expected_version": case["version"]})
    assert stale.status_code == 409 and stale.json()["changed_by"] == "王执法"
    _post(officer, f"/api/v1/cases/{number}/transitions", {"action": "investigate"})
    decided = _post(officer, f"/api/v1/cases/{number}/decision", {
        "infringement_found": True, "legal_basis": "《著作权法》第五十三条", "penalty_amount": "50000", "published": True})
    assert decided.status_code == 201 and decided.json()["penalty_amount"] == "50000.00"
    seen = client_as("xinghe").get(f"/api/v1/cases/{number}").json()
    assert seen["decision"]["legal_basis"] == "《著作权法》第五十三条" and seen["status"] == "decided"
    assert [e["kind"] for e in seen["events"]][-1] == "decide"


def test_bad_input_is_json_never_500(client_as, body, orgs):
    client = client_as("xinghe")
    assert _post(client, "/api/v1/cases", {**body, "respondent_id": orgs["xinghe"].pk}).json()["errors"]["respondent"]
    assert _post(client, "/api/v1/cases", {**body, "deposit_nos": []}).status_code == 400
    assert _post(client, "/api/v1/cases", {**body, "respondent_id": 999999}).status_code == 400
    assert _post(client, "/api/v1/cases", {**body, "complainant_id": 999999}).status_code == 400
    assert _post(client, "/api/v1/cases", {**body, "damages_claimed": "-5"}).status_code == 400
    assert _post(client, "/api/v1/cases", {**body, "preferred_channel": "duel"}).status_code == 400
    assert _post(client, "/api/v1/cases", {**body, "surprise": 1}).status_code == 422
    assert _post(client, "/api/v1/cases", {**body, "right_ids": "x"}).status_code == 422
    assert client.get("/api/v1/cases/ZB-2026-999999").status_code == 404
    assert client.get("/api/v1/cases?limit=0").status_code == 400
    assert client.get("/api/v1/cases/export?format=pdf").status_code == 400


def test_duplicate_complaint_is_409_with_the_open_case(client_as, body):
    client = client_as("xinghe")
    first = _post(client, "/api/v1/cases", body).json()["number"]
    again = _post(client_as("daili"), "/api/v1/cases", body)
    assert again.status_code == 409 and again.json()["duplicate"] == first
    joined = _post(client, "/api/v1/cases", {**body, "join": True})
    assert joined.status_code == 201 and joined.json()["number"] == first


def test_another_partys_case_is_404(client_as, body):
    number = _post(client_as("xinghe"), "/api/v1/cases", body).json()["number"]
    assert client_as("jinggou").get(f"/api/v1/cases/{number}").status_code == 404
    assert _post(client_as("jinggou"), f"/api/v1/cases/{number}/transitions", {"action": "accept"}).status_code == 404


def test_public_status_needs_the_verification_code_and_shows_no_party(client_as, body):
    case = _post(client_as("xinghe"), "/api/v1/cases", body).json()
    anonymous = Client()
    found = anonymous.get("/api/v1/public/case-status", {"number": case["number"], "code": case["verification_code"]})
    assert found.json()["found"] is True and found.json()["status"] == "已收到"
    assert "仿冒" not in found.content.decode() and "星河" not in found.content.decode()
    wrong = anonymous.get("/api/v1/public/case-status", {"number": case["number"], "code": "WRONG123"})
    assert wrong.json() == {"found": False, "number": None, "channel": None, "status": None, "due_at": None,
                            "due_title": None, "last_update": None}


def test_export_xlsx_and_filters(client_as, body):
    _post(client_as("xinghe"), "/api/v1/cases", body)
    response = client_as("shiju").get("/api/v1/cases/export", {"format": "xlsx", "channel": "enforcement"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    listed = client_as("shiju").get("/api/v1/cases", {"right_type": "copyright"}).json()
    assert listed["count"] == 1 and listed["items"][0]["right_type"] == "copyright"


def test_list_and_queue_query_counts_do_not_grow_with_cases(client_as, file_case, django_assert_max_num_queries):
    for number in ("2022SR0123456", "45678901"):
        file_case(number)
    officer = client_as("wangzhifa")
    with django_assert_max_num_queries(8):
        assert officer.get("/api/v1/cases/queue").json()["count"] >= 4
    with django_assert_max_num_queries(8):
        assert officer.get("/api/v1/cases").json()["count"] >= 5
    assert Case.objects.count() >= 6


def test_bulk_csv_reports_each_row(client_as, orgs, xinghe_deposit):
    import io

    from zhibao.core.demo import ORGS, demo_uscc

    xinghe_uscc = demo_uscc(next(o for o in ORGS if o.key == "xinghe"))
    rows = [
        "complainant_uscc,right_numbers,title,respondent_name,act,deposit_nos",
        f"{xinghe_uscc},2022SR0123456,盗版操作系统,{orgs['fangmao'].name},copyright_infringement,{xinghe_deposit.deposit_no}",
        f"{xinghe_uscc},2022SR0123456,重复投诉,{orgs['fangmao'].name},copyright_infringement,{xinghe_deposit.deposit_no}",
        f"{xinghe_uscc},31234567,过期商标,某网店,sell_counterfeit,{xinghe_deposit.deposit_no}",
        f"NOPE,45678901,未知投诉人,某网店,,{xinghe_deposit.deposit_no}",
        f"{xinghe_uscc},99999999,未知权利,某网店,,",
    ]
    upload = io.BytesIO("\n".join(rows).encode())
    upload.name = "cases.csv"
    report = client_as("daili").post("/api/v1/cases/bulk", {"file": upload}).json()
    assert [r["ok"] for r in report] == [True, False, False, False, False]
    assert report[0]["number"].startswith("ZB-") and report[1]["errors"]["duplicate"] == [report[0]["number"]]
    assert "届满" in report[2]["errors"]["right_ids"][0] and report[3]["errors"]["complainant_uscc"]
    assert report[4]["errors"]["right_numbers"] and report[4]["row"] == 6
    bad = io.BytesIO(b"title\nx\n")
    bad.name = "x.csv"
    response = client_as("daili").post("/api/v1/cases/bulk", {"file": bad})
    assert response.status_code == 400 and "缺少必需的列" in response.json()["errors"]["file"][0]
