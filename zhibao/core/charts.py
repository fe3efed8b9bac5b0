"""Charts as inline SVG (matplotlib's object API, no pyplot state, so safe in threaded servers).

Text stays text in the SVG (``svg.fonttype = none``) so pages and WeasyPrint PDFs render Chinese with
the Noto CJK fonts installed from Debian.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.figure import Figure

matplotlib.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
matplotlib.rcParams["svg.fonttype"] = "none"


def new_figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height))


def to_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element (XML prolog and doctype dropped, for inlining)."""
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.find("<svg"):]
