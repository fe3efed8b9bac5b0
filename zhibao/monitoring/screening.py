"""The matching rules behind a screening: which watched right an incoming item resembles, and why.

Why here and not in ``zhibao.similarity``: the library judges two names or texts; whether that is an
*alert* depends on the register (Nice classes and their related classes, the owner, a GI's authorised
users, the opposition clock), which only the app knows. Every hit carries its reasons in Chinese and,
for trademark applications, the opposition deadline with the rule it was computed by.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from zhibao.law import periods
from zhibao.rights.models import Right, RightType
from zhibao.similarity import SimilarityInputError
from zhibao.similarity import text as simtext
from zhibao.similarity.images import (
    PDQ_MIN_QUALITY,
    ImageIndex,
    ImageMatch,
    hamming256,
    load_image,
    pdq_dihedral,
)
from zhibao.similarity.markrules import features
from zhibao.similarity.marks import MarkIndex, compare
from zhibao.similarity.normalize import validate_name

OPPOSITION_RULE = "trademark_opposition"
TEXT_MIN_SCORE = 0.3  # below this share of copied text, a page is not a lead against a work


@dataclass
class Hit:
    right: Right
    kind: str
    score: Decimal
    reasons: list[str]
    deadline: dt.date | None = None
    deadline_rule: str = ""
    extra: dict = field(default_factory=dict)


@cache
def related_classes() -> dict[int, set[int]]:
    """Class → the classes whose goods/services are commonly similar to it (both directions)."""
    data = json.loads((Path(__file__).parent / "data" / "related_classes.json").read_text(encoding="utf-8"))
    related: dict[int, set[int]] = {}
    for a, b in data["pairs"]:
        related.setdefault(a, set()).add(b)
        related.setdefault(b, set()).add(a)
    return related


def class_overlap(item_classes: list[int], right_classes: list[int]) -> tuple[bool, str]:
    """Same class, related class, or none; an item without classes (a listing, a page) is not filtered."""
    if not item_classes or not right_classes:
        return True, ""
    same = sorted(set(item_classes) & set(right_classes))
    if same:
        return True, f"同一类别：第 {'、'.join(map(str, same))} 类"
    rel = related_classes()
    pairs = sorted({(a, b) for a in item_classes for b in right_classes if b in rel.get(a, set())})
    if pairs:
        return True, "类似类别：" + "、".join(f"第 {a} 类/第 {b} 类" for a, b in pairs)
    return False, ""


def opposition_deadline(announced_on: dt.date) -> tuple[dt.date, str]:
    d = periods.deadline_for(OPPOSITION_RULE, announced_on, provisional=True)
    note = f"{d.title}（{d.source}）"
    if d.provisional:
        years = "、".join(map(str, d.provisional_years))
        note += f"；暂定：{years} 年放假安排未发布，按法定假日推算，发布后须重算"
    return d.deadline, note[:300]


def _mark_hit(item, right: Right) -> Hit | None:  # noqa: ANN001 - a Screening
    ok, class_reason = class_overlap(item.nice_classes or [], right.nice_classes or [])
    if not ok:
        return None
    # the watched mark is the earlier right; a listing's or exhibit's name is a title describing goods
    result = compare(item.name[:100], right.title, earlier="b", in_title=item.source != "application")
    if not result.similar and result.score < 0.3:
        return None
    reasons = [*result.reasons, *([class_reason] if class_reason else [])]
    hit = Hit(right, "trademark" if item.source == "application" else "listing",
              Decimal(str(round(result.score, 3))), reasons)
    if item.source == "application" and item.announced_on:
        hit.deadline, hit.deadline_rule = opposition_deadline(item.announced_on)
    return hit


def _gi_hit(item, right: Right, authorised_usccs: set[str]) -> Hit | None:  # noqa: ANN001
    # the GI's name (平谷大桃), not the bare product word (大桃), which anyone may use descriptively
    name = right.title.strip()
    if not name or name not in f"{item.name}\n{item.text}":
        return None
    if item.party_uscc and (item.party_uscc in authorised_usccs or item.party_uscc == right.owner.uscc):
        return None
    if item.party.strip() and item.party.strip() in (authorised_usccs | {right.owner.name}):
        return None
    who = item.party or "（未提供卖家）"
    return Hit(right, "gi", Decimal("1.000"),
               [f"使用地理标志名称：{name}", f"使用者不在核准使用人名单中：{who}"])


def _text_hit(item, right: Right, work_text: str) -> Hit | None:  # noqa: ANN001
    if not item.text or not work_text:
        return None
    passages = simtext.overlapping_passages(item.text, work_text)
    covered = sum(end - start for (start, end), _, _ in passages)
    # share of the shorter text found in the other: a page copying one chapter of a novel still scores high
    score = min(1.0, covered / max(1, min(len(item.text), len(work_text))))
    if score < TEXT_MIN_SCORE:
        return None
    reasons = [f"文本重合比例：{score:.0%}（{len(passages)} 段）"]
    reasons += [f"重合段落：{p[2][:60]}" for p in passages[:3]]
    return Hit(right, "listing", Decimal(str(round(score, 3))), reasons)


def work_text(right: Right) -> str:
    """The text of a registered work, when its file is text; binary works are matched by image hashes only."""
    if not right.work_file:
        return ""
    try:
        with right.work_file.open("rb") as fh:
            raw = fh.read(2_000_000)
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return ""


def image_of(right: Right) -> bytes:
    """The watched image: a trademark's specimen, or a work file that is an image; b"" when none."""
    field = right.mark_image if right.right_type == RightType.TRADEMARK else right.work_file
    if not field:
        return b""
    try:
        with field.open("rb") as fh:
            head = fh.read(8)
            if not (head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[:4] == b"RIFF"):
                return b""
            return head + fh.read(32_000_000)
    except (OSError, ValueError):
        return b""


