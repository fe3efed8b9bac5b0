"""The law library is pure: its tests run without Django (``-p no:django``).

Why this file: the project-wide ``conftest.py`` has an autouse fixture that isolates the evidence
ledger through pytest-django's ``settings`` fixture. These tests touch neither, so the fixture is
overridden here by name with a no-op, which keeps ``pytest zhibao/law -p no:django`` working.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _isolated_ledger() -> Iterator[None]:
    yield
