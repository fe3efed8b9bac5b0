"""The single command-line entry point, ``zhibao`` (a thin wrapper around manage.py).

Domain commands (``zhibao law``, ``zhibao demo``, ``zhibao worker`` ...) are
Django management commands, so they share settings, the database and logging
with the web process.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
