"""Deposits end to end: sealed in the ledger, timestamped, certified, verifiable by anyone, offline too."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _deposit(client, content=b"%PDF-1.4 listing screenshot", name="shot.pdf", title="网店截图"):  # noqa: ANN001, ANN202
    return client.post("/api/v1/evidence/deposits", {"title": title, "files": [SimpleUploadedFile(name, content)]})


def test_deposit_returns_number_hashes_proof_and_checkpoint(client_as):  # noqa: ANN001
    from zhibao.evidence.models import Deposit

    before = Deposit.objects.count()  # the demo world's deposits (e.g. evidence of the demo cases)
    response = _deposit(client_as("xinghe"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["deposit_no"].startswith("ZBCZ") and body["leaf_index"] == before
    assert body["tree_size"] == before + 1
    assert body["files"][0]["sm3"] and len(body["files"][0]["sha256"]) == 64
    assert body["checkpoint"].splitlines()[0] == "zhibao.beijing/evidence"


def test_same_file_again_returns_the_earlier_deposit(client_as):  # noqa: ANN001
    first = _deposit(client_as("xinghe")).json()
    again = _deposit(client_as("xinghe"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["deposit_no"] == first["deposit_no"]


def test_empty_and_executable_files_are_rejected(client_as):  # noqa: ANN001
    c = client_as("xinghe")
    empty = _deposit(c, content=b"")
    assert empty.status_code == 400 and "files" in empty.json()["errors"]
    exe = _deposit(c, content=b"\x7fELF\x02\x01\x01" + b"\x00" * 100, name="evidence.pdf")
    assert exe.status_code == 400 and "可执行" in json.dumps(exe.json(), ensure_ascii=False)


@override_settings(ZHIBAO_MAX_UPLOAD_BYTES=2048)
def test_oversize_deposit_is_413(client_as):  # noqa: ANN001
    assert _deposit(client_as("xinghe"), content=b"x" * 4096).status_code == 413


def test_public_verification_three_outcomes(client_as, client):  # noqa: ANN001
    body = _deposit(client_as("xinghe")).json()
    sha = body["files"][0]["sha256"]
    ok = client.get("/api/v1/public/verify", {"sha256": sha}).json()
    assert ok["status"] == "verified" and ok["deposit_no"] == body["deposit_no"]
    assert ok["inclusion_proof"] == body["inclusion_proof"]
    missing = client.get("/api/v1/public/verify", {"sha256": "0" * 64}).json()
    assert missing["status"] == "not_found"
    mismatch = client.get("/api/v1/public/verify", {"sha256": "1" * 64, "deposit_no": body["deposit_no"]}).json()
    assert mismatch["status"] == "mismatch"
    bad = client.get("/api/v1/public/verify", {"sha256": "xyz"})
    assert bad.status_code == 400


def test_public_page_verifies_an_uploaded_file(client_as, client):  # noqa: ANN001
    _deposit(client_as("xinghe"), content=b"%PDF-1.4 exact bytes")
    page = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 exact bytes")})
    assert page.status_code == 200 and "核验通过" in page.content.decode()
    page = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 other bytes")})
    assert "尚未存证" in page.content.decode()


def test_another_party_cannot_see_a_deposit(client_as):  # noqa: ANN001
    body = _deposit(client_as("xinghe")).json()
    assert client_as("fangmao").get(f"/api/v1/evidence/deposits/{body['deposit_no']}").status_code == 404
    assert client_as("fangmao").get(f"/evidence/{body['deposit_no']}/").status_code == 404
    assert client_as("wangzhifa").get(f"/api/v1/evidence/deposits/{body['deposit_no']}").status_code == 200


def test_certificate_is_a_pdf_and_custody_is_recorded(client_as):  # noqa: ANN001
    from zhibao.evidence.models import CustodyEvent

    c = client_as("xinghe")
    no = _deposit(c).json()["deposit_no"]
    pdf = c.get(f"/evidence/{no}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    actions = list(CustodyEvent.objects.filter(deposit__deposit_no=no).values_list("action", flat=True))
    assert actions == ["deposited", "certificate"]


def test_exported_bundle_verifies_offline_and_fails_after_any_byte_changes(client_as, tmp_path):  # noqa: ANN001
    c = client_as("xinghe")
    no = _deposit(c, content=b"%PDF-1.4 bundle me").json()["deposit_no"]
    data = c.post(f"/evidence/{no}/bundle.zip").content
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(data)
    key = c.get("/verify/").content.decode().split('data-testid="verifier-key" style="word-break:break-all">')[1]
    key = key.split("<")[0]

    def verify(path) -> subprocess.CompletedProcess:  # noqa: ANN001
        return subprocess.run([sys.executable, "-m", "zhibao.ledger.verify", str(path), "--key", key],
                              capture_output=True, text=True)

    ok = verify(bundle)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    for name, content in members.items():
        tampered = bytearray(content)
        tampered[len(tampered) // 2] ^= 0x01
        out = tmp_path / f"t-{name.replace('/', '_')}.zip"
        with zipfile.ZipFile(out, "w") as zf:
            for other, blob in members.items():
                zf.writestr(other, bytes(tampered) if other == name else blob)
        assert verify(out).returncode == 1, name


def test_cli_deposit_and_verify(demo, tmp_path):  # noqa: ANN001
    from django.core.management import call_command

    f = tmp_path / "proof.txt"
    f.write_text("侵权商品页面文字", encoding="utf-8")
    out = io.StringIO()
    call_command("evidence", "deposit", str(f), "--user", "xinghe", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["deposit_no"].startswith("ZBCZ") and body["timestamp_token_b64"]
    out = io.StringIO()
    call_command("evidence", "verify", str(f), "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "verified"


@pytest.fixture
def local_site():  # noqa: ANN201
    """A tiny page on 127.0.0.1 (no outside network) to capture."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: ANN202, N802
            if self.path == "/missing":
                self.send_error(404)
                return
            body = "<html><head><title>仿冒商品</title></head><body><h1>星河 S1 智能音箱 特价</h1></body></html>"
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # noqa: ANN002, ANN202
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_web_capture_deposits_screenshot_html_and_headers(client_as, local_site):  # noqa: ANN001
    response = client_as("xinghe").post("/api/v1/evidence/captures", data=json.dumps({"url": local_site + "/shop"}),
                                        content_type="application/json")
    assert response.status_code == 201, response.content
    names = [f["name"] for f in response.json()["files"]]
    assert names == ["screenshot.png", "page.html", "response-headers.json", "statement.txt"]


