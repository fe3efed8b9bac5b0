"""Statutory clocks over the 2026 holidays, pausing, the one extension, reminders, overdue lists and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibao.cases import clocks, selectors, services, tasks
from zhibao.cases.models import Case
from zhibao.core.errors import Conflict, InvalidInput
from zhibao.notifications.models import Notification

BJ = dt.timezone(dt.timedelta(hours=8))
pytestmark = pytest.mark.django_db


def _day(value: dt.datetime) -> dt.date:
    return value.astimezone(BJ).date()


def test_adjudication_acceptance_skips_the_2026_national_day_holiday():
    # filed Tue 2026-09-29: working days 09-30, (10-01…10-07 holiday), 10-09 is a working day (调休 Sat 10-10 too)
    clock = clocks.compute("adjudication_acceptance", dt.datetime(2026, 9, 29, 10, 0, tzinfo=BJ))
    assert _day(clock.due_at) == dt.date(2026, 10, 12)
    assert "专利行政执法办法" in clock.source and clock.can_extend is False


def test_enforcement_filing_skips_the_2026_spring_festival():
    # 15 working days from Fri 2026-02-06: 02-09…13 (5), Sat 02-14 调休 (6), holiday 02-15…23,
    # 02-24…27 (10), Sat 02-28 调休 (11), 03-02…05 (15)
    clock = clocks.compute("enforcement_filing", dt.datetime(2026, 2, 6, 9, 0, tzinfo=BJ))
    assert _day(clock.due_at) == dt.date(2026, 3, 5)


def test_criminal_transfer_decision_ending_in_the_national_day_holiday_rolls_forward():
    clock = clocks.compute("criminal_transfer_decision", dt.datetime(2026, 9, 29, 15, 0, tzinfo=BJ))
    assert _day(clock.due_at) == dt.date(2026, 10, 8)  # 10-02 falls in the holiday → first working day after


def test_adjudication_decision_three_months_plus_one_extension():
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BJ)
    base = clocks.compute("adjudication_decision", start)
    extended = clocks.compute("adjudication_decision", start, extended=True)
    assert _day(base.due_at) == dt.date(2026, 6, 2) and base.can_extend
    assert _day(extended.due_at) == dt.date(2026, 7, 2) and not extended.can_extend


def test_clock_in_an_unpublished_year_is_marked_provisional():
    clock = clocks.compute("enforcement_decision", dt.datetime(2026, 12, 1, 10, 0, tzinfo=BJ))
    assert clock.warnings and "2027" in clock.warnings[0]


def test_pause_and_resume_moves_the_deadline_and_is_an_event(file_case, demo):
    case = file_case()
    officer = demo["wangzhifa"]
    services.accept(actor=officer, case=case, now=dt.datetime(2026, 3, 2, 10, 0, tzinfo=BJ))
    case = Case.objects.get(pk=case.pk)
    before = case.due_at
    with pytest.raises(InvalidInput):
        services.pause_clock(actor=officer, case=case, reason="")
    services.pause_clock(actor=officer, case=case, reason="等待鉴定意见", now=dt.datetime(2026, 3, 10, tzinfo=BJ))
    with pytest.raises(Conflict):
        services.pause_clock(actor=officer, case=case, reason="again")
    # a paused clock is not overdue
    assert not selectors.overdue_cases(now=dt.datetime(2027, 1, 1, tzinfo=BJ)).filter(pk=case.pk).exists()
    services.resume_clock(actor=officer, case=case, reason="鉴定意见已送达", now=dt.datetime(2026, 3, 19, tzinfo=BJ))
    case = Case.objects.get(pk=case.pk)
    # 90 days from 03-02 end Sun 05-31 → Mon 06-01; ten paused days (03-10…03-19) make it Wed 06-10
    assert _day(before) == dt.date(2026, 6, 1) and _day(case.due_at) == dt.date(2026, 6, 10)
    assert case.paused_since is None and case.events.get(kind="clock_resumed").payload["paused_days"] == 10
    assert list(case.events.filter(kind__startswith="clock_").values_list("kind", flat=True)) == [
        "clock_paused", "clock_resumed"]


def test_extension_only_once_and_only_where_the_rule_allows(file_case, demo):
    case = file_case()
    officer = demo["wangzhifa"]
    with pytest.raises(Conflict):  # enforcement_filing has no extension
        services.extend_clock(actor=officer, case=case, reason="复杂")
    services.accept(actor=officer, case=case)
    before = Case.objects.get(pk=case.pk).due_at
    services.extend_clock(actor=officer, case=case, reason="经负责人批准延长")
    assert (Case.objects.get(pk=case.pk).due_at - before).days >= 30
    with pytest.raises(Conflict):
        services.extend_clock(actor=officer, case=case, reason="再次延长")


def test_reminders_due_soon_then_overdue_once_each(file_case, demo):
    case = file_case()
    due = case.due_at
    url = f"/cases/{case.number}/"
    assert not tasks.clock_reminders(now=due - dt.timedelta(days=1)).startswith("reminded 0")
    assert tasks.clock_reminders(now=due - dt.timedelta(hours=20)).startswith("reminded 0")
    assert Notification.objects.filter(recipient=demo["wangzhifa"], kind="cases.due_soon", url=url).count() == 1
    tasks.clock_reminders(now=due + dt.timedelta(hours=1))
    assert Notification.objects.filter(recipient=demo["wangzhifa"], kind="cases.overdue", url=url).count() == 1
    assert tasks.clock_reminders(now=due + dt.timedelta(hours=2)).endswith("alerted 0 overdue case(s)")
    assert case.events.filter(kind="overdue").count() == 1


def test_overdue_and_due_soon_selectors_follow_the_queue(file_case, demo):
    case = file_case()
    later = case.due_at + dt.timedelta(days=1)
    assert case in selectors.overdue_cases(actor=demo["wangzhifa"], now=later)
    assert case not in selectors.overdue_cases(actor=demo["haidian"], now=later)  # another district
    assert case not in selectors.overdue_cases(actor=demo["wangzhifa"], now=case.due_at - dt.timedelta(hours=1))
    assert case in selectors.due_soon(actor=demo["wangzhifa"], now=case.due_at - dt.timedelta(days=1))
    assert case in selectors.cases_visible_to(actor=demo["shiju"], overdue=True, now=later)
    assert case not in selectors.cases_visible_to(actor=demo["shiju"], overdue=True)


def test_cli_overdue_json_and_bad_input(file_case, capsys, monkeypatch):
    case = file_case()
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: case.due_at + dt.timedelta(days=2))
    call_command("cases", "overdue", "--json")
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[case.number]["rule"] == "enforcement_filing" and rows[case.number]["days_overdue"] == 2
    call_command("cases", "overdue", "--json", "--district", "110108")
    assert json.loads(capsys.readouterr().out) == []
    with pytest.raises(CommandError) as err:
        call_command("cases", "overdue", "--channel", "nope")
    assert err.value.returncode == 2
    with pytest.raises(CommandError) as err:
        call_command("cases", "overdue", "--district", "999999")
    assert err.value.returncode == 2
