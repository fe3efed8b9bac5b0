"""``zhibao demo load``: load the demo world (idempotent) and print the demo logins."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from zhibao.core import demo


class Command(BaseCommand):
    help = "加载演示数据（可重复执行）并打印演示账户"

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--url", default="", help="服务地址（默认 ZHIBAO_SITE_URL；make run 传入实际端口）")

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        users = demo.load()
        password = settings.ZHIBAO_DEMO_PASSWORD
        if options["json"]:
            self.stdout.write(json.dumps([{"username": u.username, "role": u.role, "name": u.display_name,
                                           "password": password} for _, u in users], ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账户（密码均为 {password}）："))
        for _spec, user in users:
            self.stdout.write(f"  {user.username:<14} {user.role_label:<12} {user.display_name}")
        self.stdout.write(f"打开 {options['url'] or settings.ZHIBAO_SITE_URL} ，用以上任一账户登录。")
