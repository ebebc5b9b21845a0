"""The open import: its Source, its report, and the writes it buffers and flushes in batches.

Importers call :meth:`ImportContext.facility_record`, ``company``, ``metric``,
``datapoint`` and ``relationship`` per row; the context resolves facilities exactly,
deduplicates facts per dataset and writes everything with :mod:`shopfloor.sources.bulk`
every few thousand rows, inside the import's one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.db import connection
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
    Relationship,
    Source,
)
from shopfloor.search import refresh_search_keys, search_key_for
from shopfloor.sources.bulk import (
    insert_returning_ids,
    insert_statement,
    json_value,
    write_batch,
)
from shopfloor.sources.errors import RowRejected
from shopfloor.sources.report import ImportReport, Outcome
from shopfloor.sources.rows import Row
from shopfloor.sources.writer import BatchWriter

if TYPE_CHECKING:
    from shopfloor.sources.base import Importer


@dataclass
class ImportContext:
    """The open import: its Source, its report, and buffered writes flushed in batches."""

    importer: Importer
    source: Source
    report: ImportReport
    writer: BatchWriter = field(default_factory=lambda: BatchWriter(background=False))
    _facilities: FacilityIndex | None = None
    _companies: dict[str, Company] = field(default_factory=dict)
    _company_ids: set[int] = field(default_factory=set)
    _linked_company_ids: set[int] = field(default_factory=set)
    _metrics: dict[str, Metric] = field(default_factory=dict)
    _existing_datapoints: dict | None = None
    _existing_relationships: set | None = None
    _new_facilities: list[Facility] = field(default_factory=list)
    _changed_facilities: dict[int, Facility] = field(default_factory=dict)
    _new_records: list[tuple] = field(default_factory=list)
    _new_datapoints: list[tuple] = field(default_factory=list)
    _changed_datapoints: list[Datapoint] = field(default_factory=list)
    _new_relationships: list[tuple] = field(default_factory=list)
    #: id() of the facilities this import created: they keep one lookup key before and after
    #: they are written, so a fact stated twice about a new facility is stored once
    _created: set[int] = field(default_factory=set)

    _BUFFERS = ("_new_facilities", "_new_records", "_new_datapoints", "_changed_datapoints",
                "_new_relationships")

    def __post_init__(self) -> None:
        self._source_id = self.source.pk

    def _key(self, fac: Facility | None):
        """A facility's lookup key: ``("new", id)`` for one this import created, whether or
        not it has been written yet, else its database id."""
        if fac is None:
            return None
        return ("new", id(fac)) if id(fac) in self._created else fac.id

    def mark(self) -> tuple[int, ...]:
        """Where the buffers stand before a row; a rejected row is undone to here.
        (Spelled out, not a loop over ``_BUFFERS``: it runs for every row.)"""
        return (len(self._new_facilities), len(self._new_records), len(self._new_datapoints),
                len(self._changed_datapoints), len(self._new_relationships))

    def undo_to(self, mark: tuple[int, ...]) -> None:
        for fac in self._new_facilities[mark[0]:]:
            self.facilities.remove(fac)
            self._created.discard(id(fac))
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
                        fill: dict | None = None,
                        key: str | None = None) -> tuple[Facility | None, Outcome]:
        """Record how this row describes a facility and resolve it to a canonical one.

        A known facility (same OS ID, BFC ID, or name within the country) is linked
        automatically; otherwise a new facility is created (``create=True``) or the record
        waits for review. ``updates`` are canonical values this source may overwrite;
        ``fill`` are values it may only add where the facility has none. ``key`` is
        ``name_key(name)`` when the caller computed it already (e.g. in ``parse_row``).
        """
        if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise RowRejected(f"coordinates {lat}, {lng} are not valid")
        if (lat is None) != (lng is None):
            lat = lng = None
        if key is None:
            key = name_key(name)
        index = self._facilities or self.facilities
        fac = index.find(name=name, country=country, os_id=os_id, bfc_id=bfc_id,
                         address=address, key=key)
        outcome = Outcome.UNCHANGED
        if fac is None and create:
            fac = _new_facility({
                "name": name[:300], "country": country, "address": address, "lat": lat,
                "lng": lng, "os_id": os_id or None, "bfc_id": bfc_id or None})
            if fill:
                fac.__dict__.update(fill)
            if updates:
                fac.__dict__.update(updates)
            self._new_facilities.append(fac)
            self._created.add(id(fac))
            index.add(fac, key=key)
            outcome = Outcome.CREATED
        elif fac is not None and (updates or fill):
            changed = {k: val for k, val in (updates or {}).items() if getattr(fac, k) != val}
            changed.update({k: val for k, val in (fill or {}).items()
                            if val not in (None, "") and getattr(fac, k) in (None, "")})
            if changed and fac.id:
                for k, val in changed.items():
                    setattr(fac, k, val)
                self._changed_facilities[fac.id] = fac
                outcome = Outcome.UPDATED
        self._new_records.append((
            self._source_id, row.number, row.raw_json, name[:300], address,
            country, lat, lng, os_id, bfc_id, fac, 1.0 if fac is not None else None,
            _AUTOMATIC if fac is not None else _PENDING))
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
        if comp.id not in self._linked_company_ids:  # linked once per import, not per flush
            self._company_ids.add(comp.id)
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
        key = (metric.id, self._key(facility), _key(company), country, year)
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
            metric.id, facility, company.id if company else None, country, year,
            extra.get("period_start"), extra.get("period_end"), number, text, self._source_id,
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
        key = (subject.id, kind, self._key(facility), _key(object_company), year_start,
               year_end)
        if key in self._existing_relationships:
            return Outcome.UNCHANGED
        self._new_relationships.append((
            subject.id, kind, facility, object_company.id if object_company else None,
            year_start, year_end, self._source_id, citation))
        self._existing_relationships.add(key)
        return Outcome.CREATED

    # ------------------------------------------------------------ writing
    def flush(self) -> None:
        """Write what the last rows buffered, parents before children."""
        self.writer.wait()
        if self._new_facilities:
            # adapted once here, not by the driver for every row
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            ids = insert_returning_ids(Facility, _FACILITY_COLUMNS, [
                (f.name, f.name_km, json_value(f.other_names) if f.other_names else "[]",
                 f.address, f.country,
                 f.province, f.lat, f.lng, f.os_id, f.bfc_id, f.is_closed, False, now, now,
                 search_key_for(f))
                for f in self._new_facilities])
            for fac, pk in zip(self._new_facilities, ids, strict=True):
                fac.id = pk
                fac._state.adding = False
            self._new_facilities = []
        if self._changed_facilities:
            changed = list(self._changed_facilities.values())
            fields = ["name", "address", "lat", "lng", "is_closed", "os_id", "bfc_id",
                      "province", "name_km"]
            Facility.objects.bulk_update(changed, fields, batch_size=500)
            refresh_search_keys([f.id for f in changed])
            self._changed_facilities = {}
        if self._changed_datapoints:
            Datapoint.objects.bulk_update(
                self._changed_datapoints, ["value_number", "value_text", "source", "citation"],
                batch_size=500)
            self._changed_datapoints = []
        if self._company_ids:
            through = Company.sources.through
            through.objects.bulk_create(
                [through(company_id=c, source_id=self._source_id) for c in self._company_ids],
                ignore_conflicts=True)
            self._linked_company_ids |= self._company_ids
            self._company_ids = set()
        self._write_children()

    def _write_children(self) -> None:
        """Records, datapoints and relationships, which nothing later reads back during the
        import: handed to the writer (in the background on PostgreSQL) once the facilities
        they point to have their ids."""
        batch = [
            (insert_statement(FacilityRecord, _RECORD_COLUMNS), [
                (*r[:10], r[10].id if r[10] is not None else None, *r[11:])
                for r in self._new_records]),
            (insert_statement(Datapoint, _DATAPOINT_COLUMNS), [
                (d[0], d[1].id if d[1] is not None else None, *d[2:])
                for d in self._new_datapoints]),
            (insert_statement(Relationship, _RELATIONSHIP_COLUMNS), [
                (r[0], r[1], r[2].id if r[2] is not None else None, *r[3:])
                for r in self._new_relationships]),
        ]
        self._new_records, self._new_datapoints, self._new_relationships = [], [], []
        batch = [(statement, rows) for statement, rows in batch if rows]
        if batch:
            connection.ensure_connection()
            self.writer.submit(partial(write_batch, connection.connection, batch))


_FACILITY_COLUMNS = ("name", "name_km", "other_names", "address", "country", "province", "lat",
                     "lng", "os_id", "bfc_id", "is_closed", "provenance_lost", "created_at",
                     "updated_at", "search_key")
_RECORD_COLUMNS = ("source_id", "row_number", "raw", "name", "address", "country", "lat", "lng",
                   "os_id", "bfc_id", "facility_id", "match_score", "decision")
_DATAPOINT_COLUMNS = ("metric_id", "facility_id", "company_id", "country", "year",
                      "period_start", "period_end", "value_number", "value_text", "source_id",
                      "citation", "verification")
_RELATIONSHIP_COLUMNS = ("subject_id", "kind", "facility_id", "object_company_id",
                         "year_start", "year_end", "source_id", "citation")


_FACILITY_DEFAULTS = {f.attname: f.get_default() for f in Facility._meta.concrete_fields}


_AUTOMATIC = FacilityRecord.Decision.AUTOMATIC.value
_PENDING = FacilityRecord.Decision.PENDING.value


def _new_facility(values: dict) -> Facility:
    """An unsaved Facility, built without ``Model.__init__`` (a third of an import's time
    at a million rows); every field gets its default unless given."""
    fac = Facility.__new__(Facility)
    # _state first, then the fields in their order, as Model.__init__ sets them: the
    # instance dict then shares its keys with every other Facility's (a third the size)
    fac._state = ModelState()
    attrs = fac.__dict__
    attrs.update(_FACILITY_DEFAULTS)
    attrs["other_names"] = []
    attrs.update(values)
    return fac




def _key(obj):
    """A lookup key for a facility or company, also before it has been written.
    (``obj.id``, not ``obj.pk``: the property costs more than the rest of this, per row.)"""
    return None if obj is None else (obj.id or ("new", id(obj)))


