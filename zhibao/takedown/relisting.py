"""Relisting detection: fingerprints of removed listings, and the check run on every new or changed listing.

A fingerprint holds three signals: the normalised title (traditional→simplified, case and punctuation folded,
via ``zhibao.similarity.text``), the seller (USCC, else the normalised name) and the main image's pHash
(``zhibao.similarity.images``). A listing is flagged when two of the three match an active fingerprint on the
same platform: infringers change one thing (a new shop, a retouched photo, a reworded title), rarely two.
"""

from __future__ import annotations

import hashlib

from django.db.models import Q

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
    where = Q(title_key=tkey)
    if listing.image_phash is not None:
        c = _chunks(listing.image_phash)
        where |= Q(ph0=c[0]) | Q(ph1=c[1]) | Q(ph2=c[2]) | Q(ph3=c[3])
    found = []
    candidates = (Fingerprint.objects.filter(where, platform_id=listing.platform_id, active=True)
                  .exclude(listing_id=listing.pk).order_by("-created_at")[:50])
    for fp in candidates:
        signals = []
        if fp.title_key == tkey:
            signals.append("标题")
        if fp.seller_key == skey:
            signals.append("经营者")
        if fp.phash is not None and listing.image_phash is not None and \
                _distance(fp.phash, listing.image_phash) <= IMAGE_DISTANCE:
            signals.append("主图")
        if len(signals) >= 2:
            found.append((fp, signals))
    return found


def flag_if_relisted(listing: Listing) -> list[RelistFlag]:
    """Create (once) a flag per matching fingerprint; the caller notifies the platform."""
    flags = []
    for fp, signals in matches(listing):
        flag, created = RelistFlag.objects.get_or_create(listing=listing, fingerprint=fp,
                                                         defaults={"matched_on": "、".join(signals)})
        if created:
            flags.append(flag)
    return flags
