"""Public facts as Wikirate's export files: answers and relationships.

``answers.csv`` is Wikirate's answer export, ``Metric, Company, Year, Value, Source Page``,
followed by provenance columns; a factory's datapoint is an answer whose Company is the
factory (``Level`` = facility), a brand's one the brand. ``relationships.csv`` is
Wikirate's relationship export, ``Relationship Link, Metric, Subject Company,
Object Company, Year, Value``, one row per year. Both are read back by
:mod:`shopfloor.sources.wikirate` (it reads the ``Level`` column). The rows are streamed;
:mod:`shopfloor.reports.opendata` writes them into the open-data package.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from django.db.models import Q

from shopfloor.models import Datapoint, Relationship
from shopfloor.reports.cells import CHUNK, iso_date, number_text, public_q

#: The designer Wikirate metric names get for Shopfloor's own metrics ("Shopfloor+Workers").
DESIGNER = "Shopfloor"
#: Wikirate relationship metrics, by relationship kind.
RELATIONSHIP_METRICS = {Relationship.Kind.SOURCES_FROM: "Commons+Supplied By",
                        Relationship.Kind.OWNS_BRAND: "Commons+Has Brands"}

ANSWER_COLUMNS = [
    "Metric", "Company", "Year", "Value", "Source Page",
    "Level", "Country", "OS ID", "BFC ID", "Metric Code", "Unit", "Source Publisher",
    "Source Title", "Source File", "Source Published", "Source Retrieved", "Licence",
    "Citation", "Verification", "Shopfloor Subject ID", "Shopfloor Datapoint ID",
    "Shopfloor Source ID",
]
RELATIONSHIP_COLUMNS = [
    "Relationship Link", "Metric", "Subject Company", "Object Company", "Year", "Value",
    "Relationship Kind", "Object Level", "Object Country", "Object OS ID", "Source Publisher",
    "Source Title", "Source File", "Source Published", "Source Retrieved", "Licence",
    "Citation", "Shopfloor Relationship ID", "Shopfloor Source ID",
]
_WIKIRATE_NAME = re.compile(r"""^Wikirate metric (['"])(?P<name>.+?)\1""")


def wikirate_metric_name(code: str, name: str, description: str) -> str:
    """The ``Designer+Title`` of a metric: as Wikirate named it for one imported from
    Wikirate, else ``Shopfloor+<name>``.

    >>> wikirate_metric_name("workers_total", "Workers (total)", "")
    'Shopfloor+Workers (total)'
    """
    found = _WIKIRATE_NAME.match(description or "")
    if found:
        return found.group("name")
    return f"{DESIGNER}+{' '.join(name.replace('+', ' ').split()) or code}"


def _source_page(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else ""


def _best(group: list[tuple]) -> tuple:
    """Of several values of one answer: the undisputed one of the most recently published
    source (then the latest stored)."""
    def key(row):
        verification, published, pk = row[-3], row[-2], row[-1]
        return (verification != Datapoint.Verification.DISPUTED,
                published or dt.date.min, pk)

    return max(group, key=key)


_ANSWER_VALUES = ("metric_id", "facility_id", "company_id", "year", "period_start",
                  "metric__code", "metric__name", "metric__description", "metric__unit",
                  "facility__name", "facility__country", "facility__os_id",
                  "facility__bfc_id", "company__name", "value_number", "value_text",
                  "source_id", "source__publisher", "source__title", "source__url",
                  "source__file_name", "source__retrieved_on", "source__licence", "citation",
                  "verification", "source__published_on", "pk")


def answer_rows() -> Iterator[list]:
    """One Wikirate answer per metric, subject and year, from public facility and company
    datapoints."""
    qs = (Datapoint.objects.filter(public_q("source__"))
          .filter(Q(facility__isnull=False) | Q(company__isnull=False))
          .order_by("metric_id", "facility_id", "company_id", "year", "period_start", "pk")
          .values_list(*_ANSWER_VALUES))
    group: list[tuple] = []
    group_key = None
    for row in qs.iterator(chunk_size=CHUNK):
        year = row[3] if row[3] is not None else (row[4].year if row[4] else None)
        key = (row[0], row[1], row[2], year)
        if group and key != group_key:
            yield _answer(_best(group), group_key[3])
            group = []
        group_key = key
        group.append(row)
    if group:
        yield _answer(_best(group), group_key[3])


def _answer(row: tuple, year) -> list:
    (_metric, fac, _comp, _year, _start, code, name, description, unit, fac_name, country,
     os_id, bfc_id, comp_name, number, text, source_id, publisher, title, url, file_name,
     retrieved, licence, citation, verification, published, pk) = row
    value = number_text(number) if number is not None else text
    return [wikirate_metric_name(code, name, description), fac_name if fac else comp_name,
            year or "", value, _source_page(url),
            "facility" if fac else "company", country if fac else "",
            (os_id or "") if fac else "", (bfc_id or "") if fac else "", code, unit,
            publisher, title, file_name, iso_date(published), iso_date(retrieved), licence,
            citation, verification, fac or _comp, pk, source_id]


def _years(start, end) -> list:
    if start and end:
        return list(range(start, end + 1))
    return [start or end]


def relationship_rows() -> Iterator[list]:
    """One row per relationship and year (Wikirate's relationship answers are per year)."""
    qs = (Relationship.objects.filter(public_q("source__"), kind__in=list(RELATIONSHIP_METRICS))
          .order_by("pk")
          .values_list("pk", "kind", "subject__name", "facility_id", "facility__name",
                       "facility__country", "facility__os_id", "object_company__name",
                       "year_start", "year_end", "citation", "source_id",
                       "source__publisher", "source__title", "source__file_name",
                       "source__published_on", "source__retrieved_on", "source__licence"))
    for (pk, kind, subject, fac, fac_name, country, os_id, obj_name, start, end, citation,
         source_id, publisher, title, file_name, published, retrieved,
         licence) in qs.iterator(chunk_size=CHUNK):
        link = citation if citation.startswith(("http://", "https://")) else ""
        for year in _years(start, end):
            yield [link, RELATIONSHIP_METRICS[kind], subject, fac_name if fac else obj_name,
                   year or "", "", kind, "facility" if fac else "company",
                   (country or "") if fac else "", (os_id or "") if fac else "", publisher,
                   title, file_name, iso_date(published), iso_date(retrieved), licence, citation,
                   pk, source_id]
