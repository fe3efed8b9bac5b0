"""The agency check API and the procedure over the API: scopes, bad input, rate limit, logging, visibility."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from zhibao.accounts import services as accounts
from zhibao.accounts.models import ApiTokenUse
from zhibao.credit.models import CreditCheck, Listing
from zhibao.law import uscc as uscc_lib

pytestmark = pytest.mark.django_db


def _token(user, scopes=("credit:check",)) -> Client:  # noqa: ANN001
    _, raw = accounts.issue_token(actor=user, name="核查", scopes=list(scopes))
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _publish(client_as, listing_id: int) -> None:  # noqa: ANN001
    from zhibao.credit import services

    officer = client_as("qianxinyong")
    assert officer.post(f"/api/v1/credit/listings/{listing_id}/review").status_code == 200
    assert officer.post(f"/api/v1/credit/listings/{listing_id}/notice").status_code == 200
    listing = Listing.objects.get(pk=listing_id)
    services.submit_statement(actor=listing.organisation.members.first(), listing=listing, text="无异议")
    r = officer.post(f"/api/v1/credit/listings/{listing_id}/decision", json.dumps(
        {"list_entity": True, "reasons": "两次认定侵权"}), content_type="application/json")
    assert r.status_code == 201, r.content
    assert officer.post(f"/api/v1/credit/listings/{listing_id}/publish").status_code == 200


def test_unknown_but_valid_code_is_known_false_not_404(demo):  # noqa: ANN001
    code = uscc_lib.make_uscc("91110105MA7000001")
    r = _token(demo["caigou"]).get("/api/v1/credit/check", {"uscc": code, "measure": "government_procurement"})
    assert r.status_code == 200
    assert r.json()["known"] is False and r.json()["restricted"] is False
    assert CreditCheck.objects.get().uscc == code


def test_invalid_code_is_400_naming_the_failed_check(demo):  # noqa: ANN001
    good = uscc_lib.make_uscc("91110105MA7000001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    r = _token(demo["caigou"]).get("/api/v1/credit/check", {"uscc": bad})
    assert r.status_code == 400
    assert "校验码" in r.json()["errors"]["uscc"][0]
    assert not CreditCheck.objects.exists()


def test_a_token_check_writes_its_token_use_with_the_check_log_and_a_refused_one_still_logs_its_status(demo):  # noqa: ANN001
    code = uscc_lib.make_uscc("91110105MA7000001")
    client = _token(demo["caigou"])
    assert client.get("/api/v1/credit/check", {"uscc": code}).status_code == 200
    assert client.post("/api/v1/credit/check/batch", json.dumps({"uscc": [code, code]}),
                       content_type="application/json").status_code == 200
    assert client.get("/api/v1/credit/check", {"uscc": code[:17] + "?"}).status_code == 400
    uses = list(ApiTokenUse.objects.order_by("pk").values_list("path", "status"))
    assert [(path.split("?")[0], status) for path, status in uses] == [
        ("/api/v1/credit/check", 200), ("/api/v1/credit/check/batch", 200), ("/api/v1/credit/check", 400)]
    assert CreditCheck.objects.count() == 3


def test_unknown_measure_is_400(demo, orgs):  # noqa: ANN001
    r = _token(demo["caigou"]).get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc, "measure": "lottery"})
    assert r.status_code == 400 and "measure" in r.json()["errors"]


def test_token_without_scope_is_403_and_scope_is_only_for_checkers(demo, orgs):  # noqa: ANN001
    r = _token(demo["caigou"], scopes=["orgs:read"]).get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc})
    assert r.status_code == 403
    with pytest.raises(Exception, match="scopes"):
        accounts.issue_token(actor=demo["xinghe"], name="x", scopes=["credit:check"])


def test_rate_limit_answers_429_with_retry_after(demo, orgs, settings):  # noqa: ANN001
    settings.ZHIBAO_CREDIT_CHECK_RATE = 3
    client = _token(demo["caigou"])
    answers = [client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 61
    assert answers[-1].json()["limit"] == 3 and "每分钟最多 3 个" in answers[-1].json()["detail"]


def test_rate_limit_is_counted_from_the_log_so_every_server_process_shares_it(demo, orgs, settings):  # noqa: ANN001
    from django.core.cache import cache

    settings.ZHIBAO_CREDIT_CHECK_RATE = 2
    client = _token(demo["caigou"])
    assert client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).status_code == 200
    cache.clear()  # another worker process has its own memory: the count must not live there
    assert client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).status_code == 200
    assert client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).status_code == 429
    # a batch larger than what is left of the window is refused whole, and nothing is logged for it
    before = CreditCheck.objects.count()
    settings.ZHIBAO_CREDIT_CHECK_RATE = 3
    r = client.post("/api/v1/credit/check/batch", json.dumps({"uscc": [orgs["fangmao"].uscc, orgs["xinghe"].uscc]}),
                    content_type="application/json")
    assert r.status_code == 429 and CreditCheck.objects.count() == before
    # a minute later the window has moved on
    CreditCheck.objects.update(at=timezone.now() - dt.timedelta(seconds=61))
    assert client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).status_code == 200


def test_batch_checks_up_to_1000_codes_and_logs_each(demo, orgs, django_assert_max_num_queries):  # noqa: ANN001
    codes = [uscc_lib.make_uscc("91110105MA7" + f"{i:06d}") for i in range(998)] + [orgs["fangmao"].uscc,
                                                                                      orgs["xinghe"].uscc]
    client = _token(demo["caigou"])
    with django_assert_max_num_queries(12):
        r = client.post("/api/v1/credit/check/batch", json.dumps({"uscc": codes, "measure": "procurement",
                                                                  "purpose": "采购项目 CG-2026-01 资格审查"}),
                        content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["count"] == 1000 and r.json()["restricted"] == 0
    assert CreditCheck.objects.filter(purpose__startswith="采购项目").count() == 1000
    too_many = client.post("/api/v1/credit/check/batch", json.dumps({"uscc": codes + codes[:1]}),
                           content_type="application/json")
    assert too_many.status_code == 400


def test_published_listing_restricts_procurement(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1)
    listing = Listing.objects.get()
    _publish(client_as, listing.pk)
    agency = _token(demo["caigou"])
    body = agency.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc, "measure": "government_procurement",
                                               "purpose": "政府采购资格审查"}).json()
    assert body["restricted"] is True and body["known"] is True
    row = body["listings"][0]
    assert row["list"] == "知识产权领域严重违法失信名单" and row["decision_no"].startswith("京知信决")
    assert "repeat_infringement" in row["basis"] and row["from"] and row["until"]
    log = CreditCheck.objects.get(purpose="政府采购资格审查")
    assert log.restricted and log.agency_name == "北京市公共资源交易中心" and log.organisation == orgs["fangmao"]


def test_another_party_cannot_see_a_credit_file_or_listing(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1)
    listing = Listing.objects.get()
    xinghe = client_as("xinghe")
    assert xinghe.get(f"/api/v1/credit/listings/{listing.pk}").status_code == 404
    assert xinghe.get(f"/api/v1/credit/orgs/{orgs['fangmao'].pk}").status_code == 404
    assert xinghe.post(f"/api/v1/credit/listings/{listing.pk}/statement", json.dumps({"text": "x"}),
                       content_type="application/json").status_code == 404


def test_internal_facts_are_hidden_from_agencies_and_the_entity(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1, kind="positive", visibility="internal", summary="内部线索")
    facts(1, kind="commitment", visibility="agencies", source_ref="承诺-X", summary="承诺书")
    for who, sees_internal in (("caigou", False), ("fangmao", False), ("qianxinyong", True)):
        body = client_as(who).get(f"/api/v1/credit/orgs/{orgs['fangmao'].pk}").json()
        summaries = {f["summary"] for f in body["facts"]}
        assert ("内部线索" in summaries) is sees_internal
        assert "承诺书" in summaries


def test_record_fact_api_and_bad_input(demo, orgs, client_as):  # noqa: ANN001
    court = client_as("sunfayuan")
    payload = {"organisation_id": orgs["fangmao"].pk, "kind": "court_judgment", "occurred_on": "2026-10-20",
               "legal_basis": "《商标法》第六十三条", "summary": "判决赔偿 30 万元", "source_type": "court",
               "source_ref": "(2026)京73民初100号", "amount": "300000"}
    r = court.post("/api/v1/credit/facts", json.dumps(payload), content_type="application/json")
    assert r.status_code == 201, r.content
    assert Listing.objects.filter(organisation=orgs["fangmao"], status="proposed").exists()
    bad = court.post("/api/v1/credit/facts", json.dumps({**payload, "kind": "nope"}), content_type="application/json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    spoof = court.post("/api/v1/credit/facts", json.dumps({**payload, "source_type": "takedown"}),
                       content_type="application/json")
    assert spoof.status_code == 400 and "source_type" in spoof.json()["errors"]
    typo = court.post("/api/v1/credit/facts", json.dumps({**payload, "kindd": "x"}), content_type="application/json")
    assert typo.status_code == 422
    assert client_as("xinghe").post("/api/v1/credit/facts", json.dumps(payload),
                                    content_type="application/json").status_code == 403


def test_change_feed_lists_public_events_after_an_id(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1)
    _publish(client_as, Listing.objects.get().pk)
    feed = client_as("caigou").get("/api/v1/credit/changes").json()
    assert [e["kind"] for e in feed] == ["publish"]
    assert client_as("caigou").get("/api/v1/credit/changes", {"after_id": feed[0]["id"]}).json() == []
    assert client_as("xinghe").get("/api/v1/credit/changes").status_code == 403


def test_check_is_fast_in_queries(demo, orgs, django_assert_num_queries):  # noqa: ANN001
    from django.db import connection  # noqa: PLC0415

    client = _token(demo["caigou"])
    assert client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).status_code == 200  # token's last use set
    # the token; one read (rate window, organisation, listings, decisions); the check log and the token use —
    # one statement on PostgreSQL, two INSERTs in a transaction (here a savepoint and its release) on SQLite
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 6):
        assert client.get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).status_code == 200


def test_dates_in_check_answer_are_iso(demo, orgs, facts, client_as):  # noqa: ANN001
    facts(1)
    _publish(client_as, Listing.objects.get().pk)
    row = client_as("caigou").get("/api/v1/credit/check", {"uscc": orgs["fangmao"].uscc}).json()["listings"][0]
    assert dt.date.fromisoformat(row["until"]) > dt.date.fromisoformat(row["from"])


def test_one_read_answers_each_code_with_its_listings_in_force_and_their_current_decisions(demo, orgs):  # noqa: ANN001
    """Rows written directly (the procedure that makes them is tested in test_procedure): two listings in force,
    one with a superseded decision, one expired and one still proposed, across a batch with a clean and an unknown
    code — every answer from the check's single read."""
    from zhibao.credit import checks  # noqa: PLC0415
    from zhibao.credit.models import ListingDecision, ListType  # noqa: PLC0415

    today, fangmao = timezone.localdate(), orgs["fangmao"]
    first, second = ListType.objects.order_by("pk")[:2]
    day = dt.timedelta(days=1)

    def listing(list_type, *, status="published", ends=today + 100 * day, proposed=0):  # noqa: ANN001, ANN202
        return Listing.objects.bulk_create([Listing(
            organisation=fangmao, list_type=list_type, basis="直接写入", status=status, start_on=today - 10 * day,
            end_on=ends, proposed_at=timezone.now() - dt.timedelta(hours=proposed))])[0]

    older, newer = listing(first, proposed=2), listing(second, proposed=1)
    listing(first, ends=today - day)
    listing(second, status="proposed")
    current = ListingDecision.objects.bulk_create([ListingDecision(listing=older, decision_no="京信决〔2026〕2号",
                                                                   outcome="amend", reasons="变更")])[0]
    ListingDecision.objects.bulk_create([
        ListingDecision(listing=older, decision_no="京信决〔2026〕1号", outcome="list", reasons="列入",
                        decided_at=timezone.now() - 3 * day, superseded_by=current),
        ListingDecision(listing=newer, decision_no="京信决〔2026〕3号", outcome="list", reasons="列入")])
    unknown = uscc_lib.make_uscc("91110105MA7000001")
    codes = [orgs["xinghe"].uscc, fangmao.uscc, unknown, fangmao.uscc]
    answers = checks.check_many(actor=demo["caigou"], codes=codes)
    assert [a["uscc"] for a in answers] == codes
    assert answers[0]["known"] is True and answers[0]["listings"] == [] and answers[0]["restricted"] is False
    assert answers[2]["known"] is False and answers[2]["name"] is None
    for answer in (answers[1], answers[3]):
        assert answer["name"] == fangmao.name and answer["restricted"] is True
        assert [(r["list_code"], r["decision_no"]) for r in answer["listings"]] == [
            (second.code, "京信决〔2026〕3号"), (first.code, "京信决〔2026〕2号")]  # newest proposal first
    assert CreditCheck.objects.count() == 4
