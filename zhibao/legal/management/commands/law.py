"""``zhibao law …``: the law engine's CLI (uscc, deadline, damages, thresholds, rules).

The argument parsing and output live in the pure ``zhibao.law.cli`` so they
work without Django too (``python -m zhibao.law``); this command only hands
over the arguments and the exit code (0 ok, 1 negative answer, 2 bad input).
"""

import sys

from django.core.management.base import BaseCommand

from zhibao.law import cli


class Command(BaseCommand):
    help = "法律计算：uscc、deadline、damages、thresholds、rules（--json 输出机器可读结果）"

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(cli.main(argv[2:]))

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        sys.exit(cli.main(list(args)))
