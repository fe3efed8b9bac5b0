"""Pages: the officer dashboard, the procedure through forms, the entity's view, public pages and exports."""

from __future__ import annotations

import pytest
from django.test import Client

from zhibao.credit import services
from zhibao.credit.models import Listing
from zhibao.orgs import services as orgs_services

pytestmark = pytest.mark.django_db


def test_officer_runs_the_procedure_through_the_pages(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1)
    listing = Listing.objects.get()
    officer = client_as("qianxinyong")
    page = officer.get("/credit/dashboard/")
    assert "仿冒商贸" in page.content.decode()
    assert officer.post(f"/credit/listings/{listing.pk}/review/").status_code == 302
    assert officer.post(f"/credit/listings/{listing.pk}/notice/").status_code == 302
    entity = client_as("fangmao")
    page = entity.get(f"/credit/listings/{listing.pk}/").content.decode()
    assert "事先告知书" in page and 'data-testid="statement-form"' in page
    empty = entity.post(f"/credit/listings/{listing.pk}/statement/", {"text": ""})
    assert empty.status_code == 400 and "error-text" in empty.content.decode()
    assert entity.post(f"/credit/listings/{listing.pk}/statement/", {"text": "我方已整改"}).status_code == 302
    r = officer.post(f"/credit/listings/{listing.pk}/decide/", {"list_entity": "1", "reasons": "重复侵权，不予采纳"})
    assert r.status_code == 302
    assert officer.post(f"/credit/listings/{listing.pk}/publish/").status_code == 302
    assert Listing.objects.get().status == "published"
    # illegal step: a message, not a 500
    r = officer.post(f"/credit/listings/{listing.pk}/publish/", follow=True)
    assert "不允许" in r.content.decode()


def test_entity_applies_for_repair_with_an_uploaded_proof_through_the_page(demo, orgs, facts, client_as):  # noqa: ANN001
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = demo["qianxinyong"]
    facts(1)
    listing = Listing.objects.get()
    services.start_review(actor=officer, listing=listing)
    listing = services.serve_notice(actor=officer, listing=listing)
    services.decide(actor=officer, listing=listing, list_entity=True, reasons="两次行政处罚",
                    now=dt.datetime.combine(listing.statement_due + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC))
    services.publish(actor=officer, listing=Listing.objects.get(pk=listing.pk))
    Listing.objects.filter(pk=listing.pk).update(earliest_repair_on=dt.date(2020, 1, 1))  # the waiting time is over
    entity = client_as("fangmao")
    url = f"/credit/listings/{listing.pk}/"
    assert 'enctype="multipart/form-data"' in entity.get(url).content.decode()
    bad = entity.post(url + "repair/", {"evidence_kinds": ["penalty_paid"], "statement": "已缴纳",
                                        "files": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + bytes(100))]})
    assert bad.status_code == 400 and "a.pdf" in bad.content.decode()
    ok = entity.post(url + "repair/", {"evidence_kinds": ["penalty_paid", "training_done"], "statement": "已缴纳罚款",
                                       "files": [SimpleUploadedFile("培训证明.txt", "结业证明".encode())]})
    assert ok.status_code == 302
    page = client_as("qianxinyong").get(url).content.decode()
    deposit_no = listing.repairs.get().deposit_numbers[0]
    assert 'data-testid="repair-deposits"' in page and deposit_no in page
    assert client_as("qianxinyong").get(f"/evidence/{deposit_no}/").status_code == 200


def test_unknown_action_and_other_party_are_404(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1)
    listing = Listing.objects.get()
    assert client_as("qianxinyong").post(f"/credit/listings/{listing.pk}/explode/").status_code == 404
    assert client_as("xinghe").get(f"/credit/listings/{listing.pk}/").status_code == 404
    assert client_as("xinghe").get(f"/credit/orgs/{orgs['fangmao'].pk}/").status_code == 404
    assert client_as("xinghe").get("/credit/dashboard/").status_code == 404


def test_recording_a_fact_by_form_and_bad_input(demo, orgs, client_as):  # noqa: ANN001
    court = client_as("sunfayuan")
    data = {"uscc": orgs["fangmao"].uscc, "kind": "court_judgment", "occurred_on": "2026-09-01",
            "source_ref": "(2026)京73民初9号", "legal_basis": "《商标法》第六十三条", "summary": "判决赔偿",
            "visibility": "public"}
    assert court.post("/credit/facts/new/", data).status_code == 302
    assert Listing.objects.filter(organisation=orgs["fangmao"]).exists()
    bad = court.post("/credit/facts/new/", {**data, "uscc": "91110000000000000X"})
    assert bad.status_code == 400 and "未登记" in bad.content.decode()
    assert client_as("xinghe").get("/credit/facts/new/").status_code == 404


