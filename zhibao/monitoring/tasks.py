"""Background work for monitoring: screening submitted items, and the bounded retry of failed ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.tasks import task

from zhibao.core.scheduling import periodic
from zhibao.monitoring import services


@task()
def screen_items(ids: list[int]) -> int:
    """Screen items one by one; a failing item is recorded on its row and does not stop the others."""
    targets = services.watch_targets()  # once per batch: the watched marks' index
    return sum(services.screen(screening_id=pk, targets=targets) for pk in ids)


@periodic(name="monitoring.retry_screenings", every=timedelta(minutes=10))
def retry_screenings(*, now: datetime) -> str:
    """Screen items left pending (worker down, or an earlier attempt failed) up to the attempt limit."""
    screened, alerts = services.retry_due(now=now)
    return f"筛查 {screened} 条待处理条目，新增预警 {alerts} 条"
