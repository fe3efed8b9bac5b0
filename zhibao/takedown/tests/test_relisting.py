"""Relisting check internals: two of three signals, exact pHash distance behind the chunk look-up, unknown
sellers, lifted measures and other platforms ignored, very common titles (the bench times it at 1M rows)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhibao.orgs.models import Organisation
from zhibao.takedown import relisting
from zhibao.takedown.models import Fingerprint, Listing, NoticeItem, Platform, Shop

BASE = 0x0123_4567_89AB_CDEF


def _signed(value: int) -> int:
    value &= relisting._MASK
    return value - (1 << 64) if value >= (1 << 63) else value


@pytest.fixture
def world(demo):  # noqa: ANN001, ANN201
    item = NoticeItem.objects.select_related("listing", "platform").first()
    return {"item": item, "platform": item.platform,
            "shop": Shop.objects.create(platform=item.platform, shop_id="rl", seller_uscc="91110000RELIST0001")}


def _fp(world, *, title: str = "", shop: Shop | None = None, phash: int | None = None, **extra) -> Fingerprint:  # noqa: ANN001, ANN003
    probe = Listing(platform=world["platform"], shop=shop or world["shop"], listing_id="x", title=title)
    chunks = relisting._chunks(phash) if phash is not None else (None,) * 4
    return Fingerprint.objects.create(
        platform=extra.pop("platform", world["platform"]), listing=world["item"].listing, item=world["item"],
        title_key=relisting.title_key(title) if title else "", seller_key=relisting.seller_key(probe),
        phash=phash, ph0=chunks[0], ph1=chunks[1], ph2=chunks[2], ph3=chunks[3], decision="T-1：删除", **extra)


def _probe(world, title: str, *, shop: Shop | None = None, phash: int | None = None) -> Listing:  # noqa: ANN001
    return Listing(platform=world["platform"], shop=shop or world["shop"], listing_id="new", title=title,
                   image_phash=phash)


def test_two_of_three_signals_flag_and_one_does_not(world):  # noqa: ANN001
    other = Shop.objects.create(platform=world["platform"], shop_id="rl2", seller_uscc="91110000RELIST0002")
    fp = _fp(world, title="星河 智能音箱 S1", phash=_signed(BASE))
    near = _signed(BASE ^ 0b101)  # distance 2
    assert relisting.matches(_probe(world, "星河智能音箱s1")) == [(fp, ["标题", "经营者"])]
    assert relisting.matches(_probe(world, "另一个标题", phash=near)) == [(fp, ["经营者", "主图"])]
    assert relisting.matches(_probe(world, "星河 智能音箱 S1", shop=other, phash=near)) == [(fp, ["标题", "主图"])]
    assert relisting.matches(_probe(world, "星河 智能音箱 S1", shop=other)) == []  # title only
    assert relisting.matches(_probe(world, "另一个标题", shop=other, phash=near)) == []  # image only
    assert relisting.matches(_probe(world, "另一个标题")) == []  # seller only


def test_image_match_is_exact_hamming_distance_behind_the_chunk_lookup(world):  # noqa: ANN001
    within = _fp(world, title="甲", phash=_signed(BASE ^ (1 << 17) ^ (1 << 35) ^ (1 << 60)))  # 3 bits, 3 chunks
    collision = _fp(world, title="乙", phash=_signed(BASE ^ (0xFF << 20)))  # same chunk 0, distance 8
    hits = relisting.matches(_probe(world, "丙", phash=_signed(BASE)))
    assert [fp for fp, _ in hits] == [within] and collision.pk not in relisting._candidate_ids(
        set(), [{c: [_signed(BASE)]} for c in relisting._chunks(_signed(BASE))])


def test_an_unknown_seller_is_no_seller_signal(world):  # noqa: ANN001
    anonymous = Shop.objects.create(platform=world["platform"], shop_id="anon")
    assert relisting.seller_key(_probe(world, "x", shop=anonymous)) == ""
    _fp(world, title="无名商品", shop=anonymous)
    other_anonymous = Shop.objects.create(platform=world["platform"], shop_id="anon2")
    assert relisting.matches(_probe(world, "完全不同", shop=other_anonymous)) == []
    assert relisting.matches(_probe(world, "无名商品", shop=other_anonymous)) == []


def test_lifted_measures_other_platforms_and_the_listing_itself_are_ignored(world):  # noqa: ANN001
    org = Organisation.objects.create(name="另一平台公司", uscc="91110000OTHERPL001")
    elsewhere = Platform.objects.create(organisation=org, name="另一平台")
    _fp(world, title="星河音箱", platform=elsewhere)
    _fp(world, title="星河音箱", active=False)
    assert relisting.matches(_probe(world, "星河音箱")) == []
    own = _fp(world, title="星河音箱")
    itself = _probe(world, "星河音箱")
    itself.pk = own.listing_id
    assert relisting.matches(itself) == []


def test_flag_many_flags_each_listing_once_in_a_batch(world):  # noqa: ANN001
    fp = _fp(world, title="批量 商品", phash=_signed(BASE))
    shop = world["shop"]
    listings = Listing.objects.bulk_create([
        Listing(platform=world["platform"], shop=shop, listing_id=f"FM-{i}", title=t, image_phash=h)
        for i, (t, h) in enumerate([("批量商品", None), ("无关", _signed(BASE ^ 1)), ("无关", _signed(~BASE))])])
    flags = relisting.flag_many(listings)
    assert {li.listing_id: [f.matched_on for f in found] for li, found in flags.items()} == {
        "FM-0": ["标题、经营者"], "FM-1": ["经营者、主图"]}
    assert all(f.fingerprint == fp for found in flags.values() for f in found)
    assert relisting.flag_many(listings) == {}  # already flagged: nothing new
    assert relisting.flag_many([]) == {}


def test_a_very_common_title_returns_the_newest_fifty(world):  # noqa: ANN001
    probe = Listing(platform=world["platform"], shop=world["shop"], listing_id="x", title="手机壳")
    now = timezone.now()
    Fingerprint.objects.bulk_create([
        Fingerprint(platform=world["platform"], listing=world["item"].listing, item=world["item"],
                    title_key=relisting.title_key("手机壳"), seller_key=relisting.seller_key(probe),
                    decision=f"T-{i}", created_at=now - dt.timedelta(minutes=i)) for i in range(5200)])
    hits = relisting.matches(probe)
    assert len(hits) == 50 and [fp.decision for fp, _ in hits[:2]] == ["T-0", "T-1"]
