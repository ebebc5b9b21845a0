"""Rows as an importer sees them, and reading them — inline, or in a forked worker process.

An importer may split its work per row in two: a pure :meth:`Importer.parse_row` (values
checked and converted, no database) and ``import_row`` (the writes). For a large file the
parsing then runs in a second process while this one writes, so an import uses two cores.
Rows come back in file order and a row the parser rejects is reported with the same number
and reason either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

from shopfloor.sources import values as v
from shopfloor.sources.bulk import json_value
from shopfloor.sources.errors import ImportFailed, RowRejected

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from shopfloor.sources.base import Importer
    from shopfloor.sources.tables import Table

#: Rows per message from the worker: large enough that pickling and the pipe cost little
#: per row, small enough that several fit in the pipe.
WORKER_CHUNK = 200
#: The pipe's buffer (Linux allows 1 MB unprivileged): the worker keeps parsing ahead while
#: this process spends tens of milliseconds writing a batch to the database.
PIPE_BYTES = 1 << 20


@dataclass(slots=True)
class Row:
    """One input row: mapped fields by name, the raw row as read, and what ``parse_row``
    made of it.

    A row parsed in the worker process carries only ``number``, ``parsed`` and its raw
    row already as JSON (``fields`` and ``raw`` are empty): sending the raw values back
    would cost more than parsing them.
    """

    number: int
    fields: dict[str, Any]
    raw: dict[str, Any]
    parsed: Any = None
    rejected: str | None = None
    _raw_json: str | None = None

    def get(self, name: str, default=None):
        value = self.fields.get(name)
        return default if v.is_missing(value) else value

    def text(self, name: str) -> str:
        return v.text(self.fields.get(name))

    def require(self, name: str) -> Any:
        value = self.get(name)
        if value is None:
            raise RowRejected(f"{name} is empty")
        return value

    @property
    def raw_json(self) -> str:
        """The raw row as JSON, as each facility record keeps it."""
        if self._raw_json is None:
            self._raw_json = raw_json(self.raw)
        return self._raw_json


def raw_json(raw: dict) -> str:
    if all(type(val) is str for val in raw.values()):  # CSV rows: nothing to convert
        return json_value(raw)
    return json_value(_jsonable(raw))


def _jsonable(raw: dict) -> dict:
    out = {}
    for k, val in raw.items():
        if isinstance(val, dt.date | dt.datetime):
            val = val.isoformat()
        elif val is not None and not isinstance(val, str | int | float | bool | list | dict):
            val = str(val)
        out[str(k)] = val
    return out


def read_rows(importer: Importer, table: Table, mapping: dict[str, str],
              ) -> Iterator[tuple[int, Row | str]]:
    """``(number, row)`` in file order, with ``row.parsed`` set (or ``row.rejected``); for
    a row the table cannot read, ``(number, reason)``."""
    if _use_worker(importer, table):
        return _from_worker(importer, table, mapping)
    return _parsed(importer, table, mapping)


def _use_worker(importer: Importer, table: Table) -> bool:
    """Fork only where it pays: the importer parses separately, the file is large, there
    is a second core, and the platform forks (the worker inherits the open table)."""
    return (importer.has_parser() and table.estimated_rows >= importer.worker_min_rows
            and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods())


def _parsed(importer: Importer, table: Table, mapping: dict[str, str],
            ) -> Iterator[tuple[int, Row | str]]:
    parse = importer.parse_row
    items = mapping.items()
    for number, raw in table.rows():
        if isinstance(raw, str):
            yield number, raw
            continue
        row = Row(number, {f: raw.get(col) for f, col in items}, raw)
        try:
            row.parsed = parse(row)
        except RowRejected as exc:
            row.rejected = str(exc)
        yield number, row


# ------------------------------------------------------------------ the worker process
#: What each ``(number, kind, parsed, extra)`` the worker sends is.
_PARSED, _REJECTED, _UNREADABLE = 0, 1, 2


def _from_worker(importer: Importer, table: Table, mapping: dict[str, str],
                 ) -> Iterator[tuple[int, Row | str]]:
    """Rows parsed by a forked child. The child only reads the file and parses; it never
    touches the database connection it inherited, and leaves through ``os._exit`` (as
    multiprocessing's fork does) so nothing of the parent's is closed or flushed."""
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    _enlarge_pipe(send)
    child = fork.Process(target=_produce, args=(importer, table, mapping, send), daemon=True)
    child.start()
    send.close()
    try:
        while True:
            try:
                chunk = pickle.loads(receive.recv_bytes())  # noqa: S301  # nosec B301 - our own child
            except EOFError:
                raise ImportFailed("the parsing worker stopped unexpectedly") from None
            if chunk is None:
                break
            if isinstance(chunk, BaseException):
                raise chunk
            for number, kind, parsed, extra in chunk:
                if kind == _PARSED:
                    yield number, Row(number, {}, {}, parsed, _raw_json=extra)
                elif kind == _REJECTED:
                    yield number, Row(number, {}, {}, rejected=extra)
                else:
                    yield number, extra
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()



def _produce(importer: Importer, table: Table, mapping: dict[str, str],
             send: Connection) -> None:
    """In the child: parse every row and send them in chunks, then ``None``; an error
    reading the file is sent in its place in the stream, to be raised by the parent."""
    chunk: list[tuple] = []
    # the inherited connection is the parent's, mid-transaction: a query from here would
    # corrupt it, so it fails instead (and the import with it, with this message)
    connection.execute_wrappers.append(_no_database)
    try:
        for number, row in _parsed(importer, table, mapping):
            if isinstance(row, str):
                chunk.append((number, _UNREADABLE, None, str(row)))  # the reason only
            elif row.rejected is not None:
                chunk.append((number, _REJECTED, None, row.rejected))
            else:
                chunk.append((number, _PARSED, row.parsed, row.raw_json))
            if len(chunk) >= WORKER_CHUNK:
                send.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                chunk = []
        end: Any = None
    except Exception as exc:  # noqa: BLE001 - any error goes to the parent, in order
        end = exc if _picklable(exc) else ImportFailed(f"{type(exc).__name__}: {exc}")
    if chunk:
        send.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
    send.send_bytes(pickle.dumps(end, pickle.HIGHEST_PROTOCOL))
    send.close()


def _no_database(*args) -> None:
    raise RuntimeError("parse_row ran a database query; it runs in the parsing worker "
                       "process and must not (query in begin() or import_row() instead)")


def _enlarge_pipe(conn: Connection) -> None:
    # not Linux, or a lower limit: the default size will do
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301  # nosec B301 - our own object
    except Exception:  # noqa: BLE001
        return False
    return True
