"""Per-request context (client IP, API token) that the audit log needs.

Services take the acting user as an argument; the IP address and token are
transport details, so the middleware and the API authenticator put them in
a context variable instead of threading them through every service call.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass
class RequestContext:
    ip: str | None = None
    token: Any = None


_current: ContextVar[RequestContext | None] = ContextVar("zhibao_request_context", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    return ctx if ctx is not None else RequestContext()


def current_or_bind(**changes: Any) -> RequestContext:
    """Update the bound context (e.g. with the API token once authenticated)."""
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext()
        _current.set(ctx)
    for key, value in changes.items():
        setattr(ctx, key, value)
    return ctx


def bind(ctx: RequestContext):  # noqa: ANN201 - returns a contextvars Token
    return _current.set(ctx)


def reset(token) -> None:  # noqa: ANN001
    _current.reset(token)


def client_ip(request) -> str | None:  # noqa: ANN001
    """The peer address; X-Forwarded-For is trusted only behind a configured proxy."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None
