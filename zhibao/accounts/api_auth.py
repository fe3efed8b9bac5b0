"""API authentication: a bearer token (machine clients) or the browser session.

Every token use is logged (ApiTokenUse) with method, path, IP and, once the
response is known, its status. A token acts as its user, narrowed to its
scopes: endpoints call ``require_scope``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from zhibao.accounts import context
from zhibao.accounts.models import ApiToken, ApiTokenUse, User
from zhibao.accounts.services import hash_token
from zhibao.core.errors import Forbidden
from zhibao.core.rawrows import Columns

#: "Last used" is shown to the token's owner to the minute; every call is in ApiTokenUse anyway, so the token
#: row is rewritten at most once a minute instead of on every call (a hot row all workers would contend for).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@cache
def _token_query() -> tuple[str, Columns, Columns, Columns]:
    """Token, its user and the user's organisation in one indexed join (every API call runs it)."""
    token, user = Columns(ApiToken, "t"), Columns(User, "u")
    org = Columns(User._meta.get_field("organisation").related_model, "o")
    sql = (f"SELECT {token.sql()}, {user.sql()}, {org.sql()} FROM {token.table} "  # noqa: S608 - names from models
           f"JOIN {user.table} ON u.id = t.user_id LEFT JOIN {org.table} ON o.id = u.organisation_id "
           "WHERE t.key_hash = %s")
    return sql, token, user, org


def token_with_user(raw: str) -> ApiToken | None:
    """The token whose hash matches ``raw``, with ``user`` and ``user.organisation`` loaded, or None."""
    sql, token_cols, user_cols, org_cols = _token_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [hash_token(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    api_token = token_cols.load(row)
    user = user_cols.load(row, len(token_cols))
    user.organisation = org_cols.load(row, len(token_cols) + len(user_cols))
    api_token.user = user
    return api_token


class TokenAuth(HttpBearer):
    openapi_description = "API 令牌：Authorization: Bearer zb_…"

    def authenticate(self, request, token: str):  # noqa: ANN001, ANN201
        if not token.startswith("zb_"):
            return None
        api_token = token_with_user(token)
        if api_token is None or not api_token.is_active or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        # saved once, with the response status, by RequestContextMiddleware: one write per call, not two
        request.token_use = ApiTokenUse(
            token=api_token, at=now, method=request.method[:8], path=request.get_full_path()[:500],
            ip=context.client_ip(request),
        )
        request.api_token = api_token
        request.user = api_token.user
        context.current_or_bind(token=api_token)
        return api_token.user


class CookieSessionAuth(SessionAuth):
    """The browser session (with CSRF on unsafe methods), for pages that call the API with htmx."""


@contextmanager
def token_use_written_by_caller(request, status: int = 200) -> Iterator[list[ApiTokenUse]]:  # noqa: ANN001
    """Hands this request's token-use row (with ``status``, or none for a session call) to an endpoint that
    writes anyway, to be inserted in that endpoint's own transaction: one write transaction per call instead of
    two (on SQLite each is a turn at the database's single write lock). Should the endpoint fail, the row goes
    back to ``RequestContextMiddleware``, which saves it with the status actually answered."""
    use = getattr(request, "token_use", None)
    request.token_use = None
    if use is not None:
        use.status = status
    try:
        yield [] if use is None else [use]
    except BaseException:
        request.token_use = use
        raise


def require_scope(request, scope: str) -> None:  # noqa: ANN001
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise Forbidden(f"该令牌没有权限范围 {scope}")


AUTH = [TokenAuth(), CookieSessionAuth()]
