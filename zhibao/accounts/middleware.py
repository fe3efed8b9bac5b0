"""Binds the request's IP address for the audit log and records each API token use with its status."""

from __future__ import annotations

from zhibao.accounts import context
from zhibao.core.rawrows import insert


class RequestContextMiddleware:
    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        token = context.bind(context.RequestContext(ip=context.client_ip(request)))
        try:
            response = self.get_response(request)
            use = getattr(request, "token_use", None)
            if use is not None:  # built by TokenAuth, saved here once the status is known
                use.status = response.status_code
                insert(use)  # one statement, no ORM compilation: every API call pays for it
            return response
        finally:
            context.reset(token)
