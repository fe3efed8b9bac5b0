"""ImageIndex: near-duplicates, crops (with the matched region), mirror images, bad input.

Images are synthesised with Pillow (random shapes on a coloured ground), so nothing is downloaded.
"""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.images import HammingIndex, ImageIndex, hash_image


def synth(seed: int, size: tuple[int, int] = (256, 256)) -> Image.Image:
    r = random.Random(seed)
    img = Image.new("RGB", size, tuple(r.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = r.randrange(size[0]), r.randrange(size[1])
        box = (x0, y0, x0 + r.randrange(20, 140), y0 + r.randrange(20, 140))
        fill = tuple(r.randrange(256) for _ in range(3))
        (draw.rectangle if r.random() < 0.5 else draw.ellipse)(box, fill=fill)
    return img


def encode(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


IMAGES = [synth(i) for i in range(12)]


@pytest.fixture(scope="module")
def index() -> ImageIndex:
    idx = ImageIndex()
    for i, img in enumerate(IMAGES):
        idx.add(f"logo-{i}", encode(img))
    return idx


def test_reencoded_and_resized_copy(index: ImageIndex) -> None:
    hits = index.search(encode(IMAGES[3].resize((180, 180)), "JPEG"), max_distance=10)
    assert hits[0].item_id == "logo-3" and hits[0].region == (0, 0, 256, 256)
    assert not hits[0].mirrored


def test_mirror_image(index: ImageIndex) -> None:
    hits = index.search(encode(ImageOps.mirror(IMAGES[5])))
    assert hits[0].item_id == "logo-5" and hits[0].mirrored and hits[0].distance <= 4


def test_crop_returns_region(index: ImageIndex) -> None:
    found = 0
    for i, (x, y, side) in enumerate([(30, 20, 190), (0, 60, 170), (50, 50, 200), (10, 10, 230), (64, 0, 160)]):
        hits = index.search(encode(IMAGES[i].crop((x, y, x + side, y + side))), max_distance=12)
        if hits and hits[0].item_id == f"logo-{i}":
            found += 1
            left, top, right, bottom = hits[0].region
            # the reported window overlaps the true crop substantially
            ix = max(0, min(right, x + side) - max(left, x))
            iy = max(0, min(bottom, y + side) - max(top, y))
            assert ix * iy >= 0.5 * side * side
    assert found >= 4


def test_unrelated_image_not_found(index: ImageIndex) -> None:
    assert all(h.item_id != "logo-0" for h in index.search(encode(synth(999)), max_distance=6))


@pytest.mark.parametrize("bad", [b"", b"not an image", encode(IMAGES[0])[:100], "text"])
def test_bad_images(index: ImageIndex, bad: object) -> None:
    with pytest.raises(SimilarityInputError):
        index.search(bad)  # type: ignore[arg-type]
    with pytest.raises(SimilarityInputError):
        index.add("x", bad)  # type: ignore[arg-type]


def test_max_distance_bounds(index: ImageIndex) -> None:
    with pytest.raises(SimilarityInputError):
        index.search(encode(IMAGES[0]), max_distance=16)


def test_hash_image_has_phash_dhash_pdq() -> None:
    h = hash_image(encode(IMAGES[1]))
    assert 0 <= h.phash < 2**64 and 0 <= h.dhash < 2**64
    assert h.pdq is None or len(h.pdq) == 32


def test_multi_index_hashing_matches_brute_force() -> None:
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 2**63, size=20_000, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, 20_000,
                                                                                               dtype=np.uint64)
    ham = HammingIndex()
    ham.add(hashes[:10_000])
    ham.add(hashes[10_000:])
    for q in hashes[:20].tolist():
        noisy = q ^ int(rng.integers(0, 2**16))  # up to 16 flipped low bits
        for d in (3, 7, 11, 15):
            rows, dist = ham.search(noisy, d)
            brute = np.nonzero(np.bitwise_count(hashes ^ np.uint64(noisy)) <= d)[0]
            assert sorted(rows.tolist()) == brute.tolist()
            assert (dist <= d).all()


def test_truncated_image_is_rejected_even_when_pillow_loads_truncated_images(index: ImageIndex) -> None:
    from PIL import ImageFile

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what WeasyPrint sets globally on import
    try:
        with pytest.raises(SimilarityInputError):
            index.search(encode(IMAGES[0])[:100])
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
