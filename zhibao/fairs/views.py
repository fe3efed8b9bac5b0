"""Pages: fairs and their booths, the exhibitor's filings and pledge, the on-site complaint form (mobile-first),
complaint handling on the 24-hour clock, and the organiser's post-fair report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.forms import add_service_errors
from zhibao.fairs import selectors, services
from zhibao.fairs.forms import ComplaintForm, ExhibitorForm, FairForm, FilingForm, HandleForm, PledgeForm
from zhibao.orgs.models import District, Organisation
from zhibao.rights.models import Right
from zhibao.rights.selectors import rights_visible_to

CRUMB = ("展会保护", "/fairs/")


def _or_404(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def fair_list(request):  # noqa: ANN001, ANN201
    return render(request, "fairs/list.html", {"fairs": selectors.fairs(),
                                               "mine": selectors.my_exhibitions(actor=request.user),
                                               "breadcrumbs": [(CRUMB[0], None)]})


@login_required
def fair_detail(request, pk: int):  # noqa: ANN001, ANN201
    fair = _or_404(selectors.get_fair, pk=pk)
    organiser = request.user.has_perm("fairs.manage_fair", fair)
    return render(request, "fairs/fair.html", {
        "fair": fair, "exhibitors": selectors.exhibitors_of(fair=fair), "organiser": organiser,
        "complaints": selectors.complaints_visible_to(actor=request.user, fair=fair),
        "report": selectors.post_fair_report(fair=fair) if organiser or request.user.role in (
            "officer", "district_admin", "city_admin", "credit_officer") else None,
        "may_complain": bool(represented_org_ids(request.user, "notices")), "exhibitor_form": ExhibitorForm(),
        "breadcrumbs": [CRUMB, (fair.name, None)]})


@login_required
def exhibitor_detail(request, pk: int):  # noqa: ANN001, ANN201
    exhibitor = _or_404(selectors.get_exhibitor, actor=request.user, pk=pk)
    own = request.user.has_perm("fairs.act_as_exhibitor", exhibitor)
    rights = rights_visible_to(actor=request.user).filter(owner_id=exhibitor.organisation_id,
                                                          status=Right.Status.VALID)
    filing_form = FilingForm(request.POST or None, request.FILES or None,
                             rights=[("", "（上传证书）")] + [(r.pk, str(r)) for r in rights], prefix="filing")
    pledge_form = PledgeForm(request.POST or None, prefix="pledge")
    if request.method == "POST" and own:
        try:
            if "filing-exhibit" in request.POST and filing_form.is_valid():
                d = filing_form.cleaned_data
                services.file_exhibit(actor=request.user, exhibitor=exhibitor, exhibit=d["exhibit"],
                                      right=rights.filter(pk=d["right"]).first() if d["right"] else None,
                                      certificate=d["certificate"], certificate_no=d["certificate_no"])
                messages.success(request, "展品已报备")
                return redirect("fairs:exhibitor", pk=pk)
            if "pledge-signer_name" in request.POST and pledge_form.is_valid():
                d = pledge_form.cleaned_data
                pledge = services.sign_pledge(actor=request.user, exhibitor=exhibitor, signer_name=d["signer_name"],
                                              agree=d["agree"])
                messages.success(request, f"承诺已签署并存证：{pledge.deposit.deposit_no}")
                return redirect("fairs:exhibitor", pk=pk)
        except InvalidInput as exc:
            add_service_errors(filing_form if "filing-exhibit" in request.POST else pledge_form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
    return render(request, "fairs/exhibitor.html", {
        "exhibitor": exhibitor, "own": own, "filings": exhibitor.filings.select_related("right"),
        "pledge": getattr(exhibitor, "pledge", None) if hasattr(exhibitor, "pledge") else None,
        "pledge_text": services.PLEDGE_TEXT, "filing_form": filing_form, "pledge_form": pledge_form,
        "breadcrumbs": [CRUMB, (exhibitor.fair.name, f"/fairs/{exhibitor.fair_id}/"), (exhibitor.booth, None)]})


@login_required
def complaint_create(request, pk: int):  # noqa: ANN001, ANN201
    fair = _or_404(selectors.get_fair, pk=pk)
    org_ids = represented_org_ids(request.user, scope="notices")
    if not org_ids:
        raise Http404("您不代表任何权利人")
    complainants = Organisation.objects.filter(pk__in=org_ids)
    rights = rights_visible_to(actor=request.user).filter(owner_id__in=org_ids, status=Right.Status.VALID)
    booths = selectors.exhibitors_of(fair=fair).exclude(organisation_id__in=org_ids)
    form = ComplaintForm(request.POST or None, request.FILES or None,
                         booths=[(e.pk, str(e)) for e in booths], complainants=[(o.pk, o.name) for o in complainants],
                         rights=[(r.pk, str(r)) for r in rights])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            complaint = services.file_complaint(
                actor=request.user, respondent=booths.get(pk=d["respondent"]),
                complainant=complainants.get(pk=d["complainant"]), right_ids=[int(r) for r in d["rights"]],
                description=d["description"], photos=d["photos"])
        except InvalidInput as exc:
            add_service_errors(form, exc, aliases={"right_ids": "rights", "files": "photos"})
        except Forbidden as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"投诉 {complaint.number} 已提交，主办方须于 24 小时内处理")
            return redirect("fairs:complaint", pk=complaint.pk)
    return render(request, "fairs/complaint_form.html", {"form": form, "fair": fair,
                                                         "breadcrumbs": [CRUMB, (fair.name, f"/fairs/{pk}/"),
                                                                         ("现场投诉", None)]})


@login_required
def complaint_detail(request, pk: int):  # noqa: ANN001, ANN201
    complaint = _or_404(selectors.get_complaint, actor=request.user, pk=pk)
    may_handle = complaint.status == "open" and (request.user.has_perm("fairs.manage_fair", complaint.fair)
                                                 or request.user.role in ("officer", "district_admin"))
    form = HandleForm(request.POST or None)
    if request.method == "POST" and may_handle and form.is_valid():
        try:
            services.handle_complaint(actor=request.user, complaint=complaint, outcome=form.cleaned_data["outcome"],
                                      note=form.cleaned_data["note"])
        except InvalidInput as exc:
            add_service_errors(form, exc)
        except (Conflict, Forbidden) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已处理")
            return redirect("fairs:complaint", pk=pk)
    return render(request, "fairs/complaint.html", {
        "complaint": complaint, "events": complaint.events.all(), "form": form, "may_handle": may_handle,
        "case_visible": complaint.case is not None and request.user.has_perm("cases.view_case", complaint.case),
        "now": timezone.now(), "breadcrumbs": [CRUMB, (complaint.fair.name, f"/fairs/{complaint.fair_id}/"),
                                               (complaint.number, None)]})


@login_required
def fair_create(request):  # noqa: ANN001, ANN201
    """An organiser (a platform-operator user of a fair-organiser organisation) registers a fair."""
    user = request.user
    if user.role != "platform_operator" or user.organisation is None or \
            user.organisation.sector != Organisation.Sector.FAIR_ORGANISER:
        raise Http404("只有展会主办方可以登记展会")
    form = FairForm(request.POST or None, districts=District.objects.order_by("code").values_list("code", "name"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            fair = services.register_fair(actor=user, organiser=user.organisation, name=d["name"], venue=d["venue"],
                                          district_code=d["district_code"], starts_on=d["starts_on"],
                                          ends_on=d["ends_on"])
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "展会已登记")
            return redirect("fairs:fair", pk=fair.pk)
    return render(request, "fairs/fair_form.html", {"form": form, "breadcrumbs": [CRUMB, ("登记展会", None)]})


@login_required
def exhibitor_add(request, pk: int):  # noqa: ANN001, ANN201
    fair = _or_404(selectors.get_fair, pk=pk)
    if request.method != "POST" or not request.user.has_perm("fairs.manage_fair", fair):
        raise Http404("只有主办方可以登记参展商")
    form = ExhibitorForm(request.POST)
    if form.is_valid():
        org = Organisation.objects.filter(uscc=form.cleaned_data["uscc"].strip().upper()).first()
        if org is None:
            messages.error(request, "未登记的统一社会信用代码：请先在“市场主体”中登记参展商")
        else:
            try:
                services.add_exhibitor(actor=request.user, fair=fair, organisation=org,
                                       booth=form.cleaned_data["booth"])
            except InvalidInput as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已登记参展商 {org.name}")
    else:
        messages.error(request, "请填写统一社会信用代码和展位号")
    return redirect("fairs:fair", pk=pk)
