"""Shared machinery of the case services: events, optimistic locking, clocks, assignment, numbering.

Kept apart from ``services`` so intake and the workflow use the same event and clock code; nothing
here checks permissions — the calling service does.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils import timezone
from django_fsm import can_proceed

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.cases import clocks
from zhibao.cases.models import FINAL_STATES, Case, CaseCounter, CaseEvent, Status
from zhibao.core.errors import Conflict
from zhibao.notifications.services import notify

#: Transition method names the API and pages may ask for, with their Chinese labels.
ACTIONS = {
    "accept": "受理/立案", "reject": "不予受理", "investigate": "开始调查", "hold_hearing": "安排审理",
    "decide": "作出决定", "close": "结案", "invite": "邀请调解", "both_agree": "双方同意调解",
    "hold_session": "调解会议", "reach_agreement": "达成调解协议", "fail_mediation": "调解不成",
    "apply_confirmation": "申请司法确认", "approve_transfer": "批准移送", "hand_over": "移送公安",
    "police_acknowledge": "公安接收", "refer": "移送法院", "court_acknowledge": "法院立案",
}


def next_number(now: dt.datetime) -> str:
    """``ZB-<year>-<serial>``; the counter row is locked so two filings never share a number."""
    year = timezone.localtime(now).year
    CaseCounter.objects.get_or_create(year=year)
    counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ZB-{year}-{counter.last:06d}"


def record(case: Case, actor: User | None, kind: str, summary: str, *, from_status: str = "", to_status: str = "",
           reason: str = "", payload: dict | None = None, at: dt.datetime | None = None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor else "系统", kind=kind, summary=summary[:300], from_status=from_status,
        to_status=to_status, channel=case.channel, reason=reason, payload=payload or {}, at=at or timezone.now(),
    )


def lock(case: Case, expected_version: int | None) -> Case:
    """The case row locked for update; a stale ``expected_version`` → 409 naming who changed it and when."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        last = locked.events.order_by("-at", "-id").first()
        who = last.actor_name if last else "他人"
        when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M:%S") if last else ""
        raise Conflict(f"案件已被{who}于 {when} 修改，请刷新后重试", current_version=locked.version,
                       changed_by=who, changed_at=when)
    return locked


def allowed_actions(case: Case) -> list[str]:
    return [t.name for t in case.get_available_status_transitions() if t.name in ACTIONS]


def apply(case: Case, action: str, actor: User | None, *, reason: str = "", payload: dict | None = None,
          now: dt.datetime | None = None) -> CaseEvent:
    """Run one transition (409 listing the allowed ones if it may not run now), move the clock, record it."""
    method = getattr(case, action, None) if action in ACTIONS or action in ("submit", "restart_in_channel") else None
    if method is None or not can_proceed(method):
        allowed = allowed_actions(case)
        labels = "、".join(f"{a}（{ACTIONS[a]}）" for a in allowed) or "无"
        raise Conflict(f"当前状态「{case.get_status_display()}」不能执行 {action}；可执行：{labels}",
                       allowed_transitions=allowed, status=case.status)
    now = now or timezone.now()
    before = case.status
    method()
    set_clock(case, now)
    case.version += 1
    if case.status in (Status.CLOSED, Status.REJECTED):
        case.closed_at = now
    case.save()
    label = ACTIONS.get(action, action)
    event = record(case, actor, action, f"{label}：{Status(before).label} → {case.get_status_display()}",
                   from_status=before, to_status=case.status, reason=reason, payload=payload, at=now)
    audit.record(actor=actor, action=f"case_{action}", obj=case, before={"status": before},
                 after={"status": case.status}, reason=reason[:500])
    return event


def set_clock(case: Case, now: dt.datetime) -> None:
    """Start (or keep, or stop) the clock that belongs to the case's new state."""
    rule = clocks.CLOCKS.get((case.channel, case.status))
    if rule is None or case.status in FINAL_STATES:
        case.due_at, case.due_rule, case.due_title, case.due_source, case.due_note = None, "", "", "", ""
        case.clock_start, case.paused_since, case.pauses, case.clock_extended = None, None, [], False
        return
    if (case.channel, case.status) in clocks.CONTINUES and case.due_rule == rule:
        return
    clock = clocks.compute(rule, now)
    case.due_at, case.due_rule, case.due_title, case.due_source = clock.due_at, rule, clock.title, clock.source
    case.due_note = " ".join(clock.warnings)
    case.clock_start, case.paused_since, case.pauses, case.clock_extended = now, None, [], False
    case.reminded_for = case.overdue_notified_for = None


def recompute_clock(case: Case) -> clocks.Clock | None:
    """Recompute the current clock from its start, its pauses (an open pause counts up to today) and extension."""
    if not case.due_rule or case.clock_start is None:
        return None
    spans = [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in case.pauses]
    if case.paused_since is not None:
        spans.append((case.paused_since, max(case.paused_since, timezone.localdate())))
    clock = clocks.compute(case.due_rule, case.clock_start, pauses=spans, extended=case.clock_extended)
    case.due_at, case.due_note = clock.due_at, " ".join(clock.warnings)
    return clock


def handlers_for(case: Case) -> list[User]:
    """Who gets reminders: the assignee, else the handling roles of the channel (by district for officers)."""
    if case.assignee_id:
        return [case.assignee]
    from zhibao.cases.rules import DISTRICT_BOUND, HANDLERS

    roles = HANDLERS.get(case.channel, set()) - {Role.CITY_ADMIN}
    users = User.objects.filter(role__in=roles, is_active=True)
    if roles & DISTRICT_BOUND and case.district_id:
        users = users.filter(Q(district_id=case.district_id) | ~Q(role__in=DISTRICT_BOUND))
    return list(users)


def pick_assignee(case: Case) -> User | None:
    """Assignment by district and workload: the handler of the channel with the fewest open cases."""
    from zhibao.cases.rules import DISTRICT_BOUND, HANDLERS

    roles = HANDLERS.get(case.channel, set()) - {Role.CITY_ADMIN, Role.DISTRICT_ADMIN}
    if case.channel == "court":
        roles = {Role.COURT_LIAISON}
    users = User.objects.filter(role__in=roles, is_active=True)
    if roles & DISTRICT_BOUND:
        if not case.district_id:
            return None
        users = users.filter(district_id=case.district_id)
    return users.annotate(load=Count("cases_assigned", filter=Q(cases_assigned__is_open=True))).order_by(
        "load", "pk").first()


def party_users(case: Case, *, respondent: bool = True) -> list[User]:
    """Users who act for the complainant (and the respondent): their own members plus the filing agent."""
    org_ids = [case.complainant_id] + ([case.respondent_id] if respondent and case.respondent_id else [])
    users = list(User.objects.filter(organisation_id__in=org_ids, is_active=True,
                                     role__in=(Role.RIGHT_HOLDER, Role.PLATFORM_OPERATOR)))
    if case.agent_id:
        users.append(case.agent)
    return users


_SILENT: contextvars.ContextVar[bool] = contextvars.ContextVar("cases_silent", default=False)


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """No notifications inside (the demo loader: a fresh demo world starts with empty inboxes)."""
    token = _SILENT.set(True)
    try:
        yield
    finally:
        _SILENT.reset(token)


def tell(recipients: list[User], case: Case, kind: str, title: str, body: str = "") -> None:
    if _SILENT.get():
        return
    notify(recipients=recipients, kind=f"cases.{kind}", title=title, body=body, url=f"/cases/{case.number}/")
