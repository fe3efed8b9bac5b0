"""Writes for monitoring: watch lists, submitting items to screen, screening, triage of alerts.

Screening runs in the background (a Django task enqueued on commit); a failure is recorded on the
item (``attempts``, ``error``) and the periodic job ``monitoring.retry_screenings`` retries it at most
``MAX_ATTEMPTS`` times in all, so a bad item never crashes the worker and never disappears.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import can_proceed

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.monitoring import screening as rules_engine
from zhibao.monitoring.models import Alert, AlertEvent, Screening, WatchList
from zhibao.monitoring.selectors import draft_of, side_by_side_text
from zhibao.notifications.services import notify
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right, RightType
from zhibao.similarity import SimilarityInputError
from zhibao.similarity.normalize import validate_name

log = logging.getLogger("zhibao.monitoring")

MAX_ATTEMPTS = 3
MAX_ITEMS = 5000
MAX_IMAGES = 5
MAX_IMAGE_BYTES = 5_000_000
WATCHABLE = (RightType.TRADEMARK, RightType.COPYRIGHT, RightType.GI)
THRESHOLD_MIN, THRESHOLD_MAX = Decimal("0.30"), Decimal("1.00")


def _threshold(value: object) -> Decimal:
    try:
        t = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput({"threshold": [f"阈值应为 0.30–1.00 之间的数：{value}"]}) from exc
    if not THRESHOLD_MIN <= t <= THRESHOLD_MAX:
        raise InvalidInput({"threshold": [f"阈值应在 0.30–1.00 之间：{t}"]})
    return t


def create_watch_list(*, actor: User, owner: Organisation, name: str, right_ids: list[int],
                      threshold: object = "0.70") -> WatchList:
    """A watch list of the owner's own trademarks, works and GIs."""
    probe = WatchList(owner=owner)
    if actor is not None and not actor.has_perm("monitoring.change_watchlist", probe):
        raise Forbidden("只能为本方（或受托的权利人）建立监测清单")
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = ["请填写清单名称"]
    elif len(name.strip()) > 100:
        errors["name"] = ["清单名称最多 100 个字"]
    ids = sorted({int(i) for i in right_ids or []})
    rights = list(Right.objects.filter(pk__in=ids, owner=owner))
    if not ids:
        errors["right_ids"] = ["请至少选择一项权利"]
    elif len(rights) != len(ids):
        errors["right_ids"] = ["只能监测本权利人名下已登记的权利"]
    elif any(r.right_type not in WATCHABLE for r in rights):
        errors["right_ids"] = ["可监测的权利类型：商标、著作权、地理标志"]
    try:
        t = _threshold(threshold)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        wl = WatchList.objects.create(owner=owner, name=name.strip(), threshold=t, created_by=actor)
        wl.rights.set(rights)
        audit.record(actor=actor, action="create", obj=wl,
                     after={"name": wl.name, "threshold": str(t), "rights": [r.pk for r in rights]})
    return wl


def set_threshold(*, actor: User, watch_list: WatchList, threshold: object) -> WatchList:
    """Adjust the alert threshold (after looking at the list's precision)."""
    if not actor.has_perm("monitoring.change_watchlist", watch_list):
        raise Forbidden("只有权利人一方可以调整阈值")
    t = _threshold(threshold)
    with transaction.atomic():
        before = str(watch_list.threshold)
        WatchList.objects.filter(pk=watch_list.pk).update(threshold=t)
        watch_list.threshold = t
        audit.record(actor=actor, action="set_threshold", obj=watch_list, before={"threshold": before},
                     after={"threshold": str(t)})
    return watch_list


# ---- submitting items -------------------------------------------------------------------------------

