"""``zhibao tsa chain``: the embedded time-stamp authority's certificate chain (PEM), for ``openssl ts -verify``."""

import sys

from django.core.management.base import BaseCommand

from zhibao.evidence.management.commands.ledger import run


class Command(BaseCommand):
    help = "可信时间戳：chain 输出 TSA 证书链（PEM）"

    def run_from_argv(self, argv: list[str]) -> None:
        args = argv[2:]
        if args != ["chain"]:
            sys.stderr.write("usage: zhibao tsa chain\n")
            sys.exit(2)
        sys.exit(run(["tsa-chain"]))
