"""Periodic jobs: reminders, expiries and lifted measures that must happen on time without a user.

Django's tasks framework runs enqueued work but has no clock of its own. Apps
register jobs with ``@periodic`` in their ``tasks.py`` (autodiscovered when
Django starts); ``run_due`` claims each due job with a conditional UPDATE on
``PeriodicRun`` (so several workers never run one job twice), runs it, and
records its one-line summary or its error. ``zhibao worker`` calls it on a
timer; ``zhibao periodic`` runs it from cron or by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger("zhibao.scheduling")

JobFunc = Callable[..., str]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    func: JobFunc
    description: str


@dataclass(frozen=True)
class JobResult:
    name: str
    ok: bool
    summary: str
    started_at: dt.datetime
    finished_at: dt.datetime


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(*, name: str, every: dt.timedelta) -> Callable[[JobFunc], JobFunc]:
    """Register ``func(*, now) -> str`` to run every ``every``; the name must be unique ("app.job")."""
    if every <= dt.timedelta(0):
        raise ValueError("every must be positive")

    def register(func: JobFunc) -> JobFunc:
        existing = REGISTRY.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"periodic job {name!r} registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        REGISTRY[name] = PeriodicJob(name=name, every=every, func=func, description=doc[0] if doc else "")
        return func

    return register


def jobs() -> list[PeriodicJob]:
    return [REGISTRY[k] for k in sorted(REGISTRY)]


def _claim(job: PeriodicJob, now: dt.datetime, force: bool) -> bool:
    from zhibao.core.models import PeriodicRun

    PeriodicRun.objects.get_or_create(name=job.name)
    lease = now + max(job.every, dt.timedelta(minutes=10))
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Q() if force else (Q(next_due_at__isnull=True) | Q(next_due_at__lte=now))
    with transaction.atomic():
        claimed = PeriodicRun.objects.filter(free, due, name=job.name).update(lease_until=lease, last_started_at=now)
    return claimed == 1


def run_job(job: PeriodicJob, *, now: dt.datetime | None = None, force: bool = False) -> JobResult | None:
    """Run one job if it is due (or ``force``) and nobody else holds it; None when it was not run."""
    from django.db.models import F

    from zhibao.core.models import PeriodicRun

    now = now or timezone.now()
    if not _claim(job, now, force):
        return None
    started = timezone.now()
    try:
        summary = str(job.func(now=now) or "")
        ok = True
    except Exception:  # noqa: BLE001 - a failing job must not stop the others; the error is recorded
        log.exception("periodic job %s failed", job.name)
        summary = traceback.format_exc(limit=5)
        ok = False
    finished = timezone.now()
    PeriodicRun.objects.filter(name=job.name).update(
        lease_until=None, last_finished_at=finished, next_due_at=now + job.every, runs=F("runs") + 1,
        failures=F("failures") + (0 if ok else 1), last_summary=summary[:2000] if ok else "",
        last_error="" if ok else summary[:4000],
    )
    return JobResult(name=job.name, ok=ok, summary=summary, started_at=started, finished_at=finished)


def run_due(*, now: dt.datetime | None = None, only: str | None = None, force: bool = False) -> list[JobResult]:
    """Run every due job (or just ``only``); return what ran."""
    if only is not None and only not in REGISTRY:
        raise KeyError(only)
    selected = [REGISTRY[only]] if only else jobs()
    results = []
    for job in selected:
        result = run_job(job, now=now, force=force)
        if result is not None:
            results.append(result)
    return results
