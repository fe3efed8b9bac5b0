"""``zhibao similarity compare A B | search --index FILE QUERY | build-index``: word-mark similarity.

The pure ``zhibao.similarity.cli`` does the work (also ``python -m zhibao.similarity``).
"""

import sys

from django.core.management.base import BaseCommand

from zhibao.similarity import cli


class Command(BaseCommand):
    help = "商标近似比对：compare、search、build-index（--json 输出机器可读结果）"

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(cli.main(argv[2:]))

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        sys.exit(cli.main(list(args)))
