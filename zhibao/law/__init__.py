"""zhibao.law: the legal rules of the platform as a pure library (no Django, no other zhibao app).

Why a separate pure package: the API, the pages, the ``zhibao law`` command and batch jobs must give
the same answer, and a rule must be testable without a database. Every computed figure names the
rule and source it used; figures that change by amendment live in ``data/*.json`` with effective dates.

Modules:

* :mod:`zhibao.law.uscc` — Unified Social Credit Code (GB 32100-2015) validation.
* :mod:`zhibao.law.districts` — GB/T 2260 codes: Beijing districts, province prefixes.
* :mod:`zhibao.law.patents` — patent application numbers, trademark numbers, Nice classes, IPC.
* :mod:`zhibao.law.periods` — statutory periods on the Chinese holiday calendar (named rules as data).
* :mod:`zhibao.law.damages` — civil damages by basis, punitive multiple, costs; award reference ranges.
* :mod:`zhibao.law.thresholds` — criminal prosecution thresholds and the transfer deadline.
* :mod:`zhibao.law.cli` — ``zhibao law …`` / ``python -m zhibao.law …``.
"""
