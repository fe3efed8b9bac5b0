"""CLI: every subcommand, exit codes 0/1/2 and key-file creation."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
from pathlib import Path

from zhibao.ledger import MerkleLog
from zhibao.ledger.cli import main
from zhibao.ledger.note import Checkpoint, Verifier, open_note, verify_cosignature


def run(tmp: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        argv,
        log_url=str(tmp / "log.db"),
        signer_key_path=tmp / "keys" / "log.key",
        tsa_dir=tmp / "tsa",
        witness_state=tmp / "w" / "state.json",
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_cli(tmp_path: Path) -> None:
    with MerkleLog.open(str(tmp_path / "log.db")) as log:
        log.append_many([b"%d" % i for i in range(20)])
    code, vkey, _ = run(tmp_path, "public-key")
    assert code == 0 and stat.S_IMODE((tmp_path / "keys" / "log.key").stat().st_mode) == 0o600
    v = Verifier.parse(vkey)
    code, cp_text, _ = run(tmp_path, "checkpoint")
    assert code == 0 and Checkpoint.parse(open_note(cp_text, [v]).text).size == 20
    code, text, _ = run(tmp_path, "consistency", "--old", "7", "--json")
    assert code == 0 and json.loads(text)["ok"] and json.loads(text)["new_size"] == 20
    assert run(tmp_path, "consistency", "--old", "7", "--new", "9")[0] == 0
    code, _, err = run(tmp_path, "consistency", "--old", "30")
    assert code == 2 and err.count("\n") == 1
    assert run(tmp_path, "bogus")[0] == 2
    code, text, _ = run(tmp_path, "audit", "--json")
    assert code == 0 and json.loads(text)["ok"]
    code, pem, _ = run(tmp_path, "tsa-chain")
    assert code == 0 and pem.count("BEGIN CERTIFICATE") == 2

    # Witness: first contact, then growth with a proof from the log, then a rollback is refused.
    (tmp_path / "cp20.txt").write_text(cp_text)
    code, cosigned, err = run(
        tmp_path,
        "witness",
        "--checkpoint",
        str(tmp_path / "cp20.txt"),
        "--log-url",
        str(tmp_path / "log.db"),
        "--key",
        vkey.strip(),
    )
    assert code == 0, err
    wkey = Verifier.parse(
        json.loads(
            run(
                tmp_path,
                "witness",
                "--checkpoint",
                str(tmp_path / "cp20.txt"),
                "--log-url",
                str(tmp_path / "log.db"),
                "--key",
                vkey.strip(),
                "--json",
            )[1]
        )["witness_key"]
    )
    assert verify_cosignature(cosigned, wkey) > 0
    with MerkleLog.open(str(tmp_path / "log.db")) as log:
        log.append_many([b"more"] * 5)
    (tmp_path / "cp25.txt").write_text(run(tmp_path, "checkpoint")[1])
    args = ["--log-url", str(tmp_path / "log.db"), "--key", vkey.strip()]
    assert run(tmp_path, "witness", "--checkpoint", str(tmp_path / "cp25.txt"), *args)[0] == 0
    code, _, err = run(tmp_path, "witness", "--checkpoint", str(tmp_path / "cp20.txt"), *args)
    assert code == 1 and "rollback" in err
    assert run(tmp_path, "witness", "--checkpoint", str(tmp_path / "nope.txt"), *args)[0] == 2

    con = sqlite3.connect(tmp_path / "log.db")
    con.execute("UPDATE ledger_meta SET root = zeroblob(32)")  # schema-independent tampering
    con.commit()
    con.close()
    code, text, _ = run(tmp_path, "audit")
    assert code == 1 and "FAILED" in text
