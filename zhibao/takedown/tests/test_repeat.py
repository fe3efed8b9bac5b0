"""Repeat sellers feed the credit file: N separate notices with standing removals, or a confirmed relisting."""

from __future__ import annotations

import pytest

from zhibao.core.errors import Forbidden, NotFound
from zhibao.credit.models import CreditFact
from zhibao.rights.models import Right
from zhibao.takedown import services
from zhibao.takedown.models import ListingEvent, Platform, RelistFlag


@pytest.fixture
def platform(demo, orgs):  # noqa: ANN001, ANN201
    return Platform.objects.get(organisation=orgs["platform"])


def _notice(demo, orgs, platform, n: int, **seller):  # noqa: ANN001, ANN003, ANN202
    seller = seller or {"seller_uscc": orgs["fangmao"].uscc, "seller_name": orgs["fangmao"].name}
    return services.file_notice(
        actor=demo["xinghe"], notifier=orgs["xinghe"], platform=platform,
        right_ids=[Right.objects.get(number="45678901").pk], goods_class=9,
        statement="标题与图片使用星河注册商标，承诺通知真实。",
        listings=[{"listing_id": f"R-{n}", "title": f"星河音箱 第{n}款 型号{n * 7}", "shop_id": f"shop-{n}", **seller}])


def _facts(org):  # noqa: ANN001, ANN202
    return CreditFact.objects.filter(organisation=org, kind="ecommerce_repeat")


def test_removals_on_n_separate_notices_record_one_fact(demo, orgs, platform, settings):  # noqa: ANN001
    settings.ZHIBAO_TAKEDOWN_REPEAT_NOTICES = 3
    fangmao = orgs["fangmao"]
    for n in (1, 2):
        services.decide(actor=demo["jinggou"], item=_notice(demo, orgs, platform, n).items.get(), measure="remove")
    assert not _facts(fangmao).exists()
    # a "no action" decision is not a removal
    services.decide(actor=demo["jinggou"], item=_notice(demo, orgs, platform, 3).items.get(), measure="no_action",
                    reason="证据不足")
    assert not _facts(fangmao).exists()
    services.decide(actor=demo["jinggou"], item=_notice(demo, orgs, platform, 4).items.get(), measure="block")
    fact = _facts(fangmao).get()
    assert fact.source_type == "takedown.repeat" and fact.source_ref == f"seller-{fangmao.pk}-removals-3"
    assert "电子商务法" in fact.legal_basis and fact.visibility == "agencies"
    # idempotent: a fourth standing removal does not add a fact (the next one is due at six)
    services.decide(actor=demo["jinggou"], item=_notice(demo, orgs, platform, 5).items.get(), measure="remove")
    assert _facts(fangmao).count() == 1


def test_countered_or_malicious_notices_do_not_count(demo, orgs, platform, settings):  # noqa: ANN001
    settings.ZHIBAO_TAKEDOWN_REPEAT_NOTICES = 2
    from zhibao.evidence import services as evidence

    first = _notice(demo, orgs, platform, 1).items.get()
    services.decide(actor=demo["jinggou"], item=first, measure="remove")
    deposit = evidence.make_deposit(actor=demo["fangmao"], title="凭证", files=[], statement="进货凭证").deposit
    services.file_counter_notice(actor=demo["fangmao"], item=first, statement="该商品为正品，有进货凭证为证。",
                                 deposit_nos=[deposit.deposit_no])
    second = _notice(demo, orgs, platform, 2)
    services.find_malicious(actor=demo["jinggou"], notice=second, reason="权利人明知商品为正品仍然通知删除")
    services.decide(actor=demo["jinggou"], item=second.items.get(), measure="remove")
    assert not _facts(orgs["fangmao"]).exists()
    # a proceeding keeps the countered removal in force: now it counts
    services.forward_counter_notice(actor=demo["jinggou"], item=first)
    services.attach_proceeding(actor=demo["xinghe"], item=first, reference="(2026)京0105民初1号",
                               authority="朝阳区人民法院", document=_pdf())
    assert _facts(orgs["fangmao"]).count() == 0  # still one standing notice (the other was malicious)
    services.decide(actor=demo["jinggou"], item=_notice(demo, orgs, platform, 3).items.get(), measure="remove")
    assert _facts(orgs["fangmao"]).count() == 1


