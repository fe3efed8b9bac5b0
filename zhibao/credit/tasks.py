"""Periodic job: remove listings from the public list the day after their end date (automatic expiry).

What is due is computed from the database, so the job catches up after downtime and running it twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt

from zhibao.core.scheduling import periodic
from zhibao.credit import services, webhooks


@periodic(name="credit.expire_listings", every=dt.timedelta(hours=1))
def expire_listings(*, now: dt.datetime) -> str:
    """公示期满的失信名单自动移出"""
    return f"expired {services.expire_due(now=now)} listing(s)"


@periodic(name="credit.retry_webhooks", every=dt.timedelta(minutes=1))
def retry_webhooks(*, now: dt.datetime) -> str:
    """按退避时间重试失败的名单变更推送"""
    return f"retried {webhooks.retry_due(now=now)} webhook deliver(ies)"
