"""Readings of word marks: toneless pinyin with every heteronym, fuzzy (近音) pinyin, Latin as pinyin.

Why toneless and heteronym-aware: the register is read aloud by consumers who ignore tones, and a
polyphonic character (行 xing/hang, 长 chang/zhang) can be called either way, so examiners count a
match on any reading. Why fuzzy initials and finals: zh/z, ch/c, sh/s, n/l, f/h, r/l and the
-n/-ng finals are merged by large groups of speakers, which is how 近音 marks confuse. Why Latin as
pinyin: "XINGHE" is the pinyin spelling of 星河, and is read the same way.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

from zhibao.similarity.normalize import is_cjk

MAX_COMBOS = 16  # heteronym combinations kept per mark: enough for real marks, bounded for long ones
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
             "r", "z", "c", "s", "y", "w")
_COARSE_INITIAL = {"zh": "z", "ch": "c", "sh": "s", "n": "l", "f": "h", "r": "l"}
_COARSE_FINAL = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def _toneless(syllable: str) -> str:
    """xīng → xing, lǜ → lv (pypinyin's own toneless spelling of ü)."""
    plain = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(c for c in plain if not unicodedata.combining(c))


@lru_cache(maxsize=32768)
def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character, most common first; () when it has none."""
    if not is_cjk(ch):
        return ()
    out: list[str] = []
    result = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    for reading in result[0] if result else ():
        if reading and reading not in out:
            out.append(reading)
    return tuple(out)


@cache
def syllables() -> frozenset[str]:
    """All toneless pinyin syllables (from pypinyin's dictionary), used to read Latin as pinyin."""
    out = set()
    for value in pinyin_dict.values():
        for reading in value.split(","):
            out.add(_toneless(reading))
    out.discard("")
    return frozenset(s for s in out if s.isascii() and s.isalpha())


@lru_cache(maxsize=65536)
def segment_pinyin(letters: str) -> tuple[str, ...] | None:
    """Split a Latin run into pinyin syllables ("xinghe" → xing, he), fewest syllables first; None if not pinyin.

    Apostrophes are already gone, so ambiguous runs (xian = xian | xi'an) take the reading with fewer
    syllables; comparisons join syllables, so both readings still match.
    """
    if not letters.isascii() or not letters.isalpha() or len(letters) > 60:
        return None
    valid = syllables()
    n = len(letters)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            part = letters[i:j]
            if part in valid:
                candidate = (*prefix, part)
                current = best[j]
                if current is None or len(candidate) < len(current):
                    best[j] = candidate
    return best[n]


@lru_cache(maxsize=8192)
def coarse(syllable: str) -> str:
    """The fuzzy (近音) form of one syllable: zhang → zan, neng → len, fu → hu."""
    initial = next((i for i in _INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial):]
    for long, short in _COARSE_FINAL:
        if final.endswith(long):
            final = final[: -len(long)] + short
            break
    return _COARSE_INITIAL.get(initial, initial) + final


_UNIT_CACHE: dict[str, tuple[str, ...]] = {}


def unit_readings(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Per reading unit, its possible readings: a CJK character gives its heteronyms, a pinyin run one
    unit per syllable, any other Latin word or number itself (read as spelled)."""
    units: list[tuple[str, ...]] = []
    cached = _UNIT_CACHE.get
    for token in tokens:
        if token >= "\u3400":  # a CJK character (tokens are CJK characters or ASCII runs)
            found = cached(token)
            if found is None:
                found = _UNIT_CACHE[token] = char_readings(token) or (token,)
            units.append(found)
            continue
        segmented = segment_pinyin(token)
        if segmented is None:
            units.append((token,))
        else:
            units.extend((s,) for s in segmented)
    return units


def reading_combos(tokens: tuple[str, ...], limit: int = MAX_COMBOS) -> list[tuple[str, ...]]:
    """Up to ``limit`` whole-mark readings (one syllable per unit), the most common readings first."""
    units = unit_readings(tokens)
    if not units:
        return []
    if all(len(u) == 1 for u in units):  # the usual case: no polyphonic character
        return [tuple(u[0] for u in units)]
    return list(itertools.islice(itertools.product(*units), limit))


def joined(reading: tuple[str, ...]) -> str:
    """A reading as one string: comparisons ignore syllable boundaries (xian == xi an)."""
    return "".join(reading)


_COARSE_CACHE: dict[str, str] = {}


def coarse_joined(reading: tuple[str, ...]) -> str:
    """The fuzzy form of a whole reading, joined (see :func:`coarse`)."""
    get = _COARSE_CACHE.get
    out = []
    for s in reading:
        c = get(s)
        if c is None:
            c = _COARSE_CACHE[s] = coarse(s)
        out.append(c)
    return "".join(out)


def pinyin_of_cjk(tokens: tuple[str, ...]) -> set[str]:
    """Joined readings of the CJK tokens only (to recognise a Latin run that spells them: 注音)."""
    cjk = tuple(t for t in tokens if is_cjk(t))
    return {joined(r) for r in reading_combos(cjk)} if cjk else set()
