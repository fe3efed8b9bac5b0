"""Near-duplicate texts — articles, novels, product descriptions — and the passages two texts share.

Why MinHash with LSH banding: a platform watching for copied novels or product pages holds tens of
thousands of documents, and pairwise comparison does not scale; MinHash signatures estimate the
Jaccard similarity of character shingles, and banding finds the documents likely above a threshold
with a few hash look-ups. Why characters, not words: Chinese has no spaces, and infringers edit
individual characters.

Why this layout (and not datasketch's): each document costs 16-bit signature values (b-bit MinHash,
Li & König 2010, enough to estimate Jaccard; collisions corrected) and one 64-bit hash per band, all
in flat numpy arrays — about 1/20 of the memory of datasketch's dict-of-sets tables with the same
bands (see ``bench/bench_similarity.py``). Band keys are kept sorted and found with
``np.searchsorted``; adds are appended and sorted lazily at the next query, so add in batches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from functools import cache
from pathlib import Path

import numpy as np

from zhibao.similarity.errors import SimilarityInputError

NUM_PERM = 126  # 42 bands of 3 rows: a document with Jaccard 0.45 is a candidate with p ≈ 0.98
BANDS, ROWS = 42, 3
SHINGLE = 4  # characters per shingle; 10% character edits keep ~0.5 Jaccard
MAX_CHARS = 5_000_000
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_DROP = re.compile(r"[\W_]+")
_CHUNK = 4096


def _splitmix(x: np.ndarray) -> np.ndarray:
    """Avalanche 64-bit values (splitmix64 finaliser), vectorised; wraps modulo 2**64 on purpose."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


