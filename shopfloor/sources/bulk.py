"""Fast inserts for imports of millions of rows.

Django's ``bulk_create`` builds a model instance and prepares every value per row, and on
SQLite it sends batches of ~70 rows; a 1,000,000-row import then takes minutes. These
helpers take plain tuples of database-ready values: PostgreSQL gets ``COPY``, SQLite an
``executemany`` of one prepared statement. Both run inside the import's transaction, on the
driver's own connection (see :func:`write_rows`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection


def columns(model, names: Sequence[str]) -> list[str]:
    """Database column names of ``model`` fields given by attribute name."""
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return [by_attname[n] for n in names]


def insert_rows(model, names: Sequence[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``names``) into ``model``'s table."""
    if rows:
        connection.ensure_connection()
        write_rows(connection.connection, insert_statement(model, names), rows)


def insert_statement(model, names: Sequence[str]) -> str:
    """The ``COPY`` (PostgreSQL) or ``INSERT`` (SQLite, ``?`` placeholders) for
    :func:`write_rows`; built here, in the import's own thread."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns(model, names))
    if connection.vendor == "postgresql":
        return f"COPY {table} ({cols}) FROM STDIN"
    marks = ", ".join(["?"] * len(names))
    # names come from the model's metadata, values are parameters
    return f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608  # nosec B608


def write_batch(dbapi, batch: list[tuple[str, list[tuple]]]) -> None:
    """Several :func:`write_rows` in one go, foreign keys checked as they are written.

    PostgreSQL checks the import's (deferred) foreign keys at COMMIT, one by one, while
    the import waits: a third of a large import's time. Checked here instead, per
    statement, the work happens while the writer thread's batch is in flight. Every row
    written here points to rows written before it, so no check can fail that would pass
    at COMMIT; the schema's constraints are all INITIALLY DEFERRED, which ``DEFERRED``
    restores.
    """
    postgres = any(statement.startswith("COPY") for statement, _ in batch)
    if postgres:
        _execute(dbapi, "SET CONSTRAINTS ALL IMMEDIATE")
    for statement, rows in batch:
        write_rows(dbapi, statement, rows)
    if postgres:
        _execute(dbapi, "SET CONSTRAINTS ALL DEFERRED")


def _execute(dbapi, sql: str) -> None:
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def write_rows(dbapi, statement: str, rows: list[tuple]) -> None:
    """Send ``rows`` through the driver's own connection ``dbapi`` (psycopg or sqlite3).

    Not through Django's cursor: Django's connection object belongs to one thread and this
    may run in the import's writer thread; and Django's SQLite cursor rewrites ``%s`` to
    ``?`` with a regular expression on every call, costly on long statements.
    """
    cursor = dbapi.cursor()
    try:
        if statement.startswith("COPY"):
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(statement, rows)
    finally:
        cursor.close()


def insert_returning_ids(model, names: Sequence[str], rows: list[tuple],
                         batch: int = 1000) -> list[int]:
    """Insert ``rows`` and return their new primary keys, in order.

    PostgreSQL: keys are drawn from the table's sequence, then the rows are COPYed with
    them. SQLite: multi-row ``INSERT … RETURNING`` (the import holds the write lock).
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)",
                           [model._meta.db_table, model._meta.pk.column, len(rows)])
            ids = [r[0] for r in cursor.fetchall()]
        insert_rows(model, [model._meta.pk.attname, *names],
                    [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns(model, names))
    pk = connection.ops.quote_name(model._meta.pk.column)
    one = "(" + ", ".join(["?"] * len(names)) + ")"
    ids: list[int] = []
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # see write_rows
    try:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            params = [value for row in chunk for value in row]
            cursor.execute(f"INSERT INTO {table} ({cols}) VALUES "  # noqa: S608  # nosec B608
                           f"{', '.join([one] * len(chunk))} RETURNING {pk}", params)
            ids.extend(r[0] for r in cursor.fetchall())
    finally:
        cursor.close()
    return ids


def json_value(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
