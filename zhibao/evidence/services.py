"""Making deposits and everything that touches them: custody, certificate, bundle, public checks.

A deposit is sealed in the ledger first (append, signed checkpoint, RFC 3161
token) and then indexed in the database in one transaction. If the database
write failed after sealing, the leaf stays in the log as an unindexed entry:
the log is append-only by design, and the leaf names its deposit number, so
an operator can reconcile it; nothing is ever half-indexed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhibao import ledger
from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.core.errors import InvalidInput
from zhibao.core.pdf import render_pdf
from zhibao.core.uploads import check_upload
from zhibao.evidence import capture, checklists, selectors
from zhibao.evidence.ledger_node import node
from zhibao.evidence.models import CustodyEvent, Deposit, DepositFile
from zhibao.ledger import bundle as ledger_bundle
from zhibao.ledger import tsa

_NO_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class DepositOutcome:
    deposit: Deposit
    duplicate: bool = False
    visible: bool = True


def _deposit_no(now: dt.datetime) -> str:
    suffix = "".join(secrets.choice(_NO_ALPHABET) for _ in range(6))
    return f"ZBCZ{timezone.localtime(now):%Y%m%d}{suffix}"


def _identity_hash(actor: User) -> str:
    """The depositor's identity in the public leaf, hashed so the log leaks no personal data."""
    return hashlib.sha256(f"zhibao-user:{actor.pk}:{actor.username}".encode()).hexdigest()


def make_deposit(*, actor: User, title: str, files: list, statement: str = "",  # noqa: ANN001
                 kind: str = Deposit.Kind.FILES, source_url: str = "", category: str = "") -> DepositOutcome:
    """Deposit files and/or a statement; the same single file again returns the earlier deposit.

    ``category`` says what the evidence proves (``evidence.checklists``), so channel checklists can
    tell a complainant what is still missing.
    """
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写标题"]
    if category and category not in checklists.categories():
        errors["category"] = [f"未知的证明内容类别：{category}（可用：{', '.join(checklists.categories())}）"]
    if not files and not statement.strip():
        errors["files"] = ["请上传至少一个文件，或填写文字声明"]
    payloads: list[tuple[str, bytes, str]] = []
    for upload in files:
        try:
            mime = check_upload(upload, field="files", allowed=None)
        except InvalidInput as exc:
            errors.setdefault("files", []).extend(f"{upload.name}：{r}" for r in exc.errors["files"])
            continue
        content = upload.read()
        name = Path(upload.name or "file").name[:200] or "file"
        taken = {p[0] for p in payloads}
        stem, n = name, 1
        while name in taken:
            n += 1
            name = f"{n}-{stem}"
        payloads.append((name, content, mime))
    if errors:
        raise InvalidInput(errors)
    if len(payloads) == 1 and not statement.strip():
        earlier = selectors.find_by_sha256(hashlib.sha256(payloads[0][1]).hexdigest())
        if earlier is not None:
            visible = selectors.deposits_visible_to(actor=actor).filter(pk=earlier.deposit_id).exists()
            return DepositOutcome(earlier.deposit, duplicate=True, visible=visible)
    if statement.strip():
        if not payloads and kind == Deposit.Kind.FILES:
            kind = Deposit.Kind.STATEMENT
        payloads.append(("statement.txt", statement.strip().encode("utf-8"), "text/plain"))
    now = timezone.now()
    deposit_no = _deposit_no(now)
    hashes = [(name, ledger.sha256_hex(content), ledger.sm3_hex(content)) for name, content, _ in payloads]
    leaf = ledger_bundle.encode_leaf(deposit_no, hashes, _identity_hash(actor), now.isoformat())
    sealed = node().seal(leaf)
    stamped_at = tsa.verify_timestamp(sealed.timestamp_token, hashlib.sha256(leaf).digest(), node().tsa_chain_pem())
    with transaction.atomic():
        deposit = Deposit.objects.create(
            deposit_no=deposit_no, kind=kind, title=title.strip()[:200], category=category,
            statement=statement.strip(),
            source_url=source_url, depositor=actor, organisation=actor.organisation,
            depositor_id_hash=_identity_hash(actor), deposited_at=now, leaf_index=sealed.leaf_index,
            leaf=leaf, tree_size=sealed.tree_size, root_hex=sealed.root.hex(),
            inclusion_proof=[p.hex() for p in sealed.inclusion_proof], checkpoint=sealed.checkpoint,
            timestamp_token=sealed.timestamp_token, timestamp_time=stamped_at,
        )
        for (name, content, mime), (_, sha, sm3) in zip(payloads, hashes, strict=True):
            stored = DepositFile(deposit=deposit, name=name, sha256=sha, sm3=sm3, size=len(content), mime=mime)
            stored.content.save(f"{deposit_no}-{sha[:16]}", ContentFile(content), save=False)
            stored.save()
        CustodyEvent.objects.create(deposit=deposit, actor=actor, action=CustodyEvent.Action.DEPOSITED)
        audit.record(actor=actor, action="deposit", obj=deposit,
                     after={"leaf_index": sealed.leaf_index, "files": [h[0] for h in hashes]})
    return DepositOutcome(deposit)


