"""Keep zhibao.ledger's tests free of Django.

Why: the library is pure (an import-linter contract forbids Django) and its suite runs with
``-p no:django``. The repository's root conftest has an autouse ``_isolated_ledger`` fixture that
needs pytest-django's ``settings``; overriding it here by name turns it into a no-op for this package.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _isolated_ledger() -> Iterator[None]:
    yield
