"""Periodic job: open booth complaints past the 24-hour clock are escalated to the organiser."""

from __future__ import annotations

import datetime as dt

from zhibao.core.scheduling import periodic
from zhibao.fairs import services


@periodic(name="fairs.overdue_complaints", every=dt.timedelta(minutes=15))
def overdue_complaints(*, now: dt.datetime) -> str:
    """提醒超过 24 小时未处理的展会投诉"""
    return f"escalated {services.overdue_reminders(now=now)} complaint(s)"
