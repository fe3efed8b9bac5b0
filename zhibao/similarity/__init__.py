"""zhibao.similarity: finds marks, texts and images that infringers changed just enough to dodge a plain match.

Why a pure library (no Django, no other zhibao package): the same code serves the web app, the
``zhibao similarity`` command, the benchmarks and the tests, and an import-linter contract keeps it
that way. Three parts, one error type:

* :mod:`zhibao.similarity.marks` — word marks judged the way examiners do (sound, shape, traditional
  forms, pinyin spellings, added generic words), plus :class:`~zhibao.similarity.marks.MarkIndex` to
  screen a query against a large register;
* :mod:`zhibao.similarity.text` — near-duplicate texts (MinHash/LSH) and the passages they share;
* :mod:`zhibao.similarity.images` — perceptual hashes with crop and mirror robustness.
"""

from zhibao.similarity.errors import SimilarityInputError

__all__ = ["SimilarityInputError"]
