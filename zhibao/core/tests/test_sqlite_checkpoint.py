"""The background WAL checkpointer of web processes (zhibao.core.sqlite_checkpoint)."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db.backends.signals import connection_created

from zhibao.core import sqlite_checkpoint

SQLITE = "django.db.backends.sqlite3"


def _wal_database(path: Path, rows: int = 200) -> sqlite3.Connection:
    """A WAL database whose rows are all still in the log (automatic checkpoints off), left open: SQLite
    folds the log back into the file when the last connection closes."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x BLOB)")
    for _ in range(rows):
        conn.execute("INSERT INTO t VALUES (zeroblob(4000))")
    return conn


def test_checkpoint_copies_the_log_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with closing(_wal_database(path)):
        before = path.stat().st_size
        busy, logged, copied = sqlite_checkpoint.checkpoint(path)
        assert busy == 0 and logged > 200 and copied == logged
        assert path.stat().st_size > before + 200 * 4000


def test_the_thread_checkpoints_in_the_background_until_stopped(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with closing(_wal_database(path)):
        before = path.stat().st_size
        thread = sqlite_checkpoint.start({"ENGINE": SQLITE, "NAME": str(path)}, 0.02)
        assert thread is not None
        try:
            deadline = time.monotonic() + 10  # the file grows page by page while a checkpoint runs: wait for all
            while path.stat().st_size <= before + 200 * 4000 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert path.stat().st_size > before + 200 * 4000
        finally:
            thread.stop()
            thread.join(2)
        assert not thread.is_alive()
        assert not any(receiver[0][0] == "zhibao.sqlite_checkpoint" for receiver in connection_created.receivers)


class _FakeConnection:
    """Stands for a Django connection: its vendor, and a cursor over a real sqlite3 connection."""

    def __init__(self, vendor: str, raw: sqlite3.Connection) -> None:
        self.vendor, self.raw = vendor, raw

    def cursor(self):  # noqa: ANN201
        return closing(self.raw.cursor())


def test_new_sqlite_connections_leave_checkpoints_to_the_thread_and_others_are_untouched(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "a.sqlite3")) as raw:
        sqlite_checkpoint.defer_autocheckpoint(None, _FakeConnection("sqlite", raw))
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == sqlite_checkpoint.SAFETY_PAGES
    with closing(sqlite3.connect(tmp_path / "b.sqlite3")) as raw:
        sqlite_checkpoint.defer_autocheckpoint(None, _FakeConnection("postgresql", raw))
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # SQLite's default


@pytest.mark.parametrize("database, interval", [
    ({"ENGINE": "django.db.backends.postgresql", "NAME": "zhibao"}, 1.0),
    ({"ENGINE": SQLITE, "NAME": "/tmp/zhibao.sqlite3"}, 0),
    ({"ENGINE": SQLITE, "NAME": ":memory:"}, 1.0),
    ({"ENGINE": SQLITE, "NAME": "file:memorydb_default?mode=memory&cache=shared"}, 1.0),
])
def test_nothing_starts_for_postgresql_in_memory_databases_or_a_zero_interval(database: dict, interval: float) -> None:
    assert sqlite_checkpoint.start(database, interval) is None
