"""Screening a query mark against a large register without comparing it with every mark.

Why candidate keys: a register holds millions of marks and :func:`compare` costs tens of
microseconds, so a linear scan takes seconds. Every register entry is filed under a few keys that a
confusable query will also produce — its normalised core (traditional forms, width, case and generic
words already gone), its fuzzy pinyin (homophones, near sounds, pinyin spellings), its sorted
characters (reordering), its core with one position blanked (one character changed), its bigrams
(the query inside a longer mark). The query adds keys of its own: each look-alike substitution from
the shape table, each substring (a registered mark inside the query) and each syllable window. The
few hundred marks met this way are then scored exactly with :func:`compare_features`.

Why numpy: keys are 64-bit hashes in one sorted ``uint64`` array beside a ``uint32`` array of mark
numbers, and names sit in one UTF-8 blob with offsets; a million marks take ~120 MB instead of the
gigabytes of Python dicts, and the same arrays are what :meth:`MarkIndex.save` writes.
"""

from __future__ import annotations

import hashlib
import io
import json
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.markrules import Features, compare_features, features, features_uncached, foreign_table
from zhibao.similarity.normalize import validate_name
from zhibao.similarity.phonetic import coarse_joined
from zhibao.similarity.shapes import neighbours

FORMAT = "zhibao-mark-index"
VERSION = 1
MAX_READINGS = 8  # fuzzy-pinyin keys filed per mark
CANDIDATES = 160  # marks scored exactly per query
# weight of a key kind when ranking candidates before exact scoring, and how many marks one key may add
_WEIGHT = {"c": 10.0, "q": 8.0, "shape": 7.0, "s": 6.0, "sub": 6.0, "d": 5.0, "qsub": 4.0, "b": 3.0}
_CAP = {"b": 64, "qsub": 64, "sub": 128}


@dataclass(frozen=True, slots=True)
class Match:
    """One register entry found by :meth:`MarkIndex.search`; ``index`` is its position in the register."""

    name: str
    score: float
    reasons: list[str]
    index: int
    similar: bool = False


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def _blanked(core: str) -> Iterator[str]:
    """The core with each position replaced by a placeholder (one character changed)."""
    for i in range(len(core)):
        yield core[:i] + "\x00" + core[i + 1:]


def register_keys(f: Features) -> set[str]:
    """The keys a register entry is filed under."""
    core = f.core_text
    keys = {"c|" + core}
    keys.update("q|" + coarse_joined(r) for r in f.readings[:MAX_READINGS])
    if len(core) >= 2:
        ordered = "".join(sorted(core))
        if ordered != core:
            keys.add("s|" + ordered)
    if f.cjk_only and len(core) >= 3 or f.latin_only and len(core) >= 4:
        keys.update("d|" + k for k in _blanked(core))
    if f.cjk_only and len(core) >= 3:
        keys.update("b|" + core[i:i + 2] for i in range(len(core) - 1))
    return keys


def query_keys(f: Features) -> dict[str, str]:
    """The keys a query looks up, each with its kind (which sets its weight and cap)."""
    core = f.core_text
    keys: dict[str, str] = {}

    def put(key: str, kind: str) -> None:
        keys.setdefault(key, kind)

    put("c|" + core, "c")
    for text in {f.norm.text, "".join(t for t in f.norm.tokens)}:
        put("c|" + text, "c")
    for r in f.readings[:MAX_READINGS * 2]:
        put("q|" + coarse_joined(r), "q")
    if len(core) >= 2:
        put("s|" + "".join(sorted(core)), "s")
    if f.cjk_only and len(core) >= 3 or f.latin_only and len(core) >= 4:
        for k in _blanked(core):
            put("d|" + k, "d")
    if f.cjk_only:
        for i, ch in enumerate(core):
            for other in neighbours(ch)[:12]:
                put("c|" + core[:i] + other + core[i + 1:], "shape")
        for n in range(2, min(len(core), 12)):
            for i in range(len(core) - n + 1):
                put("c|" + core[i:i + n], "sub")
        for i in range(len(core) - 1):
            put("b|" + core[i:i + 2], "b")
        if len(core) == 2:
            put("b|" + core, "b")
    if f.readings:
        syllables = f.readings[0]
        for n in range(2, len(syllables)):
            for i in range(len(syllables) - n + 1):
                put("q|" + coarse_joined(syllables[i:i + n]), "qsub")
    if f.latin_only:
        for name in foreign_table().get(core, ()):
            put("c|" + name, "c")
    else:
        for latin, names in foreign_table().items():
            if core in names:
                put("c|" + latin, "c")
    return keys


