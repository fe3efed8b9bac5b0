"""Platform-wide pages: the role dashboard, health check and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhibao.core import dashboard as todo
from zhibao.core import selectors


@require_GET
def healthz(request):  # noqa: ANN001, ANN201
    """Liveness + database check for load balancers: 200 when the DB answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": exc.__class__.__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def dashboard(request):  # noqa: ANN001, ANN201
    return render(request, "core/dashboard.html", {"summary": selectors.dashboard_summary(actor=request.user),
                                                   "todo": todo.cards_for(request.user)})


def _wants_json(request) -> bool:  # noqa: ANN001
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def not_found(request, exception=None):  # noqa: ANN001, ANN201
    if _wants_json(request):
        return JsonResponse({"detail": "未找到"}, status=404)
    return render(request, "core/error.html", {"code": 404, "title": "未找到", "text": "页面不存在，或您无权查看。"},
                  status=404)


def forbidden(request, exception=None):  # noqa: ANN001, ANN201
    if _wants_json(request):
        return JsonResponse({"detail": "无权访问"}, status=403)
    return render(request, "core/error.html", {"code": 403, "title": "无权访问", "text": "您的角色不能执行此操作。"},
                  status=403)


def server_error(request):  # noqa: ANN001, ANN201
    if _wants_json(request):
        return JsonResponse({"detail": "服务器内部错误，已记录"}, status=500)
    return render(request, "core/error.html", {"code": 500, "title": "出错了", "text": "服务器内部错误，已记录。"},
                  status=500)
