"""Joint-discipline checks (联合惩戒核查) for agencies: is this USCC restricted for this measure?

Every answer is logged as a ``CreditCheck`` (agency, purpose, measure, what was answered) and shown to the
entity ("谁查询了我的信用"). An unknown but valid code answers ``known: false, restricted: false`` — not
404 — so a caller cannot mistake "not found" for "clean" or the other way round. Hot path: one indexed
query for the organisations, one for their listings, one insert for the log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from zhibao.core.errors import Forbidden, InvalidInput, ServiceError
from zhibao.credit.models import MEASURE_ALIASES, CreditCheck, Listing, Measure
from zhibao.law import uscc as uscc_lib
from zhibao.orgs.models import Organisation

MAX_BATCH = 1000


class RateLimited(ServiceError):
    status = 429


def _measure(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    value = MEASURE_ALIASES.get(raw, raw)
    if value not in Measure.values:
        raise InvalidInput({"measure": [f"未知的措施：{raw}（可选：{', '.join(Measure.values)}）"]})
    return value


def _throttle(actor, token, n: int, now: dt.datetime) -> None:  # noqa: ANN001
    """A sliding one-minute window per token (or per user for session calls), counted from the check log itself.

    The log is already written for every code and indexed by (token, at) and (user, at), so the limit holds
    across every server process and restart without a shared cache and costs one indexed count. Concurrent
    requests may each pass before either is logged: the overshoot is bounded by the number in flight.
    """
    limit = settings.ZHIBAO_CREDIT_CHECK_RATE
    since = now - dt.timedelta(seconds=60)
    recent = CreditCheck.objects.filter(at__gt=since, **({"token": token} if token else {"user": actor, "token": None}))
    used = recent.count()
    if used + n > limit:
        oldest = recent.order_by("at").values_list("at", flat=True).first() or now
        retry_after = max(1, int((oldest - since).total_seconds()) + 1)
        raise RateLimited(f"查询过于频繁：每分钟最多 {limit} 个代码（最近一分钟已查询 {used} 个）",
                          retry_after=retry_after, limit=limit)


def _agency_name(actor) -> str:  # noqa: ANN001
    org = getattr(actor, "organisation", None)
    return (org.name if org is not None else str(actor))[:200]


def _listing_row(listing: Listing, decision_no: str) -> dict:
    return {"list": listing.list_type.name, "list_code": listing.list_type.code,
            "authority": listing.list_type.issuing_authority,
            "basis": f"{listing.basis}；{listing.list_type.basis}", "decision_no": decision_no,
            "from": listing.start_on.isoformat(), "until": listing.end_on.isoformat(),
            "measures": list(listing.list_type.measures)}


def _in_force(today: dt.date, orgs: list[Organisation]) -> dict[int, list[dict]]:
    rows: dict[int, list[dict]] = defaultdict(list)
    listings = (Listing.objects.filter(organisation__in=orgs, status=Listing.Status.PUBLISHED, start_on__lte=today,
                                       end_on__gte=today)
                .select_related("list_type").prefetch_related("decisions"))
    for listing in listings:
        current = [d for d in listing.decisions.all() if d.superseded_by_id is None]
        rows[listing.organisation_id].append(_listing_row(listing, current[-1].decision_no if current else ""))
    return rows


def _answer(code: str, org: Organisation | None, listings: list[dict], measure: str) -> tuple[dict, bool]:
    applying = [r for r in listings if not measure or measure in r["measures"]]
    measures = sorted({m for r in applying for m in r["measures"]} if not measure else ({measure} if applying else set()))
    restricted = bool(applying)
    return {"uscc": code, "name": org.name if org else None, "known": org is not None, "restricted": restricted,
            "measure": measure or None, "measures": measures, "listings": applying}, restricted


def check_many(*, actor, codes: list[str], measure: str = "", purpose: str = "", token=None,  # noqa: ANN001
               now: dt.datetime | None = None) -> list[dict]:
    """Answer for each code (order kept); invalid codes → 400 naming each failed check."""
    if not actor.has_perm("credit.check"):
        raise Forbidden("只有联合惩戒成员单位和信用管理人员可以核查信用")
    if not codes:
        raise InvalidInput({"uscc": ["请至少提供一个统一社会信用代码"]})
    if len(codes) > MAX_BATCH:
        raise InvalidInput({"uscc": [f"每次最多核查 {MAX_BATCH} 个代码，实际 {len(codes)} 个"]})
    measure = _measure(measure)
    errors: dict[str, list[str]] = {}
    normalised = []
    for raw in codes:
        result = uscc_lib.validate(raw)
        if not result.valid:
            errors[f"uscc:{raw}" if len(codes) > 1 else "uscc"] = result.errors
        normalised.append(result.code)
    if errors:
        raise InvalidInput(errors, message="统一社会信用代码校验未通过")
    when = now or timezone.now()
    _throttle(actor, token, len(codes), when)
    orgs = {o.uscc: o for o in Organisation.objects.filter(uscc__in=set(normalised))}
    listings = _in_force(timezone.localdate(when), list(orgs.values()))
    batch = uuid.uuid4() if len(codes) > 1 else None
    answers, rows = [], []
    common = (actor.pk, getattr(token, "pk", None), _agency_name(actor), purpose.strip()[:200], measure)
    for code in normalised:
        org = orgs.get(code)
        body, restricted = _answer(code, org, listings.get(org.pk, []) if org else [], measure)
        check_id = uuid.uuid4()
        rows.append((check_id, *common, code, org.pk if org else None, restricted))
        answers.append({**body, "checked_at": when.isoformat(), "check_id": str(check_id)})
    _insert_logs(rows, when=when, batch=batch)
    return answers


_LOG_COLUMNS = ("check_id", "user_id", "token_id", "agency_name", "purpose", "measure", "uscc", "organisation_id",
                "restricted", "at", "batch")


def _uuid(value: uuid.UUID | None) -> object:
    if value is None:
        return None
    return value if connection.features.has_native_uuid_field else value.hex


def _insert_logs(rows: list[tuple], *, when: dt.datetime, batch: uuid.UUID | None) -> None:
    """One multi-row INSERT per 500 rows: ``bulk_create`` spent most of a 1,000-code batch building instances
    and compiling per-field SQL."""
    table = connection.ops.quote_name(CreditCheck._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _LOG_COLUMNS)
    tail = (connection.ops.adapt_datetimefield_value(when), _uuid(batch))
    values = [(_uuid(row[0]), *row[1:], *tail) for row in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(_LOG_COLUMNS)) + ")"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {placeholders}",  # noqa: S608 - names from the model
                           [value for row in chunk for value in row])


def check(*, actor, uscc: str, measure: str = "", purpose: str = "", token=None,  # noqa: ANN001
          now: dt.datetime | None = None) -> dict:
    return check_many(actor=actor, codes=[uscc], measure=measure, purpose=purpose, token=token, now=now)[0]
