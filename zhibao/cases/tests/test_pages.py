"""Pages: intake with drafts and errors in place, case page and handling, queues with bounded queries, public lookup."""

from __future__ import annotations

import pytest
from django.test import Client

from zhibao.cases import services
from zhibao.cases.models import Case, Status
from zhibao.rights.models import Right

pytestmark = pytest.mark.django_db


def _intake_data(orgs, deposit, **extra) -> dict:  # noqa: ANN001, ANN003
    data = {"complainant": orgs["xinghe"].pk, "rights": [Right.objects.get(number="2022SR0123456").pk],
            "title": "盗版星河操作系统", "respondent_name": orgs["fangmao"].name, "act": "copyright_infringement",
            "place_type": "online", "place": "https://shop.example/fm", "facts": "网店出售盗版软件",
            "remedy_stop": "on", "deposit_nos": deposit.deposit_no, "file": "1"}
    data.update(extra)
    return data


def test_draft_is_saved_then_filed(client_as, orgs, xinghe_deposit):
    client = client_as("xinghe")
    response = client.post("/cases/new/", {**_intake_data(orgs, xinghe_deposit), "save_draft": "1"})
    draft = Case.objects.get(status=Status.DRAFT)
    assert response.status_code == 302 and response["Location"] == f"/cases/drafts/{draft.pk}/"
    assert "盗版星河操作系统" in client.get(f"/cases/drafts/{draft.pk}/").content.decode()
    assert client_as("fangmao").get(f"/cases/drafts/{draft.pk}/").status_code == 404
    response = client.post(f"/cases/drafts/{draft.pk}/", _intake_data(orgs, xinghe_deposit))
    case = Case.objects.get(pk=draft.pk)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.status == Status.RECEIVED


def test_intake_errors_are_shown_in_place(client_as, orgs, xinghe_deposit):
    client = client_as("xinghe")
    page = client.post("/cases/new/", _intake_data(orgs, xinghe_deposit, deposit_nos="", rights=[]))
    text = page.content.decode()
    assert page.status_code == 200 and "请至少选择一项登记的权利" in text and "请上传证据文件或引用已有存证" in text
    page = client.post("/cases/new/", _intake_data(orgs, xinghe_deposit, respondent_name=orgs["xinghe"].name))
    assert "不能投诉本单位" in page.content.decode()
    assert client_as("wangzhifa").get("/cases/new/").status_code == 404  # staff do not file complaints


def test_duplicate_offers_to_join(client_as, orgs, xinghe_deposit):
    client = client_as("xinghe")
    client.post("/cases/new/", _intake_data(orgs, xinghe_deposit))
    number = Case.objects.get(title="盗版星河操作系统").number
    page = client.post("/cases/new/", _intake_data(orgs, xinghe_deposit))
    assert f"/cases/{number}/" in page.content.decode() and 'data-testid="duplicate"' in page.content.decode()
    joined = client.post("/cases/new/", _intake_data(orgs, xinghe_deposit, join="on"))
    assert joined["Location"] == f"/cases/{number}/"


