"""``zhibao ledger checkpoint | public-key | consistency | audit | witness``: the evidence log's own CLI.

Parsing and output live in the pure ``zhibao.ledger.cli`` (usable without Django);
this command passes in where this node keeps its log and keys.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from zhibao.ledger import cli


def run(argv: list[str]) -> int:
    keys = settings.ZHIBAO_KEYS_DIR
    keys.mkdir(parents=True, exist_ok=True)
    # create the key under this node's name first, so checkpoints from the CLI and the web agree
    cli.load_or_create_signer(keys / "checkpoint-signer.key", settings.ZHIBAO_LEDGER_NAME)
    return cli.main(argv, log_url=settings.ZHIBAO_LEDGER_URL, signer_key_path=keys / "checkpoint-signer.key",
                    tsa_dir=keys / "tsa", witness_state=keys / "witness-state.json")


class Command(BaseCommand):
    help = "存证账本：checkpoint、public-key、consistency、audit、witness（--json 输出机器可读结果）"

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(run(argv[2:]))

    def handle(self, *args, **options):  # noqa: ANN002, ANN003
        sys.exit(run(list(args)))
