"""Periodic job: due-soon reminders and overdue alerts for case clocks (in-app notification + e-mail).

What is due is computed from the database each run (``due_at`` against ``now``); ``reminded_for`` and
``overdue_notified_for`` hold the deadline a message was sent for, so a run twice sends nothing twice
and a new clock (new ``due_at``) is reminded again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from zhibao.cases import events, selectors
from zhibao.core.scheduling import periodic

DUE_SOON = dt.timedelta(days=2)


@periodic(name="cases.clock_reminders", every=dt.timedelta(hours=1))
def clock_reminders(*, now: dt.datetime) -> str:
    """案件期限提醒：即将到期（2日内）与已逾期"""
    soon = overdue = 0
    for case in selectors.due_soon(now=now, within=DUE_SOON).filter(
            Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_at"))).select_related("assignee")[:500]:
        with transaction.atomic():
            events.tell(events.handlers_for(case), case, "due_soon",
                        f"案件 {case.number} 的期限「{case.due_title}」将于 "
                        f"{timezone.localtime(case.due_at):%Y-%m-%d %H:%M} 届满", case.due_source)
            case.reminded_for = case.due_at
            case.save(update_fields=["reminded_for"])
        soon += 1
    for case in selectors.overdue_cases(now=now).filter(
            Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("due_at"))).select_related(
            "assignee")[:500]:
        with transaction.atomic():
            events.tell(events.handlers_for(case), case, "overdue",
                        f"案件 {case.number} 已超过期限「{case.due_title}」", case.due_source)
            events.record(case, None, "overdue", f"期限「{case.due_title}」已届满未办结",
                          payload={"due_at": case.due_at.isoformat(), "rule": case.due_rule}, at=now)
            case.overdue_notified_for = case.due_at
            case.save(update_fields=["overdue_notified_for"])
        overdue += 1
    return f"reminded {soon} case(s) due soon, alerted {overdue} overdue case(s)"
