"""``python -m zhibao.law …``: the same CLI as ``zhibao law …``, without Django."""

import sys

from zhibao.law.cli import main

if __name__ == "__main__":
    sys.exit(main())
