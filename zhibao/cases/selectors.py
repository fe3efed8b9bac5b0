"""Reads of cases, always for an acting user (except the two system lookups at the bottom)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.cases import codes
from zhibao.cases.models import FINAL_STATES, Case, CaseEvent, Decision, ExpertRequest, Status
from zhibao.cases.rules import DISTRICT_BOUND, HANDLERS
from zhibao.core.errors import NotFound

_LIST_RELATED = ("complainant", "respondent", "district", "assignee", "triage_rule")


def cases_visible_to(*, actor: User, status: str = "", channel: str = "", district: str = "", right_type: str = "",
                     overdue: bool = False, q: str = "", now: dt.datetime | None = None) -> QuerySet[Case]:
    if not getattr(actor, "is_authenticated", False):
        return Case.objects.none()
    cases = Case.objects.select_related(*_LIST_RELATED)
    if is_staff_role(actor):
        cases = cases.exclude(status=Status.DRAFT)
    else:
        complainant_ids = represented_org_ids(actor, scope="complaints")
        cases = cases.filter(Q(complainant_id__in=complainant_ids)
                             | (Q(respondent_id__in=represented_org_ids(actor)) & ~Q(status=Status.DRAFT)))
    if status:
        cases = cases.filter(status=status)
    if channel:
        cases = cases.filter(channel=channel)
    if district:
        cases = cases.filter(district_id=district)
    if right_type:
        cases = cases.filter(right_type=right_type)
    if overdue:
        cases = _overdue(cases, now or timezone.now())
    if q:
        q = q.strip()
        cases = cases.filter(Q(number=q.upper()) | Q(title__icontains=q) | Q(respondent__name__icontains=q))
    return cases.order_by("-filed_at", "-id")


def _overdue(cases: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
    return cases.filter(is_open=True, due_at__lt=now, paused_since__isnull=True)


def case_for(user: User, number: str) -> Case:
    """The case with this number if ``user`` may see it; otherwise NotFound (existence never revealed)."""
    case = Case.objects.select_related(*_LIST_RELATED, "filed_by", "agent", "triage_rule").filter(
        number=(number or "").strip().upper()).first()
    if case is None or not user.has_perm("cases.view_case", case):
        raise NotFound("未找到该案件")
    return case


def draft_for(user: User, pk: int) -> Case:
    case = Case.objects.filter(pk=pk, status=Status.DRAFT).first()
    if case is None or not user.has_perm("cases.edit_draft", case):
        raise NotFound("未找到该草稿")
    return case


def drafts_for(user: User) -> QuerySet[Case]:
    """Unfinished complaints of the organisations the user may file for, newest first."""
    return (Case.objects.filter(status=Status.DRAFT, complainant_id__in=represented_org_ids(user, scope="complaints"))
            .prefetch_related("rights").order_by("-updated_at", "-id"))


def expert_request_for(user: User, pk: int) -> ExpertRequest:
    """An expert request the user may see: the expert it was sent to, or whoever may see its case."""
    request = ExpertRequest.objects.select_related("case", "expert", "institution").filter(pk=pk).first()
    if request is None or not (request.expert_id == user.pk or user.has_perm("cases.view_case", request.case)):
        raise NotFound("未找到该委托")
    return request


#: Cap on the cases from other districts assigned to a district-bound handler that join their queue.
ELSEWHERE_MAX = 200


def queue_for(*, actor: User, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The work queue: open cases of the actor's channels (officers: their district), earliest deadline first.

    Officers also see the cases assigned to them in another district. Why not ``district OR assignee``:
    that OR keeps the planner off the (district, is_open, due_at, channel) index, so at 100,000 cases it
    walked every open case (56-79 ms on SQLite). The few cases assigned elsewhere are looked up first by
    the assignee index; usually there are none and the queue is the plain indexed district range.
    Otherwise the OR is narrowed by the districts involved, so the count stays within the index.
    """
    roles_channels = [ch for ch, roles in HANDLERS.items() if actor.role in roles]
    if not roles_channels:
        return Case.objects.none()
    cases = Case.objects.select_related(*_LIST_RELATED).filter(is_open=True, channel__in=roles_channels)
    if actor.role in DISTRICT_BOUND:
        elsewhere = list(Case.objects.filter(assignee=actor, is_open=True, channel__in=roles_channels)
                         .exclude(district_id=actor.district_id).order_by()
                         .values_list("pk", "district_id")[:ELSEWHERE_MAX])
        if not elsewhere:
            return cases.filter(district_id=actor.district_id).order_by("due_at", "id")
        cases = cases.filter(Q(district_id=actor.district_id) | Q(pk__in=[pk for pk, _ in elsewhere]))
        districts = {d for _, d in elsewhere}
        if None not in districts and actor.district_id is not None:
            # the redundant district list lets the count read only those districts' ranges of the index
            cases = cases.filter(district_id__in=[actor.district_id, *sorted(districts)])
    return cases.order_by("due_at", "id")


