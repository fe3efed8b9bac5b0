"""Writes to the organisations register: validated, permission-checked, audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.law import uscc as uscc_lib
from zhibao.orgs.models import Contact, District, Organisation

EDITABLE_FIELDS = (
    "name", "kind", "sector", "uscc", "country", "foreign_registration_no", "district_id",
    "address", "legal_representative", "shop_url", "industry", "provisional",
)


def _validate_identity(data: dict) -> dict[str, list[str]]:
    """USCC (domestic) or country + registration number (foreign); fills derived fields."""
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors.setdefault("name", []).append("名称不能为空")
    kind = data.get("kind") or Organisation.Kind.COMPANY
    if kind not in Organisation.Kind.values:
        errors.setdefault("kind", []).append(f"未知的主体类型：{kind}")
    if data.get("sector") and data["sector"] not in Organisation.Sector.values:
        errors.setdefault("sector", []).append(f"未知的行业角色：{data['sector']}")
    code = (data.get("uscc") or "").strip().upper()
    data["uscc"] = code or None
    if kind == Organisation.Kind.FOREIGN:
        if not (data.get("country") or "").strip():
            errors.setdefault("country", []).append("境外主体须填写国家/地区")
        if not (data.get("foreign_registration_no") or "").strip():
            errors.setdefault("foreign_registration_no", []).append("境外主体须填写境外登记号")
        data["uscc"] = None
    elif code:
        result = uscc_lib.validate(code)
        if not result.valid:
            errors.setdefault("uscc", []).extend(result.errors)
        else:
            data["uscc_warnings"] = list(result.warnings)
            data["entity_type"] = result.entity_type or ""
            if not data.get("district_id") and result.division_code:
                if District.objects.filter(code=result.division_code).exists():
                    data["district_id"] = result.division_code
    elif not data.get("provisional"):
        errors.setdefault("uscc", []).append("境内主体须填写统一社会信用代码（身份不明的被投诉人可登记为待核实主体）")
    district = data.get("district_id")
    if district and not District.objects.filter(code=district).exists():
        errors.setdefault("district", []).append(f"未知的行政区划代码：{district}")
    return errors


def _duplicate_errors(data: dict, exclude_pk: int | None = None) -> dict[str, list[str]]:
    qs = Organisation.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if data.get("uscc") and qs.filter(uscc=data["uscc"]).exists():
        return {"uscc": [f"统一社会信用代码 {data['uscc']} 已登记"]}
    if data.get("kind") == Organisation.Kind.FOREIGN and qs.filter(
        kind=Organisation.Kind.FOREIGN, country=data.get("country", ""),
        foreign_registration_no=data.get("foreign_registration_no", ""),
    ).exists():
        return {"foreign_registration_no": ["该境外登记号已登记"]}
    return {}


@transaction.atomic
def register_organisation(*, actor: User | None, name: str, kind: str = Organisation.Kind.COMPANY,
                          sector: str = Organisation.Sector.GENERAL, uscc: str = "", country: str = "",
                          foreign_registration_no: str = "", district_code: str = "", address: str = "",
                          legal_representative: str = "", shop_url: str = "", industry: str = "",
                          provisional: bool = False) -> Organisation:
    """Register a market entity. ``actor=None`` is the system (demo data, migrations)."""
    if actor is not None and not actor.has_perm("orgs.add_organisation"):
        raise Forbidden("无权登记市场主体")
    data = {
        "name": name.strip(), "kind": kind, "sector": sector or Organisation.Sector.GENERAL, "uscc": uscc,
        "country": country.strip(), "foreign_registration_no": foreign_registration_no.strip(),
        "district_id": district_code or None, "address": address, "legal_representative": legal_representative,
        "shop_url": shop_url, "industry": industry, "provisional": provisional,
    }
    errors = _validate_identity(data) or _duplicate_errors(data)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            org = Organisation.objects.create(**data)
    except IntegrityError as exc:
        raise InvalidInput({"uscc": ["该主体已登记"]}) from exc
    audit.record(actor=actor, action="create", obj=org, after=audit.snapshot(org))
    return org


@transaction.atomic
def update_organisation(*, actor: User, org: Organisation, expected_version: int | None = None,
                        changes: dict) -> Organisation:
    """Change an organisation; ``expected_version`` guards against concurrent edits (409)."""
    if not actor.has_perm("orgs.change_organisation", org):
        raise Forbidden("无权修改该市场主体")
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"district_code"}
    if unknown:
        raise InvalidInput({k: ["不可修改的字段"] for k in sorted(unknown)})
    locked = Organisation.objects.select_for_update().get(pk=org.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict("该主体已被他人修改，请刷新后重试", current_version=locked.version)
    before = audit.snapshot(locked)
    data = {f: getattr(locked, f) for f in EDITABLE_FIELDS}
    if "district_code" in changes:
        changes = {**changes, "district_id": changes.pop("district_code") or None}
    data.update(changes)
    if locked.uscc and data.get("uscc") != locked.uscc and actor.role not in ("city_admin", "district_admin"):
        raise Forbidden("统一社会信用代码只能由管理员更正")
    errors = _validate_identity(data) or _duplicate_errors(data, exclude_pk=locked.pk)
    if errors:
        raise InvalidInput(errors)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.version += 1
    locked.save()
    old, new = audit.diff(before, audit.snapshot(locked))
    audit.record(actor=actor, action="update", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def set_organisation_active(*, actor: User, org: Organisation, active: bool, reason: str) -> Organisation:
    """Deactivate (never delete) or reactivate an organisation, with a reason."""
    if actor.role not in ("city_admin", "district_admin"):
        raise Forbidden("只有管理员可以停用或恢复市场主体")
    if not reason.strip():
        raise InvalidInput({"reason": ["请填写原因"]})
    org.is_active = active
    org.version += 1
    org.save(update_fields=["is_active", "version", "updated_at"])
    audit.record(actor=actor, action="activate" if active else "deactivate", obj=org, reason=reason)
    return org


@transaction.atomic
def add_contact(*, actor: User | None, org: Organisation, name: str, title: str = "", phone: str = "",
                email: str = "", is_representative: bool = False) -> Contact:
    if actor is not None and not actor.has_perm("orgs.change_organisation", org):
        raise Forbidden("无权修改该市场主体")
    if not name.strip():
        raise InvalidInput({"name": ["姓名不能为空"]})
    if phone and not phone.replace("-", "").replace("+", "").replace(" ", "").isdigit():
        raise InvalidInput({"phone": ["电话号码只能包含数字、空格、+ 和 -"]})
    contact = Contact.objects.create(organisation=org, name=name.strip(), title=title, phone=phone,
                                     email=email, is_representative=is_representative)
    audit.record(actor=actor, action="add_contact", obj=org, after=audit.snapshot(contact))
    return contact
