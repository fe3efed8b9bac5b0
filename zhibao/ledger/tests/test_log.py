"""Tile storage of the Merkle log: every stored byte is covered by audit(), errors, concurrency, PostgreSQL.

Why a separate file: test_merkle.py checks the tree against RFC 9162; this file checks the storage
layout of zhibao.ledger.store (tiles of 64 hashes, entry bundles, the meta frontier) on SQLite
and, when DATABASE_URL points at PostgreSQL, on PostgreSQL in throw-away tables.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhibao.ledger import EMPTY_ROOT, LedgerError, MerkleLog, verify_consistency, verify_inclusion
from zhibao.ledger.merkle import leaf_hash

from . import reference as ref

PG_URL = os.environ.get("DATABASE_URL", "")
needs_pg = pytest.mark.skipif(not PG_URL.startswith("postgres"), reason="needs DATABASE_URL=postgres…")


def _leaves(n: int, tag: bytes = b"") -> list[bytes]:
    return [tag + b"leaf-%d-" % i + bytes([i % 256]) * (i % 7) for i in range(n)]


def test_empty_log(tmp_path: Path) -> None:
    with MerkleLog.open(str(tmp_path / "e.db")) as lg:
        assert lg.size == 0 and lg.root() == EMPTY_ROOT and lg.root(0) == EMPTY_ROOT
        assert lg.consistency_proof(0, 0) == []
        assert lg.audit().ok
        with pytest.raises(LedgerError):
            lg.inclusion_proof(0)
        with pytest.raises(LedgerError):
            lg.leaf(0)
        with pytest.raises(LedgerError):
            lg.append_many([])
        with pytest.raises(LedgerError):
            lg.append_many(["text"])  # type: ignore[list-item]


def test_requests_beyond_the_tree_raise_ledger_error(tmp_path: Path) -> None:
    with MerkleLog.open(str(tmp_path / "b.db")) as lg:
        lg.append_many(_leaves(10))
        for call in (
            lambda: lg.inclusion_proof(10),
            lambda: lg.inclusion_proof(3, 11),
            lambda: lg.inclusion_proof(5, 5),
            lambda: lg.inclusion_proof(-1),
            lambda: lg.consistency_proof(4, 11),
            lambda: lg.consistency_proof(7, 6),
            lambda: lg.root(11),
            lambda: lg.leaf(10),
            lambda: lg.leaf(-1),
        ):
            with pytest.raises(LedgerError) as exc:
                call()
            assert isinstance(exc.value, ValueError) and str(exc.value)


def test_batches_across_tile_boundaries_match_reference(tmp_path: Path) -> None:
    """Batch sizes around the 64-wide tiles: partial tiles must be extended, never corrupted."""
    data: list[bytes] = []
    with MerkleLog.open(str(tmp_path / "t.db")) as lg:
        for k in (1, 62, 1, 1, 63, 64, 65, 127, 129, 4096 - 452, 1, 4097):
            assert lg.append_many(_leaves(k, b"%d:" % len(data))) == len(data)
            data += _leaves(k, b"%d:" % len(data))
            assert lg.root() == ref.mth(data)
        n = len(data)
        for size in (1, 63, 64, 65, 128, 4096, n):
            root = ref.mth(data[:size])
            assert lg.root(size) == root
            for i in {0, size // 3, size - 1}:
                verify_inclusion(leaf_hash(data[i]), i, size, lg.inclusion_proof(i, size), root)
                assert lg.leaf(i) == data[i]
            for old in {1, size // 2 or 1, size - 1 or 1}:
                verify_consistency(old, size, lg.consistency_proof(old, size), lg.root(old), root)
        assert lg.audit().ok


def _rows(db: Path) -> list[tuple[str, int, bytes]]:
    con = sqlite3.connect(db)
    try:
        rows = [("tile", int(i), bytes(d)) for i, d in con.execute("SELECT id, data FROM ledger_tiles")]
        rows += [
            ("meta." + c, 1, bytes(v))
            for c in ("root", "frontier", "pending")
            for (v,) in con.execute(f"SELECT {c} FROM ledger_meta")
        ]
        return rows
    finally:
        con.close()


def _write(db: Path, kind: str, key: int, value: bytes) -> None:
    con = sqlite3.connect(db)
    if kind == "tile":
        con.execute("UPDATE ledger_tiles SET data = ? WHERE id = ?", (value, key))
    else:
        con.execute(f"UPDATE ledger_meta SET {kind.split('.')[1]} = ?", (value,))
    con.commit()
    con.close()


def _flip_positions(blob: bytes) -> Iterator[int]:
    yield from sorted(
        {0, 1, 2, len(blob) // 3, len(blob) // 2, len(blob) - 33, len(blob) - 1} & set(range(len(blob)))
    )


def test_audit_finds_a_flipped_byte_anywhere(tmp_path: Path) -> None:
    """Flip single bytes in every stored row (entry bundles, every hash level, root, frontier)."""
    db = tmp_path / "a.db"
    with MerkleLog.open(str(db)) as lg:
        lg.append_many(_leaves(150))
        for i in range(4):  # pending records in the head row, one of them completing a level-2 node
            lg.append(b"one more %d" % i)
        assert lg.audit().ok
    rows = _rows(db)
    assert len(rows) > 10
    checked = 0
    with MerkleLog.open(str(db)) as lg:
        for kind, key, blob in rows:
            for pos in _flip_positions(blob):
                bad = blob[:pos] + bytes([blob[pos] ^ 0x01]) + blob[pos + 1 :]
                _write(db, kind, key, bad)
                rep = lg.audit()
                assert not rep.ok and rep.problem, (kind, key, pos)
                checked += 1
            _write(db, kind, key, blob)
        assert lg.audit().ok
    assert checked > 50


def test_audit_finds_deleted_and_truncated_rows(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with MerkleLog.open(str(db)) as lg:
        lg.append_many(_leaves(200))
    for kind, key, blob in _rows(db):
        if kind != "tile":
            continue
        con = sqlite3.connect(db)
        con.execute("DELETE FROM ledger_tiles WHERE id = ?", (key,))
        con.commit()
        con.close()
        with MerkleLog.open(str(db)) as lg:
            assert not lg.audit().ok
        con = sqlite3.connect(db)
        con.execute("INSERT INTO ledger_tiles (id, data) VALUES (?, ?)", (key, blob))
        con.commit()
        con.close()
        _write(db, "tile", key, blob[:-1])
        with MerkleLog.open(str(db)) as lg:
            assert not lg.audit().ok
        _write(db, "tile", key, blob)
    con = sqlite3.connect(db)
    con.execute("UPDATE ledger_meta SET size = size - 1")
    con.commit()
    con.close()
    with MerkleLog.open(str(db)) as lg:
        assert not lg.audit().ok


def test_concurrent_writers_on_one_sqlite_file(tmp_path: Path) -> None:
    """Two handles (as two web workers would have) append at once; BEGIN IMMEDIATE serialises them."""
    db = str(tmp_path / "c.db")
    MerkleLog.open(db).close()
    got: dict[str, list[int]] = {"a": [], "b": []}

    def work(tag: str) -> None:
        with MerkleLog.open(db) as lg:
            for i in range(40):
                got[tag].append(lg.append(b"%s%d" % (tag.encode(), i)))

    threads = [threading.Thread(target=work, args=(t,)) for t in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with MerkleLog.open(db) as lg:
        assert lg.size == 80 and sorted(got["a"] + got["b"]) == list(range(80))
        for tag, idxs in got.items():
            for i, idx in enumerate(idxs):
                assert lg.leaf(idx) == b"%s%d" % (tag.encode(), i)
        assert lg.audit().ok


@pytest.fixture
def pg_log() -> Iterator[tuple[str, str]]:
    import psycopg

    prefix = f"t_ledger_{uuid.uuid4().hex[:12]}"
    try:
        yield PG_URL, prefix
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as con:
            for t in ("tiles", "meta"):
                con.execute(f"DROP TABLE IF EXISTS {prefix}_{t}")


@needs_pg
def test_postgres_tiles_audit_and_concurrency(pg_log: tuple[str, str]) -> None:
    import psycopg

    url, prefix = pg_log
    data: list[bytes] = []
    with MerkleLog.open(url, prefix=prefix) as lg:
        for k in (1, 63, 1, 70, 200, 3):
            lg.append_many(_leaves(k, b"%d:" % len(data)))
            data += _leaves(k, b"%d:" % len(data))
        assert lg.root() == ref.mth(data) and lg.root(64) == ref.mth(data[:64])
        assert lg.inclusion_proof(100, 300) == ref.path(100, data[:300])
        assert lg.consistency_proof(65, len(data)) == ref.proof(65, data)
        assert lg.leaf(299) == data[299] and lg.audit().ok

    def work(tag: bytes) -> None:
        with MerkleLog.open(url, prefix=prefix) as lg:
            for i in range(15):
                lg.append(tag + b"%d" % i)

    threads = [threading.Thread(target=work, args=(t,)) for t in (b"x", b"y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with MerkleLog.open(url, prefix=prefix) as lg:
        assert lg.size == len(data) + 30 and lg.audit().ok
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(
            f"UPDATE {prefix}_tiles SET data = overlay(data placing '\\xff'::bytea from 5 for 1) "
            "WHERE level = 1 AND tile = 0"
        )
    with MerkleLog.open(url, prefix=prefix) as lg:
        rep = lg.audit()
        assert not rep.ok and rep.level == 1 and rep.index is not None and rep.index < 64


def test_audit_finds_rows_beyond_the_tree(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with MerkleLog.open(str(db)) as lg:
        lg.append_many(_leaves(70))
    for level, tile in ((-1, 5), (0, 9), (3, 1), (12, 0)):
        con = sqlite3.connect(db)
        con.execute(
            "INSERT INTO ledger_tiles (id, data) VALUES (?, ?)", (((level + 1) << 40) | tile, bytes(32))
        )
        con.commit()
        con.close()
        with MerkleLog.open(str(db)) as lg:
            assert not lg.audit().ok, (level, tile)
        con = sqlite3.connect(db)
        con.execute("DELETE FROM ledger_tiles WHERE id = ?", (((level + 1) << 40) | tile,))
        con.commit()
        con.close()
    with MerkleLog.open(str(db)) as lg:
        assert lg.audit().ok


def test_every_proof_of_small_trees_equals_the_rfc_definition(tmp_path: Path) -> None:
    """Exhaustive for sizes ≤ 70 (two tile widths): every PATH and every PROOF, byte for byte."""
    data = _leaves(70)
    with MerkleLog.open(str(tmp_path / "x.db")) as lg:
        lg.append_many(data[:1])
        lg.append_many(data[1:33])
        lg.append_many(data[33:])
        for n in range(1, 71):
            d = data[:n]
            for m in range(n):
                assert lg.inclusion_proof(m, n) == ref.path(m, d), (m, n)
            for m in range(1, n):
                assert lg.consistency_proof(m, n) == ref.proof(m, d), (m, n)


def test_sqlite_url_selects_synchronous_mode_and_rejects_unknown_options(tmp_path):  # noqa: ANN001
    from zhibao.ledger import LedgerError, MerkleLog

    log = MerkleLog.open(f"sqlite:///{tmp_path / 'n.db'}?synchronous=normal")
    assert log._store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    log.append(b"x")
    log.close()
    full = MerkleLog.open(str(tmp_path / "n.db"))
    assert full._store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2 and full.size == 1  # FULL
    full.close()
    for bad in ("?synchronous=off", "?fast=1"):
        with pytest.raises(LedgerError):
            MerkleLog.open(f"sqlite:///{tmp_path / 'n.db'}{bad}")


def test_proofs_from_cached_tiles_match_storage_reads(tmp_path):  # noqa: ANN001
    from zhibao.ledger import MerkleLog, leaf_hash, verify_inclusion

    log = MerkleLog.open(str(tmp_path / "c.db"))
    log.append_many([f"leaf {i}".encode() for i in range(5000)])
    first = [log.inclusion_proof(i) for i in range(0, 5000, 97)]
    assert log._full_tiles  # upper-level complete rows are now in memory
    again = [log.inclusion_proof(i) for i in range(0, 5000, 97)]
    fresh = MerkleLog.open(str(tmp_path / "c.db"))
    assert first == again == [fresh.inclusion_proof(i) for i in range(0, 5000, 97)]
    root = log.root()
    for n, i in enumerate(range(0, 5000, 97)):
        verify_inclusion(leaf_hash(f"leaf {i}".encode()), i, 5000, again[n], root)
    log.append_many([b"more"] * 200)  # growing the tree never invalidates a complete row
    assert log.consistency_proof(5000) == fresh.consistency_proof(5000, 5200)
    fresh.close()
    log.close()


def test_single_appends_stay_pending_in_the_head_until_a_tile_row_fills(tmp_path: Path) -> None:
    """Single appends add records to the head row; the one completing a tile row folds them in."""
    db = tmp_path / "p.db"
    data = _leaves(150)
    with MerkleLog.open(str(db)) as lg:
        lg.append_many(data)
        for i in range(150, 330):
            data.append(b"single %d" % i)
            assert lg.append(data[-1]) == i
            assert lg.root() == ref.mth(data)
            con = sqlite3.connect(db)
            (pending,) = con.execute("SELECT pending FROM ledger_meta").fetchone()
            con.close()
            assert (len(pending) == 0) == (len(data) % 64 == 0 or len(data) == 150), len(data)
            if i % 37 == 0 or len(data) % 64 in (0, 1, 63):
                size = len(data)
                for m in {0, 149, 150, size // 2, size - 2, size - 1}:
                    assert lg.inclusion_proof(m, size) == ref.path(m, data), (m, size)
                    assert lg.leaf(m) == data[m]
                for old in {1, 150, size - 1}:
                    assert lg.consistency_proof(old, size) == ref.proof(old, data), (old, size)
        assert lg.audit().ok
    with MerkleLog.open(str(db)) as fresh:  # a new handle reads the pending records from storage
        assert fresh.root() == ref.mth(data) and fresh.leaf(len(data) - 1) == data[-1]
        assert fresh.inclusion_proof(len(data) - 3) == ref.path(len(data) - 3, data)


def test_audit_finds_damaged_pending_records(tmp_path: Path) -> None:
    db = tmp_path / "pd.db"
    with MerkleLog.open(str(db)) as lg:
        lg.append_many(_leaves(70))
        for i in range(9):
            lg.append(b"pending %d" % i)
        assert lg.audit().ok
    con = sqlite3.connect(db)
    (good,) = con.execute("SELECT pending FROM ledger_meta").fetchone()
    con.close()
    first = 5 + 32 + len(b"pending 0")  # the first record: header, one hash (leaf 70 is even), data
    for bad in (good[:-1], good[first:], good + good[:first], good[:first], b"\xff" + good[1:]):
        _write(db, "meta.pending", 1, bad)
        with MerkleLog.open(str(db)) as lg:
            rep = lg.audit()
            assert not rep.ok and rep.problem, bad[:8]
    _write(db, "meta.pending", 1, good)
    with MerkleLog.open(str(db)) as lg:
        assert lg.audit().ok


def test_two_handles_interleaving_single_appends(tmp_path: Path) -> None:
    """A handle's remembered right edge goes stale when another handle appends; it must notice."""
    db = str(tmp_path / "i.db")
    data: list[bytes] = []
    with MerkleLog.open(db) as a, MerkleLog.open(db) as b:
        for i in range(200):
            lg = a if (i // 3) % 2 else b
            data.append(b"i%d" % i)
            assert lg.append(data[-1]) == len(data) - 1
            if i % 50 == 7:
                assert lg.append_many([b"batch %d" % i, b"batch %d'" % i]) == len(data)
                data += [b"batch %d" % i, b"batch %d'" % i]
        assert a.root() == b.root() == ref.mth(data) and a.size == len(data)
        assert a.audit().ok


def test_readers_during_single_appends_never_see_a_missing_hash(tmp_path: Path) -> None:
    """Pending hashes move into tile rows while another handle reads proofs; reads must not fail."""
    db = str(tmp_path / "r.db")
    with MerkleLog.open(db) as w:
        w.append_many(_leaves(60))
    stop = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with MerkleLog.open(db) as r:
                while not stop.is_set():
                    size, root = r.head()
                    for m in (0, size // 2, size - 1):
                        verify_inclusion(leaf_hash(r.leaf(m)), m, size, r.inclusion_proof(m, size), root)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=read)
    t.start()
    try:
        with MerkleLog.open(db) as w:
            for i in range(400):
                w.append(b"w%d" % i)
    finally:
        stop.set()
        t.join()
    assert not errors, errors[:1]


def test_a_log_from_before_the_pending_column_is_upgraded_on_open(tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    data = _leaves(100)
    with MerkleLog.open(str(db)) as lg:
        lg.append_many(data)
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE ledger_meta DROP COLUMN pending")
    con.commit()
    con.close()
    with MerkleLog.open(str(db)) as lg:
        data.append(b"after upgrade")
        lg.append(data[-1])
        assert lg.root() == ref.mth(data) and lg.audit().ok


KILL_SINGLE = """
import sys
from zhibao.ledger import MerkleLog
log = MerkleLog.open("sqlite:///" + sys.argv[1] + "?synchronous=normal")
i = 0
while True:
    print(log.append(b"single %d" % i), flush=True)
    i += 1
"""


def test_kill_9_keeps_acknowledged_single_appends(tmp_path: Path) -> None:
    """synchronous=normal: every acknowledged single append survives kill -9, pending or folded."""
    import signal
    import subprocess
    import sys

    db = tmp_path / "k1.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SINGLE, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.stdout is not None
    acked: list[int] = []
    for line in proc.stdout:
        acked.append(int(line))
        if len(acked) >= 700:  # mid-tile at an arbitrary point of a busy loop
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acked += [int(ln) for ln in proc.stdout.read().split()]
    assert acked == list(range(len(acked)))
    with MerkleLog.open(str(db)) as lg:
        assert lg.size >= len(acked)
        for i in acked[-130:]:
            assert lg.leaf(i) == b"single %d" % i
        assert lg.audit().ok


@needs_pg
def test_postgres_single_appends_and_pending_column_upgrade(pg_log: tuple[str, str]) -> None:
    import psycopg

    url, prefix = pg_log
    data = _leaves(70)
    with MerkleLog.open(url, prefix=prefix) as lg:
        lg.append_many(data)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"ALTER TABLE {prefix}_meta DROP COLUMN pending")
    with MerkleLog.open(url, prefix=prefix) as lg, MerkleLog.open(url, prefix=prefix) as other:
        for i in range(70):
            data.append(b"pg single %d" % i)
            assert (lg if i % 5 else other).append(data[-1]) == len(data) - 1
        assert lg.root() == ref.mth(data)
        assert lg.inclusion_proof(len(data) - 2) == ref.path(len(data) - 2, data)
        assert lg.leaf(len(data) - 1) == data[-1] and lg.audit().ok


def test_large_leaves_fold_pending_records_before_the_head_row_overflows(tmp_path: Path) -> None:
    from zhibao.ledger.log import PENDING_BYTES

    db = tmp_path / "big.db"
    data: list[bytes] = []
    with MerkleLog.open(str(db)) as lg:
        for i in range(140):
            data.append(bytes([i % 251]) * (700 if i % 9 else 20_000))  # some larger than the limit
            assert lg.append(data[-1]) == i
            con = sqlite3.connect(db)
            (held,) = con.execute("SELECT length(pending) FROM ledger_meta").fetchone()
            con.close()
            assert held <= PENDING_BYTES
            if i % 13 == 0:
                assert lg.root() == ref.mth(data)
                assert lg.inclusion_proof(i // 2) == ref.path(i // 2, data)
        assert lg.root() == ref.mth(data) and lg.leaf(139) == data[139] and lg.audit().ok
