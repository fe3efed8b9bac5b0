"""Image (logo / product photo) near-duplicate search robust to crops and mirroring.

Why this design:

* Perceptual hashes (pHash, dHash via ``imagehash``; PDQ via ``pdqhash`` when installed) survive
  re-encoding, resizing and small edits, but a crop or a mirror image changes the whole-image hash.
  So each indexed image is also hashed over overlapping sub-windows (scales 0.9–0.6 on grids),
  and each query is hashed as is and mirrored: a crop of an indexed image lands near one of
  its sub-window hashes, and the window is returned as the matched region.
* Hamming search uses multi-index hashing (Norouzi et al., 2012): the 64-bit hash is split into four
  16-bit chunks; any hash within distance d of the query agrees with it in at least one chunk to
  within ⌊d/4⌋ bits (pigeonhole), so probing each chunk table with the few values at that radius
  finds every true match without scanning; candidates are verified with a vectorised popcount.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import imagehash
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from zhibao.similarity.errors import SimilarityInputError

MAX_IMAGE_BYTES = 32 * 1024 * 1024
MAX_PIXELS = 40_000_000
# (scale, positions per axis): window spacing stays at 5–8 % of the side, within pHash's tolerance.
WINDOWS = ((0.9, 3), (0.8, 4), (0.7, 5), (0.6, 6))
WORK_SIDE = 192  # images are downscaled to this before windowing (hashes use 32×32 anyway)
Region = tuple[int, int, int, int]  # left, top, right, bottom in the indexed image's pixels


@dataclass(frozen=True, slots=True)
class ImageMatch:
    """An indexed image near the query: Hamming distance, matched region, whether mirrored."""

    item_id: str
    distance: int
    region: Region
    mirrored: bool


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """The perceptual hashes of one image (PDQ is None when ``pdqhash`` is not installed)."""

    phash: int
    dhash: int
    pdq: bytes | None


def load_image(image_bytes: bytes) -> Image.Image:
    """Decode bytes into an RGB image; anything corrupt or unsupported → SimilarityInputError."""
    if not isinstance(image_bytes, bytes | bytearray | memoryview):
        raise SimilarityInputError(f"image must be bytes, got {type(image_bytes).__name__}")
    data = bytes(image_bytes)
    if not data:
        raise SimilarityInputError("image is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise SimilarityInputError("image larger than 32 MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # verify() checks the whole file (chunks, CRCs, truncation) even when another library
            # (WeasyPrint does, on import) has set Pillow's global LOAD_TRUNCATED_IMAGES = True
            Image.open(io.BytesIO(data)).verify()
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise SimilarityInputError("image has too many pixels")
            img.load()
    except SimilarityInputError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise SimilarityInputError(f"unreadable image: {exc}") from None
    if img.width < 8 or img.height < 8:
        raise SimilarityInputError("image smaller than 8×8 pixels")
    return img.convert("RGB")


def phash64(img: Image.Image) -> int:
    """64-bit DCT perceptual hash as an int."""
    return int(str(imagehash.phash(img)), 16)


#: PDQ's own guidance: hashes of quality below 50 (flat, featureless images) match too much to be used.
PDQ_MIN_QUALITY = 50
#: The PDQ dihedral variants in the order ``pdqhash.compute_dihedral`` returns them.
PDQ_VARIANTS = ("original", "rotate90", "rotate180", "rotate270", "flip_x", "flip_y", "flip_plus1", "flip_minus1")


def pdq256(img: Image.Image) -> tuple[int, int] | None:
    """The 256-bit PDQ hash (as an int) and its quality (0–100); None when ``pdqhash`` is not installed.

    Why PDQ beside pHash: it is the hash platforms exchange for known content (Meta's ThreatExchange), is
    tuned for re-encoding, resizing and colour changes, and hashes all eight rotations and mirror images
    in one pass (``pdq_dihedral``), where pHash needs one hash per variant.
    """
    try:
        import pdqhash
    except ImportError:  # pragma: no cover - optional dependency
        return None
    bits, quality = pdqhash.compute(np.ascontiguousarray(np.asarray(img.convert("RGB"))))
    return int.from_bytes(np.packbits(bits.astype(np.uint8)).tobytes(), "big"), int(quality)


def pdq_dihedral(img: Image.Image) -> tuple[list[int], int] | None:
    """PDQ hashes of the image's eight rotations/mirror images (``PDQ_VARIANTS`` order) and the quality."""
    try:
        import pdqhash
    except ImportError:  # pragma: no cover - optional dependency
        return None
    variants, quality = pdqhash.compute_dihedral(np.ascontiguousarray(np.asarray(img.convert("RGB"))))
    return [int.from_bytes(np.packbits(v.astype(np.uint8)).tobytes(), "big") for v in variants], int(quality)


def hamming256(a: int, b: int) -> int:
    """Bits in which two 256-bit hashes differ."""
    return (a ^ b).bit_count()


def hash_image(image_bytes: bytes) -> ImageHashes:
    """pHash, dHash and (if available) the 256-bit PDQ hash of an image."""
    img = load_image(image_bytes)
    found = pdq256(img)
    pdq = found[0].to_bytes(32, "big") if found is not None else None
    return ImageHashes(phash64(img), int(str(imagehash.dhash(img)), 16), pdq)


def windows(width: int, height: int) -> list[Region]:
    """Full frame plus overlapping sub-windows at WINDOW_SCALES (a crop lands near one of them)."""
    out: list[Region] = [(0, 0, width, height)]
    for scale, steps in WINDOWS:
        w, h = max(8, int(width * scale)), max(8, int(height * scale))
        xs = np.linspace(0, width - w, steps).astype(int).tolist()
        ys = np.linspace(0, height - h, steps).astype(int).tolist()
        out.extend((x, y, x + w, y + h) for y in ys for x in xs)
    return out


@cache
def _probe_masks(radius: int) -> np.ndarray:
    """All 16-bit masks with at most ``radius`` bits set (1, 17, 137, 697 values for radius 0–3)."""
    masks = [0]
    for r in range(1, radius + 1):
        for bits in combinations(range(16), r):
            masks.append(sum(1 << b for b in bits))
    return np.array(masks, dtype=np.uint16)


class HammingIndex:
    """Multi-index hashing over 64-bit hashes; rows are appended, tables rebuilt lazily."""

    def __init__(self) -> None:
        self._pending: list[np.ndarray] = []
        self._hashes = np.empty(0, dtype=np.uint64)
        self._sorted: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._dirty = False

    def __len__(self) -> int:
        return len(self._hashes) + sum(len(p) for p in self._pending)

    def add(self, hashes: np.ndarray) -> None:
        """Append hashes (row ids continue from the current length)."""
        self._pending.append(np.asarray(hashes, dtype=np.uint64))
        self._dirty = True

    def _build(self) -> None:
        if self._pending:
            self._hashes = np.concatenate([self._hashes, *self._pending])
            self._pending = []
        self._sorted = []
        for c in range(4):
            chunk = ((self._hashes >> np.uint64(16 * c)) & np.uint64(0xFFFF)).astype(np.uint16)
            order = np.argsort(chunk, kind="stable").astype(np.uint32)
            # CSR layout: rows with chunk value v are order[starts[v]:starts[v + 1]]
            starts = np.searchsorted(chunk[order], np.arange(65537), side="left").astype(np.int64)
            # hashes copied in chunk order, so a bucket's candidates are verified from contiguous memory
            self._sorted.append((starts, order, self._hashes[order]))
        self._dirty = False

    def search(self, query: int, max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        """Row ids and distances of all hashes within ``max_distance`` of ``query``."""
        if self._dirty:
            self._build()
        if not len(self._hashes):
            return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
        masks = _probe_masks(max_distance // 4)
        q = np.uint64(query)
        rows_found: list[np.ndarray] = []
        dist_found: list[np.ndarray] = []
        for c, (starts, order, chunk_hashes) in enumerate(self._sorted):
            qc = np.uint16((query >> (16 * c)) & 0xFFFF)
            probes = (masks ^ qc).astype(np.int64)  # distinct because the masks are
            lo = starts[probes]
            sizes = starts[probes + 1] - lo
            hit = sizes > 0
            if not hit.any():
                continue
            lo, sizes = lo[hit], sizes[hit]
            idx = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
            dist = np.bitwise_count(chunk_hashes[idx] ^ q)
            keep = dist <= max_distance
            rows_found.append(order[idx[keep]])
            dist_found.append(dist[keep])
        if not rows_found:
            return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
        # a row near the query in several chunks is found several times
        rows, first = np.unique(np.concatenate(rows_found), return_index=True)
        return rows, np.concatenate(dist_found)[first].astype(np.int64)


class ImageIndex:
    """Index of images by item id; ``search`` finds near-duplicates, crops and mirror images."""

    def __init__(self) -> None:
        self._hamming = HammingIndex()
        self._row_item: list[int] = []
        self._row_region: list[Region] = []
        self._items: list[str] = []
        self._item_pos: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._items)

    @property
    def hash_count(self) -> int:
        """Number of indexed hashes (87 per image with the default WINDOWS)."""
        return len(self._hamming)

    def _item(self, item_id: str) -> int:
        if not isinstance(item_id, str) or not item_id:
            raise SimilarityInputError("item_id must be a non-empty string")
        if item_id not in self._item_pos:
            self._item_pos[item_id] = len(self._items)
            self._items.append(item_id)
        return self._item_pos[item_id]

    def add(self, item_id: str, image_bytes: bytes) -> int:
        """Index an image under ``item_id``; returns the number of hashes stored."""
        img = load_image(image_bytes)
        factor = min(1.0, WORK_SIDE / max(img.width, img.height))
        work = img.resize((max(8, round(img.width * factor)), max(8, round(img.height * factor))),
                          Image.Resampling.BILINEAR) if factor < 1 else img
        work = work.convert("L")
        small = windows(work.width, work.height)
        hashes = [phash64(work if r == small[0] else work.crop(r)) for r in small]
        regions = [(round(a / factor), round(b / factor), round(c / factor), round(d / factor))
                   for a, b, c, d in small]
        regions[0] = (0, 0, img.width, img.height)
        self.add_hashes(item_id, hashes, regions)
        return len(hashes)

    def add_hashes(self, item_id: str, hashes: list[int], regions: list[Region]) -> None:
        """Index precomputed 64-bit pHashes (bulk loads and benchmarks)."""
        if len(hashes) != len(regions):
            raise SimilarityInputError("hashes and regions differ in length")
        pos = self._item(item_id)
        self._hamming.add(np.array(hashes, dtype=np.uint64))
        self._row_item.extend([pos] * len(hashes))
        self._row_region.extend(regions)

    def search_hash(self, query: int, max_distance: int = 10, mirrored: bool = False) -> list[ImageMatch]:
        """Best match per item for one precomputed hash."""
        if not 0 <= max_distance <= 15:
            raise SimilarityInputError("max_distance must be between 0 and 15")
        rows, dist = self._hamming.search(query, max_distance)
        best: dict[int, ImageMatch] = {}
        for row, d in zip(rows.tolist(), dist.tolist(), strict=True):
            item = self._row_item[row]
            cur = best.get(item)
            if cur is None or d < cur.distance:
                best[item] = ImageMatch(self._items[item], int(d), self._row_region[row], mirrored)
        return list(best.values())

    def search(self, image_bytes: bytes, max_distance: int = 10) -> list[ImageMatch]:
        """Indexed images within ``max_distance`` (pHash bits) of the query or its mirror image."""
        img = load_image(image_bytes)
        results: dict[str, ImageMatch] = {}
        for mirrored, variant in ((False, img), (True, ImageOps.mirror(img))):
            for m in self.search_hash(phash64(variant), max_distance, mirrored):
                cur = results.get(m.item_id)
                if cur is None or m.distance < cur.distance:
                    results[m.item_id] = m
        return sorted(results.values(), key=lambda m: (m.distance, m.item_id))