def test_web_capture_of_an_unreachable_url_is_a_clear_error(client_as):  # noqa: ANN001
    response = client_as("xinghe").post("/api/v1/evidence/captures", data=json.dumps({"url": "http://127.0.0.1:9/"}),
                                        content_type="application/json")
    assert response.status_code == 400 and "网页无法打开" in json.dumps(response.json(), ensure_ascii=False)
    bad = client_as("xinghe").post("/api/v1/evidence/captures", data=json.dumps({"url": "file:///etc/passwd"}),
                                   content_type="application/json")
    assert bad.status_code == 400


def test_ledger_cli_checkpoint_audit_and_tsa_chain(demo, tmp_path):  # noqa: ANN001
    """``zhibao ledger`` / ``zhibao tsa`` against this node's own log and keys."""
    import os

    from django.conf import settings

    from zhibao.evidence import services

    services.make_deposit(actor=demo["xinghe"], title="cli", files=[], statement="一段声明")
    env = {**os.environ, "ZHIBAO_DEBUG": "1", "ZHIBAO_DATA_DIR": str(tmp_path),
           "ZHIBAO_LEDGER_URL": settings.ZHIBAO_LEDGER_URL, "ZHIBAO_KEYS_DIR": str(settings.ZHIBAO_KEYS_DIR),
           "DJANGO_SETTINGS_MODULE": "zhibao.settings"}

    def zhibao(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "zhibao.manage", *args], capture_output=True, text=True, env=env)

    checkpoint = zhibao("ledger", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    from zhibao.evidence.models import Deposit

    assert checkpoint.stdout.splitlines()[:2] == ["zhibao.beijing/evidence", str(Deposit.objects.count())]
    audit = zhibao("ledger", "audit", "--json")
    assert audit.returncode == 0 and json.loads(audit.stdout)["ok"] is True
    chain = zhibao("tsa", "chain")
    assert chain.returncode == 0 and chain.stdout.startswith("-----BEGIN CERTIFICATE-----")
    assert zhibao("tsa", "nonsense").returncode == 2
    assert zhibao("ledger", "consistency", "--old", str(Deposit.objects.count() + 4), "--json").returncode == 2


def test_statement_only_deposit_is_a_statement(demo):  # noqa: ANN001
    from zhibao.evidence import services

    outcome = services.make_deposit(actor=demo["xinghe"], title="声明", files=[], statement="本司从未授权仿冒商贸。")
    assert outcome.deposit.kind == "statement"
    assert [f.name for f in outcome.deposit.files.all()] == ["statement.txt"]
