"""Writing the append-only audit log, and turning model instances into snapshots.

Every service that writes calls ``record`` inside its transaction, so an
entry exists exactly when the change it describes was committed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from zhibao.accounts import context
from zhibao.accounts.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of ``instance`` as JSON-safe data (FKs as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = _plain(getattr(instance, field.attname))
    return data


def record(
    *,
    actor,  # noqa: ANN001 - User or None (system)
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if actor is not None else "system")[:150],
        role=getattr(actor, "role", "") or "",
        token=ctx.token,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=before,
        after=after,
        reason=reason[:500],
        ip=ctx.ip,
    )


_BOOKKEEPING = frozenset({"updated_at", "version"})


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the changed keys of two snapshots, so entries stay readable (bookkeeping fields left out)."""
    changed = [k for k in after if before.get(k) != after.get(k) and k not in _BOOKKEEPING]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
