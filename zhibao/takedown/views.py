"""Pages: the platform queue with SLA timers, notices (file, follow, withdraw), the listing timeline with the
actions each party may take, the seller's counter-notice page, metrics, and the public art. 44 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.core import optional_apps
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.orgs.models import Organisation
from zhibao.rights.selectors import rights_visible_to
from zhibao.takedown import forms, selectors, services

CRUMB = ("通知-删除", "/takedown/")


def _item(request, pk: int):  # noqa: ANN001, ANN202
    try:
        return selectors.get_item(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _notice(request, pk: int):  # noqa: ANN001, ANN202
    try:
        return selectors.get_notice(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def home(request):  # noqa: ANN001, ANN201
    if request.user.role == Role.PLATFORM_OPERATOR and selectors.platforms_operated_by(request.user).exists():
        return redirect("takedown:queue")
    if request.user.role in (Role.RIGHT_HOLDER, Role.AGENT) and not represented_org_ids(request.user, "notices"):
        return redirect("takedown:seller")
    return redirect("takedown:notices")


@login_required
def queue(request):  # noqa: ANN001, ANN201
    status = request.GET.get("status", "pending")
    try:
        page = selectors.queue_page(actor=request.user, status=status, after=request.GET.get("after", ""),
                                    before=request.GET.get("before", ""))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except InvalidInput as exc:
        return HttpResponseBadRequest(str(exc))
    return render(request, "takedown/queue.html", {
        "platform": page.platform, "page": page, "status": status, "now": timezone.now(),
        "breadcrumbs": [CRUMB, ("平台队列", None)],
        "tabs": [("pending", "待处理"), ("countered", "待转送声明"), ("clock", "15 日期间中"), ("", "全部")],
    })


@login_required
def metrics(request):  # noqa: ANN001, ANN201
    try:
        platform = selectors.platform_of(request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    months = selectors.monthly_metrics(platform=platform)
    return render(request, "takedown/metrics.html", {
        "platform": platform, "overall": selectors.metrics(platform=platform), "months": months,
        "breadcrumbs": [CRUMB, ("平台指标", None)]})


@login_required
def notice_list(request):  # noqa: ANN001, ANN201
    notices = selectors.notices_visible_to(actor=request.user)
    return render(request, "takedown/notices.html", {
        "page": paginate(notices, request.GET.get("page")), "querystring": query_without_page(request),
        "may_file": bool(represented_org_ids(request.user, "notices")), "breadcrumbs": [(CRUMB[0], None)]})


@login_required
def notice_create(request):  # noqa: ANN001, ANN201
    org_ids = represented_org_ids(request.user, scope="notices")
    if not org_ids:
        raise Http404("您不代表任何权利人")
    notifiers = Organisation.objects.filter(pk__in=org_ids).order_by("name")
    rights = rights_visible_to(actor=request.user).filter(owner_id__in=org_ids).exclude(right_type="trade_secret")
    platforms = selectors.all_platforms()
    initial, draft = {"kind": request.GET.get("kind", "standard")}, None
    if request.GET.get("from_alert"):
        try:
            draft = optional_apps.monitoring_alert_draft(actor=request.user, alert_id=request.GET["from_alert"])
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        if draft is not None:
            initial |= forms.initial_from_alert(draft)
    form = forms.NoticeForm(request.POST or None, initial=initial,
                            platforms=[(p.pk, p.name) for p in platforms],
                            notifiers=[(o.pk, o.name) for o in notifiers],
                            rights=[(r.pk, f"{r} · {r.owner.name} · {r.get_status_display()}") for r in rights])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            deposit_nos = forms.split_numbers(d["deposit_nos"])
            if d["capture_url"]:
                deposit_nos.append(services.capture_listing_page(actor=request.user, url=d["capture_url"]))
            notice = services.file_notice(
                actor=request.user, notifier=notifiers.get(pk=d["notifier"]), platform=platforms.get(pk=d["platform"]),
                right_ids=[int(r) for r in d["rights"]], listings=form.listing_rows(), statement=d["statement"],
                goods_class=d["goods_class"], deposit_nos=deposit_nos, kind=d["kind"])
        except InvalidInput as exc:
            add_service_errors(form, exc, aliases={"right_ids": "rights"})
        else:
            messages.success(request, f"通知 {notice.number} 已提交平台")
            return redirect("takedown:notice", pk=notice.pk)
    return render(request, "takedown/notice_form.html", {"form": form, "draft": draft,
                                                         "breadcrumbs": [CRUMB, ("发出通知", None)]})


@login_required
def notice_detail(request, pk: int):  # noqa: ANN001, ANN201
    notice = _notice(request, pk)
    items = notice.items.select_related("listing", "listing__shop", "joined_to__notice")
    return render(request, "takedown/notice.html", {
        "notice": notice, "items": items, "quality": selectors.notifier_quality(notifier_id=notice.notifier_id),
        "may_withdraw": request.user.has_perm("takedown.withdraw_notice", notice) and notice.status == "open",
        "may_find": request.user.has_perm("takedown.find_malicious", notice) and not notice.malicious,
        "reason_form": forms.ReasonForm(), "breadcrumbs": [CRUMB, (notice.number, None)]})


@login_required
@require_POST
def notice_withdraw(request, pk: int):  # noqa: ANN001, ANN201
    notice = _notice(request, pk)
    return _run(request, lambda: services.withdraw_notice(actor=request.user, notice=notice,
                                                          reason=request.POST.get("reason", "")),
                "通知已撤回", "takedown:notice", pk)


@login_required
@require_POST
def notice_malicious(request, pk: int):  # noqa: ANN001, ANN201
    notice = _notice(request, pk)
    return _run(request, lambda: services.find_malicious(actor=request.user, notice=notice,
                                                         reason=request.POST.get("reason", ""),
                                                         wilful=bool(request.POST.get("wilful"))),
                "已记录认定，并报送信用档案", "takedown:notice", pk)


def _run(request, action, ok: str, target: str, pk: int):  # noqa: ANN001, ANN202
    """Run one service call from a small form; errors become a message (the page shows the state)."""
    try:
        action()
    except InvalidInput as exc:
        messages.error(request, str(exc))
    except (Conflict, Forbidden) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect(target, pk=pk)


@login_required
def item_detail(request, pk: int):  # noqa: ANN001, ANN201
    item = _item(request, pk)
    user = request.user
    return render(request, "takedown/item.html", {
        "item": item, "timeline": selectors.timeline(item=item),
        "relist_flags": item.listing.relist_flags.select_related("fingerprint__listing"),
        "counter": getattr(item, "counter_notice", None) if hasattr(item, "counter_notice") else None,
        "proceedings": item.proceedings.all(),
        "is_operator": user.has_perm("takedown.decide_item", item),
        "is_seller": user.has_perm("takedown.counter_item", item),
        "is_notifier": user.has_perm("takedown.act_as_notifier", item),
        "measure_form": forms.MeasureForm(), "counter_form": forms.CounterForm(),
        "proceeding_form": forms.ProceedingForm(), "extend_form": forms.ExtendForm(),
        "breadcrumbs": [CRUMB, (item.notice.number, f"/takedown/notices/{item.notice_id}/"),
                        (item.listing.listing_id, None)]})


@login_required
@require_POST
def item_action(request, pk: int, action: str):  # noqa: ANN001, ANN201
    item = _item(request, pk)
    user, post = request.user, request.POST
    actions = {
        "measure": (lambda: services.decide(actor=user, item=item, measure=post.get("measure", ""),
                                            reason=post.get("reason", "")), "已采取措施"),
        "served": (lambda: services.record_served(actor=user, item=item), "已登记送达经营者"),
        "forward": (lambda: services.forward_counter_notice(actor=user, item=item), "声明已转送通知人，15 日期间开始"),
        "counter": (lambda: services.file_counter_notice(
            actor=user, item=item, statement=post.get("statement", ""),
            deposit_nos=forms.split_numbers(post.get("deposit_nos", ""))), "不侵权声明已提交平台"),
        "proceeding": (lambda: services.attach_proceeding(
            actor=user, item=item, case_number=post.get("case_number", ""), reference=post.get("reference", ""),
            authority=post.get("authority", ""), document=request.FILES.get("document")), "已提交，期间停止，措施维持"),
        "extend": (lambda: services.extend_clock(actor=user, item=item, working_days=_int(post.get("working_days")),
                                                 reason=post.get("reason", "")), "期间已延长"),
    }
    if action not in actions:
        return HttpResponseBadRequest("未知操作")
    run, ok = actions[action]
    return _run(request, run, ok, "takedown:item", pk)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@login_required
def seller(request):  # noqa: ANN001, ANN201
    items = selectors.seller_items(actor=request.user)
    return render(request, "takedown/seller.html", {
        "page": paginate(items, request.GET.get("page")), "querystring": query_without_page(request),
        "breadcrumbs": [CRUMB, ("我的被通知商品", None)]})


def public(request):  # noqa: ANN001, ANN201
    q = request.GET.get("q", "")
    page = paginate(selectors.public_notices(q=q), request.GET.get("page"), per_page=20)
    for notice in page:
        notice.public_items = [
            {"listing_id": i.listing.listing_id, "title": i.listing.title,
             "seller": selectors.mask_name(i.listing.shop.seller_name, i.listing.shop.seller_uscc),
             "status": i.get_status_display(), "measure": i.get_measure_display(),
             "counter": hasattr(i, "counter_notice")} for i in notice.items.all()]
    return render(request, "takedown/public.html", {"page": page, "q": q, "querystring": query_without_page(request)})


@login_required
def live(request):  # noqa: ANN001, ANN201
    """The broadcaster's page: live URLs under notice, each with its minutes-long SLA; refreshes itself."""
    items = selectors.live_items(actor=request.user)
    template = "takedown/_live_rows.html" if request.headers.get("HX-Request") else "takedown/live.html"
    return render(request, template, {"items": items, "now": timezone.now(),
                                      "may_file": bool(represented_org_ids(request.user, "notices")),
                                      "breadcrumbs": [CRUMB, ("直播保护", None)]})


