"""Reads for monitoring: watch lists and alerts the acting user may see, precision per watch list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import NotFound
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
