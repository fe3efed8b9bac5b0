"""C2SP signed notes, tlog checkpoints and tlog cosignatures, with Ed25519.

Why these formats: they are what the transparency-log ecosystem (Go's sumdb, Sigstore, Sigsum,
witness networks) already verifies, so a court, notary or third-party witness can check ZhiBao's
tree heads with existing tools instead of a bespoke format.

* signed note (c2sp.org/signed-note): ``text`` ending in a newline, a blank line, then lines
  ``— <name> base64(key ID ‖ signature)``. Ed25519 key ID = SHA-256(name ‖ "\\n" ‖ 0x01 ‖ pubkey)[:4].
  Verifier keys print as ``name+hex(keyid)+base64(0x01 ‖ pubkey)`` and signer keys as
  ``PRIVATE+KEY+name+hex(keyid)+base64(0x01 ‖ seed)``, like golang.org/x/mod/sumdb/note.
* checkpoint (c2sp.org/tlog-checkpoint): origin line, decimal tree size, base64 root hash,
  optional extension lines.
* cosignature/v1 (c2sp.org/tlog-cosignature): key ID uses type byte 0x04; the signature is
  ``u64 timestamp ‖ Ed25519(\"cosignature/v1\\ntime <ts>\\n\" ‖ checkpoint body)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .merkle import HASH_SIZE, LedgerError, VerificationError

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
_DASH = "\u2014"
MAX_SIGNATURES = 100


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise VerificationError(f"{what} is not valid base64") from None


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise LedgerError(f"invalid key name {name!r} (non-empty, no spaces, no '+')")


def key_id(name: str, alg: int, public_key: bytes) -> bytes:
    """SHA-256(name ‖ "\\n" ‖ alg ‖ public key)[:4], the signed-note key ID."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([alg]) + public_key).digest()[:4]


def _raw_public(pk: Ed25519PublicKey) -> bytes:
    return pk.public_bytes(Encoding.Raw, PublicFormat.Raw)


