"""A booth complaint transferred to enforcement (移交执法) becomes a real case, filed on the complainant's behalf."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibao.cases import services as cases
from zhibao.cases.models import Case
from zhibao.core.errors import Forbidden, InvalidInput
from zhibao.fairs import services
from zhibao.fairs.models import BoothComplaint, Exhibitor, Fair
from zhibao.rights.models import Right

TZ = dt.timezone(dt.timedelta(hours=8))


def _complaint(demo, orgs, number: str = "45678901", photos: bool = True) -> BoothComplaint:  # noqa: ANN001
    respondent = Exhibitor.objects.get(organisation=orgs["fangmao"])
    photo = [SimpleUploadedFile("booth.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 64)] if photos else []
    return services.file_complaint(actor=demo["xinghe"], respondent=respondent, complainant=orgs["xinghe"],
                                   right_ids=[Right.objects.get(number=number).pk], photos=photo,
                                   description="A-101 展出带“星河”标识的音箱，未经许可。")


def test_transfer_files_an_enforcement_case_on_behalf_of_the_complainant(demo, orgs, client_as):  # noqa: ANN001
    complaint = _complaint(demo, orgs)
    handled = services.handle_complaint(actor=demo["huizhan"], complaint=complaint, outcome="transfer",
                                        note="涉嫌假冒注册商标，移交朝阳区市场监管局")
    case = handled.case
    assert handled.status == "transferred" and case is not None
    assert case.channel == "enforcement" and case.status == "received"
    assert case.complainant == orgs["xinghe"] and case.respondent == orgs["fangmao"]
    assert case.filed_by == demo["huizhan"]
    assert list(case.rights.values_list("number", flat=True)) == ["45678901"]
    fair = Fair.objects.get()
    assert case.acts == [{"act": "sell_counterfeit", "place_type": "fair",
                          "place": f"{fair.name}（{fair.venue}）展位 A-101"}]
    assert case.district_id == fair.district_id
    assert list(case.deposits.all()) == [complaint.deposit]
    referred = case.events.get(kind="referred")
    assert referred.actor == demo["huizhan"] and complaint.number in referred.summary
    assert handled.events.filter(summary__contains=case.number).exists()
    # the complainant sees the case and its link; the organiser sees the number only
    page = client_as("xinghe").get(f"/fairs/complaints/{complaint.pk}/").content.decode()
    assert f'href="/cases/{case.number}/"' in page
    organiser_page = client_as("huizhan").get(f"/fairs/complaints/{complaint.pk}/").content.decode()
    assert case.number in organiser_page and f'href="/cases/{case.number}/"' not in organiser_page
    assert client_as("xinghe").get(f"/cases/{case.number}/").status_code == 200


def test_transfer_without_photos_deposits_the_handling_record_as_evidence(demo, orgs):  # noqa: ANN001
    complaint = _complaint(demo, orgs, photos=False)
    handled = services.handle_complaint(actor=demo["wangzhifa"], complaint=complaint, outcome="transfer",
                                        note="现场核查属实，移交立案")
    deposit = handled.case.deposits.get()
    assert deposit.depositor == demo["wangzhifa"] and complaint.number in deposit.statement
    assert "现场核查属实" in deposit.statement


def test_transfer_joins_an_open_case_on_the_same_right_and_respondent(demo, orgs):  # noqa: ANN001
    open_case = Case.objects.get(rights__number="45678902", status="received")
    complaint = _complaint(demo, orgs, number="45678902")
    handled = services.handle_complaint(actor=demo["huizhan"], complaint=complaint, outcome="transfer",
                                        note="已有在办案件，并入")
    assert handled.case == open_case
    assert open_case.deposits.filter(pk=complaint.deposit_id).exists()
    assert open_case.events.filter(kind="referred").exists()


def test_a_failed_transfer_leaves_the_complaint_open(demo, orgs):  # noqa: ANN001
    complaint = _complaint(demo, orgs)
    Right.objects.filter(number="45678901").update(status=Right.Status.EXPIRED)
    with pytest.raises(InvalidInput) as exc:
        services.handle_complaint(actor=demo["huizhan"], complaint=complaint, outcome="transfer", note="移交执法")
    assert "right_ids" in exc.value.errors
    complaint.refresh_from_db()
    assert complaint.status == "open" and complaint.case is None


def test_only_referrers_may_refer_a_complaint(demo, orgs):  # noqa: ANN001
    with pytest.raises(Forbidden):
        cases.refer_complaint(actor=demo["daili"],
                              complainant=orgs["xinghe"], respondent=orgs["fangmao"], source="冒充移交",
                              right_ids=[Right.objects.get(number="45678901").pk], title="x", deposits=[])
    with pytest.raises(InvalidInput):
        cases.refer_complaint(actor=demo["wangzhifa"], complainant=orgs["xinghe"], respondent=orgs["fangmao"],
                              source=" ", right_ids=[Right.objects.get(number="45678901").pk], title="x",
                              deposits=[])
