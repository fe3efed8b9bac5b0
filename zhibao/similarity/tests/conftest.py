"""Keep zhibao.similarity's tests free of Django.

Why: the library is pure (import-linter contract) and its suite runs with ``-p no:django``; the
repository's root conftest has an autouse ``_isolated_ledger`` fixture that needs pytest-django's
``settings``, so it is overridden here by name as a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _isolated_ledger() -> Iterator[None]:
    yield
