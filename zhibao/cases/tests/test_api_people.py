"""The cases API beside the workflow: drafts, triage rules, messages and service, experts, conflicts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhibao.cases.models import Case, CaseEvent, TriageRule
from zhibao.rights.models import Right

pytestmark = pytest.mark.django_db


def _send(client, method: str, path: str, body: dict):  # noqa: ANN001, ANN202
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_draft_saved_then_completed_then_filed_through_the_api(client_as, orgs, xinghe_deposit):  # noqa: ANN001
    client = client_as("xinghe")
    right = Right.objects.get(number="45678901")
    created = _send(client, "post", "/api/v1/cases/drafts", {"complainant_id": orgs["xinghe"].pk, "title": "假冒音箱"})
    assert created.status_code == 201, created.content
    draft_id = created.json()["id"]
    updated = _send(client, "put", f"/api/v1/cases/drafts/{draft_id}", {
        "complainant_id": orgs["xinghe"].pk, "title": "假冒星河音箱", "right_ids": [right.pk],
        "facts": "网店销售假冒音箱", "damages_claimed": "30000",
        "acts": [{"act": "counterfeit_mark", "place_type": "online", "place": "https://shop.example/x"}]})
    assert updated.status_code == 200 and updated.json()["right_ids"] == [right.pk]
    assert [d["id"] for d in client.get("/api/v1/cases/drafts").json()] == [draft_id]
    filed = _send(client, "post", f"/api/v1/cases/drafts/{draft_id}/file",
                  {"respondent_id": orgs["fangmao"].pk, "deposit_nos": [xinghe_deposit.deposit_no]})
    assert filed.status_code == 201, filed.content
    case = Case.objects.get(number=filed.json()["number"])
    assert case.pk == draft_id and case.title == "假冒星河音箱" and str(case.damages_claimed) == "30000.00"
    assert client.get("/api/v1/cases/drafts").json() == []
    again = _send(client, "put", f"/api/v1/cases/drafts/{draft_id}", {"complainant_id": orgs["xinghe"].pk})
    assert again.status_code == 404  # no longer a draft


def test_drafts_are_private_to_the_complainant_side(client_as, orgs):  # noqa: ANN001
    draft_id = _send(client_as("xinghe"), "post", "/api/v1/cases/drafts",
                     {"complainant_id": orgs["xinghe"].pk, "title": "未完成"}).json()["id"]
    assert client_as("fangmao").get("/api/v1/cases/drafts").json() == []
    other = _send(client_as("fangmao"), "put", f"/api/v1/cases/drafts/{draft_id}", {"complainant_id": orgs["xinghe"].pk})
    assert other.status_code == 404
    forged = _send(client_as("fangmao"), "post", "/api/v1/cases/drafts", {"complainant_id": orgs["xinghe"].pk})
    assert forged.status_code == 403
    unknown = _send(client_as("xinghe"), "post", "/api/v1/cases/drafts", {"complainant_id": 999999})
    assert unknown.status_code == 400 and "complainant_id" in unknown.json()["errors"]
    typo = _send(client_as("xinghe"), "post", "/api/v1/cases/drafts", {"complainant_id": orgs["xinghe"].pk, "titel": 1})
    assert typo.status_code == 422


def test_triage_rules_read_by_staff_and_versioned_by_the_city_admin(client_as):  # noqa: ANN001
    current = client_as("wangzhifa").get("/api/v1/cases/triage-rules")
    assert current.status_code == 200 and current.json() and all(r["is_current"] for r in current.json())
    rule = current.json()[0]
    body = {**{k: rule[k] for k in ("key", "name", "conditions", "complexity", "channel", "priority", "basis")},
            "name": rule["name"] + "（修订）"}
    assert _send(client_as("wangzhifa"), "post", "/api/v1/cases/triage-rules", body).status_code == 403
    saved = _send(client_as("shiju"), "post", "/api/v1/cases/triage-rules", body)
    assert saved.status_code == 201 and saved.json()["version"] == rule["version"] + 1
    history = client_as("shiju").get("/api/v1/cases/triage-rules", {"history": "true"}).json()
    assert [r["version"] for r in history if r["key"] == rule["key"]] == [rule["version"] + 1, rule["version"]]
    assert TriageRule.objects.filter(key=rule["key"], is_current=True).count() == 1
    bad = _send(client_as("shiju"), "post", "/api/v1/cases/triage-rules", {**body, "conditions": {"moon": True}})
    assert bad.status_code == 400 and "conditions" in bad.json()["errors"]
    assert client_as("xinghe").get("/api/v1/cases/triage-rules").status_code == 404


def test_served_document_is_read_by_the_respondent_and_recorded(client_as, file_case):  # noqa: ANN001
    case = file_case()
    officer = client_as("wangzhifa")
    url = f"/api/v1/cases/{case.number}/messages"
    refused = client_as("xinghe").post(url, {"body": "请尽快处理", "is_service": "true"})
    assert refused.status_code == 403  # only handlers serve documents
    served = officer.post(url, {"body": "责令改正通知书", "is_service": "true",
                                "files": [SimpleUploadedFile("通知书.txt", "责令改正".encode())]})
    assert served.status_code == 201, served.content
    assert served.json()["deposit_no"] and served.json()["read_by_respondent_at"] is None
    empty = officer.post(url, {"body": " "})
    assert empty.status_code == 400 and "body" in empty.json()["errors"]
    assert client_as("fangmao").post(url + "/read").json() == {"marked": 1}
    listed = client_as("fangmao").get(url).json()
    assert listed[0]["read_by_respondent_at"] is not None
    assert CaseEvent.objects.filter(case=case, kind="served").exists()
    assert client_as("jinggou").get(url).status_code == 404


def test_expert_request_and_report_through_the_api(client_as, file_case, demo):  # noqa: ANN001
    case = file_case()
    officer = client_as("wangzhifa")
    url = f"/api/v1/cases/{case.number}/experts"
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    bad = _send(officer, "post", url, {"kind": "investigator", "question": "", "due_date": due})
    assert bad.status_code == 400 and {"question", "expert"} <= set(bad.json()["errors"])
    assert _send(client_as("xinghe"), "post", url, {"kind": "investigator", "question": "q", "due_date": due,
                                                     "expert_username": "zhoujishu"}).status_code == 403
    made = _send(officer, "post", url, {"kind": "investigator", "question": "被控产品是否落入权利要求范围",
                                        "due_date": due, "expert_username": "zhoujishu"})
    assert made.status_code == 201, made.content
    report_url = f"/api/v1/cases/experts/{made.json()['id']}/report"
    assert client_as("fangmao").post(report_url, {"summary": "x"}).status_code == 403
    missing = client_as("zhoujishu").post(report_url, {"summary": "落入"})
    assert missing.status_code == 400
    done = client_as("zhoujishu").post(report_url, {"summary": "落入保护范围",
                                                    "files": [SimpleUploadedFile("意见书.txt", "意见".encode())]})
    assert done.status_code == 200 and done.json()["report_deposit_no"]
    assert case.deposits.filter(deposit_no=done.json()["report_deposit_no"]).exists()
    assert officer.get(url).json()[0]["reported_at"] is not None
    assert client_as("jinggou").post(report_url, {"summary": "x"}).status_code == 404


def test_conflict_declaration_unassigns_the_handler(client_as, file_case, demo):  # noqa: ANN001
    case = file_case()
    url = f"/api/v1/cases/{case.number}/conflicts"
    assert _send(client_as("xinghe"), "post", url, {"has_conflict": False}).status_code == 403
    vague = _send(client_as("wangzhifa"), "post", url, {"has_conflict": True})
    assert vague.status_code == 400 and "statement" in vague.json()["errors"]
    Case.objects.filter(pk=case.pk).update(assignee=demo["wangzhifa"])
    declared = _send(client_as("wangzhifa"), "post", url, {"has_conflict": True, "statement": "与被投诉人负责人系亲属"})
    assert declared.status_code == 201 and declared.json()["has_conflict"] is True
    assert Case.objects.get(pk=case.pk).assignee is None


def _adjudication_case(file_case, demo):  # noqa: ANN001, ANN202
    """The demo's accepted patent dispute (无线充电支架) in adjudication."""
    case = Case.objects.get(title="无线充电支架专利侵权纠纷")
    assert (case.channel, case.status) == ("adjudication", "accepted")
    return case


