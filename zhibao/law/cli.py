"""Command line of the law engine: ``zhibao law …`` or ``python -m zhibao.law …``.

Exit codes: 0 ok, 1 a negative answer (e.g. an invalid code), 2 bad input
(one readable line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from zhibao.law import uscc


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


class _BadInput(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhibao law", description="法律计算")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("uscc", help="校验统一社会信用代码")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except _BadInput as exc:
        print(f"zhibao law: {exc}", file=err)
        return 2
    result = uscc.validate(args.code)
    body = {"code": result.code, "valid": result.valid, "errors": result.errors, "warnings": result.warnings,
            "division_code": result.division_code, "entity_type": result.entity_type}
    if args.json:
        print(json.dumps(body, ensure_ascii=False), file=out)
    else:
        print(("有效" if result.valid else "无效") + f"：{result.code}", file=out)
        for line in result.errors + result.warnings:
            print(f"  {line}", file=out)
    return 0 if result.valid else 1
