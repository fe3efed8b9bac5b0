"""Byte formats of the stored rows: tile rows, entry bundles and pending single-append rows.

Why a module of its own: the writer (:mod:`zhibao.ledger.log`) and the auditor
(:mod:`zhibao.ledger.audit`) must agree on these formats byte for byte, and neither should import
the other's internals.

Pending rows (tile level ``PENDING``, tile number = leaf index) are how a single committed append
stays cheap: instead of rewriting the partial last tile row of every level it extends (2 KiB each,
plus the entry bundle), an append that does not complete a tile row inserts one small row holding
the hashes of the nodes it completes and its data. The append that completes the tile row folds
the pending rows into the tile rows and entry bundle and removes them, in the same transaction.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from .merkle import HASH_SIZE, LedgerError
from .store import TILE

ENTRIES = -1  # tile level of the entry bundles (leaf data)
PENDING = -2  # tile level of pending single appends: one row per leaf, tile number = leaf index
TILE_BYTES = TILE * HASH_SIZE  # bytes in a full tile row


def split_hashes(blob: bytes) -> list[bytes]:
    return [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]


def bundle(entries: Sequence[bytes]) -> bytes:
    """Entry bundle: u16 count ‖ count × u32 length ‖ the entries, all big-endian.

    Why lengths first: they pack with one C-level struct call per bundle instead of a Python
    operation per entry, which matters at a million leaves per second.
    """
    k = len(entries)
    return struct.pack(f">H{k}I", k, *map(len, entries)) + b"".join(entries)


def unbundle(blob: bytes) -> list[bytes]:
    """Split an entry bundle or raise LedgerError if it is malformed."""
    k = int.from_bytes(blob[:2], "big")
    pos = 2 + 4 * k
    if len(blob) < pos:
        raise LedgerError("entry bundle is truncated (corrupt log?)")
    out: list[bytes] = []
    for n in struct.unpack_from(f">{k}I", blob, 2):
        out.append(blob[pos : pos + n])
        pos += n
    if pos != len(blob):
        raise LedgerError("entry bundle has the wrong length (corrupt log?)")
    return out


def completed_levels(index: int) -> int:
    """How many nodes appending leaf ``index`` completes: the leaf plus one per trailing 1 bit.

    Leaf ``index`` completes node (L, ((index + 1) >> L) - 1) for L = 0 … trailing ones of index.
    """
    return ((index ^ (index + 1)).bit_length() - 1) + 1


def pending_leaf(level: int, index: int) -> int:
    """The leaf whose append completed node (level, index): its pending row holds that hash."""
    return ((index + 1) << level) - 1


def unpack_pending(index: int, blob: bytes) -> tuple[list[bytes], bytes]:
    """(hashes of levels 0…t, leaf data) of the pending row of leaf ``index``, or LedgerError."""
    n = completed_levels(index) * HASH_SIZE
    if len(blob) < n:
        raise LedgerError(f"pending row of leaf {index} is truncated (corrupt log?)")
    return split_hashes(blob[:n]), blob[n:]


def pending_span(size: int) -> int:
    """First leaf a pending row may hold in a log of ``size`` leaves: the start of the last,
    incomplete tile (a complete tile row is never pending)."""
    return size - size % TILE
