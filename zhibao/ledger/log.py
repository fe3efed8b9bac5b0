"""The append-only RFC 9162 Merkle log over SQL storage.

Why this design: every complete subtree hash is written exactly once, at the append that completes
it (packed 64 to a tile row, see :mod:`zhibao.ledger.store`). An append of k leaves hashes the
batch in memory, reading only the stored right frontier and the partial last tile of each level it
extends, so appends cost O(k + log n); roots and proofs cost O(log n) point reads, never a rebuild.
A single append that completes no tile row writes only the head row, with a pending record of the
hashes it completes (see :mod:`zhibao.ledger.tiles`); the append that fills the tile folds them in.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .audit import AuditReport, audit_log
from .merkle import EMPTY_ROOT, HASH_SIZE, LedgerError, consistency_plan, fold, inclusion_plan, range_nodes
from .store import TILE, Store, open_store
from .tiles import ENTRIES, completed_levels, pending_leaf, pending_record, pending_span, unpack_pending
from .tiles import bundle as _bundle
from .tiles import split_hashes as _split
from .tiles import unbundle as _unbundle

__all__ = ["FULL_TILE_CACHE", "AuditReport", "MerkleLog", "_bundle", "_unbundle"]

#: Complete tile rows kept in memory per open log (2 KiB each: 8,192 rows = 16 MiB).
FULL_TILE_CACHE = 8192
#: Pending records are folded into the tile rows early once they would pass this many bytes: the
#: head row then stays on its one 16 KiB SQLite page (an overflow chain would add frames to every
#: commit). 64-byte leaves never reach it within a tile; ~250-byte leaves fold every ~40 appends.
PENDING_BYTES = 12 * 1024

if TYPE_CHECKING:
    from .note import Signer

_sha256 = hashlib.sha256
_digest = type(hashlib.sha256()).digest
Key = tuple[int, int]


def _locked[F: Callable[..., Any]](fn: F) -> F:
    """Serialise use of one handle's connection across threads.

    Why: a sqlite3/psycopg connection has one transaction at a time; without this, a read from
    another thread would run inside a concurrent append's open transaction and could observe
    (and cache) a size that is then rolled back.
    """

    @functools.wraps(fn)
    def wrapper(self: MerkleLog, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return fn(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class MerkleLog:
    """An append-only transparency log; open with :meth:`open`, close with :meth:`close`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._seen = 0  # largest size observed; append-only, so any size up to it stays valid
        self._lock = threading.RLock()
        # Complete tile rows (64 hashes) never change in an append-only log, so proofs may reuse them
        # from memory: the upper levels of every proof path hit this cache, leaving one small read.
        self._full_tiles: dict[Key, bytes] = {}
        # (size, frontier, bytes of pending records) as this handle last wrote them: lets a single
        # append skip reading the head (see append); None when unknown or possibly stale.
        self._edge: tuple[int, bytes, int] | None = None

    @classmethod
    def open(cls, url: str, *, prefix: str = "ledger") -> MerkleLog:
        """Open or create a log: a file path, ``sqlite:///path`` or a ``postgresql://`` URL.

        ``prefix`` names the tables (``<prefix>_leaves``, ``<prefix>_tiles``, ``<prefix>_meta``)
        so several logs, or throw-away test logs, can share one database.
        """
        return cls(open_store(url, prefix))

    @_locked
    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> MerkleLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    @_locked
    def append(self, data: bytes) -> int:
        """Append one leaf in its own committed transaction; returns its index. Durable once returned.

        Why not ``append_many([data])``: that rewrites the partial last tile row of every level it
        extends and the entry bundle. Unless this leaf completes a tile row (one append in 64) or
        the records pass ``PENDING_BYTES``, it instead adds a pending record (the ≤ 1 + log n hashes it completes and its data) to the
        head row: one dirty page. And when this handle wrote the head last, it knows the right
        frontier already, so the whole append is one UPDATE (its own autocommit transaction)
        guarded by ``WHERE size = <the size it knows> AND frontier = <the frontier it knows>``; if
        another handle or process appended in between, no row matches and the append is redone
        under the write lock from a fresh read.
        """
        if type(data) is not bytes:
            if not isinstance(data, bytes | bytearray | memoryview):
                raise LedgerError("leaf data must be bytes")
            data = bytes(data)
        st = self._store
        edge, self._edge = self._edge, None  # cleared while unsure (an exception leaves it cleared)
        if edge is not None and self._stays_pending(edge[0], edge[2], data):
            old, fblob, held = edge
            frontier, root, record = self._pending(data, old, fblob)
            if st.add_pending_if((old, fblob), old + 1, root, frontier, record):
                self._edge = (old + 1, frontier, held + len(record))
                return old
        st.begin_write()
        try:
            old, fblob, held = st.lock_meta()
            if self._stays_pending(old, held, data):
                frontier, root, record = self._pending(data, old, fblob)
                st.add_pending(old + 1, root, frontier, record)
                held += len(record)
            else:  # completes tile rows, or the head row is full: fold the pending records in
                frontier, held = self._write_batch([data], old, fblob), 0
            st.commit()
        except BaseException:
            st.rollback()
            raise
        self._edge = (old + 1, frontier, held)
        return old

    @staticmethod
    def _stays_pending(old: int, held: int, data: bytes) -> bool:
        """Whether leaf ``old`` becomes a pending record (else the append folds the records in)."""
        size = held + 5 + HASH_SIZE * completed_levels(old) + len(data)
        return old % TILE != TILE - 1 and size <= PENDING_BYTES

    @_locked
    def append_many(self, items: Sequence[bytes]) -> int:
        """Append leaves in one transaction; returns the first new index. Durable once returned."""
        if not isinstance(items, list | tuple):
            items = list(items)  # tolerate iterators: they are consumed exactly once below
        if not items:
            raise LedgerError("append_many needs at least one item")
        if set(map(type, items)) == {bytes}:  # C-level check; the common case
            datas = list(items)
        else:
            datas = []
            for d in items:
                if not isinstance(d, bytes | bytearray | memoryview):
                    raise LedgerError("leaf data must be bytes")
                datas.append(bytes(d))
        st = self._store
        self._edge = None
        st.begin_write()
        try:
            old, fblob, _ = st.lock_meta()
            frontier = self._write_batch(datas, old, fblob)
            st.commit()
        except BaseException:
            st.rollback()
            raise
        self._edge = (old + len(datas), frontier, 0)
        return old

    @staticmethod
    def _pending(data: bytes, old: int, fblob: bytes) -> tuple[bytes, bytes, bytes]:
        """(frontier, root, pending record) after appending leaf ``old`` to the tree with frontier fblob.

        The frontier (perfect subtrees covering [0, old), largest first) ends with nodes of levels
        t−1 … 0 when old has t trailing 1 bits; the new leaf merges with exactly those.
        """
        if len(fblob) != HASH_SIZE * old.bit_count():
            raise LedgerError("stored frontier does not match the stored size (corrupt log?)")
        h = _sha256(b"\x00" + data).digest()
        hashes = [h]
        end = len(fblob)
        for _ in range(completed_levels(old) - 1):
            h = _sha256(b"\x01" + fblob[end - HASH_SIZE : end] + h).digest()
            hashes.append(h)
            end -= HASH_SIZE
        root, pos = h, end
        while pos:  # right fold of the new frontier
            root = _sha256(b"\x01" + fblob[pos - HASH_SIZE : pos] + root).digest()
            pos -= HASH_SIZE
        return fblob[:end] + h, root, pending_record(b"".join(hashes), data)

    def _write_batch(self, datas: list[bytes], old: int, fblob: bytes) -> bytes:
        """Write leaves old … old+k−1 into tile rows, folding in the pending records of the head.

        Pending leaves p … old−1 (see :mod:`zhibao.ledger.tiles`) are written as if they were the
        start of this batch, with the hashes their records hold; the stored partial rows end at p.
        """
        st = self._store
        new = old + len(datas)
        keys = range_nodes(0, old)
        if len(fblob) != HASH_SIZE * len(keys):
            raise LedgerError("stored frontier does not match the stored size (corrupt log?)")
        frontier = dict(zip(keys, _split(fblob), strict=True))
        p = old
        pend: list[tuple[list[bytes], bytes]] = []
        if old > pending_span(old):  # only then can there be pending records
            p, pend = unpack_pending(old, st.read_head()[3])
        pend_levels: list[list[bytes]] = []
        pend_datas: list[bytes] = []
        for hashes, d in pend:
            for lv, hsh in enumerate(hashes):
                if lv == len(pend_levels):
                    pend_levels.append([])
                pend_levels[lv].append(hsh)
            pend_datas.append(d)
        touched = [lv for lv in range(64) if (new >> lv) > (p >> lv)]
        want = [(lv, (p >> lv) // TILE) for lv in touched if (p >> lv) % TILE]
        if p % TILE:
            want.append((ENTRIES, p // TILE))
        partial = st.get_tiles(want)
        levels = self._hash_batch(datas, old, new, frontier)
        merged = levels
        if pend:
            merged = [
                (pend_levels[lv] if lv < len(pend_levels) else [])
                + (levels[lv] if lv < len(levels) else [])
                for lv in range(len(touched))
            ]
            datas = pend_datas + datas
        rows = self._tile_rows(merged, p, partial)
        rows += self._bundle_rows(datas, p, partial.get((ENTRIES, p // TILE), b""))
        st.put_tiles(rows)
        new_frontier = [
            levels[lv][i - (old >> lv)] if i >= (old >> lv) else frontier[(lv, i)]
            for lv, i in range_nodes(0, new)
        ]
        fnew = b"".join(new_frontier)
        st.write_meta(new, fold(new_frontier), fnew)
        return fnew

    @staticmethod
    def _hash_batch(datas: list[bytes], old: int, new: int, frontier: dict[Key, bytes]) -> list[list[bytes]]:
        """Hash a batch level by level in memory; ``levels[L]`` holds the new hashes of level L,
        starting at index ``old >> L``."""
        level0 = [_sha256(b"\x00" + d).digest() for d in datas]
        levels = [level0]
        prev, prev_start, lv = level0, old, 1
        while (new >> lv) > (old >> lv):
            start, end = old >> lv, new >> lv
            if 2 * start < prev_start:  # the left child is the old frontier node of level lv-1
                cur = [_sha256(b"\x01" + frontier[(lv - 1, 2 * start)] + prev[0]).digest()]
                lefts, rights = prev[1::2], prev[2::2]
            else:
                cur, lefts, rights = [], prev[0::2], prev[1::2]
            count = end - start - len(cur)
            # map() chains run the per-node work in C: ~1.6x faster than a comprehension.
            cur += map(_digest, map(_sha256, map(bytes.__add__, map(b"\x01".__add__, lefts[:count]), rights)))
            levels.append(cur)
            prev, prev_start = cur, start
            lv += 1
        return levels

    @staticmethod
    def _tile_rows(
        levels: list[list[bytes]], old: int, partial: dict[Key, bytes]
    ) -> list[tuple[int, int, bytes]]:
        """Pack each level's new hashes into tile rows, extending the partial last tile."""
        rows: list[tuple[int, int, bytes]] = []
        for lv, hashes in enumerate(levels):
            tile, off = divmod(old >> lv, TILE)
            first = TILE - off
            if off:
                prefix = partial.get((lv, tile), b"")
                if len(prefix) != off * HASH_SIZE:
                    raise LedgerError(f"tile (level {lv}, tile {tile}) has the wrong length (corrupt log?)")
                rows.append((lv, tile, prefix + b"".join(hashes[:first])))
                tile += 1
            else:
                first = 0
            rows += [
                (lv, tile + j, b"".join(hashes[i : i + TILE]))
                for j, i in enumerate(range(first, len(hashes), TILE))
            ]
        return rows

    @staticmethod
    def _bundle_rows(datas: list[bytes], old: int, prefix: bytes) -> list[tuple[int, int, bytes]]:
        """Pack leaf data into entry bundles of TILE entries, extending the partial last bundle."""
        tile, off = divmod(old, TILE)
        rows: list[tuple[int, int, bytes]] = []
        first = 0
        if off:
            entries = _unbundle(prefix) if prefix else []
            if len(entries) != off:
                raise LedgerError(f"entry bundle {tile} holds the wrong number of entries (corrupt log?)")
            first = TILE - off
            rows.append((ENTRIES, tile, _bundle(entries + datas[:first])))
            tile += 1
        rows += [
            (ENTRIES, tile + j, _bundle(datas[i : i + TILE]))
            for j, i in enumerate(range(first, len(datas), TILE))
        ]
        return rows

    # -- reading ----------------------------------------------------------------------------
    @property
    @_locked
    def size(self) -> int:
        """Current number of leaves (committed)."""
        return self._store.read_meta()[0]

    def _size_or_current(self, size: int | None) -> int:
        if size is not None and 0 <= size <= self._seen:
            return size  # saves a round trip: sizes never shrink
        current = self.size
        self._seen = max(self._seen, current)
        if size is None:
            return current
        if size < 0 or size > current:
            raise LedgerError(f"tree size {size} is beyond the log size {current}")
        return size

    def _hashes(self, keys: Sequence[Key], *, cached: bool = True) -> dict[Key, bytes]:
        """The stored hashes of nodes (level, index); ``cached=False`` reads storage only (audits).

        A node missing from the tile rows may sit in a pending record (:mod:`zhibao.ledger.tiles`).
        If it is in neither, another handle may have folded the records into tile rows between the
        two reads (hashes only ever move that way), so the tile rows are read once more.
        """
        out = self._cached_hashes(keys) if cached else self._store.get_hashes(keys)
        wanted = set(keys)
        if len(out) != len(wanted):
            out.update(self._pending_hashes(wanted - out.keys()))
            if len(out) != len(wanted):
                out.update(self._store.get_hashes(list(wanted - out.keys())))
            if len(out) != len(wanted):
                lv, i = min(wanted - out.keys())
                raise LedgerError(f"storage is missing the hash of (level {lv}, index {i}) (corrupt log?)")
        return out

    def _pending_hashes(self, keys: set[Key]) -> dict[Key, bytes]:
        """Hashes of nodes completed by single appends whose records are still pending."""
        size, _, _, blob = self._store.read_head()
        if not blob:
            return {}
        p, pend = unpack_pending(size, blob)
        out: dict[Key, bytes] = {}
        for lv, i in keys:
            m = pending_leaf(lv, i)
            if p <= m < size:
                out[(lv, i)] = pend[m - p][0][lv]
        return out

    def _cached_hashes(self, keys: Sequence[Key]) -> dict[Key, bytes]:
        cache = self._full_tiles
        out: dict[Key, bytes] = {}
        missing: set[Key] = set()
        for lv, i in keys:
            row = cache.get((lv, i // TILE))
            if row is None:
                missing.add((lv, i // TILE))
            else:
                off = (i % TILE) * HASH_SIZE
                out[(lv, i)] = row[off:off + HASH_SIZE]
        if not missing:
            return out
        rows = self._store.get_tiles(missing)
        for key, row in rows.items():
            if len(row) == TILE * HASH_SIZE:
                if len(cache) >= FULL_TILE_CACHE:
                    del cache[next(iter(cache))]  # oldest first; hot upper-level rows are re-read at once
                cache[key] = row
        for lv, i in keys:
            if (lv, i) not in out:
                row = rows.get((lv, i // TILE), b"")
                off = (i % TILE) * HASH_SIZE
                if len(row) >= off + HASH_SIZE:
                    out[(lv, i)] = row[off:off + HASH_SIZE]
        return out

    @_locked
    def root(self, size: int | None = None) -> bytes:
        """Root hash of the tree of ``size`` leaves (default: current size)."""
        current, root, _ = self._store.read_meta()
        if size is None or size == current:
            return root
        size = self._size_or_current(size)
        if size == 0:
            return EMPTY_ROOT
        keys = range_nodes(0, size)
        got = self._hashes(keys)
        return fold([got[k] for k in keys])

    @_locked
    def head(self) -> tuple[int, bytes]:
        """(size, root) read together, for checkpoints."""
        size, root, _ = self._store.read_meta()
        return size, root

    def checkpoint(self, signer: Signer, origin: str | None = None, extensions: Sequence[str] = ()) -> str:
        """The current tree head as a signed C2SP checkpoint note (origin defaults to the key name)."""
        from .note import Checkpoint, sign_note

        size, root = self.head()
        cp = Checkpoint(origin or signer.name, size, root, tuple(extensions))
        return sign_note(cp.format(), signer)

    @_locked
    def leaf(self, index: int) -> bytes:
        """The stored data of leaf ``index`` (from its entry bundle, or its pending record)."""
        size = self.size
        if index < 0 or index >= size:
            raise LedgerError(f"leaf index {index} is beyond the log size {size}")
        for pending in (False, True, False):  # bundle again: a concurrent fold may have moved it
            if pending:
                size, _, _, records = self._store.read_head()
                p, pend = unpack_pending(size, records)
                if p <= index < size:
                    return pend[index - p][1]
            else:
                blob = self._store.get_tiles([(ENTRIES, index // TILE)]).get((ENTRIES, index // TILE))
                entries = _unbundle(blob) if blob is not None else []
                if index % TILE < len(entries):
                    return entries[index % TILE]
        raise LedgerError(f"leaf {index} is missing from storage (corrupt log?)")

    def _materialise(self, plan: list[list[Key]]) -> list[bytes]:
        got = self._hashes([k for group in plan for k in group])
        return [fold([got[k] for k in group]) for group in plan]

    @_locked
    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof for leaf ``index`` in the tree of ``size`` leaves."""
        size = self._size_or_current(size)
        if index < 0 or index >= size:
            raise LedgerError(f"leaf index {index} is beyond tree size {size}")
        return self._materialise(inclusion_plan(index, size))

    @_locked
    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from ``old_size`` to ``new_size`` (default: current size)."""
        new_size = self._size_or_current(new_size)
        if old_size < 0 or old_size > new_size:
            raise LedgerError(f"old size {old_size} is beyond tree size {new_size}")
        if old_size == 0 or old_size == new_size:
            return []
        return self._materialise(consistency_plan(old_size, new_size))

    # -- auditing ---------------------------------------------------------------------------
    @_locked
    def audit(self) -> AuditReport:
        """Recompute every stored hash, the frontier and the root from the stored leaf data
        (see :mod:`zhibao.ledger.audit`); the report names the first divergence."""
        return audit_log(self)