def test_public_pages_need_no_login_and_hide_non_public_facts(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1, kind="positive", visibility="internal", summary="内部线索甲", source_ref="内部-1")
    anon = Client()
    page = anon.get(f"/public/credit/orgs/{orgs['fangmao'].pk}/").content.decode()
    assert "ZB-2024-000001" in page and "内部线索甲" not in page and "承诺书" not in page
    assert "刘*" in page and "刘仿" not in page
    assert "北京仿冒商贸有限公司" in anon.get("/public/credit/", {"q": "仿冒"}).content.decode()
    dual = anon.get("/public/credit/dual/", {"kind": "administrative_licence"}).content.decode()
    assert "TM-BA-2024-0088" in dual and "京朝市监罚" not in dual


def test_individual_business_names_are_masked_on_public_pages(demo, orgs):  # noqa: ANN001
    from zhibao.law import uscc as uscc_lib

    shop = orgs_services.register_organisation(actor=None, name="北京市朝阳区张小明服装店", kind="individual_business",
                                               uscc=uscc_lib.make_uscc("92110105MA7000009"))
    services.record_fact(actor=None, organisation=shop, kind="administrative_penalty", occurred_on="2026-01-05",
                         legal_basis="《商标法》第六十条", summary="销售假冒商品", source_type="case",
                         source_ref="京朝市监罚〔2026〕5号", authority="朝阳区市场监管局")
    page = Client().get("/public/credit/dual/").content.decode()
    assert "张小明" not in page and "北京" in page and "装店" in page


def test_public_list_exports_csv_and_xlsx_in_the_documented_layout(demo, orgs, facts, client_as):  # noqa: ANN001
    from zhibao.credit.exports import LIST_COLUMNS

    facts(1)
    listing = Listing.objects.get()
    officer = demo["qianxinyong"]
    services.start_review(actor=officer, listing=listing)
    services.serve_notice(actor=officer, listing=listing)
    services.submit_statement(actor=demo["fangmao"], listing=listing, text="无")
    services.decide(actor=officer, listing=listing, list_entity=True, reasons="重复侵权")
    services.publish(actor=officer, listing=listing)
    anon = Client()
    assert "北京仿冒商贸有限公司" in anon.get("/public/credit/list/").content.decode()
    csv_text = anon.get("/public/credit/list/", {"format": "csv"}).content.decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert header.split(",") == list(LIST_COLUMNS)
    assert orgs["fangmao"].uscc in row and "京知信决" in row
    xlsx = anon.get("/public/credit/list/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_entity_sees_who_checked_its_credit(demo, orgs, client_as):  # noqa: ANN001
    from zhibao.credit import checks

    checks.check(actor=demo["caigou"], uscc=orgs["fangmao"].uscc, measure="procurement", purpose="政府采购资格审查")
    page = client_as("fangmao").get(f"/credit/orgs/{orgs['fangmao'].pk}/").content.decode()
    assert "北京市公共资源交易中心" in page and "政府采购资格审查" in page
    # an agency reads the file but not the log of others' checks
    assert "谁查询了我的信用" not in client_as("caigou").get(f"/credit/orgs/{orgs['fangmao'].pk}/").content.decode()


def test_dashboard_queries_are_bounded(demo, orgs, facts, client_as, django_assert_max_num_queries):  # noqa: ANN001
    from zhibao.credit import checks
    from zhibao.law import uscc as uscc_lib

    for i in range(6):
        org = orgs_services.register_organisation(actor=None, name=f"测试侵权企业{i}",
                                                  uscc=uscc_lib.make_uscc(f"91110105MA70000{i:02d}"))
        facts(1, organisation=org, kind="court_judgment", wilful=True, source_ref=f"批量-{i}")
        checks.check(actor=demo["caigou"], uscc=org.uscc)
    assert Listing.objects.filter(status="proposed").count() == 6
    officer = client_as("qianxinyong")
    with django_assert_max_num_queries(20):
        assert officer.get("/credit/dashboard/").status_code == 200
    with django_assert_max_num_queries(20):
        assert Client().get("/public/credit/list/").status_code == 200
