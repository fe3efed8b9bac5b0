"""Reads for the dashboard: counts of what the acting user may see."""

from __future__ import annotations

from zhibao.accounts.models import User
from zhibao.orgs.selectors import organisations_visible_to
from zhibao.rights.selectors import rights_visible_to


def dashboard_summary(*, actor: User) -> dict:
    rights = rights_visible_to(actor=actor)
    return {
        "organisations": organisations_visible_to(actor=actor).count(),
        "rights": rights.count(),
        "rights_expiring": rights.filter(status="valid", valid_until__isnull=False).order_by("valid_until")[:5],
    }