def test_hearing_scheduled_online_and_recorded_through_the_api(client_as, file_case, demo):  # noqa: ANN001
    case = _adjudication_case(file_case, demo)
    officer = client_as("wangzhifa")
    url = f"/api/v1/cases/{case.number}/hearing"
    at = "2026-12-21T09:30:00+08:00"
    no_link = _send(officer, "post", url, {"mode": "online", "at": at})
    assert no_link.status_code == 400 and "link" in no_link.json()["errors"]
    assert _send(client_as("xinghe"), "post", url, {"mode": "onsite", "at": at}).status_code == 403
    early = _send(officer, "post", f"/api/v1/cases/{case.number}/hearing-record", {"record": "x"})
    assert early.status_code == 409
    ok = _send(officer, "post", url, {"mode": "online", "at": at, "link": "https://meet.example/zb-1"})
    assert ok.status_code == 200 and ok.json()["status"] == "hearing"
    recorded = _send(officer, "post", f"/api/v1/cases/{case.number}/hearing-record", {"record": "双方到庭陈述意见"})
    assert recorded.status_code == 200
    case.refresh_from_db()
    assert case.hearing_link == "https://meet.example/zb-1" and case.hearing_record == "双方到庭陈述意见"
    assert timezone.localtime(case.hearing_at).hour == 9


def test_hearing_form_on_the_case_page(client_as, file_case, demo):  # noqa: ANN001
    case = _adjudication_case(file_case, demo)
    officer = client_as("wangzhifa")
    page = officer.get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="hearing-form"' in page and 'value="hold_hearing"' not in page
    posted = officer.post(f"/cases/{case.number}/", {
        "form": "hearing", "hearing-mode": "onsite", "hearing-at": "2026-12-22T14:00",
        "hearing-expected_version": case.version})
    assert posted.status_code in (200, 302)
    case.refresh_from_db()
    assert case.status == "hearing" and case.hearing_mode == "onsite"
    assert timezone.localtime(case.hearing_at).strftime("%Y-%m-%d %H:%M") == "2026-12-22 14:00"
    page = officer.get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="hearing-record-form"' in page
    officer.post(f"/cases/{case.number}/", {"form": "hearing_record", "hearing_record-record": "现场审理，双方质证"})
    case.refresh_from_db()
    assert case.hearing_record == "现场审理，双方质证"