def cosignature_message(body: str, timestamp: int) -> bytes:
    """The bytes a cosignature/v1 signs: header line, time line, whole checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode("utf-8")


class Verifier:
    """A note verifier (``alg`` 0x01, plain Ed25519 note signature) or a cosignature/v1 verifier (0x04)."""

    def __init__(self, name: str, public_key: bytes, alg: int = ALG_ED25519) -> None:
        _check_name(name)
        if len(public_key) != 32 or alg not in (ALG_ED25519, ALG_COSIGNATURE_V1):
            raise LedgerError("unsupported verifier key (Ed25519 types 0x01 and 0x04 only)")
        self.name, self.public_key, self.alg = name, bytes(public_key), alg
        self.key_id = int.from_bytes(key_id(name, alg, self.public_key), "big")
        self._pk = Ed25519PublicKey.from_public_bytes(self.public_key)

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        """Parse ``name+keyid_hex+base64(alg ‖ pubkey)``; raise LedgerError if malformed."""
        parts = vkey.strip().split("+", 2)  # base64 may itself contain '+'
        if len(parts) != 3 or len(parts[1]) != 8:
            raise LedgerError("verifier key must look like name+keyid+base64key")
        name, hexid, b64 = parts
        try:
            raw = _unb64(b64, "verifier key")
            kid = int(hexid, 16)
        except (VerificationError, ValueError):
            raise LedgerError("verifier key has a malformed key ID or key") from None
        if len(raw) != 33:
            raise LedgerError("verifier key is not an Ed25519 key")
        v = cls(name, raw[1:], raw[0])
        if v.key_id != kid:
            raise LedgerError("verifier key ID does not match its name and key")
        return v

    def format(self) -> str:
        """``name+keyid_hex+base64(alg ‖ pubkey)`` (golang.org/x/mod/sumdb/note vkey form)."""
        return f"{self.name}+{self.key_id:08x}+{_b64(bytes([self.alg]) + self.public_key)}"

    def __str__(self) -> str:
        return self.format()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verifier) and (self.name, self.alg, self.public_key) == (
            other.name,
            other.alg,
            other.public_key,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.alg, self.public_key))

    def verify(self, text: str, sig: bytes) -> int | None:
        """Check a signature (without key ID) over note ``text``.

        Returns None for a note signature, the cosignature's timestamp for cosignature/v1;
        raises VerificationError when it does not verify.
        """
        try:
            if self.alg == ALG_ED25519:
                if len(sig) != 64:
                    raise InvalidSignature
                self._pk.verify(sig, text.encode("utf-8"))
                return None
            if len(sig) != 72:
                raise InvalidSignature
            ts = int.from_bytes(sig[:8], "big")
            if ts >= 1 << 63:
                raise InvalidSignature
            self._pk.verify(sig[8:], cosignature_message(text, ts))
            return ts
        except InvalidSignature:
            raise VerificationError(f"signature by {self.name} does not verify") from None


class Signer:
    """An Ed25519 signer; ``alg`` 0x01 signs notes, 0x04 produces cosignature/v1 cosignatures."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey, alg: int = ALG_ED25519) -> None:
        _check_name(name)
        if alg not in (ALG_ED25519, ALG_COSIGNATURE_V1):
            raise LedgerError("unsupported signer type")
        self.name, self.alg, self._sk = name, alg, private_key
        self.public_key = _raw_public(private_key.public_key())
        self.key_id = int.from_bytes(key_id(name, alg, self.public_key), "big")

    @classmethod
    def parse(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+name+keyid_hex+base64(alg ‖ seed)``."""
        parts = skey.strip().split("+", 4)  # base64 may itself contain '+'
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise LedgerError("signer key must look like PRIVATE+KEY+name+keyid+base64seed")
        try:
            raw = _unb64(parts[4], "signer key")
        except VerificationError:
            raise LedgerError("signer key is not valid base64") from None
        if len(raw) != 33:
            raise LedgerError("signer key is not an Ed25519 seed")
        s = cls(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]), raw[0])
        if f"{s.key_id:08x}" != parts[3].lower():
            raise LedgerError("signer key ID does not match its name and key")
        return s

    def format(self) -> str:
        """``PRIVATE+KEY+name+keyid_hex+base64(alg ‖ seed)`` (sumdb/note skey form); keep secret."""
        seed = self._sk.private_bytes_raw()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{_b64(bytes([self.alg]) + seed)}"

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.public_key, self.alg)

    def signature(self, text: str, timestamp: int | None = None) -> bytes:
        """Signature bytes (without key ID) over note ``text``; cosigners prefix the u64 timestamp."""
        if self.alg == ALG_ED25519:
            return self._sk.sign(text.encode("utf-8"))
        ts = int(time.time()) if timestamp is None else timestamp
        if not 0 <= ts < 1 << 63:
            raise LedgerError("cosignature timestamp out of range")
        return ts.to_bytes(8, "big") + self._sk.sign(cosignature_message(text, ts))

    def signature_line(self, text: str, timestamp: int | None = None) -> str:
        kid = self.key_id.to_bytes(4, "big")
        return f"{_DASH} {self.name} {_b64(kid + self.signature(text, timestamp))}\n"


def generate_signer(name: str, alg: int = ALG_ED25519) -> Signer:
    """A fresh Ed25519 signer (0x01: log key; 0x04: witness/cosigner key)."""
    return Signer(name, Ed25519PrivateKey.generate(), alg)


@dataclass
class NoteSignature:
    name: str
    key_id: int
    signature: bytes
    timestamp: int | None = None  # set for verified cosignatures


@dataclass
class Note:
    """An opened note: ``verified`` signatures came from the given verifiers, ``others`` did not."""

    text: str
    verified: list[NoteSignature] = field(default_factory=list)
    others: list[NoteSignature] = field(default_factory=list)

    @property
    def verified_by(self) -> list[str]:
        return [s.name for s in self.verified]


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise LedgerError("note text must end with a newline")
    if any(c != "\n" and (ord(c) < 0x20 or ord(c) == 0x7F) for c in text):
        raise LedgerError("note text must not contain control characters")


def sign_note(text: str, *signers: Signer) -> str:
    """Sign note ``text`` (must end in a newline) with each Ed25519 note signer."""
    _check_text(text)
    if not signers:
        raise LedgerError("sign_note needs at least one signer")
    if any(s.alg != ALG_ED25519 for s in signers):
        raise LedgerError("sign_note takes note signers (0x01); use cosign() for cosignatures")
    return text + "\n" + "".join(s.signature_line(text) for s in signers)


def cosign(text: str, signer: Signer, timestamp: int | None = None) -> str:
    """A cosignature/v1 signature line over checkpoint body ``text``, to append to the signed note."""
    if signer.alg != ALG_COSIGNATURE_V1:
        raise LedgerError("cosign needs a cosignature/v1 (0x04) key")
    _check_text(text)
    return signer.signature_line(text, timestamp)


def split_note(signed: str) -> tuple[str, list[NoteSignature]]:
    """Split a signed note into its text and raw signatures (nothing verified)."""
    cut = signed.rfind("\n\n")
    if cut < 0 or not signed.endswith("\n"):
        raise VerificationError("malformed note: no signature block")
    text, block = signed[: cut + 1], signed[cut + 2 :]
    try:
        _check_text(text)
    except LedgerError as exc:
        raise VerificationError(f"malformed note: {exc}") from None
    sigs: list[NoteSignature] = []
    for line in block[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != _DASH or not parts[1]:
            raise VerificationError("malformed note signature line")
        raw = _unb64(parts[2], "note signature")
        if len(raw) < 5:
            raise VerificationError("note signature is too short")
        sigs.append(NoteSignature(parts[1], int.from_bytes(raw[:4], "big"), raw[4:]))
    if not sigs or len(sigs) > MAX_SIGNATURES:
        raise VerificationError("a note needs between 1 and 100 signatures")
    return text, sigs


def open_note(signed: str, verifiers: Iterable[Verifier]) -> Note:
    """Verify a signed note against known verifiers.

    A signature from a known (name, key ID) must verify; unknown ones are kept in ``others``. At
    least one known signature is required, as in golang.org/x/mod/sumdb/note.
    """
    text, sigs = split_note(signed)
    known = {(v.name, v.key_id): v for v in verifiers}
    note = Note(text)
    seen: set[tuple[str, int]] = set()
    for s in sigs:
        v = known.get((s.name, s.key_id))
        if v is None:
            note.others.append(s)
            continue
        if (s.name, s.key_id) in seen:
            raise VerificationError(f"duplicate signature by {s.name}")
        seen.add((s.name, s.key_id))
        s.timestamp = v.verify(text, s.signature)
        note.verified.append(s)
    if not note.verified:
        raise VerificationError("note has no signature from a known key")
    return note


def verify_cosignature(signed: str, verifier: Verifier) -> int:
    """Check ``verifier``'s cosignature/v1 on a signed checkpoint; returns its timestamp."""
    if verifier.alg != ALG_COSIGNATURE_V1:
        raise LedgerError("verify_cosignature needs a cosignature/v1 (0x04) verifier key")
    note = open_note(signed, [verifier])
    ts = note.verified[0].timestamp
    assert ts is not None
    return ts


@dataclass(frozen=True)
class Checkpoint:
    """A C2SP tlog-checkpoint body: origin, tree size, root hash, extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def format(self) -> str:
        if not self.origin or "\n" in self.origin or self.size < 0 or len(self.root) != HASH_SIZE:
            raise LedgerError("invalid checkpoint fields")
        if any(not e or "\n" in e for e in self.extensions):
            raise LedgerError("checkpoint extension lines must be non-empty single lines")
        lines = [self.origin, str(self.size), _b64(self.root), *self.extensions]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body, or the text of a signed checkpoint note (signatures ignored)."""
        if "\n\n" in text:
            text = text[: text.rfind("\n\n") + 1]
        if not text.endswith("\n"):
            raise VerificationError("checkpoint must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3 or not lines[0] or any(not line for line in lines[3:]):
            raise VerificationError("checkpoint needs origin, size and root lines")
        size_s = lines[1]
        if not size_s.isascii() or not size_s.isdigit() or (size_s != "0" and size_s.startswith("0")):
            raise VerificationError("checkpoint tree size is not a canonical decimal")
        root = _unb64(lines[2], "checkpoint root hash")
        if len(root) != HASH_SIZE or _b64(root) != lines[2]:
            raise VerificationError("checkpoint root hash is not a canonical 32-byte base64 value")
        return cls(lines[0], int(size_s), root, tuple(lines[3:]))


def open_checkpoint(
    signed: str, verifiers: Sequence[Verifier], origin: str | None = None
) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint and parse it; optionally require a given origin."""
    note = open_note(signed, verifiers)
    cp = Checkpoint.parse(note.text)
    if origin is not None and cp.origin != origin:
        raise VerificationError(f"checkpoint origin {cp.origin!r} is not {origin!r}")
    return cp, note
