"""Writes to the rights register: per-type validation, permission, audit, optimistic locking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.orgs.models import Organisation
from zhibao.rights import validation
from zhibao.rights.models import Licence, Right, RightType

FIELDS = (
    "right_type", "number", "title", "owner_id", "status", "valid_from", "valid_until", "patent_kind",
    "grant_number", "ipc", "claims", "nice_classes", "goods", "self_declared", "secret_description",
    "gi_product", "gi_area", "notes",
)


def _clean(data: dict[str, Any], instance: Right | None = None) -> dict[str, Any]:
    """Validate and normalise the fields of a right; raise InvalidInput naming every bad field."""
    errors: dict[str, list[str]] = {}
    rtype = data.get("right_type")
    if rtype not in RightType.values:
        raise InvalidInput({"right_type": [f"未知的权利类型：{rtype}（可选：{', '.join(RightType.values)}）"]})
    if not (data.get("title") or "").strip():
        errors.setdefault("title", []).append("名称不能为空")
    data["title"] = (data.get("title") or "").strip()
    if data.get("status") not in Right.Status.values:
        errors.setdefault("status", []).append(f"未知的状态：{data.get('status')}")
    for field in ("valid_from", "valid_until"):
        value = data.get(field)
        if isinstance(value, str):
            try:
                data[field] = dt.date.fromisoformat(value.strip()) if value.strip() else None
            except ValueError:
                errors.setdefault(field, []).append(f"日期格式应为 YYYY-MM-DD：{value}")
    if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        errors.setdefault("valid_until", []).append("届满日不能早于生效日")
    number = (data.get("number") or "").strip()
    if rtype == RightType.PATENT:
        normalised, kind, problems = validation.patent_number(number)
        if problems:
            errors.setdefault("number", []).extend(problems)
        else:
            number = normalised
            data["patent_kind"] = data.get("patent_kind") or kind
        if data.get("patent_kind") not in Right.PatentKind.values:
            errors.setdefault("patent_kind", []).append("专利类型应为发明、实用新型或外观设计")
        if data.get("ipc"):
            bad = validation.ipc_problems(data["ipc"])
            if bad:
                errors.setdefault("ipc", []).extend(bad)
    elif rtype == RightType.TRADEMARK:
        if not number.isdigit():
            errors.setdefault("number", []).append("商标注册号/申请号应为数字")
        classes, problems = validation.nice_classes(data.get("nice_classes"))
        if problems:
            errors.setdefault("nice_classes", []).extend(problems)
        elif not classes:
            errors.setdefault("nice_classes", []).append("请至少填写一个尼斯分类（1-45）")
        data["nice_classes"] = classes
    elif rtype == RightType.COPYRIGHT:
        if not number and not data.get("self_declared"):
            errors.setdefault("number", []).append("请填写著作权登记号，或勾选自主声明作品")
    elif rtype == RightType.TRADE_SECRET:
        if not (data.get("secret_description") or "").strip():
            errors.setdefault("secret_description", []).append("请填写秘密点描述（仅权利人可见）")
    elif rtype == RightType.GI:
        if not (data.get("gi_product") or "").strip():
            errors.setdefault("gi_product", []).append("请填写地理标志产品名称")
    if rtype != RightType.TRADEMARK:
        data["nice_classes"] = []
    data["number"] = number
    data["classes_key"] = "," + ",".join(str(c) for c in data["nice_classes"]) + "," if data["nice_classes"] else ""
    if number:
        clash = Right.objects.filter(right_type=rtype, number=number)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.setdefault("number", []).append(f"{number} 已登记")
    if errors:
        raise InvalidInput(errors)
    return data


@transaction.atomic
def register_right(*, actor: User | None, owner: Organisation, right_type: str, title: str, number: str = "",
                   status: str = Right.Status.VALID, valid_from: Any = None, valid_until: Any = None,
                   patent_kind: str = "", grant_number: str = "", ipc: str = "", claims: str = "",
                   nice_classes: Any = None, goods: str = "", self_declared: bool = False,
                   secret_description: str = "", gi_product: str = "", gi_area: str = "", notes: str = "",
                   mark_image=None, work_file=None) -> Right:  # noqa: ANN001
    """Register a right for ``owner``; the actor must act for the owner or be a register admin."""
    probe = Right(owner=owner)
    if actor is not None and not (actor.has_perm("rights.add_right") and (
            actor.has_perm("rights.change_right", probe))):
        raise Forbidden("无权为该权利人登记权利")
    data = _clean({
        "right_type": right_type, "number": number, "title": title, "owner_id": owner.pk, "status": status,
        "valid_from": valid_from, "valid_until": valid_until, "patent_kind": patent_kind,
        "grant_number": grant_number, "ipc": ipc, "claims": claims, "nice_classes": nice_classes or [],
        "goods": goods, "self_declared": self_declared, "secret_description": secret_description,
        "gi_product": gi_product, "gi_area": gi_area, "notes": notes,
    })
    if right_type == RightType.COPYRIGHT and self_declared and work_file is None:
        raise InvalidInput({"work_file": ["自主声明作品须上传作品文件"]})
    if mark_image is not None:
        validation.check_image_upload(mark_image, field="mark_image")
        data["mark_image"] = mark_image
    if work_file is not None:
        validation.check_document_upload(work_file, field="work_file")
        data["work_file"] = work_file
    try:
        with transaction.atomic():
            right = Right.objects.create(**data)
    except IntegrityError as exc:
        raise InvalidInput({"number": ["该编号已登记"]}) from exc
    audit.record(actor=actor, action="create", obj=right, after=audit.snapshot(right, exclude=("secret_description",)))
    return right


@transaction.atomic
def update_right(*, actor: User, right: Right, changes: dict[str, Any], expected_version: int | None = None) -> Right:
    if not actor.has_perm("rights.change_right", right):
        raise Forbidden("无权修改该权利")
    unknown = set(changes) - (set(FIELDS) - {"owner_id", "right_type"})
    if unknown:
        raise InvalidInput({k: ["不可修改的字段"] for k in sorted(unknown)})
    locked = Right.objects.select_for_update().get(pk=right.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict("该权利已被他人修改，请刷新后重试", current_version=locked.version)
    before = audit.snapshot(locked, exclude=("secret_description",))
    data = {f: getattr(locked, f) for f in FIELDS}
    data.update(changes)
    data = _clean(data, instance=locked)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.version += 1
    locked.save()
    old, new = audit.diff(before, audit.snapshot(locked, exclude=("secret_description",)))
    audit.record(actor=actor, action="update", obj=locked, before=old, after=new)
    return locked


def _decimal(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput({field: [f"金额格式有误：{value}"]}) from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidInput({field: ["金额必须是不小于 0 的数字"]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def add_licence(*, actor: User | None, right: Right, licensee: Organisation, fee: Any, start: Any,
                end: Any = None, kind: str = Licence.Kind.ORDINARY, recordal_no: str = "") -> Licence:
    if actor is not None and not actor.has_perm("rights.change_right", right):
        raise Forbidden("无权为该权利登记许可")
    if kind not in Licence.Kind.values:
        raise InvalidInput({"kind": [f"未知的许可类型：{kind}"]})
    if licensee.pk == right.owner_id:
        raise InvalidInput({"licensee": ["被许可人不能是权利人本身"]})
    try:
        start_d = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        end_d = end if (end is None or isinstance(end, dt.date)) else (dt.date.fromisoformat(str(end)) if end else None)
    except ValueError as exc:
        raise InvalidInput({"start": ["日期格式应为 YYYY-MM-DD"]}) from exc
    if end_d and end_d < start_d:
        raise InvalidInput({"end": ["终止日不能早于起始日"]})
    licence = Licence.objects.create(right=right, licensee=licensee, fee=_decimal(fee, "fee"), start=start_d,
                                     end=end_d, kind=kind, recordal_no=recordal_no)
    audit.record(actor=actor, action="add_licence", obj=right, after=audit.snapshot(licence))
    return licence


@transaction.atomic
def set_gi_authorised_users(*, actor: User, right: Right, users: list[Organisation]) -> Right:
    """Replace the authorised users of a geographical indication (核准使用人), audited as before/after."""
    if right.right_type != RightType.GI:
        raise InvalidInput({"right_type": ["只有地理标志才有核准使用人"]})
    if not actor.has_perm("rights.change_right", right):
        raise Forbidden("无权修改该地理标志")
    before = sorted(right.gi_authorised_users.values_list("pk", flat=True))
    right.gi_authorised_users.set(users)
    after = sorted(o.pk for o in users)
    audit.record(actor=actor, action="set_gi_users", obj=right, before={"gi_authorised_users": before},
                 after={"gi_authorised_users": after})
    return right
