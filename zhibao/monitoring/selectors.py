"""Reads for monitoring: watch lists and alerts the acting user may see, precision per watch list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import Forbidden, NotFound
from zhibao.monitoring.models import Alert, Screening, WatchList


def watch_lists_visible_to(*, actor: User) -> QuerySet[WatchList]:
    if not getattr(actor, "is_authenticated", False):
        return WatchList.objects.none()
    lists = WatchList.objects.select_related("owner")
    if not is_staff_role(actor):
        lists = lists.filter(owner_id__in=represented_org_ids(actor, scope="rights"))
    return lists.annotate(
        alert_total=Count("alerts"),
        judged=Count("alerts", filter=Q(alerts__true_positive__isnull=False)),
        judged_true=Count("alerts", filter=Q(alerts__true_positive=True)),
        open_alerts=Count("alerts", filter=Q(alerts__status=Alert.Status.NEW)),
    ).order_by("-created_at", "-id")


def get_watch_list(*, actor: User, pk: int) -> WatchList:
    wl = watch_lists_visible_to(actor=actor).filter(pk=pk).first()
    if wl is None:
        raise NotFound("未找到该监测清单")
    return wl


@dataclass(frozen=True)
class Precision:
    judged: int
    true: int

    @property
    def value(self) -> float | None:
        """Share of judged alerts the owner confirmed as true; None before any judgement."""
        return round(self.true / self.judged, 3) if self.judged else None


def precision_of(watch_list: WatchList) -> Precision:
    judged = getattr(watch_list, "judged", None)
    if judged is None:
        alerts = watch_list.alerts.exclude(true_positive=None)
        return Precision(alerts.count(), alerts.filter(true_positive=True).count())
    return Precision(judged, watch_list.judged_true)


def alerts_visible_to(*, actor: User, q: str = "", status: str = "", kind: str = "",
                      watch_list: int | None = None) -> QuerySet[Alert]:
    if not getattr(actor, "is_authenticated", False):
        return Alert.objects.none()
    alerts = Alert.objects.select_related("watch_list__owner", "screening", "right", "deposit")
    if not is_staff_role(actor):
        alerts = alerts.filter(watch_list__owner_id__in=represented_org_ids(actor, scope="rights"))
    if q.strip():
        q = q.strip()
        alerts = alerts.filter(Q(screening__name__icontains=q) | Q(right__title__icontains=q)
                               | Q(screening__party__icontains=q) | Q(screening__reference=q))
    if status:
        alerts = alerts.filter(status=status)
    if kind:
        alerts = alerts.filter(kind=kind)
    if watch_list:
        alerts = alerts.filter(watch_list_id=watch_list)
    return alerts.order_by("-created_at", "-id")


def get_alert(*, actor: User, pk: int) -> Alert:
    alert = alerts_visible_to(actor=actor).filter(pk=pk).first()
    if alert is None:
        raise NotFound("未找到该预警")
    return alert


def side_by_side_text(alert: Alert) -> str:
    s, r = alert.screening, alert.right
    lines = [
        "监测预警比对说明",
        f"在先权利：{r.get_right_type_display()} {r.number or ''} {r.title}（权利人：{r.owner.name}）",
        f"  类别：{'、'.join(map(str, r.nice_classes)) or '—'}",
        f"被监测对象：{s.get_source_display()} {s.reference or ''} {s.name}（{s.party or '未知'}）",
        f"  类别：{'、'.join(map(str, s.nice_classes)) or '—'}",
        f"近似度：{alert.score}",
        "理由：" + "；".join(alert.reasons),
    ]
    if alert.deadline:
        lines.append(f"异议期限：{alert.deadline:%Y-%m-%d}（{alert.deadline_rule}）")
    return "\n".join(lines)


def draft_of(alert: Alert) -> dict[str, Any]:
    """The fields a draft notice (source listing/crawl/exhibit) or complaint (application: opposition) starts
    from; the takedown and case forms map them onto their own fields (``?from_alert=<id>``)."""
    s, r = alert.screening, alert.right
    return {
        "kind": "opposition" if s.source == Screening.Source.APPLICATION else "notice",
        "alert_id": alert.pk, "source": s.source, "source_label": s.get_source_display(),
        "right_id": alert.right_id, "right_title": r.title, "right_type": r.right_type,
        "right_type_label": r.get_right_type_display(), "right_number": r.number or "",
        "right_nice_classes": list(r.nice_classes or []), "notifier_id": alert.watch_list.owner_id,
        "notifier_name": alert.watch_list.owner.name,
        "respondent": s.party, "respondent_uscc": s.party_uscc, "reference": s.reference, "name": s.name,
        "nice_classes": s.nice_classes, "reasons": alert.reasons, "details": dict(s.details or {}),
        "deposit_no": alert.deposit.deposit_no if alert.deposit else "",
        "deadline": alert.deadline.isoformat() if alert.deadline else None, "deadline_rule": alert.deadline_rule,
        "comparison": side_by_side_text(alert),
    }


def draft_for(*, actor: User, alert_id: object) -> dict[str, Any]:
    """The draft of an alert, for prefilling a notice or complaint: only for the alert's owner side (its staff
    readers may look, not act); an unknown or unreadable id is NotFound."""
    text = str(alert_id).strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**31:
        raise NotFound("未找到该预警")
    pk = int(text)
    alert = get_alert(actor=actor, pk=pk)
    if not actor.has_perm("monitoring.triage_alert", alert.watch_list):
        raise Forbidden("只有权利人一方可以据预警起草通知或投诉")
    return draft_of(alert)


def screenings_visible_to(*, actor: User, status: str = "") -> QuerySet[Screening]:
    """Staff see every screened item (to watch failures); others see the items they submitted."""
    if not getattr(actor, "is_authenticated", False):
        return Screening.objects.none()
    items = Screening.objects.all() if is_staff_role(actor) else Screening.objects.filter(submitted_by=actor)
    if status:
        items = items.filter(status=status)
    return items.order_by("-created_at", "-id")


EXPORT_COLUMNS = ["id", "kind", "status", "score", "screened_name", "party", "reference", "watched_right",
                  "reasons", "deadline", "deadline_rule", "true_positive", "dismiss_reason", "deposit_no",
                  "created_at"]


def export_rows(alerts: QuerySet[Alert]):  # noqa: ANN201 - iterator of rows
    for a in alerts:
        yield [a.pk, a.get_kind_display(), a.get_status_display(), a.score, a.screening.name, a.screening.party,
               a.screening.reference, a.right.title, "；".join(a.reasons), a.deadline, a.deadline_rule,
               "" if a.true_positive is None else ("是" if a.true_positive else "否"), a.dismiss_reason,
               a.deposit.deposit_no if a.deposit else "", a.created_at]