@login_required
def listing_detail(request, pk: int):  # noqa: ANN001, ANN201
    try:
        listing = selectors.get_listing(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "takedown/listing.html", {
        "listing": listing, "timeline": listing.events.select_related("item__notice"),
        "items": listing.items.select_related("notice"),
        "relist_flags": listing.relist_flags.select_related("fingerprint__listing"),
        "is_operator": request.user.has_perm("takedown.operate_platform", listing.platform),
        "breadcrumbs": [CRUMB, (listing.listing_id, None)]})


@login_required
@require_POST
def relist_confirm(request, pk: int):  # noqa: ANN001, ANN201
    """The platform confirms a relisting flag shown on the listing page (feeds the seller's credit file)."""
    try:
        flag = selectors.get_relist_flag(actor=request.user, pk=pk)
        services.confirm_relisting(actor=request.user, flag=flag, note=request.POST.get("note", ""))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认重新上架，并报送经营者信用档案")
    return redirect("takedown:listing", pk=flag.listing_id)


@login_required
def platform_settings(request):  # noqa: ANN001, ANN201
    """A platform operator registers the organisation as a platform, or changes its SLA, on-call and webhook."""
    user = request.user
    if user.role != Role.PLATFORM_OPERATOR or not user.organisation_id:
        raise Http404("只有平台运营人员可以设置平台")
    platform = selectors.platforms_operated_by(user).first()
    people = services.operators(platform) if platform else [user]
    initial = ({"name": platform.name, "sla_hours": platform.sla_hours, "fast_lane_hours": platform.fast_lane_hours,
                "live_sla_minutes": platform.live_sla_minutes, "oncall": platform.oncall_id or "",
                "webhook_url": platform.webhook_url} if platform else {"name": user.organisation.name})
    form = forms.PlatformForm(request.POST or None, initial=initial, operators=[(u.pk, str(u)) for u in people])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        oncall = next((u for u in people if str(u.pk) == d["oncall"]), None)
        try:
            if platform is None:
                platform = services.register_platform(actor=user, organisation=user.organisation, name=d["name"],
                                                      sla_hours=d["sla_hours"], fast_lane_hours=d["fast_lane_hours"],
                                                      live_sla_minutes=d["live_sla_minutes"], oncall=oncall)
            services.configure_platform(actor=user, platform=platform, sla_hours=d["sla_hours"],
                                        fast_lane_hours=d["fast_lane_hours"], live_sla_minutes=d["live_sla_minutes"],
                                        oncall=oncall, webhook_url=d["webhook_url"],
                                        webhook_secret=d["webhook_secret"])
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "平台设置已保存")
            return redirect("takedown:platform")
    return render(request, "takedown/platform.html", {"form": form, "platform": platform,
                                                      "breadcrumbs": [CRUMB, ("平台设置", None)]})