def _clean_item(source: str, raw: dict[str, Any]) -> tuple[Screening | None, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    try:
        name = validate_name(raw.get("name"))
    except SimilarityInputError as exc:
        errors["name"] = [str(exc)]
        name = ""
    if name and any(ord(c) < 32 and c not in "\t\n\r" for c in name):
        errors["name"] = ["名称含有不可见的控制字符"]
    classes: list[int] = []
    for c in raw.get("nice_classes") or []:
        try:
            n = int(str(c).strip())
        except ValueError:
            n = 0
        if not 1 <= n <= 45:
            errors.setdefault("nice_classes", []).append(f"尼斯分类应为 1–45：{c}")
        elif n not in classes:
            classes.append(n)
    announced = raw.get("announced_on")
    if isinstance(announced, str):
        try:
            announced = dt.date.fromisoformat(announced.strip()) if announced.strip() else None
        except ValueError:
            errors["announced_on"] = [f"日期格式应为 YYYY-MM-DD：{announced}"]
            announced = None
    if source == Screening.Source.APPLICATION and not classes and "nice_classes" not in errors:
        errors["nice_classes"] = ["商标申请须填写尼斯分类"]
    hashes: list[list[str]] = []
    images = raw.get("images") or []
    if len(images) > MAX_IMAGES:
        errors["images"] = [f"每条最多 {MAX_IMAGES} 张图片"]
        images = []
    for n, data in enumerate(images):
        try:
            hashes.append(_image_hashes(data))
        except InvalidInput as exc:
            errors.setdefault("images", []).append(f"第 {n + 1} 张：{exc.errors['image'][0]}")
    text = raw.get("text") or ""
    if not isinstance(text, str) or "\x00" in text:
        errors["text"] = ["页面文字必须是文本"]
    origin, details = raw.get("origin") or "", raw.get("details") or {}
    if not isinstance(origin, str) or len(origin) > 80:
        errors["origin"] = ["来源对象应为不超过 80 字的文本"]
    if not isinstance(details, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str | int)) for k, v in details.items()):
        errors["details"] = ["来源细节应为键值对（文本或整数）"]
    if errors:
        return None, errors
    return Screening(
        source=source, name=name, reference=str(raw.get("reference") or "").strip()[:1000],
        party=str(raw.get("party") or "").strip()[:200], party_uscc=str(raw.get("party_uscc") or "").strip().upper()[:18],
        nice_classes=classes, announced_on=announced, announcement_issue=str(raw.get("announcement_issue") or "")[:20],
        text=text[:200_000], html=str(raw.get("html") or "")[:500_000], image_hashes=hashes,
        origin=origin, details={k: v[:300] if isinstance(v, str) else v for k, v in list(details.items())[:20]},
    ), {}


def _image_hashes(data: object) -> list[str]:
    """pHash of an image and of its mirror image, then its PDQ hash ("" when PDQ is unavailable or the image
    too flat to hash reliably), all hex; base64 text or bytes; corrupt → InvalidInput."""
    from PIL import ImageOps

    from zhibao.similarity.images import PDQ_MIN_QUALITY, load_image, pdq256, phash64

    if isinstance(data, str):
        try:
            data = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput({"image": ["不是有效的 base64 编码"]}) from exc
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput({"image": ["图片应为 base64 文本"]})
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput({"image": [f"图片超过 {MAX_IMAGE_BYTES // 1_000_000} MB"]})
    try:
        img = load_image(bytes(data))
    except SimilarityInputError as exc:
        raise InvalidInput({"image": [f"图片无法解码或格式不支持（{exc}）"]}) from exc
    pdq = pdq256(img)
    pdq_hex = f"{pdq[0]:064x}" if pdq is not None and pdq[1] >= PDQ_MIN_QUALITY else ""
    return [f"{phash64(img):016x}", f"{phash64(ImageOps.mirror(img)):016x}", pdq_hex]


def submit_items(*, actor: User | None, source: str, items: list[dict[str, Any]],
                 skip_owner: Organisation | None = None) -> list[Screening]:
    """Record items to screen (all or none: any bad item → 400 naming it) and screen them in the background.

    ``skip_owner``: a right holder who already knows these items (the notifier of the takedown notice that
    brought the listings), whose own watch lists would only echo its notice back as alerts.
    """
    if actor is not None and not actor.has_perm("monitoring.submit_items"):
        raise Forbidden("无权提交监测条目")
    if source not in Screening.Source.values:
        raise InvalidInput({"source": [f"未知的来源：{source}（可选：{', '.join(Screening.Source.values)}）"]})
    if not items:
        raise InvalidInput({"items": ["请至少提交一条"]})
    if len(items) > MAX_ITEMS:
        raise InvalidInput({"items": [f"单次最多 {MAX_ITEMS} 条"]})
    rows, errors = [], {}
    for n, raw in enumerate(items):
        row, problems = _clean_item(source, raw if isinstance(raw, dict) else {})
        for k, v in problems.items():
            errors[f"items[{n}].{k}"] = v
        if row is not None:
            row.submitted_by = actor
            row.skip_owner = skip_owner
            rows.append(row)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        created = Screening.objects.bulk_create(rows)  # a notice brings up to 300 listings, the platform 1000
        audit.record(actor=actor, action="submit", object_type="monitoring.screening",
                     object_repr=f"{Screening.Source(source).label} {len(created)} 条",
                     after={"ids": [s.pk for s in created][:100], "count": len(created)})
        ids = [s.pk for s in created]
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from zhibao.monitoring.tasks import screen_items

    screen_items.enqueue(ids)


