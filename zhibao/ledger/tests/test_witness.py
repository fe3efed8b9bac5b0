"""Witness: cosigns consistent growth, refuses rollback, forks and bad proofs, remembers state."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhibao.ledger import MerkleLog, VerificationError
from zhibao.ledger.note import ALG_COSIGNATURE_V1, Checkpoint, generate_signer, sign_note, verify_cosignature
from zhibao.ledger.witness import Witness


def test_witness_flow(tmp_path: Path) -> None:
    log_key = generate_signer("zhibao.test/log")
    wkey = generate_signer("witness.test", alg=ALG_COSIGNATURE_V1)
    w = Witness(wkey, tmp_path / "state.json")
    with MerkleLog.open(str(tmp_path / "l.db")) as log, MerkleLog.open(str(tmp_path / "fork.db")) as fork:

        def cp(lg: MerkleLog) -> str:
            return sign_note(Checkpoint(log_key.name, lg.size, lg.root()).format(), log_key)

        log.append_many([b"a", b"b", b"c"])
        first = cp(log)
        out = w.cosign(first, log_key.verifier, [])  # trust on first use
        assert out.startswith(first) and verify_cosignature(out, wkey.verifier) > 0
        assert w.last_seen(log_key.name) == (3, log.root())
        log.append_many([b"d", b"e"])
        w.cosign(cp(log), log_key.verifier, log.consistency_proof(3))
        assert Witness(wkey, tmp_path / "state.json").last_seen(log_key.name) == (5, log.root())  # persisted
        with pytest.raises(VerificationError, match="rollback"):
            w.cosign(first, log_key.verifier, [])
        fork.append_many([b"a", b"b", b"c", b"X", b"Y", b"Z"])
        with pytest.raises(VerificationError):
            w.cosign(cp(fork), log_key.verifier, fork.consistency_proof(5))
        fork5 = sign_note(Checkpoint(log_key.name, 5, fork.root(5)).format(), log_key)
        with pytest.raises(VerificationError, match="fork"):
            w.cosign(fork5, log_key.verifier, [])
        with pytest.raises(VerificationError):  # signed by someone else
            w.cosign(cp(log), generate_signer("zhibao.test/log").verifier, [])
        assert w.last_seen(log_key.name) == (5, log.root())
    with pytest.raises(ValueError):
        Witness(log_key, tmp_path / "s2.json")
