"""Reads for credit supervision, always for an acting user (or the anonymous public).

Visibility of facts: the public sees ``public`` facts; agencies and the entity itself also see
``agencies`` facts; authority staff see everything. What a user may not see is filtered out of lists and
answers NotFound on direct access.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhibao.accounts.roles import STAFF_ROLES, Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.core.errors import NotFound
from zhibao.credit.models import CreditCheck, CreditFact, Listing, ListType, RepairApplication, Visibility
from zhibao.orgs.models import Organisation

PUBLIC_STATES = (Listing.Status.PUBLISHED,)


def fact_visibilities(actor, organisation: Organisation | None = None) -> list[str]:  # noqa: ANN001
    if not getattr(actor, "is_authenticated", False):
        return [Visibility.PUBLIC]
    if actor.role in STAFF_ROLES:
        return list(Visibility.values)
    if actor.role == Role.AGENCY or (organisation is not None and organisation.pk in represented_org_ids(actor)):
        return [Visibility.PUBLIC, Visibility.AGENCIES]
    return [Visibility.PUBLIC]


def get_file_org(*, actor, pk: int) -> Organisation:  # noqa: ANN001
    org = Organisation.objects.select_related("district").filter(pk=pk).first()
    if org is None or not actor.has_perm("credit.view_file", org):
        raise NotFound("未找到该信用档案")
    return org


def facts_of(*, actor, organisation: Organisation) -> QuerySet[CreditFact]:  # noqa: ANN001
    return CreditFact.objects.filter(organisation=organisation,
                                     visibility__in=fact_visibilities(actor, organisation)).order_by("-occurred_on",
                                                                                                     "-id")


def listings_of(*, actor, organisation: Organisation) -> QuerySet[Listing]:  # noqa: ANN001
    listings = Listing.objects.filter(organisation=organisation).select_related("list_type")
    if not actor.has_perm("credit.view_file", organisation):
        listings = listings.filter(status__in=PUBLIC_STATES)
    return listings.order_by("-proposed_at", "-id")


def get_listing(*, actor, pk: int) -> Listing:  # noqa: ANN001
    listing = Listing.objects.select_related("organisation", "list_type", "rule").filter(pk=pk).first()
    if listing is None or not actor.has_perm("credit.view_listing", listing):
        raise NotFound("未找到该列入事项")
    return listing


def get_repair(*, actor, pk: int) -> RepairApplication:  # noqa: ANN001
    application = RepairApplication.objects.select_related("listing__organisation", "listing__list_type").filter(
        pk=pk).first()
    if application is None or not actor.has_perm("credit.view_listing", application.listing):
        raise NotFound("未找到该修复申请")
    return application


def checks_of(*, organisation: Organisation) -> QuerySet[CreditCheck]:
    """Who checked this entity's credit ("谁查询了我的信用"), newest first."""
    return CreditCheck.objects.filter(organisation=organisation).order_by("-at", "-id")


def dashboard(*, now: dt.datetime | None = None) -> dict:
    """The credit officer's queue: proposals, statements due, expiring listings, repairs, agencies' volumes."""
    today = timezone.localdate(now or timezone.now())
    base = Listing.objects.select_related("organisation", "list_type")
    return {
        "proposals": base.filter(status__in=(Listing.Status.PROPOSED, Listing.Status.UNDER_REVIEW)).order_by(
            "proposed_at")[:50],
        "statements": base.filter(status=Listing.Status.NOTICE_SERVED).order_by("statement_due")[:50],
        "decided": base.filter(status=Listing.Status.DECIDED_LIST).order_by("proposed_at")[:50],
        "expiring": base.filter(status=Listing.Status.PUBLISHED, end_on__lte=today + dt.timedelta(days=30)).order_by(
            "end_on")[:50],
        "repairs": RepairApplication.objects.filter(status=RepairApplication.Status.PENDING).select_related(
            "listing__organisation", "listing__list_type").order_by("submitted_at")[:50],
        "volumes": CreditCheck.objects.filter(at__gte=timezone.now() - dt.timedelta(days=30)).values(
            "agency_name").annotate(n=Count("id"), hits=Count("id", filter=Q(restricted=True))).order_by("-n")[:20],
        "today": today,
    }


def public_listings(*, q: str = "", list_type: str = "", district: str = "") -> QuerySet[Listing]:
    listings = Listing.objects.filter(status__in=PUBLIC_STATES).select_related("organisation", "list_type")
    if q:
        q = q.strip()
        listings = listings.filter(Q(organisation__name__icontains=q) | Q(organisation__uscc=q.upper()))
    if list_type:
        listings = listings.filter(list_type__code=list_type)
    if district:
        listings = listings.filter(organisation__district_id=district)
    return listings.order_by("-start_on", "-id")


def public_search(*, q: str) -> QuerySet[Organisation]:
    q = (q or "").strip()
    if len(q) < 2:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(name__icontains=q) | Q(uscc=q.upper()), is_active=True).annotate(
        listed=Count("credit_listings", filter=Q(credit_listings__status__in=PUBLIC_STATES))).order_by("name")[:50]


def public_org(*, pk: int) -> Organisation:
    org = Organisation.objects.filter(pk=pk, is_active=True).first()
    if org is None:
        raise NotFound("未找到该市场主体")
    return org


DUAL_KINDS = (CreditFact.Kind.ADMINISTRATIVE_LICENCE, CreditFact.Kind.ADMINISTRATIVE_PENALTY)


def dual_publicity(*, q: str = "", kind: str = "", organisation: Organisation | None = None) -> QuerySet[CreditFact]:
    """双公示: public administrative licences and penalties."""
    facts = CreditFact.objects.filter(kind__in=DUAL_KINDS, visibility=Visibility.PUBLIC).select_related("organisation")
    if kind in DUAL_KINDS:
        facts = facts.filter(kind=kind)
    if q:
        q = q.strip()
        facts = facts.filter(Q(organisation__name__icontains=q) | Q(organisation__uscc=q.upper())
                             | Q(source_ref__icontains=q))
    if organisation is not None:
        facts = facts.filter(organisation=organisation)
    return facts.order_by("-occurred_on", "-id")


def list_types() -> QuerySet[ListType]:
    return ListType.objects.filter(active=True)


def public_events(*, since: dt.datetime | None = None):  # noqa: ANN201
    """The change feed for agencies: public listing events in order."""
    from zhibao.credit.models import ListingEvent

    events = ListingEvent.objects.filter(public=True).select_related("listing__organisation", "listing__list_type")
    if since is not None:
        events = events.filter(at__gt=since)
    return events.order_by("at", "id")


def mask_person(name: str) -> str:
    """Personal names on public pages: keep the surname only (张**)."""
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def public_name(org: Organisation) -> str:
    """An individual business is named after a person: mask the middle, keep enough to recognise the shop."""
    if org.kind == Organisation.Kind.INDIVIDUAL_BUSINESS and len(org.name) > 4:
        return org.name[:2] + "*" * (len(org.name) - 4) + org.name[-2:]
    return org.name
