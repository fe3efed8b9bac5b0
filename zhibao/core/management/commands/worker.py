"""``zhibao worker``: runs background tasks (Django tasks, database backend).

Several workers may run at once (each claims tasks with row locks on
PostgreSQL); see README "several workers".
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务处理进程（django-tasks-db）"

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--queue-name", default="*", help="要处理的队列（默认全部）")
        parser.add_argument("--batch", action="store_true", help="处理完现有任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="轮询间隔（秒）")

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        argv = ["--queue-name", options["queue_name"], "--interval", str(options["interval"])]
        if options["batch"]:
            argv.append("--batch")
        call_command("db_worker", *argv)
