"""Visually similar characters (形近字): 河/何, 己/已, 未/末.

Why a table and not a formula at run time: the judgement combines glyph bitmaps, four-corner codes
and decompositions, which is costly to compute and needs a font and a data package; the table is
computed once by :mod:`zhibao.similarity._build_shape_table` (sources and method there and in
``data/SOURCES.md``) and shipped as a 190 KB text file.
"""

from __future__ import annotations

from functools import cache

from zhibao.similarity.normalize import data_lines


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in data_lines("shape_neighbours.tsv"):
        ch, _, near = line.partition("\t")
        table[ch] = near.strip()
    return table


def neighbours(ch: str) -> str:
    """The characters that look like ``ch``, most confusable first ("" when none are known)."""
    return _table().get(ch, "")


def shape_similar(a: str, b: str) -> bool:
    """Whether two different single characters are listed as visually similar (symmetric)."""
    return a != b and b in _table().get(a, "")


def table_size() -> int:
    """Number of characters that have at least one neighbour."""
    return len(_table())
