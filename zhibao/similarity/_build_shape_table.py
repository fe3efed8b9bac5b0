"""Regenerate ``data/shape_neighbours.tsv``, the table of visually similar characters (形近字).

Why a generated table: examiners treat 河/何, 己/已, 未/末 as confusable, and no maintained package
ships such a table ready for matching. The *char-similar* package (MIT, 2025) ships per-character
four-corner codes (四角号码), decompositions (拆字), stroke counts and structure types, and Debian's
fonts-noto-cjk ships the glyphs. This tool combines both once, offline:

* visual score — cosine similarity of the blurred, mean-centred 24x24 glyph bitmaps (Noto Sans CJK SC);
* structural score — matching four-corner digits, stroke-weighted overlap of the decompositions,
  stroke count and structure type (the weights follow char-similar's own ``cal_sim_by_shape``);

keeps, for each of the 6,763 GB2312 characters, up to 8 neighbours whose combined score reaches 0.66,
adds the curated classic confusables of ``data/confusables_curated.tsv`` and writes one line per
character. The library only reads the small TSV, so neither the package nor the font is needed at
run time.

Run: ``pip download --no-deps -d /tmp/cs char-similar==0.0.2`` then
``python -m zhibao.similarity._build_shape_table /tmp/cs/char_similar-0.0.2-py2.py3-none-any.whl``.
"""

from __future__ import annotations

import itertools
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DATA = Path(__file__).with_name("data")
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_INDEX_SC = 2  # "Noto Sans CJK SC" inside the collection
TOP_K, MIN_SCORE, VISUAL_WEIGHT = 8, 0.66, 0.6


def gb2312_chars() -> list[str]:
    """The 6,763 characters of GB2312 levels 1 and 2: what Chinese word marks are written with."""
    out = []
    for code in range(0x4E00, 0x9FA6):
        ch = chr(code)
        try:
            raw = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(raw) == 2 and 0xB0 <= raw[0] <= 0xF7:
            out.append(ch)
    return out


def load_char_similar(wheel: str) -> dict[str, dict[str, object]]:
    names = ["fourangle", "number", "stroke", "struct"]
    with zipfile.ZipFile(wheel) as zf:
        return {n: json.loads(zf.read(f"char_similar/data/char_{n}.dict")) for n in names}


def structural_score(d: dict[str, dict[str, object]], a: str, b: str) -> float:
    four, number, parts_of, struct = d["fourangle"], d["number"], d["stroke"], d["struct"]

    def n(c: str) -> int:
        return int(number.get(c) or 1)  # type: ignore[call-overload]

    fa, fb = str(four.get(a, "")), str(four.get(b, ""))
    fc = sum(x == y for x, y in zip(fa[:4], fb[:4], strict=False)) / 4 if fa and fb else 0.0
    pa = set(parts_of.get(a) or [a]) | {a}  # type: ignore[call-overload]
    pb = set(parts_of.get(b) or [b]) | {b}  # type: ignore[call-overload]
    inter = sum(n(c) for c in pa & pb)
    union = sum(n(c) for c in pa | pb) - (n(a) if a not in pb else 0) - (n(b) if b not in pa else 0)
    overlap = inter / union if union > 0 else 0.0
    strokes = 1 - abs(n(a) - n(b)) / max(n(a), n(b), 1)
    same_struct = 1.0 if struct.get(a) == struct.get(b) else 0.0
    return 0.35 * fc + 0.35 * overlap + 0.1 * strokes + 0.1 * same_struct + (0.1 if fa and fa == fb else 0.0)


def glyph_matrix(chars: list[str]) -> np.ndarray:
    font = ImageFont.truetype(FONT, 44, index=FONT_INDEX_SC)
    rows = []
    for ch in chars:
        im = Image.new("L", (48, 48), 0)
        ImageDraw.Draw(im).text((2, -8), ch, fill=255, font=font)
        im = im.filter(ImageFilter.GaussianBlur(1.5)).resize((24, 24), Image.Resampling.BILINEAR)
        rows.append(np.asarray(im, dtype=np.float32).ravel())
    m = np.stack(rows)
    m -= m.mean(axis=1, keepdims=True)
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-9
    return m


def build(wheel: str) -> dict[str, list[str]]:
    chars = gb2312_chars()
    d = load_char_similar(wheel)
    visual = glyph_matrix(chars)
    gram = visual @ visual.T
    index = {c: i for i, c in enumerate(chars)}
    neighbours: dict[str, list[str]] = {}
    for i, ch in enumerate(chars):
        row = gram[i].copy()
        row[i] = -1.0
        candidates = np.argsort(-row)[:40]
        scored = [(VISUAL_WEIGHT * float(row[j]) + (1 - VISUAL_WEIGHT) * structural_score(d, ch, chars[j]),
                   chars[j]) for j in candidates]
        scored.sort(reverse=True)
        neighbours[ch] = [c for s, c in scored[:TOP_K] if s >= MIN_SCORE]
    pairs: dict[str, set[str]] = defaultdict(set)
    for ch, near in neighbours.items():
        for other in near:
            pairs[ch].add(other)
            pairs[other].add(ch)
    for line in (DATA / "confusables_curated.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            group = line.split("\t")[0]
            for a, b in itertools.permutations(group, 2):
                pairs[a].add(b)
    # order each neighbour list by combined score so the most confusable come first
    out: dict[str, list[str]] = {}
    for ch in sorted(pairs):
        def key(o: str, ch: str = ch) -> float:
            if ch in index and o in index:
                return -(VISUAL_WEIGHT * float(gram[index[ch], index[o]]) + 0.4 * structural_score(d, ch, o))
            return 0.0
        out[ch] = sorted(pairs[ch], key=key)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    table = build(argv[0])
    header = ("# 形近字表 generated by zhibao/similarity/_build_shape_table.py from char-similar 0.0.2 (MIT)\n"
              "# data and Noto Sans CJK SC glyphs, plus data/confusables_curated.tsv. char<TAB>neighbours\n")
    body = "".join(f"{ch}\t{''.join(near)}\n" for ch, near in table.items())
    (DATA / "shape_neighbours.tsv").write_text(header + body, encoding="utf-8")
    print(f"{len(table)} characters, {sum(map(len, table.values())) // 2} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
