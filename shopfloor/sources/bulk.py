"""Fast inserts for imports of millions of rows.

Django's ``bulk_create`` builds a model instance and prepares every value per row, and on
SQLite it sends batches of ~70 rows; a 1,000,000-row import then takes minutes. These
helpers take plain tuples of database-ready values: PostgreSQL gets ``COPY``, SQLite an
``executemany`` of one prepared statement. Both run inside the import's transaction.
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
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns(model, names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            # names come from the model's metadata, values are parameters
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})",  # noqa: S608
                               rows)


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
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            params = [value for row in chunk for value in row]
            cursor.execute(f"INSERT INTO {table} ({cols}) VALUES "  # noqa: S608
                           f"{', '.join([one] * len(chunk))} RETURNING {pk}", params)
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def json_value(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
