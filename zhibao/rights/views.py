"""Pages for the rights register: search, detail with licences and history, register, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from zhibao.accounts.selectors import history_of, represented_org_ids
from zhibao.core.errors import Forbidden, InvalidInput, NotFound
from zhibao.core.exports import csv_bytes, export_response
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.orgs.selectors import get_organisation, organisations_visible_to, registered_organisations
from zhibao.rights import importing, selectors, services
from zhibao.rights.forms import ImportForm, LicenceForm, RightFilterForm, RightForm

CRUMB = ("权利登记", "/rights/")


def _get(request, pk: int):  # noqa: ANN001, ANN202
    try:
        return selectors.get_right(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _owners(user):  # noqa: ANN001, ANN202
    """Organisations the user may register rights for (their own side; admins: everyone)."""
    if user.role in ("city_admin", "district_admin"):
        return organisations_visible_to(actor=user)
    return organisations_visible_to(actor=user).filter(pk__in=represented_org_ids(user, scope="rights"))


@login_required
def right_list(request):  # noqa: ANN001, ANN201
    form = RightFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    rights = selectors.rights_visible_to(
        actor=request.user, q=f.get("q", ""), right_type=f.get("right_type", ""), status=f.get("status", ""),
        owner=f.get("owner", ""), nice_class=str(f["nice_class"]) if f.get("nice_class") else "",
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, "rights", importing.COLUMNS, importing.export_rows(rights))
    return render(request, "rights/list.html", {
        "form": form, "page": paginate(rights, request.GET.get("page")), "querystring": query_without_page(request),
        "can_add": request.user.has_perm("rights.add_right"), "breadcrumbs": [(CRUMB[0], None)],
    })


@login_required
def right_detail(request, pk: int):  # noqa: ANN001, ANN201
    right = _get(request, pk)
    can_edit = request.user.has_perm("rights.change_right", right)
    return render(request, "rights/detail.html", {
        "right": right, "can_edit": can_edit,
        "show_secret": request.user.has_perm("rights.view_secret", right),
        "licences": right.licences.select_related("licensee"),
        "licence_form": LicenceForm(licensees=registered_organisations().exclude(pk=right.owner_id)) if can_edit else None,
        "history": history_of(object_type="rights.right", object_id=right.pk)[:50],
        "breadcrumbs": [CRUMB, (right.title, None)],
    })


@login_required
def right_create(request):  # noqa: ANN001, ANN201
    if not request.user.has_perm("rights.add_right"):
        raise PermissionDenied
    owners = list(_owners(request.user)[:500])
    form = RightForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            owner = get_organisation(actor=request.user, pk=int(data.pop("owner")))
            right = services.register_right(actor=request.user, owner=owner, **data)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        except (Forbidden, NotFound) as exc:
            form.add_error("owner", exc.message)
        else:
            messages.success(request, f"已登记：{right}")
            return redirect("rights:detail", pk=right.pk)
    return render(request, "rights/form.html", {"form": form, "title": "登记权利",
                                                "breadcrumbs": [CRUMB, ("登记", None)]})


@login_required
def licence_add(request, pk: int):  # noqa: ANN001, ANN201
    right = _get(request, pk)
    form = LicenceForm(request.POST or None, licensees=registered_organisations().exclude(pk=right.owner_id))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            licensee = registered_organisations().get(pk=int(data.pop("licensee")))
            services.add_licence(actor=request.user, right=right, licensee=licensee, **data)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except InvalidInput as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已登记许可。")
    elif request.method == "POST":
        messages.error(request, "许可信息有误：" + "；".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return redirect("rights:detail", pk=right.pk)


@login_required
def right_import(request):  # noqa: ANN001, ANN201
    if not request.user.has_perm("rights.add_right"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    batch = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.import_rights(actor=request.user, filename=upload.name, content=upload.read())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            level = messages.SUCCESS if not batch.error_rows else messages.WARNING
            messages.add_message(request, level, f"共 {batch.total_rows} 行：导入 {batch.imported_rows} 行，"
                                                 f"{batch.error_rows} 行有误。")
    return render(request, "rights/import.html", {
        "form": form, "batch": batch, "columns": importing.COLUMNS,
        "batches": selectors.import_batches(actor=request.user)[:10],
        "breadcrumbs": [CRUMB, ("批量导入", None)],
    })


@login_required
def import_template(request):  # noqa: ANN001, ANN201
    sample = [["trademark", "12345678", "示例商标", "91110108XXXXXXXXXX", "valid", "2020-01-01", "2030-01-01", "",
               "", "", "9,35", "计算机软件", "", "", "", ""]]
    response = HttpResponse(csv_bytes(importing.COLUMNS, sample), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rights-template.csv"'
    return response


@login_required
def import_report(request, pk: int):  # noqa: ANN001, ANN201
    try:
        batch = selectors.get_import_batch(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(batch.error_report.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
    return response
