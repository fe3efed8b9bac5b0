"""Reads for fairs: fairs are public facts; exhibitors' filings and complaints are for the parties and staff."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import NotFound
from zhibao.fairs.models import BoothComplaint, Exhibitor, Fair


def fairs() -> QuerySet[Fair]:
    return Fair.objects.select_related("organiser", "district").annotate(n_exhibitors=Count("exhibitors"))


def get_fair(*, pk: int) -> Fair:
    fair = Fair.objects.select_related("organiser", "district").filter(pk=pk).first()
    if fair is None:
        raise NotFound("未找到该展会")
    return fair


def exhibitors_of(*, fair: Fair) -> QuerySet[Exhibitor]:
    """Booths are public at the fair itself; pledge status is shown so complainants know who pledged."""
    return fair.exhibitors.select_related("organisation", "pledge").annotate(n_filings=Count("filings"))


def get_exhibitor(*, actor: User, pk: int) -> Exhibitor:
    exhibitor = Exhibitor.objects.select_related("fair", "organisation").filter(pk=pk).first()
    if exhibitor is None or not actor.has_perm("fairs.view_exhibitor", exhibitor):
        raise NotFound("未找到该参展商")
    return exhibitor


def my_exhibitions(*, actor: User) -> QuerySet[Exhibitor]:
    return Exhibitor.objects.filter(organisation_id__in=represented_org_ids(actor)).select_related("fair")


def complaints_visible_to(*, actor: User, fair: Fair | None = None) -> QuerySet[BoothComplaint]:
    complaints = BoothComplaint.objects.select_related("fair", "respondent__organisation", "complainant", "case")
    if fair is not None:
        complaints = complaints.filter(fair=fair)
    if is_staff_role(actor):
        return complaints
    orgs = represented_org_ids(actor)
    visible = Q(complainant_id__in=orgs) | Q(respondent__organisation_id__in=orgs)
    if actor.role == Role.PLATFORM_OPERATOR and actor.organisation_id:
        visible |= Q(fair__organiser_id=actor.organisation_id)
    return complaints.filter(visible)


def get_complaint(*, actor: User, pk: int) -> BoothComplaint:
    complaint = complaints_visible_to(actor=actor).filter(pk=pk).first()
    if complaint is None:
        raise NotFound("未找到该投诉")
    return complaint


def post_fair_report(*, fair: Fair) -> dict:
    """Complaints by outcome, share handled within 24 hours, and exhibitors who broke their pledge."""
    complaints = list(fair.complaints.select_related("respondent__organisation"))
    handled = [c for c in complaints if c.handled_at is not None]
    by_status: dict[str, int] = {}
    for c in complaints:
        by_status[c.get_status_display()] = by_status.get(c.get_status_display(), 0) + 1
    exhibitors = fair.exhibitors.select_related("organisation", "pledge")
    return {
        "complaints": len(complaints), "by_status": by_status,
        "within_clock": sum(1 for c in handled if c.within_clock), "handled": len(handled),
        "pledged": sum(1 for e in exhibitors if hasattr(e, "pledge")), "exhibitors": len(exhibitors),
        "broken": [e for e in exhibitors if hasattr(e, "pledge") and e.pledge.broken],
    }
