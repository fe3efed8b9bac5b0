"""The 工作台 (home page) to-do: each app contributes cards for what waits on the signed-in user.

Why a registry: ``core`` sits below every app and must not import them; each app registers a provider in its
``AppConfig.ready`` (its ``dashboard.py``), which builds its cards from its own permission-filtered selectors.
A provider returns only cards that concern the user's role, and does a few indexed counts — the home page is
opened more than any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from zhibao.accounts.models import User


@dataclass(frozen=True)
class Row:
    text: str
    url: str
    note: str = ""
    warn: bool = False


@dataclass(frozen=True)
class Card:
    """One count with a link; ``rows`` (at most a handful) name the most urgent items."""

    label: str
    count: int
    url: str
    warn: bool = False
    rows: tuple[Row, ...] = field(default_factory=tuple)
    more: bool = False  # ``count`` is a lower bound (a capped count on a large queue)


def capped_count(queryset, cap: int = 999) -> tuple[int, bool]:  # noqa: ANN001
    """Count at most ``cap`` rows (an index range scan, not a full COUNT over a 100,000-row queue)."""
    n = len(queryset.values_list("pk", flat=True)[:cap + 1])
    return min(n, cap), n > cap


Provider = Callable[[User], list[Card]]
_PROVIDERS: list[tuple[int, Provider]] = []


def register(order: int) -> Callable[[Provider], Provider]:
    """Register a provider; ``order`` sorts the apps' cards on the page (cases first, credit last)."""

    def add(provider: Provider) -> Provider:
        if provider not in [p for _, p in _PROVIDERS]:
            _PROVIDERS.append((order, provider))
        return provider

    return add


def cards_for(actor: User) -> list[Card]:
    cards: list[Card] = []
    for _, provider in sorted(_PROVIDERS, key=lambda p: p[0]):
        cards.extend(provider(actor))
    return cards