def eligible_handlers(case: Case) -> QuerySet[User]:
    """Who may be given the case: active officers, mediators, arbitrators or court liaisons of its channel;
    district-bound officers only of the case's district; nobody who declared a conflict of interest on it."""
    from zhibao.accounts.roles import Role
    from zhibao.cases.models import ConflictDeclaration

    roles = HANDLERS.get(case.channel, set()) - {Role.CITY_ADMIN, Role.DISTRICT_ADMIN}
    users = User.objects.filter(role__in=roles, is_active=True)
    if case.district_id:
        users = users.filter(Q(district_id=case.district_id) | ~Q(role__in=DISTRICT_BOUND))
    conflicted = ConflictDeclaration.objects.filter(case=case, has_conflict=True).values("user_id")
    return users.exclude(pk__in=conflicted).order_by("role", "username")


def overdue_cases(*, actor: User | None = None, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Open cases past their deadline with a running clock; ``actor=None`` is the operator's CLI (all)."""
    now = now or timezone.now()
    base = Case.objects.select_related(*_LIST_RELATED) if actor is None else queue_for(actor=actor)
    return _overdue(base, now).order_by("due_at", "id")


def due_soon(*, actor: User | None = None, now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(days=3)
             ) -> QuerySet[Case]:
    now = now or timezone.now()
    base = Case.objects.select_related(*_LIST_RELATED) if actor is None else queue_for(actor=actor)
    return base.filter(is_open=True, due_at__gte=now, due_at__lt=now + within,
                                                        paused_since__isnull=True).order_by("due_at", "id")


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def decision_for(case: Case) -> Decision | None:
    return Decision.objects.filter(case=case).first()


def public_status(*, number: str, code: str) -> Case | None:
    """Public lookup: number + the complainant's verification code; the page shows status only, no personal data."""
    number, code = (number or "").strip().upper(), (code or "").strip().upper()
    if not number or not code:
        return None
    case = Case.objects.exclude(status=Status.DRAFT).filter(number=number).first()
    if case is None or not codes.matches(number, code, case.verification_hash):
        return None  # a wrong code answers exactly like an unknown number
    return case


# --- system lookups (no acting user): for other apps ----------------------------------------------------------

def accepted_case_by_number(number: str) -> Case | None:
    """A case an authority has accepted (not merely filed, not rejected), by number; used by takedown's 15-day clock."""
    return Case.objects.exclude(status__in=(Status.DRAFT, Status.RECEIVED, Status.REJECTED, Status.INVITED)).filter(
        number=(number or "").strip().upper()).first()


def decisions_against(organisation_id: int, *, since: dt.datetime | None = None) -> QuerySet[Decision]:
    """Infringement decisions against an organisation (for the credit engine: repeat infringers)."""
    decisions = Decision.objects.select_related("case").filter(case__respondent_id=organisation_id,
                                                              infringement_found=True)
    if since is not None:
        decisions = decisions.filter(decided_at__gte=since)
    return decisions.order_by("-decided_at")


def officer_sees_secret(user: User, right) -> bool:  # noqa: ANN001
    """An officer handling an open case that cites this trade secret may read its description."""
    if not is_staff_role(user):
        return False
    return any(user.has_perm("cases.handle_case", c)
               for c in Case.objects.filter(rights=right).exclude(status__in=FINAL_STATES))


def published_decisions() -> QuerySet[Decision]:
    """Decisions the authority chose to publish (双公示 / public portal); shown with personal data masked."""
    return Decision.objects.filter(published=True).select_related("case", "case__respondent").order_by(
        "-decided_at", "-id")


def mask_party(org) -> str:  # noqa: ANN001
    """Organisations with a USCC are public register facts; a natural person or an unidentified party is masked."""
    if org is None:
        return "—"
    if org.uscc and org.kind != "individual_business":
        return org.name
    return org.name[0] + "*" * max(1, len(org.name) - 1)


def awarded_damages() -> list[tuple[str, str, str, Decimal]]:
    """Damages awarded in closed cases whose decision found infringement: (right type, industry, act, amount).

    Statistics only — no party, number or date leaves this function — for the typed compensation
    references (类型化赔偿参考) beside the damages calculator. Industry is the right holder's.
    """
    rows = Decision.objects.filter(infringement_found=True, damages__isnull=False, case__is_open=False).values_list(
        "case__right_type", "case__complainant__industry", "case__acts", "damages")
    out = []
    for right_type, industry, acts, amount in rows:
        first = acts[0] if isinstance(acts, list) and acts and isinstance(acts[0], dict) else {}
        out.append((right_type or "", industry or "", str(first.get("act", "")), amount))
    return out
