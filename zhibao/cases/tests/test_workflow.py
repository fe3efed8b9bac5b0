"""Intake, triage, per-channel state machines, switching channel, decisions and optimistic locking."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from zhibao.cases import selectors, services
from zhibao.cases.models import Case, CaseEvent, Decision, Status
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.rights.models import Right

pytestmark = pytest.mark.django_db


def test_filing_numbers_triages_assigns_and_starts_the_clock(file_case, demo):
    case = file_case()
    assert re.fullmatch(r"ZB-\d{4}-\d{6}", case.number)
    assert case.status == Status.RECEIVED
    assert case.channel == "enforcement" and case.complexity == "simple"
    assert case.triage_rule.key == "trademark_counterfeit"
    assert case.assignee == demo["wangzhifa"]  # 仿冒商贸 is in 朝阳 (110105), 王执法's district
    assert case.due_rule == "enforcement_filing" and "第十八条" in case.due_source
    assert case.deposits.count() == 1 and len(case.shown_code) == 8
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[:2] == ["submit", "triage"]
    second = file_case("2022SR0123456")
    assert int(second.number[-6:]) == int(case.number[-6:]) + 1


def test_filing_against_own_organisation_is_refused(file_case, orgs):
    with pytest.raises(InvalidInput) as err:
        file_case(respondent=orgs["xinghe"])
    assert err.value.errors["respondent"] == ["不能投诉本单位"]


def test_filing_on_an_expired_right_is_refused(file_case):
    with pytest.raises(InvalidInput) as err:
        file_case("31234567")
    assert "届满" in err.value.errors["right_ids"][0]


def test_filing_without_evidence_is_refused(file_case):
    with pytest.raises(InvalidInput) as err:
        file_case(deposit_nos=[])
    assert "evidence" in err.value.errors


def test_filing_with_someone_elses_deposit_or_right_is_refused(file_case, demo, orgs):
    from zhibao.evidence import services as evidence

    foreign = evidence.make_deposit(actor=demo["fangmao"], title="x", files=[], statement="仿冒商贸的声明").deposit
    with pytest.raises(InvalidInput) as err:
        file_case(deposit_nos=[foreign.deposit_no])
    assert "deposit_nos" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        file_case("56789012")  # 仿冒优选 belongs to 仿冒商贸
    assert "不是权利人" in err.value.errors["right_ids"][0]


def test_only_the_complainant_side_may_file(file_case, demo):
    with pytest.raises(Forbidden):
        file_case(actor="fangmao")
    assert file_case(actor="daili").agent == demo["daili"]  # the agent under a power of attorney


def test_unknown_respondent_becomes_a_provisional_organisation(file_case):
    case = file_case(respondent=None, respondent_name="某不知名网店", respondent_shop_url="https://shop.example/x")
    assert case.respondent.provisional and case.respondent.name == "某不知名网店"


def test_uploaded_files_become_a_deposit_and_disguised_executables_are_rejected(file_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = file_case(deposit_nos=[], files=[SimpleUploadedFile("photo.txt", "购买照片说明".encode())])
    assert case.deposits.get().title.startswith("投诉证据")
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(InvalidInput):
        file_case("2022SR0123456", deposit_nos=[], files=[exe])


def test_duplicate_is_shown_and_can_be_joined(file_case, demo, xinghe_deposit):
    first = file_case()
    with pytest.raises(Conflict) as err:
        file_case()
    assert err.value.extra["duplicate"] == first.number
    joined = file_case(join=True)
    assert joined.pk == first.pk and joined.events.filter(kind="joined").exists()


def test_illegal_transition_is_409_listing_the_allowed_ones(file_case, demo):
    case = file_case()
    with pytest.raises(Conflict) as err:
        services.advance(actor=demo["wangzhifa"], case=case, action="close", reason="x")
    assert set(err.value.extra["allowed_transitions"]) == {"accept", "reject"}


def test_stale_version_loses_with_who_and_when(file_case, demo):
    case = file_case()
    seen = case.version
    services.accept(actor=demo["wangzhifa"], case=case, expected_version=seen)
    with pytest.raises(Conflict) as err:
        services.reject(actor=demo["wangzhifa"], case=case, legal_reason="不属于管辖范围", expected_version=seen)
    assert "王执法" in str(err.value) and "请刷新" in str(err.value)


def test_reject_needs_a_legal_reason_and_only_handlers_act(file_case, demo):
    case = file_case()
    with pytest.raises(InvalidInput):
        services.reject(actor=demo["wangzhifa"], case=case, legal_reason=" ")
    for username in ("haidian", "litiaojie", "xinghe"):  # other district, other channel, a party
        with pytest.raises(Forbidden):
            services.accept(actor=demo[username], case=case)
    services.reject(actor=demo["wangzhifa"], case=case, legal_reason="《行政处罚法》第五十四条：不属于本机关管辖")
    assert Case.objects.get(pk=case.pk).status == Status.REJECTED


def test_enforcement_to_decision_with_penalty_and_threshold_check(file_case, demo):
    case = file_case()
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    services.advance(actor=officer, case=case, action="investigate")
    decision = services.decide(actor=officer, case=case, infringement_found=True, wilful=True,
                               penalty_amount="150000.00", legal_basis="《商标法》第六十条第二款",
                               illegal_business_volume="62000", published=True)
    assert decision.penalty_amount == Decimal("150000.00") and decision.repeat is True  # demo: ZB-2024-000001
    assert decision.threshold_findings[0]["transfer_required"] is True
    assert case.events.filter(kind="criminal_transfer_task").exists()
    services.close(actor=officer, case=case, reason="罚款已缴纳")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    # a second infringement decision within five years is a repeat
    second = file_case("2022SR0123456")
    services.accept(actor=officer, case=second)
    services.advance(actor=officer, case=second, action="investigate")
    assert services.decide(actor=officer, case=second, infringement_found=True, penalty_amount=1,
                           legal_basis="《商标法》第六十条").repeat is True
    assert selectors.decisions_against(case.respondent_id).count() == 3  # with the demo decision ZB-2024-000001


def test_decision_rejects_negative_amounts(file_case, demo):
    case = file_case()
    services.accept(actor=demo["wangzhifa"], case=case)
    services.advance(actor=demo["wangzhifa"], case=case, action="investigate")
    with pytest.raises(InvalidInput) as err:
        services.decide(actor=demo["wangzhifa"], case=case, infringement_found=True, penalty_amount="-1",
                        legal_basis="")
    assert set(err.value.errors) == {"penalty_amount", "legal_basis"}
    assert not Decision.objects.filter(case=case).exists()


def test_failed_mediation_switches_to_adjudication_with_evidence_intact(file_case, demo):
    case = file_case(Right.objects.get(number__startswith="2021").number, both_willing_to_mediate=True)
    assert case.channel == "mediation" and case.proposed_channel == "mediation"
    mediator = demo["litiaojie"]
    services.advance(actor=mediator, case=case, action="invite")
    assert Case.objects.get(pk=case.pk).due_rule == "mediation_reply"
    services.consent_to_mediation(actor=demo["xinghe"], case=case)
    services.consent_to_mediation(actor=demo["fangmao"], case=case)
    assert Case.objects.get(pk=case.pk).status == Status.MEDIATION_AGREED
    services.advance(actor=mediator, case=case, action="hold_session", reason="第一次调解")
    services.advance(actor=mediator, case=case, action="fail_mediation", reason="赔偿金额差距过大")
    deposits = set(case.deposits.values_list("pk", flat=True))
    events_before = case.events.count()
    services.switch_channel(actor=mediator, case=case, channel="adjudication", reason="调解不成，申请行政裁决")
    case = Case.objects.get(pk=case.pk)
    assert (case.channel, case.status, case.due_rule) == ("adjudication", Status.RECEIVED, "adjudication_acceptance")
    assert set(case.deposits.values_list("pk", flat=True)) == deposits
    assert case.events.count() > events_before and case.events.filter(kind="channel_switched").exists()
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    when = dt.datetime(2026, 12, 20, 9, 30, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput):
        services.schedule_hearing(actor=officer, case=case, mode="online", at=when, link="")
    services.schedule_hearing(actor=officer, case=case, mode="online", at=when, link="https://meet.example/zb")
    services.record_hearing(actor=officer, case=case, record="双方到庭陈述意见")
    assert Case.objects.get(pk=case.pk).due_rule == "adjudication_decision"


def test_successful_mediation_opens_the_30_day_confirmation_window(file_case, demo):
    case = file_case(both_willing_to_mediate=True)
    mediator = demo["litiaojie"]
    services.advance(actor=mediator, case=case, action="invite")
    services.consent_to_mediation(actor=demo["xinghe"], case=case)
    with pytest.raises(Forbidden):
        services.consent_to_mediation(actor=demo["jinggou"], case=case)
    services.consent_to_mediation(actor=demo["fangmao"], case=case)
    services.advance(actor=mediator, case=case, action="hold_session")
    now = dt.datetime(2026, 9, 20, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput):  # the agreement's terms are required
        services.advance(actor=mediator, case=case, action="reach_agreement", now=now)
    services.advance(actor=mediator, case=case, action="reach_agreement", now=now,
                     reason="被申请人停止销售并赔偿 3 万元")
    case = Case.objects.get(pk=case.pk)
    assert case.due_rule == "mediation_judicial_confirmation" and case.agreement_terms.startswith("被申请人")
    # 30 days after 2026-09-20 is 10-20, a working day (the National Day holiday ends on 10-08)
    assert case.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2026, 10, 20)
    with pytest.raises(Conflict) as err:  # the 30-day window has closed
        services.advance(actor=mediator, case=case, action="apply_confirmation", reason="北京知识产权法院",
                         now=dt.datetime(2026, 10, 21, 10, 0, tzinfo=dt.UTC))
    assert "30日" in str(err.value)
    services.advance(actor=mediator, case=case, action="apply_confirmation", reason="北京知识产权法院",
                     now=dt.datetime(2026, 10, 19, 10, 0, tzinfo=dt.UTC))
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.CONFIRMATION_APPLIED and case.confirmation_court == "北京知识产权法院"


def test_refused_mediation_fails_it(file_case, demo):
    case = file_case(both_willing_to_mediate=True)
    services.advance(actor=demo["litiaojie"], case=case, action="invite")
    services.consent_to_mediation(actor=demo["fangmao"], case=case, agree=False)
    assert Case.objects.get(pk=case.pk).status == Status.MEDIATION_FAILED


def test_criminal_transfer_clocks(file_case, demo):
    case = file_case(preferred_channel="criminal")
    officer = demo["wangzhifa"]
    assert case.due_rule == "criminal_transfer_decision"
    now = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
    services.advance(actor=officer, case=case, action="approve_transfer", now=now)
    case = Case.objects.get(pk=case.pk)
    assert case.due_rule == "criminal_handover" and case.due_at == now + dt.timedelta(hours=24)
    services.advance(actor=officer, case=case, action="hand_over")
    services.advance(actor=officer, case=case, action="police_acknowledge", reason="公安回执 京公经〔2026〕12号")
    assert Case.objects.get(pk=case.pk).status == Status.POLICE_ACKNOWLEDGED


def test_court_referral_is_acknowledged_by_the_court_liaison(file_case, demo):
    case = file_case(damages_claimed="8000000")
    assert case.channel == "court" and case.triage_rule.key == "damages_court"
    services.advance(actor=demo["wangzhifa"], case=case, action="refer")
    with pytest.raises(Forbidden):
        services.advance(actor=demo["litiaojie"], case=case, action="court_acknowledge")
    services.advance(actor=demo["sunfayuan"], case=case, action="court_acknowledge")


def test_accepted_case_by_number_only_after_acceptance(file_case, demo):
    case = file_case()
    assert selectors.accepted_case_by_number(case.number) is None
    services.accept(actor=demo["wangzhifa"], case=case)
    assert selectors.accepted_case_by_number(case.number.lower()).pk == case.pk


def test_parties_see_their_cases_others_get_404(file_case, demo):
    case = file_case()
    for username in ("xinghe", "daili", "fangmao", "wangzhifa", "shenji"):
        assert selectors.case_for(demo[username], case.number).pk == case.pk
    with pytest.raises(NotFound):
        selectors.case_for(demo["jinggou"], case.number)
    assert not selectors.cases_visible_to(actor=demo["jinggou"]).exists()


def test_drafts_are_saved_and_finished_later(demo, orgs, xinghe_deposit):
    right = Right.objects.get(number="45678901")
    draft = services.save_draft(actor=demo["xinghe"], complainant=orgs["xinghe"], title="草稿", right_ids=[right.pk],
                                damages_claimed="1000")
    assert draft.status == Status.DRAFT and draft.number is None
    with pytest.raises(NotFound):
        selectors.draft_for(demo["fangmao"], draft.pk)
    assert draft not in selectors.cases_visible_to(actor=demo["wangzhifa"])
    assert draft in selectors.cases_visible_to(actor=demo["daili"])
    case = services.file_complaint(actor=demo["xinghe"], complainant=orgs["xinghe"], right_ids=[right.pk],
                                   title="完成的投诉", respondent=orgs["fangmao"], draft=draft,
                                   deposit_nos=[xinghe_deposit.deposit_no]).case
    assert case.pk == draft.pk and case.number


def test_trade_secret_visible_to_the_officer_handling_a_case_citing_it(file_case, demo):
    secret = Right.objects.get(right_type="trade_secret")
    officer = demo["wangzhifa"]
    assert not officer.has_perm("rights.view_secret", secret)
    case = file_case(right_ids=[secret.pk])
    officer = type(officer).objects.get(pk=officer.pk)
    assert officer.has_perm("rights.view_secret", secret)
    assert not demo["haidian"].has_perm("rights.view_secret", secret)  # another district's admin
    services.reject(actor=officer, case=case, legal_reason="证据不足以证明秘密性")
    assert not officer.has_perm("rights.view_secret", secret)


def test_every_change_is_an_event_with_actor(file_case, demo):
    case = file_case()
    services.accept(actor=demo["wangzhifa"], case=case, reason="材料齐全")
    event = CaseEvent.objects.filter(case=case, kind="accept").get()
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        demo["wangzhifa"], "received", "accepted", "材料齐全")


def test_an_infringement_decision_becomes_a_credit_fact_and_feeds_the_listing_rules(file_case, demo):
    from zhibao.credit.models import CreditFact, Listing

    case = file_case()
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    services.advance(actor=officer, case=case, action="investigate")
    services.decide(actor=officer, case=case, infringement_found=True, wilful=True, penalty_amount="80000",
                    legal_basis="《商标法》第六十条第二款", published=True)
    fact = CreditFact.objects.get(source_type="case", source_ref=case.number)
    assert fact.kind == "administrative_penalty" and fact.organisation_id == case.respondent_id
    assert fact.amount == Decimal("80000.00") and fact.wilful and fact.visibility == "public"
    assert "第六十条" in fact.legal_basis
    # 仿冒商贸 already has infringement decisions within five years: the repeat rule proposes a listing
    assert Listing.objects.filter(organisation_id=case.respondent_id).exists()


def test_a_decision_finding_no_infringement_records_no_credit_fact(file_case, demo):
    from zhibao.credit.models import CreditFact

    case = file_case()
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case)
    services.advance(actor=officer, case=case, action="investigate")
    services.decide(actor=officer, case=case, infringement_found=False, legal_basis="《商标法》第五十七条")
    assert not CreditFact.objects.filter(source_type="case", source_ref=case.number).exists()
