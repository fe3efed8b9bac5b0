"""``zhibao cases overdue [--district CODE] [--channel CH] [--json]``: open cases past their statutory deadline."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhibao.cases import selectors
from zhibao.cases.models import Channel
from zhibao.orgs.models import District


class Command(BaseCommand):
    help = "案件：overdue 列出逾期案件（退出码 0 成功，2 输入有误）"

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        o = sub.add_parser("overdue")
        o.add_argument("--district", default="", help="行政区划代码，如 110105")
        o.add_argument("--channel", default="", help="、".join(Channel.values))
        o.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # noqa: ANN002, ANN003
        if o["channel"] and o["channel"] not in Channel.values:
            raise CommandError(f"未知的渠道：{o['channel']}（可用：{', '.join(Channel.values)}）", returncode=2)
        if o["district"] and not District.objects.filter(code=o["district"]).exists():
            raise CommandError(f"未知的行政区划代码：{o['district']}", returncode=2)
        now = timezone.now()
        cases = selectors.overdue_cases(now=now)
        if o["district"]:
            cases = cases.filter(district_id=o["district"])
        if o["channel"]:
            cases = cases.filter(channel=o["channel"])
        rows = [{
            "number": c.number, "title": c.title, "channel": c.channel, "status": c.status,
            "district": c.district_id, "assignee": c.assignee.username if c.assignee else None,
            "due_at": c.due_at.isoformat(), "rule": c.due_rule, "source": c.due_source,
            "days_overdue": (timezone.localdate(now) - timezone.localtime(c.due_at).date()).days,
        } for c in cases[:10000]]
        if o["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("没有逾期案件")
        for r in rows:
            self.stdout.write(f"{r['number']}\t{r['channel']}\t{r['status']}\t逾期 {r['days_overdue']} 日\t"
                              f"{r['rule']}\t{r['title']}")
