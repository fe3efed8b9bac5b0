"""Pages: the inbox (filter unread / by kind), open one (marks it read, follows its link), mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhibao.core.errors import NotFound
from zhibao.core.pagination import paginate, query_without_page
from zhibao.notifications import selectors, services


@login_required
def inbox(request):  # noqa: ANN001, ANN201
    unread_only = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "").strip()
    items = selectors.notifications_for(request.user, unread_only=unread_only, kind=kind)
    return render(request, "notifications/list.html", {
        "page": paginate(items, request.GET.get("page")), "querystring": query_without_page(request),
        "unread_only": unread_only, "kind": kind, "breadcrumbs": [("站内通知", None)],
    })


@login_required
def open_notification(request, notification_id: int):  # noqa: ANN001, ANN201
    try:
        note = selectors.notification_for(request.user, notification_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    services.mark_read(user=request.user, ids=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request):  # noqa: ANN001, ANN201
    count = services.mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications:list")
