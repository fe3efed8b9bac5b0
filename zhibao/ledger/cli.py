"""Operator commands for the ledger, callable from a Django management command or a shell.

Why ``main(argv, *, log_url, …)`` with injected paths: the host application decides where the log,
keys, TSA and witness state live; this module stays free of settings and Django.
Exit codes: 0 ok, 1 negative answer (audit failed, witness refused, proof invalid), 2 bad input
(one readable line on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .log import MerkleLog
from .merkle import LedgerError, VerificationError, verify_consistency
from .note import ALG_COSIGNATURE_V1, Checkpoint, Signer, Verifier, generate_signer, sign_note

DEFAULT_ORIGIN = "zhibao.local/ledger"


class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


def load_or_create_signer(
    path: str | os.PathLike[str], name: str = DEFAULT_ORIGIN, *, alg: int = 1
) -> Signer:
    """Read a ``PRIVATE+KEY+…`` file, creating it (mode 0600, never overwriting) on first use."""
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
        signer = generate_signer(name, alg=alg)
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return Signer.parse(p.read_text(encoding="utf-8"))  # lost a creation race: use the winner's
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(signer.format() + "\n")
        return signer
    return Signer.parse(p.read_text(encoding="utf-8"))


def _parser() -> _Parser:
    ap = _Parser(prog="ledger", description="ZhiBao transparency log operations")
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    sub.add_parser("checkpoint", help="print the current signed checkpoint")
    sub.add_parser("public-key", help="print the log verifier key")
    c = sub.add_parser("consistency", help="consistency proof between two tree sizes")
    c.add_argument("--old", type=int, required=True)
    c.add_argument("--new", type=int)
    c.add_argument("--json", action="store_true")
    a = sub.add_parser("audit", help="recompute every hash from stored leaves")
    a.add_argument("--json", action="store_true")
    w = sub.add_parser("witness", help="verify a checkpoint against a log and cosign it")
    w.add_argument("--checkpoint", required=True, help="file with the signed checkpoint")
    w.add_argument("--log-url", required=True, help="the log to fetch the consistency proof from")
    w.add_argument("--key", required=True, help="the log's verifier key")
    w.add_argument("--json", action="store_true")
    sub.add_parser("tsa-chain", help="print the embedded TSA certificate chain (PEM)")
    return ap


def main(
    argv: Sequence[str],
    *,
    log_url: str,
    signer_key_path: str | os.PathLike[str],
    tsa_dir: str | os.PathLike[str],
    witness_state: str | os.PathLike[str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(list(argv))
        return _run(args, out, log_url, signer_key_path, tsa_dir, witness_state)
    except (_BadInput, LedgerError, OSError, ValueError) as exc:
        if isinstance(exc, VerificationError):
            print(f"refused: {exc}", file=err)
            return 1
        print(f"error: {exc}", file=err)
        return 2


def _run(
    args: argparse.Namespace,
    out: TextIO,
    log_url: str,
    signer_key_path: str | os.PathLike[str],
    tsa_dir: str | os.PathLike[str],
    witness_state: str | os.PathLike[str],
) -> int:
    if args.cmd == "public-key":
        print(load_or_create_signer(signer_key_path).verifier.format(), file=out)
        return 0
    if args.cmd == "tsa-chain":
        from .tsa import TimestampAuthority

        out.write(TimestampAuthority.load_or_create(tsa_dir).chain_pem().decode())
        return 0
    if args.cmd == "witness":
        return _witness(args, out, witness_state)
    with MerkleLog.open(log_url) as log:
        if args.cmd == "checkpoint":
            signer = load_or_create_signer(signer_key_path)
            size = log.size
            out.write(sign_note(Checkpoint(signer.name, size, log.root(size)).format(), signer))
            return 0
        if args.cmd == "consistency":
            new = log.size if args.new is None else args.new
            if args.old < 1 or args.old > new or new > log.size:
                raise _BadInput(f"need 1 <= old ({args.old}) <= new ({new}) <= log size ({log.size})")
            proof = log.consistency_proof(args.old, new)
            old_root, new_root = log.root(args.old), log.root(new)
            ok = True
            try:
                verify_consistency(args.old, new, proof, old_root, new_root)
            except VerificationError:
                ok = False
            if args.json:
                print(
                    json.dumps(
                        {
                            "old_size": args.old,
                            "new_size": new,
                            "old_root": old_root.hex(),
                            "new_root": new_root.hex(),
                            "proof": [h.hex() for h in proof],
                            "ok": ok,
                        }
                    ),
                    file=out,
                )
            else:
                print(f"old {args.old} {old_root.hex()}\nnew {new} {new_root.hex()}", file=out)
                for h in proof:
                    print(h.hex(), file=out)
            return 0 if ok else 1
        rep = log.audit()
        if args.json:
            print(json.dumps(rep.as_dict()), file=out)
        else:
            verdict = "OK" if rep.ok else f"FAILED: {rep.problem}"
            print(
                f"audit {verdict} (size {rep.size}, {rep.leaves_checked} leaves, "
                f"{rep.nodes_checked} nodes checked)",
                file=out,
            )
        return 0 if rep.ok else 1


def _witness(args: argparse.Namespace, out: TextIO, witness_state: str | os.PathLike[str]) -> int:
    from .witness import Witness

    key = Verifier.parse(args.key)
    text = Path(args.checkpoint).read_text(encoding="utf-8")
    cp = Checkpoint.parse(text)
    state = Path(witness_state)
    wkey = load_or_create_signer(
        state.with_name(state.name + ".key"), "zhibao.local/witness", alg=ALG_COSIGNATURE_V1
    )
    w = Witness(wkey, state)
    seen = w.last_seen(cp.origin)
    proof: list[bytes] = []
    if seen is not None and 0 < seen[0] < cp.size:
        with MerkleLog.open(args.log_url) as log:
            if log.size < cp.size:
                raise VerificationError(f"log at --log-url has size {log.size} < checkpoint size {cp.size}")
            proof = log.consistency_proof(seen[0], cp.size)
    try:
        cosigned = w.cosign(text, key, proof)
    except VerificationError as exc:
        if args.json:
            print(json.dumps({"ok": False, "error": str(exc)}), file=out)
        raise
    if args.json:
        print(
            json.dumps(
                {
                    "ok": True,
                    "origin": cp.origin,
                    "size": cp.size,
                    "witness_key": wkey.verifier.format(),
                    "cosigned_checkpoint": cosigned,
                }
            ),
            file=out,
        )
    else:
        out.write(cosigned)
    return 0
