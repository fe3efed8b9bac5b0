"""Reads of the organisations register, always filtered for the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import NotFound
from zhibao.orgs.models import District, Organisation


def organisations_visible_to(*, actor: User, q: str = "", kind: str = "", sector: str = "",
                             district: str = "", include_inactive: bool = False) -> QuerySet[Organisation]:
    if not getattr(actor, "is_authenticated", False):
        return Organisation.objects.none()
    orgs = Organisation.objects.select_related("district")
    if not is_staff_role(actor):
        orgs = orgs.filter(pk__in=represented_org_ids(actor))
    if not include_inactive:
        orgs = orgs.filter(is_active=True)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(uscc=q.strip().upper()) | Q(foreign_registration_no=q))
    if kind:
        orgs = orgs.filter(kind=kind)
    if sector:
        orgs = orgs.filter(sector=sector)
    if district:
        orgs = orgs.filter(district_id=district)
    return orgs.order_by("name", "pk")


def get_organisation(*, actor: User, pk: int) -> Organisation:
    """The organisation (active or not) if ``actor`` may see it; otherwise NotFound (never reveal existence)."""
    org = Organisation.objects.select_related("district").filter(pk=pk).first()
    if org is None or not actor.has_perm("orgs.view_organisation", org):
        raise NotFound("未找到该市场主体")
    return org


def districts() -> QuerySet[District]:
    return District.objects.all()


def registered_organisations():  # noqa: ANN201
    """Active organisations that may be named as a counterparty (licensee, respondent).

    Naming a counterparty needs only its name and code, which are public
    register facts; its contacts and history stay behind ``get_organisation``.
    """
    return Organisation.objects.filter(is_active=True).order_by("name")
