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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.db.models.base import ModelState
from django.utils import timezone

from shopfloor.linkage.exact import FacilityIndex
from shopfloor.linkage.normalise import name_key
from shopfloor.models import (
    Company,
    Datapoint,
    Facility,
    FacilityRecord,
    Metric,
    Organisation,
    Relationship,
    Source,
)
from shopfloor.sources import values as v
from shopfloor.sources.bulk import insert_returning_ids, insert_rows, json_value
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import ImportReport, Outcome
from shopfloor.sources.tables import Table, open_table


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


@dataclass
class Row:
    """One input row: mapped fields by name, and the raw row as read."""

    number: int
    fields: dict[str, Any]
    raw: dict[str, Any]

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


class Importer:
    """Base class of every importer. Subclasses set the class attributes and ``import_row``."""

    kind: ClassVar[str] = ""
    description: ClassVar[str] = ""
    fields: ClassVar[dict[str, Column]] = {}
    default_publisher: ClassVar[str] = ""
    default_licence: ClassVar[str] = ""
    chunk_size: ClassVar[int] = 2000

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
        mapping = self.map_columns(table)
        # An import creates millions of long-lived objects and no reference cycles worth
        # collecting; the cyclic GC would rescan them all again and again (a third of the
        # time of a large import).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            with transaction.atomic():
                ctx = ImportContext(self, self._create_source(path, sha, table), report)
                report.source_id = ctx.source.pk
                self.begin(ctx, table)
                self._read(table, mapping, ctx, progress)
                self.finish(ctx)
                ctx.flush()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            report.source_id = None
        finally:
            if gc_was_enabled:
                gc.enable()
        return report

    def _read(self, table: Table, mapping: dict[str, str], ctx: ImportContext,
              progress: Callable[[int, int], None] | None) -> None:
        report = ctx.report
        for number, raw in table.rows():
            report.rows_read += 1
            if isinstance(raw, str):
                report.reject(number, raw)
                continue
            row = Row(number, {f: raw.get(col) for f, col in mapping.items()}, raw)
            mark = ctx.mark()
            try:
                report.count(self.import_row(row, ctx))
            except RowRejected as exc:
                ctx.undo_to(mark)
                report.reject(number, str(exc))
            if report.rows_read % self.chunk_size == 0:
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

    # ---------------------------------------------------------------- hooks
    def default_title(self, path: Path, table: Table) -> str:
        return path.stem

    def begin(self, ctx: ImportContext, table: Table) -> None:
        """Prepare caches before the first row."""

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        raise NotImplementedError

    def finish(self, ctx: ImportContext) -> None:
        """Called after the last row, inside the transaction."""


