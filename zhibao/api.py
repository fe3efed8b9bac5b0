"""The JSON API (django-ninja), version 1, with OpenAPI docs at /api/docs.

Errors are always JSON: service errors keep their status (400 with field
errors, 403, 404, 409), schema errors are 422 (unknown fields included),
and unexpected errors never leak a traceback.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from zhibao.accounts.api import router as accounts_router
from zhibao.accounts.api_auth import AUTH
from zhibao.cases.api import public_router as cases_public_router
from zhibao.cases.api import router as cases_router
from zhibao.cases.api_people import router as cases_people_router
from zhibao.core.errors import InvalidInput, ServiceError
from zhibao.credit.api import router as credit_router
from zhibao.evidence.api import public_router as evidence_public_router
from zhibao.evidence.api import router as evidence_router
from zhibao.fairs.api import router as fairs_router
from zhibao.legal.api import router as law_router
from zhibao.monitoring.api import router as monitoring_router
from zhibao.notifications.api import router as notifications_router
from zhibao.orgs.api import router as orgs_router
from zhibao.rights.api import router as rights_router
from zhibao.takedown.api import public_router as takedown_public_router
from zhibao.takedown.api import router as takedown_router

api = NinjaAPI(
    title="ZhiBao 知保 API",
    version="1",
    description="一站式知识产权保护平台接口。认证：浏览器会话，或 `Authorization: Bearer <API 令牌>`。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):  # noqa: ANN001, ANN201
    body: dict = {"detail": exc.message or str(exc)}
    if isinstance(exc, InvalidInput):
        body["errors"] = exc.errors
    body.update(exc.extra)
    response = api.create_response(request, body, status=exc.status)
    if "retry_after" in exc.extra:  # 429 and 503 tell the caller when to come back (RFC 9110 §10.2.3)
        response["Retry-After"] = str(exc.extra["retry_after"])
    return response


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):  # noqa: ANN001, ANN201
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or "body", "message": e.get("msg", ""),
         "type": e.get("type", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "请求格式有误", "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):  # noqa: ANN001, ANN201
    return api.create_response(request, {"detail": "未找到"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):  # noqa: ANN001, ANN201
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


api.add_router("/v1/credit", credit_router)  # first: agencies' checks are the busiest route, resolved in order
api.add_router("/v1/", accounts_router)
api.add_router("/v1/orgs", orgs_router)
api.add_router("/v1/rights", rights_router)
api.add_router("/v1/law", law_router)
api.add_router("/v1/evidence", evidence_router)
api.add_router("/v1/public", evidence_public_router)
api.add_router("/v1/notifications", notifications_router)
api.add_router("/v1/takedown", takedown_router)
api.add_router("/v1/monitoring", monitoring_router)
api.add_router("/v1/public", takedown_public_router)
api.add_router("/v1/cases", cases_people_router)  # first: /cases/drafts is not a case number
api.add_router("/v1/cases", cases_router)
api.add_router("/v1/public", cases_public_router)
api.add_router("/v1/fairs", fairs_router)
