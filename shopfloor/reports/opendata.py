"""Open data: every **public** fact Shopfloor holds, in formats other tools read.

Only facts from sources whose visibility is ``public`` leave: never an ``organisation`` or
``restricted`` source, never union workspace evidence (issues, cases, counts, files). Two
forms, written side by side by :func:`write_open_data`:

* **Wikirate-compatible CSVs** (``wikirate/answers.csv``, ``wikirate/relationships.csv``),
  in the export format Wikirate writes and :mod:`shopfloor.sources.wikirate` reads:
  answers ``Metric, Company, Year, Value, Source Page`` — a factory's datapoint is an
  answer whose Company is the factory, a brand's one the brand — and relationships
  ``Relationship Link, Metric, Subject Company, Object Company, Year, Value``
  (``Commons+Supplied By`` for "sources from", ``Commons+Has Brands`` for "owns brand"),
  each followed by provenance columns. Importing ``answers.csv`` with Shopfloor's own
  importer into an empty database gives the same answers (a test checks it).
* a **Frictionless Data Package** (``datapackage.json`` + CSV resources ``sources``,
  ``facilities``, ``companies``, ``relationships``, ``datapoints``, ``findings``, and the
  two Wikirate files), each resource with a Table Schema (field types, primary and
  foreign keys). Licences are carried over from the sources: every row has a
  ``source_id`` into ``sources.csv``, which gives the licence as the source states it;
  each resource lists the licences of its rows' sources and the package every distinct
  one. A source without a licence is said to be of unknown licence (``licence_known`` is
  false), never given one.

Wikirate holds one answer per metric, company and year: where Shopfloor has several values
(two sources), ``answers.csv`` gives the undisputed one from the most recently published
source, and ``datapoints.csv`` all of them. Country-level datapoints (minimum wages,
living-wage benchmarks) are in ``datapoints.csv`` only; so are "owns facility"
relationships, which Wikirate's relationship metrics do not name.

Everything is streamed from the database to the files (no table is held in memory), into
a temporary directory that replaces the target only when complete.

>>> summary = write_open_data("var/open-data")            # doctest: +SKIP
>>> summary = write_open_data("var/open-data.zip", zip=True)   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Min
from django.utils import timezone

from shopfloor.models import (
    Assessment,
    Company,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Relationship,
    Source,
)
from shopfloor.reports.cells import CHUNK as _CHUNK
from shopfloor.reports.cells import PUBLIC, bool_text, iso_date, number_text, public_q
from shopfloor.reports.licences import licence_entry, licence_id
from shopfloor.reports.wikirate_csv import (
    ANSWER_COLUMNS,
    RELATIONSHIP_COLUMNS,
    answer_rows,
    relationship_rows,
)

MATCHED = (FacilityRecord.Decision.AUTOMATIC, FacilityRecord.Decision.CONFIRMED,
           FacilityRecord.Decision.NEW)
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"

# -- resources ----------------------------------------------------------------------------


@dataclass
class Resource:
    """One CSV resource: its fields (name, Table Schema type, description), keys and rows.
    ``rows`` yields lists of values in field order, the source id at ``source_field``."""

    name: str
    path: str
    title: str
    description: str
    fields: list[tuple[str, str, str]]
    rows: Callable[[], Iterable[list]]
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # field → resource
    required: tuple[str, ...] = ()
    source_field: str | None = "source_id"
    written: int = 0
    source_ids: set[int] = field(default_factory=set)

    def schema(self) -> dict:
        fields = []
        for name, type_, description in self.fields:
            item = {"name": name, "type": type_}
            if description:
                item["description"] = description
            if name in self.primary_key or name in self.required:
                item["constraints"] = {"required": True}
            fields.append(item)
        schema = {"$schema": SCHEMA_PROFILE, "fields": fields}
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [f], "reference": {"resource": r, "fields": ["id"]}}
                for f, r in self.foreign_keys]
        return schema


def _facility_ids() -> set[int]:
    """Factories a public source describes or a public fact is about."""
    ids = set(FacilityRecord.objects.filter(public_q("source__"), decision__in=MATCHED,
                                            facility__isnull=False)
              .values_list("facility_id", flat=True).distinct())
    for model in (Datapoint, Relationship, Assessment):
        ids |= set(model.objects.filter(public_q("source__"), facility__isnull=False)
                   .values_list("facility_id", flat=True).distinct())
    ids |= set(Finding.objects.filter(public_q("source__"))
               .values_list("assessment__facility_id", flat=True).distinct())
    return ids


def _first_sources(model, key: str, ids: set[int], found: dict[int, int],
                   **filters) -> None:
    """For each of ``ids`` not in ``found`` yet: the lowest public source id of
    ``model`` rows whose ``key`` is it."""
    rows = (model.objects.filter(public_q("source__"), **{f"{key}__isnull": False}, **filters)
            .values(key).annotate(first=Min("source")).values_list(key, "first"))
    for pk, source_id in rows.iterator(chunk_size=_CHUNK):
        if pk in ids and pk not in found:
            found[pk] = source_id


def _facility_rows(ids: set[int]) -> Iterator[list]:
    first: dict[int, int] = {}
    _first_sources(FacilityRecord, "facility", ids, first, decision__in=MATCHED)
    for model in (Datapoint, Relationship, Assessment):
        _first_sources(model, "facility", ids, first)
    qs = (Facility.objects.filter(pk__in=ids).order_by("pk")
          .values_list("pk", "name", "name_km", "other_names", "address", "country",
                       "province", "lat", "lng", "os_id", "bfc_id", "is_closed"))
    for (pk, name, name_km, other, address, country, province, lat, lng, os_id, bfc_id,
         closed) in qs.iterator(chunk_size=_CHUNK):
        source_id = first.get(pk)
        if source_id is None:  # described by a public finding only
            source_id = (Finding.objects.filter(public_q("source__"), assessment__facility=pk)
                         .aggregate(first=Min("source"))["first"])
        yield [pk, name, name_km, "; ".join(other or []), address, country, province,
               number_text(lat), number_text(lng), os_id or "", bfc_id or "", bool_text(closed),
               source_id]


def _company_ids() -> set[int]:
    ids = set(Relationship.objects.filter(public_q("source__"))
              .values_list("subject_id", flat=True).distinct())
    ids |= set(Relationship.objects.filter(public_q("source__"), object_company__isnull=False)
               .values_list("object_company_id", flat=True).distinct())
    ids |= set(Datapoint.objects.filter(public_q("source__"), company__isnull=False)
               .values_list("company_id", flat=True).distinct())
    ids |= set(Company.objects.filter(sources__visibility=PUBLIC)
               .values_list("pk", flat=True).distinct())
    return ids


def _company_rows(ids: set[int]) -> Iterator[list]:
    first: dict[int, int] = {}
    for company, source_id in (Company.sources.through.objects
                               .filter(source__visibility=PUBLIC)
                               .values("company").annotate(first=Min("source"))
                               .values_list("company", "first")):
        first[company] = source_id
    _first_sources(Relationship, "subject", ids, first)
    _first_sources(Relationship, "object_company", ids, first)
    _first_sources(Datapoint, "company", ids, first)
    qs = (Company.objects.filter(pk__in=ids).order_by("pk")
          .values_list("pk", "name", "kind", "hq_country", "aliases"))
    for pk, name, kind, hq, aliases in qs.iterator(chunk_size=_CHUNK):
        yield [pk, name, kind, hq, "; ".join(aliases or []), first.get(pk)]


def _relationship_rows() -> Iterator[list]:
    qs = (Relationship.objects.filter(public_q("source__")).order_by("pk")
          .values_list("pk", "subject_id", "kind", "facility_id", "object_company_id",
                       "year_start", "year_end", "source_id", "citation"))
    for row in qs.iterator(chunk_size=_CHUNK):
        yield ["" if v is None else v for v in row]


_DATAPOINT_VALUES = ("pk", "metric__code", "metric__name", "metric__topic", "metric__unit",
                     "metric__value_type", "facility_id", "company_id", "country", "year",
                     "period_start", "period_end", "value_number", "value_text",
                     "verification", "source_id", "citation")


def _datapoint_rows() -> Iterator[list]:
    qs = (Datapoint.objects.filter(public_q("source__")).order_by("pk")
          .values_list(*_DATAPOINT_VALUES))
    for (pk, code, name, topic, unit, vtype, fac, comp, country, year, start, end, number,
         text, verification, source_id, citation) in qs.iterator(chunk_size=_CHUNK):
        yield [pk, code, name, topic, unit, vtype, fac or "", comp or "", country,
               "" if year is None else year, iso_date(start), iso_date(end), number_text(number),
               text, verification, source_id, citation]


def _finding_rows() -> Iterator[list]:
    qs = (Finding.objects.filter(public_q("source__"), public_q("assessment__source__"))
          .order_by("pk")
          .values_list("pk", "assessment__facility_id", "assessment__programme",
                       "assessment__cycle", "assessment__assessed_on", "criterion__code",
                       "criterion__text", "criterion__text_km", "criterion__cluster",
                       "status", "detail", "source_id", "citation"))
    for (pk, fac, programme, cycle, assessed, code, text, text_km, cluster, status, detail,
         source_id, citation) in qs.iterator(chunk_size=_CHUNK):
        yield [pk, fac, programme, cycle, iso_date(assessed), code, text, text_km, cluster,
               status, detail, source_id, citation]


def _source_rows() -> Iterator[list]:
    qs = (Source.objects.filter(visibility=PUBLIC).order_by("pk")
          .values_list("pk", "publisher", "title", "url", "file_name", "sha256",
                       "published_on", "retrieved_on", "licence", "dataset", "importer",
                       "is_demo"))
    for (pk, publisher, title, url, file_name, sha, published, retrieved, licence, dataset,
         importer, demo) in qs.iterator(chunk_size=_CHUNK):
        spdx = licence_id(licence)
        yield [pk, publisher, title, url, file_name, sha, iso_date(published), iso_date(retrieved),
               licence, spdx or "", bool_text(bool(licence.strip())), dataset, importer,
               bool_text(demo)]


# -- the package --------------------------------------------------------------------------

_SOURCE_FK = ("source_id", "sources")


def resources() -> list[Resource]:
    """Every resource of the package, in the order they are written."""
    fac_ids, comp_ids = _facility_ids(), _company_ids()
    s, i, n, d, b = "string", "integer", "number", "date", "boolean"
    src = ("source_id", i, "The source of this row (sources.csv), with its licence.")
    return [
        Resource("sources", "sources.csv", "Sources",
                 "Every public source: publisher, document, dates and licence as stated.",
                 [("id", i, "Shopfloor's source id."), ("publisher", s, "Who published it."),
                  ("title", s, "The document or dataset."), ("url", s, "Where it is."),
                  ("file_name", s, "The file imported."),
                  ("sha256", s, "SHA-256 of the file imported."),
                  ("published_on", d, "Publication date."),
                  ("retrieved_on", d, "When Shopfloor retrieved it."),
                  ("licence", s, "The licence as the source states it; empty: unknown."),
                  ("licence_id", s, "Its SPDX id, when Shopfloor recognises it."),
                  ("licence_known", b, "False: the source states no licence; ask its "
                                       "publisher before reuse."),
                  ("dataset", s, "The series this source is one version of."),
                  ("importer", s, "The Shopfloor importer that read it."),
                  ("is_demo", b, "Fictional demo data.")],
                 _source_rows, ["id"], required=("publisher", "title"), source_field=None),
        Resource("facilities", "facilities.csv", "Factories",
                 "Factories described by a public source or a public fact.",
                 [("id", i, "Shopfloor's facility id."), ("name", s, "Name."),
                  ("name_km", s, "Name in Khmer script."),
                  ("other_names", s, "Other names and spellings, separated by '; '."),
                  ("address", s, "Address."), ("country", s, "ISO 3166-1 alpha-2."),
                  ("province", s, "Province."), ("lat", n, "Latitude."),
                  ("lng", n, "Longitude."), ("os_id", s, "Open Supply Hub id."),
                  ("bfc_id", s, "Better Work / BFC id."), ("is_closed", b, "Closed."),
                  (*src[:2], "A public source describing the factory.")],
                 lambda: _facility_rows(fac_ids), ["id"], [_SOURCE_FK], ("name",)),
        Resource("companies", "companies.csv", "Companies",
                 "Brands, retailers and groups named by a public source.",
                 [("id", i, "Shopfloor's company id."), ("name", s, "Name."),
                  ("kind", s, "brand, retailer, group or supplier_group."),
                  ("hq_country", s, "Headquarters country, ISO code."),
                  ("aliases", s, "Other names, separated by '; '."),
                  (*src[:2], "A public source naming the company.")],
                 lambda: _company_rows(comp_ids), ["id"], [_SOURCE_FK], ("name",)),
        Resource("relationships", "relationships.csv", "Relationships",
                 "Who sources from which factory, who owns which brand, over which years.",
                 [("id", i, "Shopfloor's relationship id."),
                  ("company_id", i, "The buyer or owner (companies.csv)."),
                  ("kind", s, "sources_from, owns_brand or owns_facility."),
                  ("facility_id", i, "The factory (facilities.csv), or empty."),
                  ("object_company_id", i, "The company owned (companies.csv), or empty."),
                  ("year_start", i, "From year."), ("year_end", i, "To year."), src,
                  ("citation", s, "Row, page or answer link in the source.")],
                 _relationship_rows, ["id"],
                 [("company_id", "companies"), ("facility_id", "facilities"),
                  ("object_company_id", "companies"), _SOURCE_FK], ("company_id", "kind")),
        Resource("datapoints", "datapoints.csv", "Datapoints",
                 "One value of one metric for one factory, company or country.",
                 [("id", i, "Shopfloor's datapoint id."), ("metric_code", s, "Metric code."),
                  ("metric_name", s, "Metric name."), ("metric_topic", s, "Topic."),
                  ("metric_unit", s, "Unit."), ("metric_value_type", s, "Value type."),
                  ("facility_id", i, "The factory (facilities.csv), or empty."),
                  ("company_id", i, "The company (companies.csv), or empty."),
                  ("country", s, "The country (ISO code) of a country-level value."),
                  ("year", i, "Year."), ("period_start", d, "Period start."),
                  ("period_end", d, "Period end."), ("value_number", n, "Numeric value."),
                  ("value_text", s, "Text value."),
                  ("verification", s, "unverified, community, steward or disputed."), src,
                  ("citation", s, "Row, page or answer link in the source.")],
                 _datapoint_rows, ["id"],
                 [("facility_id", "facilities"), ("company_id", "companies"), _SOURCE_FK],
                 ("metric_code",)),
        Resource("findings", "findings.csv", "Compliance findings",
                 "Better Work / Better Factories Cambodia findings per factory, cycle and "
                 "criterion.",
                 [("id", i, "Shopfloor's finding id."),
                  ("facility_id", i, "The factory (facilities.csv)."),
                  ("programme", s, "Programme (BFC)."), ("cycle", i, "Assessment cycle."),
                  ("assessed_on", d, "Assessment date."),
                  ("criterion_code", s, "Criterion code (BFC critical issue number)."),
                  ("criterion", s, "Criterion."), ("criterion_km", s, "Criterion in Khmer."),
                  ("cluster", s, "Better Work cluster."),
                  ("status", s, "compliant, non_compliant or not_assessed."),
                  ("detail", s, "Detail as published."), src,
                  ("citation", s, "Row or page in the source.")],
                 _finding_rows, ["id"], [("facility_id", "facilities"), _SOURCE_FK],
                 ("facility_id", "status")),
        Resource("wikirate-answers", "wikirate/answers.csv", "Wikirate answers",
                 "Facility and company datapoints as Wikirate answers (one per metric, "
                 "company and year), for Wikirate's importer or Shopfloor's "
                 "(`shopfloor import wikirate wikirate/answers.csv`).",
                 [(c, i if c in ("Year", "Shopfloor Subject ID", "Shopfloor Datapoint ID",
                                 "Shopfloor Source ID") else s, "") for c in ANSWER_COLUMNS],
                 answer_rows, foreign_keys=[("Shopfloor Source ID", "sources")],
                 source_field="Shopfloor Source ID"),
        Resource("wikirate-relationships", "wikirate/relationships.csv",
                 "Wikirate relationships",
                 "Relationships as Wikirate relationship answers, one row per year.",
                 [(c, i if c in ("Year", "Shopfloor Relationship ID", "Shopfloor Source ID")
                   else s, "") for c in RELATIONSHIP_COLUMNS],
                 relationship_rows,
                 foreign_keys=[("Shopfloor Source ID", "sources")],
                 source_field="Shopfloor Source ID"),
    ]


def _write(resource: Resource, root: Path) -> None:
    path = root / resource.path
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [f[0] for f in resource.fields]
    at = names.index(resource.source_field) if resource.source_field else None
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(names)
        for row in resource.rows():
            writer.writerow(row)
            resource.written += 1
            if at is not None and row[at] not in ("", None):
                resource.source_ids.add(int(row[at]))


def _licences(source_ids: set[int], licence_of: dict[int, str]) -> tuple[list[dict], int]:
    """The distinct licence entries of these sources, and how many have none."""
    entries: dict[str, dict] = {}
    unknown = 0
    for pk in sorted(source_ids):
        entry = licence_entry(licence_of.get(pk, ""))
        if entry is None:
            unknown += 1
        else:
            entries.setdefault(entry.get("name") or entry["title"], entry)
    return [entries[k] for k in sorted(entries)], unknown


def datapackage(written: list[Resource], *, created: dt.datetime | None = None) -> dict:
    """``datapackage.json`` for the written resources, licences from their rows' sources."""
    licence_of = dict(Source.objects.filter(visibility=PUBLIC).values_list("pk", "licence"))
    all_ids: set[int] = set()
    items = []
    for r in written:
        ids = set(licence_of) if r.name == "sources" else r.source_ids
        all_ids |= ids
        licences, unknown = _licences(ids, licence_of)
        description = r.description
        if unknown:
            description += (f" Sources of these rows that state no licence: {unknown} "
                            "(licence_known = false in sources.csv); the reuse terms of "
                            "their rows are unknown.")
        item = {"name": r.name, "path": r.path, "type": "table", "$schema": RESOURCE_PROFILE,
                "title": r.title, "description": description, "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": r.schema()}
        if licences:
            item["licenses"] = licences
        items.append(item)
    licences, _unknown = _licences(all_ids, licence_of)
    unknown_ids = sorted(pk for pk in all_ids if not licence_of.get(pk, "").strip())
    created = created or timezone.now()
    package = {
        "$schema": PROFILE,
        "name": "shopfloor-open-data",
        "title": "Shopfloor open data: public facts about garment factories",
        "description": (
            "Every public fact Shopfloor holds: factories, companies, supply-chain "
            "relationships, datapoints and compliance findings, each row with the source it "
            "came from (sources.csv: publisher, document, dates, licence). Facts from "
            "organisations' own or restricted sources and unions' evidence are never "
            "included. Licences are those of the sources; a source that states none is of "
            "unknown licence."),
        "version": created.date().isoformat(),
        "created": created.replace(microsecond=0).isoformat(),
        "licenses": licences,
        "resources": items,
    }
    if unknown_ids:
        package["x-shopfloor-licence-unknown"] = {
            "note": "These sources state no licence; ask their publishers before reuse.",
            "source_ids": unknown_ids}
    return package


def write_open_data(out, *, zip: bool = False, created: dt.datetime | None = None) -> dict:
    """Write the open data to ``out``: a directory (created; it must not exist or be
    empty), or with ``zip=True`` a ZIP file. Nothing is left half-written: the files go to
    a temporary place next to ``out`` first. Returns rows per resource."""
    out = Path(out)
    if not zip and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not an empty directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".open-data-", dir=out.parent))
    try:
        written = []
        for resource in resources():
            _write(resource, tmp)
            written.append(resource)
        package = datapackage(written, created=created)
        (tmp / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if zip:
            partial = out.with_name(f".{out.name}.partial")
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(tmp.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(tmp).as_posix())
            os.replace(partial, out)
        else:
            if out.exists():
                out.rmdir()
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return {r.name: r.written for r in written}
