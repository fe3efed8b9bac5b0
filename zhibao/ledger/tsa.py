"""RFC 3161 time-stamping: an embedded TSA, a remote client and an offline token verifier.

Why embedded: deposits need a trusted time even when no external TSA is reachable; tokens are
standard RFC 3161 / CMS so ``openssl ts -verify`` and any court-appointed TSA tooling can check
them, and an external TSA can be swapped in with :class:`RemoteTimestampAuthority`.
ECDSA P-256 + SHA-256 is used because ``openssl ts`` does not accept Ed25519 TSA keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import urllib.request
from pathlib import Path

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .merkle import VerificationError

POLICY_OID = "1.3.6.1.4.1.60000.1.1"  # ZhiBao TSA policy (private arc; informative only)
_UTC = dt.UTC


class _Resp(core.Sequence):
    """TimeStampResp with the token OPTIONAL as in RFC 3161 (asn1crypto marks it mandatory)."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ZhiBao"), x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    )


def _make_certs() -> tuple[
    ec.EllipticCurvePrivateKey, x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate
]:
    now = dt.datetime.now(_UTC) - dt.timedelta(minutes=5)
    root_key, tsa_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = _name("ZhiBao Time-Stamping Root CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650 * 3))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    tsa = (
        x509.CertificateBuilder()
        .subject_name(_name("ZhiBao Time-Stamping Authority"))
        .issuer_name(root_name)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650 * 2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    return root_key, root, tsa_key, tsa


def _signed_attrs_der(signer_info: cms.SignerInfo) -> bytes:
    """DER of the signed attributes as a SET OF (tag 0x31), which is what the signature covers."""
    raw = signer_info["signed_attrs"].dump()
    return b"\x31" + raw[1:]


class TimestampAuthority:
    """An embedded RFC 3161 TSA whose root CA, TSA certificate and keys live in one directory."""

    def __init__(
        self, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, root: x509.Certificate
    ) -> None:
        self._key, self.cert, self.root = key, cert, root
        der = cert.public_bytes(serialization.Encoding.DER)
        self._cert_asn1 = ax509.Certificate.load(der)
        self._cert_der = der
        ess = tsp.SetOfSigningCertificatesV2(
            [
                {
                    "certs": [
                        {
                            "hash_algorithm": {"algorithm": "sha256"},
                            "cert_hash": hashlib.sha256(der).digest(),
                            "issuer_serial": {
                                "issuer": [
                                    ax509.GeneralName(name="directory_name", value=self._cert_asn1.issuer)
                                ],
                                "serial_number": self._cert_asn1.serial_number,
                            },
                        }
                    ]
                }
            ]
        )
        # Cache DER pieces: re-loading them per token is far cheaper than asn1crypto re-encoding.
        self._ess_der = ess[0].dump()
        self._issuer_der = self._cert_asn1.issuer.dump()
        self._serial = self._cert_asn1.serial_number

    @classmethod
    def load_or_create(cls, directory: str | os.PathLike[str]) -> TimestampAuthority:
        """Load ``tsa.key``/``tsa.pem``/``root.pem`` from ``directory``, creating them (0600) if absent."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        paths = [d / n for n in ("root.key", "root.pem", "tsa.key", "tsa.pem")]
        if not all(p.exists() for p in paths):
            root_key, root, tsa_key, tsa = _make_certs()
            pem_key = serialization.PrivateFormat.PKCS8
            objs: tuple[ec.EllipticCurvePrivateKey | x509.Certificate, ...] = (root_key, root, tsa_key, tsa)
            for p, obj in zip(paths, objs, strict=True):
                if isinstance(obj, x509.Certificate):
                    _write_private(p, obj.public_bytes(serialization.Encoding.PEM))
                else:
                    _write_private(
                        p,
                        obj.private_bytes(serialization.Encoding.PEM, pem_key, serialization.NoEncryption()),
                    )
        key = serialization.load_pem_private_key(paths[2].read_bytes(), None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("TSA key must be an EC key")
        return cls(
            key,
            x509.load_pem_x509_certificate(paths[3].read_bytes()),
            x509.load_pem_x509_certificate(paths[1].read_bytes()),
        )

    def chain_pem(self) -> bytes:
        """TSA certificate followed by the root CA, PEM (use as ``openssl ts -verify -CAfile``)."""
        return self.cert.public_bytes(serialization.Encoding.PEM) + self.root.public_bytes(
            serialization.Encoding.PEM
        )

    def timestamp(self, sha256_digest: bytes, nonce: int | None = None) -> bytes:
        """Issue a DER TimeStampResp (status granted) over a SHA-256 digest."""
        if len(sha256_digest) != 32:
            raise ValueError("timestamp() needs a 32-byte SHA-256 digest")
        info: dict[str, object] = {
            "version": "v1",
            "policy": POLICY_OID,
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": sha256_digest},
            "serial_number": secrets.randbits(63),
            "gen_time": dt.datetime.now(_UTC).replace(microsecond=0),
            "accuracy": {"seconds": 1},
            "ordering": False,
        }
        if nonce is not None:
            info["nonce"] = nonce
        tst = tsp.TSTInfo(info)
        tst_der = tst.dump()
        attrs = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["tst_info"]},
                {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]},
                {"type": "signing_certificate_v2", "values": [tsp.SigningCertificateV2.load(self._ess_der)]},
            ]
        )
        si = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": {
                            "issuer": ax509.Name.load(self._issuer_der),
                            "serial_number": self._serial,
                        }
                    }
                ),
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": attrs,
                "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                "signature": b"",
            }
        )
        si["signature"] = self._key.sign(_signed_attrs_der(si), ec.ECDSA(hashes.SHA256()))
        sd = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": core.ParsableOctetString(tst_der),
                },
                "certificates": [ax509.Certificate.load(self._cert_der)],
                "signer_infos": [si],
            }
        )
        token = cms.ContentInfo({"content_type": "signed_data", "content": sd})
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()

    def respond(self, request_der: bytes) -> bytes:
        """Answer a DER TimeStampReq (what an HTTP TSA endpoint does)."""
        try:
            req = tsp.TimeStampReq.load(request_der)
            imprint = req["message_imprint"]
            if imprint["hash_algorithm"]["algorithm"].native != "sha256":
                raise ValueError("only SHA-256 imprints are accepted")
            nonce = req["nonce"].native
            return self.timestamp(imprint["hashed_message"].native, nonce)
        except Exception as exc:  # a malformed request gets an RFC 3161 rejection, not a crash
            return _Resp(
                {
                    "status": {
                        "status": "rejection",
                        "status_string": [str(exc)[:200]],
                        "fail_info": {"bad_request"},
                    }
                }
            ).dump()


def make_request(sha256_digest: bytes, nonce: int | None = None) -> bytes:
    """A DER TimeStampReq for a SHA-256 digest, asking for the TSA certificate in the token."""
    req: dict[str, object] = {
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": sha256_digest},
        "cert_req": True,
    }
    if nonce is not None:
        req["nonce"] = nonce
    return tsp.TimeStampReq(req).dump()


class RemoteTimestampAuthority:
    """Client for an RFC 3161 HTTP TSA (POST ``application/timestamp-query``)."""

    def __init__(self, url: str, *, timeout: float = 10.0, chain: bytes | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("TSA URL must be http(s)")
        self.url, self.timeout, self._chain = url, timeout, chain

    def chain_pem(self) -> bytes:
        if self._chain is None:
            raise ValueError("no certificate chain configured for this remote TSA")
        return self._chain

    def timestamp(self, sha256_digest: bytes, nonce: int | None = None) -> bytes:
        """Request a token; checks status granted and that the nonce and imprint are echoed."""
        nonce = secrets.randbits(63) if nonce is None else nonce
        req = urllib.request.Request(
            self.url,
            data=make_request(sha256_digest, nonce),
            method="POST",
            headers={"Content-Type": "application/timestamp-query"},
        )
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (scheme checked)
            body: bytes = resp.read()
        tst = _tst_info(body)
        if tst["nonce"].native != nonce or tst["message_imprint"]["hashed_message"].native != sha256_digest:
            raise VerificationError("TSA response does not answer our request")
        return body


def _token(data: bytes) -> cms.ContentInfo:
    """Accept a TimeStampResp (status must be granted) or a bare TimeStampToken (ContentInfo)."""
    status: str | None = None
    token: cms.ContentInfo | None = None
    try:
        resp = _Resp.load(data)
        status = resp["status"]["status"].native
        if resp["time_stamp_token"].native is not None:
            token = resp["time_stamp_token"]
    except Exception:  # not a TimeStampResp: maybe a bare token
        status = None
    if status is not None and status not in ("granted", "granted_with_mods"):
        raise VerificationError(f"TSA refused the request: {status}")
    if token is not None:
        return token
    try:
        token = cms.ContentInfo.load(data)
        token.native  # noqa: B018 (forces a full parse so garbage fails here)
        return token
    except Exception as exc:
        raise VerificationError(f"not an RFC 3161 response or token: {exc}") from exc


def _tst_info(data: bytes) -> tsp.TSTInfo:
    sd = _token(data)["content"]
    return sd["encap_content_info"]["content"].parsed


def verify_timestamp(token_bytes: bytes, digest: bytes, chain_pem: bytes) -> dt.datetime:
    """Verify an RFC 3161 response/token over ``digest`` against a PEM chain; returns genTime.

    Checks: imprint, content-type and message-digest attributes, ESSCertIDv2 binding, the CMS
    signature, the signer's critical timeStamping EKU and validity at genTime, and a certificate
    path from the signer to a self-signed root contained in ``chain_pem``.
    """
    token = _token(token_bytes)
    if token["content_type"].native != "signed_data":
        raise VerificationError("token is not CMS SignedData")
    sd = token["content"]
    eci = sd["encap_content_info"]
    if eci["content_type"].native != "tst_info":
        raise VerificationError("token does not contain a TSTInfo")
    tst_der = eci["content"].contents
    tst = eci["content"].parsed
    imprint = tst["message_imprint"]
    if (
        imprint["hash_algorithm"]["algorithm"].native != "sha256"
        or imprint["hashed_message"].native != digest
    ):
        raise VerificationError("timestamp is over a different digest")
    if len(sd["signer_infos"]) != 1:
        raise VerificationError("token must have exactly one signer")
    si = sd["signer_infos"][0]
    attrs = {a["type"].native: a["values"][0] for a in si["signed_attrs"]}
    if attrs.get("content_type") is None or attrs["content_type"].native != "tst_info":
        raise VerificationError("content-type attribute is not id-ct-TSTInfo")
    if (
        attrs.get("message_digest") is None
        or attrs["message_digest"].native != hashlib.sha256(tst_der).digest()
    ):
        raise VerificationError("message-digest attribute does not match the TSTInfo")
    chain = x509.load_pem_x509_certificates(chain_pem)
    pool = list(chain)
    for c in sd["certificates"] or []:
        pool.append(x509.load_der_x509_certificate(c.chosen.dump()))
    sid = si["sid"].chosen
    signer = next(
        (
            c
            for c in pool
            if c.serial_number == sid["serial_number"].native
            and c.issuer.public_bytes() == sid["issuer"].dump()
        ),
        None,
    )
    if signer is None:
        raise VerificationError("TSA signing certificate not found")
    ess = attrs.get("signing_certificate_v2")
    if (
        ess is None
        or ess["certs"][0]["cert_hash"].native
        != hashlib.sha256(signer.public_bytes(serialization.Encoding.DER)).digest()
    ):
        raise VerificationError("signing-certificate-v2 attribute does not bind the signer certificate")
    pub = signer.public_key()
    if not isinstance(pub, ec.EllipticCurvePublicKey):
        raise VerificationError("unsupported TSA key type")
    try:
        pub.verify(si["signature"].native, _signed_attrs_der(si), ec.ECDSA(hashes.SHA256()))
    except Exception as exc:
        raise VerificationError("TSA signature is invalid") from exc
    gen_time: dt.datetime = tst["gen_time"].native
    try:
        eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound as exc:
        raise VerificationError("TSA certificate lacks extendedKeyUsage") from exc
    if not eku.critical or list(eku.value) != [x509.ExtendedKeyUsageOID.TIME_STAMPING]:
        raise VerificationError("TSA certificate EKU must be critical timeStamping only")
    cert, roots = signer, [c for c in chain if c.issuer == c.subject]
    for _ in range(5):
        if not cert.not_valid_before_utc <= gen_time <= cert.not_valid_after_utc:
            raise VerificationError(f"certificate {cert.subject.rfc4514_string()} not valid at genTime")
        issuer = next((c for c in chain if c.subject == cert.issuer), None)
        if issuer is None:
            raise VerificationError("no path from the TSA certificate to the given chain")
        try:
            cert.verify_directly_issued_by(issuer)
        except Exception as exc:
            raise VerificationError("certificate chain signature invalid") from exc
        if issuer in roots:
            return gen_time
        cert = issuer
    raise VerificationError("certificate chain too long")
