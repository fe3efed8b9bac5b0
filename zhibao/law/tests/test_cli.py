"""The pure CLI: exit codes (0 ok, 1 negative answer, 2 bad input) and JSON shapes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhibao.law import uscc
from zhibao.law.cli import main


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def assert_bad_input(code: int, out: str, err: str) -> None:
    assert code == 2 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("zhibao law: ")


def test_uscc_json_shape_and_exit_codes():
    valid = uscc.make_uscc("91110108MA01XH001")
    code, out, _ = run("uscc", valid, "--json")
    body = json.loads(out)
    assert code == 0 and set(body) == {"code", "valid", "errors", "warnings", "division_code", "entity_type"}
    assert body["division_code"] == "110108"
    code, out, _ = run("uscc", valid[:17] + ("1" if valid[17] != "1" else "2"), "--json")
    assert code == 1 and json.loads(out)["valid"] is False
    code, out, _ = run("uscc", valid)
    assert code == 0 and out.startswith("有效")
    code, out, _ = run("uscc", "9111I108MA01XH0010")
    assert code == 1 and "第5位含非法字符 'I'" in out


def test_deadline_json_over_national_day():
    code, out, _ = run("deadline", "--start", "2026-09-16", "--days", "15", "--json")
    body = json.loads(out)
    assert code == 0 and body["deadline"] == "2026-10-08" and body["start"] == "2026-09-16"
    assert set(body) >= {"start", "deadline", "rule", "source", "skipped"}
    assert body["skipped"][0] == {"date": "2026-10-01", "reason": "国庆节"} and len(body["skipped"]) == 7


def test_deadline_by_rule_working_days_and_text_output():
    code, out, _ = run("deadline", "--start", "2026-09-30", "--working-days", "5", "--json")
    assert code == 0 and json.loads(out)["deadline"] == "2026-10-13"
    code, out, _ = run("deadline", "--start", "2026-09-16", "--rule", "ecommerce_counter_notice", "--json")
    body = json.loads(out)
    assert body["rule"] == "ecommerce_counter_notice" and "第四十三条" in body["source"]
    code, out, _ = run("deadline", "--start", "2026-09-16", "--days", "15")
    assert code == 0 and "2026-10-08" in out and "国庆节" in out


def test_deadline_hour_rule_takes_datetime_in_beijing_time():
    code, out, _ = run("deadline", "--start", "2026-09-30T15:30", "--rule", "criminal_handover", "--json")
    assert code == 0 and json.loads(out)["deadline"] == "2026-10-01T15:30:00+08:00"
    code, out, _ = run("deadline", "--start", "2026-09-30T15:30+00:00", "--hours", "24", "--json")
    assert code == 0 and json.loads(out)["deadline"] == "2026-10-01T15:30:00+00:00"


def test_deadline_months_extension_and_pauses():
    code, out, _ = run("deadline", "--start", "2026-06-05", "--rule", "adjudication_decision", "--extended", "--json")
    body = json.loads(out)
    assert code == 0 and body["deadline"] == "2026-10-08" and body["extended"] is True and body["amount"] == 4
    code, out, _ = run("deadline", "--start", "2026-07-01", "--months", "3", "--json")
    assert code == 0 and json.loads(out)["deadline"] == "2026-10-08"
    code, out, _ = run("deadline", "--start", "2026-03-02", "--days", "15", "--pause", "2026-03-05:2026-03-09",
                       "--json")
    body = json.loads(out)
    assert code == 0 and body["deadline"] == "2026-03-23" and body["paused_days"] == 5
    code, out, _ = run("deadline", "--start", "2026-03-02", "--rule", "adjudication_acceptance",
                       "--pause", "2026-03-03:2026-03-04")
    assert code == 0 and "2026-03-11" in out and "中止 2 日" in out


@pytest.mark.parametrize("argv", [
    ["deadline", "--start", "2026-13-01", "--days", "1"],           # bad date
    ["deadline", "--start", "2026-09-16", "--rule", "nope"],        # unknown rule
    ["deadline", "--start", "2026-12-20", "--days", "15"],          # calendar unavailable (2027)
    ["deadline", "--start", "2026-09-16", "--rule", "criminal_handover"],  # hour rule without a time
    ["deadline", "--start", "2026-09-16"],                          # no unit: argparse
    ["deadline", "--start", "2026-09-16", "--days", "x"],           # argparse type error
    ["deadline", "--start", "2026-09-16", "--days", "1", "--extended"],
    ["deadline", "--start", "2026-09-16", "--days", "1000000000"],  # beyond any calendar
    ["deadline", "--start", "2026-01-01T00:00", "--hours", "1000000000000"],  # overflow
    ["deadline", "--start", "2026-09-16", "--days", "3", "--pause", "2026-09-17"],  # no TO
    ["deadline", "--start", "2026-09-16", "--days", "3", "--pause", "2026-09-19:2026-09-17"],  # reversed
    ["deadline", "--start", "2026-09-16", "--working-days", "3", "--pause", "2026-09-17:2026-09-18"],
    ["deadline", "--start", "2018-12-01", "--rule", "ecommerce_counter_notice"],  # before the law
    ["rules", "--bogus"],
    ["frobnicate"],
    [],
    ["uscc"],
])
def test_bad_input_exits_2_with_one_line(argv: list[str]):
    assert_bad_input(*run(*argv))


def test_calendar_unavailable_message_names_the_range():
    _, _, err = run("deadline", "--start", "2026-12-20", "--days", "15")
    assert "2004" in err and "2026" in err


def _write(tmp_path: Path, body: object) -> str:
    path = tmp_path / "in.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return str(path)


def test_damages_from_file_json_shape(tmp_path: Path):
    path = _write(tmp_path, {"right_type": "patent", "infringer_gains": "300000", "wilful": True, "serious": True,
                             "punitive_multiple": "3", "reasonable_costs": "50000"})
    code, out, _ = run("damages", "--input", path, "--json", "--on", "2026-11-25")
    body = json.loads(out)
    assert code == 0 and body["total"] == "950000.00" and body["basis"] == "infringer_gains"
    assert body["steps"][0]["legal_reference"] == "专利法第七十一条第一款"
    code, out, _ = run("damages", "--input", path)
    assert code == 0 and "950000.00" in out


def test_damages_from_stdin_keeps_json_decimals_exact():
    body = '{"right_type": "copyright", "actual_loss": 0.1, "reasonable_costs": 0.2}'
    code, out, _ = run("damages", "--input", "-", "--json", "--on", "2026-11-25", stdin=body)
    assert code == 0 and json.loads(out)["total"] == "0.30"


@pytest.mark.parametrize("body", [
    "{not json", "[1, 2]", {"right_type": "patent", "actual_loss": "-5"}, {"right_type": "patent", "colour": 1},
    {"right_type": "copyright", "statutory_amount": "100"}, {"right_type": "patent"},
    {"right_type": "patent", "actual_loss": 1e400}, {"right_type": "trademark", "actual_loss": "1", "wilful": True,
                                                     "serious": True, "punitive_multiple": "9"},
])
def test_damages_bad_input_exits_2(tmp_path: Path, body: object):
    code, out, err = run("damages", "--input", _write(tmp_path, body))
    assert_bad_input(code, out, err)


def test_damages_validation_error_names_the_field(tmp_path: Path):
    _, _, err = run("damages", "--input", _write(tmp_path, {"right_type": "patent", "actual_loss": "-5"}))
    assert "actual_loss" in err
    assert_bad_input(*run("damages", "--input", str(tmp_path / "missing.json")))


def test_thresholds_exit_0_when_transfer_required_and_1_when_not(tmp_path: Path):
    path = _write(tmp_path, {"right_type": "trademark", "act": "counterfeit_mark", "illegal_business_volume": "62000",
                             "date": "2024-06-01"})
    code, out, _ = run("thresholds", "--input", path, "--json")
    body = json.loads(out)
    assert code == 0 and body["transfer_required"] is True
    assert body["findings"][0]["message"].startswith("非法经营数额 62,000.00 元 ≥ 50,000 元")
    path = _write(tmp_path, {"right_type": "trademark", "act": "counterfeit_mark", "illegal_gains": "100"})
    code, out, _ = run("thresholds", "--input", path)
    assert code == 1 and "未达追诉标准" in out
    assert_bad_input(*run("thresholds", "--input", _write(tmp_path, {"right_type": "trademark"})))
    bad_act = _write(tmp_path, {"right_type": "copyright", "act": "counterfeit_mark", "illegal_gains": "1"})
    assert_bad_input(*run("thresholds", "--input", bad_act))


def test_thresholds_found_on_sets_the_transfer_deadline(tmp_path: Path):
    path = _write(tmp_path, {"right_type": "trademark", "act": "counterfeit_trademark",
                             "illegal_gains": "40000", "date": "2026-09-01"})
    code, out, _ = run("thresholds", "--input", path, "--found-on", "2026-09-29", "--json")
    finding = json.loads(out)["findings"][0]
    assert code == 0 and finding["transfer_deadline"] == "2026-10-08" and "2026-10-08 前" in finding["message"]
    assert_bad_input(*run("thresholds", "--input", path, "--found-on", "29/09/2026"))


def test_rules_lists_every_named_rule():
    code, out, _ = run("rules", "--json")
    rows = json.loads(out)
    assert code == 0 and {r["name"] for r in rows} >= {"ecommerce_counter_notice", "criminal_handover",
                                                       "trademark_opposition"}
    assert all(r["source"] and r["effective"] for r in rows)
    code, out, _ = run("rules")
    assert code == 0 and "adjudication_decision: 专利侵权纠纷行政裁决：结案 — 3个月（可延长1个月）" in out
    code, out, _ = run("rules", "--all", "--json")
    assert code == 0 and len(json.loads(out)) >= len(rows)


def test_help_exits_0():
    code, out, _ = run("--help")
    assert code == 0 and "deadline" in out


def test_python_dash_m_runs_without_django():
    proc = subprocess.run([sys.executable, "-c", "import sys, runpy; sys.argv=['zhibao.law', 'deadline', '--start',"
                           " '2026-09-16', '--days', '15', '--json']; runpy.run_module('zhibao.law', run_name='__main__')"
                           ";"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["deadline"] == "2026-10-08"
    check = subprocess.run([sys.executable, "-c", "import sys, zhibao.law.cli, zhibao.law.damages, "
                            "zhibao.law.thresholds, zhibao.law.periods; print('django' in sys.modules)"],
                           capture_output=True, text=True)
    assert check.stdout.strip() == "False"
