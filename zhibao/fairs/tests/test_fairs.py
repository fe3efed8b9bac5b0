"""Fairs: filings, the e-signed pledge deposited as evidence, booth complaints on the 24-hour clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.fairs import services, tasks
from zhibao.fairs.models import Exhibitor, Fair
from zhibao.notifications.models import Notification
from zhibao.rights.models import Right

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def fair(demo):  # noqa: ANN001, ANN201
    return Fair.objects.get()


def _booth(fair, org):  # noqa: ANN001, ANN202
    return Exhibitor.objects.get(fair=fair, organisation=org)


def test_exhibitor_files_a_registered_right_and_signs_the_pledge(demo, orgs, fair):  # noqa: ANN001
    booth = _booth(fair, orgs["xinghe"])
    mark = Right.objects.get(number="45678901")
    filing = services.file_exhibit(actor=demo["xinghe"], exhibitor=booth, exhibit="星河 S1 智能音箱", right=mark)
    assert filing.right == mark
    with pytest.raises(InvalidInput) as exc:
        services.file_exhibit(actor=demo["xinghe"], exhibitor=booth, exhibit="旧品牌",
                              right=Right.objects.get(number="31234567"))
    assert "有效期" in exc.value.errors["right"][0]
    with pytest.raises(InvalidInput):
        services.file_exhibit(actor=demo["xinghe"], exhibitor=booth, exhibit="无证据展品")
    with pytest.raises(InvalidInput):
        services.sign_pledge(actor=demo["xinghe"], exhibitor=booth, signer_name="张星河", agree=False)
    pledge = services.sign_pledge(actor=demo["xinghe"], exhibitor=booth, signer_name="张星河", agree=True)
    assert pledge.pdf.read().startswith(b"%PDF")
    assert pledge.deposit.files.get().mime == "application/pdf"
    with pytest.raises(Conflict):
        services.sign_pledge(actor=demo["xinghe"], exhibitor=booth, signer_name="张星河", agree=True)
    with pytest.raises(NotFound):
        services.sign_pledge(actor=demo["xinghe"], exhibitor=_booth(fair, orgs["fangmao"]), signer_name="张星河",
                             agree=True)


def test_exhibitor_files_an_uploaded_certificate_checked_by_content(demo, orgs, fair):  # noqa: ANN001
    booth = _booth(fair, orgs["fangmao"])
    fake = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(InvalidInput) as exc:
        services.file_exhibit(actor=demo["fangmao"], exhibitor=booth, exhibit="优选耳机", certificate=fake,
                              certificate_no="ZL-1")
    assert "certificate" in exc.value.errors
    pdf = SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    filing = services.file_exhibit(actor=demo["fangmao"], exhibitor=booth, exhibit="优选耳机", certificate=pdf,
                                   certificate_no="ZL-1")
    assert filing.certificate.name


def test_booth_complaint_handled_within_24_hours_breaks_the_pledge(demo, orgs, fair):  # noqa: ANN001
    respondent = _booth(fair, orgs["fangmao"])
    services.sign_pledge(actor=demo["fangmao"], exhibitor=respondent, signer_name="刘仿", agree=True)
    at = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
    photo = SimpleUploadedFile("booth.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    complaint = services.file_complaint(
        actor=demo["xinghe"], respondent=respondent, complainant=orgs["xinghe"],
        right_ids=[Right.objects.get(number="45678901").pk], description="A-101 展出带“星河”标识的音箱，未经许可。",
        photos=[photo], now=at)
    assert complaint.due_at == at + dt.timedelta(hours=24)
    assert "展会知识产权保护办法" in complaint.due_rule
    assert complaint.deposit is not None
    assert Notification.objects.filter(recipient=demo["huizhan"], kind="fairs.complaint").exists()
    with pytest.raises(Forbidden):
        services.handle_complaint(actor=demo["jinggou"], complaint=complaint, outcome="cover", note="遮盖标识")
    with pytest.raises(InvalidInput):
        services.handle_complaint(actor=demo["huizhan"], complaint=complaint, outcome="burn", note="不存在的处理")
    handled = services.handle_complaint(actor=demo["huizhan"], complaint=complaint, outcome="remove_exhibits",
                                        note="涉嫌侵权展品已撤下并封存", now=at + dt.timedelta(hours=3))
    assert handled.status == "removed" and handled.within_clock is True
    respondent.pledge.refresh_from_db()
    assert respondent.pledge.broken
    with pytest.raises(Conflict):
        services.handle_complaint(actor=demo["huizhan"], complaint=complaint, outcome="cover", note="再次处理")
    from zhibao.fairs.selectors import post_fair_report

    report = post_fair_report(fair=fair)
    assert report["within_clock"] == 1 and report["broken"] == [respondent]


def test_complaint_validation_and_overdue_escalation(demo, orgs, fair):  # noqa: ANN001
    respondent = _booth(fair, orgs["fangmao"])
    mark = Right.objects.get(number="45678901")
    with pytest.raises(Forbidden):
        services.file_complaint(actor=demo["fangmao"], respondent=respondent, complainant=orgs["xinghe"],
                                right_ids=[mark.pk], description="冒名投诉，应被拒绝的请求")
    with pytest.raises(InvalidInput) as exc:
        services.file_complaint(actor=demo["xinghe"], respondent=respondent, complainant=orgs["xinghe"],
                                right_ids=[Right.objects.get(number="56789012").pk], description="短")
    assert {"right_ids", "description"} <= set(exc.value.errors)
    at = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
    complaint = services.file_complaint(actor=demo["daili"], respondent=respondent, complainant=orgs["xinghe"],
                                        right_ids=[mark.pk], description="A-101 展出带“星河”标识的音箱。", now=at)
    assert tasks.overdue_complaints(now=at + dt.timedelta(hours=23)) == "escalated 0 complaint(s)"
    assert tasks.overdue_complaints(now=at + dt.timedelta(hours=25)) == "escalated 1 complaint(s)"
    assert tasks.overdue_complaints(now=at + dt.timedelta(hours=26)) == "escalated 0 complaint(s)"
    handled = services.handle_complaint(actor=demo["wangzhifa"], complaint=complaint, outcome="transfer",
                                        note="移交朝阳区执法", now=at + dt.timedelta(hours=30))
    assert handled.within_clock is False


def test_a_broken_pledge_is_reported_to_credit_with_its_basis(demo, orgs, fair, monkeypatch):  # noqa: ANN001
    from zhibao.takedown import integration

    facts = []
    monkeypatch.setattr(integration, "report_credit_fact", lambda **kw: facts.append(kw))
    respondent = _booth(fair, orgs["fangmao"])
    mark = Right.objects.get(number="45678901")
    unpledged = services.file_complaint(actor=demo["xinghe"], respondent=respondent, complainant=orgs["xinghe"],
                                        right_ids=[mark.pk], description="A-101 展出带“星河”标识的音箱。")
    services.handle_complaint(actor=demo["huizhan"], complaint=unpledged, outcome="cover", note="标识已遮盖")
    assert facts == []  # no pledge signed, so no pledge was broken
    services.sign_pledge(actor=demo["fangmao"], exhibitor=respondent, signer_name="刘仿", agree=True)
    second = services.file_complaint(actor=demo["xinghe"], respondent=respondent, complainant=orgs["xinghe"],
                                     right_ids=[mark.pk], description="A-101 再次展出带“星河”标识的音箱。")
    services.handle_complaint(actor=demo["huizhan"], complaint=second, outcome="remove_exhibits", note="撤展封存")
    assert facts[0]["kind"] == "fair_violation" and facts[0]["organisation"] == orgs["fangmao"]
    assert facts[0]["source_type"] == "fair" and facts[0]["source_ref"] == second.number