def capture_and_deposit(*, actor: User, url: str, title: str = "", category: str = "") -> DepositOutcome:
    """Capture a web page in headless Chromium and deposit the screenshot, HTML and headers together."""
    cap = capture.capture(url.strip())
    files = [SimpleUploadedFile("screenshot.png", cap.screenshot_png),
             SimpleUploadedFile("page.html", cap.html),
             SimpleUploadedFile("response-headers.json", cap.headers_json)]
    statement = (f"取证网址：{cap.url}\n最终网址：{cap.final_url}\nHTTP 状态：{cap.status}\n"
                 f"取证时间（UTC）：{cap.captured_at.isoformat()}")
    return make_deposit(actor=actor, title=title or f"网页取证 {cap.url}"[:200], files=files, statement=statement,
                        kind=Deposit.Kind.WEB_CAPTURE, source_url=cap.url[:1000], category=category)


def record_custody(*, actor: User | None, deposit: Deposit, action: str, channel: str = "", note: str = "") -> None:
    CustodyEvent.objects.create(deposit=deposit, actor=actor if getattr(actor, "pk", None) else None,
                                action=action, channel=channel[:60], note=note[:300])


def submit_to_channel(*, actor: User, deposits: list[Deposit], channel: str, reference: str) -> int:
    """Record that deposits were submitted to a channel (e.g. case ZB-2026-000001 → 行政执法).

    The chain of custody then shows which body received the evidence and when; the deposits
    themselves never change, so switching channel re-submits the same deposits, not copies.
    """
    if channel not in checklists.channels():
        raise InvalidInput({"channel": [f"未知的渠道：{channel}"]})
    label = checklists.channels()[channel]["label"]
    with transaction.atomic():
        for deposit in deposits:
            record_custody(actor=actor, deposit=deposit, action=CustodyEvent.Action.SUBMITTED,
                           channel=label, note=reference[:300])
    return len(deposits)


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    image.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _certificate(deposit: Deposit, verify_url: str) -> bytes:
    return render_pdf("evidence/certificate.html", {
        "deposit": deposit, "files": deposit.files.all(), "verify_url": verify_url,
        "qr_data_uri": _qr_data_uri(verify_url), "public_key": verifier_key_text(),
    })


def certificate_pdf(*, actor: User, deposit: Deposit, verify_url: str) -> bytes:
    record_custody(actor=actor, deposit=deposit, action=CustodyEvent.Action.CERTIFICATE)
    return _certificate(deposit, verify_url)


def export_bundle(*, actor: User | None, deposit: Deposit, verify_url: str) -> bytes:
    """The evidence bundle (ZIP) that ``python -m zhibao.ledger.verify`` checks offline."""
    files = {}
    for f in deposit.files.all():
        with f.content.open("rb") as handle:
            files[f.name] = handle.read()
    pdf = _certificate(deposit, verify_url)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{deposit.deposit_no}.zip"
        ledger_bundle.build_bundle(
            out, files=files, leaf=bytes(deposit.leaf), leaf_index=deposit.leaf_index, tree_size=deposit.tree_size,
            inclusion_proof=[bytes.fromhex(h) for h in deposit.inclusion_proof], root=bytes.fromhex(deposit.root_hex),
            checkpoint=deposit.checkpoint, timestamp_token=bytes(deposit.timestamp_token),
            tsa_chain_pem=node().tsa_chain_pem(), certificate_pdf=pdf,
            manifest_extra={"deposit_no": deposit.deposit_no, "title": deposit.title,
                            "verifier_key": verifier_key_text()},
        )
        data = out.read_bytes()
    record_custody(actor=actor, deposit=deposit, action=CustodyEvent.Action.EXPORTED)
    return data


def public_verification(*, content: bytes | None, sha256: str = "", deposit_no: str = "") -> selectors.Verification:
    result = selectors.verify(content=content, sha256=sha256, deposit_no=deposit_no)
    if result.deposit is not None:
        record_custody(actor=None, deposit=result.deposit, action=CustodyEvent.Action.VERIFIED, note=result.label)
    return result


def verifier_key_text() -> str:
    return node().verifier_key()
