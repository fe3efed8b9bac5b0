"""Sources (b) and (d): listings arriving through takedown (notices, the platform API) and exhibits filed at
fairs are screened after the commit, against other right holders' watch lists; and an alert prefills the
takedown notice form and the case intake form (``?from_alert=<id>``) for the alert's owner side only."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibao.fairs import services as fairs
from zhibao.fairs.models import Exhibitor, Fair
from zhibao.monitoring import services
from zhibao.monitoring.models import Alert, Screening
from zhibao.rights.models import Right
from zhibao.takedown import services as takedown
from zhibao.takedown.models import Listing, Platform

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """Run a write and then its on-commit callbacks (the monitoring hand-over, then the screening task)."""

    def run(fn, **kwargs):  # noqa: ANN001, ANN003, ANN202
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


def _register(committed, demo, *rows):  # noqa: ANN001, ANN002, ANN202
    platform = Platform.objects.get()
    return committed(takedown.register_listings, actor=demo["jinggou"], platform=platform, listings=list(rows))


def _png(seed: int = 7) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (160, 120), "white")
    ImageDraw.Draw(img).ellipse((20 + seed, 10, 120, 100), fill=(200, 30, 30))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _alert_for(listing: Listing, owner_name: str = "北京星河科技有限公司") -> Alert:
    return Alert.objects.get(screening__origin=f"takedown.listing:{listing.pk}", watch_list__owner__name=owner_name)


def test_a_platform_listing_with_a_look_alike_title_alerts_the_mark_owner(committed, demo, orgs):
    listing, = _register(committed, demo, {"listing_id": "JG-7001", "title": "猩河智能音箱 官方正品",
                                           "url": "https://mall.jinggou.example/item/7001", "seller_name": "某网店",
                                           "image_bytes": _png()})
    item = Screening.objects.get(origin=f"takedown.listing:{listing.pk}")
    assert item.source == "listing" and item.status == "done" and item.party == "某网店"
    assert item.reference == "https://mall.jinggou.example/item/7001" and len(item.image_hashes) == 1
    assert item.details == {"platform_id": listing.platform_id, "platform": "京购商城", "listing_id": "JG-7001"}
    alert = _alert_for(listing)
    assert alert.right.title == "星河" and any("读音相同" in r for r in alert.reasons)


def test_an_updated_listing_is_not_screened_twice(committed, demo):
    row = {"listing_id": "JG-7002", "title": "猩河 蓝牙音箱", "seller_name": "某网店"}
    _register(committed, demo, row)
    _register(committed, demo, {**row, "title": "猩河 蓝牙音箱 新款"})
    assert Screening.objects.filter(details__listing_id="JG-7002").count() == 1


def test_a_notice_listing_is_not_screened_against_the_notifiers_own_list(committed, demo, orgs):
    mark = Right.objects.get(number="45678901")
    notice = committed(
        takedown.file_notice, actor=demo["xinghe"], notifier=orgs["xinghe"], platform=Platform.objects.get(),
        right_ids=[mark.pk], goods_class=9, statement="标题使用星河商标且搭售平谷大桃，承诺通知内容真实。",
        listings=[{"listing_id": "JG-7003", "title": "星河音箱 送正宗平谷大桃", "seller_name": "某网店"}])
    listing = notice.items.get().listing
    item = Screening.objects.get(origin=f"takedown.listing:{listing.pk}")
    assert item.skip_owner == orgs["xinghe"] and item.status == "done"
    owners = set(Alert.objects.filter(screening=item).values_list("watch_list__owner__name", flat=True))
    assert owners == {"北京市平谷区大桃协会"}  # the GI holder learns of it; 星河 already knows (its own notice)


def test_a_long_title_is_screened_with_its_gi_name_beyond_100_characters(committed, demo):
    title = "夏季新品水果礼盒" * 14 + " 平谷大桃"
    listing, = _register(committed, demo, {"listing_id": "JG-7004", "title": title, "seller_name": "某网店"})
    item = Screening.objects.get(origin=f"takedown.listing:{listing.pk}")
    assert len(item.name) == 100 and item.text == title
    assert Alert.objects.get(screening=item).kind == "gi"


def test_a_bad_image_costs_only_the_image_and_never_the_registration(committed, demo):
    bad, good = _register(committed, demo,
                          {"listing_id": "JG-7005", "title": "猩河 音箱", "seller_name": "甲", "image_bytes": b"GIF89a"},
                          {"listing_id": "JG-7006", "title": "猩河 耳机", "seller_name": "乙", "image_bytes": _png()})
    by_origin = {s.origin: s for s in Screening.objects.filter(source="listing")}
    assert by_origin[f"takedown.listing:{bad.pk}"].image_hashes == []  # resubmitted without the image
    assert len(by_origin[f"takedown.listing:{good.pk}"].image_hashes) == 1


def test_a_fair_exhibit_with_a_gi_name_by_an_unauthorised_exhibitor_alerts_the_gi_holder(committed, demo, orgs):
    booth = Exhibitor.objects.get(fair=Fair.objects.get(), organisation=orgs["fangmao"])
    filing = committed(fairs.file_exhibit, actor=demo["fangmao"], exhibitor=booth, exhibit="平谷大桃 精品礼盒",
                       certificate=SimpleUploadedFile("cert.pdf", PDF), certificate_no="ZL-9")
    item = Screening.objects.get(origin=f"fairs.filing:{filing.pk}")
    assert item.source == "exhibit" and item.party_uscc == orgs["fangmao"].uscc
    assert item.reference == f"{booth.fair.name} 展位 A-101" and item.details["booth"] == "A-101"
    alert = Alert.objects.get(screening=item)
    assert alert.kind == "gi" and alert.watch_list.owner.name == "北京市平谷区大桃协会"


def test_an_exhibit_filed_under_the_owners_own_mark_raises_no_alert(committed, demo, orgs):
    booth = Exhibitor.objects.get(fair=Fair.objects.get(), organisation=orgs["xinghe"])
    filing = committed(fairs.file_exhibit, actor=demo["xinghe"], exhibitor=booth, exhibit="星河 S1 智能音箱",
                       right=Right.objects.get(number="45678901"))
    item = Screening.objects.get(origin=f"fairs.filing:{filing.pk}")
    assert item.skip_owner == orgs["xinghe"] and not Alert.objects.filter(screening=item).exists()


def test_without_monitoring_takedown_and_fairs_work_and_submit_nothing(committed, demo, orgs, monkeypatch):
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "zhibao.monitoring" and real(name))
    before = Screening.objects.count()
    listing, = _register(committed, demo, {"listing_id": "JG-7007", "title": "猩河 音箱", "seller_name": "某网店"})
    booth = Exhibitor.objects.get(fair=Fair.objects.get(), organisation=orgs["fangmao"])
    committed(fairs.file_exhibit, actor=demo["fangmao"], exhibitor=booth, exhibit="平谷大桃 礼盒",
              certificate=SimpleUploadedFile("cert.pdf", PDF), certificate_no="ZL-9")
    assert listing.pk and Screening.objects.count() == before


def test_a_monitoring_failure_after_commit_does_not_break_the_listing(committed, demo, monkeypatch):
    def boom(**kwargs):  # noqa: ANN003, ANN202
        raise RuntimeError("monitoring down")

    monkeypatch.setattr(services, "submit_items", boom)
    listing, = _register(committed, demo, {"listing_id": "JG-7008", "title": "猩河 音箱", "seller_name": "某网店"})
    assert Listing.objects.filter(pk=listing.pk).exists()


def test_internal_origin_and_details_are_validated(demo):
    from zhibao.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        services.submit_items(actor=None, source="listing", items=[
            {"name": "猩河", "origin": "x" * 81, "details": {"nested": {"no": 1}}}])
    assert set(exc.value.errors) == {"items[0].origin", "items[0].details"}


# ---- alert → prefilled notice and complaint ------------------------------------------------------------

@pytest.fixture
def confirmed(committed, demo):  # noqa: ANN001, ANN201
    """A listing alert for 星河, confirmed (deposit made) by 星河."""
    listing, = _register(committed, demo, {"listing_id": "JG-7100", "title": "猩河智能音箱 官方正品",
                                           "url": "https://mall.jinggou.example/item/7100", "seller_name": "某网店"})
    alert = _alert_for(listing)
    return services.confirm_alert(actor=demo["xinghe"], alert=alert).alert


def test_the_notice_form_is_prefilled_from_an_alert_citing_the_deposit(confirmed, client_as):
    r = client_as("xinghe").get(f"/takedown/notices/new/?from_alert={confirmed.pk}")
    assert r.status_code == 200
    initial = r.context["form"].initial
    deposit_no = confirmed.deposit.deposit_no
    assert initial["notifier"] == confirmed.watch_list.owner_id and initial["rights"] == [confirmed.right_id]
    assert initial["platform"] == Platform.objects.get().pk and initial["goods_class"] == 9
    assert initial["listings"] == "JG-7100 | https://mall.jinggou.example/item/7100 | 猩河智能音箱 官方正品 | 某网店"
    assert initial["deposit_nos"] == deposit_no and deposit_no in initial["statement"]
    html = r.content.decode()
    assert 'data-testid="prefill-deposit"' in html and f'value="{deposit_no}"' in html


def test_the_prefilled_notice_can_be_filed_as_is(confirmed, client_as, django_capture_on_commit_callbacks):
    c = client_as("xinghe")
    initial = c.get(f"/takedown/notices/new/?from_alert={confirmed.pk}").context["form"].initial
    data = {**initial, "kind": "standard", "rights": [str(r) for r in initial["rights"]], "capture_url": ""}
    r = c.post(f"/takedown/notices/new/?from_alert={confirmed.pk}", data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    from zhibao.takedown.models import Notice

    notice = Notice.objects.get(pk=r["Location"].rstrip("/").rsplit("/", 1)[1])
    assert list(notice.deposits.values_list("deposit_no", flat=True)) == [confirmed.deposit.deposit_no]


def test_the_complaint_intake_is_prefilled_from_an_alert(confirmed, client_as):
    r = client_as("xinghe").get(f"/cases/new/?from_alert={confirmed.pk}")
    assert r.status_code == 200
    initial = r.context["form"].initial
    assert initial["complainant"] == confirmed.watch_list.owner_id and initial["rights"] == [confirmed.right_id]
    assert initial["respondent_name"] == "某网店" and initial["place_type"] == "online"
    assert initial["respondent_shop_url"] == "https://mall.jinggou.example/item/7100"
    assert initial["deposit_nos"] == confirmed.deposit.deposit_no and "猩河" in initial["title"]
    assert confirmed.deposit.deposit_no in initial["facts"] and "近似度" in initial["facts"]
    assert 'data-testid="prefill-note"' in r.content.decode()


@pytest.mark.parametrize("url", ["/takedown/notices/new/", "/cases/new/"])
def test_only_the_alerts_owner_side_may_prefill_and_bad_ids_are_404(confirmed, client_as, url):
    assert client_as("fangmao").get(f"{url}?from_alert={confirmed.pk}").status_code == 404
    for bad in ("abc", "0", "-3", "99999999999999999999", "²"):
        assert client_as("xinghe").get(f"{url}?from_alert={bad}").status_code == 404


def test_staff_may_read_an_alert_but_not_draft_from_it(confirmed, demo):
    from zhibao.core.errors import Forbidden
    from zhibao.monitoring import selectors

    staff = demo["wangzhifa"]
    assert selectors.get_alert(actor=staff, pk=confirmed.pk) == confirmed
    with pytest.raises(Forbidden):
        selectors.draft_for(actor=staff, alert_id=str(confirmed.pk))


def test_without_monitoring_from_alert_is_ignored(confirmed, client_as, monkeypatch):
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "zhibao.monitoring" and real(name))
    for url in ("/takedown/notices/new/", "/cases/new/"):
        r = client_as("xinghe").get(f"{url}?from_alert={confirmed.pk}")
        assert r.status_code == 200 and 'data-testid="prefill-note"' not in r.content.decode()


def test_the_draft_page_links_to_both_prefilled_forms(confirmed, client_as):
    html = client_as("xinghe").get(f"/monitoring/alerts/{confirmed.pk}/draft/").content.decode()
    assert f"/takedown/notices/new/?from_alert={confirmed.pk}" in html
    assert f"/cases/new/?from_alert={confirmed.pk}" in html
