"""SQL storage for the Merkle log: SQLite (stdlib) or PostgreSQL (psycopg 3).

Why this layout (two tables per log, ``<prefix>_tiles`` and ``<prefix>_meta``):

* ``tiles(level, tile, data)`` holds *every* complete subtree hash, packed 64 to a row in the
  spirit of C2SP tlog-tiles (but for every level, not every eighth): the hash of node (level L,
  index i) is bytes ``32*(i % 64) …`` of row (L, i // 64). Rows with level −1 are *entry bundles*:
  the exact data of leaves 64·t … 64·t+63 (u16 count ‖ u32 lengths ‖ data, see log._bundle).
  Complete subtrees never change, so a row only ever grows until it is full; a proof reads one
  row per tree level (O(log n) point reads), and a batch of a million leaves writes ~47,000 rows
  instead of two or three million, which is what makes ≥250k appends/s possible from Python.
  64 hashes = 2 KiB, so a hash row always stays on its b-tree page (no overflow chains).
* ``meta(size, root, frontier, pending)`` — the committed size, its root, the right frontier (the
  hashes of the perfect subtrees covering [0, size)), the only hashes an append needs besides the
  partial last row of each level it extends, and the *pending records* of single appends not yet
  folded into the tile rows (see :mod:`zhibao.ledger.tiles`: a single append then dirties one
  page, this row, instead of four or five). Logs created before the column existed get it on open.

SQLite durability choice: ``journal_mode=WAL`` + ``synchronous=FULL`` by default. WAL lets readers
proceed while one writer appends; FULL fsyncs the WAL on every commit, so an acknowledged append
survives not only ``kill -9`` but also power loss, which matters for evidence. Single commits cost
one fsync each. ``sqlite:///path?synchronous=normal`` trades the power-loss guarantee for speed: the
WAL is then fsynced only at checkpoints, and an acknowledged append still survives ``kill -9`` (the
WAL is in the OS page cache), which is the guarantee a crashed process needs; a node on a UPS or a
replicated disk may choose it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .merkle import EMPTY_ROOT, HASH_SIZE, LedgerError

_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")
TILE = 64  # hashes (or leaf entries, level -1) per tile row
TileKey = tuple[int, int]
_SHIFT = 40  # SQLite tile id = (level + 1) << 40 | tile
_MASK = (1 << _SHIFT) - 1


class Store:
    """Minimal storage interface used by :class:`zhibao.ledger.MerkleLog`."""

    ph = "?"

    def __init__(self, prefix: str) -> None:
        if not _PREFIX_RE.match(prefix):
            raise LedgerError(f"invalid table prefix {prefix!r}")
        self.tiles, self.meta = f"{prefix}_tiles", f"{prefix}_meta"

    # -- backend specific -----------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def begin_write(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def lock_meta(self) -> tuple[int, bytes, int]:
        """Inside a write transaction: lock and return (size, frontier, bytes of pending records)."""
        raise NotImplementedError

    def add_pending(self, size: int, root: bytes, frontier: bytes, record: bytes) -> None:
        """The whole write of a single append: the new head, with ``record`` added to its pending column."""
        raise NotImplementedError

    def add_pending_if(
        self, old: tuple[int, bytes], size: int, root: bytes, frontier: bytes, record: bytes
    ) -> bool:
        """:meth:`add_pending` as one autocommit statement, only if the stored (size, frontier) are
        still ``old`` (the frontier determines the whole tree, so nothing else can have changed).

        Returns whether it was applied; no transaction may be open.
        """
        raise NotImplementedError

    def put_tiles(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        """Insert or replace tile rows (level, tile, data)."""
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------------
    def _q(self, sql: str) -> str:
        return sql if self.ph == "?" else sql.replace("?", "%s")

    def read_meta(self) -> tuple[int, bytes, bytes]:
        rows = self.execute(self._q(f"SELECT size, root, frontier FROM {self.meta} WHERE id = 1"))
        return int(rows[0][0]), bytes(rows[0][1]), bytes(rows[0][2])

    def read_head(self) -> tuple[int, bytes, bytes, bytes]:
        """(size, root, frontier, pending records), read together."""
        rows = self.execute(self._q(f"SELECT size, root, frontier, pending FROM {self.meta} WHERE id = 1"))
        return int(rows[0][0]), bytes(rows[0][1]), bytes(rows[0][2]), bytes(rows[0][3])

    def write_meta(self, size: int, root: bytes, frontier: bytes) -> None:
        """A new head after a batch; the batch has folded every pending record into the tile rows."""
        self.execute(
            self._q(f"UPDATE {self.meta} SET size = ?, root = ?, frontier = ?, pending = ? WHERE id = 1"),
            (size, root, frontier, b""),
        )

    def get_tiles(self, keys: Iterable[TileKey]) -> dict[TileKey, bytes]:
        """Fetch tile rows by (level, tile) in one query; absent rows are simply not returned."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        cond = " OR ".join(["(level = ? AND tile = ?)"] * len(wanted))
        params = [v for k in wanted for v in k]
        rows = self.execute(self._q(f"SELECT level, tile, data FROM {self.tiles} WHERE {cond}"), params)
        return {(int(lv), int(t)): bytes(h) for lv, t, h in rows}

    def get_hashes(self, keys: Sequence[TileKey]) -> dict[TileKey, bytes]:
        """Node hashes by (level, index); a node whose hash is not stored is left out."""
        tiles = self.get_tiles((lv, i // TILE) for lv, i in keys)
        out: dict[TileKey, bytes] = {}
        for lv, i in keys:
            off = (i % TILE) * HASH_SIZE
            h = tiles.get((lv, i // TILE), b"")[off : off + HASH_SIZE]
            if len(h) == HASH_SIZE:
                out[(lv, i)] = h
        return out

    def max_level(self) -> int | None:
        """Highest level with a stored row (None if there is none); the audit looks for strays."""
        (top,) = self.execute(f"SELECT MAX(level) FROM {self.tiles}")[0]
        return None if top is None else int(top)

    def iter_tiles(self, level: int, chunk: int = 256) -> Iterator[tuple[int, bytes]]:
        """Stored tiles of one level in tile order."""
        last = -1
        while True:
            rows = self.execute(
                self._q(
                    f"SELECT tile, data FROM {self.tiles} WHERE level = ? AND tile > ? ORDER BY tile LIMIT ?"
                ),
                (level, last, chunk),
            )
            for t, h in rows:
                yield int(t), bytes(h)
            if len(rows) < chunk:
                return
            last = int(rows[-1][0])


class SQLiteStore(Store):
    """SQLite backend; autocommit connection with explicit ``BEGIN IMMEDIATE`` for appends.

    Tiles live in a plain rowid table keyed by ``(level + 1) << 40 | tile``: rowid b-tree pages
    keep rows up to ~16 KiB inline, where a WITHOUT ROWID table would spill anything above ~4 KiB
    (an entry bundle of 64 leaves) to a mostly empty overflow page.
    """

    def __init__(self, path: str, prefix: str = "ledger", synchronous: str = "full") -> None:
        super().__init__(prefix)
        if synchronous.lower() not in ("full", "normal"):
            raise LedgerError(f"synchronous must be 'full' or 'normal', not {synchronous!r}")
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30.0, check_same_thread=False)
        self.conn.execute("PRAGMA page_size=16384")  # fewer, fuller b-tree pages for 2 KiB tile rows
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={synchronous.upper()}")
        self.conn.execute("PRAGMA cache_size=-65536")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.tiles} (id INTEGER PRIMARY KEY, data BLOB NOT NULL)"
            )
            self.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.meta} (id INTEGER PRIMARY KEY CHECK (id = 1), "
                "size INTEGER NOT NULL, root BLOB NOT NULL, frontier BLOB NOT NULL, "
                "pending BLOB NOT NULL DEFAULT X'')"
            )
            columns = [r[1] for r in self.conn.execute(f"PRAGMA table_info({self.meta})")]
            if "pending" not in columns:
                self.conn.execute(f"ALTER TABLE {self.meta} ADD COLUMN pending BLOB NOT NULL DEFAULT X''")
            self.conn.execute(
                f"INSERT OR IGNORE INTO {self.meta} (id, size, root, frontier) VALUES (1, 0, ?, X'')",
                (EMPTY_ROOT,),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self._sql_meta = f"SELECT size, frontier, length(pending) FROM {self.meta} WHERE id = 1"
        self._sql_add = (
            f"UPDATE {self.meta} SET size = ?, root = ?, frontier = ?, pending = CAST(pending || ? AS BLOB) "
            "WHERE id = 1"
        )
        self._sql_add_if = self._sql_add + " AND size = ? AND frontier = ?"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def begin_write(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def put_tiles(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        self.conn.executemany(
            f"INSERT OR REPLACE INTO {self.tiles} (id, data) VALUES (?, ?)",
            [(((lv + 1) << _SHIFT) | t, d) for lv, t, d in rows],
        )

    def get_tiles(self, keys: Iterable[TileKey]) -> dict[TileKey, bytes]:
        ids = sorted({((lv + 1) << _SHIFT) | t for lv, t in keys})
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.execute(f"SELECT id, data FROM {self.tiles} WHERE id IN ({marks})", ids)
        return {((i >> _SHIFT) - 1, i & _MASK): bytes(d) for i, d in rows}

    def get_hashes(self, keys: Sequence[TileKey]) -> dict[TileKey, bytes]:
        """Only the 32 needed bytes of each tile cross into Python (``substr`` in SQL)."""
        if not keys:
            return {}
        params: list[int] = []
        for lv, i in keys:
            params += (((lv + 1) << _SHIFT) | (i // TILE), (i % TILE) * HASH_SIZE + 1, lv, i)
        values = ",".join(["(?,?,?,?)"] * len(keys))
        rows = self.execute(
            f"WITH k(id, off, lv, i) AS (VALUES {values}) "
            f"SELECT k.lv, k.i, substr(t.data, k.off, {HASH_SIZE}) FROM k JOIN {self.tiles} t ON t.id = k.id",
            params,
        )
        return {(lv, i): h for lv, i, h in rows if len(h) == HASH_SIZE}

    def max_level(self) -> int | None:
        (top,) = self.execute(f"SELECT MAX(id) FROM {self.tiles}")[0]
        return None if top is None else (int(top) >> _SHIFT) - 1

    def iter_tiles(self, level: int, chunk: int = 256) -> Iterator[tuple[int, bytes]]:
        lo, hi = (level + 1) << _SHIFT, ((level + 2) << _SHIFT) - 1
        last = lo - 1
        while True:
            rows = self.execute(
                f"SELECT id, data FROM {self.tiles} WHERE id > ? AND id <= ? ORDER BY id LIMIT ?",
                (last, hi, chunk),
            )
            for i, d in rows:
                yield int(i) & _MASK, bytes(d)
            if len(rows) < chunk:
                return
            last = int(rows[-1][0])

    def lock_meta(self) -> tuple[int, bytes, int]:
        # BEGIN IMMEDIATE already holds the write lock
        row = self.conn.execute(self._sql_meta).fetchone()
        return row[0], row[1], row[2]

    def add_pending(self, size: int, root: bytes, frontier: bytes, record: bytes) -> None:
        """Hot path of a single append: a prepared statement, no wrapping."""
        self.conn.execute(self._sql_add, (size, root, frontier, record))

    def add_pending_if(
        self, old: tuple[int, bytes], size: int, root: bytes, frontier: bytes, record: bytes
    ) -> bool:
        return self.conn.execute(self._sql_add_if, (size, root, frontier, record, *old)).rowcount == 1

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


class PostgresStore(Store):
    """PostgreSQL backend (psycopg 3); appends serialise on ``SELECT … FOR UPDATE`` of the meta row.

    Durability is PostgreSQL's own: a COMMIT returns after the WAL is flushed (the default
    ``synchronous_commit=on``).
    """

    ph = "%s"

    def __init__(self, url: str, prefix: str = "ledger") -> None:
        super().__init__(prefix)
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.meta,))
            self.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.tiles} (level SMALLINT NOT NULL, tile BIGINT NOT NULL, "
                "data BYTEA NOT NULL, PRIMARY KEY (level, tile))"
            )
            self.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.meta} (id INTEGER PRIMARY KEY CHECK (id = 1), "
                "size BIGINT NOT NULL, root BYTEA NOT NULL, frontier BYTEA NOT NULL, "
                "pending BYTEA NOT NULL DEFAULT '\\x')"
            )
            self.conn.execute(
                f"ALTER TABLE {self.meta} ADD COLUMN IF NOT EXISTS pending BYTEA NOT NULL DEFAULT '\\x'"
            )
            self.conn.execute(
                f"INSERT INTO {self.meta} (id, size, root, frontier) VALUES (1, 0, %s, '\\x') "
                "ON CONFLICT (id) DO NOTHING",
                (EMPTY_ROOT,),
            )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(sql, params)  # type: ignore[call-overload]
        return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql, rows)  # type: ignore[arg-type]

    def put_tiles(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        self.executemany(
            f"INSERT INTO {self.tiles} (level, tile, data) VALUES (%s, %s, %s) "
            "ON CONFLICT (level, tile) DO UPDATE SET data = EXCLUDED.data",
            rows,
        )

    @property
    def _sql_add(self) -> str:
        return f"UPDATE {self.meta} SET size = %s, root = %s, frontier = %s, pending = pending || %s WHERE id = 1"

    def begin_write(self) -> None:
        self.conn.execute("BEGIN")

    def add_pending(self, size: int, root: bytes, frontier: bytes, record: bytes) -> None:
        self.conn.execute(self._sql_add, (size, root, frontier, record))

    def add_pending_if(
        self, old: tuple[int, bytes], size: int, root: bytes, frontier: bytes, record: bytes
    ) -> bool:
        sql = self._sql_add + " AND size = %s AND frontier = %s"
        return self.conn.execute(sql, (size, root, frontier, record, *old)).rowcount == 1

    def lock_meta(self) -> tuple[int, bytes, int]:
        rows = self.execute(f"SELECT size, frontier, length(pending) FROM {self.meta} WHERE id = 1 FOR UPDATE")
        return int(rows[0][0]), bytes(rows[0][1]), int(rows[0][2])

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        import psycopg

        try:
            self.conn.execute("ROLLBACK")
        except psycopg.Error:
            pass  # a broken connection has no transaction left; keep the original error

    def close(self) -> None:
        self.conn.close()


def open_store(url: str, prefix: str = "ledger") -> Store:
    """``postgresql://…`` / ``postgres://…`` → PostgreSQL; ``sqlite:///path`` or a bare path → SQLite."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url, prefix)
    if url.startswith("sqlite:///"):
        path, _, query = url[len("sqlite:///") :].partition("?")
        options = dict(part.partition("=")[::2] for part in query.split("&") if part)
        unknown = set(options) - {"synchronous"}
        if unknown:
            raise LedgerError(f"unsupported log URL option(s) {sorted(unknown)} (only synchronous=full|normal)")
        return SQLiteStore(path, prefix, options.get("synchronous", "full"))
    if "://" in url:
        raise LedgerError(f"unsupported log URL {url!r} (use a path, sqlite:///path or postgresql://…)")
    return SQLiteStore(url, prefix)
