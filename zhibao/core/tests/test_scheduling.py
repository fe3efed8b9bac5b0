"""Periodic jobs: run when due, once per period, never twice at once, failures recorded not raised."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibao.core import scheduling
from zhibao.core.models import PeriodicRun

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def registry(monkeypatch):  # noqa: ANN001, ANN201
    """An empty registry for the test, so app jobs do not run here."""
    monkeypatch.setattr(scheduling, "REGISTRY", {})
    return scheduling.REGISTRY


def test_a_job_runs_when_due_and_not_again_within_its_period(registry):  # noqa: ANN001
    calls = []

    @scheduling.periodic(name="test.tick", every=dt.timedelta(hours=1))
    def tick(*, now):  # noqa: ANN001, ANN202
        """Counts ticks."""
        calls.append(now)
        return f"ticked {len(calls)}"

    assert [r.summary for r in scheduling.run_due(now=T0)] == ["ticked 1"]
    assert scheduling.run_due(now=T0 + dt.timedelta(minutes=59)) == []
    assert len(scheduling.run_due(now=T0 + dt.timedelta(hours=1))) == 1
    run = PeriodicRun.objects.get(name="test.tick")
    assert run.runs == 2 and run.next_due_at == T0 + dt.timedelta(hours=2) and run.lease_until is None


def test_a_leased_job_is_not_run_by_a_second_worker(registry):  # noqa: ANN001
    @scheduling.periodic(name="test.slow", every=dt.timedelta(minutes=5))
    def slow(*, now):  # noqa: ANN001, ANN202
        return "ok"

    PeriodicRun.objects.create(name="test.slow", lease_until=T0 + dt.timedelta(minutes=3))
    assert scheduling.run_due(now=T0) == []
    assert len(scheduling.run_due(now=T0 + dt.timedelta(minutes=4))) == 1  # lease expired: the job is free again


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(registry):  # noqa: ANN001
    @scheduling.periodic(name="test.a_fails", every=dt.timedelta(minutes=5))
    def fails(*, now):  # noqa: ANN001, ANN202
        raise ValueError("boom")

    @scheduling.periodic(name="test.b_works", every=dt.timedelta(minutes=5))
    def works(*, now):  # noqa: ANN001, ANN202
        return "fine"

    results = {r.name: r for r in scheduling.run_due(now=T0)}
    assert results["test.a_fails"].ok is False and "boom" in results["test.a_fails"].summary
    assert results["test.b_works"].ok is True
    failed = PeriodicRun.objects.get(name="test.a_fails")
    assert failed.failures == 1 and "ValueError" in failed.last_error and failed.lease_until is None


def test_registering_two_functions_under_one_name_is_an_error(registry):  # noqa: ANN001
    scheduling.periodic(name="test.x", every=dt.timedelta(minutes=1))(lambda *, now: "a")
    with pytest.raises(ValueError):
        @scheduling.periodic(name="test.x", every=dt.timedelta(minutes=1))
        def other(*, now):  # noqa: ANN001, ANN202
            return "b"
    with pytest.raises(ValueError):
        scheduling.periodic(name="test.y", every=dt.timedelta(0))


def test_command_lists_runs_and_forces_jobs(registry, capsys):  # noqa: ANN001
    @scheduling.periodic(name="test.report", every=dt.timedelta(days=1))
    def report(*, now):  # noqa: ANN001, ANN202
        """Writes the daily report."""
        return "3 reminders sent"

    call_command("periodic", "--list", "--json")
    listed = json.loads(capsys.readouterr().out)["jobs"]
    assert listed[0]["name"] == "test.report" and listed[0]["description"] == "Writes the daily report."
    call_command("periodic", "--json")
    assert json.loads(capsys.readouterr().out)["ran"][0]["summary"] == "3 reminders sent"
    call_command("periodic", "--json")  # not due again today
    assert json.loads(capsys.readouterr().out)["ran"] == []
    call_command("periodic", "--run", "test.report", "--json")  # forced
    assert len(json.loads(capsys.readouterr().out)["ran"]) == 1


def test_command_with_an_unknown_job_exits_2(registry):  # noqa: ANN001
    with pytest.raises(CommandError) as exc:
        call_command("periodic", "--run", "nope.job")
    assert exc.value.returncode == 2 and "nope.job" in str(exc.value)


def test_worker_batch_runs_due_jobs_then_the_queue(registry, capsys, settings, monkeypatch):  # noqa: ANN001
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # db_worker drops connections not in autocommit mode, as the test's wrapping transaction is (PostgreSQL
    # would then fail the assertions below); production workers run in autocommit and keep that check
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    @scheduling.periodic(name="test.batch", every=dt.timedelta(hours=1))
    def batch(*, now):  # noqa: ANN001, ANN202
        return "batch ran"

    call_command("worker", "--batch")
    assert "batch ran" in capsys.readouterr().out
    assert PeriodicRun.objects.get(name="test.batch").runs == 1
