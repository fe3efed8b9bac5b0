"""``zhibao law uscc`` from the command line and the USCC page/API (issue 3)."""

from __future__ import annotations

import json
import subprocess
import sys

from zhibao.law import uscc as uscc_lib


def _zhibao(*args: str) -> subprocess.CompletedProcess:
    """Run the real ``zhibao`` command line in a clean environment."""
    return subprocess.run([sys.executable, "-m", "zhibao.manage", *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "ZHIBAO_DEBUG": "1", "ZHIBAO_DATA_DIR": "/tmp/zhibao-cli",
                               "DJANGO_SETTINGS_MODULE": "zhibao.settings"})


def _cli(*args: str) -> subprocess.CompletedProcess:
    return _zhibao("law", *args)


def test_cli_uscc_answers_valid_mistyped_and_wrong_check_digit():
    code = uscc_lib.make_uscc("91110108MA01XH001")
    ok = _cli("uscc", code, "--json")
    assert ok.returncode == 0, ok.stderr
    body = json.loads(ok.stdout)
    assert body["valid"] is True and body["division_code"] == "110108" and body["entity_type"] == "企业"
    assert set(body) >= {"code", "valid", "errors", "warnings", "division_code", "entity_type"}
    wrong = _cli("uscc", code[:17] + ("1" if code[17] != "1" else "2"), "--json")
    assert wrong.returncode == 1 and "校验码" in json.loads(wrong.stdout)["errors"][0]
    mistyped = _cli("uscc", code[:5] + "O" + code[6:], "--json")
    assert mistyped.returncode == 1 and "非法字符" in json.loads(mistyped.stdout)["errors"][0]


def test_cli_bad_usage_exits_2_with_one_line():
    bad = _cli("uscc")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_uscc_api_explains_errors(client_as, demo):  # noqa: ANN001
    body = client_as("xinghe").get("/api/v1/law/uscc/91110108MA01XH00").json()
    assert body["valid"] is False and "长度应为18位" in body["errors"][0]


def test_similarity_compare_cli_explains_a_homophone():
    result = _zhibao("similarity", "compare", "星河", "星禾", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["similar"] is True and any("同音" in r for r in body["reasons"])
    empty = _zhibao("similarity", "compare", " ", "星禾")
    assert empty.returncode == 2 and "Traceback" not in empty.stderr
