"""Pages: the credit officer's dashboard, credit files, the listing procedure with the actions each side may
take, recording facts by hand, and the public pages (search, dishonesty list, 双公示) with CSV/XLSX export.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.exports import export_response
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.credit import exports, forms, selectors, services
from zhibao.credit.models import Listing
from zhibao.law import uscc as uscc_lib
from zhibao.orgs.models import Organisation

CRUMB = ("信用监管", "/credit/")


def _listing(request, pk: int) -> Listing:  # noqa: ANN001
    try:
        return selectors.get_listing(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def home(request):  # noqa: ANN001, ANN201
    if request.user.has_perm("credit.manage_listing"):
        return redirect("credit:dashboard")
    org_ids = sorted(represented_org_ids(request.user))
    if org_ids:
        return redirect("credit:file", pk=org_ids[0])
    return redirect("credit_public:search")


@login_required
def dashboard(request):  # noqa: ANN001, ANN201
    if not request.user.has_perm("credit.manage_listing"):
        raise Http404("仅信用管理人员可见")
    return render(request, "credit/dashboard.html", {**selectors.dashboard(), "breadcrumbs": [(CRUMB[0], None)]})


@login_required
def credit_file(request, pk: int):  # noqa: ANN001, ANN201
    try:
        org = selectors.get_file_org(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    own_side = request.user.has_perm("credit.manage_listing") or pk in represented_org_ids(request.user)
    return render(request, "credit/file.html", {
        "org": org, "facts": selectors.facts_of(actor=request.user, organisation=org),
        "listings": selectors.listings_of(actor=request.user, organisation=org),
        "checks": selectors.checks_of(organisation=org)[:50] if own_side else None,
        "breadcrumbs": [CRUMB, (f"信用档案：{org.name}", None)]})


@login_required
def listing_detail(request, pk: int, forms_with_errors: dict | None = None):  # noqa: ANN001, ANN201
    listing = _listing(request, pk)
    manage = request.user.has_perm("credit.manage_listing")
    answer = request.user.has_perm("credit.answer_listing", listing)
    ctx = {"listing": listing, "manage": manage, "answer": answer,
           "facts": listing.facts.order_by("occurred_on"), "events": listing.events.all(),
           "decisions": listing.decisions.select_related("superseded_by"),
           "repairs": listing.repairs.select_related("applicant"),
           "reason_form": forms.ReasonForm(), "statement_form": forms.StatementForm(),
           "decision_form": forms.DecisionForm(), "supersede_form": forms.SupersedeForm(),
           "repair_form": forms.RepairForm(), "review_form": forms.RepairReviewForm(),
           "breadcrumbs": [CRUMB, (f"{listing.organisation.name} · {listing.list_type.name}", None)]}
    ctx.update(forms_with_errors or {})
    return render(request, "credit/listing.html", ctx, status=400 if forms_with_errors else 200)


ACTIONS = {
    "review": (None, lambda u, li, d: services.start_review(actor=u, listing=li), "已开始审核"),
    "dismiss": ("reason_form", lambda u, li, d: services.dismiss(actor=u, listing=li, reason=d["reason"]),
                "已决定不予启动"),
    "notice": (None, lambda u, li, d: services.serve_notice(actor=u, listing=li), "已送达告知书"),
    "statement": ("statement_form", lambda u, li, d: services.submit_statement(actor=u, listing=li, text=d["text"]),
                  "陈述申辩意见已提交"),
    "decide": ("decision_form", lambda u, li, d: services.decide(actor=u, listing=li, list_entity=d["list_entity"],
                                                                  reasons=d["reasons"], start_on=d["start_on"]),
               "决定已作出"),
    "publish": (None, lambda u, li, d: services.publish(actor=u, listing=li), "已公示"),
    "supersede": ("supersede_form", lambda u, li, d: services.supersede(
        actor=u, listing=li, reasons=d["reasons"], end_on=d["end_on"], revoke=d["revoke"]), "新决定已作出"),
    "repair": ("repair_form", lambda u, li, d: services.apply_repair(
        actor=u, listing=li, evidence_kinds=d["evidence_kinds"], statement=d["statement"],
        deposit_numbers=d["deposit_numbers"].split(), files=d.get("files") or []), "修复申请已提交"),
}
FORM_CLASSES = {"reason_form": forms.ReasonForm, "statement_form": forms.StatementForm,
                "decision_form": forms.DecisionForm, "supersede_form": forms.SupersedeForm,
                "repair_form": forms.RepairForm}


@login_required
@require_POST
def listing_action(request, pk: int, action: str):  # noqa: ANN001, ANN201
    if action not in ACTIONS:
        raise Http404("未知操作")
    listing = _listing(request, pk)
    form_name, run, done = ACTIONS[action]
    form = FORM_CLASSES[form_name](request.POST, request.FILES) if form_name else None
    if form is not None and not form.is_valid():
        return listing_detail(request, pk, {form_name: form})
    try:
        run(request.user, listing, form.cleaned_data if form else {})
    except InvalidInput as exc:
        if form is None:
            messages.error(request, str(exc))
        else:
            add_service_errors(form, exc)
            return listing_detail(request, pk, {form_name: form})
    except (Conflict, Forbidden) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("credit:listing", pk=pk)


@login_required
@require_POST
def repair_review(request, pk: int):  # noqa: ANN001, ANN201
    try:
        application = selectors.get_repair(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = forms.RepairReviewForm(request.POST)
    if not form.is_valid():
        return listing_detail(request, application.listing_id, {"review_form": form})
    try:
        services.review_repair(actor=request.user, application=application, approve=form.cleaned_data["approve"],
                               reason=form.cleaned_data["reason"])
    except (InvalidInput, Conflict, Forbidden) as exc:
        messages.error(request, str(exc) if isinstance(exc, InvalidInput) else exc.message)
    else:
        messages.success(request, "修复申请已审核")
    return redirect("credit:listing", pk=application.listing_id)


@login_required
def fact_create(request):  # noqa: ANN001, ANN201
    if not request.user.has_perm("credit.record_fact"):
        raise Http404("仅法院联络员和信用管理人员可记录信用信息")
    form = forms.FactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        code = uscc_lib.normalise(d.pop("uscc"))
        org = Organisation.objects.filter(uscc=code).first()
        if org is None:
            form.add_error("uscc", "该代码未登记为市场主体（请先在市场主体中登记）")
        else:
            try:
                fact = services.record_fact(actor=request.user, organisation=org, source_type="manual", **d)
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已记录：{fact}")
                return redirect("credit:file", pk=org.pk)
    return render(request, "credit/fact_form.html", {"form": form, "breadcrumbs": [CRUMB, ("记录信用信息", None)]},
                  status=400 if form.errors else 200)


# --- public pages (no login) -------------------------------------------------------------------------

def public_search(request):  # noqa: ANN001, ANN201
    q = request.GET.get("q", "").strip()
    return render(request, "credit/public_search.html", {"q": q, "results": selectors.public_search(q=q)})


def public_org(request, pk: int):  # noqa: ANN001, ANN201
    try:
        org = selectors.public_org(pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    listings = selectors.listings_of(actor=request.user, organisation=org).filter(status__in=selectors.PUBLIC_STATES)
    return render(request, "credit/public_org.html", {
        "org": org, "name": selectors.public_name(org), "listings": listings,
        "dual": selectors.dual_publicity(organisation=org)[:100],
        "representative": selectors.mask_person(org.legal_representative)})


def public_list(request):  # noqa: ANN001, ANN201
    q, list_type, district = (request.GET.get(k, "") for k in ("q", "list_type", "district"))
    listings = selectors.public_listings(q=q, list_type=list_type, district=district)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, "dishonesty-list", exports.LIST_COLUMNS, exports.list_rows(listings))
    page = paginate(listings, request.GET.get("page"))
    for listing in page:
        listing.shown_name = selectors.public_name(listing.organisation)
    return render(request, "credit/public_list.html", {
        "page": page, "querystring": query_without_page(request), "q": q,
        "list_type": list_type, "district": district, "list_types": selectors.list_types(),
        "columns": exports.LIST_COLUMNS})


def public_dual(request):  # noqa: ANN001, ANN201
    q, kind = request.GET.get("q", ""), request.GET.get("kind", "")
    facts = selectors.dual_publicity(q=q, kind=kind)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, "dual-publicity", exports.DUAL_COLUMNS, exports.dual_rows(facts))
    page = paginate(facts, request.GET.get("page"))
    for fact in page:
        fact.shown_name = selectors.public_name(fact.organisation)
    return render(request, "credit/public_dual.html", {
        "page": page, "querystring": query_without_page(request), "q": q,
        "kind": kind, "columns": exports.DUAL_COLUMNS})


