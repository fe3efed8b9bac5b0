"""A C2SP tlog witness: cosigns a log's checkpoint only if it extends what the witness saw before.

Why: a log operator could show different histories to different people (a split view) or rewrite
history. A witness remembers the last (size, root) per log origin and cosigns a new checkpoint only
after checking the log's signature and an RFC 9162 consistency proof from that state, so any
verifier that requires the cosignature is protected from forks and rollbacks.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .merkle import LedgerError, VerificationError, verify_consistency
from .note import ALG_COSIGNATURE_V1, Checkpoint, Signer, Verifier, cosign, open_note


class Witness:
    """Cosigner with a JSON state file ``{origin: {"size": n, "root": hex}}`` (written atomically)."""

    def __init__(self, signer: Signer, state_path: str | os.PathLike[str]) -> None:
        if signer.alg != ALG_COSIGNATURE_V1:
            raise LedgerError("a witness key must use algorithm 0x04 (cosignature/v1)")
        self.signer, self.state_path = signer, Path(state_path)

    def _load(self) -> dict[str, dict[str, object]]:
        if not self.state_path.exists():
            return {}
        data = json.loads(self.state_path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("witness state file is corrupt")
        return data

    def _save(self, state: dict[str, dict[str, object]]) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_path.parent, prefix=".witness-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh, sort_keys=True, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.state_path)

    def last_seen(self, origin: str) -> tuple[int, bytes] | None:
        entry = self._load().get(origin)
        if entry is None:
            return None
        return int(entry["size"]), bytes.fromhex(str(entry["root"]))  # type: ignore[call-overload]

    def cosign(
        self,
        signed_checkpoint: str,
        log_key: Verifier,
        proof: Sequence[bytes],
        *,
        timestamp: int | None = None,
    ) -> str:
        """Verify and cosign; returns the checkpoint note with this witness's cosignature appended.

        ``proof`` is the consistency proof from :meth:`last_seen` size to the checkpoint's size
        (empty on first contact, which is trust-on-first-use, or when the size is unchanged).
        Raises :class:`VerificationError` on a bad signature, rollback or inconsistent history.
        """
        note = open_note(signed_checkpoint, [log_key])
        cp = Checkpoint.parse(note.text)
        if cp.origin != log_key.name:
            raise VerificationError(
                f"checkpoint origin {cp.origin!r} does not match the log key {log_key.name!r}"
            )
        state = self._load()
        prev = state.get(cp.origin)
        if prev is not None:
            old_size, old_root = int(prev["size"]), bytes.fromhex(str(prev["root"]))  # type: ignore[call-overload]
            if cp.size < old_size:
                raise VerificationError(f"rollback: checkpoint size {cp.size} < last seen size {old_size}")
            if cp.size == old_size:
                if cp.root != old_root:
                    raise VerificationError("fork: same size as last seen but a different root")
            elif old_size == 0:
                pass  # anything is consistent with the empty tree
            else:
                verify_consistency(old_size, cp.size, proof, old_root, cp.root)
        state[cp.origin] = {"size": cp.size, "root": cp.root.hex()}
        self._save(state)
        body = signed_checkpoint if signed_checkpoint.endswith("\n") else signed_checkpoint + "\n"
        return body + cosign(note.text, self.signer, timestamp)
