"""``zhibao createuser --role ROLE …``: create a user of any role from the command line."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from zhibao.accounts import services
from zhibao.accounts.roles import Role
from zhibao.core.errors import InvalidInput
from zhibao.orgs.models import District, Organisation


class Command(BaseCommand):
    help = "创建用户（退出码：0 成功，2 输入有误）"

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="不填则从标准输入读取一行")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--phone")
        parser.add_argument("--email", default="")
        parser.add_argument("--org-uscc", help="所属机构的统一社会信用代码")
        parser.add_argument("--district", help="所属区 GB/T 2260 代码，如 110105")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # noqa: ANN002, ANN003
        password = o["password"] or sys.stdin.readline().strip()
        org = district = None
        if o["org_uscc"]:
            org = Organisation.objects.filter(uscc=o["org_uscc"].upper()).first()
            if org is None:
                self._fail(f"未登记的机构：{o['org_uscc']}")
        if o["district"]:
            district = District.objects.filter(code=o["district"]).first()
            if district is None:
                self._fail(f"未知的行政区划代码：{o['district']}")
        try:
            user = services.create_user(actor=None, username=o["username"], password=password, role=o["role"],
                                        display_name=o["name"], phone=o["phone"], email=o["email"],
                                        organisation=org, district=district)
        except InvalidInput as exc:
            self._fail(str(exc))
        if o["json"]:
            self.stdout.write(json.dumps({"id": user.pk, "username": user.username, "role": user.role},
                                         ensure_ascii=False))
        else:
            self.stdout.write(f"已创建用户 {user.username}（{user.role_label}）")

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=2)
