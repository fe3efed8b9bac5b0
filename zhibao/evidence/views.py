"""Pages: my deposits, new deposit, deposit detail with custody, certificate, bundle; public verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibao.core.errors import InvalidInput, NotFound
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.evidence import checklists, selectors, services
from zhibao.evidence.forms import ChecklistForm, DepositForm, VerifyForm

CRUMB = ("电子存证", "/evidence/")


def _get(request, deposit_no: str):  # noqa: ANN001, ANN202
    try:
        return selectors.get_deposit(actor=request.user, deposit_no=deposit_no)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def deposit_list(request):  # noqa: ANN001, ANN201
    deposits = selectors.deposits_visible_to(actor=request.user, q=request.GET.get("q", ""))
    return render(request, "evidence/list.html", {
        "page": paginate(deposits, request.GET.get("page")), "querystring": query_without_page(request),
        "q": request.GET.get("q", ""), "breadcrumbs": [(CRUMB[0], None)],
    })


@login_required
def deposit_create(request):  # noqa: ANN001, ANN201
    form = DepositForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["source_url"]:
                outcome = services.capture_and_deposit(actor=request.user, url=d["source_url"], title=d["title"],
                                                       category=d["category"])
            else:
                outcome = services.make_deposit(actor=request.user, title=d["title"], files=d["files"],
                                                statement=d["statement"], category=d["category"])
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            if outcome.duplicate:
                messages.warning(request, f"该文件已于 {outcome.deposit.deposited_at:%Y-%m-%d %H:%M} 存证，"
                                          f"存证编号 {outcome.deposit.deposit_no}；未重复存证。")
                if not outcome.visible:
                    return redirect("public_evidence:verify")
            else:
                messages.success(request, f"存证成功：{outcome.deposit.deposit_no}")
            return redirect("evidence:detail", deposit_no=outcome.deposit.deposit_no)
    return render(request, "evidence/form.html", {"form": form, "breadcrumbs": [CRUMB, ("新建存证", None)]})


@login_required
def deposit_detail(request, deposit_no: str):  # noqa: ANN001, ANN201
    deposit = _get(request, deposit_no)
    services.record_custody(actor=request.user, deposit=deposit, action="viewed")
    return render(request, "evidence/detail.html", {
        "deposit": deposit, "files": deposit.files.all(), "custody": deposit.custody.select_related("actor"),
        "proof": selectors.proof_payload(deposit), "breadcrumbs": [CRUMB, (deposit.deposit_no, None)],
    })


@login_required
def certificate(request, deposit_no: str):  # noqa: ANN001, ANN201
    deposit = _get(request, deposit_no)
    pdf = services.certificate_pdf(actor=request.user, deposit=deposit,
                                   verify_url=request.build_absolute_uri("/verify/") + f"?deposit_no={deposit_no}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{deposit_no}-certificate.pdf"'
    return response


@login_required
@require_POST
def bundle(request, deposit_no: str):  # noqa: ANN001, ANN201
    deposit = _get(request, deposit_no)
    data = services.export_bundle(actor=request.user, deposit=deposit,
                                  verify_url=request.build_absolute_uri("/verify/"))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{deposit_no}-bundle.zip"'
    return response


def public_verify(request):  # noqa: ANN001, ANN201
    """No login: upload a file or give a hash / deposit number → 核验通过 / 尚未存证 / 比对不一致."""
    form = VerifyForm(request.POST or None, request.FILES or None) if request.method == "POST" else VerifyForm(
        request.GET or None)
    result, error = None, None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        content = d["file"].read() if d.get("file") else None
        try:
            result = services.public_verification(content=content, sha256=d.get("sha256") or "",
                                                  deposit_no=d.get("deposit_no") or "")
        except ValueError as exc:
            error = str(exc)
    status = 400 if error else 200
    return render(request, "evidence/verify.html", {
        "form": form, "result": result, "error": error,
        "proof": selectors.proof_payload(result.deposit) if result and result.deposit else None,
        "public_key": services.verifier_key_text(),
    }, status=status)


@login_required
def checklist(request):  # noqa: ANN001, ANN201
    """Which evidence a channel expects, checked against the user's own deposits."""
    channels = [(code, spec["label"]) for code, spec in checklists.channels().items()]
    mine = selectors.deposits_visible_to(actor=request.user)[:200]
    form = ChecklistForm(request.GET or None, channels=channels,
                         deposits=[(d.deposit_no, f"{d.deposit_no} {d.title}") for d in mine])
    result = None
    if request.GET and form.is_valid():
        result = selectors.checklist_for(actor=request.user, channel=form.cleaned_data["channel"],
                                         deposit_nos=form.cleaned_data["deposits"])
    return render(request, "evidence/checklist.html", {
        "form": form, "result": result, "channels": checklists.channels(), "categories": checklists.categories(),
        "breadcrumbs": [CRUMB, ("渠道证据清单", None)],
    })