def _pdf():  # noqa: ANN202
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("accept.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def test_sellers_without_an_organisation_are_skipped(demo, orgs, platform, settings):  # noqa: ANN001
    settings.ZHIBAO_TAKEDOWN_REPEAT_NOTICES = 1
    item = _notice(demo, orgs, platform, 1, seller_name="个人卖家张三").items.get()
    services.decide(actor=demo["jinggou"], item=item, measure="remove")
    assert not CreditFact.objects.filter(kind="ecommerce_repeat").exists()


def test_a_confirmed_relisting_records_a_fact_once(demo, orgs, platform, client_as):  # noqa: ANN001
    item = _notice(demo, orgs, platform, 1).items.get()
    services.decide(actor=demo["jinggou"], item=item, measure="remove")
    services.register_listings(actor=demo["jinggou"], platform=platform, listings=[
        {"listing_id": "R-1b", "title": "星河音箱 第1款 型号7", "shop_id": "shop-x", "seller_uscc": orgs["fangmao"].uscc}])
    flag = RelistFlag.objects.get(listing__listing_id="R-1b")
    with pytest.raises(NotFound):
        services.confirm_relisting(actor=demo["xinghe"], flag=flag)
    with pytest.raises(Forbidden):
        services.confirm_relisting(actor=demo["wangzhifa"], flag=flag)
    page = client_as("jinggou").get(f"/takedown/listings/{flag.listing_id}/").content.decode()
    assert 'data-testid="relist-confirm"' in page
    response = client_as("jinggou").post(f"/takedown/relist-flags/{flag.pk}/confirm/", {"note": "同一经营者换店重上"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.confirmed_by == demo["jinggou"] and flag.confirm_note == "同一经营者换店重上"
    fact = _facts(orgs["fangmao"]).get()
    assert fact.source_ref == f"relist-{flag.pk}" and "R-1b" in fact.summary
    services.confirm_relisting(actor=demo["jinggou"], flag=flag)  # again: nothing new
    assert _facts(orgs["fangmao"]).count() == 1
    assert ListingEvent.objects.filter(listing=flag.listing, kind="relist_confirmed").count() == 1
    assert client_as("xinghe").post(f"/takedown/relist-flags/{flag.pk}/confirm/").status_code == 404
    assert 'data-testid="relist-confirmed"' in client_as("jinggou").get(
        f"/takedown/listings/{flag.listing_id}/").content.decode()


def test_the_platform_lists_and_confirms_relisting_flags_over_the_api(demo, orgs, platform):  # noqa: ANN001
    import json

    from django.test import Client

    from zhibao.accounts import services as accounts

    item = _notice(demo, orgs, platform, 1).items.get()
    services.decide(actor=demo["jinggou"], item=item, measure="remove")
    services.register_listings(actor=demo["jinggou"], platform=platform, listings=[
        {"listing_id": "R-1b", "title": "星河音箱 第1款 型号7", "shop_id": "shop-x", "seller_uscc": orgs["fangmao"].uscc}])
    _, raw = accounts.issue_token(actor=demo["jinggou"], name="平台", scopes=["takedown:platform"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    pending = api.get("/api/v1/takedown/relist-flags", {"confirmed": "false"}).json()
    assert pending["count"] == 1
    flag = pending["items"][0]
    assert flag["listing_id"] == "R-1b" and flag["confirmed_at"] is None and flag["matches_listing_id"]
    url = f"/api/v1/takedown/relist-flags/{flag['id']}/confirm"
    done = api.post(url, json.dumps({"note": "同一经营者换店重上"}), content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["confirmed_by"] and done.json()["confirm_note"] == "同一经营者换店重上"
    again = api.post(url, json.dumps({}), content_type="application/json")
    assert again.status_code == 200 and again.json()["confirmed_at"] == done.json()["confirmed_at"]
    assert _facts(orgs["fangmao"]).count() == 1
    assert api.get("/api/v1/takedown/relist-flags", {"confirmed": "false"}).json()["count"] == 0
    assert api.get("/api/v1/takedown/relist-flags", {"confirmed": "true"}).json()["count"] == 1
    typo = api.post(url, json.dumps({"notes": "x"}), content_type="application/json")
    assert typo.status_code == 422
    _, other = accounts.issue_token(actor=demo["xinghe"], name="权利人", scopes=["takedown:platform"])
    stranger = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert stranger.get("/api/v1/takedown/relist-flags").status_code == 404
    assert stranger.post(url, json.dumps({}), content_type="application/json").status_code == 404
