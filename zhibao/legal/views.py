"""Pages over the law engine: code check, deadline and damages calculators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhibao.law import uscc as uscc_lib


@login_required
def index(request):  # noqa: ANN001, ANN201
    return render(request, "legal/index.html", {"breadcrumbs": [("法律计算", None)]})


@login_required
def uscc_check(request):  # noqa: ANN001, ANN201
    code = request.GET.get("code", "").strip()
    result = uscc_lib.validate(code) if code else None
    template = "legal/_uscc_result.html" if request.headers.get("HX-Request") else "legal/uscc.html"
    return render(request, template, {"code": code, "result": result,
                                      "breadcrumbs": [("法律计算", "/law/"), ("统一社会信用代码校验", None)]})
