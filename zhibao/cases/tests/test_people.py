"""Messages and served documents with reading time, technical investigators and appraisals, conflicts of interest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhibao.cases import people
from zhibao.cases.models import Case, CaseMessage
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_served_document_records_when_each_side_read_it(file_case, demo, client_as):
    case = file_case("2022SR0123456")
    officer = demo["wangzhifa"]
    with pytest.raises(Forbidden):
        people.send_message(actor=demo["xinghe"], case=case, body="x", is_service=True)
    with pytest.raises(InvalidInput):
        people.send_message(actor=officer, case=case, body=" ")
    message = people.send_message(actor=officer, case=case, body="询问通知书：请于五日内提交进货凭证", is_service=True,
                                  files=[SimpleUploadedFile("询问通知书.txt", "询问通知书正文".encode())])
    assert message.deposit is not None
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="cases.message").exists()
    client_as("fangmao").get(f"/cases/{case.number}/")  # opening the case page reads it
    message.refresh_from_db()
    assert message.read_by_respondent_at is not None and message.read_by_complainant_at is None
    served = case.events.get(kind="served")
    assert "刘仿" in served.summary
    with pytest.raises(Forbidden):
        people.send_message(actor=demo["jinggou"], case=case, body="无关")


def test_party_message_goes_to_the_handler_and_the_other_side(file_case, demo):
    case = file_case("2022SR0123456")
    people.send_message(actor=demo["fangmao"], case=case, body="我方已下架商品")
    assert Notification.objects.filter(recipient=demo["wangzhifa"], kind="cases.message").exists()
    assert Notification.objects.filter(recipient=demo["xinghe"], kind="cases.message").exists()
    assert not Notification.objects.filter(recipient=demo["fangmao"], kind="cases.message").exists()
    assert people.mark_read(actor=demo["xinghe"], case=case) == 1
    assert people.mark_read(actor=demo["xinghe"], case=case) == 0
    assert CaseMessage.objects.get().read_by_complainant_at is not None


def test_technical_investigator_request_pauses_the_clock_and_the_report_becomes_evidence(file_case, demo, orgs):
    case = file_case("2022SR0123456")
    officer, expert = demo["wangzhifa"], demo["zhoujishu"]
    due = timezone.localdate() + dt.timedelta(days=20)
    with pytest.raises(InvalidInput) as err:
        people.request_expert(actor=officer, case=case, kind="investigator", question="", due_date=due,
                              expert=demo["xinghe"])
    assert set(err.value.errors) == {"question", "expert"}
    with pytest.raises(InvalidInput):
        people.request_expert(actor=officer, case=case, kind="appraisal", question="软件是否相同", due_date=due,
                              institution=orgs["fangmao"])
    with pytest.raises(Forbidden):
        people.request_expert(actor=demo["xinghe"], case=case, kind="investigator", question="q", due_date=due,
                              expert=expert)
    request = people.request_expert(actor=officer, case=case, kind="investigator", question="被控软件与登记软件是否实质相同",
                                    due_date=due, expert=expert, pause_clock=True)
    assert Case.objects.get(pk=case.pk).paused_since == timezone.localdate()
    with pytest.raises(Forbidden):
        people.submit_expert_report(actor=demo["fangmao"], request=request, summary="x", files=[])
    with pytest.raises(InvalidInput):
        people.submit_expert_report(actor=expert, request=request, summary="实质相同", files=[])
    people.submit_expert_report(actor=expert, request=request, summary="代码相似度 97%，实质相同",
                                files=[SimpleUploadedFile("意见书.txt", "技术调查意见书".encode())])
    request.refresh_from_db()
    assert request.report in Case.objects.get(pk=case.pk).deposits.all()
    with pytest.raises(Conflict):
        people.submit_expert_report(actor=expert, request=request, summary="again",
                                    files=[SimpleUploadedFile("b.txt", b"b")])


def test_conflict_of_interest_unassigns_and_bars_the_expert(file_case, demo):
    case = file_case("2022SR0123456")
    officer, expert = demo["wangzhifa"], demo["zhoujishu"]
    assert case.assignee == officer
    with pytest.raises(InvalidInput):
        people.declare_conflict(actor=officer, case=case, has_conflict=True)
    with pytest.raises(Forbidden):
        people.declare_conflict(actor=expert, case=case, has_conflict=False)
    people.declare_conflict(actor=officer, case=case, has_conflict=True, statement="本人配偶在被投诉人处任职")
    assert Case.objects.get(pk=case.pk).assignee is None
    assert case.events.filter(kind="unassigned").exists()
    due = timezone.localdate() + dt.timedelta(days=10)
    people.request_expert(actor=demo["shiju"], case=case, kind="investigator", question="q", due_date=due,
                          expert=expert)
    people.declare_conflict(actor=expert, case=case, has_conflict=True, statement="曾为星河科技提供咨询")
    with pytest.raises(Conflict):
        people.request_expert(actor=demo["shiju"], case=case, kind="investigator", question="q2", due_date=due,
                              expert=expert)
