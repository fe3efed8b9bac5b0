"""``zhibao worker``: runs background tasks (Django tasks, database backend) and the periodic jobs.

Several workers may run at once (each claims tasks with row locks on
PostgreSQL, and periodic jobs with a conditional update); see README
"several workers". The periodic jobs run on a separate thread so a long
task never delays a statutory reminder.
"""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from zhibao.core import scheduling

log = logging.getLogger("zhibao.worker")


def _scheduler_loop(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            for result in scheduling.run_due():
                log.info("periodic %s %s: %s", result.name, "ok" if result.ok else "FAILED", result.summary[:200])
        except Exception:  # noqa: BLE001 - keep the clock alive; the error is logged
            log.exception("periodic scheduler pass failed")
        finally:
            connection.close()
        stop.wait(interval)


class Command(BaseCommand):
    help = "运行后台任务处理进程（django-tasks-db）及定时任务"

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--queue-name", default="*", help="要处理的队列（默认全部）")
        parser.add_argument("--batch", action="store_true", help="运行到期定时任务、处理完现有任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="轮询间隔（秒）")
        parser.add_argument("--schedule-interval", type=float, default=30.0, help="检查定时任务的间隔（秒）")
        parser.add_argument("--no-scheduler", action="store_true", help="不运行定时任务（由其他进程或 cron 负责）")

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        argv = ["--queue-name", options["queue_name"], "--interval", str(options["interval"])]
        if options["batch"]:
            if not options["no_scheduler"]:
                for result in scheduling.run_due():
                    self.stdout.write(f"{'成功' if result.ok else '失败'} {result.name}: {result.summary[:200]}")
            argv.append("--batch")
            call_command("db_worker", *argv)
            return
        stop = threading.Event()
        thread = None
        if not options["no_scheduler"]:
            thread = threading.Thread(target=_scheduler_loop, args=(stop, options["schedule_interval"]),
                                      name="zhibao-periodic", daemon=True)
            thread.start()
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()
            if thread is not None:
                thread.join(timeout=5)
