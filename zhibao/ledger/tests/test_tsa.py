"""RFC 3161 TSA: tokens verify here and with ``openssl ts``, remote client, tamper rejection."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhibao.ledger import VerificationError
from zhibao.ledger.tsa import RemoteTimestampAuthority, TimestampAuthority, verify_timestamp


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> TimestampAuthority:
    return TimestampAuthority.load_or_create(tmp_path_factory.mktemp("tsa"))


def test_token_verifies_and_keys_private(tsa: TimestampAuthority, tmp_path: Path) -> None:
    d = tmp_path / "t"
    a = TimestampAuthority.load_or_create(d)
    for name in ("root.key", "tsa.key"):
        assert stat.S_IMODE((d / name).stat().st_mode) == 0o600
    assert TimestampAuthority.load_or_create(d).chain_pem() == a.chain_pem()  # reloads, no regeneration
    digest = hashlib.sha256(b"hello").digest()
    tok = a.timestamp(digest, nonce=42)
    when = verify_timestamp(tok, digest, a.chain_pem())
    assert abs(when.timestamp() - time.time()) < 120
    with pytest.raises(VerificationError):
        verify_timestamp(tok, hashlib.sha256(b"other").digest(), a.chain_pem())
    with pytest.raises(VerificationError):  # a different, untrusted chain
        verify_timestamp(tok, digest, tsa.chain_pem())
    with pytest.raises(VerificationError):
        verify_timestamp(b"garbage", digest, a.chain_pem())
    # Every byte of the signed TSTInfo and of the signature (the token's tail) is protected.
    from asn1crypto import tsp

    tst_der = tsp.TimeStampResp.load(tok)["time_stamp_token"]["content"]["encap_content_info"][
        "content"
    ].contents
    start = tok.find(tst_der)
    for pos in [*range(start, start + len(tst_der)), *range(len(tok) - 60, len(tok))]:
        bad = bytearray(tok)
        bad[pos] ^= 0x01
        with pytest.raises(VerificationError):
            verify_timestamp(bytes(bad), digest, a.chain_pem())


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_openssl_ts_verify(tsa: TimestampAuthority, tmp_path: Path) -> None:
    data = tmp_path / "data.bin"
    data.write_bytes(b"ZhiBao deposit leaf")
    (tmp_path / "token.tsr").write_bytes(tsa.timestamp(hashlib.sha256(data.read_bytes()).digest(), 7))
    (tmp_path / "chain.pem").write_bytes(tsa.chain_pem())
    out = subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-data",
            str(data),
            "-in",
            str(tmp_path / "token.tsr"),
            "-CAfile",
            str(tmp_path / "chain.pem"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in out.stdout, out.stdout + out.stderr


def test_throughput(tsa: TimestampAuthority) -> None:
    digest = hashlib.sha256(b"x").digest()
    t = time.perf_counter()
    for i in range(50):
        tsa.timestamp(digest, i)
    assert 50 / (time.perf_counter() - t) >= 100


@pytest.fixture
def server(tsa: TimestampAuthority) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = self.headers["Content-Type"] == "application/timestamp-query"
            resp = tsa.respond(body if ok else b"")
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(resp)))
            self.end_headers()
            self.wfile.write(resp)

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/tsa"
    srv.shutdown()
    srv.server_close()


def test_remote_tsa(server: str, tsa: TimestampAuthority) -> None:
    remote = RemoteTimestampAuthority(server, chain=tsa.chain_pem())
    digest = hashlib.sha256(b"remote").digest()
    tok = remote.timestamp(digest)
    verify_timestamp(tok, digest, remote.chain_pem())
    with pytest.raises(VerificationError):
        verify_timestamp(tsa.respond(b"\x30\x00"), digest, tsa.chain_pem())
    with pytest.raises(ValueError):
        RemoteTimestampAuthority("ftp://x")