class MarkIndex:
    """A register of word marks, searchable for marks confusable with a query."""

    def __init__(self, keys: np.ndarray, ids: np.ndarray, blob: bytes, offsets: np.ndarray) -> None:
        self._keys, self._ids, self._blob, self._offsets = keys, ids, blob, offsets

    @classmethod
    def from_names(cls, names: Iterable[str]) -> MarkIndex:
        """Build from register names (kept in order; duplicates allowed). Bad names raise, naming the line."""
        key_hashes: array[int] = array("Q")
        key_ids: array[int] = array("I")
        blob = io.BytesIO()
        offsets: array[int] = array("Q", [0])
        for i, name in enumerate(names):
            try:
                f = features_uncached(name)
            except SimilarityInputError as exc:
                raise SimilarityInputError(f"第 {i + 1} 个名称无效：{exc}") from None
            for key in register_keys(f):
                key_hashes.append(_hash(key))
                key_ids.append(i)
            blob.write(f.norm.raw.encode())
            offsets.append(blob.tell())
        keys = np.frombuffer(key_hashes, dtype=np.uint64)
        ids = np.frombuffer(key_ids, dtype=np.uint32)
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], ids[order], blob.getvalue(), np.frombuffer(offsets, dtype=np.uint64))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def name(self, i: int) -> str:
        """The register name at position ``i``."""
        return self._blob[int(self._offsets[i]):int(self._offsets[i + 1])].decode()

    @property
    def nbytes(self) -> int:
        """Memory held by the index arrays and names."""
        return int(self._keys.nbytes + self._ids.nbytes + self._offsets.nbytes + len(self._blob))

    def candidates(self, f: Features, limit: int = CANDIDATES) -> list[int]:
        """Register positions worth scoring exactly for the query ``f``, most promising first."""
        wanted = query_keys(f)
        kinds = list(wanted.values())
        hashes = np.fromiter((_hash(k) for k in wanted), dtype=np.uint64, count=len(wanted))
        lo = np.searchsorted(self._keys, hashes, side="left")
        hi = np.searchsorted(self._keys, hashes, side="right")
        weight: dict[int, float] = defaultdict(float)
        for kind, a, b in zip(kinds, lo.tolist(), hi.tolist(), strict=True):
            if a == b:
                continue
            b = min(b, a + _CAP.get(kind, 512))
            w = _WEIGHT[kind]
            for i in self._ids[a:b].tolist():
                weight[i] += w
        ranked = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))
        return [i for i, _ in ranked[:limit]]

    def search(self, query: str, limit: int = 10, min_score: float = 0.3) -> list[Match]:
        """The register marks most confusable with ``query``, best first (at most ``limit``)."""
        validate_name(query)
        if not isinstance(limit, int) or limit < 1:
            raise SimilarityInputError("limit 必须是正整数")
        fq = features(query)
        matches = []
        for i in self.candidates(fq):
            result = compare_features(fq, features_uncached(self.name(i)))
            if result.score >= min_score:
                matches.append(Match(self.name(i), result.score, result.reasons, i, result.similar))
        matches.sort(key=lambda m: (-m.score, m.index))
        return matches[:limit]

    def save(self, path: str | Path) -> None:
        """Write the index as one uncompressed ``.npz`` file (loads in well under a second per million)."""
        meta = json.dumps({"format": FORMAT, "version": VERSION, "marks": len(self)}).encode()
        with open(path, "wb") as fh:
            np.savez(fh, meta=np.frombuffer(meta, dtype=np.uint8), keys=self._keys, ids=self._ids,
                     blob=np.frombuffer(self._blob, dtype=np.uint8), offsets=self._offsets)

    @classmethod
    def load(cls, path: str | Path) -> MarkIndex:
        """Read a file written by :meth:`save`; a missing, foreign or damaged file raises SimilarityInputError."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                if meta.get("format") != FORMAT or meta.get("version") != VERSION:
                    raise SimilarityInputError(f"不是本版本的商标索引文件：{path}")
                index = cls(data["keys"], data["ids"], bytes(data["blob"]), data["offsets"])
        except SimilarityInputError:
            raise
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise SimilarityInputError(f"无法读取商标索引文件 {path}：{exc}") from None
        if len(index._keys) != len(index._ids) or len(index) != meta.get("marks"):
            raise SimilarityInputError(f"商标索引文件已损坏：{path}")
        return index