# ---- screening ---------------------------------------------------------------------------------------

def watch_targets(*, brute_force: bool = False) -> rules_engine.Targets:
    """The active watch lists' rights, indexed; build once per batch of items."""
    targets = []
    lists = WatchList.objects.filter(is_active=True).select_related("owner").prefetch_related(
        "rights__owner", "rights__gi_authorised_users")
    for wl in lists:
        for right in wl.rights.all():
            if right.status in (Right.Status.EXPIRED, Right.Status.INVALIDATED):
                continue
            # authorised users by USCC and by registered name (feeds often carry only the seller's name)
            authorised = {v for o in right.gi_authorised_users.all() for v in (o.uscc, o.name) if v}
            text = rules_engine.work_text(right) if right.right_type == RightType.COPYRIGHT else ""
            if not rules_engine.image_of(right) and right.right_type == RightType.COPYRIGHT and not text:
                continue
            targets.append((wl, right, authorised, text))
    return rules_engine.Targets(targets, brute_force=brute_force)


def screen(*, screening_id: int, targets: rules_engine.Targets | None = None, notify_owner: bool = True) -> int:
    """Screen one item against every active watch list; returns the number of new alerts.

    Never raises for a bad item: the error is stored and the item left for a bounded retry.
    """
    item = Screening.objects.filter(pk=screening_id).first()
    if item is None or item.status == Screening.Status.DONE or item.attempts >= MAX_ATTEMPTS:
        return 0
    try:
        with transaction.atomic():
            created = _screen(item, targets if targets is not None else watch_targets(), notify_owner)
        return created
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the item, the worker keeps going
        log.exception("screening %s failed", screening_id)
        attempts = item.attempts + 1
        Screening.objects.filter(pk=item.pk).update(
            attempts=attempts, error=f"{exc.__class__.__name__}: {exc}"[:500],
            status=Screening.Status.FAILED if attempts >= MAX_ATTEMPTS else Screening.Status.PENDING)
        return 0


def _screen(item: Screening, targets: rules_engine.Targets, notify_owner: bool = True) -> int:
    by_list: dict[int, list[Alert]] = {}
    lists: dict[int, WatchList] = {}
    for wl, right, authorised, text in targets.for_item(item):
        if wl.owner_id == item.skip_owner_id:
            continue  # the notifier's own list: the listing is already in its notice
        hit = rules_engine.hits_for(item, right, authorised_usccs=authorised, text_of_work=text,
                                    image_hit=targets.image_hit(item, right))
        if hit is None or hit.score < wl.threshold:
            continue
        try:
            with transaction.atomic():
                alert = Alert.objects.create(watch_list=wl, screening=item, right=right, kind=hit.kind,
                                             score=hit.score, reasons=hit.reasons, deadline=hit.deadline,
                                             deadline_rule=hit.deadline_rule)
        except IntegrityError:
            continue  # already alerted by an earlier attempt
        AlertEvent.objects.create(alert=alert, actor=None, action="raised", to_status=alert.status,
                                  note=f"近似度 {hit.score}（阈值 {wl.threshold}）")
        by_list.setdefault(wl.pk, []).append(alert)
        lists[wl.pk] = wl
    total = sum(len(v) for v in by_list.values())
    Screening.objects.filter(pk=item.pk).update(status=Screening.Status.DONE, screened_at=timezone.now(),
                                                attempts=item.attempts + 1, error="", alert_count=total)
    for pk, alerts in by_list.items() if notify_owner else ():
        wl = lists[pk]
        first = alerts[0]
        title = f"监测预警：{item.name} 与「{first.right.title}」近似" if len(alerts) == 1 else \
            f"监测预警：{item.name} 命中 {len(alerts)} 项权利"
        body = "；".join(first.reasons[:3])
        if first.deadline:
            body += f"。异议期限：{first.deadline:%Y-%m-%d}"
        recipients = User.objects.filter(organisation_id=wl.owner_id, is_active=True)
        notify(recipients=recipients, kind="monitoring.alert", title=title, body=body,
               url=f"/monitoring/alerts/{first.pk}/")
    return total


