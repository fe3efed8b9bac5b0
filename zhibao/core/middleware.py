"""Refuses request bodies above the configured upload limit with 413, before reading them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.ZHIBAO_MAX_UPLOAD_BYTES
        if length > limit:
            message = f"上传内容过大：{length / 1048576:.1f} MB，超过上限 {limit // 1048576} MB。"
            if request.path.startswith("/api/") or "json" in request.META.get("HTTP_ACCEPT", ""):
                return JsonResponse({"detail": message, "limit_bytes": limit}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
