"""Normalising word marks before they are compared: validation, width, case, traditional forms, generics.

Why: examiners see 星河, 星河 (full-width), 星河 (traditional 星河) and "xinghe"/"XINGHE" as the same
sign, and ignore generic words such as 旗舰店 or 有限公司 when weighing the distinctive part. Doing this
once, the same way for a query and for every register entry, is what makes the index keys and
:func:`zhibao.similarity.marks.compare` agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from zhibao.similarity.errors import SimilarityInputError

MAX_NAME_CHARS = 100
_DATA = resources.files("zhibao.similarity") / "data"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# a token is one CJK character or one run of Latin letters/digits; everything else is a separator
_TOKEN = re.compile(rf"[{_CJK}]|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def data_lines(name: str) -> list[str]:
    """Non-comment, non-empty lines of a packaged data file."""
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def validate_name(name: object) -> str:
    """The stripped name, or :class:`SimilarityInputError` saying what is wrong with it."""
    if not isinstance(name, str):
        raise SimilarityInputError(f"商标名称必须是文本，收到 {type(name).__name__}")
    stripped = name.strip()
    if not stripped:
        raise SimilarityInputError("商标名称不能为空")
    if len(stripped) > MAX_NAME_CHARS:
        raise SimilarityInputError(f"商标名称过长：{len(stripped)} 个字符，最多 {MAX_NAME_CHARS} 个")
    return stripped


@cache
def _t2s() -> tuple[object, frozenset[str]]:
    """The opencc converter and the characters that trigger it (loaded once; opencc is slow to build)."""
    import opencc  # opencc-python-reimplemented

    converter = opencc.OpenCC("t2s")
    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    triggers = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        if trad and simp.split(" ")[0] != trad:
            triggers.add(trad)
    return converter, frozenset(triggers)


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (opencc t2s, phrase aware).

    Why the trigger set: opencc's pure-Python converter costs ~35 µs a call, and a million-mark
    register is almost all simplified; only names holding a traditional character pay for it.
    """
    converter, triggers = _t2s()
    if triggers.isdisjoint(text):
        return text
    return str(converter.convert(text))  # type: ignore[attr-defined]


def fold(text: str) -> str:
    """Full-width → half-width and compatibility forms (NFKC), then case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def _generics() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], frozenset[str]]:
    """(CJK generic words longest first, single-character suffixes, Latin generic words, all CJK words)."""
    words = [w.strip() for w in data_lines("generic_words.txt")]
    cjk = sorted((w for w in words if _IS_CJK.match(w) and len(w) > 1), key=len, reverse=True)
    singles = tuple(w for w in words if _IS_CJK.match(w) and len(w) == 1)
    latin = frozenset(w for w in words if not _IS_CJK.match(w))
    return tuple(cjk), singles, latin, frozenset(cjk) | frozenset(singles)


@cache
def _generic_lengths() -> list[int]:
    return sorted({len(w) for w in _generics()[0]}, reverse=True)


def generic_words() -> frozenset[str]:
    """Every generic word (CJK and Latin) the normaliser strips."""
    _, _, latin, cjk = _generics()
    return cjk | latin


class Normalised(NamedTuple):
    """One mark after normalisation (a NamedTuple: built a million times for a register, so cheap).

    ``tokens`` are CJK characters and Latin/digit words of the whole mark; ``core`` the tokens left
    after generic words are stripped from both ends (all tokens if nothing distinctive would remain).
    """

    raw: str
    folded: str
    text: str
    traditional: bool
    tokens: tuple[str, ...]
    core: tuple[str, ...]
    generics: tuple[str, ...]
    all_generic: bool

    @property
    def core_text(self) -> str:
        return "".join(self.core)


@cache
def _edge_chars() -> tuple[frozenset[str], frozenset[str]]:
    """First and last characters of the multi-character generic words (a cheap pre-check)."""
    words = _generics()[0]
    return frozenset(w[0] for w in words), frozenset(w[-1] for w in words)


def _edge_word(tokens: list[str], *, at_end: bool, words: frozenset[str], lengths: list[int]) -> str:
    """The longest generic word made of the first or last tokens, leaving at least one token ('' if none)."""
    firsts, lasts = _edge_chars()
    if (tokens[-1][-1] not in lasts) if at_end else (tokens[0][0] not in firsts):
        return ""
    for n in lengths:
        if n >= len(tokens):
            continue
        word = "".join(tokens[-n:] if at_end else tokens[:n])
        if word in words:
            return word
    return ""


def _strip_generics(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Remove generic words at both ends, repeatedly, never emptying the mark.

    Set look-ups by word length, not a scan of the word list: this runs for every entry of a
    million-mark register.
    """
    _, singles, latin, cjk_set = _generics()
    lengths = _generic_lengths()
    removed: list[str] = []
    while len(tokens) > 1:
        if tokens[-1] in latin or tokens[0] in latin:
            removed.append(tokens.pop() if tokens[-1] in latin else tokens.pop(0))
            continue
        word = _edge_word(tokens, at_end=True, words=cjk_set, lengths=lengths)
        if word:
            del tokens[-len(word):]
            removed.append(word)
            continue
        word = _edge_word(tokens, at_end=False, words=cjk_set, lengths=lengths)
        if word:
            del tokens[: len(word)]
            removed.append(word)
            continue
        if len(tokens) > 2 and tokens[-1] in singles:
            removed.append(tokens.pop())
            continue
        break
    return tokens, removed


def normalise_uncached(name: object) -> Normalised:
    """Validate and normalise ``name`` (see :func:`normalise`; this one keeps no cache, for bulk builds)."""
    raw = validate_name(name)
    folded = fold(raw)
    simplified = to_simplified(folded)
    tokens = _TOKEN.findall(simplified)
    if not tokens:
        raise SimilarityInputError(f"商标名称没有可比对的文字：{raw!r}")
    core, removed = _strip_generics(list(tokens))
    _, _, latin, cjk = _generics()
    core_text = "".join(core)
    all_generic = core_text in cjk or (len(core) == 1 and core_text in latin)
    return Normalised(raw=raw, folded=folded, text="".join(tokens), traditional=simplified != folded,
                      tokens=tuple(tokens), core=tuple(core), generics=tuple(removed), all_generic=all_generic)


@lru_cache(maxsize=8192)
def normalise(name: str) -> Normalised:
    """Cached :func:`normalise_uncached`: a query is compared with hundreds of candidates."""
    return normalise_uncached(name)


def is_cjk(token: str) -> bool:
    """Whether a token (or word) is Chinese: tokens are single CJK characters or ASCII runs, so the
    first character decides (a range test, not a regex: it runs millions of times in a build)."""
    return bool(token) and token[0] >= "\u3400"
