"""Case journeys: (a) 星河科技 files a trademark complaint, the officer accepts, investigates and decides with a
penalty, and the right holder sees the decision; (b) a patent dispute fails in mediation and switches to
adjudication with its evidence intact; (c) a successful mediation yields the agreement PDF and the
judicial-confirmation application inside the 30-day window."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _act(page, action: str, reason: str = "") -> None:  # noqa: ANN001
    page.select_option("[data-testid=action-select]", action)
    if reason:
        page.fill("#id_action-reason", reason)
    page.click("[data-testid=action-submit]")


def test_a_trademark_complaint_to_a_penalty_decision(live_server, page, login, demo, orgs, tmp_path):  # noqa: ANN001
    from zhibao.rights.models import Right

    evidence = tmp_path / "公证购买记录.txt"
    evidence.write_text("2026年11月公证购买“星河”音箱一台，附发票。", encoding="utf-8")
    right = Right.objects.get(number="45678901")

    login("xinghe")
    page.goto(f"{live_server.url}/cases/")
    page.get_by_test_id("new-case").click()
    page.check(f"input[name=rights][value='{right.pk}']")
    page.fill("#id_title", "网店销售假冒“星河”音箱")
    page.fill("#id_respondent_name", orgs["fangmao"].name)
    page.select_option("#id_act", "counterfeit_mark")
    page.fill("#id_place", "https://shop.example/fangmao")
    page.fill("#id_facts", "被投诉人网店销售带有“星河”标识的音箱，非我司生产。")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_test_id("file-complaint").click()
    assert page.get_by_test_id("case-status").inner_text() == "已收到"
    assert "快速执法" in page.get_by_test_id("triage").inner_text()
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert "ZBCZ" in page.get_by_test_id("case-evidence").inner_text()

    login("wangzhifa")
    page.goto(f"{live_server.url}/cases/queue/")
    page.click(f"text={number}")
    _act(page, "accept", "材料齐全，予以立案")
    assert page.get_by_test_id("case-status").inner_text() == "已受理/立案"
    _act(page, "investigate", "现场检查并调取网店销售记录")
    page.fill("#id_decision-penalty_amount", "150000")
    page.fill("#id_decision-legal_basis", "《中华人民共和国商标法》第六十条第二款")
    page.fill("#id_decision-reasoning", "当事人销售侵犯注册商标专用权的商品。")
    page.check("#id_decision-published")
    page.get_by_test_id("decide-submit").click()
    assert page.get_by_test_id("case-status").inner_text() == "已作出决定"

    login("xinghe")
    page.goto(f"{live_server.url}/cases/{number}/")
    assert page.get_by_test_id("penalty").inner_text() == "150000.00"
    assert "商标法》第六十条" in page.get_by_test_id("decision").inner_text()
    with page.expect_download() as download:
        page.get_by_test_id("decision-pdf").click()
    assert download.value.suggested_filename == f"{number}-decision.pdf"


def test_b_failed_mediation_switches_to_adjudication_with_evidence(live_server, page, login, demo, orgs):  # noqa: ANN001
    from zhibao.cases.demo import _file
    from zhibao.rights.models import Right

    invention = Right.objects.get(right_type="patent", patent_kind="invention")
    case = _file(demo["xinghe"], orgs, invention.number, "联邦学习图像识别专利纠纷",
                 both_willing_to_mediate=True)
    evidence = set(case.deposits.values_list("deposit_no", flat=True))

    login("litiaojie")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    assert page.get_by_test_id("case-channel").inner_text().startswith("调解")
    _act(page, "invite", "邀请双方到中心调解")
    for party in ("xinghe", "fangmao"):
        login(party)
        page.goto(f"{live_server.url}/cases/{case.number}/")
        page.get_by_test_id("consent-yes").click()
    login("litiaojie")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    _act(page, "hold_session", "第一次调解会议")
    _act(page, "fail_mediation", "双方对赔偿数额分歧过大")
    assert page.get_by_test_id("case-status").inner_text() == "调解不成"
    page.click("text=转换渠道")
    page.select_option("#id_switch-channel", "adjudication")
    page.fill("#id_switch-reason", "调解不成，权利人请求专利行政裁决")
    page.get_by_test_id("switch-submit").click()
    assert page.get_by_test_id("case-channel").inner_text().startswith("行政裁决")
    assert "adjudication_acceptance" in page.get_by_test_id("case-clock").inner_text()
    shown = page.get_by_test_id("case-evidence").inner_text()
    assert all(no in shown for no in evidence)
    assert "渠道转换" in page.get_by_test_id("timeline").inner_text()


def test_c_successful_mediation_agreement_and_confirmation(live_server, page, login, demo, orgs):  # noqa: ANN001
    from zhibao.cases import services
    from zhibao.cases.demo import _file

    case = _file(demo["xinghe"], orgs, "2022SR0123456", "星河操作系统著作权纠纷", both_willing_to_mediate=True)
    mediator = demo["litiaojie"]
    services.advance(actor=mediator, case=case, action="invite")
    services.consent_to_mediation(actor=demo["xinghe"], case=case)
    services.consent_to_mediation(actor=demo["fangmao"], case=case)
    services.advance(actor=mediator, case=case, action="hold_session")

    login("litiaojie")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    _act(page, "reach_agreement", "被申请人立即停止销售并赔偿人民币三万元")
    assert "mediation_judicial_confirmation" in page.get_by_test_id("case-clock").inner_text()
    with page.expect_download() as agreement:
        page.get_by_test_id("agreement-pdf").click()
    assert agreement.value.suggested_filename.endswith("agreement.pdf")
    _act(page, "apply_confirmation", "北京知识产权法院")
    assert page.get_by_test_id("case-status").inner_text() == "已申请司法确认"
    with page.expect_download() as application:
        page.get_by_test_id("confirmation-pdf").click()
    assert application.value.suggested_filename.endswith("confirmation.pdf")
