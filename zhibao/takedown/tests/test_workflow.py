"""Notice → measure → counter-notice → 15-day clock → lifted or kept by a proceeding; validation; abuse."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.evidence import services as evidence
from zhibao.notifications.models import Notification
from zhibao.rights.models import Right
from zhibao.takedown import services, tasks
from zhibao.takedown.models import Listing, ListingEvent, Notice, NoticeItem, Platform, RelistFlag

TZ = dt.timezone(dt.timedelta(hours=8))


def _listing(n: int, orgs, **extra) -> dict:  # noqa: ANN001
    return {"listing_id": f"L-{n}", "url": f"https://mall.example/item/{n}", "title": f"星河 智能音箱 {n}",
            "price": "99.00", "shop_id": "fm", "seller_uscc": orgs["fangmao"].uscc,
            "seller_name": orgs["fangmao"].name, **extra}


@pytest.fixture
def platform(demo, orgs):  # noqa: ANN001, ANN201
    return Platform.objects.get(organisation=orgs["platform"])


@pytest.fixture
def mark(demo):  # noqa: ANN001, ANN201
    return Right.objects.get(number="45678901")


def _file(demo, orgs, platform, mark, listings, **kw):  # noqa: ANN001, ANN003, ANN202
    return services.file_notice(actor=kw.pop("actor", demo["xinghe"]), notifier=orgs["xinghe"], platform=platform,
                                right_ids=[mark.pk], goods_class=kw.pop("goods_class", 9),
                                statement="标题与图片使用星河注册商标，承诺通知真实。", listings=listings, **kw)


def _deposit(user, text="经营者的进货凭证"):  # noqa: ANN001, ANN202
    return evidence.make_deposit(actor=user, title="证据", files=[], statement=text).deposit


def _down_and_countered(demo, orgs, platform, mark, at):  # noqa: ANN001, ANN202
    notice = _file(demo, orgs, platform, mark, [_listing(1, orgs)], now=at)
    item = notice.items.get()
    services.decide(actor=demo["jinggou"], item=item, measure="remove", now=at + dt.timedelta(hours=2))
    services.record_served(actor=demo["jinggou"], item=item, served_at=at + dt.timedelta(hours=3))
    services.file_counter_notice(actor=demo["fangmao"], item=item, statement="该商品为正品平行进口，有进货凭证。",
                                 deposit_nos=[_deposit(demo["fangmao"]).deposit_no], now=at + dt.timedelta(hours=5))
    return services.forward_counter_notice(actor=demo["jinggou"], item=item, now=at + dt.timedelta(days=1))


def test_full_flow_without_proceeding_restores_the_listing_the_day_after_the_clock(demo, orgs, platform, mark):  # noqa: ANN001
    start = dt.datetime(2026, 9, 14, 10, 0, tzinfo=TZ)
    item = _down_and_countered(demo, orgs, platform, mark, start)
    # forwarded on 2026-09-15: 15 days end 2026-09-30; the clock rule is named
    assert item.status == NoticeItem.Status.CLOCK
    assert item.clock_deadline == dt.date(2026, 9, 30)
    assert "电子商务法" in item.clock_rule
    assert item.listing.status == Listing.Status.DOWN
    assert tasks.lift_expired(now=dt.datetime(2026, 9, 30, 23, 0, tzinfo=TZ)) == "lifted 0 listing measure(s)"
    item.refresh_from_db()
    assert item.status == NoticeItem.Status.CLOCK  # the last day itself still belongs to the notifier
    summary = tasks.lift_expired(now=dt.datetime(2026, 10, 1, 1, 0, tzinfo=TZ))
    assert summary == "lifted 1 listing measure(s)"
    item.refresh_from_db()
    item.listing.refresh_from_db()
    assert item.status == NoticeItem.Status.RESTORED
    assert item.listing.status == Listing.Status.ONLINE
    assert Notice.objects.get(pk=item.notice_id).status == Notice.Status.CLOSED
    kinds = list(ListingEvent.objects.filter(listing=item.listing).values_list("kind", flat=True))
    assert kinds == ["listed", "notice", "measure", "served", "counter_notice", "counter_forwarded", "lifted",
                     "restored"]
    assert Notification.objects.filter(recipient=demo["xinghe"], kind="takedown.lifted").exists()
    assert Notification.objects.filter(recipient=demo["fangmao"], kind="takedown.lifted").exists()
    # the job is idempotent: a second run lifts nothing
    assert tasks.lift_expired(now=dt.datetime(2026, 10, 2, tzinfo=TZ)) == "lifted 0 listing measure(s)"


def test_attaching_an_external_proceeding_stops_the_clock_and_keeps_the_listing_down(demo, orgs, platform, mark):  # noqa: ANN001
    item = _down_and_countered(demo, orgs, platform, mark, dt.datetime(2026, 9, 14, 10, 0, tzinfo=TZ))
    doc = SimpleUploadedFile("accept.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.attach_proceeding(actor=demo["daili"], item=item, reference="(2026)京73民初1234号",
                               authority="北京知识产权法院", document=doc)
    tasks.lift_expired(now=dt.datetime(2026, 12, 1, tzinfo=TZ))
    item.refresh_from_db()
    item.listing.refresh_from_db()
    assert item.status == NoticeItem.Status.PROCEEDING
    assert item.listing.status == Listing.Status.DOWN
    assert item.proceedings.get().kind == "external"


def test_a_proceeding_needs_a_document_and_a_reference(demo, orgs, platform, mark):  # noqa: ANN001
    item = _down_and_countered(demo, orgs, platform, mark, dt.datetime(2026, 9, 14, 10, 0, tzinfo=TZ))
    with pytest.raises(InvalidInput) as exc:
        services.attach_proceeding(actor=demo["xinghe"], item=item, reference="", authority="")
    assert set(exc.value.errors) == {"reference", "authority", "document"}
    with pytest.raises(InvalidInput) as exc:
        services.attach_proceeding(actor=demo["xinghe"], item=item, case_number="ZB-2026-0001")
    assert "case_number" in exc.value.errors  # the cases app is not installed: no ZhiBao case can be found
    with pytest.raises(Forbidden):
        services.attach_proceeding(actor=demo["jinggou"], item=item, reference="x", authority="y")
    with pytest.raises(NotFound):
        services.attach_proceeding(actor=demo["huizhan"], item=item, reference="x", authority="y")


def test_notarisation_extension_moves_the_deadline_by_working_days_once(demo, orgs, platform, mark):  # noqa: ANN001
    item = _down_and_countered(demo, orgs, platform, mark, dt.datetime(2026, 9, 14, 10, 0, tzinfo=TZ))
    with pytest.raises(InvalidInput):
        services.extend_clock(actor=demo["xinghe"], item=item, working_days=21, reason="域外证据公证认证")
    item = services.extend_clock(actor=demo["xinghe"], item=item, working_days=5, reason="域外证据公证认证")
    # 2026-09-30 + 5 working days: National Day holiday 10-01..10-07, 调休 Sunday 10-11 is a working day
    assert item.clock_deadline > dt.date(2026, 10, 7)
    assert "法释〔2020〕9号" in item.clock_rule
    with pytest.raises(Conflict):
        services.extend_clock(actor=demo["xinghe"], item=item, working_days=5, reason="再次延长")


def test_counter_notice_after_the_listing_was_restored_is_a_conflict(demo, orgs, platform, mark):  # noqa: ANN001
    item = _down_and_countered(demo, orgs, platform, mark, dt.datetime(2026, 9, 14, 10, 0, tzinfo=TZ))
    services.lift_expired(now=dt.datetime(2026, 10, 2, tzinfo=TZ))
    with pytest.raises(Conflict) as exc:
        services.file_counter_notice(actor=demo["fangmao"], item=item, statement="再次声明不构成侵权。",
                                     deposit_nos=[_deposit(demo["fangmao"], "再次").deposit_no])
    assert exc.value.extra["status"] == "restored"


def test_no_action_needs_a_reason_and_only_the_platform_decides(demo, orgs, platform, mark):  # noqa: ANN001
    item = _file(demo, orgs, platform, mark, [_listing(2, orgs)]).items.get()
    with pytest.raises(InvalidInput):
        services.decide(actor=demo["jinggou"], item=item, measure="no_action", reason="")
    with pytest.raises(InvalidInput):
        services.decide(actor=demo["jinggou"], item=item, measure="explode")
    with pytest.raises(Forbidden):
        services.decide(actor=demo["xinghe"], item=item, measure="remove")
    with pytest.raises(NotFound):
        services.decide(actor=demo["huizhan"], item=item, measure="remove")
    item = services.decide(actor=demo["jinggou"], item=item, measure="no_action", reason="链接已失效，商品不存在")
    assert item.status == NoticeItem.Status.NO_ACTION
    assert item.notice.__class__.objects.get(pk=item.notice_id).status == Notice.Status.CLOSED
    with pytest.raises(Conflict) as exc:
        services.decide(actor=demo["jinggou"], item=item, measure="remove")
    assert exc.value.extra["allowed_transitions"] == []


def test_notice_validation_rejects_expired_foreign_and_wrong_class_rights(demo, orgs, platform, mark):  # noqa: ANN001
    expired = Right.objects.get(number="31234567")
    foreign = Right.objects.get(number="56789012")
    with pytest.raises(InvalidInput) as exc:
        services.file_notice(actor=demo["xinghe"], notifier=orgs["xinghe"], platform=platform,
                             right_ids=[expired.pk], goods_class=35, statement="承诺通知真实，附证据说明。",
                             listings=[_listing(3, orgs)])
    assert "有效期" in exc.value.errors["right_ids"][0]
    with pytest.raises(InvalidInput) as exc:
        services.file_notice(actor=demo["xinghe"], notifier=orgs["xinghe"], platform=platform,
                             right_ids=[foreign.pk], goods_class=35, statement="承诺通知真实，附证据说明。",
                             listings=[_listing(3, orgs)])
    assert "不属于" in exc.value.errors["right_ids"][0]
    with pytest.raises(InvalidInput) as exc:
        _file(demo, orgs, platform, mark, [_listing(3, orgs)], goods_class=25)
    assert "不包括第 25 类" in exc.value.errors["goods_class"][0]
    with pytest.raises(InvalidInput) as exc:
        _file(demo, orgs, platform, mark, [_listing(3, orgs, seller_uscc="91110000BAD", url="ftp://x")])
    assert {"listings[0].seller_uscc", "listings[0].url"} <= set(exc.value.errors)
    with pytest.raises(Forbidden):
        _file(demo, orgs, platform, mark, [_listing(3, orgs)], actor=demo["fangmao"])


def test_an_agent_files_for_the_principal_and_301_listings_are_rejected(demo, orgs, platform, mark):  # noqa: ANN001
    notice = _file(demo, orgs, platform, mark, [_listing(n, orgs) for n in range(300)], actor=demo["daili"])
    assert notice.items.count() == 300
    with pytest.raises(InvalidInput) as exc:
        _file(demo, orgs, platform, mark, [_listing(n, orgs) for n in range(1000, 1301)])
    assert "300" in exc.value.errors["listings"][0]


def test_same_listing_with_an_open_notice_joins_it(demo, orgs, platform, mark):  # noqa: ANN001
    first = _file(demo, orgs, platform, mark, [_listing(5, orgs)])
    second = _file(demo, orgs, platform, mark, [_listing(5, orgs), _listing(6, orgs)], actor=demo["daili"])
    joined = second.items.get(listing__listing_id="L-5")
    assert joined.status == NoticeItem.Status.JOINED
    assert joined.joined_to == first.items.get()
    assert second.items.get(listing__listing_id="L-6").status == NoticeItem.Status.PENDING
    # the joined notifier hears of the measure taken on the earlier notice
    services.decide(actor=demo["jinggou"], item=first.items.get(), measure="remove")
    assert Notification.objects.filter(recipient=demo["daili"], kind="takedown.measure").exists()


def test_relisted_copy_is_flagged_to_the_platform_with_the_earlier_decision(demo, orgs, platform, mark):  # noqa: ANN001
    item = _file(demo, orgs, platform, mark, [_listing(7, orgs, title="星河S1 智能音箱【正品】")]).items.get()
    services.decide(actor=demo["jinggou"], item=item, measure="remove")
    # same seller, same title after normalisation (full-width brackets, spacing, traditional characters)
    services.register_listings(actor=demo["jinggou"], platform=platform, listings=[
        {"listing_id": "L-7b", "title": "星河 S1 智能音箱 [正品]", "shop_id": "fm2", "seller_uscc": orgs["fangmao"].uscc}])
    flag = RelistFlag.objects.get(listing__listing_id="L-7b")
    assert flag.fingerprint.listing.listing_id == "L-7"
    assert item.notice.number in flag.fingerprint.decision
    note = Notification.objects.get(recipient=demo["jinggou"], kind="takedown.relisted")
    from django.test import Client

    operator = Client()
    operator.force_login(demo["jinggou"])
    page = operator.get(note.url)
    assert page.status_code == 200 and "L-7" in page.content.decode()
    outsider = Client()
    outsider.force_login(demo["xinghe"])
    assert outsider.get(note.url).status_code == 404
    # a different seller with a different title is not flagged
    services.register_listings(actor=demo["jinggou"], platform=platform, listings=[
        {"listing_id": "L-9", "title": "另一款音箱", "shop_id": "other", "seller_name": "某某"}])
    assert not RelistFlag.objects.filter(listing__listing_id="L-9").exists()


def test_relisting_by_image_and_seller(demo, orgs, platform, mark):  # noqa: ANN001
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(img).ellipse((40, 40, 160, 160), fill="navy")
    ImageDraw.Draw(img).rectangle((10, 10, 60, 60), fill="red")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    png = buf.getvalue()
    services.register_listings(actor=demo["jinggou"], platform=platform, listings=[
        {"listing_id": "IMG-1", "title": "原始标题", "shop_id": "fm", "seller_uscc": orgs["fangmao"].uscc,
         "image_bytes": png}])
    first = _file(demo, orgs, platform, mark, [{"listing_id": "IMG-1", "title": "原始标题", "shop_id": "fm",
                                                "seller_uscc": orgs["fangmao"].uscc}]).items.get()
    Listing.objects.filter(listing_id="IMG-1").update(image_phash=__import__(
        "zhibao.takedown.relisting", fromlist=["x"]).image_phash(png))
    services.decide(actor=demo["jinggou"], item=first, measure="block")
    services.register_listings(actor=demo["jinggou"], platform=platform, listings=[
        {"listing_id": "IMG-2", "title": "完全不同的新标题", "shop_id": "fm", "seller_uscc": orgs["fangmao"].uscc,
         "image_bytes": png}])
    assert RelistFlag.objects.get(listing__listing_id="IMG-2").matched_on == "经营者、主图"


def test_malicious_finding_flags_the_notifier_and_blocks_the_fast_lane(demo, orgs, platform, mark, settings):  # noqa: ANN001
    settings.ZHIBAO_TAKEDOWN_FAST_LANE_MIN = 3
    notice = _file(demo, orgs, platform, mark, [_listing(n, orgs) for n in range(20, 23)])
    for item in notice.items.all():
        services.decide(actor=demo["jinggou"], item=item, measure="remove")
    fast = _file(demo, orgs, platform, mark, [_listing(30, orgs)])
    assert fast.fast_lane
    assert fast.sla_due_at - fast.created_at == dt.timedelta(hours=platform.fast_lane_hours)
    with pytest.raises(InvalidInput):
        services.find_malicious(actor=demo["jinggou"], notice=notice, reason="短")
    with pytest.raises(Forbidden):
        services.find_malicious(actor=demo["litiaojie"], notice=notice, reason="明知商标已转让仍发出通知，打击竞争对手")
    services.find_malicious(actor=demo["wangzhifa"], notice=notice, reason="明知商标已转让仍发出通知，打击竞争对手",
                            wilful=True)
    with pytest.raises(Conflict):
        services.find_malicious(actor=demo["jinggou"], notice=notice, reason="明知商标已转让仍发出通知，打击竞争对手")
    later = _file(demo, orgs, platform, mark, [_listing(31, orgs)])
    assert not later.fast_lane
    assert later.sla_due_at - later.created_at == dt.timedelta(hours=platform.sla_hours)


def test_withdrawal_restores_listings_taken_down(demo, orgs, platform, mark):  # noqa: ANN001
    notice = _file(demo, orgs, platform, mark, [_listing(40, orgs)])
    item = services.decide(actor=demo["jinggou"], item=notice.items.get(), measure="remove")
    services.withdraw_notice(actor=demo["xinghe"], notice=notice, reason="已与经营者和解")
    item.refresh_from_db()
    item.listing.refresh_from_db()
    assert item.status == NoticeItem.Status.WITHDRAWN
    assert item.listing.status == Listing.Status.ONLINE


def test_served_receipt_is_idempotent_and_rejects_future_times(demo, orgs, platform, mark):  # noqa: ANN001
    item = _file(demo, orgs, platform, mark, [_listing(50, orgs)]).items.get()
    with pytest.raises(InvalidInput):
        services.record_served(actor=demo["jinggou"], item=item, served_at=timezone.now() + dt.timedelta(days=1))
    services.record_served(actor=demo["jinggou"], item=item)
    services.record_served(actor=demo["jinggou"], item=item)
    assert ListingEvent.objects.filter(item=item, kind="served").count() == 1