IMAGE_MAX_DISTANCE = 10  # of 64 pHash bits; the library's crop/mirror tests pass at this radius
PDQ_MAX_DISTANCE = 31  # of 256 PDQ bits: the match threshold PDQ's authors recommend


@dataclass(frozen=True)
class ImageEvidence:
    """An item's images against one watched image: the best pHash match (crops, mirror images) and the best
    PDQ match over the watched image's eight rotations/mirror images (re-encoding, resizing, rotation)."""

    phash: ImageMatch | None = None
    pdq_distance: int | None = None
    pdq_variant: int = 0


def _image_hit(right: Right, match: ImageEvidence) -> Hit:
    scores, reasons = [], []
    if match.phash is not None:
        x0, y0, x1, y1 = match.phash.region
        scores.append(1 - match.phash.distance / 64)
        reasons += [f"图像近似：pHash 汉明距离 {match.phash.distance}/64", f"匹配区域：({x0},{y0})–({x1},{y1})"]
        if match.phash.mirrored:
            reasons.append("镜像翻转后近似")
    if match.pdq_distance is not None:
        scores.append(1 - match.pdq_distance / 256)
        reasons.append(f"图像近似：PDQ 汉明距离 {match.pdq_distance}/256")
        if match.pdq_variant:
            reasons.append("旋转后近似（PDQ）" if match.pdq_variant < 4 else "翻转（镜像）后近似（PDQ）")
    return Hit(right, "listing", Decimal(str(round(max(scores), 3))), reasons)


def hits_for(item, right: Right, *, authorised_usccs: set[str], text_of_work: str = "",  # noqa: ANN001
             image_hit: ImageEvidence | None = None) -> Hit | None:
    """The hit of one screened item against one watched right, or None (the strongest of its signals)."""
    if item.party_uscc and item.party_uscc == right.owner.uscc:
        return None  # the owner's own application or listing
    hit = _hit(item, right, authorised_usccs, text_of_work)
    if image_hit is not None:
        img = _image_hit(right, image_hit)
        if hit is None or img.score > hit.score:
            return img
    return hit


def _hit(item, right: Right, authorised_usccs: set[str], text_of_work: str) -> Hit | None:  # noqa: ANN001
    if right.right_type == RightType.TRADEMARK:
        return _mark_hit(item, right)
    if right.right_type == RightType.GI:
        return _gi_hit(item, right, authorised_usccs)
    if right.right_type == RightType.COPYRIGHT:
        return _text_hit(item, right, text_of_work)
    return None


