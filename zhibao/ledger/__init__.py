"""zhibao.ledger: a self-contained transparency log for deposit evidence.

Why standalone: evidence must remain verifiable by courts and third parties without the ZhiBao
application, so this package imports no Django and nothing else from ``zhibao``.
"""

from .bundle import build_bundle, decode_leaf, encode_leaf
from .log import AuditReport, MerkleLog
from .merkle import (
    EMPTY_ROOT,
    LedgerError,
    VerificationError,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    sha256_hex,
    sm3_hex,
    verify_consistency,
    verify_inclusion,
)
from .note import (
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
from .tsa import RemoteTimestampAuthority, TimestampAuthority, verify_timestamp

# verify_bundle lives in zhibao.ledger.verify (not re-exported: `python -m zhibao.ledger.verify` must
# not find its module already imported by the package).
from .witness import Witness

__all__ = [
    "ALG_COSIGNATURE_V1",
    "EMPTY_ROOT",
    "AuditReport",
    "Checkpoint",
    "LedgerError",
    "MerkleLog",
    "RemoteTimestampAuthority",
    "Signer",
    "TimestampAuthority",
    "VerificationError",
    "Verifier",
    "Witness",
    "build_bundle",
    "cosign",
    "decode_leaf",
    "encode_leaf",
    "generate_signer",
    "leaf_hash",
    "node_hash",
    "open_note",
    "root_from_inclusion_proof",
    "sha256_hex",
    "sign_note",
    "sm3_hex",
    "verify_consistency",
    "verify_cosignature",
    "verify_inclusion",
    "verify_timestamp",
]