def test_officer_handles_on_the_case_page_and_stale_forms_lose(client_as, file_case):
    case = file_case("2022SR0123456")
    officer = client_as("wangzhifa")
    page = officer.get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="action-form"' in page and "enforcement_filing" in page
    ok = officer.post(f"/cases/{case.number}/", {"form": "action", "action-action": "accept",
                                                 "action-reason": "材料齐全", "action-expected_version": case.version})
    assert ok.status_code == 302 and Case.objects.get(pk=case.pk).status == Status.ACCEPTED
    stale = officer.post(f"/cases/{case.number}/", {"form": "action", "action-action": "investigate",
                                                    "action-expected_version": case.version}, follow=True)
    assert "请刷新后重试" in stale.content.decode()
    party = client_as("xinghe").get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="handle"' not in party and 'data-testid="code-form"' in party
    assert 'data-testid="verification-code"' not in party  # the code was shown once, at filing
    assert client_as("jinggou").get(f"/cases/{case.number}/").status_code == 404
    forged = client_as("xinghe").post(f"/cases/{case.number}/", {"form": "action", "action-action": "investigate",
                                                                 "action-expected_version": case.version + 1},
                                      follow=True)
    assert "承办人员" in forged.content.decode() and Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_decision_page_and_pdf(client_as, file_case, demo):
    case = file_case("2022SR0123456")
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    services.advance(actor=officer, case=case, action="investigate")
    client = client_as("wangzhifa")
    version = Case.objects.get(pk=case.pk).version
    client.post(f"/cases/{case.number}/", {"form": "decision", "decision-infringement_found": "on",
                                           "decision-penalty_amount": "30000", "decision-legal_basis": "《著作权法》第五十三条",
                                           "decision-expected_version": version})
    page = client_as("xinghe").get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="penalty">30000.00<' in page
    pdf = client_as("xinghe").get(f"/cases/{case.number}/decision.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_queue_and_list_queries_are_bounded(client_as, file_case, django_assert_max_num_queries):
    for number in ("2022SR0123456", "45678901"):
        file_case(number)
    officer = client_as("wangzhifa")
    with django_assert_max_num_queries(14):
        page = officer.get("/cases/queue/")
    assert page.status_code == 200 and page.content.decode().count('data-testid="case-link"') >= 4
    with django_assert_max_num_queries(14):
        listed = officer.get("/cases/?channel=enforcement&overdue=")
    assert listed.status_code == 200
    export = officer.get("/cases/?export=xlsx")
    assert export.content[:2] == b"PK"


def test_public_status_lookup_without_login(client_as, file_case):
    case = file_case("2022SR0123456")
    page = Client().get("/cases/status/", {"number": case.number, "code": case.shown_code})
    text = page.content.decode()
    assert page.status_code == 200 and "已收到" in text and "仿冒" not in text
    missing = Client().get("/cases/status/", {"number": case.number, "code": "NOPE"})
    assert 'data-testid="public-status-missing"' in missing.content.decode()


def test_mediation_agreement_and_confirmation_pdfs(client_as, file_case, demo):
    case = file_case("2022SR0123456", both_willing_to_mediate=True)
    mediator = demo["litiaojie"]
    services.advance(actor=mediator, case=case, action="invite")
    client_as("xinghe").post(f"/cases/{case.number}/", {"form": "consent", "agree": "1"})
    client_as("fangmao").post(f"/cases/{case.number}/", {"form": "consent", "agree": "1"})
    services.advance(actor=mediator, case=case, action="hold_session")
    assert client_as("xinghe").get(f"/cases/{case.number}/agreement.pdf").status_code == 404
    services.advance(actor=mediator, case=case, action="reach_agreement", reason="停止销售，赔偿 2 万元")
    services.advance(actor=mediator, case=case, action="apply_confirmation", reason="北京知识产权法院")
    for kind in ("agreement", "confirmation"):
        pdf = client_as("fangmao").get(f"/cases/{case.number}/{kind}.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_as("jinggou").get(f"/cases/{case.number}/agreement.pdf").status_code == 404


def test_public_decisions_mask_natural_persons(file_case, demo, orgs):
    from zhibao.orgs.models import Organisation

    anonymous = Client()
    text = anonymous.get("/cases/decisions/").content.decode()
    assert orgs["fangmao"].name in text  # the two published demo decisions against a registered company
    person = Organisation.objects.create(name="张三丰", kind="individual_business", provisional=True,
                                         district_id="110105")
    case = file_case("2022SR0123456", respondent=person)
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    services.advance(actor=officer, case=case, action="investigate")
    services.decide(actor=officer, case=case, infringement_found=True, legal_basis="《著作权法》第五十三条",
                    penalty_amount=1000, published=True)
    text = anonymous.get("/cases/decisions/").content.decode()
    assert "张**" in text and "张三丰" not in text


def test_city_admin_versions_triage_rules_and_the_new_version_decides(client_as, file_case):
    import json

    from zhibao.cases.models import TriageRule

    assert client_as("xinghe").get("/cases/triage-rules/").status_code == 404
    officer_view = client_as("wangzhifa").get("/cases/triage-rules/").content.decode()
    assert "trademark_counterfeit" in officer_view and 'data-testid="triage-form"' not in officer_view
    admin = client_as("shiju")
    bad = admin.post("/cases/triage-rules/", {"key": "trademark_counterfeit", "name": "x", "priority": 50,
                                              "conditions": json.dumps({"colour": "red"}), "complexity": "simple",
                                              "channel": "enforcement"})
    assert "未知的条件" in bad.content.decode()
    admin.post("/cases/triage-rules/", {"key": "trademark_counterfeit", "name": "商标与著作权：先行调解", "priority": 50,
                                        "conditions": json.dumps({"right_types": ["trademark", "copyright"]}),
                                        "complexity": "simple", "channel": "mediation", "active": "on"})
    versions = TriageRule.objects.filter(key="trademark_counterfeit").order_by("version")
    assert [(r.version, r.is_current) for r in versions] == [(1, False), (2, True)]
    case = file_case("2022SR0123456", acts=[])
    assert case.channel == "mediation" and case.triage_rule.version == 2


def test_bulk_page_reports_rows_and_bad_files(client_as, xinghe_deposit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("daili")
    page = client.post("/cases/bulk/", {"file": SimpleUploadedFile("c.csv", b"title\nx\n")}).content.decode()
    assert "缺少必需的列" in page
    csv = f"complainant_uscc,right_numbers,title,deposit_nos\nNOPE,45678901,X,{xinghe_deposit.deposit_no}\n"
    page = client.post("/cases/bulk/", {"file": SimpleUploadedFile("c.csv", csv.encode())}).content.decode()
    assert 'data-testid="bulk-report"' in page and "未登记的投诉人" in page
    assert "请选择 CSV 文件" in client.post("/cases/bulk/", {}).content.decode()


def test_case_page_shows_the_time_left_and_acts_in_words(client_as, file_case):  # noqa: ANN001
    import re

    case = file_case()
    page = client_as("wangzhifa").get(f"/cases/{case.number}/").content.decode()
    left = re.search(r"剩余 ([^<]+)</span>", page).group(1)
    assert left.strip() not in ("0 分钟", "0\xa0分钟") and ("天" in left or "周" in left)
    assert "假冒注册商标 · 网店 · https://shop.example/fm" in page and "counterfeit_mark" not in page
