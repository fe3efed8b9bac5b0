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
    name = "".join(ch for ch in name if ch.isalnum())
    return _key("name:" + name) if name else ""  # no seller known: no seller signal (not "same as any unknown")


def image_phash(image_bytes: bytes) -> int | None:
    """pHash of the main image as a signed 64-bit value (fits a BigIntegerField); None if not an image."""
    try:
        value = image_sim.hash_image(image_bytes).phash
    except SimilarityInputError:
        return None
    return value - (1 << 64) if value >= (1 << 63) else value


_MASK = 0xFFFFFFFFFFFFFFFF


def _chunks(phash: int) -> tuple[int, int, int, int]:
    unsigned = phash & _MASK
    return tuple((unsigned >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]


def _distance(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()


def record_fingerprint(item: NoticeItem) -> Fingerprint:
    listing = item.listing
    chunks = _chunks(listing.image_phash) if listing.image_phash is not None else (None,) * 4
    return Fingerprint.objects.create(
        platform_id=listing.platform_id, listing=listing, item=item, title_key=title_key(listing.title),
        seller_key=seller_key(listing), phash=listing.image_phash, ph0=chunks[0], ph1=chunks[1], ph2=chunks[2],
        ph3=chunks[3], decision=f"{item.notice.number}：{item.get_measure_display()}（{item.measured_at:%Y-%m-%d}）",
    )


def matches(listing: Listing) -> list[tuple[Fingerprint, list[str]]]:
    """Active fingerprints of other listings on the platform that share at least two signals with ``listing``
    (newest first, at most 50)."""
    return _hits([listing])[0][:50]


def flag_many(listings: list[Listing]) -> dict[Listing, list[RelistFlag]]:
    """Batched check (one look-up round trip for the whole batch); new flags by listing."""
    out: dict[Listing, list[RelistFlag]] = {}
    for listing, hits in zip(listings, _hits(listings), strict=True):
        for fp, signals in hits:
            flag, created = RelistFlag.objects.get_or_create(listing=listing, fingerprint=fp,
                                                             defaults={"matched_on": "、".join(signals)})
            if created:
                out.setdefault(listing, []).append(flag)
    return out


def _hits(listings: list[Listing]) -> list[list[tuple[Fingerprint, list[str]]]]:
    """For each listing, the active fingerprints (newest first) sharing at least two signals with it.

    Two steps, so that a check costs a handful of index reads even at 1,000,000 fingerprints:

    1. candidate ids in one round trip: equal title keys, and the four pHash chunk look-ups. The chunk
       indexes hold ``(chunk, phash)``, so the Hamming distance is checked on the index entries alone and the
       dozens of random fingerprints that share a 16-bit chunk by chance never cost a table read;
    2. the few survivors' keys are read and their signals counted; only real hits become model objects.

    A hit matches on two of three signals, so it shares the title or the image with the listing (or the title
    and the seller): the title and image look-ups find every hit; no seller look-up is needed.
    """
    if not listings:
        return []
    keys = [(title_key(li.title), seller_key(li)) for li in listings]
    by_chunk: list[dict[int, list[int]]] = [{} for _ in range(4)]
    for li in listings:
        if li.image_phash is not None:
            for i, value in enumerate(_chunks(li.image_phash)):
                by_chunk[i].setdefault(value, []).append(li.image_phash)
    ids = _candidate_ids({t for t, _ in keys}, by_chunk)
    if not ids:
        return [[] for _ in listings]
    table, ordered, rows = Fingerprint._meta.db_table, sorted(ids), []
    with connection.cursor() as cursor:  # the candidates' keys only: most share one signal and are dropped
        for start in range(0, len(ordered), 5000):  # a very common title: stay under the bound-parameter limit
            batch = ordered[start:start + 5000]
            cursor.execute(f"SELECT id, platform_id, listing_id, title_key, seller_key, phash FROM {table} "
                           f"WHERE active AND id IN ({', '.join(['%s'] * len(batch))})", batch)
            rows += cursor.fetchall()
    found: list[list[tuple[int, list[str]]]] = []
    for listing, (tkey, skey) in zip(listings, keys, strict=True):
        found.append([(pk, signals) for pk, platform_id, listing_id, fp_title, fp_seller, fp_phash in rows
                      if platform_id == listing.platform_id and listing_id != listing.pk
                      and len(signals := _signals_of(fp_title, fp_seller, fp_phash, tkey, skey,
                                                     listing.image_phash)) >= 2])
    hit_ids = {pk for hits in found for pk, _ in hits}
    if not hit_ids:
        return [[] for _ in listings]
    newest_first = list(Fingerprint.objects.filter(pk__in=hit_ids).select_related("listing")
                        .order_by("-created_at", "-id"))
    out = []
    for hits in found:
        signals_of = dict(hits)
        out.append([(fp, signals_of[fp.pk]) for fp in newest_first if fp.pk in signals_of])
    return out


def _candidate_ids(title_keys: set[str], by_chunk: list[dict[int, list[int]]]) -> set[int]:
    """Fingerprints with one of the title keys, or a pHash within ``IMAGE_DISTANCE`` of a probe sharing a chunk."""
    table = Fingerprint._meta.db_table
    title_keys.discard("")
    parts, params = [], []
    if title_keys:
        parts.append(f"SELECT id, NULL, -1 FROM {table} WHERE title_key IN ({', '.join(['%s'] * len(title_keys))})")
        params += sorted(title_keys)
    for i, values in enumerate(by_chunk):
        if values:
            parts.append(f"SELECT id, phash, {i} FROM {table} WHERE ph{i} IN ({', '.join(['%s'] * len(values))})")
            params += list(values)
    if not parts:
        return set()
    with connection.cursor() as cursor:  # plain tuples: a model per chance chunk collision would cost more
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    ids = set()
    for pk, phash, chunk in rows:
        if chunk < 0 or any(_distance(phash, probe) <= IMAGE_DISTANCE
                            for probe in by_chunk[chunk][((phash & _MASK) >> (16 * chunk)) & 0xFFFF]):
            ids.add(pk)
    return ids


def _signals_of(fp_title: str, fp_seller: str, fp_phash: int | None, tkey: str, skey: str,
                phash: int | None) -> list[str]:
    signals = []
    if tkey and fp_title == tkey:
        signals.append("标题")
    if skey and fp_seller == skey:
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
