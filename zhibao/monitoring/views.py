"""Monitoring pages: alert list with precision per watch list, side-by-side view, triage, draft notice,
announcement import, watch-list setup and the enterprise risk check (with PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.exports import export_response
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.monitoring import importing, risk, selectors, services
from zhibao.monitoring.forms import (
    AlertFilterForm,
    AnnouncementForm,
    DismissForm,
    RiskForm,
    ThresholdForm,
    WatchListForm,
)
from zhibao.orgs.selectors import organisations_visible_to
from zhibao.rights.models import Right

CRUMB = ("预警监测", "/monitoring/")


def _alert(request, pk: int):  # noqa: ANN001, ANN202
    try:
        return selectors.get_alert(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def home(request):  # noqa: ANN001, ANN201
    form = AlertFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    wl = request.GET.get("watch_list")
    alerts = selectors.alerts_visible_to(actor=request.user, q=f.get("q", ""), status=f.get("status", ""),
                                         kind=f.get("kind", ""), watch_list=int(wl) if (wl or "").isdigit() else None)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, "alerts", selectors.EXPORT_COLUMNS, selectors.export_rows(alerts))
    lists = list(selectors.watch_lists_visible_to(actor=request.user))
    return render(request, "monitoring/home.html", {
        "form": form, "page": paginate(alerts, request.GET.get("page")), "querystring": query_without_page(request),
        "watch_lists": [(w, selectors.precision_of(w), request.user.has_perm("monitoring.change_watchlist", w))
                        for w in lists],
        "can_add": request.user.has_perm("monitoring.add_watchlist"),
        "can_submit": request.user.has_perm("monitoring.submit_items"), "breadcrumbs": [(CRUMB[0], None)],
    })


@login_required
def alert_detail(request, pk: int):  # noqa: ANN001, ANN201
    alert = _alert(request, pk)
    return render(request, "monitoring/alert.html", {
        "alert": alert, "s": alert.screening, "r": alert.right, "events": alert.events.select_related("actor"),
        "can_triage": request.user.has_perm("monitoring.triage_alert", alert.watch_list),
        "dismiss_form": DismissForm(), "breadcrumbs": [CRUMB, (f"预警 #{alert.pk}", None)],
    })


@login_required
@require_POST
def alert_dismiss(request, pk: int):  # noqa: ANN001, ANN201
    alert = _alert(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写排除理由")
        return redirect("monitoring:alert", pk=pk)
    try:
        services.dismiss_alert(actor=request.user, alert=alert, reason=form.cleaned_data["reason"],
                               true_positive=form.cleaned_data["true_positive"])
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except (InvalidInput, Conflict) as exc:
        messages.error(request, str(exc) if isinstance(exc, InvalidInput) else exc.message)
    else:
        messages.success(request, "已排除该预警")
    return redirect("monitoring:alert", pk=pk)


@login_required
@require_POST
def alert_confirm(request, pk: int):  # noqa: ANN001, ANN201
    alert = _alert(request, pk)
    try:
        out = services.confirm_alert(actor=request.user, alert=alert, capture_url=bool(request.POST.get("capture")))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except (InvalidInput, Conflict) as exc:
        messages.error(request, str(exc) if isinstance(exc, InvalidInput) else exc.message)
        return redirect("monitoring:alert", pk=pk)
    messages.success(request, f"已确认并存证：{out.deposit.deposit_no}")
    return redirect("monitoring:alert", pk=pk)


@login_required
def alert_draft(request, pk: int):  # noqa: ANN001, ANN201
    """The draft notice (listing/page) or opposition outline (application) built from a confirmed alert."""
    alert = _alert(request, pk)
    if alert.deposit_id is None:
        messages.error(request, "请先确认预警并存证，再起草通知")
        return redirect("monitoring:alert", pk=pk)
    return render(request, "monitoring/draft.html", {
        "alert": alert, "draft": services.draft_of(alert), "comparison": services.side_by_side_text(alert),
        "breadcrumbs": [CRUMB, (f"预警 #{alert.pk}", f"/monitoring/alerts/{alert.pk}/"), ("通知草稿", None)],
    })


@login_required
@require_POST
def threshold(request, pk: int):  # noqa: ANN001, ANN201
    try:
        wl = selectors.get_watch_list(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, "阈值应为 0.30–1.00 之间的数")
        return redirect("monitoring:home")
    try:
        services.set_threshold(actor=request.user, watch_list=wl, threshold=form.cleaned_data["threshold"])
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"「{wl.name}」阈值已调整为 {form.cleaned_data['threshold']}")
    return redirect("monitoring:home")


@login_required
def watch_list_create(request):  # noqa: ANN001, ANN201
    own = represented_org_ids(request.user, scope="rights")
    owners = organisations_visible_to(actor=request.user).filter(pk__in=own)
    rights = Right.objects.filter(owner_id__in=own, right_type__in=services.WATCHABLE).select_related("owner")
    form = WatchListForm(request.POST or None, owners=owners, rights=rights)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.create_watch_list(actor=request.user, owner=d["owner"], name=d["name"],
                                       right_ids=[r.pk for r in d["rights"]], threshold=d["threshold"])
        except InvalidInput as exc:
            add_service_errors(form, exc, {"right_ids": "rights"})
        except Forbidden as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已建立监测清单：{d['name']}")
            return redirect("monitoring:home")
    return render(request, "monitoring/watch_list_form.html", {
        "form": form, "breadcrumbs": [CRUMB, ("建立监测清单", None)]})


@login_required
def announcement_import(request):  # noqa: ANN001, ANN201
    form = AnnouncementForm(request.POST or None, request.FILES or None)
    created = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = importing.import_announcement(actor=request.user, filename=upload.name,
                                                    content=upload.read())
        except InvalidInput as exc:
            for field, reasons in exc.errors.items():
                form.add_error(None, f"{field}：{'；'.join(reasons)}" if field != "file" else "；".join(reasons))
        except Forbidden as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已导入 {len(created)} 条，正在后台筛查；预警将出现在预警列表并通知权利人")
    return render(request, "monitoring/import.html", {
        "form": form, "created": created, "header": importing.TEMPLATE_HEADER,
        "breadcrumbs": [CRUMB, ("导入商标公告", None)]})


@login_required
def risk_check(request):  # noqa: ANN001, ANN201
    form = RiskForm(request.GET if "name" in request.GET else None)
    report = chart = None
    if form.is_bound and form.is_valid():
        try:
            report = risk.risk_check(actor=request.user, name=form.cleaned_data["name"],
                                     nice_classes=form.cleaned_data["nice_classes"])
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            if request.GET.get("pdf"):
                response = HttpResponse(risk.report_pdf(report), content_type="application/pdf")
                response["Content-Disposition"] = 'attachment; filename="risk-report.pdf"'
                return response
            chart = risk.chart_svg(report)
    return render(request, "monitoring/risk.html", {
        "form": form, "report": report, "chart": chart, "querystring": request.GET.urlencode(),
        "breadcrumbs": [CRUMB, ("名称风险预警", None)]})


