"""``zhibao periodic``: run due periodic jobs once (for cron), list them, or force one by name."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from zhibao.core import scheduling
from zhibao.core.models import PeriodicRun


class Command(BaseCommand):
    help = "运行到期的定时任务（提醒、到期、解除措施等）；--list 列出，--run 名称 立即运行一个"

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--list", action="store_true", help="列出已登记的定时任务及上次运行情况")
        parser.add_argument("--run", metavar="NAME", help="立即运行指定任务（不论是否到期）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        if options["list"]:
            return self._list(options["json"])
        name = options["run"]
        try:
            results = scheduling.run_due(only=name, force=bool(name))
        except KeyError:
            known = ", ".join(j.name for j in scheduling.jobs()) or "（无）"
            raise CommandError(f"未知的定时任务：{name}；已登记：{known}", returncode=2) from None
        rows = [{"name": r.name, "ok": r.ok, "summary": r.summary, "started_at": r.started_at.isoformat(),
                 "finished_at": r.finished_at.isoformat()} for r in results]
        if options["json"]:
            self.stdout.write(json.dumps({"ran": rows}, ensure_ascii=False))
        else:
            if not rows:
                self.stdout.write("没有到期的定时任务。")
            for r in rows:
                self.stdout.write(f"{'成功' if r['ok'] else '失败'} {r['name']}: {r['summary'].splitlines()[-1] if r['summary'] else ''}")
        if any(not r["ok"] for r in rows):
            raise CommandError("有定时任务失败，详见上方输出", returncode=1)

    def _list(self, as_json: bool) -> None:
        runs = {r.name: r for r in PeriodicRun.objects.all()}
        rows = []
        for job in scheduling.jobs():
            run = runs.get(job.name)
            rows.append({
                "name": job.name, "every_seconds": int(job.every.total_seconds()), "description": job.description,
                "next_due_at": run.next_due_at.isoformat() if run and run.next_due_at else None,
                "last_finished_at": run.last_finished_at.isoformat() if run and run.last_finished_at else None,
                "runs": run.runs if run else 0, "failures": run.failures if run else 0,
                "last_error": run.last_error if run else "",
            })
        if as_json:
            self.stdout.write(json.dumps({"jobs": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("尚未登记定时任务。")
        for r in rows:
            self.stdout.write(f"{r['name']}\t每 {r['every_seconds']} 秒\t下次 {r['next_due_at'] or '立即'}\t{r['description']}")