Target = tuple  # (watch list, right, authorised GI users' USCCs, text of the work)


class Targets:
    """Every watched right of the active watch lists, with a ``MarkIndex`` over the watched marks.

    Why an index here too: with thousands of right holders watching their marks, comparing each new
    application with every watched mark is the slow path (see bench/bench_monitoring.py). Marks go
    through the library's candidate generation (pinyin, shape and n-gram keys) and only candidates
    are scored; GIs and works (few, and matched by substring or text) are checked one by one.
    """

    def __init__(self, rows: list[Target], *, brute_force: bool = False) -> None:
        self.others: list[Target] = []
        self.by_title: dict[str, list[Target]] = {}
        for row in rows:
            right = row[1]
            title = right.title.strip()
            ok = right.right_type == RightType.TRADEMARK and not brute_force
            if ok:
                try:
                    validate_name(title)
                except SimilarityInputError:
                    ok = False
            if ok:
                self.by_title.setdefault(title, []).append(row)
            else:
                self.others.append(row)
        self.titles = list(self.by_title)
        self.index = MarkIndex.from_names(self.titles) if self.titles else None
        self.images = ImageIndex()
        self.image_rows: dict[str, Target] = {}
        self.pdq: dict[str, list[int]] = {}  # right → PDQ of its image's eight rotations/mirror images
        for row in rows:
            data = image_of(row[1])
            if data:
                key = str(row[1].pk)
                try:
                    self.images.add(key, data)
                    variants = pdq_dihedral(load_image(data))
                except SimilarityInputError:
                    continue  # a corrupt specimen is not matchable; the name still is
                self.image_rows[key] = row
                if variants is not None and variants[1] >= PDQ_MIN_QUALITY:
                    self.pdq[key] = variants[0]
        self._image_matches: dict[int, dict[str, ImageMatch]] = {}

    def _pdq_best(self, item, key: str) -> tuple[int, int] | None:  # noqa: ANN001
        """(distance, variant) of the item's closest PDQ to the right's image variants, within the threshold."""
        best: tuple[int, int] | None = None
        for hashes in item.image_hashes:
            if len(hashes) < 3 or not hashes[2] or key not in self.pdq:
                continue  # submitted before PDQ, or too flat an image to hash
            h = int(hashes[2], 16)
            for n, v in enumerate(self.pdq[key]):
                d = hamming256(h, v)
                if d <= PDQ_MAX_DISTANCE and (best is None or d < best[0]):
                    best = (d, n)
        return best

    def image_hit(self, item, right: Right) -> ImageEvidence | None:  # noqa: ANN001
        """The best image match of the item's images against this right's image (pHash and PDQ), or None."""
        key = str(right.pk)
        if not item.image_hashes or key not in self.image_rows:
            return None
        if id(item) not in self._image_matches:
            best: dict[str, ImageMatch] = {}
            for hashes in item.image_hashes:
                plain, mirrored = hashes[:2]
                for h, is_mirror in ((int(plain, 16), False), (int(mirrored, 16), True)):
                    for m in self.images.search_hash(h, IMAGE_MAX_DISTANCE, is_mirror):
                        cur = best.get(m.item_id)
                        if cur is None or m.distance < cur.distance:
                            best[m.item_id] = m
            self._image_matches = {id(item): best}
        phash = self._image_matches[id(item)].get(key)
        pdq = self._pdq_best(item, key)
        if phash is None and pdq is None:
            return None
        return ImageEvidence(phash, *(pdq or (None, 0)))

    def __len__(self) -> int:
        return len(self.others) + sum(len(v) for v in self.by_title.values())

    def for_item(self, item) -> list[Target]:  # noqa: ANN001 - a Screening
        """The watched rights worth checking exactly for this item."""
        rows = list(self.others)
        if item.image_hashes:
            rows.extend(r for r in self.image_rows.values() if r not in rows)
        if self.index is not None:
            try:
                f = features(item.name[:100])
            except SimilarityInputError:
                return rows
            for i in self.index.candidates(f):
                rows.extend(self.by_title[self.titles[i]])
        return rows
