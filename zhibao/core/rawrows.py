"""Model instances from hand-written SQL, for the few hot paths where compiling ORM queries costs more than running
them.

An agency's credit check runs a handful of indexed look-ups that SQLite or PostgreSQL answer in tens of
microseconds; building the same queries through the ORM (query objects, joins, ordering, compilation) took ten
times longer on every call. ``Columns`` keeps what the ORM would do with the rows — the model's concrete columns
in order, the backend's converters (dates and times from SQLite text, JSON, UUIDs, booleans) — so the result is
an ordinary model instance and the SQL stays a few lines that name their tables and columns from the model's
metadata, never by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, transaction
from django.db.models import Model


class Columns:
    """The concrete columns of ``model`` under a table alias, and how to turn a slice of a row into an instance."""

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self._pk_index = self.fields.index(model._meta.pk)
        self._converters: dict[str, list[tuple[Any, list]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, using: str = "default") -> str:
        """``alias.col1, alias.col2, …`` in the model's field order."""
        qn = connections[using].ops.quote_name
        return ", ".join(f"{self.alias}.{qn(f.column)}" for f in self.fields)

    @property
    def table(self) -> str:
        return f"{self.model._meta.db_table} {self.alias}"

    def _for(self, using: str) -> list[tuple[Any, list]]:
        found = self._converters.get(using)
        if found is None:
            connection = connections[using]
            found = []
            for field in self.fields:
                col = field.get_col(self.alias)
                found.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
            self._converters[using] = found
        return found

    def pk(self, row: tuple | list, start: int = 0) -> Any:
        """The raw primary key held in ``row`` at this model's place (None: an outer join that found nothing), to
        tell rows of the same instance apart without building it."""
        return row[start + self._pk_index]

    def load(self, row: tuple | list, start: int = 0, using: str = "default") -> Model | None:
        """The instance held in ``row[start:start + len(self)]``, or None when its primary key is NULL (an outer
        join that found nothing)."""
        values = list(row[start:start + len(self.fields)])
        if values[self._pk_index] is None:
            return None
        connection = connections[using]
        for i, (col, converters) in enumerate(self._for(using)):
            value = values[i]
            for converter in converters:
                value = converter(value, col, connection)
            values[i] = value
        return self.model.from_db(using, self.names, values)


Statement = tuple[str, list]


def insert_statement(instance: Model, using: str = "default") -> Statement:
    """The INSERT of ``instance`` (no signals, no returned primary key): a write-only log row on a hot path, where
    ``save()`` spent most of its time compiling the statement. Values are prepared by each field, as save() does."""
    model = type(instance)
    connection = connections[using]
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return sql, values


def in_values(expression: str, values: list, using: str = "default") -> Statement:
    """``expression IN (…)`` for ``values`` as an SQL fragment and its parameters: ``= %s`` for one value (the hot
    single look-up, whose prepared statement gets a generic plan as good as a custom one). For more, on PostgreSQL
    ``= ANY(%s)`` with one array parameter: one statement text whatever the number, and no placeholders for the
    driver to rewrite (psycopg spent ~30 ms rewriting a thousand)."""
    if len(values) == 1:  # PostgreSQL plans "= ANY($1)" for an array of unknown length, a worse generic plan
        return f"{expression} = %s", list(values)
    if connections[using].vendor == "postgresql":
        return f"{expression} = ANY(%s)", [list(values)]
    return f"{expression} IN ({', '.join(['%s'] * len(values))})", list(values)


#: rows per INSERT … VALUES statement where there are no array parameters (SQLite allows 32,766 variables)
ROWS_PER_INSERT = 500


def insert_rows(model: type[Model], field_names: Sequence[str], rows: Sequence[Sequence], using: str = "default",
                ) -> list[Statement]:
    """INSERT statements for ``rows`` (values already prepared for the database, in ``field_names`` order). On
    PostgreSQL, for more than one row, one ``INSERT … SELECT FROM unnest(%s::type[], …)`` with one array parameter
    per column: a dozen parameters instead of eleven thousand for a thousand rows (psycopg spent ~100 ms rewriting
    those placeholders). Otherwise multi-row VALUES of ``ROWS_PER_INSERT`` rows each (one row: a plain VALUES)."""
    connection = connections[using]
    qn, meta = connection.ops.quote_name, model._meta
    fields = [meta.get_field(name) for name in field_names]
    head = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
    if connection.vendor == "postgresql" and len(rows) > 1:
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        return [(f"{head}SELECT * FROM unnest({arrays})", [list(column) for column in zip(*rows, strict=True)])]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return [(head + "VALUES " + ", ".join([row] * len(chunk)), [value for values in chunk for value in values])
            for chunk in (rows[i:i + ROWS_PER_INSERT] for i in range(0, len(rows), ROWS_PER_INSERT))]


def insert(instance: Model, using: str = "default") -> None:
    """Insert ``instance`` now (see ``insert_statement``)."""
    with connections[using].cursor() as cursor:
        cursor.execute(*insert_statement(instance, using))


def execute_together(statements: list[Statement], using: str = "default") -> None:
    """Run INSERT ``statements`` all or none. On PostgreSQL they go as one statement (all but the last as
    data-modifying WITH clauses), which is atomic by itself: one network round trip instead of BEGIN, one per
    statement and COMMIT. Elsewhere (SQLite has no INSERT inside WITH, and no network) in one transaction."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            *first, (last, _) = statements
            clauses = ", ".join(f"w{i} AS ({sql})" for i, (sql, _) in enumerate(first))
            cursor.execute(f"WITH {clauses} {last}", [value for _, values in statements for value in values])
            return
        with transaction.atomic(using=using):
            for sql, values in statements:
                cursor.execute(sql, values)
