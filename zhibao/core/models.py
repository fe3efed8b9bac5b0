"""Platform-wide bookkeeping tables: the periodic-job ledger used by ``zhibao.core.scheduling``."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """One row per periodic job: when it is next due, who holds it now, and how the last run went.

    A job is claimed by a conditional UPDATE (due and not leased), so two
    workers never run the same job at once on SQLite or PostgreSQL.
    """

    name = models.CharField("任务", max_length=100, unique=True)
    next_due_at = models.DateTimeField("下次到期", null=True, blank=True)
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    last_started_at = models.DateTimeField("上次开始", null=True, blank=True)
    last_finished_at = models.DateTimeField("上次结束", null=True, blank=True)
    last_summary = models.TextField("上次结果", blank=True)
    last_error = models.TextField("上次错误", blank=True)
    runs = models.PositiveIntegerField("运行次数", default=0)
    failures = models.PositiveIntegerField("失败次数", default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"

    def __str__(self) -> str:
        return self.name
