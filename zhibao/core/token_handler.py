"""Bearer-token API calls take a shorter middleware chain than browser requests.

A machine client (an agency's procurement system checking credit, a platform's takedown robot) authenticates
every call with its API token. The browser's middleware — static files, the session, locale negotiation, CSRF,
the session's user, messages, login lock-out (axes) — reads and writes nothing for such a call, yet ran on every
one of them: on the agency credit check it was about a tenth of the work done in process (see
docs/adr/0004-credit-check-latency.md). So the WSGI application sends a request under ``/api/`` that carries
``Authorization: Bearer …`` through a second handler whose chain is ``settings.MIDDLEWARE`` without
``BROWSER_ONLY_MIDDLEWARE``; everything else (security headers, the upload limit, host validation, the audit
context and token-use log) runs as for any request.

In that chain the only identity is the token: where the session's user would be, ``request.user`` is anonymous
until the token is accepted, so a call with a bad token is refused (401) even if the browser also sent its
session cookie — the token the caller chose to send decides, never a cookie riding along.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler

#: the middleware a bearer-token API call skips (all of it serves a browser session)
BROWSER_ONLY_MIDDLEWARE = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
})
_AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
_NO_SESSION_USER = "zhibao.core.token_handler.NoSessionUserMiddleware"


class NoSessionUserMiddleware:
    """Stands where ``AuthenticationMiddleware`` stands in the browser chain: no session, so no user until the
    token authenticates (``zhibao.accounts.api_auth.TokenAuth`` sets ``request.user``)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        request.user = AnonymousUser()
        return self.get_response(request)


def token_api_middleware(middleware: Iterable[str]) -> list[str]:
    """``middleware`` without the browser-only entries, the session's user replaced by ``NoSessionUserMiddleware``."""
    chain = []
    for path in middleware:
        if path == _AUTHENTICATION:
            chain.append(_NO_SESSION_USER)
        elif path not in BROWSER_ONLY_MIDDLEWARE:
            chain.append(path)
    return chain


class TokenApiHandler(WSGIHandler):
    """Django's WSGI handler over ``token_api_middleware(settings.MIDDLEWARE)``."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE; it is swapped for the call only, once per process at
        # start-up, before any request is served
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = token_api_middleware(full)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def is_token_api_call(environ: dict) -> bool:
    """A call under /api/ with a bearer token (the scheme's case ignored, as django-ninja ignores it)."""
    return (environ.get("PATH_INFO", "").startswith("/api/")
            and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer ")


class Dispatcher:
    """The WSGI application: token API calls to the short chain, everything else to Django's usual handler."""

    def __init__(self, browser: WSGIHandler, token_api: WSGIHandler) -> None:
        self.browser = browser
        self.token_api = token_api

    def __call__(self, environ: dict, start_response: Callable):  # noqa: ANN204
        handler = self.token_api if is_token_api_call(environ) else self.browser
        return handler(environ, start_response)
