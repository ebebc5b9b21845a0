"""ITUC Global Rights Index: one country's rating per edition year, 1 (sporadic violations of
rights) to 5 (no guarantee of rights) and 5+ (no guarantee of rights due to the breakdown of
the rule of law).

Columns: ``year`` (or ``index_year``, ``edition``), ``rating``, optionally ``country``,
``status`` and ``source`` (a URL). Without a country column every rating is about the
country given as option ``country`` (default Cambodia, KH; the report notes it).

Each rating is a country datapoint of the metric ``ituc_gri_rating`` (a category: "1" … "5",
"5+"). A year range such as ``2016-2025`` with a rating such as ``5 (each year)`` is expanded
into one datapoint per year. Every datapoint stays ``unverified``; the file's own status text
(e.g. "NOT verified here …") and the row's source URL go into the citation so that a reader
sees how sure the file was.
"""

from __future__ import annotations

import datetime as dt
import re

from shopfloor.models import Metric
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row
from shopfloor.sources.citations import UNSURE, citation
from shopfloor.sources.errors import RowRejected
from shopfloor.sources.report import Outcome
from shopfloor.sources.tables import join_url_overflow

FIRST_EDITION = 2014
_RATING = re.compile(r"^([1-5])(\s*\+)?(?:\s*\((?P<remark>[^()]*)\))?$")
_RANGE = re.compile(r"^(\d{4})\s*(?:-|–|—|to)\s*(\d{4})$")

METRIC_DESCRIPTION = (
    "ITUC Global Rights Index rating of the country: 1 sporadic violations of rights, "
    "2 repeated violations, 3 regular violations, 4 systematic violations, 5 no guarantee of "
    "rights, 5+ no guarantee of rights due to the breakdown of the rule of law.")


def rating(value) -> tuple[str, str]:
    """``"5"`` → ("5", ""), ``"5+"`` → ("5+", ""), ``"5 (each year)"`` → ("5", "each year")."""
    raw = v.text(value)
    if not raw:
        raise RowRejected("rating is empty")
    match = _RATING.match(raw)
    if not match:
        raise RowRejected(f"rating {raw!r} is not an ITUC rating (1, 2, 3, 4, 5 or 5+)")
    return match.group(1) + ("+" if match.group(2) else ""), (match.group("remark") or "").strip()


def years(value) -> list[int]:
    """``2015`` → [2015]; ``"2016-2025"`` → [2016, …, 2025]."""
    raw = v.text(value)
    if not raw:
        raise RowRejected("year is empty")
    match = _RANGE.match(raw)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if first > last:
            raise RowRejected(f"year range {raw!r} ends before it starts")
    else:
        first = last = v.year(raw)
    latest = dt.date.today().year + 1
    if first < FIRST_EDITION or last > latest:
        raise RowRejected(f"year {raw!r}: the ITUC Global Rights Index has editions from "
                          f"{FIRST_EDITION} to {latest - 1}")
    return list(range(first, last + 1))


class ITUCImporter(Importer):
    kind = "ituc"
    description = "ITUC Global Rights Index ratings per country and year"
    default_publisher = "International Trade Union Confederation (ITUC)"
    fields = {
        "year": Column(("index_year", "edition", "edition_year", "years"), required=True),
        "rating": Column(("gri_rating", "score", "global_rights_index", "value"),
                         required=True),
        "country": Column(("country_code", "country_name", "iso")),
        "status": Column(("verification", "verified", "remark", "note", "notes")),
        "source": Column(("source_url", "url", "link")),
    }

    def begin(self, ctx: ImportContext, table) -> None:
        join_url_overflow(table, self.mapped.get("source"), ctx.report.notes)
        option = self.options.get("country")
        self.option_country = self.country_option()
        if "country" not in self.mapped:
            self.option_country = self.option_country or "KH"
            ctx.report.notes.append(
                f"no country column: every rating is taken to be about {self.option_country}"
                + ("" if option else " (the default, Cambodia)"))
        self.metric = ctx.metric(
            "ituc_gri_rating", name="ITUC Global Rights Index rating",
            topic=Metric.Topic.RIGHTS, value_type=Metric.ValueType.CATEGORY,
            subject=Metric.Subject.COUNTRY, description=METRIC_DESCRIPTION)
        self.seen: dict[tuple[str, int], tuple[str, int]] = {}

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        if row.get("country") is not None:
            country = v.country_code(row.get("country"))
        elif self.option_country:
            country = self.option_country
        else:
            raise RowRejected("country is empty")
        value, remark = rating(row.get("rating"))
        span = years(row.get("year"))
        status, url = row.text("status"), row.text("source")
        for year in span:
            before = self.seen.get((country, year))
            if before and before[0] != value:
                raise RowRejected(f"{country} {year} is rated {before[0]} in row {before[1]}, "
                                  f"{value} here")
        extra = []
        if len(span) > 1:
            extra.append(f"{span[0]}–{span[-1]} expanded per year")
            ctx.report.notes.append(f"row {row.number}: years {span[0]}–{span[-1]} expanded "
                                    f"into {len(span)} yearly ratings of {value}")
        if remark:
            extra.append(f"rating given as {v.text(row.get('rating'))!r}")
        if status and UNSURE.search(status):
            ctx.report.notes.append(f"row {row.number}: the file says {status!r}; stored as "
                                    "unverified — check before citing")
        cite = citation(row.number, extra="; ".join(extra), status=status, url=url)
        outcomes = [Outcome.UNCHANGED]
        for year in span:
            if (country, year) not in self.seen:
                self.seen[(country, year)] = (value, row.number)
            outcomes.append(ctx.datapoint(self.metric, value=value, year=year, country=country,
                                          citation=cite))
        return max(outcomes)
