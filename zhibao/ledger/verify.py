"""Offline verifier for evidence bundles: ``python -m zhibao.ledger.verify bundle.zip --key VKEY``.

Why a separate entry point: it needs only the zip and the log's public key (published out of band),
no database, network or Django, so third parties can check evidence independently. Prints one line
per check (✓/✗ + what); exit 0 if all pass, 1 if any fails, 2 on bad input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from .bundle import FIXED_MEMBERS, decode_leaf
from .merkle import leaf_hash, sha256_hex, sm3_hex, verify_inclusion
from .note import Checkpoint, Verifier, open_note


def _same(fn: Callable[[bytes], str], data: bytes | None, want: str) -> Callable[[], bool]:
    """A deferred digest comparison (binds its arguments now, unlike a loop-variable lambda)."""
    return lambda: data is not None and fn(data) == want


@dataclass
class Check:
    ok: bool
    what: str


def verify_bundle(path: str, verifier: Verifier) -> list[Check]:
    """Run every check on a bundle and return the results (never raises for a bad bundle)."""
    checks: list[Check] = []

    def check(what: str, fn: Callable[[], object]) -> bool:
        try:
            res = fn()
            ok = res is not False
            checks.append(Check(ok, what))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            checks.append(Check(False, f"{what}: {exc}"))
            ok = False
        return ok

    try:
        zf = zipfile.ZipFile(path)
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ValueError(f"cannot read bundle {path}: {exc}") from exc
    missing = [m for m in (*FIXED_MEMBERS, "manifest.json") if m not in members]
    if missing:
        checks.append(Check(False, f"bundle is missing {', '.join(missing)}"))
        return checks

    manifest: dict = {}

    def load_manifest() -> None:
        manifest.update(json.loads(members["manifest.json"]))

    check("manifest.json is valid JSON", load_manifest)
    for name, digest in sorted(manifest.get("members", {}).items()):
        check(
            f"{name} matches its SHA-256 in the manifest",
            _same(sha256_hex, members.get(name), str(digest)),
        )
    unlisted = [
        n
        for n in members
        if not n.startswith("files/") and n != "manifest.json" and n not in manifest.get("members", {})
    ]
    check(
        "no members outside the manifest" + (f" ({', '.join(unlisted)})" if unlisted else ""),
        lambda: not unlisted,
    )

    leaf_meta: dict = {}
    check("leaf.bin is a canonical deposit leaf", lambda: leaf_meta.update(decode_leaf(members["leaf.bin"])))
    check(
        "manifest deposit number matches the leaf",
        lambda: manifest.get("deposit_no") == leaf_meta.get("deposit_no"),
    )
    leaf_files = leaf_meta.get("files", [])
    check("manifest file list matches the leaf", lambda: manifest.get("files") == leaf_files)
    bundled = {n[len("files/") :] for n in members if n.startswith("files/")}
    check("every deposited file is in the bundle", lambda: bundled == {f["name"] for f in leaf_files})
    for f in leaf_files:
        data: bytes = members.get("files/" + f["name"], b"")
        sha, sm3 = str(f["sha256"]), str(f["sm3"])
        check(f"files/{f['name']} SHA-256 {sha[:16]}…", _same(sha256_hex, data, sha))
        check(f"files/{f['name']} SM3 {sm3[:16]}…", _same(sm3_hex, data, sm3))

    proof: dict = {}
    check("proof.json is valid", lambda: proof.update(json.loads(members["proof.json"])))
    cp_holder: list[Checkpoint] = []

    def check_checkpoint() -> None:
        note = open_note(members["checkpoint.txt"].decode("utf-8"), [verifier])
        cp_holder.append(Checkpoint.parse(note.text))

    check(f"checkpoint.txt is signed by {verifier.name}", check_checkpoint)

    def check_inclusion() -> None:
        root = bytes.fromhex(proof["root"])
        verify_inclusion(
            leaf_hash(members["leaf.bin"]),
            int(proof["leaf_index"]),
            int(proof["tree_size"]),
            [bytes.fromhex(h) for h in proof["inclusion_proof"]],
            root,
        )

    check(f"leaf is included in the log at index {proof.get('leaf_index')} (RFC 9162 proof)", check_inclusion)

    def check_cp_matches() -> bool:
        cp = cp_holder[0]
        return cp.size == int(proof["tree_size"]) and cp.root.hex() == proof["root"]

    check("proof root and size equal the signed checkpoint", check_cp_matches)

    gen_time: list[str] = []

    def check_ts() -> None:
        from .tsa import verify_timestamp

        when = verify_timestamp(
            members["timestamp.tsr"], hashlib.sha256(members["leaf.bin"]).digest(), members["tsa-chain.pem"]
        )
        gen_time.append(when.isoformat())

    if check("RFC 3161 timestamp over SHA-256(leaf.bin) is valid", check_ts):
        checks[-1].what += f" (genTime {gen_time[0]})"
    return checks


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    ap = argparse.ArgumentParser(prog="python -m zhibao.ledger.verify", description=__doc__)
    ap.add_argument("bundle")
    ap.add_argument("--key", required=True, help="log verifier key name+keyid+base64 (or @file)")
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        key = args.key
        if key.startswith("@"):
            with open(key[1:], encoding="utf-8") as fh:
                key = fh.read().strip()
        verifier = Verifier.parse(key)  # LedgerError (a ValueError) if malformed
        checks = verify_bundle(args.bundle, verifier)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    for c in checks:
        print(f"{'✓' if c.ok else '✗'} {c.what}", file=out)
    ok = all(c.ok for c in checks)
    print("VERIFIED" if ok else "NOT VERIFIED", file=out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
