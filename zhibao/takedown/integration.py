"""The two seams to apps built in parallel (cases, credit): one file, so wiring them is a two-line change.

Both degrade to "nothing happens" when the other app is not installed, so takedown works on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.apps import apps

log = logging.getLogger("zhibao.takedown")


def find_accepted_case(number: str) -> Any | None:
    """A ZhiBao case accepted by an authority, by its number; None when cases is not installed or not found."""
    if not apps.is_installed("zhibao.cases"):
        return None
    from zhibao.cases import selectors as cases  # type: ignore[import-not-found]

    finder = getattr(cases, "accepted_case_by_number", None)
    return finder(number) if finder is not None else None


def report_credit_fact(*, actor: Any, organisation: Any, kind: str, occurred_on: dt.date, legal_basis: str,
                       summary: str, source_type: str, source_ref: str, source_url: str = "",
                       visibility: str = "public", wilful: bool = False, amount: Decimal | None = None) -> Any | None:
    """Record a fact in the organisation's credit file when the credit app is installed; else do nothing."""
    if not apps.is_installed("zhibao.credit"):
        log.info("credit not installed; fact %s for %s not recorded", kind, organisation)
        return None
    from zhibao.credit import services as credit  # type: ignore[import-not-found]

    return credit.record_fact(actor=actor, organisation=organisation, kind=kind, occurred_on=occurred_on,
                              legal_basis=legal_basis, summary=summary, source_type=source_type,
                              source_ref=source_ref, source_url=source_url, visibility=visibility, wilful=wilful,
                              amount=amount)
