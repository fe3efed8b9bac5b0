"""Pages: API tokens and the audit log. Login/logout use Django's views with our form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibao.accounts import selectors, services
from zhibao.accounts.forms import AuditFilterForm, PowerForm, TokenForm
from zhibao.core.errors import Forbidden, InvalidInput, NotFound
from zhibao.core.exports import export_response
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page


@login_required
def tokens(request):  # noqa: ANN001, ANN201
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.issue_token(actor=request.user, **form.cleaned_data)
            messages.success(request, f"已创建令牌“{token.name}”。明文只显示这一次，请立即保存。")
        except InvalidInput as exc:
            for field, reasons in exc.errors.items():
                form.add_error(field if field in form.fields else None, "；".join(reasons))
    return render(request, "accounts/tokens.html", {
        "form": form, "raw_token": raw, "tokens": selectors.tokens_for(actor=request.user),
        "uses": selectors.token_uses_for(actor=request.user),
        "breadcrumbs": [("API 令牌", None)],
    })


@login_required
@require_POST
def revoke_token(request, token_id: int):  # noqa: ANN001, ANN201
    try:
        token = services.revoke_token(actor=request.user, token_id=token_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, f"已吊销令牌“{token.name}”。")
    return redirect("accounts:tokens")


@login_required
def audit_log(request):  # noqa: ANN001, ANN201
    if not request.user.has_perm("accounts.view_audit_log"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        actor=request.user, q=filters.get("q", ""), object_type=filters.get("object_type", ""),
        action=filters.get("action", ""), actor_name=filters.get("actor", ""),
        date_from=filters.get("date_from"), date_to=filters.get("date_to"),
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = ([e.at, e.actor_name, e.role, e.token_id or "", e.action, e.object_type, e.object_id, e.object_repr,
                 e.before, e.after, e.reason, e.ip] for e in entries.iterator())
        return export_response(fmt, "audit-log", ["时间", "操作人", "角色", "令牌", "操作", "对象类型", "对象ID",
                                                  "对象", "修改前", "修改后", "原因", "IP"],
                               ([str(c) if isinstance(c, dict) else c for c in row] for row in rows))
    return render(request, "accounts/audit.html", {
        "form": form, "page": paginate(entries, request.GET.get("page")),
        "querystring": query_without_page(request), "breadcrumbs": [("审计日志", None)],
        "export_base": reverse("accounts:audit") + "?" + query_without_page(request),
    })


@login_required
def powers(request):  # noqa: ANN001, ANN201
    """Powers of attorney: a right holder grants and revokes; an agent sees what it holds."""
    can_grant = request.user.role == "right_holder" and request.user.organisation_id is not None
    form = PowerForm(request.POST or None) if can_grant else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        agent = selectors.find_agent(username_or_phone=d["agent"].strip())
        if agent is None:
            form.add_error("agent", "未找到该代理人账户（用户名或手机号）")
        else:
            try:
                services.grant_power_of_attorney(actor=request.user, agent=agent, principal=request.user.organisation,
                                                 scope=d["scope"], valid_from=d["valid_from"],
                                                 valid_until=d["valid_until"], document_no=d["document_no"])
            except InvalidInput as exc:
                add_service_errors(form, exc)
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            else:
                messages.success(request, f"已授权 {agent} 代理本单位。")
                return redirect("accounts:powers")
    return render(request, "accounts/powers.html", {
        "form": form, "powers": selectors.powers_for(actor=request.user)[:200],
        "breadcrumbs": [("授权委托", None)],
    })


@login_required
@require_POST
def revoke_power(request, power_id: int):  # noqa: ANN001, ANN201
    try:
        services.revoke_power_of_attorney(actor=request.user, power_id=power_id,
                                          reason=request.POST.get("reason", ""))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已撤销授权委托。")
    return redirect("accounts:powers")
