"""Bridging service errors back into Django forms, so pages show field errors in place."""

from __future__ import annotations

from django import forms

from zhibao.core.errors import InvalidInput


def add_service_errors(form: forms.Form, exc: InvalidInput, aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    for field, reasons in exc.errors.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, "；".join(reasons))
