"""The ``zhibao credit`` command: JSON output for scripts, exit code 2 with one line on bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_check_and_fact_by_cli(demo, orgs):  # noqa: ANN001
    out = io.StringIO()
    call_command("credit", "check", orgs["fangmao"].uscc, "--user", "caigou", "--measure", "procurement", "--json",
                 stdout=out)
    body = json.loads(out.getvalue())
    assert body["known"] is True and body["restricted"] is False
    out = io.StringIO()
    call_command("credit", "fact", orgs["fangmao"].uscc, "--user", "qianxinyong", "--kind", "adjudication_decision",
                 "--date", "2026-05-06", "--ref", "京知裁〔2026〕3号", "--basis", "《专利法》第六十五条",
                 "--summary", "认定侵犯外观设计专利权", "--json", stdout=out)
    assert len(json.loads(out.getvalue())["proposed_listings"]) == 1


@pytest.mark.parametrize("argv", [
    ["check", "91110000BADCODE", "--user", "caigou"],
    ["check", "91110000BADCODE", "--user", "nobody"],
    ["check", "91110105MA7000001X", "--user", "xinghe"],
    ["fact", "91110000000000000X", "--user", "qianxinyong", "--kind", "positive", "--date", "2026-01-01", "--ref", "r",
     "--basis", "b", "--summary", "s"],
])
def test_bad_input_exits_2(demo, argv):  # noqa: ANN001
    with pytest.raises(CommandError) as err:
        call_command("credit", *argv)
    assert err.value.returncode == 2 and "\n" not in str(err.value)


def test_lists_and_expire(demo):  # noqa: ANN001
    out = io.StringIO()
    call_command("credit", "lists", "--json", stdout=out)
    assert {r["code"] for r in json.loads(out.getvalue())} == {"ip_serious_dishonesty", "cnipa_dishonesty"}
    out = io.StringIO()
    call_command("credit", "expire", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"expired": 0}
