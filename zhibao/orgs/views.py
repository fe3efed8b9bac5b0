"""Pages for the organisations register: list, detail with history, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from zhibao.accounts.selectors import history_of
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.exports import export_response
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.orgs import selectors, services
from zhibao.orgs.forms import ContactForm, OrganisationForm, OrgFilterForm
from zhibao.rights.selectors import rights_visible_to

CRUMB = ("市场主体", "/orgs/")


def _get(request, pk: int):  # noqa: ANN001, ANN202
    try:
        return selectors.get_organisation(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def org_list(request):  # noqa: ANN001, ANN201
    form = OrgFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    orgs = selectors.organisations_visible_to(
        actor=request.user, q=f.get("q", ""), kind=f.get("kind", ""), sector=f.get("sector", ""),
        district=f["district"].code if f.get("district") else "",
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = ([o.name, o.get_kind_display(), o.get_sector_display(), o.uscc or "", o.country,
                 o.foreign_registration_no, o.district.name if o.district else "", o.address] for o in orgs.iterator())
        return export_response(fmt, "organisations", ["名称", "主体类型", "行业角色", "统一社会信用代码", "国家/地区",
                                                      "境外登记号", "所在区", "地址"], rows)
    return render(request, "orgs/list.html", {
        "form": form, "page": paginate(orgs, request.GET.get("page")), "querystring": query_without_page(request),
        "can_add": request.user.has_perm("orgs.add_organisation"), "breadcrumbs": [(CRUMB[0], None)],
    })


@login_required
def org_detail(request, pk: int):  # noqa: ANN001, ANN201
    org = _get(request, pk)
    return render(request, "orgs/detail.html", {
        "org": org, "contacts": org.contacts.filter(is_active=True),
        "rights": rights_visible_to(actor=request.user).filter(owner=org)[:50],
        "history": history_of(object_type="orgs.organisation", object_id=org.pk)[:50],
        "can_edit": request.user.has_perm("orgs.change_organisation", org), "contact_form": ContactForm(),
        "can_deactivate": request.user.role in ("city_admin", "district_admin"),
        "breadcrumbs": [CRUMB, (org.name, None)],
    })


@login_required
def org_create(request):  # noqa: ANN001, ANN201
    if not request.user.has_perm("orgs.add_organisation"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.register_organisation(actor=request.user, **form.service_kwargs())
        except InvalidInput as exc:
            add_service_errors(form, exc, {"district": "district_code"})
        else:
            messages.success(request, f"已登记市场主体“{org.name}”。")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "title": "登记市场主体",
                                              "breadcrumbs": [CRUMB, ("登记", None)]})


@login_required
def org_edit(request, pk: int):  # noqa: ANN001, ANN201
    org = _get(request, pk)
    if not request.user.has_perm("orgs.change_organisation", org):
        raise PermissionDenied
    initial = {f: getattr(org, f) for f in OrganisationForm.base_fields if hasattr(org, f)}
    initial["district_code"] = org.district_id
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(actor=request.user, org=org, changes=form.service_kwargs(),
                                         expected_version=int(request.POST.get("version", org.version)))
        except InvalidInput as exc:
            add_service_errors(form, exc, {"district": "district_code"})
        except (Conflict, Forbidden) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存。")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "title": f"修改：{org.name}", "version": org.version,
                                              "breadcrumbs": [CRUMB, (org.name, reverse("orgs:detail", args=[pk])),
                                                              ("修改", None)]})


@login_required
def org_set_active(request, pk: int):  # noqa: ANN001, ANN201
    org = _get(request, pk)
    if request.method != "POST":
        return redirect("orgs:detail", pk=org.pk)
    try:
        services.set_organisation_active(actor=request.user, org=org, active=request.POST.get("active") == "1",
                                         reason=request.POST.get("reason", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已恢复。" if org.is_active else "已停用（记录保留）。")
    return redirect("orgs:detail", pk=org.pk)


@login_required
def contact_add(request, pk: int):  # noqa: ANN001, ANN201
    org = _get(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contact(actor=request.user, org=org, **form.cleaned_data)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except InvalidInput as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已添加联系人。")
    elif request.method == "POST":
        messages.error(request, "联系人信息有误：" + "；".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return redirect("orgs:detail", pk=org.pk)
