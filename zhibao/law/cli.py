"""Command line of the law engine: ``zhibao law …`` or ``python -m zhibao.law …``.

Why pure argparse: the same entry point serves the Django command, ``python -m zhibao.law`` and
tests (which pass ``stdout``/``stderr``), without importing Django.

Exit codes: 0 ok, 1 a negative answer, 2 bad input (one readable line on stderr, never a
traceback). The negative answers: ``uscc`` — the code is invalid; ``thresholds`` — no criminal
threshold is reached (0 means at least one is reached and a transfer decision is due).
``deadline``, ``damages`` and ``rules`` answer 0 whenever they compute.

``deadline --start`` takes a date (``2026-09-16``) or, for hour rules, a datetime; a datetime without
an offset is taken as Beijing time (UTC+8), the platform's legal time zone. ``--pause FROM:TO``
(repeatable) stops the clock for a closed interval of days (see ``periods.deadline_with_pauses``).

JSON input is read with decimals kept exact (``1234.56`` is never a binary float).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from pydantic import BaseModel, ValidationError

from zhibao.law import damages, districts, periods, thresholds, uscc

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


class _BadInput(Exception):
    """Anything the user can fix: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    out: TextIO | None = None

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("zhibao law").strip()
        raise _BadInput(f"{command}: {message}" if command else message)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (self.out or file or sys.stdout).write(message)


