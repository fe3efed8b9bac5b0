"""Reads from apps a deployment may leave out of ``INSTALLED_APPS``: each answers None when its app is absent.

Cases and takedown both prefill a form from a monitoring alert (``?from_alert=<id>``) and must work without the
monitoring app, so the check for the app and the call into it are written once here; each caller maps the draft
onto its own form fields.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps


def monitoring_alert_draft(*, actor: Any, alert_id: str) -> dict[str, Any] | None:
    """The draft of a monitoring alert (right, respondent, listing or place, deposit), or None without monitoring.

    Raises the monitoring selector's NotFound/Forbidden: only the alert's owner side may draft from it.
    """
    if not apps.is_installed("zhibao.monitoring"):
        return None
    return import_module("zhibao.monitoring.selectors").draft_for(actor=actor, alert_id=alert_id)
