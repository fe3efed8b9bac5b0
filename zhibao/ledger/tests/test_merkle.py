"""Merkle log: RFC 9162 vectors, properties against the naive reference, durability and audit."""

from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhibao.ledger import (
    EMPTY_ROOT,
    LedgerError,
    MerkleLog,
    VerificationError,
    leaf_hash,
    sha256_hex,
    sm3_hex,
    verify_consistency,
    verify_inclusion,
)

from . import reference as ref

VEC = Path(__file__).parent / "vectors"


def b64(s: str) -> bytes:
    return base64.b64decode(s)


@pytest.mark.parametrize("case", json.loads((VEC / "inclusion.json").read_text()), ids=lambda c: c["source"])
def test_inclusion_vectors(case: dict) -> None:
    args = (b64(case["leafHash"]), case["leafIdx"], case["treeSize"], [b64(p) for p in case["proof"] or []])
    if case["wantErr"]:
        with pytest.raises(VerificationError):
            verify_inclusion(*args, b64(case["root"]))
    else:
        verify_inclusion(*args, b64(case["root"]))


@pytest.mark.parametrize(
    "case", json.loads((VEC / "consistency.json").read_text()), ids=lambda c: c["source"]
)
def test_consistency_vectors(case: dict) -> None:
    args = (
        case["size1"],
        case["size2"],
        [b64(p) for p in case["proof"] or []],
        b64(case["root1"]),
        b64(case["root2"]),
    )
    if case["wantErr"]:
        with pytest.raises(VerificationError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


@pytest.fixture
def log(tmp_path: Path):  # noqa: ANN201
    lg = MerkleLog.open(str(tmp_path / "log.db"))
    yield lg
    lg.close()


def test_reference_tree_vectors(log: MerkleLog) -> None:
    tree = json.loads((VEC / "tree.json").read_text())
    leaves = [bytes.fromhex(x) for x in tree["leaf_inputs_hex"]]
    assert log.root() == EMPTY_ROOT
    for i, leaf in enumerate(leaves):
        assert log.append(leaf) == i
        assert log.root().hex() == tree["root_hashes_hex_by_size"][i + 1]
    for size, want in enumerate(tree["root_hashes_hex_by_size"]):
        assert log.root(size).hex() == want
        assert ref.mth(leaves[:size]).hex() == want
    for level, hashes in enumerate(tree["node_hashes_hex_by_level"]):
        got = log._hashes([(level, i) for i in range(len(hashes))], cached=False)  # tiles and pending rows
        assert [got[(level, i)].hex() for i in range(len(hashes))] == hashes
    assert log.leaf(3) == leaves[3]
    assert log.audit().ok


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batches=st.lists(st.lists(st.binary(max_size=8), min_size=1, max_size=40), min_size=1, max_size=6),
    data=st.data(),
)
def test_sql_log_matches_reference(tmp_path: Path, batches: list[list[bytes]], data: st.DataObject) -> None:
    with MerkleLog.open(str(tmp_path / f"{uuid.uuid4().hex}.db")) as lg:
        leaves: list[bytes] = []
        for batch in batches:
            if data.draw(st.booleans()):  # one leaf at a time: the pending-record path of append()
                for item in batch:
                    assert lg.append(item) == len(leaves)
                    leaves.append(item)
            else:
                assert lg.append_many(batch) == len(leaves)
                leaves += batch
            assert lg.root() == ref.mth(leaves)
        n = len(leaves)
        size = data.draw(st.integers(1, n))
        idx = data.draw(st.integers(0, size - 1))
        old = data.draw(st.integers(1, size))
        assert lg.root(size) == ref.mth(leaves[:size])
        assert lg.inclusion_proof(idx, size) == ref.path(idx, leaves[:size])
        assert lg.consistency_proof(old, size) == (ref.proof(old, leaves[:size]) if old < size else [])
        assert lg.audit().ok


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 70), data=st.data())
def test_verifiers_against_reference(n: int, data: st.DataObject) -> None:
    leaves = [i.to_bytes(2, "big") for i in range(n)]
    root = ref.mth(leaves)
    m = data.draw(st.integers(0, n - 1))
    pf = ref.path(m, leaves)
    verify_inclusion(leaf_hash(leaves[m]), m, n, pf, root)
    old = data.draw(st.integers(1, n))
    cp = ref.proof(old, leaves) if old < n else []
    verify_consistency(old, n, cp, ref.mth(leaves[:old]), root)
    # Any mutation must be rejected: flip a bit, drop/add an element, shift index or sizes.
    if pf:
        j = data.draw(st.integers(0, len(pf) - 1))
        bad = list(pf)
        bad[j] = bytes([bad[j][0] ^ 1]) + bad[j][1:]
        with pytest.raises(VerificationError):
            verify_inclusion(leaf_hash(leaves[m]), m, n, bad, root)
        with pytest.raises(VerificationError):
            verify_inclusion(leaf_hash(leaves[m]), m, n, pf[:-1], root)
    with pytest.raises(VerificationError):
        verify_inclusion(leaf_hash(leaves[m]), m, n, [*pf, root], root)
    with pytest.raises(VerificationError):
        verify_inclusion(leaf_hash(leaves[m]), m + n, n, pf, root)
    if n > 1:
        with pytest.raises(VerificationError):
            verify_inclusion(leaf_hash(leaves[m]), (m + 1) % n, n, pf, root)
    if cp:
        bad = list(cp)
        bad[0] = bytes([bad[0][0] ^ 0x80]) + bad[0][1:]
        with pytest.raises(VerificationError):
            verify_consistency(old, n, bad, ref.mth(leaves[:old]), root)
        with pytest.raises(VerificationError):
            verify_consistency(old, n, cp[:-1], ref.mth(leaves[:old]), root)
        with pytest.raises(VerificationError):
            verify_consistency(old, n, cp, ref.mth(leaves[:old]), ref.mth(leaves[:-1]))