def retry_due(*, now: dt.datetime, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> tuple[int, int]:
    """Screen items still pending (never run, or failed fewer than MAX_ATTEMPTS times); (screened, alerts)."""
    due = list(Screening.objects.filter(status=Screening.Status.PENDING, attempts__lt=MAX_ATTEMPTS,
                                        created_at__lte=now - older_than).values_list("pk", flat=True)[:1000])
    targets = watch_targets() if due else None
    alerts = sum(screen(screening_id=pk, targets=targets) for pk in due)
    return len(due), alerts


# ---- triage --------------------------------------------------------------------------------------------

def _transition(alert: Alert, name: str) -> None:
    method = getattr(alert, name)
    if not can_proceed(method):
        allowed = sorted(t.name for t in alert.get_available_status_transitions())
        raise Conflict(f"当前状态（{alert.get_status_display()}）不允许此操作", allowed_transitions=allowed,
                       status=alert.status)
    method()


def dismiss_alert(*, actor: User, alert: Alert, reason: str, true_positive: bool = False) -> Alert:
    """Rule an alert out with a reason; ``true_positive`` says whether it was similar all the same
    (e.g. a licensee), which is what the precision per watch list counts."""
    if not actor.has_perm("monitoring.triage_alert", alert.watch_list):
        raise Forbidden("只有权利人一方可以处理预警")
    if not (reason or "").strip():
        raise InvalidInput({"reason": ["请填写排除理由"]})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        before = alert.status
        _transition(alert, "dismiss")
        alert.dismiss_reason = reason.strip()[:300]
        alert.true_positive = bool(true_positive)
        alert.decided_at = timezone.now()
        alert.save()
        AlertEvent.objects.create(alert=alert, actor=actor, action="dismissed", from_status=before,
                                  to_status=alert.status, note=alert.dismiss_reason)
        audit.record(actor=actor, action="dismiss", obj=alert, before={"status": before},
                     after={"status": alert.status, "reason": alert.dismiss_reason,
                            "true_positive": alert.true_positive})
    return alert


@dataclass
class ConfirmOutcome:
    """What the next step (a notice to a platform, a complaint) needs: the alert, its deposit, a draft."""

    alert: Alert
    deposit: Any
    draft: dict[str, Any] = field(default_factory=dict)


def confirm_alert(*, actor: User, alert: Alert, capture_url: bool = False) -> ConfirmOutcome:
    """Confirm an alert as a real lead and deposit the evidence in one step.

    The deposit holds the side-by-side statement plus the page as submitted (HTML); with
    ``capture_url`` and a web address, the live page is captured in Chromium instead. The returned
    ``draft`` carries what a notice or complaint form needs (right, respondent, reference, reasons).
    """
    from zhibao.evidence import services as evidence

    if not actor.has_perm("monitoring.triage_alert", alert.watch_list):
        raise Forbidden("只有权利人一方可以处理预警")
    if alert.status != Alert.Status.NEW:
        _transition(alert, "confirm")  # raises Conflict with the allowed transitions
    s = alert.screening
    title = f"监测预警 #{alert.pk}：{s.name}"[:200]
    if capture_url and s.reference.startswith(("http://", "https://")):
        outcome = evidence.capture_and_deposit(actor=actor, url=s.reference, title=title, category="infringement")
    else:
        files = [SimpleUploadedFile("page.html", s.html.encode("utf-8"))] if s.html else []
        outcome = evidence.make_deposit(actor=actor, title=title, files=files, statement=side_by_side_text(alert),
                                        source_url=s.reference if s.reference.startswith("http") else "",
                                        category="comparison")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        before = alert.status
        _transition(alert, "confirm")
        alert.true_positive = True
        alert.deposit = outcome.deposit
        alert.decided_at = timezone.now()
        alert.save()
        AlertEvent.objects.create(alert=alert, actor=actor, action="confirmed", from_status=before,
                                  to_status=alert.status, note=f"存证 {outcome.deposit.deposit_no}")
        audit.record(actor=actor, action="confirm", obj=alert, before={"status": before},
                     after={"status": alert.status, "deposit_no": outcome.deposit.deposit_no})
    return ConfirmOutcome(alert, outcome.deposit, draft_of(alert))
