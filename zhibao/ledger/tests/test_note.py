"""Signed notes, checkpoints and cosignatures (C2SP formats, sumdb/note key strings)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from zhibao.ledger import VerificationError
from zhibao.ledger.note import (
    ALG_COSIGNATURE_V1,
    Checkpoint,
    Signer,
    Verifier,
    cosign,
    generate_signer,
    open_note,
    sign_note,
    verify_cosignature,
)

# Published example from golang.org/x/mod/sumdb/note documentation.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_NOTE = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_go_sumdb_note_interop() -> None:
    s, v = Signer.parse(GO_SKEY), Verifier.parse(GO_VKEY)
    assert s.verifier.format() == v.format() and s.format() == GO_SKEY and v.format() == GO_VKEY
    raw = base64.b64decode(GO_VKEY.split("+", 2)[2])
    assert f"{int.from_bytes(hashlib.sha256(b'PeterNeumann\n' + raw).digest()[:4], 'big'):08x}" == "c74f20a3"
    note = open_note(GO_NOTE, [v])
    assert [x.name for x in note.verified] == ["PeterNeumann"]
    # Ed25519 is deterministic: our signer reproduces Go's signature byte for byte.
    assert sign_note(note.text, s) == GO_NOTE


def test_sign_open_and_tamper() -> None:
    s = generate_signer("zhibao.example/log")
    cp = Checkpoint("zhibao.example/log", 5, bytes(range(32)), ("ext line",))
    signed = sign_note(cp.format(), s)
    assert Checkpoint.parse(open_note(signed, [s.verifier]).text) == cp
    assert Checkpoint.parse(signed) == cp
    other = generate_signer("other")
    with pytest.raises(VerificationError):
        open_note(signed, [other.verifier])
    with pytest.raises(VerificationError):
        open_note(signed.replace("\n5\n", "\n6\n"), [s.verifier])
    # Extra signatures from unknown keys are fine.
    both = sign_note(cp.format(), s, other)
    assert [x.name for x in open_note(both, [s.verifier]).verified] == [s.name]
    with pytest.raises(ValueError):
        Verifier.parse(s.verifier.format().replace("+", "+0", 1))


@pytest.mark.parametrize(
    "bad", ["", "origin\n", "o\n01\n" + base64.b64encode(bytes(32)).decode() + "\n", "o\n1\nAAAA\n", "o\n1\n"]
)
def test_checkpoint_parse_rejects(bad: str) -> None:
    with pytest.raises(VerificationError):
        Checkpoint.parse(bad)


def test_cosignature() -> None:
    log = generate_signer("log")
    w = generate_signer("witness", alg=ALG_COSIGNATURE_V1)
    body = Checkpoint("log", 3, bytes(32)).format()
    signed = sign_note(body, log) + cosign(body, w, 1700000000)
    assert verify_cosignature(signed, w.verifier) == 1700000000
    assert [x.name for x in open_note(signed, [log.verifier]).verified] == ["log"]  # cosig ignored
    assert base64.b64decode(w.verifier.format().split("+", 2)[2])[0] == ALG_COSIGNATURE_V1
    with pytest.raises(VerificationError):
        verify_cosignature(signed.replace("\n3\n", "\n4\n"), w.verifier)
    with pytest.raises(ValueError):
        cosign(body, log)
