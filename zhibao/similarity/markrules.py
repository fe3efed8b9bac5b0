"""Comparing two word marks the way a Chinese examiner does (《商标审查审理指南》2021, 下编第五章).

Why rules and not one edit distance: examiners reason in named grounds — same or near sound, similar
glyphs, traditional forms, pinyin spellings, another's mark plus a generic word, reordered
characters, one character changed in a longer mark — and they name exceptions (a shared generic word
alone; a clearly different established meaning; a different first character). Each rule here gives a
score and a Chinese reason a user can check; the comparison keeps the strongest. ``similar`` means
score ≥ :data:`THRESHOLD`; the labelled pairs in ``data/labelled_pairs.csv`` keep the rules honest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.normalize import Normalised, data_lines, is_cjk, normalise, normalise_uncached
from zhibao.similarity.phonetic import (
    char_readings,
    coarse,
    coarse_joined,
    joined,
    pinyin_of_cjk,
    reading_combos,
)
from zhibao.similarity.shapes import shape_similar

THRESHOLD = 0.7


@dataclass(frozen=True, slots=True)
class Comparison:
    """The verdict on two marks: ``score`` in [0, 1], ``similar`` (score ≥ THRESHOLD), reasons in Chinese."""

    score: float
    similar: bool
    reasons: list[str]


class Features(NamedTuple):
    """What the rules look at, computed once per mark (a NamedTuple: cheap to build a million times)."""

    norm: Normalised
    core: tuple[str, ...]
    annotation: str  # a Latin run that only spells the CJK part in pinyin (注音), dropped from core
    readings: tuple[tuple[str, ...], ...]
    joined: frozenset[str]
    coarse: frozenset[str]

    @property
    def core_text(self) -> str:
        return "".join(self.core)

    @property
    def cjk_only(self) -> bool:
        return all(is_cjk(t) for t in self.core)

    @property
    def latin_only(self) -> bool:
        return not any(is_cjk(t) for t in self.core)


def features_of(norm: Normalised) -> Features:
    core = norm.core
    annotation = ""
    if not norm.text.isascii() and not norm.text.isalnum() or any(not is_cjk(t) for t in core):
        latin = [t for t in core if not is_cjk(t)]
        if latin and len(latin) < len(core) and "".join(latin) in pinyin_of_cjk(core):
            annotation = " ".join(latin)
            core = tuple(t for t in core if is_cjk(t))
    readings = tuple(reading_combos(core))
    if len(readings) == 1:
        only = readings[0]
        return Features(norm, core, annotation, readings, frozenset(("".join(only),)),
                        frozenset((coarse_joined(only),)))
    return Features(norm=norm, core=core, annotation=annotation, readings=readings,
                    joined=frozenset(joined(r) for r in readings),
                    coarse=frozenset(coarse_joined(r) for r in readings))


def features_uncached(name: object) -> Features:
    return features_of(normalise_uncached(name))


@lru_cache(maxsize=8192)
def features(name: str) -> Features:
    return features_of(normalise(name))


@cache
def _distinct() -> dict[frozenset[str], str]:
    out: dict[frozenset[str], str] = {}
    for line in data_lines("distinct_meanings.tsv"):
        a, b, why = (line.split("\t") + ["", ""])[:3]
        out[frozenset((a, b))] = why
    return out


@cache
def foreign_table() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in data_lines("foreign_marks.tsv"):
        latin, _, names = line.partition("\t")
        out[latin.strip()] = tuple(n for n in names.strip().split("|") if n)
    return out


def _overlap(a: str, b: str) -> float:
    """Share of characters in common (as multisets) relative to the longer mark."""
    common = sum((Counter(a) & Counter(b)).values())
    return common / max(len(a), len(b), 1)


def _matching_reading(fa: Features, fb: Features, key: Callable[[tuple[str, ...]], str]) -> tuple[str, str]:
    """The first pair of readings (one per mark) whose keys agree, spaced for display."""
    for ra in fa.readings:
        ka = key(ra)
        for rb in fb.readings:
            if key(rb) == ka:
                return " ".join(ra), " ".join(rb)
    return "", ""


def _contains_reading(short: Features, long: Features, short_is_earlier: bool = False, in_title: bool = False) -> str:
    """The shorter mark's reading if it occurs, syllable-aligned, inside the longer one's ('' if not).

    Why the conditions: the sound ground is 读音相同或者近似，*且*字形或者整体外观近似, and a longer
    mark is judged as a whole. The matching part must look like the shorter mark (each character the
    same or a look-alike) — unless the shorter mark is the earlier one and the later sign is a product
    title or shop name (``in_title``), whose other words describe the goods: then it uses the earlier
    mark by sound plus such words (猩河智能音箱 官方正品 against the earlier 星河: R3 with R6, "在他人在先
    商标中加上…特点的文字"). For two marks, generic and descriptive words are already stripped from the
    edges (normalize), so 猩河智能 against 星河 is a whole-mark homophone; a mark that only sounds like
    part of another, with distinctive characters around it, is judged as a whole and is not similar:
    the random application 缄艇旗舰店 against the earlier 健艇翻恕 and 硕煎艇, or 娃骚狠匙 against 羡石.
    """
    if not short.readings or len(short.readings[0]) < 2:
        return ""
    glyphs = short.cjk_only and long.cjk_only
    s, longer = short.core_text, long.core_text
    for rs in short.readings:
        n = len(rs)
        for rl in long.readings:
            for i in range(len(rl) - n + 1 if len(rl) > n else 0):
                if rl[i:i + n] != rs:
                    continue
                if not glyphs or all(x == y or shape_similar(x, y) for x, y in zip(s, longer[i:i + n], strict=True)):
                    return " ".join(rs)
                if short_is_earlier and in_title:
                    return " ".join(rs)
    return ""


def _positional(a: str, b: str) -> list[tuple[int, str, str, str]]:
    """Differing positions of two equal-length CJK strings, each classed shape, sound, near or other."""
    out = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y:
            continue
        rx, ry = set(char_readings(x)), set(char_readings(y))
        if shape_similar(x, y):
            kind = "shape"
        elif rx & ry:
            kind = "sound"
        elif {coarse(s) for s in rx} & {coarse(s) for s in ry}:
            kind = "near"
        else:
            kind = "other"
        out.append((i, x, y, kind))
    return out


def _rules(fa: Features, fb: Features, earlier: Features | None = None, in_title: bool = False
           ) -> list[tuple[float, str]]:
    """Every rule that fires, as (score, reason); the caller keeps the best."""
    found: list[tuple[float, str]] = []
    a, b = fa.core_text, fb.core_text
    short, long = (fa, fb) if len(a) <= len(b) else (fb, fa)
    s, longer = short.core_text, long.core_text
    overlap = _overlap(a, b)

    if a == b:  # the same distinctive part; only generic words or a pinyin annotation differ
        added = sorted(set(fa.norm.generics) ^ set(fb.norm.generics))
        score = max(0.9, 0.96 - 0.01 * len(added))
        found.append((score, f"含有在先商标: {s}"))
        if added:
            found.append((score, f"添加通用词: {'、'.join(added)}"))
        found.extend((score, f"注音: {f.annotation.upper()}") for f in (fa, fb) if f.annotation)
        return found

    # literal containment: another's mark plus more words
    if (len(s) >= 2 and short.cjk_only or len(s) >= 3 and short.latin_only) and s in longer:
        found.append((min(0.95, 0.84 + 0.1 * len(s) / len(longer)), f"含有在先商标: {s}"))
    elif len(s) == 1 and s in longer:
        found.append((0.5, f"含有相同单字: {s}"))

    # same sound (homophones, polyphonic readings, pinyin spellings)
    if fa.joined & fb.joined:
        ra, rb = _matching_reading(fa, fb, joined)
        if fa.latin_only != fb.latin_only:
            latin, cjk = (fa, fb) if fa.latin_only else (fb, fa)
            found.append((0.88, f"拼音对应: {latin.norm.raw.upper()}/{cjk.norm.raw} ({' '.join(cjk.readings[0])})"))
        else:
            syllables = min(len(fa.readings[0]), len(fb.readings[0]))
            base = 0.86 if syllables >= 2 else 0.72
            found.append((base + 0.08 * overlap, f"同音: {ra}" if ra.replace(" ", "") == rb.replace(" ", "")
                          else f"同音: {ra} / {rb}"))
    elif fa.coarse & fb.coarse:
        ra, rb = _matching_reading(fa, fb, coarse_joined)
        syllables = min(len(fa.readings[0]), len(fb.readings[0]))
        found.append(((0.8 if syllables >= 2 else 0.66) + 0.06 * overlap, f"近音: {ra} / {rb}"))
    else:
        part = _contains_reading(short, long, short_is_earlier=earlier is short, in_title=in_title)
        if part and len(s) >= 2 and s not in longer:
            found.append((0.78, f"含有读音相同部分: {part}"))

    # glyphs: same length, every difference a look-alike (or sound-alike) character
    if fa.cjk_only and fb.cjk_only and len(a) == len(b):
        diffs = _positional(a, b)
        kinds = Counter(d[3] for d in diffs)
        pairs = "、".join(f"{x}/{y}" for _, x, y, k in diffs if k == "shape")
        if kinds["other"] == 0 and kinds["shape"]:
            label = "形近字" if kinds["shape"] == len(diffs) else "音形近似"
            found.append((0.84 + 0.08 * overlap, f"{label}: {pairs}"))
        elif kinds["other"] == 1 and len(a) >= 3 and len(diffs) <= max(1, len(a) // 2):
            i, x, y, _ = next(d for d in diffs if d[3] == "other")
            if i == 0:
                found.append((0.55, f"首字不同: {x}/{y}"))
            else:
                found.append((0.74 + 0.06 * overlap, f"仅一字之差: {a}/{b}"))

    # reordered characters or words
    if fa.cjk_only and fb.cjk_only and len(a) >= 2 and sorted(a) == sorted(b):
        found.append((0.8, f"字序颠倒: {a}/{b}"))
    elif fa.latin_only and fb.latin_only and len(fa.core) > 1 and sorted(fa.core) == sorted(fb.core):
        found.append((0.8, f"单词顺序不同: {fa.norm.raw}/{fb.norm.raw}"))

    # Latin letters: one letter changed in a longer word
    if fa.latin_only and fb.latin_only and min(len(a), len(b)) >= 4:
        distance = Levenshtein.distance(a, b)
        if distance == 1 and a[0] == b[0] or distance <= 2 and min(len(a), len(b)) >= 8:
            found.append((0.76, f"字母构成近似: {fa.norm.raw}/{fb.norm.raw}"))

    # a Latin mark and its established Chinese name (New Balance/新百伦)
    for latin, other in ((fa, fb), (fb, fa)):
        if latin.latin_only and not other.latin_only:
            names = foreign_table().get(latin.core_text) or foreign_table().get(latin.norm.text, ())
            hit = next((n for n in names if n == other.core_text or n in other.norm.text), None)
            if hit:
                found.append((0.86, f"外文对应: {latin.norm.raw}/{hit}"))
    return found


def _fallback(fa: Features, fb: Features) -> float:
    """Overall likeness when no rule fires, scaled to stay below the threshold (ranking only)."""
    chars = ratio(fa.core_text, fb.core_text) / 100
    sound = max((ratio(joined(x), joined(y)) / 100 for x in fa.readings[:4] for y in fb.readings[:4]), default=0.0)
    return round(0.6 * max(chars, sound), 4)


def compare_features(fa: Features, fb: Features, earlier: str | None = None, in_title: bool = False) -> Comparison:
    """:func:`compare` on already computed features (the index reuses them)."""
    na, nb = fa.norm, fb.norm
    if na.raw == nb.raw:
        return Comparison(1.0, True, ["完全相同"])
    if na.text == nb.text:
        reasons = []
        if na.traditional or nb.traditional:
            reasons.append(f"繁简体: {na.raw}/{nb.raw}")
        if na.folded != na.raw or nb.folded != nb.raw:
            reasons.append(f"全半角/大小写: {na.raw}/{nb.raw}")
        return Comparison(0.98, True, reasons or [f"仅标点或空格不同: {na.raw}/{nb.raw}"])
    why = _distinct().get(frozenset((fa.core_text, fb.core_text))) or _distinct().get(frozenset((na.text, nb.text)))
    if why:
        return Comparison(0.3, False, [f"含义明显不同: {fa.core_text}/{fb.core_text}（{why}）"])
    if na.all_generic or nb.all_generic:
        generic = fa if na.all_generic else fb
        other = fb if generic is fa else fa
        word = generic.core_text
        reason = f"仅共有通用词: {word}" if word in other.norm.text else f"通用词不具显著性: {word}"
        return Comparison(min(0.45, _fallback(fa, fb)), False, [reason])

    found = _rules(fa, fb, {"a": fa, "b": fb}.get(earlier or ""), in_title)
    strong = sorted((f for f in found if f[0] >= THRESHOLD), key=lambda f: -f[0])
    if strong:
        # independent grounds (sound and shape, say) strengthen each other; reasons of one ground do not
        grounds = {r.split(":")[0] for _, r in strong} - {"添加通用词", "注音"}
        score = min(0.97, strong[0][0] + 0.02 * (len(grounds) - 1))
        reasons = list(dict.fromkeys(r for _, r in strong))
        if na.traditional or nb.traditional:
            reasons.append(f"繁简体: {na.raw}/{nb.raw}")
        return Comparison(round(score, 4), True, reasons)
    weak = sorted(found, key=lambda f: -f[0])
    score = max([_fallback(fa, fb)] + [w[0] for w in weak])
    reasons = [r for _, r in weak]
    shared = sorted(set(na.generics) & set(nb.generics))
    if shared:
        reasons.append(f"仅共有通用词: {'、'.join(shared)}")
    return Comparison(round(min(score, THRESHOLD - 0.01), 4), False, reasons or ["字形、读音、含义均不近似"])


def compare(a: str, b: str, *, earlier: str | None = None, in_title: bool = False) -> Comparison:
    """Compare two word marks; raises :class:`~zhibao.similarity.errors.SimilarityInputError` on bad input.

    ``earlier`` ("a" or "b") names the earlier, protected mark when the caller knows it (monitoring:
    the watched mark). Only one ground depends on it: a later sign that sounds like the whole earlier
    mark plus descriptive words (see ``_contains_reading``); ``in_title`` says the later one is a
    product title or shop name rather than a mark. Without ``earlier`` the comparison is symmetric.
    """
    if earlier not in (None, "a", "b"):
        raise SimilarityInputError('earlier 只能是 "a"、"b" 或省略')
    return compare_features(features(a) if isinstance(a, str) else features_uncached(a),
                            features(b) if isinstance(b, str) else features_uncached(b), earlier, in_title)
