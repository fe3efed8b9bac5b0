"""Word marks: :func:`compare` two marks, or screen one against a register with :class:`MarkIndex`.

Why one public module over two implementation modules: callers (the web app, the CLI) need four
names; the rules (:mod:`~zhibao.similarity.markrules`) and the index
(:mod:`~zhibao.similarity.markindex`) change for different reasons and stay small apart.

>>> compare("星河", "星禾").similar
True
"""

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.markindex import MarkIndex, Match
from zhibao.similarity.markrules import THRESHOLD, Comparison, compare

__all__ = ["THRESHOLD", "Comparison", "Match", "MarkIndex", "SimilarityInputError", "compare"]