@dataclass
class ImportContext:
    """The open import: its Source, its report, and buffered writes flushed in batches."""

    importer: Importer
    source: Source
    report: ImportReport
    _facilities: FacilityIndex | None = None
    _companies: dict[str, Company] = field(default_factory=dict)
    _company_ids: set[int] = field(default_factory=set)
    _metrics: dict[str, Metric] = field(default_factory=dict)
    _existing_datapoints: dict | None = None
    _existing_relationships: set | None = None
    _new_facilities: list[Facility] = field(default_factory=list)
    _changed_facilities: dict[int, Facility] = field(default_factory=dict)
    _new_records: list[tuple] = field(default_factory=list)
    _new_datapoints: list[tuple] = field(default_factory=list)
    _changed_datapoints: list[Datapoint] = field(default_factory=list)
    _new_relationships: list[tuple] = field(default_factory=list)

    _BUFFERS = ("_new_facilities", "_new_records", "_new_datapoints", "_changed_datapoints",
                "_new_relationships")

    def mark(self) -> tuple[int, ...]:
        """Where the buffers stand before a row; a rejected row is undone to here."""
        return tuple(len(getattr(self, b)) for b in self._BUFFERS)

    def undo_to(self, mark: tuple[int, ...]) -> None:
        for fac in self._new_facilities[mark[0]:]:
            self.facilities.remove(fac)
        for name, length in zip(self._BUFFERS, mark, strict=True):
            del getattr(self, name)[length:]

    # ------------------------------------------------------------ facilities
    @property
    def facilities(self) -> FacilityIndex:
        if self._facilities is None:
            self._facilities = FacilityIndex()
        return self._facilities

    def facility_record(self, row: Row, *, name: str, country: str, address: str = "",
                        lat=None, lng=None, os_id: str = "", bfc_id: str = "",
                        create: bool = True, updates: dict | None = None,
                        fill: dict | None = None) -> tuple[Facility | None, Outcome]:
        """Record how this row describes a facility and resolve it to a canonical one.

        A known facility (same OS ID, BFC ID, or name within the country) is linked
        automatically; otherwise a new facility is created (``create=True``) or the record
        waits for review. ``updates`` are canonical values this source may overwrite;
        ``fill`` are values it may only add where the facility has none.
        """
        if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise RowRejected(f"coordinates {lat}, {lng} are not valid")
        if (lat is None) != (lng is None):
            lat = lng = None
        key = name_key(name)
        fac = self.facilities.find(name=name, country=country, os_id=os_id, bfc_id=bfc_id,
                                   address=address, key=key)
        outcome = Outcome.UNCHANGED
        if fac is None and create:
            values = {"address": address, "lat": lat, "lng": lng, "os_id": os_id or None,
                      "bfc_id": bfc_id or None, **(fill or {}), **(updates or {})}
            fac = _new_facility(name=name[:300], country=country, **values)
            self._new_facilities.append(fac)
            self.facilities.add(fac, key=key)
            outcome = Outcome.CREATED
        elif fac is not None and (updates or fill):
            changed = {k: val for k, val in (updates or {}).items() if getattr(fac, k) != val}
            changed.update({k: val for k, val in (fill or {}).items()
                            if val not in (None, "") and getattr(fac, k) in (None, "")})
            if changed and fac.pk:
                for k, val in changed.items():
                    setattr(fac, k, val)
                self._changed_facilities[fac.pk] = fac
                outcome = Outcome.UPDATED
        decision = (FacilityRecord.Decision.AUTOMATIC if fac is not None
                    else FacilityRecord.Decision.PENDING)
        self._new_records.append((
            self.source.pk, row.number, _raw_json(row.raw), name[:300], address,
            country, lat, lng, os_id, bfc_id, fac, 1.0 if fac is not None else None,
            decision))
        return fac, outcome

    # ------------------------------------------------------------ companies
    def company(self, name: str, **defaults) -> Company:
        """The company with this name or alias (case-insensitive), created if new."""
        key = " ".join(name.casefold().split())
        if not key:
            raise RowRejected("company name is empty")
        if not self._companies:
            for comp in Company.objects.all():
                for n in (comp.name, *comp.aliases):
                    self._companies.setdefault(" ".join(n.casefold().split()), comp)
        comp = self._companies.get(key)
        if comp is None:
            comp = Company.objects.create(name=" ".join(name.split())[:300], **defaults)
            self._companies[key] = comp
        self._company_ids.add(comp.pk)
        return comp

    # ------------------------------------------------------------ metrics and facts
    def metric(self, code: str, **defaults) -> Metric:
        if code not in self._metrics:
            self._metrics[code] = Metric.objects.get_or_create(code=code, defaults=defaults)[0]
        return self._metrics[code]

    def datapoint(self, metric: Metric, *, value, year: int | None = None,
                  facility: Facility | None = None, company: Company | None = None,
                  country: str = "", citation: str = "", **extra) -> Outcome:
        """Add a value, or update the one an older version of the same dataset gave.

        A missing value (None or blank) adds nothing and counts as unchanged.
        """
        if value is None or value == "":
            return Outcome.UNCHANGED
        number = value if not isinstance(value, str) else None
        text = value if isinstance(value, str) else ""
        if self._existing_datapoints is None:
            self._existing_datapoints = {
                (d["metric_id"], d["facility_id"], d["company_id"], d["country"], d["year"]):
                (d["id"], d["value_number"], d["value_text"])
                for d in Datapoint.objects.filter(source__dataset=self.source.dataset).values(
                    "id", "metric_id", "facility_id", "company_id", "country", "year",
                    "value_number", "value_text")
            }
        key = (metric.pk, _key(facility), _key(company), country, year)
        old = self._existing_datapoints.get(key)
        if old is not None and old[0] is not None:
            pk, old_number, old_text = old
            if old_number == number and old_text == text:
                return Outcome.UNCHANGED
            self._changed_datapoints.append(Datapoint(
                pk=pk, value_number=number, value_text=text, source=self.source,
                citation=citation))
            self._existing_datapoints[key] = (pk, number, text)
            return Outcome.UPDATED
        if old is not None:  # the same file states it twice
            return Outcome.UNCHANGED
        self._new_datapoints.append((
            metric.pk, facility, company.pk if company else None, country, year,
            extra.get("period_start"), extra.get("period_end"), number, text, self.source.pk,
            citation, extra.get("verification", Datapoint.Verification.UNVERIFIED)))
        self._existing_datapoints[key] = (None, number, text)
        return Outcome.CREATED

    def relationship(self, subject: Company, kind: str, *, facility: Facility | None = None,
                     object_company: Company | None = None, year_start: int | None = None,
                     year_end: int | None = None, citation: str = "") -> Outcome:
        """Add a relationship unless this dataset already states it for the same years."""
        if self._existing_relationships is None:
            self._existing_relationships = set(
                Relationship.objects.filter(source__dataset=self.source.dataset).values_list(
                    "subject_id", "kind", "facility_id", "object_company_id", "year_start",
                    "year_end"))
        key = (subject.pk, kind, _key(facility), _key(object_company), year_start, year_end)
        if key in self._existing_relationships:
            return Outcome.UNCHANGED
        self._new_relationships.append((
            subject.pk, kind, facility, object_company.pk if object_company else None,
            year_start, year_end, self.source.pk, citation))
        self._existing_relationships.add(key)
        return Outcome.CREATED

    # ------------------------------------------------------------ writing
    def flush(self) -> None:
        """Write what the last rows buffered, parents before children."""
        if self._new_facilities:
            now = timezone.now()
            ids = insert_returning_ids(Facility, _FACILITY_COLUMNS, [
                (f.name, f.name_km, json_value(f.other_names) if f.other_names else "[]",
                 f.address, f.country,
                 f.province, f.lat, f.lng, f.os_id, f.bfc_id, f.is_closed, False, now, now)
                for f in self._new_facilities])
            for fac, pk in zip(self._new_facilities, ids, strict=True):
                fac.pk = pk
                fac._state.adding = False
            self._new_facilities = []
        if self._changed_facilities:
            changed = list(self._changed_facilities.values())
            fields = ["name", "address", "lat", "lng", "is_closed", "os_id", "bfc_id",
                      "province", "name_km"]
            Facility.objects.bulk_update(changed, fields, batch_size=500)
            self._changed_facilities = {}
        insert_rows(FacilityRecord, _RECORD_COLUMNS, [
            (*r[:10], r[10].pk if r[10] is not None else None, *r[11:])
            for r in self._new_records])
        insert_rows(Datapoint, _DATAPOINT_COLUMNS, [
            (d[0], d[1].pk if d[1] is not None else None, *d[2:]) for d in self._new_datapoints])
        insert_rows(Relationship, _RELATIONSHIP_COLUMNS, [
            (r[0], r[1], r[2].pk if r[2] is not None else None, *r[3:])
            for r in self._new_relationships])
        self._new_records, self._new_datapoints, self._new_relationships = [], [], []
        if self._changed_datapoints:
            Datapoint.objects.bulk_update(
                self._changed_datapoints, ["value_number", "value_text", "source", "citation"],
                batch_size=500)
            self._changed_datapoints = []
        if self._company_ids:
            through = Company.sources.through
            through.objects.bulk_create(
                [through(company_id=c, source_id=self.source.pk) for c in self._company_ids],
                ignore_conflicts=True)
            self._company_ids = set()


