"""Rows read by hand-written SQL come back as the same model instances the ORM would build."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhibao.accounts import services as accounts
from zhibao.accounts.api_auth import token_with_user
from zhibao.accounts.models import ApiToken, ApiTokenUse, User
from zhibao.core.rawrows import (
    Columns,
    Statement,
    execute_together,
    in_values,
    insert,
    insert_rows,
    insert_statement,
)

pytestmark = pytest.mark.django_db


def _select(cols: Columns, *, where: str, params: list) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols.sql()} FROM {cols.table} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()


def test_loaded_instance_equals_the_orm_instance_field_by_field(demo):  # noqa: ANN001
    token, _ = accounts.issue_token(actor=demo["caigou"], name="采购核查", scopes=["credit:check"],
                                    expires_in_days=30)
    cols = Columns(ApiToken, "t")
    loaded = cols.load(_select(cols, where="t.id = %s", params=[token.pk]))
    fresh = ApiToken.objects.get(pk=token.pk)
    for name in cols.names:
        assert getattr(loaded, name) == getattr(fresh, name), name
    assert loaded.scopes == ["credit:check"]  # JSON decoded, not text
    assert loaded.created_at.tzinfo is not None and loaded.expires_at > timezone.now()  # aware datetimes
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_an_outer_join_that_found_nothing_loads_none(demo):  # noqa: ANN001
    token, _ = accounts.issue_token(actor=demo["caigou"], name="x", scopes=["credit:check"])
    token_cols, user_cols = Columns(ApiToken, "t"), Columns(User, "u")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {token_cols.sql()}, {user_cols.sql()} FROM {token_cols.table} "
                       f"LEFT JOIN {user_cols.table} ON u.id = -1 WHERE t.id = %s", [token.pk])
        row = cursor.fetchone()
    assert token_cols.load(row).pk == token.pk
    assert user_cols.load(row, len(token_cols)) is None


def test_token_lookup_loads_user_and_organisation_and_rejects_unknown_keys(demo, django_assert_num_queries):  # noqa: ANN001
    _, raw = accounts.issue_token(actor=demo["caigou"], name="采购核查", scopes=["credit:check"])
    found = token_with_user(raw)
    assert found is not None and found.user == demo["caigou"]
    assert found.user.organisation == demo["caigou"].organisation
    with django_assert_num_queries(0):  # the relations came with the token: no further query
        assert found.user.organisation.name == demo["caigou"].organisation.name
    assert token_with_user(raw + "x") is None and token_with_user("zb_unknown") is None


def test_insert_writes_a_row_the_orm_reads_back(demo):  # noqa: ANN001
    token, _ = accounts.issue_token(actor=demo["caigou"], name="采购核查", scopes=["credit:check"])
    at = timezone.now().replace(microsecond=123456)
    insert(ApiTokenUse(token=token, at=at, method="GET", path="/api/v1/credit/check?uscc=x", ip="127.0.0.1",
                       status=200))
    use = ApiTokenUse.objects.get(token=token)
    assert (use.at, use.method, use.path, use.ip, use.status) == (at, "GET", "/api/v1/credit/check?uscc=x",
                                                                   "127.0.0.1", 200)


def test_statements_executed_together_are_all_or_none_and_one_statement_on_postgresql(  # noqa: ANN201
        demo, django_assert_num_queries):  # noqa: ANN001
    token, _ = accounts.issue_token(actor=demo["caigou"], name="采购核查", scopes=["credit:check"])

    def use(path: str) -> Statement:
        return insert_statement(ApiTokenUse(token=token, at=timezone.now(), method="GET", path=path, ip="127.0.0.1",
                                            status=200))

    table = connection.ops.quote_name(ApiTokenUse._meta.db_table)
    broken = (f"INSERT INTO {table} (token_id) VALUES (%s)", [None])  # noqa: S608 - NOT NULL fails
    with pytest.raises(IntegrityError), transaction.atomic():  # the savepoint keeps the test's transaction usable
        execute_together([use("/first"), broken])
    assert not ApiTokenUse.objects.exists()
    # PostgreSQL: one WITH statement; SQLite: savepoint, two INSERTs, release (inside the test's transaction)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        execute_together([use("/a"), use("/b")])
    assert sorted(ApiTokenUse.objects.values_list("path", flat=True)) == ["/a", "/b"]


def test_rows_inserted_by_column_arrays_or_values_read_back_the_same(demo):  # noqa: ANN001
    token, _ = accounts.issue_token(actor=demo["caigou"], name="采购核查", scopes=["credit:check"])
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = ("token", "at", "method", "path", "ip", "status")
    rows = [(token.pk, at, "GET", f"/p{i}", None if i % 2 else "127.0.0.1", 200 + i % 3) for i in range(1201)]
    statements = insert_rows(ApiTokenUse, fields, rows)
    # PostgreSQL: one statement of column arrays whatever the number of rows; SQLite: VALUES of 500 rows each
    assert len(statements) == (1 if connection.vendor == "postgresql" else 3)
    assert len(insert_rows(ApiTokenUse, fields, rows[:1])[0][1]) == len(fields)  # one row: plain VALUES
    execute_together(statements)
    stored = sorted(ApiTokenUse.objects.values_list("path", "ip", "status"), key=lambda r: int(r[0][2:]))
    assert stored == [(f"/p{i}", None if i % 2 else "127.0.0.1", 200 + i % 3) for i in range(1201)]


@pytest.mark.parametrize("codes", [["A"], ["A", "C"], [f"X{i}" for i in range(1000)]])
def test_in_values_matches_exactly_the_values_given(demo, codes):  # noqa: ANN001
    token, _ = accounts.issue_token(actor=demo["caigou"], name="采购核查", scopes=["credit:check"])
    for path in ("A", "B", "C", "X7"):
        insert(ApiTokenUse(token=token, at=timezone.now(), method="GET", path=path, ip="127.0.0.1", status=200))
    where, params = in_values("path", codes)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT path FROM {ApiTokenUse._meta.db_table} WHERE {where} ORDER BY path", params)  # noqa: S608
        found = [row[0] for row in cursor.fetchall()]
    assert found == sorted({"A", "B", "C", "X7"} & set(codes))
