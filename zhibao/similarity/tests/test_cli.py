"""CLI contract used by the Django command: exit codes, JSON shape, one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

from zhibao.similarity.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_compare_json_similar() -> None:
    code, out, err = run("compare", "星河", "星禾", "--json")
    payload = json.loads(out)
    assert code == 0 and err == ""
    assert payload["a"] == "星河" and payload["b"] == "星禾" and payload["similar"] is True
    assert any(r.startswith("同音") and "xing he" in r for r in payload["reasons"])
    assert set(payload) == {"a", "b", "score", "similar", "reasons"}


def test_compare_not_similar_text() -> None:
    code, out, _ = run("compare", "王老吉", "加多宝")
    assert code == 1 and "不近似" in out


def test_compare_knows_the_earlier_mark_of_a_product_title() -> None:
    assert run("compare", "猩河智能音箱 官方正品", "星河")[0] == 1  # symmetric: not similar
    code, out, _ = run("compare", "猩河智能音箱 官方正品", "星河", "--earlier", "b", "--in-title", "--json")
    assert code == 0 and "含有读音相同部分: xing he" in json.loads(out)["reasons"]
    code, _, err = run("compare", "猩河智能音箱", "星河", "--in-title")
    assert code == 2 and "--earlier" in err


def test_bad_input_exit_2_one_line() -> None:
    for argv in (["compare", "星河", "  "], ["compare", "星河"], [], ["bogus"], ["search", "x"],
                 ["compare", "a" * 101, "b"]):
        code, out, err = run(*argv)
        assert code == 2, argv
        assert err.count("\n") == 1 and err.startswith("zhibao similarity: error:"), (argv, err)


def test_build_and_search(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("星河\n小米\n\n乔丹\n", encoding="utf-8")
    idx = tmp_path / "idx.npz"
    code, out, _ = run("build-index", "--names", str(names), "--out", str(idx))
    assert code == 0 and "3" in out
    code, out, _ = run("search", "--index", str(idx), "QIAODAN", "--json", "--limit", "5")
    assert code == 0 and json.loads(out)["matches"][0]["name"] == "乔丹"
    code, out, _ = run("search", "--index", str(idx), "加多宝")
    assert code == 1 and out == ""
    code, _, err = run("search", "--index", str(tmp_path / "missing.npz"), "星河")
    assert code == 2 and "not found" in err
    code, _, err = run("build-index", "--names", str(tmp_path / "none.txt"), "--out", str(idx))
    assert code == 2


def test_help_returns_zero() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "compare" in out
