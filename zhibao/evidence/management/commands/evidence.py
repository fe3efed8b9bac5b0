"""``zhibao evidence deposit FILE… | verify FILE | export NO --out bundle.zip`` (``--json`` for scripts)."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from zhibao.core.errors import InvalidInput
from zhibao.evidence import selectors, services


class Command(BaseCommand):
    help = "电子存证：deposit 存证、verify 核验、export 导出证据包（退出码 0 成功，1 未通过，2 输入有误）"

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        d = sub.add_parser("deposit")
        d.add_argument("files", nargs="+")
        d.add_argument("--user", required=True, help="存证人用户名")
        d.add_argument("--title", default="")
        d.add_argument("--json", action="store_true")
        v = sub.add_parser("verify")
        v.add_argument("file")
        v.add_argument("--deposit-no", default="")
        v.add_argument("--json", action="store_true")
        e = sub.add_parser("export")
        e.add_argument("deposit_no")
        e.add_argument("--out", required=True)

    def handle(self, *args, **o):  # noqa: ANN002, ANN003
        return getattr(self, "_" + o["action"])(o)

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=2)

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            self._fail(f"无法读取文件 {path}：{exc.strerror}")
            raise

    def _deposit(self, o: dict) -> None:
        user = get_user_model().objects.filter(username=o["user"]).first()
        if user is None:
            self._fail(f"未知用户：{o['user']}")
        uploads = [SimpleUploadedFile(Path(p).name, self._read(p)) for p in o["files"]]
        try:
            outcome = services.make_deposit(actor=user, title=o["title"] or Path(o["files"][0]).name, files=uploads)
        except InvalidInput as exc:
            self._fail(str(exc))
        dep = outcome.deposit
        f = dep.files.first()
        body = {"deposit_no": dep.deposit_no, "sha256": f.sha256 if f else None, "sm3": f.sm3 if f else None,
                "leaf_index": dep.leaf_index, "tree_size": dep.tree_size, "root": dep.root_hex,
                "inclusion_proof": dep.inclusion_proof, "checkpoint": dep.checkpoint,
                "timestamp_token_b64": base64.b64encode(bytes(dep.timestamp_token)).decode(),
                "duplicate": outcome.duplicate}
        self.stdout.write(json.dumps(body, ensure_ascii=False) if o["json"] else
                          f"{'已存证（重复）' if outcome.duplicate else '存证成功'}：{dep.deposit_no}")

    def _verify(self, o: dict) -> None:
        result = services.public_verification(content=self._read(o["file"]), deposit_no=o["deposit_no"])
        body = {"status": result.status, "label": result.label, "sha256": result.sha256,
                "deposit_no": result.deposit.deposit_no if result.deposit else None, "reasons": result.reasons}
        self.stdout.write(json.dumps(body, ensure_ascii=False) if o["json"] else f"{result.label} {result.sha256}")
        if result.status != "verified":
            sys.exit(1)

    def _export(self, o: dict) -> None:
        deposit = selectors.deposit_by_number(o["deposit_no"])
        if deposit is None:
            self._fail(f"未知存证编号：{o['deposit_no']}")
        data = services.export_bundle(actor=None, deposit=deposit, verify_url="/verify/")
        Path(o["out"]).write_bytes(data)
        self.stdout.write(f"已导出证据包：{o['out']}（{len(data)} 字节）")
