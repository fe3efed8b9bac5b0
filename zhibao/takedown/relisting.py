"""Relisting detection: fingerprints of removed listings, and the check run on every new or changed listing.

A fingerprint holds three signals: the normalised title (traditional→simplified, case and punctuation folded,
via ``zhibao.similarity.text``), the seller (USCC, else the normalised name) and the main image's pHash
(``zhibao.similarity.images``). A listing is flagged when two of the three match an active fingerprint on the
same platform: infringers change one thing (a new shop, a retouched photo, a reworded title), rarely two.
"""

from __future__ import annotations

import hashlib

from django.db import connection

from zhibao.similarity import images as image_sim
from zhibao.similarity import text as text_sim
from zhibao.similarity.errors import SimilarityInputError
from zhibao.takedown.models import Fingerprint, Listing, NoticeItem, RelistFlag

#: Hamming distance at which two main images count as the same photo (pHash, 64 bits); ≤3 keeps the
#: chunk look-up exact (pigeonhole over four 16-bit chunks).
IMAGE_DISTANCE = 3


def _key(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32] if value else ""


def title_key(title: str) -> str:
    normalised, _ = text_sim.normalise_text(title or "")
    return _key("".join(ch for ch in normalised if ch.isalnum()))


def seller_key(listing: Listing) -> str:
    shop = listing.shop
    if shop.seller_uscc:
        return _key("uscc:" + shop.seller_uscc.upper())
    name, _ = text_sim.normalise_text(shop.seller_name or shop.name or "")
    return _key("name:" + "".join(ch for ch in name if ch.isalnum()))


def image_phash(image_bytes: bytes) -> int | None:
    """pHash of the main image as a signed 64-bit value (fits a BigIntegerField); None if not an image."""
    try:
        value = image_sim.hash_image(image_bytes).phash
    except SimilarityInputError:
        return None
    return value - (1 << 64) if value >= (1 << 63) else value


def _chunks(phash: int) -> tuple[int, int, int, int]:
    unsigned = phash & 0xFFFFFFFFFFFFFFFF
    return tuple((unsigned >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]


def _distance(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def record_fingerprint(item: NoticeItem) -> Fingerprint:
    listing = item.listing
    chunks = _chunks(listing.image_phash) if listing.image_phash is not None else (None,) * 4
    return Fingerprint.objects.create(
        platform_id=listing.platform_id, listing=listing, item=item, title_key=title_key(listing.title),
        seller_key=seller_key(listing), phash=listing.image_phash, ph0=chunks[0], ph1=chunks[1], ph2=chunks[2],
        ph3=chunks[3], decision=f"{item.notice.number}：{item.get_measure_display()}（{item.measured_at:%Y-%m-%d}）",
    )


def matches(listing: Listing) -> list[tuple[Fingerprint, list[str]]]:
    """Active fingerprints of other listings on the platform that share at least two signals with ``listing``."""
    tkey, skey = title_key(listing.title), seller_key(listing)
    # one indexed look-up per signal, united in a single round trip (an OR across columns makes SQLite scan)
    table = Fingerprint._meta.db_table
    parts, params = [f"SELECT id FROM {table} WHERE title_key = %s"], [tkey]
    if listing.image_phash is not None:
        for i, value in enumerate(_chunks(listing.image_phash)):
            parts.append(f"SELECT id FROM {table} WHERE ph{i} = %s")
            params.append(value)
    sql = (f"SELECT id, title_key, seller_key, phash FROM {table} WHERE id IN ({' UNION ALL '.join(parts)}) "
           f"AND platform_id = %s AND active AND listing_id != %s")
    with connection.cursor() as cursor:  # plain rows: building a model per candidate would cost more than the SQL
        cursor.execute(sql, [*params, listing.platform_id, listing.pk or 0])
        rows = cursor.fetchall()
    hits: dict[int, list[str]] = {}
    for pk, fp_title, fp_seller, fp_phash in rows:
        signals = _signals_of(fp_title, fp_seller, fp_phash, tkey, skey, listing.image_phash)
        if len(signals) >= 2:
            hits[pk] = signals
    found = []
    if hits:
        for fp in Fingerprint.objects.filter(pk__in=hits).select_related("listing").order_by("-created_at")[:50]:
            found.append((fp, hits[fp.pk]))
    return found


def flag_many(listings: list[Listing]) -> dict[Listing, list[RelistFlag]]:
    """Batched check (one look-up per signal for the whole batch); new flags by listing."""
    if not listings:
        return {}
    keys = {li.pk: (title_key(li.title), seller_key(li)) for li in listings}
    hashed = [li for li in listings if li.image_phash is not None]
    lookups = [Fingerprint.objects.filter(title_key__in={k[0] for k in keys.values()})]
    for i in range(4):
        values = {_chunks(li.image_phash)[i] for li in hashed}  # type: ignore[arg-type]
        if values:
            lookups.append(Fingerprint.objects.filter(**{f"ph{i}__in": values}))
    ids = (lookups[0].values("pk").union(*(q.values("pk") for q in lookups[1:])) if len(lookups) > 1
           else lookups[0].values("pk"))
    platform_ids = {li.platform_id for li in listings}
    candidates = list(Fingerprint.objects.filter(pk__in=[r["pk"] for r in ids], platform_id__in=platform_ids,
                                                 active=True).select_related("listing").order_by("-created_at"))
    by_key: dict[object, list[Fingerprint]] = {}
    for fp in candidates:
        by_key.setdefault(("t", fp.title_key), []).append(fp)
        if fp.phash is not None:
            for i, value in enumerate(_chunks(fp.phash)):
                by_key.setdefault((i, value), []).append(fp)
    out: dict[Listing, list[RelistFlag]] = {}
    for listing in listings:
        tkey, skey = keys[listing.pk]
        probe: list[object] = [("t", tkey)]
        if listing.image_phash is not None:
            probe += list(enumerate(_chunks(listing.image_phash)))
        seen: set[int] = set()
        for key in probe:
            for fp in by_key.get(key, ()):
                if fp.pk in seen or fp.platform_id != listing.platform_id or fp.listing_id == listing.pk:
                    continue
                seen.add(fp.pk)
                signals = _signals(fp, tkey, skey, listing.image_phash)
                if len(signals) >= 2:
                    flag, created = RelistFlag.objects.get_or_create(listing=listing, fingerprint=fp,
                                                                     defaults={"matched_on": "、".join(signals)})
                    if created:
                        out.setdefault(listing, []).append(flag)
    return out


def _signals(fp: Fingerprint, tkey: str, skey: str, phash: int | None) -> list[str]:
    return _signals_of(fp.title_key, fp.seller_key, fp.phash, tkey, skey, phash)


def _signals_of(fp_title: str, fp_seller: str, fp_phash: int | None, tkey: str, skey: str,
                phash: int | None) -> list[str]:
    signals = []
    if fp_title == tkey:
        signals.append("标题")
    if fp_seller == skey:
        signals.append("经营者")
    if fp_phash is not None and phash is not None and _distance(fp_phash, phash) <= IMAGE_DISTANCE:
        signals.append("主图")
    return signals


def flag_if_relisted(listing: Listing) -> list[RelistFlag]:
    """Create (once) a flag per matching fingerprint; the caller notifies the platform."""
    flags = []
    for fp, signals in matches(listing):
        flag, created = RelistFlag.objects.get_or_create(listing=listing, fingerprint=fp,
                                                         defaults={"matched_on": "、".join(signals)})
        if created:
            flags.append(flag)
    return flags
