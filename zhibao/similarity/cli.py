"""Command line for word-mark similarity: ``compare``, ``search``, ``build-index``.

Why ``main(argv, stdout, stderr) -> int``: the Django management command ``zhibao similarity …``
forwards its arguments here and tests call it in-process, so nothing may call ``sys.exit`` or
print to the real streams.  Exit codes: 0 similar / found, 1 not similar / nothing found,
2 bad input (one readable line on stderr, argparse errors included).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.marks import MarkIndex, compare


class _UsageError(Exception):
    """Raised instead of argparse's sys.exit so main() can return 2."""


class _Parser(argparse.ArgumentParser):
    help_stream: TextIO | None = None

    def print_help(self, file: TextIO | None = None) -> None:  # type: ignore[override]
        (self.help_stream or file or sys.stdout).write(self.format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            raise _UsageError(message.strip())
        raise _UsageError("") if status else _HelpShown()


class _HelpShown(Exception):
    """--help was printed; main() returns 0."""


def _parser(stdout: TextIO) -> _Parser:
    p = _Parser(prog="zhibao similarity", description="Chinese word-mark similarity (商标近似)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("compare", help="compare two marks")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--earlier", choices=["a", "b"], help="which one is the earlier (protected) mark, if known")
    c.add_argument("--in-title", action="store_true", help="the later one is a product title or shop name")
    c.add_argument("--json", action="store_true")
    s = sub.add_parser("search", help="search an index built with build-index")
    s.add_argument("--index", required=True, type=Path)
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--json", action="store_true")
    b = sub.add_parser("build-index", help="build an index from a file with one mark per line")
    b.add_argument("--names", required=True, type=Path)
    b.add_argument("--out", required=True, type=Path)
    for parser in (p, c, s, b):
        parser.help_stream = stdout
    return p


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run one command; returns the exit code instead of exiting."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser(out).parse_args(args_list)
        if args.command == "compare":
            return _compare(args, out)
        if args.command == "search":
            return _search(args, out)
        return _build(args, out)
    except _HelpShown:
        return 0
    except _UsageError as exc:
        print(f"zhibao similarity: error: {exc or 'invalid arguments'}", file=err)
        return 2
    except SimilarityInputError as exc:
        print(f"zhibao similarity: error: {exc}", file=err)
        return 2


def _compare(args: argparse.Namespace, out: TextIO) -> int:
    if args.in_title and not args.earlier:
        raise _UsageError("--in-title needs --earlier (which one is the protected mark)")
    result = compare(args.a, args.b, earlier=args.earlier, in_title=args.in_title)
    if args.json:
        payload = {"a": args.a, "b": args.b, "score": result.score, "similar": result.similar,
                   "reasons": result.reasons}
        print(json.dumps(payload, ensure_ascii=False), file=out)
    else:
        verdict = "近似" if result.similar else "不近似"
        print(f"{args.a} / {args.b}: {verdict} (score {result.score:.2f})", file=out)
        for reason in result.reasons:
            print(f"  - {reason}", file=out)
    return 0 if result.similar else 1


def _search(args: argparse.Namespace, out: TextIO) -> int:
    if args.limit < 1:
        raise _UsageError("--limit must be at least 1")
    if not args.index.is_file():
        raise SimilarityInputError(f"index file not found: {args.index}")
    index = MarkIndex.load(args.index)
    matches = index.search(args.query, limit=args.limit)
    if args.json:
        rows = [{"name": m.name, "score": m.score, "similar": bool(getattr(m, "similar", m.score >= 0.7)),
                 "reasons": m.reasons, "index": m.index} for m in matches]
        print(json.dumps({"query": args.query, "matches": rows}, ensure_ascii=False), file=out)
    else:
        for m in matches:
            print(f"{m.score:.2f}\t{m.name}\t{'；'.join(m.reasons)}", file=out)
    return 0 if matches else 1


def _build(args: argparse.Namespace, out: TextIO) -> int:
    try:
        text = args.names.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SimilarityInputError(f"cannot read {args.names}: {exc}") from None
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise SimilarityInputError(f"no marks in {args.names}")
    index = MarkIndex.from_names(names)
    try:
        index.save(args.out)
    except OSError as exc:
        raise SimilarityInputError(f"cannot write {args.out}: {exc}") from None
    print(f"indexed {len(index)} marks -> {args.out}", file=out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
