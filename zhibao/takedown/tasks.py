"""Periodic job: lift measures the day after the 15-day clock ends (art. 43) unless a proceeding was attached.

The job computes what is due from the database (items still on the clock whose last day is before today), so
it catches up after downtime and running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from zhibao.core.scheduling import periodic
from zhibao.takedown import services, webhooks


@periodic(name="takedown.lift_expired", every=dt.timedelta(hours=1))
def lift_expired(*, now: dt.datetime) -> str:
    """终止 15 日期满且未投诉/起诉的措施"""
    return f"lifted {services.lift_expired(now=now)} listing measure(s)"


@periodic(name="takedown.live_escalation", every=dt.timedelta(minutes=1))
def live_escalation(*, now: dt.datetime) -> str:
    """直播通知即将超时：通知平台值班联系人"""
    return f"escalated {services.escalate_live(now=now)} live notice(s)"


@periodic(name="takedown.retry_webhooks", every=dt.timedelta(minutes=10))
def retry_webhooks(*, now: dt.datetime) -> str:
    """重试失败的新通知回调"""
    return f"retried {webhooks.retry_failed()} webhook deliver(ies)"
