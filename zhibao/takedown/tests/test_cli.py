"""``zhibao takedown``: JSON output, and bad input as exit code 2 with one readable line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from zhibao.takedown.models import Notice


def _run(*argv: str) -> dict:
    out = io.StringIO()
    call_command("takedown", *argv, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_show_quality_and_lift(demo, orgs):  # noqa: ANN001
    notice = Notice.objects.get()
    body = _run("show", notice.number)
    assert body["items"][0]["listing_id"] == "JG-100001" and body["items"][0]["status"] == "pending"
    assert _run("quality", orgs["xinghe"].uscc)["decided"] == 0
    assert _run("lift", "--now", "2030-01-01T09:00+08:00")["lifted"] == 0


@pytest.mark.parametrize("argv", [("show", "TZ-NOPE"), ("quality", "123"), ("lift", "--now", "tomorrow"),
                                  ("lift", "--now", "2026-10-01T09:00")])
def test_bad_input_exits_2(demo, argv):  # noqa: ANN001
    with pytest.raises(CommandError) as exc:
        call_command("takedown", *argv)
    assert exc.value.returncode == 2 and "\n" not in str(exc.value)
