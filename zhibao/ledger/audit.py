"""Full audit of a stored Merkle log: recompute every hash and the root from the stored leaf data.

Why separate from :mod:`zhibao.ledger.log`: the audit reads the storage layout (tile rows, entry
bundles, the head and its pending single-append records) directly and independently of the write path, so
that a bug or tampering in what the writer stored is found rather than trusted. Pending records
(:mod:`zhibao.ledger.tiles`) are joined onto the last tile of each level before checking, so
they are held to exactly the same standard as the tile rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .merkle import EMPTY_ROOT, HASH_SIZE, LedgerError, fold, range_nodes
from .store import TILE
from .tiles import ENTRIES, TILE_BYTES, bundle, split_hashes, unbundle, unpack_pending

if TYPE_CHECKING:
    from .log import MerkleLog

_sha256 = hashlib.sha256
Tiles = Iterator[tuple[int, bytes]]


@dataclass
class AuditReport:
    """Result of :meth:`MerkleLog.audit`.

    ``level``/``index`` locate the first divergence in the tree (level 0 = leaves); both are None
    when the log is clean or when the divergence is in the stored size/root/frontier record.
    """

    ok: bool
    size: int
    leaves_checked: int = 0
    nodes_checked: int = 0
    level: int | None = None
    index: int | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "size": self.size,
            "leaves_checked": self.leaves_checked,
            "nodes_checked": self.nodes_checked,
            "level": self.level,
            "index": self.index,
            "problem": self.problem,
        }

    def fail(self, problem: str, level: int | None = None, index: int | None = None) -> AuditReport:
        self.ok, self.problem, self.level, self.index = False, problem, level, index
        return self


def _merged[T](stored: Tiles, tile: int, extra: T, join: Callable[[bytes | None, T], bytes]) -> Tiles:
    """``stored`` tiles in order, with the pending ``extra`` joined onto tile number ``tile``."""
    done = False
    for t, blob in stored:
        if not done and t >= tile:
            done = True
            if t == tile:
                yield t, join(blob, extra)
                continue
            yield tile, join(None, extra)
        yield t, blob
    if not done:
        yield tile, join(None, extra)


def _join_bundle(blob: bytes | None, datas: list[bytes]) -> bytes:
    if blob is None:
        return bundle(datas)
    try:
        return bundle(unbundle(blob) + datas)
    except LedgerError:
        return blob  # malformed: reported as such by _leaf_hash_tiles


def _join_hashes(blob: bytes | None, hashes: bytes) -> bytes:
    return (blob or b"") + hashes


class _Auditor:
    """One audit run: the stored tiles of each level as the tree sees them (pending records joined in)."""

    def __init__(self, log: MerkleLog) -> None:
        self.log, self.st = log, log._store

    def run(self) -> AuditReport:
        st = self.st
        size, stored_root, fblob, pending = st.read_head()
        rep = AuditReport(ok=True, size=size)
        if not self._read_pending(size, pending, rep):
            return rep
        lv = 0
        while (size >> lv) > 0:
            count = size >> lv
            expected_tiles = self._leaf_hash_tiles(size, rep) if lv == 0 else self._parent_tiles(lv - 1)
            stored = self._tiles(lv)
            for t in range((count + TILE - 1) // TILE):
                want = next(expected_tiles, None)
                if not rep.ok:
                    return rep
                got = next(stored, None)
                n = min(TILE, count - t * TILE)
                want_b = want[1] if want and want[0] == t else b""
                got_b = got[1] if got and got[0] == t else b""
                for j in range(n) if want_b != got_b else ():  # locate the first differing hash
                    a, b = want_b[j * 32 : j * 32 + 32], got_b[j * 32 : j * 32 + 32]
                    if a != b or len(a) != HASH_SIZE:
                        what = "leaf hash does not match its data" if lv == 0 else "hash does not match its children"
                        return rep.fail(f"(level {lv}, index {t * TILE + j}): stored {what}", lv, t * TILE + j)
                if len(got_b) != n * HASH_SIZE:
                    msg = f"(level {lv}, tile {t}) stores {len(got_b) // 32} hashes, expected {n}"
                    return rep.fail(msg, lv, t * TILE + n)
                if lv == 0:
                    rep.leaves_checked += n
                else:
                    rep.nodes_checked += n
            if lv == 0 and next(expected_tiles, None) is not None:
                return rep.fail("leaf data is stored beyond the tree size", 0, size)
            extra = next(stored, None)
            if extra is not None:
                return rep.fail(f"(level {lv}) stores a tile {extra[0]} beyond the tree size", lv, extra[0] * TILE)
            lv += 1
        top = st.max_level()
        if top is not None and (top >= lv or not size):
            return rep.fail(f"level {top} stores rows beyond the tree of size {size}", top)
        keys = range_nodes(0, size)
        hashes = self.log._hashes(keys, cached=False)
        frontier = b"".join(hashes[k] for k in keys)
        if frontier != fblob:
            return rep.fail("stored frontier differs from the recomputed tree")
        if (fold(split_hashes(frontier)) if size else EMPTY_ROOT) != stored_root:
            return rep.fail(f"stored root of size {size} differs from the recomputed root")
        return rep

    def _read_pending(self, size: int, blob: bytes, rep: AuditReport) -> bool:
        """Pending records must be well formed and hold leaves p … size−1 of the last tile."""
        try:
            self.p, pend = unpack_pending(size, blob)
        except LedgerError as exc:
            rep.fail(f"the head's pending records are malformed: {exc}", 0, size)
            return False
        self.datas: list[bytes] = []
        self.extra: list[list[bytes]] = []
        for hashes, data in pend:
            for lv, h in enumerate(hashes):
                if lv == len(self.extra):
                    self.extra.append([])
                self.extra[lv].append(h)
            self.datas.append(data)
        return True

    def _tiles(self, level: int) -> Tiles:
        """Stored tiles of a hash level, with the pending hashes of that level joined on."""
        stored = self.st.iter_tiles(level)
        if level >= len(self.extra):
            return stored
        return _merged(stored, (self.p >> level) // TILE, b"".join(self.extra[level]), _join_hashes)

    def _leaf_hash_tiles(self, size: int, rep: AuditReport) -> Tiles:
        """Level-0 tiles recomputed from the stored entry bundles (a bad bundle is recorded in rep)."""
        expected = 0
        bundles = self.st.iter_tiles(ENTRIES)
        if self.datas:
            bundles = _merged(bundles, self.p // TILE, self.datas, _join_bundle)
        for t, blob in bundles:
            n = min(TILE, size - t * TILE)
            try:
                entries = unbundle(blob)
                if t * TILE != expected or len(entries) != n:
                    raise LedgerError("wrong entry count")
            except LedgerError:
                rep.fail(f"leaf data of leaves {expected}… (entry bundle {t}) is missing or malformed", 0, expected)
                return
            expected += n
            yield t, b"".join(_sha256(b"\x00" + d).digest() for d in entries)
        if expected != size:
            rep.fail(f"leaf {expected} is missing", 0, expected)

    def _parent_tiles(self, child_level: int) -> Tiles:
        """Tiles of level child_level+1 recomputed from the (already verified) tiles of child_level."""
        pending = b""
        tile = 0
        for _t, blob in self._tiles(child_level):
            pending += blob
            if len(pending) >= 2 * TILE_BYTES:
                yield tile, _pair_up(pending[: 2 * TILE_BYTES])
                pending, tile = pending[2 * TILE_BYTES :], tile + 1
        if len(pending) >= 2 * HASH_SIZE:
            yield tile, _pair_up(pending)


def _pair_up(blob: bytes) -> bytes:
    n = len(blob) // (2 * HASH_SIZE)
    return b"".join(_sha256(b"\x01" + blob[64 * j : 64 * j + 64]).digest() for j in range(n))


def audit_log(log: MerkleLog) -> AuditReport:
    """Recompute every leaf hash, node hash, the frontier and the root from stored leaf data.

    Level 0 is recomputed from the leaves, level L from the (already verified) stored level L-1,
    one tile at a time, so memory stays flat. Stops at the first divergence.
    """
    return _Auditor(log).run()
