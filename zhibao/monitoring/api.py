"""API: watch lists, items to screen (crawler / platform / announcement import), alerts and triage, risk check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from zhibao.accounts.api_auth import require_scope
from zhibao.core.errors import InvalidInput
from zhibao.core.exports import export_response
from zhibao.core.schemas import Page, StrictSchema, page_of
from zhibao.monitoring import importing, risk, selectors, services
from zhibao.monitoring.models import Alert, WatchList
from zhibao.orgs.selectors import get_organisation

router = Router(tags=["预警监测"])
READ, WRITE = "monitoring:read", "monitoring:write"


class WatchListOut(Schema):
    id: int
    owner_id: int
    owner_name: str
    name: str
    threshold: Decimal
    right_ids: list[int]
    alert_total: int
    open_alerts: int
    precision: float | None
    judged: int


def _wl(wl: WatchList) -> dict:
    p = selectors.precision_of(wl)
    return {"id": wl.pk, "owner_id": wl.owner_id, "owner_name": wl.owner.name, "name": wl.name,
            "threshold": wl.threshold, "right_ids": sorted(r.pk for r in wl.rights.all()),
            "alert_total": getattr(wl, "alert_total", 0), "open_alerts": getattr(wl, "open_alerts", 0),
            "precision": p.value, "judged": p.judged}


class WatchListIn(StrictSchema):
    owner_id: int
    name: str
    right_ids: list[int]
    threshold: Decimal = Decimal("0.70")


class WatchListPatch(StrictSchema):
    threshold: Decimal


class AlertOut(Schema):
    id: int
    watch_list_id: int
    kind: str
    status: str
    score: Decimal
    reasons: list[str]
    right_id: int
    right_title: str
    source: str
    name: str
    party: str
    reference: str
    nice_classes: list[int]
    deadline: dt.date | None
    deadline_rule: str
    true_positive: bool | None
    dismiss_reason: str
    deposit_no: str
    created_at: dt.datetime


def _alert(a: Alert) -> dict:
    s = a.screening
    return {"id": a.pk, "watch_list_id": a.watch_list_id, "kind": a.kind, "status": a.status, "score": a.score,
            "reasons": a.reasons, "right_id": a.right_id, "right_title": a.right.title, "source": s.source,
            "name": s.name, "party": s.party, "reference": s.reference, "nice_classes": s.nice_classes,
            "deadline": a.deadline, "deadline_rule": a.deadline_rule, "true_positive": a.true_positive,
            "dismiss_reason": a.dismiss_reason, "deposit_no": a.deposit.deposit_no if a.deposit else "",
            "created_at": a.created_at}


class DismissIn(StrictSchema):
    reason: str
    true_positive: bool = False


class ConfirmIn(StrictSchema):
    capture_url: bool = False


class ConfirmOut(Schema):
    alert: AlertOut
    deposit_no: str
    draft: dict


class ItemIn(StrictSchema):
    name: str
    reference: str = ""
    party: str = ""
    party_uscc: str = ""
    nice_classes: list[int] = []
    announced_on: dt.date | None = None
    announcement_issue: str = ""
    text: str = ""
    html: str = ""
    images: list[str] = []  # base64; up to 5, each up to 5 MB


class ItemsIn(StrictSchema):
    source: str
    items: list[ItemIn]


class ScreeningOut(Schema):
    id: int
    source: str
    name: str
    status: str
    attempts: int
    error: str
    alert_count: int


class RiskIn(StrictSchema):
    name: str
    nice_classes: list[int] = []


class RiskHitOut(Schema):
    right_id: int
    title: str
    number: str
    owner: str
    nice_classes: list[int]
    score: float
    similar: bool
    in_scope: bool
    reasons: list[str]
    credit: list[str]


class RiskOut(Schema):
    name: str
    nice_classes: list[int]
    level: str
    hits: list[RiskHitOut]


@router.get("/watch-lists", response=Page[WatchListOut], summary="监测清单（本方；工作人员可见全部）")
def list_watch_lists(request, limit: int = 50, offset: int = 0):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    lists = selectors.watch_lists_visible_to(actor=request.user).prefetch_related("rights")
    return page_of(lists, limit, offset, _wl)


@router.post("/watch-lists", response={201: WatchListOut}, summary="建立监测清单")
def create_watch_list(request, payload: WatchListIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    owner = get_organisation(actor=request.user, pk=payload.owner_id)
    wl = services.create_watch_list(actor=request.user, owner=owner, name=payload.name,
                                    right_ids=payload.right_ids, threshold=payload.threshold)
    return Status(201, _wl(selectors.get_watch_list(actor=request.user, pk=wl.pk)))


@router.patch("/watch-lists/{watch_list_id}", response=WatchListOut, summary="调整预警阈值")
def patch_watch_list(request, watch_list_id: int, payload: WatchListPatch):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    wl = selectors.get_watch_list(actor=request.user, pk=watch_list_id)
    services.set_threshold(actor=request.user, watch_list=wl, threshold=payload.threshold)
    return _wl(selectors.get_watch_list(actor=request.user, pk=watch_list_id))


@router.get("/alerts", response=Page[AlertOut], summary="预警列表（可按名称、状态、类型、清单检索）")
def list_alerts(request, q: str = "", status: str = "", kind: str = "", watch_list: int | None = None,  # noqa: ANN001, ANN201
                limit: int = 50, offset: int = 0):
    require_scope(request, READ)
    if status and status not in Alert.Status.values:
        raise InvalidInput({"status": [f"未知的状态：{status}"]})
    alerts = selectors.alerts_visible_to(actor=request.user, q=q, status=status, kind=kind, watch_list=watch_list)
    return page_of(alerts, limit, offset, _alert)


@router.get("/alerts/export", response={200: None}, summary="导出预警（CSV/XLSX）")
def export_alerts(request, format: str = "csv", q: str = "", status: str = ""):  # noqa: A002, ANN001, ANN201
    require_scope(request, READ)
    if format not in ("csv", "xlsx"):
        raise InvalidInput({"format": ["format 应为 csv 或 xlsx"]})
    alerts = selectors.alerts_visible_to(actor=request.user, q=q, status=status)
    return export_response(format, "alerts", selectors.EXPORT_COLUMNS, selectors.export_rows(alerts))


@router.get("/alerts/{alert_id}", response=AlertOut, summary="预警详情")
def get_alert(request, alert_id: int):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    return _alert(selectors.get_alert(actor=request.user, pk=alert_id))


@router.post("/alerts/{alert_id}/dismiss", response=AlertOut, summary="排除预警（须填写理由）")
def dismiss_alert(request, alert_id: int, payload: DismissIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    alert = selectors.get_alert(actor=request.user, pk=alert_id)
    return _alert(services.dismiss_alert(actor=request.user, alert=alert, reason=payload.reason,
                                         true_positive=payload.true_positive))


@router.post("/alerts/{alert_id}/confirm", response=ConfirmOut, summary="确认预警并一键存证（返回通知/投诉草稿）")
def confirm_alert(request, alert_id: int, payload: ConfirmIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    alert = selectors.get_alert(actor=request.user, pk=alert_id)
    out = services.confirm_alert(actor=request.user, alert=alert, capture_url=payload.capture_url)
    return {"alert": _alert(out.alert), "deposit_no": out.deposit.deposit_no, "draft": out.draft}


@router.post("/items", response={201: list[ScreeningOut]}, summary="提交待筛查条目（网页、商品、展品、商标申请）")
def submit_items(request, payload: ItemsIn):  # noqa: ANN001, ANN201
    require_scope(request, WRITE)
    items = [i.dict() for i in payload.items]
    created = services.submit_items(actor=request.user, source=payload.source, items=items)
    ids = [s.pk for s in created]
    return Status(201, list(selectors.screenings_visible_to(actor=request.user).filter(pk__in=ids)[:500]))


@router.post("/announcements", response={201: list[ScreeningOut]}, summary="导入商标初审公告（CSV/XLSX）并筛查")
def import_announcement(request, file: UploadedFile = File(...)):  # noqa: ANN001, ANN201, B008
    require_scope(request, WRITE)
    created = importing.import_announcement(actor=request.user, filename=file.name or "upload", content=file.read())
    ids = [s.pk for s in created]
    return Status(201, list(selectors.screenings_visible_to(actor=request.user).filter(pk__in=ids)[:500]))


@router.post("/risk-check", response=RiskOut, summary="企业风险预警：名称与商标注册簿比对")
def risk_check(request, payload: RiskIn):  # noqa: ANN001, ANN201
    require_scope(request, READ)
    report = risk.risk_check(actor=request.user, name=payload.name, nice_classes=payload.nice_classes)
    return {"name": report.name, "nice_classes": report.nice_classes, "level": report.level,
            "hits": [{"right_id": h.right.pk, "title": h.right.title, "number": h.right.number,
                      "owner": h.right.owner.name, "nice_classes": h.right.nice_classes, "score": h.score,
                      "similar": h.similar, "in_scope": h.in_scope, "reasons": h.reasons, "credit": h.credit}
                     for h in report.hits]}
