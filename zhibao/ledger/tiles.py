"""Byte formats of the stored log: tile rows, entry bundles and the pending records of the head.

Why a module of its own: the writer (:mod:`zhibao.ledger.log`) and the auditor
(:mod:`zhibao.ledger.audit`) must agree on these formats byte for byte, and neither should import
the other's internals.

Pending records are how a single committed append stays cheap. Rewriting the partial last tile
row of every level an append extends, plus the entry bundle and the head, dirties four or five
16 KiB pages per commit, and with SQLite every dirty page is a WAL frame that a checkpoint must
fsync. Instead, an append that does not complete a tile row adds one record (the hashes of the
nodes it completes, and its data) to the ``pending`` column of the head row it updates anyway:
one page per commit. The append that completes the tile row (one in 64), one whose record would
push the column past ``log.PENDING_BYTES`` (large leaves), or any batch, folds the pending records
into the tile rows and entry bundle and empties the column, in one transaction.
So the head row holds leaves p … size−1 as records, with p ≥ the start of the last tile.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from .merkle import HASH_SIZE, LedgerError
from .store import TILE

ENTRIES = -1  # tile level of the entry bundles (leaf data)
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
    """The leaf whose append completed node (level, index): its pending record holds that hash."""
    return ((index + 1) << level) - 1


def pending_record(hashes: bytes, data: bytes) -> bytes:
    """One pending record: u8 hash count ‖ u32 data length ‖ hashes of levels 0…t ‖ data."""
    return struct.pack(">BI", len(hashes) // HASH_SIZE, len(data)) + hashes + data


def unpack_pending(size: int, blob: bytes) -> tuple[int, list[tuple[list[bytes], bytes]]]:
    """(p, [(hashes of levels 0…t, data) for leaves p … size−1]) from a head's pending column.

    Raises LedgerError when the records are malformed, hold the wrong number of hashes for their
    leaf, or reach back before the last tile (a complete tile row is never pending).
    """
    records: list[tuple[bytes, bytes]] = []
    pos = 0
    while pos < len(blob):
        if pos + 5 > len(blob):
            raise LedgerError("pending records are truncated (corrupt log?)")
        nh, n = struct.unpack_from(">BI", blob, pos)
        end = pos + 5 + nh * HASH_SIZE + n
        if end > len(blob):
            raise LedgerError("pending records are truncated (corrupt log?)")
        records.append((blob[pos + 5 : pos + 5 + nh * HASH_SIZE], blob[end - n : end]))
        pos = end
    p = size - len(records)
    if p < pending_span(size):
        raise LedgerError(f"{len(records)} pending records do not fit the last tile of size {size} (corrupt log?)")
    out: list[tuple[list[bytes], bytes]] = []
    for k, (hashes, data) in enumerate(records):
        if len(hashes) != completed_levels(p + k) * HASH_SIZE:
            raise LedgerError(f"pending record of leaf {p + k} holds the wrong number of hashes (corrupt log?)")
        out.append((split_hashes(hashes), data))
    return p, out


def pending_span(size: int) -> int:
    """First leaf a pending record may hold in a log of ``size`` leaves: the start of the last,
    incomplete tile."""
    return size - size % TILE
