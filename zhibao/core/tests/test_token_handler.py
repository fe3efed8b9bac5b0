"""Bearer-token API calls run the short middleware chain; everything else runs Django's usual one.

These tests call the WSGI application itself (as gunicorn does): Django's test client has its own handler and
would never reach the dispatcher.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from zhibao.accounts import services as accounts
from zhibao.accounts.models import ApiTokenUse
from zhibao.core.token_handler import (
    BROWSER_ONLY_MIDDLEWARE,
    Dispatcher,
    TokenApiHandler,
    is_token_api_call,
    token_api_middleware,
)
from zhibao.credit.models import CreditCheck
from zhibao.law import uscc as uscc_lib

CODE = uscc_lib.make_uscc("91110105MA7000001")


@contextmanager
def _test_transaction_kept() -> Iterator[None]:
    """The handler closes old connections around each request; inside a test's transaction that would end it
    (Django's own test client disconnects the same receivers)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def app() -> Dispatcher:
    return Dispatcher(WSGIHandler(), TokenApiHandler())


def _call(app: Dispatcher, path: str, query: str = "", **headers: str) -> tuple[int, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_HOST": "testserver", "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
               "wsgi.errors": io.StringIO(), **headers}
    answered: dict = {}

    def start_response(status: str, response_headers: list, exc_info=None) -> None:  # noqa: ANN001
        answered["status"], answered["headers"] = int(status.split()[0]), dict(response_headers)

    with _test_transaction_kept():
        body = b"".join(app(environ, start_response))
    return answered["status"], answered["headers"], body


def test_only_api_calls_with_a_bearer_token_take_the_short_chain() -> None:
    assert is_token_api_call({"PATH_INFO": "/api/v1/credit/check", "HTTP_AUTHORIZATION": "Bearer zb_x"})
    assert is_token_api_call({"PATH_INFO": "/api/v1/credit/check", "HTTP_AUTHORIZATION": "bearer zb_x"})
    assert not is_token_api_call({"PATH_INFO": "/api/v1/credit/check"})
    assert not is_token_api_call({"PATH_INFO": "/api/v1/credit/check", "HTTP_AUTHORIZATION": "Basic eDp5"})
    assert not is_token_api_call({"PATH_INFO": "/credit/", "HTTP_AUTHORIZATION": "Bearer zb_x"})


def test_the_short_chain_is_the_full_one_without_the_browser_middleware() -> None:
    chain = token_api_middleware(settings.MIDDLEWARE)
    assert not BROWSER_ONLY_MIDDLEWARE & set(chain)
    kept = [m for m in settings.MIDDLEWARE if m not in BROWSER_ONLY_MIDDLEWARE]
    assert [m for m in chain if m != "zhibao.core.token_handler.NoSessionUserMiddleware"] == kept
    assert "zhibao.accounts.middleware.RequestContextMiddleware" in chain  # the token-use log
    assert "django.middleware.common.CommonMiddleware" in chain  # host validation
    assert settings.MIDDLEWARE != chain  # the swap at load time is undone


def test_a_token_call_answers_logs_and_keeps_the_security_headers_without_browser_middleware(demo, app) -> None:  # noqa: ANN001
    _, raw = accounts.issue_token(actor=demo["caigou"], name="核查", scopes=["credit:check"])
    status, headers, body = _call(app, "/api/v1/credit/check", f"uscc={CODE}&measure=government_procurement",
                                  HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert status == 200, body
    assert json.loads(body)["known"] is False
    assert CreditCheck.objects.get().uscc == CODE
    assert ApiTokenUse.objects.get().status == 200
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert "Content-Language" not in headers and "Set-Cookie" not in headers  # no locale, session or messages ran


def test_a_bad_token_is_refused_even_when_a_session_cookie_rides_along(demo, app, client_as) -> None:  # noqa: ANN001
    session = client_as("caigou").cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    status, _, _ = _call(app, "/api/v1/credit/check", f"uscc={CODE}", HTTP_COOKIE=cookie,
                         HTTP_AUTHORIZATION="Bearer zb_not_a_token")
    assert status == 401
    status, headers, _ = _call(app, "/api/v1/credit/check", f"uscc={CODE}", HTTP_COOKIE=cookie)
    assert status == 200  # the session alone goes the browser's way, as before
    assert "Content-Language" in headers
    assert CreditCheck.objects.count() == 1


def test_the_short_chain_still_refuses_an_unknown_host(demo, app) -> None:  # noqa: ANN001
    _, raw = accounts.issue_token(actor=demo["caigou"], name="核查", scopes=["credit:check"])
    status, _, _ = _call(app, "/api/v1/credit/check", f"uscc={CODE}", HTTP_HOST="evil.example",
                         HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert status == 400
    assert not CreditCheck.objects.exists()


def test_the_wsgi_entry_point_serves_through_the_dispatcher(tmp_path) -> None:  # noqa: ANN001
    """``zhibao.wsgi`` (what gunicorn loads) in a process of its own: importing it freezes the collector."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhibao.settings", "ZHIBAO_DATA_DIR": str(tmp_path),
           "ZHIBAO_SQLITE_CHECKPOINT_MS": "0"}
    env.pop("DATABASE_URL", None)
    script = ("import zhibao.wsgi as w; from zhibao.core.token_handler import Dispatcher, TokenApiHandler; "
              "assert isinstance(w.application, Dispatcher) and isinstance(w.application.token_api, TokenApiHandler)")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