@cache
def _t2s_table() -> dict[int, str]:
    """Character-level traditional → simplified table from opencc's data: str.translate runs in C."""
    import opencc

    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    out: dict[int, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        if len(trad) == 1 and simp:
            out[ord(trad)] = simp.split(" ")[0]
    return out


def normalise_text(text: str) -> tuple[str, list[int]]:
    """Text as compared (NFKC, case-folded, simplified, no spaces or punctuation) and, per kept
    character, its offset in the original — so found passages can be shown in the original text."""
    kept: list[str] = []
    offsets: list[int] = []
    table = _t2s_table()
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold().translate(table)
        for c in folded:
            if c.isalnum():
                kept.append(c)
                offsets.append(i)
    return "".join(kept), offsets


def _validate(text: object) -> str:
    if not isinstance(text, str):
        raise SimilarityInputError(f"文本必须是字符串，收到 {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise SimilarityInputError(f"文本过长：{len(text)} 个字符，最多 {MAX_CHARS} 个")
    return text


def _fast_normalise(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold().translate(_t2s_table()))


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Unique 64-bit hashes of the character k-grams of the normalised text (the whole text if shorter)."""
    norm = _fast_normalise(_validate(text))
    if not norm:
        raise SimilarityInputError("文本没有可比对的文字")
    cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    k = min(k, len(cps))
    with np.errstate(over="ignore"):
        h = np.zeros(len(cps) - k + 1, dtype=np.uint64)
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + cps[j:len(cps) - k + 1 + j]
    return np.unique(_splitmix(h))


class MinHasher:
    """Multiply-shift hash permutations: signature[i] = min over shingles x of high32(a_i·x + b_i)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        sig = np.full(len(self.a), 0xFFFFFFFF, dtype=np.uint32)
        with np.errstate(over="ignore"):
            for start in range(0, len(hashes), _CHUNK):  # bounded temporaries for novel-length texts
                x = hashes[start:start + _CHUNK, None]
                values = ((x * self.a + self.b) >> np.uint64(32)).astype(np.uint32)
                np.minimum(sig, values.min(axis=0), out=sig)
        return sig


def band_keys(sig: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """One 64-bit key per band (band number mixed in, so all bands share one sorted array)."""
    block = sig[: bands * rows].astype(np.uint64).reshape(bands, rows)
    with np.errstate(over="ignore"):
        h = np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for j in range(rows):
            h = _splitmix(h ^ block[:, j])
    return h


class _Grow:
    """A numpy array that grows by doubling (array.array cannot grow while numpy views it)."""

    def __init__(self, dtype: type, width: int = 1) -> None:
        self.data: np.ndarray = np.empty((1024, width) if width > 1 else 1024, dtype=dtype)
        self.n = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.n + len(values)
        if need > len(self.data):
            grown = np.empty((max(need, 2 * len(self.data)), *self.data.shape[1:]), dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n:need] = values
        self.n = need

    def view(self) -> np.ndarray:
        return self.data[: self.n]


def _estimate(sig16: np.ndarray, query16: np.ndarray) -> np.ndarray:
    """Jaccard estimates from 16-bit MinHash values, corrected for chance collisions (1/65536)."""
    agree = (sig16 == query16).mean(axis=-1)
    c = 1 / 65536
    return np.clip((agree - c) / (1 - c), 0.0, 1.0)


class TextIndex:
    """Documents indexed for near-duplicate search."""

    def __init__(self, num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, shingle: int = SHINGLE,
                 seed: int = 1) -> None:
        if bands * rows > num_perm or min(bands, rows, shingle) < 1:
            raise SimilarityInputError("bands × rows 不能超过 num_perm，且各参数须为正")
        self.bands, self.rows, self.shingle = bands, rows, shingle
        self._hasher = MinHasher(num_perm, seed)
        self._ids: list[Hashable] = []
        self._pos: dict[Hashable, int] = {}
        self._sig16 = _Grow(np.uint16, num_perm)
        self._keys = _Grow(np.uint64)
        self._docs = _Grow(np.uint32)
        self._sorted = 0  # entries [0, _sorted) of _keys/_docs are in key order

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    @property
    def nbytes(self) -> int:
        """Bytes held by signatures and band tables (the part that grows with the corpus)."""
        return int(self._sig16.view().nbytes + self._keys.view().nbytes + self._docs.view().nbytes)

    def signature(self, text: str) -> np.ndarray:
        return self._hasher.signature(shingles(text, self.shingle))

    def add(self, doc_id: Hashable, text: str) -> None:
        """Index ``text`` under ``doc_id`` (unique; an id already present raises SimilarityInputError)."""
        if doc_id in self._pos:
            raise SimilarityInputError(f"文档编号重复：{doc_id!r}")
        sig = self.signature(text)
        idx = len(self._ids)
        self._ids.append(doc_id)
        self._pos[doc_id] = idx
        self._sig16.extend(sig[None, :].astype(np.uint16))
        self._keys.extend(band_keys(sig, self.bands, self.rows))
        self._docs.extend(np.full(self.bands, idx, dtype=np.uint32))

    def _ensure_sorted(self) -> None:
        if self._sorted == self._keys.n:
            return
        keys, docs = self._keys.view(), self._docs.view()
        order = np.argsort(keys, kind="stable")
        keys[:] = keys[order]
        docs[:] = docs[order]
        self._sorted = self._keys.n

    def query(self, text: str, threshold: float = 0.5) -> list[tuple[Hashable, float]]:
        """Indexed documents whose estimated Jaccard similarity with ``text`` is ≥ ``threshold``, best first.

        Banding (42×3) finds documents from about 0.35 Jaccard up with high probability; lower
        thresholds still filter correctly but may miss documents LSH never proposes.
        """
        if not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
            raise SimilarityInputError("threshold 必须在 0 到 1 之间")
        sig = self.signature(text)
        if not self._ids:
            return []
        self._ensure_sorted()
        keys, docs = self._keys.view(), self._docs.view()
        wanted = band_keys(sig, self.bands, self.rows)
        lo = np.searchsorted(keys, wanted, side="left")
        hi = np.searchsorted(keys, wanted, side="right")
        parts = [docs[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if not parts:
            return []
        candidates = np.unique(np.concatenate(parts))
        estimates = _estimate(self._sig16.view()[candidates], sig.astype(np.uint16))
        keep = estimates >= threshold
        found = sorted(zip(candidates[keep].tolist(), estimates[keep].tolist(), strict=True),
                       key=lambda t: (-t[1], t[0]))
        return [(self._ids[i], round(float(e), 4)) for i, e in found]


def jaccard(a: str, b: str, k: int = SHINGLE) -> float:
    """Exact Jaccard similarity of the two texts' shingle sets (for checks and small comparisons)."""
    sa, sb = shingles(a, k), shingles(b, k)
    inter = len(np.intersect1d(sa, sb, assume_unique=True))
    return inter / (len(sa) + len(sb) - inter)


def overlapping_passages(a: str, b: str, min_chars: int = 15) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Passages of at least ``min_chars`` compared characters found in both texts.

    Returns ``(a_span, b_span, passage)`` with spans as ``(start, end)`` offsets into the original
    strings and ``passage`` the text of ``a`` in that span, in order of position in ``a``.
    Seed-and-extend on exact ``min_chars``-grams: linear time, so whole novels can be compared.
    Why normalised text: a copied passage with altered spacing, punctuation, width or traditional
    characters is still the same passage.
    """
    if not isinstance(min_chars, int) or min_chars < 2:
        raise SimilarityInputError("min_chars 必须是不小于 2 的整数")
    na, map_a = normalise_text(_validate(a))
    nb, map_b = normalise_text(_validate(b))
    k = min_chars
    if len(na) < k or len(nb) < k:
        return []
    seeds: dict[str, list[int]] = {}
    for i in range(len(na) - k + 1):
        bucket = seeds.setdefault(na[i:i + k], [])
        if len(bucket) < 32:  # a gram repeated more often is boilerplate, not a passage
            bucket.append(i)
    reach: dict[int, int] = {}  # diagonal (i - j) → end in b already covered
    runs: list[tuple[int, int, int]] = []
    for j in range(len(nb) - k + 1):
        for i in seeds.get(nb[j:j + k], ()):
            if reach.get(i - j, -1) > j:
                continue
            n = k
            while i + n < len(na) and j + n < len(nb) and na[i + n] == nb[j + n]:
                n += 1
            reach[i - j] = j + n
            runs.append((i, j, n))
    chosen: list[tuple[int, int, int]] = []
    used_a: list[tuple[int, int]] = []
    for i, j, n in sorted(runs, key=lambda r: -r[2]):
        if any(min(i + n, e) - max(i, s) > n // 2 for s, e in used_a):
            continue
        chosen.append((i, j, n))
        used_a.append((i, i + n))
    out = []
    for i, j, n in sorted(chosen):
        a_span = (map_a[i], map_a[i + n - 1] + 1)
        b_span = (map_b[j], map_b[j + n - 1] + 1)
        out.append((a_span, b_span, a[a_span[0]:a_span[1]]))
    return out
