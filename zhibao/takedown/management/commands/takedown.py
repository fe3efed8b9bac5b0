"""``zhibao takedown show NUMBER | quality USCC | lift [--now ISO]`` (``--json`` for scripts; bad input → exit 2)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhibao.orgs.models import Organisation
from zhibao.takedown import selectors, services
from zhibao.takedown.models import Notice


class Command(BaseCommand):
    help = "电商通知-删除：show 查看通知、quality 通知人信誉、lift 终止期满措施（可用 --now 补跑）"

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("show")
        s.add_argument("number")
        s.add_argument("--json", action="store_true")
        q = sub.add_parser("quality")
        q.add_argument("uscc")
        q.add_argument("--json", action="store_true")
        lift = sub.add_parser("lift")
        lift.add_argument("--now", default="", help="ISO 时间（带时区），默认当前时间")
        lift.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # noqa: ANN002, ANN003
        return getattr(self, "_" + o["action"])(o)

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=2)

    def _out(self, o: dict, body: dict, text: str) -> None:
        self.stdout.write(json.dumps(body, ensure_ascii=False, default=str) if o["json"] else text)

    def _show(self, o: dict) -> None:
        notice = Notice.objects.select_related("platform", "notifier").filter(number=o["number"].strip()).first()
        if notice is None:
            self._fail(f"未知通知编号：{o['number']}")
        items = [{"listing_id": i.listing.listing_id, "status": i.status, "measure": i.measure,
                  "clock_deadline": i.clock_deadline, "clock_rule": i.clock_rule}
                 for i in notice.items.select_related("listing")]
        body = {"number": notice.number, "platform": notice.platform.name, "notifier": notice.notifier.name,
                "status": notice.status, "fast_lane": notice.fast_lane, "sla_due_at": notice.sla_due_at,
                "items": items}
        self._out(o, body, f"{notice.number} {notice.get_status_display()} " +
                  "，".join(f"{i['listing_id']}:{i['status']}" for i in items))

    def _quality(self, o: dict) -> None:
        org = Organisation.objects.filter(uscc=o["uscc"].strip().upper()).first()
        if org is None:
            self._fail(f"未登记的统一社会信用代码：{o['uscc']}")
        q = selectors.notifier_quality(notifier_id=org.pk)
        body = {"organisation": org.name, "decided": q.decided, "withdrawn": q.withdrawn,
                "countered_away": q.countered_away, "malicious_notices": q.malicious_notices, "score": q.score,
                "fast_lane": q.fast_lane}
        self._out(o, body, f"{org.name} 信誉 {q.label}（{q.decided} 个已处理商品）{'，可用快速通道' if q.fast_lane else ''}")

    def _lift(self, o: dict) -> None:
        now = timezone.now()
        if o["now"]:
            try:
                now = dt.datetime.fromisoformat(o["now"])
            except ValueError:
                self._fail(f"时间格式有误：{o['now']}（例如 2026-10-01T09:00+08:00）")
            if now.tzinfo is None:
                self._fail("--now 须带时区，例如 2026-10-01T09:00+08:00")
        lifted = services.lift_expired(now=now)
        self._out(o, {"lifted": lifted, "now": now.isoformat()}, f"已终止 {lifted} 个商品的措施")
