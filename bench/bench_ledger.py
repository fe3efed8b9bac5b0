"""Benchmark zhibao.ledger against its targets and the pymerkle baseline; prints a markdown section.

Usage: python bench/bench_ledger.py [--leaves N]   (default 1,000,000; whole run ~2-4 minutes)

Why these numbers: they are the ones the deposit service depends on: bulk import (batched
appends), interactive deposits (single committed appends), proof serving latency, third-party
verification cost, disk footprint and TSA token rate.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhibao.ledger import MerkleLog, leaf_hash, verify_consistency, verify_inclusion  # noqa: E402
from zhibao.ledger.tsa import TimestampAuthority  # noqa: E402

LEAF_BYTES = 64
BATCH = 100_000
PYMERKLE_LEAVES = 100_000


def leaves(n: int, start: int = 0) -> list[bytes]:
    """Synthetic 64-byte leaves (a deposit leaf hash-sized record; real JSON leaves are ~250 B)."""
    return [(b"zhibao-deposit-%012d-" % i).ljust(LEAF_BYTES, b"x") for i in range(start, start + n)]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def ms(samples: list[float]) -> str:
    s = sorted(samples)
    return f"{statistics.mean(s) * 1e3:.3f} ms (p50 {s[len(s) // 2] * 1e3:.3f}, p99 {s[int(len(s) * 0.99)] * 1e3:.3f})"


def ok(value: float, target: float, higher: bool = True) -> str:
    return "✓" if (value >= target if higher else value <= target) else "✗"


def bench_ours(n: int, tmp: Path) -> dict[str, float | str]:
    r: dict[str, float | str] = {}
    db = tmp / "ledger.db"
    log = MerkleLog.open(str(db))
    data = leaves(n)
    t = time.perf_counter()
    for i in range(0, n, BATCH):
        log.append_many(data[i : i + BATCH])
    r["batched"] = n / (time.perf_counter() - t)
    del data
    size = log.size
    root = log.root(size)
    rng = random.Random(1)
    idxs = [rng.randrange(size) for _ in range(2000)]
    olds = [rng.randrange(1, size) for _ in range(2000)]
    it = iter(idxs)
    inc = timed(lambda: log.inclusion_proof(next(it), size), 2000)
    it2 = iter(olds)
    con = timed(lambda: log.consistency_proof(next(it2), size), 2000)
    r["inclusion"], r["consistency"] = statistics.mean(inc) * 1e3, statistics.mean(con) * 1e3
    r["inclusion_txt"], r["consistency_txt"] = ms(inc), ms(con)
    proofs = [(leaf_hash(log.leaf(i)), i, log.inclusion_proof(i, size)) for i in idxs[:500]]
    t = time.perf_counter()
    rounds = 0
    while time.perf_counter() - t < 2.0:
        for lh, i, p in proofs:
            verify_inclusion(lh, i, size, p, root)
        rounds += 1
    r["verify"] = rounds * len(proofs) / (time.perf_counter() - t)
    cps = [(o, log.consistency_proof(o, size), log.root(o)) for o in olds[:200]]
    t = time.perf_counter()
    for o, p, oroot in cps:
        verify_consistency(o, size, p, oroot, root)
    r["verify_cons"] = len(cps) / (time.perf_counter() - t)
    log.close()
    # Fold the WAL back so the file size is the real footprint.
    import sqlite3

    c = sqlite3.connect(db)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    r["storage_mb"] = sum(p.stat().st_size for p in tmp.glob("ledger.db*")) / 1e6
    log = MerkleLog.open(str(db))
    extra = leaves(300, n)
    t = time.perf_counter()
    for d in extra:
        log.append(d)
    r["single"] = len(extra) / (time.perf_counter() - t)
    log.close()
    log = MerkleLog.open(f"sqlite:///{db}?synchronous=normal")
    extra = leaves(3000, n + 300)
    t = time.perf_counter()
    for d in extra:
        log.append(d)
    r["single_normal"] = len(extra) / (time.perf_counter() - t)
    t = time.perf_counter()
    rep = log.audit()
    r["audit_s"] = time.perf_counter() - t
    r["audit_ok"] = "clean" if rep.ok else "FAILED"
    log.close()
    return r


def bench_tsa(tmp: Path) -> float:
    tsa = TimestampAuthority.load_or_create(tmp / "tsa")
    digest = hashlib.sha256(b"bench").digest()
    t = time.perf_counter()
    for i in range(300):
        tsa.timestamp(digest, i)
    return 300 / (time.perf_counter() - t)


def bench_pymerkle(tmp: Path) -> dict[str, float | str] | None:
    try:
        from pymerkle import SqliteTree
        from pymerkle import verify_inclusion as pm_verify_inclusion
    except ImportError:
        return None
    r: dict[str, float | str] = {}
    n = PYMERKLE_LEAVES
    tree = SqliteTree(str(tmp / "pymerkle.db"))
    data = leaves(n)
    t = time.perf_counter()
    tree.append_entries(data)
    r["batched"] = n / (time.perf_counter() - t)
    rng = random.Random(2)
    inc = timed(lambda: tree.prove_inclusion(rng.randrange(1, n + 1), n), 100)
    con = timed(lambda: tree.prove_consistency(rng.randrange(1, n), n), 100)
    r["inclusion_txt"], r["consistency_txt"] = ms(inc), ms(con)
    root = tree.get_root(n) if hasattr(tree, "get_root") else tree.get_state(n)
    i = rng.randrange(1, n + 1)
    proof = tree.prove_inclusion(i, n)
    base = tree.get_leaf(i)
    t = time.perf_counter()
    for _ in range(2000):
        pm_verify_inclusion(base, root, proof)
    r["verify"] = 2000 / (time.perf_counter() - t)
    extra = leaves(300, n)
    t = time.perf_counter()
    for d in extra:
        tree.append_entry(d)
    r["single"] = len(extra) / (time.perf_counter() - t)
    tree.close()
    r["storage_mb"] = sum(p.stat().st_size for p in tmp.glob("pymerkle.db*")) / 1e6
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--leaves", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.leaves
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as d:
        tmp = Path(d)
        t0 = time.perf_counter()
        ours = bench_ours(n, tmp)
        tsa = bench_tsa(tmp)
        pm = bench_pymerkle(tmp)
        total = time.perf_counter() - t0
    scale = 1_000_000 / n
    print("## zhibao.ledger\n")
    print(
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite WAL + synchronous=FULL"
        " (unless a row says NORMAL), "
        f"{n:,} leaves of {LEAF_BYTES} B, batches of {BATCH:,}. Run took {total:.0f} s.\n"
    )
    print(f"| metric | zhibao.ledger | target | | pymerkle 7 (SqliteTree, {PYMERKLE_LEAVES:,} leaves) |")
    print("|---|---|---|---|---|")

    def pmv(key: str, fmt: str = "{:,.0f}") -> str:
        if pm is None:
            return "not installed"
        v = pm[key]
        return v if isinstance(v, str) else fmt.format(v)

    rows = [
        (
            "batched appends/s (every subtree hash stored)",
            f"{ours['batched']:,.0f}",
            "≥ 250,000",
            ok(float(ours["batched"]), 250_000),
            pmv("batched"),
        ),
        ("single committed appends/s, synchronous=FULL (fsync each: survives power loss)", f"{ours['single']:,.0f}",
         "—", "", pmv("single")),
        ("single committed appends/s, synchronous=NORMAL (survives kill -9)", f"{ours['single_normal']:,.0f}",
         "≥ 10× pymerkle", ok(float(ours["single_normal"]), 10 * float(pm["single"])) if pm else "", pmv("single")),
        (
            "inclusion proof latency",
            str(ours["inclusion_txt"]),
            "≤ 0.2 ms",
            ok(float(ours["inclusion"]), 0.2, False),
            pmv("inclusion_txt"),
        ),
        (
            "consistency proof latency",
            str(ours["consistency_txt"]),
            "≤ 0.2 ms",
            ok(float(ours["consistency"]), 0.2, False),
            pmv("consistency_txt"),
        ),
        (
            "inclusion verifications/s",
            f"{ours['verify']:,.0f}",
            "≥ 50,000",
            ok(float(ours["verify"]), 50_000),
            pmv("verify"),
        ),
        ("consistency verifications/s", f"{ours['verify_cons']:,.0f}", "—", "", "—"),
        (
            f"storage at {n:,} leaves",
            f"{ours['storage_mb']:.1f} MB",
            "≤ 200 MB at 1M",
            ok(float(ours["storage_mb"]) * scale, 200, False),
            pmv("storage_mb", "{:.1f} MB"),
        ),
        ("full audit (recompute all hashes)", f"{ours['audit_s']:.1f} s, {ours['audit_ok']}", "—", "", "—"),
        ("RFC 3161 tokens/s (embedded TSA, ECDSA P-256)", f"{tsa:,.0f}", "≥ 100", ok(tsa, 100), "—"),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        "\npymerkle stores only leaves and derives interior nodes on demand (with a cache), so its bulk"
        " insert is cheap but proof cost grows with the tree (note its p99); it was run at"
        f" {PYMERKLE_LEAVES:,} leaves because proofs at 1M leaves take too long for this run."
        " zhibao.ledger stores every complete subtree hash once (packed into tile rows, see"
        " zhibao/ledger/store.py), so a proof is O(log n) point reads at any size. Verification is pure"
        " Python hashlib: about 20 SHA-256 calls per proof at 1M leaves, ~1 µs each on this CPU, which"
        " bounds verifications/s. Complete tile rows never change, so an open log keeps up to 8,192 of"
        " them in memory (16 MiB): the upper levels of every proof path come from memory and a proof"
        " needs one small read.\n"
    )
    ratio = f"{float(ours['single_normal']) / float(pm['single']):.0f}x" if pm else "n/a"
    print(
        "**Single committed appends.** An append that does not complete a tile row (63 in 64) does not"
        " touch the tile rows: it adds a pending record (the hashes of the ≤ 1 + log n nodes it"
        " completes, and its data) to the head row that every append rewrites anyway, so a commit"
        " dirties one 16 KiB page instead of four or five (partial rows of several levels, entry bundle,"
        " head). The append that completes a tile row (or that would push the records past 12 KiB, so"
        " the head row never spills to overflow pages) folds the records into the rows in the same"
        " transaction. A handle that wrote the head last keeps the right frontier in memory, so the"
        " whole append is one autocommit UPDATE guarded by `WHERE size = <known> AND frontier = <known>`;"
        " if another handle or process appended in between, nothing matches and the append is redone under the"
        " write lock from a fresh read. Proofs read a pending hash from the head row (O(log n) still,"
        " nothing rebuilt), and `audit()` joins the records onto the last tile of each level and checks"
        " them like any row. With synchronous=NORMAL a commit is a write() into the WAL, durable against"
        " kill -9 (tested); what remains is CPU (about 30 µs of Python and SQLite per append) and the disk"
        " bandwidth of one WAL frame per append, which a checkpoint fsyncs every 1,000 frames. That is"
        f" {ratio} pymerkle's single appends in this run; pymerkle commits with synchronous=FULL in a"
        " rollback journal (several fsyncs per append), so its figure, and the ratio, follow the disk's"
        " fsync latency. With synchronous=FULL ours is fsync-bound too (one fsync per commit, survives"
        " power loss).\n"
    )
    print(
        "**Compared with Tessera.** Tessera (transparency-dev) is quoted at roughly 10k appends/s"
        " sustained on a 7-core machine. That figure is for a different job: many concurrent clients,"
        " each add awaiting durable sequencing, integration into published C2SP tlog-tiles and entry"
        " bundles, and checkpoint publication, with storage round trips (MySQL, object store) per"
        " integration cycle. Our batched figure is one process hashing an already assembled batch in"
        " memory and writing it in a single local SQLite transaction (no network, no publication step),"
        " which is why it is far higher. Our single-append figure with synchronous=NORMAL"
        f" ({float(ours['single_normal']):,.0f}/s) is of the same order as Tessera's, from one process on"
        f" {os.cpu_count()} cores, because each append is one local UPDATE and one WAL frame with nothing"
        " to publish; Tessera reaches its figure by amortising one durable storage write over many"
        " concurrent requests, which we do not need at deposit rates. With synchronous=FULL (an fsync"
        f" per append, surviving power loss) ours is {float(ours['single']):,.0f}/s on this disk, far"
        " below Tessera's; batching concurrent deposits into one append_many per short interval would"
        " bring the same amortisation here if deposit volume ever needs it."
    )


if __name__ == "__main__":
    main()
