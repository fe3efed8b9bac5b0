"""This platform's ledger node: the Merkle log, its checkpoint signer and the time-stamp authority.

One per process, opened lazily: the log lives where ``ZHIBAO_LEDGER_URL`` says
(an SQLite file by default, or PostgreSQL), keys under ``ZHIBAO_KEYS_DIR``
(created on first use, never in git). An external RFC 3161 TSA is used when
``ZHIBAO_TSA_URL`` is set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from zhibao import ledger
from zhibao.ledger import cli as ledger_cli
from zhibao.ledger import note, tsa


@dataclass(frozen=True)
class Sealed:
    """What one append returns: where the leaf sits and the proofs that it does."""

    leaf_index: int
    tree_size: int
    root: bytes
    inclusion_proof: list[bytes]
    checkpoint: str
    timestamp_token: bytes


class LedgerNode:
    def __init__(self, log_url: str, keys_dir: Path, name: str, tsa_url: str = "") -> None:
        keys_dir.mkdir(parents=True, exist_ok=True)
        keys_dir.chmod(0o700)
        self.log = ledger.MerkleLog.open(log_url)
        self.signer = ledger_cli.load_or_create_signer(keys_dir / "checkpoint-signer.key", name)
        self.tsa: tsa.TimestampAuthority | tsa.RemoteTimestampAuthority = (
            tsa.RemoteTimestampAuthority(tsa_url) if tsa_url else tsa.TimestampAuthority.load_or_create(keys_dir / "tsa"))
        self.origin = self.signer.name  # a checkpoint's origin is its signing key's name

    def seal(self, leaf: bytes) -> Sealed:
        """Append one leaf, then sign a checkpoint over the tree that includes it and timestamp the leaf."""
        index = self.log.append(leaf)  # the log handle serialises appends itself
        size = index + 1
        root = self.log.root(size)
        proof = self.log.inclusion_proof(index, size)
        checkpoint = self.checkpoint_text(size, root)
        token = self.tsa.timestamp(hashlib.sha256(leaf).digest())
        return Sealed(index, size, root, proof, checkpoint, token)

    def checkpoint_text(self, size: int, root: bytes) -> str:
        return note.sign_note(note.Checkpoint(self.origin, size, root).format(), self.signer)

    def verifier_key(self) -> str:
        return self.signer.verifier.format()

    def tsa_chain_pem(self) -> bytes:
        return self.tsa.chain_pem()


@lru_cache(maxsize=1)
def node() -> LedgerNode:
    return LedgerNode(settings.ZHIBAO_LEDGER_URL, Path(settings.ZHIBAO_KEYS_DIR), settings.ZHIBAO_LEDGER_NAME,
                      settings.ZHIBAO_TSA_URL)
