"""The listing procedure end to end at the service level: proposal, notice, defence, decision, publication,
supersession, repair and expiry — each step an event, the right people notified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.credit import services, tasks
from zhibao.credit.models import CreditFact, Listing, ListingDecision
from zhibao.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=TZ)


def _published(demo, orgs, facts):  # noqa: ANN001, ANN202
    officer = demo["qianxinyong"]
    facts(2)
    listing = Listing.objects.get(organisation=orgs["fangmao"])
    services.start_review(actor=officer, listing=listing)
    services.serve_notice(actor=officer, listing=listing, now=at("2026-11-25"))
    services.decide(actor=officer, listing=listing, list_entity=True, reasons="两次行政处罚，事实清楚",
                    now=at("2026-12-03"))
    return services.publish(actor=officer, listing=Listing.objects.get(pk=listing.pk), now=at("2026-12-03"))


def test_second_decision_fact_proposes_a_listing(demo, orgs, facts):  # noqa: ANN001
    assert not Listing.objects.exists()  # the demo case ZB-2024-000001 (one earlier penalty) alone does not fire
    facts(1)
    listing = Listing.objects.get()
    assert listing.status == "proposed"
    assert listing.rule.code == "repeat_infringement"
    assert {f.source_ref for f in listing.facts.all()} == {"ZB-2024-000001", "京朝知罚〔2025〕1号"}
    assert "repeat_infringement v1" in listing.basis
    assert listing.events.get().kind == "proposed"
    assert Notification.objects.filter(recipient=demo["qianxinyong"], kind="credit.proposed").exists()


def test_recording_the_same_source_twice_is_idempotent(demo, orgs, facts):  # noqa: ANN001
    before = CreditFact.objects.count()
    first = facts(1)[0]
    again = facts(1)[0]
    assert first.pk == again.pk
    assert CreditFact.objects.count() == before + 1
    assert Listing.objects.count() == 1


def test_same_source_for_another_organisation_is_rejected(demo, orgs, facts):  # noqa: ANN001
    facts(1, kind="positive")
    with pytest.raises(InvalidInput) as exc:
        facts(1, organisation=orgs["licensee"], kind="positive")
    assert "source_ref" in exc.value.errors


def test_record_fact_names_every_bad_field(demo, orgs):  # noqa: ANN001
    with pytest.raises(InvalidInput) as exc:
        services.record_fact(actor=demo["qianxinyong"], organisation=orgs["fangmao"], kind="gossip",
                             occurred_on="2026-13-01", legal_basis="", summary=" ", source_type="rumour",
                             source_ref="", visibility="secret", amount="-3")
    assert set(exc.value.errors) == {"kind", "occurred_on", "legal_basis", "summary", "source_type", "source_ref",
                                     "visibility", "amount"}


def test_future_fact_date_is_rejected(demo, orgs, facts):  # noqa: ANN001
    with pytest.raises(InvalidInput) as exc:
        facts(1, occurred_on=timezone.localdate() + dt.timedelta(days=2))
    assert "occurred_on" in exc.value.errors


def test_only_recorders_may_record_facts_by_hand(demo, orgs, facts):  # noqa: ANN001
    with pytest.raises(Forbidden):
        facts(1, actor=demo["xinghe"], source_type="manual")
    assert facts(1, actor=demo["sunfayuan"], kind="court_judgment", source_type="court")[0].recorded_by == demo["sunfayuan"]
    assert facts(1, actor=None, source_ref="系统案号-1")[0].recorded_by is None


def test_wilful_rule_fires_on_one_wilful_judgment(demo, orgs, facts):  # noqa: ANN001
    facts(1, kind="court_judgment", wilful=True, organisation=orgs["licensee"])
    assert Listing.objects.get(organisation=orgs["licensee"]).rule.code == "wilful_punitive"


def test_no_second_proposal_while_one_is_open(demo, orgs, facts):  # noqa: ANN001
    facts(3)
    assert Listing.objects.count() == 1


def test_notice_fixes_the_defence_period_by_working_days(demo, orgs, facts):  # noqa: ANN001
    facts(2)
    listing = Listing.objects.get()
    services.start_review(actor=demo["qianxinyong"], listing=listing)
    listing = services.serve_notice(actor=demo["qianxinyong"], listing=listing, now=at("2026-11-27"))  # a Friday
    assert listing.status == "notice_served"
    assert listing.statement_due == dt.date(2026, 12, 4)  # 5 working days, the weekend skipped
    assert "5 个工作日" in listing.statement_rule
    assert "陈述" in listing.notice_text and "京朝知罚〔2025〕1号" in listing.notice_text
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="credit.notice").exists()


def test_decision_waits_for_the_defence_period_or_a_statement(demo, orgs, facts):  # noqa: ANN001
    officer = demo["qianxinyong"]
    facts(2)
    listing = Listing.objects.get()
    services.start_review(actor=officer, listing=listing)
    services.serve_notice(actor=officer, listing=listing, now=at("2026-11-25"))
    with pytest.raises(Conflict):
        services.decide(actor=officer, listing=listing, list_entity=True, reasons="x", now=at("2026-11-26"))
    services.submit_statement(actor=demo["fangmao"], listing=listing, text="已停止销售并赔偿", now=at("2026-11-26"))
    decision = services.decide(actor=officer, listing=listing, list_entity=False, reasons="已整改，不予列入",
                               now=at("2026-11-27"))
    assert decision.outcome == "not_list"
    assert Listing.objects.get().status == "decided_not_list"


def test_statement_after_the_period_is_refused(demo, orgs, facts):  # noqa: ANN001
    facts(2)
    listing = Listing.objects.get()
    services.start_review(actor=demo["qianxinyong"], listing=listing)
    services.serve_notice(actor=demo["qianxinyong"], listing=listing, now=at("2026-11-25"))
    with pytest.raises(Conflict, match="届满"):
        services.submit_statement(actor=demo["fangmao"], listing=listing, text="晚了", now=at("2026-12-10"))
    with pytest.raises(Forbidden):
        services.submit_statement(actor=demo["xinghe"], listing=listing, text="不是我", now=at("2026-11-26"))


def test_illegal_transition_is_a_conflict_listing_the_allowed_ones(demo, orgs, facts):  # noqa: ANN001
    facts(2)
    listing = Listing.objects.get()
    with pytest.raises(Conflict) as exc:
        services.publish(actor=demo["qianxinyong"], listing=listing)
    assert exc.value.extra["allowed_transitions"] == ["dismiss", "review"]


def test_publication_sets_dates_from_the_list_type_and_notifies_subscribers(demo, orgs, facts):  # noqa: ANN001
    services.subscribe(actor=demo["caigou"])
    listing = _published(demo, orgs, facts)
    assert listing.status == "published"
    assert (listing.start_on, listing.end_on) == (dt.date(2026, 12, 3), dt.date(2029, 12, 3))
    assert listing.earliest_repair_on == dt.date(2027, 12, 3)
    assert listing.events.filter(kind="publish", public=True).exists()
    assert Notification.objects.filter(recipient=demo["caigou"], kind="credit.published").exists()
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="credit.published").exists()


def test_published_decision_is_never_edited_only_superseded(demo, orgs, facts):  # noqa: ANN001
    listing = _published(demo, orgs, facts)
    old = listing.current_decision
    old.reasons = "改写"
    with pytest.raises(ValidationError):
        old.save()
    with pytest.raises(ValidationError):
        ListingDecision.objects.filter(pk=old.pk).update(reasons="改写")
    new = services.supersede(actor=demo["qianxinyong"], listing=listing, reasons="复核后缩短公示期",
                             end_on="2028-12-03")
    old.refresh_from_db()
    assert old.superseded_by == new and old.reasons == "两次行政处罚，事实清楚"
    listing.refresh_from_db()
    assert listing.end_on == dt.date(2028, 12, 3) and listing.current_decision == new
    assert listing.events.filter(kind="supersede", public=True).exists()


def test_repair_before_the_earliest_date_is_refused_then_granted(demo, orgs, facts):  # noqa: ANN001
    services.subscribe(actor=demo["caigou"], organisation=orgs["fangmao"])
    listing = _published(demo, orgs, facts)
    with pytest.raises(Conflict, match="2027-12-03"):
        services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid"],
                              statement="已缴纳罚款", now=at("2027-06-01"))
    with pytest.raises(InvalidInput):
        services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["bribe"], statement="",
                              now=at("2027-12-03"))
    app = services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid",
                                "commitment_signed"], statement="已缴纳罚款并签署承诺", now=at("2027-12-03"))
    services.review_repair(actor=demo["qianxinyong"], application=app, approve=True, reason="材料齐全",
                           now=at("2027-12-05"))
    listing.refresh_from_db()
    assert listing.status == "withdrawn"
    assert listing.events.filter(kind="repaired", public=True).exists()
    assert Notification.objects.filter(recipient=demo["caigou"], kind="credit.repaired").exists()


def test_expiry_job_removes_listings_after_their_end_date_once(demo, orgs, facts):  # noqa: ANN001
    listing = _published(demo, orgs, facts)
    assert tasks.expire_listings(now=at("2029-12-03")) == "expired 0 listing(s)"
    assert tasks.expire_listings(now=at("2029-12-04")) == "expired 1 listing(s)"
    assert tasks.expire_listings(now=at("2029-12-05")) == "expired 0 listing(s)"
    listing.refresh_from_db()
    assert listing.status == "expired"
    assert listing.events.filter(kind="expired", public=True).exists()
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="credit.expired").exists()


def test_facts_fed_by_other_apps_need_no_credit_role_but_hand_entry_does(demo, orgs, facts):  # noqa: ANN001
    fact = facts(1, actor=demo["huizhan"], kind="fair_violation", source_type="fairs.complaint",
                 source_ref="FC-2026-0001")[0]
    assert fact.source_type == "fairs.complaint"
    with pytest.raises(Forbidden):
        facts(1, actor=demo["huizhan"], source_type="manual", source_ref="M-1")
    with pytest.raises(Forbidden):
        facts(1, actor=demo["huizhan"], source_type="gossip.x", source_ref="M-2")


def test_repair_proof_is_uploaded_into_the_evidence_ledger_and_citations_are_checked(demo, orgs, facts):  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhibao.evidence import services as evidence
    from zhibao.evidence.models import Deposit

    listing = _published(demo, orgs, facts)
    others = evidence.make_deposit(actor=demo["xinghe"], title="星河的证据", files=[], statement="他方材料").deposit
    with pytest.raises(InvalidInput) as exc:
        services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid"],
                              statement="已缴纳罚款", deposit_numbers=[others.deposit_no], now=at("2027-12-03"))
    assert others.deposit_no in str(exc.value) and "无权引用" in str(exc.value)
    exe = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(InvalidInput):
        services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid"],
                              statement="已缴纳罚款", files=[exe], now=at("2027-12-03"))
    assert not listing.repairs.exists()
    receipt = SimpleUploadedFile("receipt.txt", "罚款缴纳凭证 京朝市监罚 已缴纳 80000 元".encode())
    app = services.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid"],
                                statement="已缴纳罚款", files=[receipt], now=at("2027-12-03"))
    deposit = Deposit.objects.get(deposit_no=app.deposit_numbers[0])
    assert deposit.depositor == demo["fangmao"] and deposit.files.get().name == "receipt.txt"
    assert "信用修复材料" in deposit.title


def test_a_check_after_supersession_cites_the_new_decision_and_its_dates(demo, orgs, facts):  # noqa: ANN001
    from zhibao.credit import checks  # noqa: PLC0415

    listing = _published(demo, orgs, facts)
    old = listing.current_decision
    new = services.supersede(actor=demo["qianxinyong"], listing=listing, reasons="复核后缩短公示期",
                             end_on="2028-12-03")
    answer = checks.check(actor=demo["caigou"], uscc=orgs["fangmao"].uscc, measure="government_procurement",
                          now=at("2027-01-05"))
    (row,) = answer["listings"]
    assert answer["restricted"] is True and answer["known"] is True
    assert row["decision_no"] == new.decision_no != old.decision_no
    assert (row["from"], row["until"]) == ("2026-12-03", "2028-12-03")
    assert "government_procurement" in row["measures"]
    after = checks.check(actor=demo["caigou"], uscc=orgs["fangmao"].uscc, measure="government_procurement",
                         now=at("2028-12-04"))
    assert after["restricted"] is False and after["listings"] == []
