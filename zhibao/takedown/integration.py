"""The seams to apps built in parallel (cases, credit, monitoring): one file, so wiring them is a two-line change.

Each degrades to "nothing happens" when the other app is not installed, so takedown (and fairs, which uses
these seams too) works on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction

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


def submit_for_screening(*, source: str, items: list[dict[str, Any]], skip_owner: Any | None = None) -> bool:
    """Hand new listings or fair exhibits to monitoring once the transaction commits; False when not installed.

    Why after commit: a rolled-back notice must not leave screened items behind, and screening (other right
    holders' watch lists) never holds up or fails the notice or filing that brought the item.
    """
    if not items or not apps.is_installed("zhibao.monitoring"):
        return False
    batch = [dict(item) for item in items]
    transaction.on_commit(lambda: _submit_now(source, batch, skip_owner))
    return True


def _submit_now(source: str, items: list[dict[str, Any]], skip_owner: Any | None) -> int:
    """Submit the batch; if monitoring rejects it (all or none), retry item by item, then without images,
    so one odd title or image costs only that item. Returns the number of items recorded."""
    from zhibao.core.errors import InvalidInput
    from zhibao.monitoring import services as monitoring  # type: ignore[import-not-found]

    def attempt(batch: list[dict[str, Any]]) -> int:
        return len(monitoring.submit_items(actor=None, source=source, items=batch, skip_owner=skip_owner))

    try:
        return attempt(items)
    except InvalidInput:
        pass
    except Exception:  # noqa: BLE001 - screening is a side effect: never break the caller after its commit
        log.exception("monitoring submission of %d %s items failed", len(items), source)
        return 0
    done = 0
    for item in items:
        for variant in (item, {**item, "images": []}) if item.get("images") else (item,):
            try:
                done += attempt([variant])
                break
            except InvalidInput as exc:
                log.info("monitoring rejected %s %s: %s", source, item.get("origin"), exc.errors)
            except Exception:  # noqa: BLE001
                log.exception("monitoring submission of %s failed", item.get("origin"))
                break
    return done