def _parser(out: TextIO) -> argparse.ArgumentParser:
    parser_class = type("_BoundParser", (_Parser,), {"out": out})
    parser = parser_class(prog="zhibao law", description="法律计算：统一社会信用代码、期间、赔偿、刑事追诉标准")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("uscc", help="校验统一社会信用代码")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("deadline", help="计算法定期间的截止日")
    p.add_argument("--start", required=True, help="起算日 YYYY-MM-DD（按小时的规则可用带时区的日期时间）")
    unit = p.add_mutually_exclusive_group(required=True)
    unit.add_argument("--days", type=int)
    unit.add_argument("--working-days", type=int)
    unit.add_argument("--months", type=int)
    unit.add_argument("--hours", type=int)
    unit.add_argument("--rule", help="规则名称，见 `zhibao law rules`")
    p.add_argument("--extended", action="store_true", help="加上规则允许的一次延长")
    p.add_argument("--provisional", action="store_true",
                   help="放假安排尚未发布的下一年按周末和法定假日预估（结果标明为预估）")
    p.add_argument("--pause", action="append", default=[], metavar="FROM:TO",
                   help="期间中止的闭区间 YYYY-MM-DD:YYYY-MM-DD，可重复")
    p.add_argument("--json", action="store_true")

    for name, helptext in (("damages", "计算损害赔偿数额"), ("thresholds", "检查刑事追诉标准")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--input", required=True, help="JSON 文件路径，或 - 表示标准输入")
        if name == "damages":
            p.add_argument("--on", help="适用规则的日期 YYYY-MM-DD（默认今天）")
        else:
            p.add_argument("--found-on", help="发现涉嫌犯罪（接到移送报告）的日期 YYYY-MM-DD，覆盖输入中的 found_on")
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("rules", help="列出命名的期间规则")
    p.add_argument("--all", action="store_true", help="列出每条规则的全部版本")
    p.add_argument("--json", action="store_true")
    return parser


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadInput(f"{what} 日期无效 invalid date: {text!r}（应为 YYYY-MM-DD）") from None


def _start(text: str, hours: bool) -> date | datetime:
    if not hours:
        return _date(text, "--start")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _BadInput(f"--start 时间无效 invalid datetime: {text!r}（应为 2026-09-16T10:00+08:00）") from None
    if "T" not in text and " " not in text:
        raise _BadInput("按小时计算的期间需要开始时间，如 --start 2026-09-16T10:00+08:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def _pauses(values: list[str]) -> list[tuple[date, date]]:
    spans = []
    for value in values:
        first, sep, last = value.partition(":")
        if not sep:
            raise _BadInput(f"--pause 应为 FROM:TO（如 2026-03-05:2026-03-09）：{value!r}")
        spans.append((_date(first, "--pause"), _date(last, "--pause")))
    return spans


def _read_json(source: str, stdin: TextIO) -> dict[str, Any]:
    try:
        if source == "-":
            text = stdin.read()
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise _BadInput(f"无法读取输入文件 cannot read {source}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _BadInput(f"输入文件不是 UTF-8 文本 not UTF-8: {source}") from None
    try:
        body = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _BadInput(f"JSON 无效 invalid JSON: {exc.msg}（第{exc.lineno}行第{exc.colno}列）") from None
    if not isinstance(body, dict):
        raise _BadInput("JSON 顶层应为对象 top-level JSON must be an object")
    return body


def _validate[M: BaseModel](model: type[M], body: dict[str, Any]) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        parts = [f"{'.'.join(str(x) for x in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()]
        raise _BadInput("输入无效 invalid input: " + "; ".join(parts)) from None


def _emit(out: TextIO, as_json: bool, body: Any, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(body, ensure_ascii=False, default=str), file=out)
    else:
        for line in lines:
            print(line, file=out)


def _cmd_uscc(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    result = uscc.validate(args.code)
    body = {"code": result.code, "valid": result.valid, "errors": result.errors, "warnings": result.warnings,
            "division_code": result.division_code, "entity_type": result.entity_type}
    lines = [("有效" if result.valid else "无效") + f"：{result.code}"]
    if result.valid and result.division_code:
        place = districts.division_name(result.division_code) or districts.province_name(result.division_code) or ""
        lines.append(f"  登记管理部门：{result.registration_authority}；机构类别：{result.entity_type}；"
                     f"行政区划：{result.division_code} {place}".rstrip())
    lines += [f"  {x}" for x in result.errors + result.warnings]
    _emit(out, args.json, body, lines)
    return 0 if result.valid else 1


def _cmd_deadline(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    hourly = args.hours is not None or (args.rule is not None and periods.get_rule(args.rule).unit == "hours")
    start = _start(args.start, hourly)
    pauses = _pauses(args.pause)
    if args.extended and args.rule is None:
        raise _BadInput("--extended 只能与 --rule 一起使用")
    if pauses:
        if args.working_days is not None or args.months is not None or args.hours is not None:
            raise _BadInput("--pause 只能与 --days 或 --rule 一起使用")
        assert isinstance(start, date)
        result = periods.deadline_with_pauses(start, args.rule if args.rule is not None else args.days, pauses,
                                              extended=args.extended, provisional=args.provisional)
    elif args.rule is not None:
        result = periods.deadline_for(args.rule, start, extended=args.extended, provisional=args.provisional)
    else:
        result = periods.deadline(start, days=args.days, working_days=args.working_days, months=args.months,
                                  hours=args.hours, provisional=args.provisional)
    body = result.as_dict()
    lines = [f"截止：{body['deadline']}（起算 {body['start']}，{result.amount}{periods.UNIT_NAMES[result.unit]}"
             f"{'，含延长' if result.extended else ''}{f'，中止 {result.paused_days} 日' if result.paused_days else ''}）",
             f"依据：{result.source}"]
    lines += [f"  跳过休息日 {d.isoformat()} {reason}" for d, reason in result.skipped]
    lines += [f"注意：{w}" for w in result.warnings]
    _emit(out, args.json, body, lines)
    return 0


def _cmd_damages(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    inp = _validate(damages.DamagesInput, _read_json(args.input, stdin))
    on = _date(args.on, "--on") if args.on else None
    result = damages.calculate(inp, on=on)
    lines = [f"赔偿总额：{result.total} 元（依据 {result.basis}，规则 {result.rule_version}）"]
    lines += [f"  {s.description} [{s.legal_reference}]" for s in result.steps]
    lines += [f"  注意：{w}" for w in result.warnings]
    _emit(out, args.json, result.model_dump(mode="json"), lines)
    return 0


def _cmd_thresholds(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    body_in = _read_json(args.input, stdin)
    if args.found_on:
        body_in["found_on"] = _date(args.found_on, "--found-on").isoformat()
    facts = _validate(thresholds.CaseFacts, body_in)
    findings = thresholds.check(facts)
    required = thresholds.transfer_required(findings)
    body = {"transfer_required": required, "findings": [f.model_dump(mode="json") for f in findings]}
    lines = [f"{'需要移送' if required else '未达追诉标准'}"] + [f"  {f.message} [{f.source}]" for f in findings]
    if not findings:
        lines.append("  未提供可比较的数额")
    _emit(out, args.json, body, lines)
    return 0 if required else 1


def _cmd_rules(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    chosen = periods.RULE_VERSIONS if args.all else tuple(periods.RULES.values())
    rows = [{"name": r.name, "title": r.title, "unit": r.unit, "amount": r.amount, "extension": r.extension,
             "source": r.source, "effective": r.effective.isoformat(), "note": r.note} for r in chosen]
    lines = [f"{r.name}: {r.title} — {r.amount}{periods.UNIT_NAMES[r.unit]}"
             f"{f'（可延长{r.extension}{periods.UNIT_NAMES[r.unit]}）' if r.extension else ''}"
             f"（{r.source}，{r.effective.isoformat()} 起施行）" for r in chosen]
    _emit(out, args.json, rows, lines)
    return 0


COMMANDS = {"uscc": _cmd_uscc, "deadline": _cmd_deadline, "damages": _cmd_damages,
            "thresholds": _cmd_thresholds, "rules": _cmd_rules}


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
         stdin: TextIO | None = None) -> int:
    """Run one subcommand; returns the exit code instead of exiting (the caller decides)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser(out).parse_args(argv)
        return COMMANDS[args.command](args, out, stdin or sys.stdin)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except (_BadInput, ValueError, OverflowError) as exc:  # DamagesError, CalendarUnavailable, unknown rule …
        message = " ".join(str(exc).split())
        print(f"zhibao law: {message}", file=err)
        return 2
