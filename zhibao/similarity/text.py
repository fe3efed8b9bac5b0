"""Near-duplicate texts — articles, novels, product descriptions — and the passages two texts share.

Why MinHash with LSH banding: a platform watching for copied novels or product pages holds up to
millions of documents, and pairwise comparison does not scale; MinHash signatures estimate the
Jaccard similarity of character shingles, and banding finds the documents likely above a threshold
with a few hash look-ups. Why characters, not words: Chinese has no spaces, and infringers edit
individual characters.

Why one-permutation hashing (Li, Owen & Zhang 2012) with optimal densification (Shrivastava 2017)
instead of 126 separate permutations: each shingle is hashed once and falls into one of 126 bins, the
signature keeps the smallest value per bin, and an empty bin borrows the value of the first filled
bin on a fixed probe sequence. The estimate of Jaccard similarity is unbiased like classic MinHash,
but the cost is one hash per shingle instead of 126, so a million documents are signed in minutes.
Signatures differ from the earlier 126-permutation scheme (nothing stores them; indexes are rebuilt).

Why this layout (and not datasketch's): each document costs 16-bit signature values (b-bit MinHash,
Li & König 2010, enough to estimate Jaccard; collisions corrected) and one 64-bit entry per band
(32-bit band key, 32-bit document number) in flat numpy arrays — about 1/10 of the memory of
datasketch's dict-of-sets tables (see ``bench/bench_similarity.py``). Entries are kept sorted and
found with ``np.searchsorted``; adds are appended and sorted lazily at the next query, so add in
batches (:meth:`TextIndex.add_many` also signs a batch in a few numpy passes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from functools import cache
from pathlib import Path

import numpy as np

from zhibao.similarity.errors import SimilarityInputError

NUM_PERM = 126  # 63 bands of 2 rows: a document with Jaccard 0.3 is a candidate with p ≈ 0.997
BANDS, ROWS = 63, 2
SHINGLE = 4  # characters per shingle; 10% character edits keep ~0.5 Jaccard
MAX_CHARS = 5_000_000
_DROP = re.compile(r"[\W_]+")
_BATCH = 4096  # documents signed per numpy pass: bounds the temporaries (~40 MB at 500 characters)
_POLY = np.uint64(0x100000001B3)
_LOW32 = np.uint64(0xFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)


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


@cache
def _code_point_tables() -> tuple[np.ndarray, np.ndarray]:
    """Code point → simplified code point, and code point → kept (alphanumeric), for all of Unicode.

    Why lookup arrays: ``str.translate`` with a 4,000-entry dict costs ~0.3 µs a character, which
    alone is minutes for a million documents; indexing a numpy array is a few nanoseconds. Every
    traditional → simplified entry of opencc's table is one character to one character.
    """
    simp = np.arange(0x110000, dtype=np.uint32)
    for trad, s in _t2s_table().items():
        simp[trad] = ord(s)
    keep = np.fromiter((chr(c).isalnum() for c in range(0x110000)), dtype=bool, count=0x110000)
    return simp, keep


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


def _code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The texts normalised like ``_fast_normalise`` (NFKC, case-folded, simplified, alphanumerics
    only), as one concatenated uint32 code-point array, and each text's normalised length."""
    folded = [unicodedata.normalize("NFKC", t).casefold() for t in texts]
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    cps = np.frombuffer("".join(folded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    simp, keep = _code_point_tables()
    cps = simp[cps]
    kept = keep[cps]
    owner = np.repeat(np.arange(len(texts)), lengths)
    return cps[kept], np.bincount(owner[kept], minlength=len(texts)).astype(np.int64)


def _shingle_hashes(cps: np.ndarray, lengths: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character k-gram inside each text (a text shorter than k is one
    shingle), with the number of the text each came from; duplicates kept (MinHash ignores them)."""
    n = len(cps)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    wide = cps.astype(np.uint64)
    hashes: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    m = n - k + 1
    if m > 0:
        with np.errstate(over="ignore"):
            h = np.zeros(m, dtype=np.uint64)
            for j in range(k):
                h = h * _POLY + wide[j:j + m]
        owner = np.repeat(np.arange(len(lengths)), lengths)[:m]
        offset = np.arange(m) - starts[owner]
        inside = offset <= (lengths - k)[owner]
        hashes.append(h[inside])
        owners.append(owner[inside])
    for i in np.flatnonzero((lengths > 0) & (lengths < k)).tolist():
        h1 = np.zeros(1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for c in wide[starts[i]:starts[i] + lengths[i]]:
                h1 = h1 * _POLY + c
        hashes.append(h1)
        owners.append(np.array([i]))
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.intp)
    return _splitmix(np.concatenate(hashes)), np.concatenate(owners).astype(np.intp)


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Unique 64-bit hashes of the character k-grams of the normalised text (the whole text if shorter)."""
    cps, lengths = _code_points([_validate(text)])
    if not len(cps):
        raise SimilarityInputError("文本没有可比对的文字")
    return np.unique(_shingle_hashes(cps, lengths, k)[0])


class MinHasher:
    """One-permutation MinHash with optimal densification (see the module docstring)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.a = rng.integers(1, 2**63, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, dtype=np.uint64)
        # probe[i] is the order in which an empty bin i looks for a filled bin: a permutation of all
        # bins, the same for every document, so two similar documents borrow the same values.
        self.probe = np.argsort(rng.random((num_perm, num_perm)), axis=1)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        """Signature (uint32 × num_perm) of one document's shingle hashes (non-empty)."""
        return self.signatures(hashes, np.zeros(len(hashes), dtype=np.intp), 1)[0]

    def signatures(self, hashes: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
        """Signatures (n_docs × num_perm, uint32) of shingle hashes tagged with their document number;
        every document must have at least one shingle."""
        k = self.num_perm
        with np.errstate(over="ignore"):
            hv = hashes * self.a + self.b
        bins = ((hv >> np.uint64(32)) * np.uint64(k)) >> np.uint64(32)
        flat = owner * k + bins.astype(np.intp)
        flat_raw = np.full(n_docs * k, _EMPTY, dtype=np.uint32)
        np.minimum.at(flat_raw, flat, (hv & _LOW32).astype(np.uint32))
        flat_filled = np.zeros(n_docs * k, dtype=bool)
        flat_filled[flat] = True
        raw, filled = flat_raw.reshape(n_docs, k), flat_filled.reshape(n_docs, k)
        sig = raw.copy()
        docs, bins_ = np.nonzero(~filled)[:2]
        for step in range(k):
            if not len(docs):
                break
            source = self.probe[bins_, step]
            found = filled[docs, source]
            sig[docs[found], bins_[found]] = raw[docs[found], source[found]]
            docs, bins_ = docs[~found], bins_[~found]
        return sig


def band_keys(sig: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """One 64-bit key per band (band number mixed in, so all bands share one sorted array); a 2-D
    array of signatures gives one row of keys per signature."""
    block = sig[..., : bands * rows].astype(np.uint64).reshape(*sig.shape[:-1], bands, rows)
    with np.errstate(over="ignore"):
        h = np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for j in range(rows):
            h = _splitmix(h ^ block[..., j])
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

    def replace(self, values: np.ndarray) -> None:
        """Take ``values`` as the whole content (drops spare capacity)."""
        self.data, self.n = values, len(values)


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
        self._entries = _Grow(np.uint64)  # band key (high 32 bits) | document number (low 32 bits)
        self._sorted = 0  # entries [0, _sorted) are in order

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    @property
    def nbytes(self) -> int:
        """Bytes held by signatures and band tables (the part that grows with the corpus)."""
        return int(self._sig16.view().nbytes + self._entries.view().nbytes)

    def _sign(self, texts: list[str]) -> np.ndarray:
        cps, lengths = _code_points(texts)
        if (lengths == 0).any():
            raise SimilarityInputError("文本没有可比对的文字")
        hashes, owner = _shingle_hashes(cps, lengths, self.shingle)
        return self._hasher.signatures(hashes, owner, len(texts))

    def signature(self, text: str) -> np.ndarray:
        return self._sign([_validate(text)])[0]

    def add(self, doc_id: Hashable, text: str) -> None:
        """Index ``text`` under ``doc_id`` (unique; an id already present raises SimilarityInputError)."""
        self.add_many([(doc_id, text)])

    def add_many(self, docs: Iterable[tuple[Hashable, str]]) -> None:
        """Index many ``(doc_id, text)`` pairs; signed in batches, so far faster than ``add`` in a loop.

        All or nothing: a duplicate id or an unusable text raises SimilarityInputError (naming the
        id) before anything of this call is indexed.
        """
        pairs = list(docs)
        seen: set[Hashable] = set()
        for doc_id, text in pairs:
            if doc_id in self._pos or doc_id in seen:
                raise SimilarityInputError(f"文档编号重复：{doc_id!r}")
            seen.add(doc_id)
            try:
                _validate(text)
            except SimilarityInputError as exc:
                raise SimilarityInputError(f"{doc_id!r}: {exc}") from None
        if len(self._ids) + len(pairs) >= 2**32:
            raise SimilarityInputError("文档数超过上限 2^32")
        sigs = []
        for start in range(0, len(pairs), _BATCH):
            chunk = pairs[start:start + _BATCH]
            try:
                sigs.append(self._sign([t for _, t in chunk]))
            except SimilarityInputError:
                for doc_id, text in chunk:  # name the offending document
                    if not _code_points([text])[0].size:
                        raise SimilarityInputError(f"{doc_id!r}: 文本没有可比对的文字") from None
                raise
        first = len(self._ids)
        for doc_id, _ in pairs:
            self._pos[doc_id] = len(self._ids)
            self._ids.append(doc_id)
        for block in sigs:
            keys = band_keys(block, self.bands, self.rows) >> np.uint64(32)
            numbers = np.arange(first, first + len(block), dtype=np.uint64)[:, None]
            self._sig16.extend(block.astype(np.uint16))
            self._entries.extend(((keys << np.uint64(32)) | numbers).ravel())
            first += len(block)

    def _ensure_sorted(self) -> None:
        if self._sorted == self._entries.n:
            return
        # a fresh, exactly sized array: drops the doubling slack; sorted prefix + new tail sorts fast
        self._entries.replace(np.sort(self._entries.view(), kind="stable" if self._sorted else None))
        self._sorted = self._entries.n

    def query(self, text: str, threshold: float = 0.5) -> list[tuple[Hashable, float]]:
        """Indexed documents whose estimated Jaccard similarity with ``text`` is ≥ ``threshold``, best first.

        Banding (63×2) proposes documents from about 0.25 Jaccard up with high probability (10 %
        character edits leave about 0.5); lower thresholds still filter correctly but may miss
        documents LSH never proposes. Why two rows, not more: copies edited by a tenth must be found
        reliably, and unrelated candidates cost only a 126-value comparison each.
        """
        if not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
            raise SimilarityInputError("threshold 必须在 0 到 1 之间")
        sig = self.signature(text)
        if not self._ids:
            return []
        self._ensure_sorted()
        entries = self._entries.view()
        wanted = (band_keys(sig, self.bands, self.rows) >> np.uint64(32)) << np.uint64(32)
        lo = np.searchsorted(entries, wanted, side="left")
        hi = np.searchsorted(entries, wanted | _LOW32, side="right")
        parts = [entries[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if not parts:
            return []
        candidates = np.unique(np.concatenate(parts) & _LOW32).astype(np.intp)
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
