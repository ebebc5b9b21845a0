"""What every importer shares: hashing, one atomic transaction, column mapping, the report,
and batched writes of facilities, records, companies, relationships and datapoints.

An importer is a subclass of :class:`Importer` that declares its ``kind``, its ``fields``
(with the column names it recognises) and implements :meth:`Importer.import_row`.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, transaction

from shopfloor.models import Organisation, Source
from shopfloor.sources import values as v
from shopfloor.sources.context import ImportContext
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import ImportReport, Outcome
from shopfloor.sources.rows import Row, read_rows
from shopfloor.sources.tables import Table, open_table
from shopfloor.sources.writer import BatchWriter

__all__ = ["Column", "ImportContext", "Importer", "Row", "SourceInfo", "header_key"]


@dataclass(frozen=True)
class Column:
    """A field an importer reads, and the header names that mean it."""

    aliases: tuple[str, ...]
    required: bool = False
    help: str = ""


@dataclass
class SourceInfo:
    """What the person importing says about the file (the CLI's --publisher etc.)."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    licence: str = ""
    published: dt.date | None = None
    retrieved: dt.date | None = None
    dataset: str = ""
    organisation: Organisation | None = None


class _DryRun(Exception):
    pass


def header_key(name: str) -> str:
    """``"% Female Workers"`` → ``"female_workers"``; used to compare header names."""
    return "_".join(re.findall(r"\w+", str(name).casefold()))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Importer:
    """Base class of every importer. Subclasses set the class attributes and ``import_row``."""

    kind: ClassVar[str] = ""
    description: ClassVar[str] = ""
    fields: ClassVar[dict[str, Column]] = {}
    default_publisher: ClassVar[str] = ""
    default_licence: ClassVar[str] = ""
    chunk_size: ClassVar[int] = 2000
    #: Files with at least this many rows are parsed in a worker process, when the
    #: importer defines :meth:`parse_row`.
    worker_min_rows: ClassVar[int] = 20_000

    def __init__(self, info: SourceInfo | None = None, *,
                 column_map: dict[str, str] | None = None, **options: Any) -> None:
        self.info = info or SourceInfo()
        self.column_map = column_map or {}
        self.options = options

    # ---------------------------------------------------------------- running
    def run(self, path: str | Path, *, dry_run: bool = False,
            progress: Callable[[int, int], None] | None = None) -> ImportReport:
        """Import ``path`` atomically; return the report. Raises :class:`ImportFailed`."""
        path = Path(path)
        report = ImportReport(kind=self.kind, file=path.name, dry_run=dry_run)
        if not path.is_file():
            raise ImportFailed(f"{path}: no such file")
        size, limit = path.stat().st_size, settings.IMPORT_MAX_BYTES
        if size > limit:
            raise ImportFailed(f"{path.name}: {size / 1e6:,.0f} MB is larger than the "
                               f"{limit / 1e6:,.0f} MB import limit (IMPORT_MAX_MB).")
        sha = file_sha256(path)
        known = Source.objects.filter(sha256=sha, importer=self.kind).first()
        if known:
            report.already_imported, report.source_id = True, known.pk
            return report
        table = open_table(path, sheet=self.options.get("sheet"))
        report.format = table.description
        if table.encoding and not table.encoding.startswith("UTF-8"):
            report.notes.append(f"encoding: {table.encoding}")
        mapping = self.mapped = self.map_columns(table)  # field → column, for the hooks
        # An import creates millions of long-lived objects and no reference cycles worth
        # collecting; the cyclic GC would rescan them all again and again (a third of the
        # time of a large import).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._import(path, sha, table, mapping, report, progress, dry_run=dry_run)
        except _DryRun:
            report.source_id = None
        finally:
            if gc_was_enabled:
                gc.enable()
        return report

    def _import(self, path: Path, sha: str, table: Table, mapping: dict[str, str],
                report: ImportReport, progress: Callable[[int, int], None] | None, *,
                dry_run: bool) -> None:
        """The import's one transaction. On PostgreSQL each batch is sent by a writer thread
        while the next is prepared (the server does the work meanwhile); on SQLite the
        writes are the import's own CPU time, and a thread would only contend for it."""
        writer = BatchWriter(background=connection.vendor == "postgresql")
        with transaction.atomic(), connection.execute_wrapper(writer.before_query):
            ctx = ImportContext(self, self._create_source(path, sha, table), report,
                                writer=writer)
            report.source_id = ctx.source.pk
            try:
                self.begin(ctx, table)
                self._read(table, mapping, ctx, progress)
                self.finish(ctx)
                ctx.flush()
                writer.wait()
            except BaseException:
                writer.abandon()  # before the rollback, which needs the connection
                raise
            if dry_run:
                raise _DryRun

    def _read(self, table: Table, mapping: dict[str, str], ctx: ImportContext,
              progress: Callable[[int, int], None] | None) -> None:
        report = ctx.report
        chunk_size = self.chunk_size
        for number, row in read_rows(self, table, mapping):
            report.rows_read += 1
            if isinstance(row, str):
                report.reject(number, row)
                continue
            if row.rejected is not None:
                report.reject(number, row.rejected)
            else:
                mark = ctx.mark()
                try:
                    report.count(self.import_row(row, ctx))
                except RowRejected as exc:
                    ctx.undo_to(mark)
                    report.reject(number, str(exc))
            if report.rows_read % chunk_size == 0:
                ctx.flush()
                if progress:
                    progress(report.rows_read, table.estimated_rows)
        if progress:
            progress(report.rows_read, report.rows_read)

    def _create_source(self, path: Path, sha: str, table: Table) -> Source:
        info = self.info
        title = info.title or self.default_title(path, table)
        publisher = info.publisher or self.default_publisher
        if not publisher:
            raise ImportFailed(f"Say who published {path.name}: --publisher NAME")
        return Source.objects.create(
            publisher=publisher, title=title, url=info.url, file_name=path.name, sha256=sha,
            retrieved_on=info.retrieved or dt.date.today(), published_on=info.published,
            licence=info.licence or self.default_licence, importer=self.kind,
            dataset=info.dataset or f"{self.kind}:{header_key(publisher)}:{header_key(title)}",
            organisation=info.organisation,
        )

    # ---------------------------------------------------------------- columns
    def map_columns(self, table: Table) -> dict[str, str]:
        """Field name → column name, from explicit ``--map COLUMN=FIELD`` and aliases."""
        by_key = {header_key(c): c for c in table.columns}
        mapping: dict[str, str] = {}
        for column, field_name in self.column_map.items():
            if field_name not in self.fields:
                raise ImportFailed(f"--map {column}={field_name}: {self.kind} has no field "
                                   f"{field_name!r}; fields: {', '.join(self.fields)}")
            if column not in table.columns and header_key(column) not in by_key:
                raise ImportFailed(f"--map {column}={field_name}: no column {column!r}; "
                                   f"columns found: {', '.join(table.columns)}")
            mapping[field_name] = column if column in table.columns else by_key[header_key(column)]
        for name, col in self.fields.items():
            if name in mapping:
                continue
            for alias in (name, *col.aliases):
                if header_key(alias) in by_key:
                    mapping[name] = by_key[header_key(alias)]
                    break
        missing = [n for n, c in self.fields.items() if c.required and n not in mapping]
        if missing:
            wanted = "; ".join(
                f"{n} (e.g. {', '.join(repr(a) for a in (n, *self.fields[n].aliases)[:4])})"
                for n in missing)
            raise ImportFailed(
                f"{table.path.name}: missing required column(s) for {wanted}. "
                f"Columns found: {', '.join(repr(c) for c in table.columns)}. "
                f"Name them with --map COLUMN=FIELD.")
        return mapping

    def country_option(self) -> str:
        """The ``--option country=..`` as an ISO code ("" when not given); a bad one fails
        the whole import, since it would apply to every row."""
        option = self.options.get("country")
        try:
            return v.country_code(option) if option else ""
        except RowRejected as exc:
            raise ImportFailed(f"option country: {exc}") from exc

    # ---------------------------------------------------------------- hooks
    def default_title(self, path: Path, table: Table) -> str:
        return path.stem

    def begin(self, ctx: ImportContext, table: Table) -> None:
        """Prepare caches before the first row."""

    def parse_row(self, row: Row) -> Any:
        """Optional pure first step of a row: check and convert its values, without the
        database or ``self`` state that rows change; raise :class:`RowRejected` for a bad
        row. What it returns is ``row.parsed`` in :meth:`import_row`.

        An importer that defines it may have it run in a worker process on large files
        (two cores instead of one); its ``import_row`` must then use only ``row.number``
        and ``row.parsed``, since the raw fields stay in the worker.
        """
        return None

    def has_parser(self) -> bool:
        return type(self).parse_row is not Importer.parse_row

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        raise NotImplementedError

    def finish(self, ctx: ImportContext) -> None:
        """Called after the last row, inside the transaction."""

