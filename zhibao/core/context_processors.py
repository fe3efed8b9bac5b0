"""Template context: the role's navigation menu and the active section."""

from __future__ import annotations

from zhibao.core.navigation import menu_for


def navigation(request):  # noqa: ANN001, ANN201
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    section = match.app_name if match is not None else ""
    if section == "accounts" and match is not None:
        section = {"audit": "audit", "powers": "powers", "revoke_power": "powers"}.get(match.url_name, "tokens")
    return {"nav_items": menu_for(role), "nav_section": section}
