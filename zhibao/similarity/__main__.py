"""``python -m zhibao.similarity …``: the same entry point as ``zhibao similarity …``."""

import sys

from zhibao.similarity.cli import main

raise SystemExit(main(sys.argv[1:], sys.stdout, sys.stderr))