def test_errors(log: MerkleLog) -> None:
    log.append_many([b"a", b"b", b"c"])
    with pytest.raises(LedgerError, match="beyond"):
        log.inclusion_proof(3)
    with pytest.raises(LedgerError, match="beyond"):
        log.inclusion_proof(0, 4)
    with pytest.raises(LedgerError, match="beyond"):
        log.consistency_proof(2, 5)
    with pytest.raises(LedgerError, match="beyond"):
        log.consistency_proof(4)
    with pytest.raises(LedgerError):
        log.leaf(3)
    with pytest.raises(LedgerError):
        log.append_many([])
    with pytest.raises(ValueError):
        MerkleLog.open("mysql://x/y")


def test_digests() -> None:
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_large_threaded_batch_and_urls(tmp_path: Path) -> None:
    leaves = [i.to_bytes(4, "big") for i in range(40_000)]
    with MerkleLog.open(f"sqlite:///{tmp_path / 'big.db'}") as lg:
        lg.append_many(leaves[:3])
        lg.append_many(leaves[3:])
        assert lg.size == 40_000
        for size in (3, 4097, 40_000):
            root = lg.root(size)
            for idx in (0, size // 2, size - 1):
                verify_inclusion(leaf_hash(leaves[idx]), idx, size, lg.inclusion_proof(idx, size), root)
            verify_consistency(3, size, lg.consistency_proof(3, size), lg.root(3), root) if size > 3 else None
        rep = lg.audit()
        assert rep.ok and rep.leaves_checked == 40_000 and rep.nodes_checked == 40_000 - (40_000).bit_count()


def _tile_id(level: int, tile: int) -> int:
    """Row id of a tile in the SQLite layout (see zhibao.ledger.store): (level + 1) << 40 | tile."""
    return ((level + 1) << 40) | tile


@pytest.mark.parametrize("what", ["leaf_hash", "leaf_data", "node", "missing_node", "root"])
def test_audit_detects_tampering(tmp_path: Path, what: str) -> None:
    from zhibao.ledger.log import _bundle, _unbundle

    db = tmp_path / "t.db"
    with MerkleLog.open(str(db)) as lg:
        lg.append_many([b"x%d" % i for i in range(37)])
        assert lg.audit().ok
    con = sqlite3.connect(db)

    def patch(level: int, fn: Callable[[bytes], bytes]) -> None:
        (blob,) = con.execute("SELECT data FROM ledger_tiles WHERE id = ?", (_tile_id(level, 0),)).fetchone()
        con.execute("UPDATE ledger_tiles SET data = ? WHERE id = ?", (fn(blob), _tile_id(level, 0)))

    if what == "leaf_hash":
        patch(0, lambda b: b[: 20 * 32] + bytes(32) + b[21 * 32 :])
    elif what == "leaf_data":
        patch(-1, lambda b: _bundle([e if i != 5 else b"\x00" for i, e in enumerate(_unbundle(b))]))
    elif what == "node":
        patch(2, lambda b: b[: 3 * 32] + bytes(32) + b[4 * 32 :])
    elif what == "missing_node":
        patch(1, lambda b: b[: 17 * 32])
    else:
        con.execute("UPDATE ledger_meta SET root = zeroblob(32)")
    con.commit()
    con.close()
    with MerkleLog.open(str(db)) as lg:
        rep = lg.audit()
    assert not rep.ok and rep.problem
    expected = {"leaf_hash": (0, 20), "leaf_data": (0, 5), "node": (2, 3), "missing_node": (1, 17)}
    assert (rep.level, rep.index) == expected.get(what, (None, None)), rep


KILL_SCRIPT = """
import sys
from zhibao.ledger import MerkleLog
log = MerkleLog.open(sys.argv[1])
b = 0
while True:
    first = log.append_many([b"batch %d item %d" % (b, i) for i in range(50)])
    print(b, first, flush=True)
    b += 1
"""


def test_kill_9_keeps_acknowledged_batches(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.stdout is not None
    acked = []
    for line in proc.stdout:
        acked.append(tuple(map(int, line.split())))
        if len(acked) >= 30:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acked += [tuple(map(int, ln.split())) for ln in proc.stdout.read().splitlines() if ln.strip()]
    with MerkleLog.open(str(db)) as lg:
        assert lg.size >= 50 * len(acked)
        for b, first in acked:
            assert lg.leaf(first) == b"batch %d item 0" % b
            assert lg.leaf(first + 49) == b"batch %d item 49" % b
        assert lg.audit().ok


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs DATABASE_URL"
)
def test_postgres_log() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    prefix = f"t_ledger_{uuid.uuid4().hex[:10]}"
    try:
        leaves = [b"pg%d" % i for i in range(300)]
        with MerkleLog.open(url, prefix=prefix) as lg:
            lg.append(leaves[0])
            lg.append_many(leaves[1:])
            assert lg.root() == ref.mth(leaves)
            assert lg.inclusion_proof(77, 200) == ref.path(77, leaves[:200])
            assert lg.consistency_proof(13, 300) == ref.proof(13, leaves)
            assert lg.leaf(5) == b"pg5"
            assert lg.audit().ok
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            for t in ("tiles", "meta"):
                con.execute(f"DROP TABLE IF EXISTS {prefix}_{t}")
