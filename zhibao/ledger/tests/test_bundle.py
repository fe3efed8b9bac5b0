"""Evidence bundles: a genuine bundle verifies offline; any single flipped byte in any member fails."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from zhibao.ledger import LedgerError, MerkleLog, sha256_hex, sm3_hex
from zhibao.ledger.bundle import build_bundle, decode_leaf, encode_leaf
from zhibao.ledger.note import Checkpoint, generate_signer, sign_note
from zhibao.ledger.tsa import TimestampAuthority
from zhibao.ledger.verify import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    d = tmp_path_factory.mktemp("b")
    signer = generate_signer("zhibao.test/log")
    tsa = TimestampAuthority.load_or_create(d / "tsa")
    files = {"作品.txt": "星河科技 原创文案".encode(), "logo.bin": bytes(range(200))}
    leaf = encode_leaf(
        "ZB-2026-000042",
        [(n, sha256_hex(b), sm3_hex(b)) for n, b in files.items()],
        hashlib.sha256(b"depositor-1").hexdigest(),
        "2026-01-02T03:04:05+08:00",
    )
    with MerkleLog.open(str(d / "log.db")) as log:
        log.append_many([b"other %d" % i for i in range(10)])
        idx = log.append(leaf)
        log.append_many([b"later %d" % i for i in range(5)])
        size = log.size
        root = log.root(size)
        proof = log.inclusion_proof(idx, size)
    cp = sign_note(Checkpoint("zhibao.test/log", size, root).format(), signer)
    out = build_bundle(
        d / "bundle.zip",
        files=files,
        leaf=leaf,
        leaf_index=idx,
        tree_size=size,
        inclusion_proof=proof,
        root=root,
        checkpoint=cp,
        timestamp_token=tsa.timestamp(hashlib.sha256(leaf).digest()),
        tsa_chain_pem=tsa.chain_pem(),
        certificate_pdf=b"%PDF-1.7 fake",
        manifest_extra={"title": "文案"},
    )
    return out, signer.verifier.format()


def run(path: Path, key: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(path), "--key", key], stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def test_leaf_roundtrip() -> None:
    leaf = encode_leaf("ZB-1", [("a", "0" * 64, "1" * 64)], "h", "2026-01-01T00:00:00Z")
    assert decode_leaf(leaf)["deposit_no"] == "ZB-1"
    with pytest.raises(LedgerError):
        decode_leaf(leaf.replace(b":", b": "))
    with pytest.raises(LedgerError):
        encode_leaf("ZB-1", [("a", "0", "1")], "h", "t")


def test_bundle_verifies(bundle: tuple[Path, str]) -> None:
    code, text = run(*bundle)
    assert code == 0, text
    assert "✗" not in text and text.count("✓") >= 12 and "genTime" in text
    names = zipfile.ZipFile(bundle[0]).namelist()
    assert {
        "leaf.bin",
        "proof.json",
        "checkpoint.txt",
        "timestamp.tsr",
        "tsa-chain.pem",
        "certificate.pdf",
        "manifest.json",
        "files/作品.txt",
    } <= set(names)


def test_cli_subprocess_without_django(bundle: tuple[Path, str]) -> None:
    code = (
        "import sys; from zhibao.ledger.verify import main; rc = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules; sys.exit(rc)"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(bundle[0]), "--key", bundle[1]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    res = subprocess.run(
        [sys.executable, "-m", "zhibao.ledger.verify", str(bundle[0]), "--key", "junk"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert res.returncode == 2 and res.stderr.count("\n") == 1


def test_wrong_key_and_bad_input(bundle: tuple[Path, str], tmp_path: Path) -> None:
    assert run(bundle[0], generate_signer("zhibao.test/log").verifier.format())[0] == 1
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    assert run(tmp_path / "x.zip", bundle[1])[0] == 2


def test_every_flipped_byte_fails(bundle: tuple[Path, str], tmp_path: Path) -> None:
    src = zipfile.ZipFile(bundle[0])
    members = {i.filename: src.read(i) for i in src.infolist()}
    tried = 0
    for name, data in members.items():
        positions = (
            range(len(data))
            if len(data) <= 64
            else sorted({0, 1, len(data) // 3, len(data) // 2, len(data) - 2, len(data) - 1})
        )
        for pos in positions:
            bad = bytearray(data)
            bad[pos] ^= 0x01
            path = tmp_path / f"t{tried}.zip"
            with zipfile.ZipFile(path, "w") as zf:
                for n, d in members.items():
                    zf.writestr(n, bytes(bad) if n == name else d)
            code, text = run(path, bundle[1])
            assert code in (1, 2), f"flip {name}@{pos} not detected:\n{text}"
            tried += 1
    assert tried > 40
