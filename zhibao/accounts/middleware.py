"""Binds the request's IP address for the audit log."""

from __future__ import annotations

from zhibao.accounts import context


class RequestContextMiddleware:
    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        token = context.bind(context.RequestContext(ip=context.client_ip(request)))
        try:
            response = self.get_response(request)
            use = getattr(request, "token_use", None)
            if use is not None:
                type(use).objects.filter(pk=use.pk).update(status=response.status_code)
            return response
        finally:
            context.reset(token)