_FACILITY_COLUMNS = ("name", "name_km", "other_names", "address", "country", "province", "lat",
                     "lng", "os_id", "bfc_id", "is_closed", "provenance_lost", "created_at",
                     "updated_at")
_RECORD_COLUMNS = ("source_id", "row_number", "raw", "name", "address", "country", "lat", "lng",
                   "os_id", "bfc_id", "facility_id", "match_score", "decision")
_DATAPOINT_COLUMNS = ("metric_id", "facility_id", "company_id", "country", "year",
                      "period_start", "period_end", "value_number", "value_text", "source_id",
                      "citation", "verification")
_RELATIONSHIP_COLUMNS = ("subject_id", "kind", "facility_id", "object_company_id",
                         "year_start", "year_end", "source_id", "citation")


_FACILITY_DEFAULTS = {f.attname: f.get_default() for f in Facility._meta.concrete_fields}


def _new_facility(**values) -> Facility:
    """An unsaved Facility, built without ``Model.__init__`` (a third of an import's time
    at a million rows); every field gets its default unless given."""
    fac = Facility.__new__(Facility)
    fac._state = ModelState()
    fac.__dict__.update(_FACILITY_DEFAULTS, other_names=[])
    fac.__dict__.update(values)
    return fac


def _raw_json(raw: dict) -> str:
    if all(type(val) is str for val in raw.values()):  # CSV rows: nothing to convert
        return json_value(raw)
    return json_value(_jsonable(raw))


def _key(obj):
    """A lookup key for a facility or company, also before it has been written."""
    return None if obj is None else (obj.pk or ("new", id(obj)))


def _jsonable(raw: dict) -> dict:
    out = {}
    for k, val in raw.items():
        if isinstance(val, dt.date | dt.datetime):
            val = val.isoformat()
        elif val is not None and not isinstance(val, str | int | float | bool | list | dict):
            val = str(val)
        out[str(k)] = val
    return out
