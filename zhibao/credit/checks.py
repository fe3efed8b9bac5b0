"""Joint-discipline checks (联合惩戒核查) for agencies: is this USCC restricted for this measure?

Every answer is logged as a ``CreditCheck`` (agency, purpose, measure, what was answered) and shown to the
entity ("谁查询了我的信用"). An unknown but valid code answers ``known: false, restricted: false`` — not
404 — so a caller cannot mistake "not found" for "clean" or the other way round. Hot path: one statement
reads the rate window, the organisations, their listings and decisions (indexed joins); one write — a single
statement on PostgreSQL, one transaction on SQLite — logs the check and the API call's token use. With the
token look-up that is three round trips to PostgreSQL per check, where there were nine.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from zhibao.core.errors import Forbidden, InvalidInput, ServiceError
from zhibao.core.rawrows import Columns, execute_together, in_values, insert_rows, insert_statement
from zhibao.credit.models import MEASURE_ALIASES, CreditCheck, Listing, ListingDecision, ListType, Measure
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


def _throttle(actor, token, n: int, used: int, now: dt.datetime) -> None:  # noqa: ANN001
    """A sliding one-minute window per token (or per user for session calls), counted from the check log itself.

    The log is already written for every code and indexed by (token, at) and (user, at), so the limit holds
    across every server process and restart without a shared cache and costs one indexed count (``used``, read
    with the rest of the check by ``_read``). Concurrent requests may each pass before either is logged: the
    overshoot is bounded by the number in flight.
    """
    limit = settings.ZHIBAO_CREDIT_CHECK_RATE
    if used + n > limit:
        since = now - dt.timedelta(seconds=60)
        recent = CreditCheck.objects.filter(at__gt=since,
                                            **({"token": token} if token else {"user": actor, "token": None}))
        oldest = recent.order_by("at").values_list("at", flat=True).first() or now
        retry_after = max(1, int((oldest - since).total_seconds()) + 1)
        raise RateLimited(f"查询过于频繁：每分钟最多 {limit} 个代码（最近一分钟已查询 {used} 个）",
                          retry_after=retry_after, limit=limit)


@cache
def _window_sql(*, by_token: bool) -> str:
    """Checks logged since a moment by this token (or this user's session calls), counted no further than a cap:
    the index is walked no further than the limit needs, however busy the token is."""
    qn, meta = connection.ops.quote_name, CreditCheck._meta
    token_col, user_col, at_col = (qn(meta.get_field(name).column) for name in ("token", "user", "at"))
    who = f"{token_col} = %s" if by_token else f"{user_col} = %s AND {token_col} IS NULL"
    return f"SELECT COUNT(*) FROM (SELECT 1 FROM {qn(meta.db_table)} WHERE {who} AND {at_col} > %s LIMIT %s) recent"  # noqa: S608


def _agency_name(actor) -> str:  # noqa: ANN001
    org = getattr(actor, "organisation", None)
    return (org.name if org is not None else str(actor))[:200]


def _listing_row(listing: Listing, decision_no: str) -> dict:
    return {"list": listing.list_type.name, "list_code": listing.list_type.code,
            "authority": listing.list_type.issuing_authority,
            "basis": f"{listing.basis}；{listing.list_type.basis}", "decision_no": decision_no,
            "from": listing.start_on.isoformat(), "until": listing.end_on.isoformat(),
            "measures": list(listing.list_type.measures)}


@cache
def _read_parts() -> tuple[Columns, Columns, Columns, str]:
    """The statement of ``_read`` around its two variable parts (the rate window and the list of codes), written
    once from the models' metadata (see ``zhibao.core.rawrows``)."""
    org, listing, ltype = Columns(Organisation, "o"), Columns(Listing, "l"), Columns(ListType, "t")
    decision = connection.ops.quote_name(ListingDecision._meta.db_table)
    # one row even when no code is known (the LEFT JOIN from a one-row table), so the window count always arrives;
    # superseded decisions are skipped in Python: "superseded_by_id IS NULL" in SQL made SQLite walk the unique
    # index of every current decision in the country instead of this listing's few rows
    head = f"SELECT ({{window}}), {org.sql()}, {listing.sql()}, {ltype.sql()}, d.decision_no, d.superseded_by_id "
    tail = (f"LEFT JOIN {listing.table} ON l.organisation_id = o.id AND l.status = %s AND l.start_on <= %s "
            f"AND l.end_on >= %s LEFT JOIN {ltype.table} ON t.id = l.list_type_id "
            f"LEFT JOIN {decision} d ON d.listing_id = l.id "
            "ORDER BY o.id, l.proposed_at DESC, l.id DESC, d.decided_at, d.id")
    return org, listing, ltype, f"{head}FROM (SELECT 1 AS one) q LEFT JOIN {org.table} ON {{codes}} {tail}"


def _read(actor, token, codes: list[str], now: dt.datetime, cap: int) -> tuple[int, dict[str, Organisation],  # noqa: ANN001
                                                                                dict[int, list[dict]]]:
    """Everything a check reads, in one statement (on PostgreSQL each statement is a network round trip): how many
    codes the caller checked in the last minute (counted up to ``cap``), the organisations with these codes, and
    their published listings in force today with list type and current decision number (newest proposal first,
    the model's order)."""
    org_cols, listing_cols, type_cols, template = _read_parts()
    window = _window_sql(by_token=token is not None)
    codes_sql, codes_params = in_values("o.uscc", codes)
    sql = template.replace("{window}", window).replace("{codes}", codes_sql)
    day = connection.ops.adapt_datefield_value(timezone.localdate(now))
    since = connection.ops.adapt_datetimefield_value(now - dt.timedelta(seconds=60))
    params = [token.pk if token else actor.pk, since, cap, *codes_params, Listing.Status.PUBLISHED, day, day]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    used = rows[0][0]
    orgs: dict[int, Organisation] = {}
    found: dict[int, Listing] = {}
    current: dict[int, str] = {}
    listing_at, type_at = 1 + len(org_cols), 1 + len(org_cols) + len(listing_cols)
    decision_at = type_at + len(type_cols)
    for row in rows:
        org_pk, listing_pk = org_cols.pk(row, 1), listing_cols.pk(row, listing_at)
        if org_pk is not None and org_pk not in orgs:
            orgs[org_pk] = org_cols.load(row, 1)
        if listing_pk is None:
            continue
        if listing_pk not in found:
            listing = listing_cols.load(row, listing_at)
            listing.list_type = type_cols.load(row, type_at)
            found[listing_pk] = listing
        decision_no, superseded_by = row[decision_at], row[decision_at + 1]
        if decision_no is not None and superseded_by is None:  # decisions in the model's order: the last standing
            current[listing_pk] = decision_no
    listings: dict[int, list[dict]] = defaultdict(list)
    for listing in found.values():
        listings[listing.organisation_id].append(_listing_row(listing, current.get(listing.pk, "")))
    return used, {o.uscc: o for o in orgs.values()}, listings


def _answer(code: str, org: Organisation | None, listings: list[dict], measure: str) -> tuple[dict, bool]:
    applying = [r for r in listings if not measure or measure in r["measures"]]
    measures = sorted({m for r in applying for m in r["measures"]} if not measure else ({measure} if applying else set()))
    restricted = bool(applying)
    return {"uscc": code, "name": org.name if org else None, "known": org is not None, "restricted": restricted,
            "measure": measure or None, "measures": measures, "listings": applying}, restricted


def check_many(*, actor, codes: list[str], measure: str = "", purpose: str = "", token=None,  # noqa: ANN001
               now: dt.datetime | None = None, also_write: Sequence[Model] = ()) -> list[dict]:
    """Answer for each code (order kept); invalid codes → 400 naming each failed check. ``also_write``: audit rows
    (the API call's token use) inserted in the same transaction as the check log."""
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
    used, orgs, listings = _read(actor, token, sorted(set(normalised)), when, settings.ZHIBAO_CREDIT_CHECK_RATE + 1)
    _throttle(actor, token, len(codes), used, when)
    batch = uuid.uuid4() if len(codes) > 1 else None
    answers, rows = [], []
    common = (actor.pk, getattr(token, "pk", None), _agency_name(actor), purpose.strip()[:200], measure)
    for code in normalised:
        org = orgs.get(code)
        body, restricted = _answer(code, org, listings.get(org.pk, []) if org else [], measure)
        check_id = uuid.uuid4()
        rows.append((check_id, *common, code, org.pk if org else None, restricted))
        answers.append({**body, "checked_at": when.isoformat(), "check_id": str(check_id)})
    _insert_logs(rows, when=when, batch=batch, also_write=also_write)
    return answers


#: the check log's fields in the order ``check_many`` builds its rows (columns come from the model's metadata)
_LOG_FIELDS = ("check_id", "user", "token", "agency_name", "purpose", "measure", "uscc", "organisation",
               "restricted", "at", "batch")


def _uuid(value: uuid.UUID | None) -> object:
    if value is None:
        return None
    return value if connection.features.has_native_uuid_field else value.hex


def _insert_logs(rows: list[tuple], *, when: dt.datetime, batch: uuid.UUID | None,
                 also_write: Sequence[Model] = ()) -> None:
    """The check log's rows (``rawrows.insert_rows``: ``bulk_create`` spent most of a 1,000-code batch building
    instances and compiling per-field SQL), written together with ``also_write`` (``rawrows.execute_together``)."""
    tail = (connection.ops.adapt_datetimefield_value(when), _uuid(batch))
    values = [(_uuid(row[0]), *row[1:], *tail) for row in rows]
    execute_together([*insert_rows(CreditCheck, _LOG_FIELDS, values),
                      *(insert_statement(instance) for instance in also_write)])


def check(*, actor, uscc: str, measure: str = "", purpose: str = "", token=None,  # noqa: ANN001
          now: dt.datetime | None = None, also_write: Sequence[Model] = ()) -> dict:
    return check_many(actor=actor, codes=[uscc], measure=measure, purpose=purpose, token=token, now=now,
                      also_write=also_write)[0]
