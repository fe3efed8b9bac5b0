"""``zhibao credit check USCC… --user U [--measure M] [--purpose P] | fact … | expire | lists`` (``--json`` for scripts).

Exit codes: 0 done, 2 bad input (one readable line on stderr).
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.credit import checks, selectors, services
from zhibao.orgs.models import Organisation


class Command(BaseCommand):
    help = "信用监管：check 核查、fact 记录信用信息、expire 期满移出、lists 名单类型（退出码 0 成功，2 输入有误）"

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        c = sub.add_parser("check")
        c.add_argument("uscc", nargs="+")
        c.add_argument("--user", required=True, help="核查人用户名（联合惩戒成员单位或信用管理人员）")
        c.add_argument("--measure", default="")
        c.add_argument("--purpose", default="")
        c.add_argument("--json", action="store_true")
        f = sub.add_parser("fact")
        f.add_argument("uscc")
        f.add_argument("--user", required=True)
        f.add_argument("--kind", required=True)
        f.add_argument("--date", required=True, help="YYYY-MM-DD")
        f.add_argument("--ref", required=True, help="文书编号")
        f.add_argument("--basis", required=True)
        f.add_argument("--summary", required=True)
        f.add_argument("--authority", default="")
        f.add_argument("--amount", default=None)
        f.add_argument("--wilful", action="store_true")
        f.add_argument("--visibility", default="public")
        f.add_argument("--json", action="store_true")
        e = sub.add_parser("expire")
        e.add_argument("--json", action="store_true")
        ls = sub.add_parser("lists")
        ls.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # noqa: ANN002, ANN003
        try:
            return getattr(self, "_" + o["action"])(o)
        except InvalidInput as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except (Forbidden, Conflict) as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _user(self, name: str):  # noqa: ANN202
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"未知用户：{name}", returncode=2)
        return user

    def _out(self, o: dict, body: object, text: str) -> None:
        self.stdout.write(json.dumps(body, ensure_ascii=False, default=str) if o["json"] else text)

    def _check(self, o: dict) -> None:
        answers = checks.check_many(actor=self._user(o["user"]), codes=o["uscc"], measure=o["measure"],
                                    purpose=o["purpose"] or "命令行核查")
        lines = [f"{a['uscc']} {a['name'] or '（未登记）'}：{'受限' if a['restricted'] else '不受限'}"
                 + "".join(f"；{r['list']} {r['decision_no']} {r['from']} 至 {r['until']}" for r in a["listings"])
                 for a in answers]
        self._out(o, answers if len(answers) > 1 else answers[0], "\n".join(lines))

    def _fact(self, o: dict) -> None:
        org = Organisation.objects.filter(uscc=o["uscc"].strip().upper()).first()
        if org is None:
            raise CommandError(f"未登记的统一社会信用代码：{o['uscc']}", returncode=2)
        fact = services.record_fact(actor=self._user(o["user"]), organisation=org, kind=o["kind"],
                                    occurred_on=o["date"], legal_basis=o["basis"], summary=o["summary"],
                                    source_type="manual", source_ref=o["ref"], authority=o["authority"],
                                    amount=o["amount"], wilful=o["wilful"], visibility=o["visibility"])
        proposed = [li.pk for li in org.credit_listings.filter(status="proposed")]
        self._out(o, {"fact_id": fact.pk, "proposed_listings": proposed},
                  f"已记录 {fact}；待审核的列入提议：{proposed or '无'}")

    def _expire(self, o: dict) -> None:
        n = services.expire_due()
        self._out(o, {"expired": n}, f"期满移出 {n} 条")

    def _lists(self, o: dict) -> None:
        rows = [{"code": t.code, "name": t.name, "authority": t.issuing_authority, "basis": t.basis,
                 "duration_months": t.duration_months, "earliest_repair_months": t.earliest_repair_months,
                 "measures": t.measures} for t in selectors.list_types()]
        self._out(o, rows, "\n".join(f"{r['code']} {r['name']}（{r['duration_months']} 个月，"
                                     f"{r['earliest_repair_months']} 个月后可修复）" for r in rows))
