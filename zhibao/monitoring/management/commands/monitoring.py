"""``zhibao monitoring screen | alerts | risk`` (``--json`` for scripts; bad input → exit code 2).

``screen`` submits items (an announcement file, or one page/listing/exhibit) as the given user and
screens them at once, so the command answers with the alerts it raised; ``alerts`` lists what a user
may see; ``risk`` screens a product name against the register and can write the PDF report.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhibao.core.errors import ServiceError
from zhibao.monitoring import importing, risk, selectors, services
from zhibao.monitoring.models import Alert, Screening


def _alert_json(a: Alert) -> dict:
    return {"id": a.pk, "kind": a.kind, "status": a.status, "score": str(a.score), "name": a.screening.name,
            "party": a.screening.party, "reference": a.screening.reference, "watched_right": a.right.title,
            "watch_list": a.watch_list.name, "owner": a.watch_list.owner.name, "reasons": a.reasons,
            "deadline": a.deadline.isoformat() if a.deadline else None, "deadline_rule": a.deadline_rule}


class Command(BaseCommand):
    help = "预警监测：screen 提交并筛查、alerts 预警列表、risk 名称风险报告（退出码 0 成功，2 输入有误）"

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("screen", help="提交条目并立即筛查")
        s.add_argument("--user", required=True, help="提交人用户名")
        s.add_argument("--source", default="application", choices=Screening.Source.values)
        s.add_argument("--file", help="商标公告 CSV/XLSX（source=application）")
        s.add_argument("--name", help="单条：商标/商品名称")
        s.add_argument("--reference", default="", help="单条：编号或网址")
        s.add_argument("--party", default="", help="单条：申请人/卖家")
        s.add_argument("--party-uscc", default="")
        s.add_argument("--text-file", help="单条：页面文字（UTF-8 文本文件）")
        s.add_argument("--nice-class", type=int, action="append", default=[])
        s.add_argument("--json", action="store_true")
        a = sub.add_parser("alerts", help="列出用户可见的预警")
        a.add_argument("--user", required=True)
        a.add_argument("--status", default="", choices=["", *Alert.Status.values])
        a.add_argument("--json", action="store_true")
        r = sub.add_parser("risk", help="名称与商标注册簿比对，生成风险报告")
        r.add_argument("name")
        r.add_argument("--user", required=True)
        r.add_argument("--nice-class", type=int, action="append", default=[])
        r.add_argument("--pdf", help="写出 PDF 报告的路径")
        r.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # noqa: ANN002, ANN003
        try:
            return getattr(self, "_" + o["action"])(o)
        except ServiceError as exc:
            raise CommandError(str(exc) if str(exc) else exc.message, returncode=2) from exc

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=2)

    def _user(self, name: str):  # noqa: ANN202
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            self._fail(f"未知用户：{name}")
        return user

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            self._fail(f"无法读取文件 {path}：{exc.strerror}")
            raise

    def _screen(self, o: dict) -> None:
        user = self._user(o["user"])
        if o["file"]:
            if o["source"] != Screening.Source.APPLICATION:
                self._fail("--file 仅用于商标公告（--source application）")
            created = importing.import_announcement(actor=user, filename=Path(o["file"]).name,
                                                    content=self._read(o["file"]))
        elif o["name"] is not None:
            text = ""
            if o["text_file"]:
                try:
                    text = self._read(o["text_file"]).decode("utf-8")
                except UnicodeDecodeError:
                    self._fail(f"页面文字不是 UTF-8 文本：{o['text_file']}")
            created = services.submit_items(actor=user, source=o["source"], items=[{
                "name": o["name"], "reference": o["reference"], "party": o["party"], "party_uscc": o["party_uscc"],
                "nice_classes": o["nice_class"], "text": text}])
        else:
            self._fail("请给出 --file（商标公告）或 --name（单条）")
            return
        targets = services.watch_targets()
        for item in created:
            services.screen(screening_id=item.pk, targets=targets)
        ids = [s.pk for s in created]
        items = Screening.objects.filter(pk__in=ids).order_by("pk")
        alerts = Alert.objects.filter(screening_id__in=ids).select_related(
            "screening", "right", "watch_list__owner").order_by("pk")
        if o["json"]:
            self.stdout.write(json.dumps({
                "screened": len(ids), "failed": [{"id": s.pk, "name": s.name, "error": s.error}
                                                 for s in items if s.status != Screening.Status.DONE],
                "alerts": [_alert_json(a) for a in alerts]}, ensure_ascii=False))
            return
        self.stdout.write(f"已筛查 {len(ids)} 条，产生预警 {alerts.count()} 条")
        for a in alerts:
            self.stdout.write(f"  #{a.pk} {a.screening.name} ≈ {a.right.title}（{a.watch_list.owner.name}）"
                              f" {a.score} {'；'.join(a.reasons)}")

    def _alerts(self, o: dict) -> None:
        user = self._user(o["user"])
        alerts = selectors.alerts_visible_to(actor=user, status=o["status"])[:500]
        if o["json"]:
            self.stdout.write(json.dumps([_alert_json(a) for a in alerts], ensure_ascii=False))
            return
        for a in alerts:
            self.stdout.write(f"#{a.pk} [{a.get_status_display()}] {a.screening.name} ≈ {a.right.title} {a.score}")

    def _risk(self, o: dict) -> None:
        user = self._user(o["user"])
        report = risk.risk_check(actor=user, name=o["name"], nice_classes=o["nice_class"])
        if o["pdf"]:
            try:
                Path(o["pdf"]).write_bytes(risk.report_pdf(report))
            except OSError as exc:
                self._fail(f"无法写入 {o['pdf']}：{exc.strerror}")
        body = {"name": report.name, "nice_classes": report.nice_classes, "level": report.level,
                "hits": [{"title": h.right.title, "number": h.right.number, "owner": h.right.owner.name,
                          "nice_classes": h.right.nice_classes, "score": h.score, "similar": h.similar,
                          "in_scope": h.in_scope, "reasons": h.reasons} for h in report.hits]}
        if o["json"]:
            self.stdout.write(json.dumps(body, ensure_ascii=False))
            return
        self.stdout.write(f"风险等级：{report.level}（近似商标 {len(report.hits)} 件）")
        for h in report.hits:
            self.stdout.write(f"  {h.right.title} {h.right.number} {h.right.owner.name} {h.score} {'；'.join(h.reasons)}")
