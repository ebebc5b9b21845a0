"""Finding brands and gathering what is known about one, with its sources.

The brand page, and later the JSON API and the exports, call these functions so that every
view of a company shows the same facts from the same queries. Each function runs a small,
fixed number of queries whatever the amount of data.

A company's supplier facilities come from ``sources_from`` relationships where it is the
subject; a relationship from ``year_start`` to ``year_end`` counts for every year between
(a relationship with one of the two counts for that year only). Its commitments and scores
are the datapoints attached to the company. Ownership is ``owns_brand`` (a group owns a
brand) and ``owns_facility``.

>>> page = search_companies("brand")[:50]  # doctest: +SKIP
>>> rows = summarise_companies(page)  # doctest: +SKIP
>>> profile = company_profile(Company.objects.get(pk=3))  # doctest: +SKIP
>>> table = suppliers_by_year(profile)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest, Lower

from shopfloor.facilities import normalise_query
from shopfloor.models import Company, Datapoint, Facility, Metric, Relationship, Source

#: How many other brands the overlap list shows by default.
OVERLAPS_SHOWN = 10

_SOURCES_FROM = Relationship.Kind.SOURCES_FROM
_OWNS_BRAND = Relationship.Kind.OWNS_BRAND
_OWNS_FACILITY = Relationship.Kind.OWNS_FACILITY


def search_companies(query: str = "", kind: str = "") -> QuerySet[Company]:
    """Companies whose name or one of whose aliases contains ``query``.

    Case-insensitive, on SQLite and PostgreSQL. An empty query returns every company;
    ``kind`` (a :class:`Company.Kind` value) narrows the result. Ordered by name, ignoring
    case (the same on SQLite and PostgreSQL).
    """
    companies = Company.objects.all()
    if kind:
        companies = companies.filter(kind=kind)
    query = normalise_query(query)
    if not query:
        return companies.order_by(Lower("name"), "pk")
    match = Q(name__icontains=query) | Q(aliases__icontains=query)
    # SQLite stores JSON with non-ASCII characters escaped (\u1780); PostgreSQL's jsonb
    # prints them as they are. Look for both spellings of the query.
    escaped = json.dumps(query)[1:-1]
    if escaped != query:
        match |= Q(aliases__icontains=escaped)
    return companies.filter(match).order_by(Lower("name"), "pk")


def relationship_years(rel: Relationship) -> list[int]:
    """The years a relationship covers: every year of a closed period, else the one year
    given; empty when the source gives no year."""
    start, end = rel.year_start, rel.year_end
    if start and end:
        return list(range(start, end + 1))
    return [start or end] if (start or end) else []


# --- a list of companies ------------------------------------------------------------------


@dataclass
class CompanySummary:
    """One line of a company list: the company, how many factories it sources from and the
    latest year a source reports."""

    company: Company
    factories: int = 0
    latest_year: int | None = None


def summarise_companies(
    companies: Sequence[Company], visible: Q | None = None
) -> list[CompanySummary]:
    """Factory counts for a page of companies, in one query. ``visible`` (a filter on
    :class:`Source`) leaves out relationships from sources the reader may not see."""
    rows = (
        _from_visible(Relationship.objects, visible)
        .filter(subject_id__in=[c.pk for c in companies], kind=_SOURCES_FROM)
        .values("subject_id")
        .annotate(
            factories=Count("facility", distinct=True),
            latest=Max(Coalesce(Greatest("year_end", "year_start"), "year_start", "year_end")),
        )
        .order_by()
    )
    counts = {row["subject_id"]: (row["factories"], row["latest"]) for row in rows}
    return [CompanySummary(c, *counts.get(c.pk, (0, None))) for c in companies]


# --- one company --------------------------------------------------------------------------


@dataclass
class SupplierFacility:
    """A facility the company sources from, with every period a source reports."""

    facility: Facility
    relationships: list[Relationship] = field(default_factory=list)

    @cached_property
    def years(self) -> list[int]:
        """Every year any source says the company sourced here, newest first."""
        return sorted({y for r in self.relationships for y in relationship_years(r)},
                      reverse=True)

    @property
    def latest_year(self) -> int | None:
        return self.years[0] if self.years else None

    @property
    def sources(self) -> list[Source]:
        seen: dict[int, Source] = {}
        for rel in self.relationships:
            seen.setdefault(rel.source_id, rel.source)
        return list(seen.values())


@dataclass
class YearGroup:
    """Supplier facilities whose latest reported year is ``year`` (None: no year given)."""

    year: int | None
    suppliers: list[SupplierFacility]


@dataclass
class Commitment:
    """Every value of one company metric (a score, a grade, a policy), newest first."""

    metric: Metric
    datapoints: list[Datapoint]

    #: How many values show before "earlier values" is opened.
    SHOWN = 3

    @property
    def latest(self) -> Datapoint:
        return self.datapoints[0]

    @property
    def recent(self) -> list[Datapoint]:
        return self.datapoints[: self.SHOWN]

    @property
    def earlier(self) -> list[Datapoint]:
        return self.datapoints[self.SHOWN :]


@dataclass
class Ownership:
    """Another company on the other side of an ownership link, with the links' sources."""

    company: Company
    relationships: list[Relationship] = field(default_factory=list)


@dataclass
class OwnedFacility:
    facility: Facility
    relationships: list[Relationship] = field(default_factory=list)


@dataclass
class Overlap:
    """Another company sourcing from some of the same facilities."""

    company: Company
    #: Facilities both source from (in any years).
    facility_ids: set[int] = field(default_factory=set)
    #: Year → facilities both sourced from in that same year.
    by_year: dict[int, int] = field(default_factory=dict)
    #: Where the other company's sourcing comes from.
    sources: list[Source] = field(default_factory=list)

    @property
    def shared(self) -> int:
        return len(self.facility_ids)

    @property
    def years(self) -> list[tuple[int, int]]:
        """``(year, shared facilities)`` newest first."""
        return sorted(self.by_year.items(), reverse=True)


@dataclass
class YearCountryTable:
    """How many supplier facilities per year (rows, newest first) and country (columns,
    most facilities first). Facilities with no year are counted in :attr:`unknown`."""

    years: list[int]
    countries: list[str]
    counts: dict[tuple[int, str], int]
    unknown: dict[str, int]

    @property
    def rows(self) -> list[tuple[int, list[int], int]]:
        """``(year, [count per country in column order], total)``."""
        rows = []
        for year in self.years:
            cells = [self.counts.get((year, c), 0) for c in self.countries]
            rows.append((year, cells, sum(cells)))
        return rows

    @property
    def unknown_row(self) -> tuple[list[int], int] | None:
        if not self.unknown:
            return None
        cells = [self.unknown.get(c, 0) for c in self.countries]
        return cells, sum(cells)


@dataclass
class CompanyProfile:
    company: Company
    suppliers: list[SupplierFacility]
    commitments: list[Commitment]
    owned_brands: list[Ownership]
    owners: list[Ownership]
    owned_facilities: list[OwnedFacility]
    overlaps: list[Overlap]
    #: How many other companies share at least one facility (``overlaps`` is the top N).
    overlap_count: int
    sources: list[Source]

    @property
    def countries(self) -> list[str]:
        """Countries of the supplier facilities, most facilities first."""
        return suppliers_by_year(self).countries

    @property
    def by_latest_year(self) -> list[YearGroup]:
        """Supplier facilities grouped by the latest year reported, newest first; those
        without a year last. Within a group, by country then name."""
        groups: dict[int | None, list[SupplierFacility]] = {}
        for supplier in self.suppliers:
            groups.setdefault(supplier.latest_year, []).append(supplier)
        ordered = sorted(groups, key=lambda y: (y is None, -(y or 0)))
        return [YearGroup(year, groups[year]) for year in ordered]

    @property
    def year_country(self) -> YearCountryTable:
        return suppliers_by_year(self)


def suppliers_by_year(profile: CompanyProfile) -> YearCountryTable:
    """The year × country count of the company's supplier facilities (no query)."""
    counts: dict[tuple[int, str], int] = {}
    unknown: dict[str, int] = {}
    per_country: dict[str, int] = {}
    for supplier in profile.suppliers:
        country = supplier.facility.country
        per_country[country] = per_country.get(country, 0) + 1
        if not supplier.years:
            unknown[country] = unknown.get(country, 0) + 1
        for year in supplier.years:
            counts[(year, country)] = counts.get((year, country), 0) + 1
    countries = sorted(per_country, key=lambda c: (-per_country[c], c))
    years = sorted({year for year, _ in counts}, reverse=True)
    return YearCountryTable(years, countries, counts, unknown)


def company_profile(
    company: Company, overlaps: int = OVERLAPS_SHOWN, visible: Q | None = None
) -> CompanyProfile:
    """Everything shown about one company, each fact with its source: five queries.

    ``overlaps`` is how many other companies the overlap list keeps, most shared first.
    ``visible`` is a filter on :class:`Source` (e.g. ``Q(visibility="public")``): facts from
    other sources are left out everywhere, counts and overlaps included, as if they were
    not there. ``None`` keeps every fact.
    """
    relationships = _from_visible(Relationship.objects, visible)
    sourcing = list(
        relationships.filter(subject=company, kind=_SOURCES_FROM)
        .select_related("facility", "source")
    )
    datapoints = list(
        _from_visible(Datapoint.objects, visible).filter(company=company)
        .select_related("metric", "source")
    )
    ownership = list(
        relationships.filter(
            Q(subject=company, kind__in=[_OWNS_BRAND, _OWNS_FACILITY])
            | Q(object_company=company, kind=_OWNS_BRAND)
        ).select_related("subject", "object_company", "facility", "source")
    )
    facility_ids = relationships.filter(
        subject=company, kind=_SOURCES_FROM, facility__isnull=False
    ).values("facility_id")
    others = list(
        relationships.filter(kind=_SOURCES_FROM, facility_id__in=facility_ids)
        .exclude(subject=company)
        .select_related("subject", "source")
    )
    named_in = list(company.sources.filter(visible) if visible is not None
                    else company.sources.all())

    suppliers = _suppliers(sourcing)
    ranked = _overlaps(suppliers, others)
    shown = ranked[:overlaps]
    used: dict[int, Source] = {}
    for item in [*sourcing, *datapoints, *ownership]:
        used.setdefault(item.source_id, item.source)
    for overlap in shown:
        for source in overlap.sources:
            used.setdefault(source.pk, source)
    for source in named_in:
        used.setdefault(source.pk, source)
    owned_brands, owners, owned_facilities = _ownership(company, ownership)
    return CompanyProfile(
        company=company,
        suppliers=suppliers,
        commitments=_commitments(datapoints),
        owned_brands=owned_brands,
        owners=owners,
        owned_facilities=owned_facilities,
        overlaps=shown,
        overlap_count=len(ranked),
        sources=sorted(used.values(), key=lambda s: (s.publisher.lower(), s.title.lower(), s.pk)),
    )


def commitments_by_company(
    companies: Iterable[Company], visible: Q | None = None
) -> dict[int, list[Commitment]]:
    """The commitments and scores of several companies (as :func:`company_profile` gives
    them: every company metric, newest value first), by company id, in one query.
    ``visible`` is a filter on :class:`Source`, as for :func:`company_profile`; a company
    without any is left out.

    >>> commitments_by_company([tulpwear])[tulpwear.pk][0].latest  # doctest: +SKIP
    """
    ids = [c.pk for c in companies]
    if not ids:
        return {}
    datapoints = list(
        _from_visible(Datapoint.objects, visible).filter(company_id__in=ids)
        .select_related("metric", "source")
    )
    by_company: dict[int, list[Datapoint]] = {}
    for dp in datapoints:
        by_company.setdefault(dp.company_id, []).append(dp)
    return {company_id: _commitments(rows) for company_id, rows in by_company.items()}


def _from_visible(manager, visible: Q | None) -> QuerySet:
    """Rows of ``manager`` whose source matches ``visible`` (a subquery, not a query)."""
    if visible is None:
        return manager.all()
    return manager.filter(source_id__in=Source.objects.filter(visible).values("pk"))


def _period_key(rel: Relationship) -> tuple:
    return (-(rel.year_end or rel.year_start or 0), -(rel.year_start or 0), rel.pk)


def _suppliers(relationships: Iterable[Relationship]) -> list[SupplierFacility]:
    by_facility: dict[int, SupplierFacility] = {}
    for rel in relationships:
        supplier = by_facility.setdefault(rel.facility_id, SupplierFacility(rel.facility))
        supplier.relationships.append(rel)
    for supplier in by_facility.values():
        supplier.relationships.sort(key=_period_key)
    return sorted(
        by_facility.values(),
        key=lambda s: (-(s.latest_year or 0), s.facility.country, s.facility.name.lower(),
                       s.facility.pk),
    )


def _overlaps(suppliers: list[SupplierFacility], others: list[Relationship]) -> list[Overlap]:
    own_years = {s.facility.pk: set(s.years) for s in suppliers}
    by_company: dict[int, Overlap] = {}
    shared_years: dict[int, dict[int, set[int]]] = {}
    for rel in others:
        overlap = by_company.setdefault(rel.subject_id, Overlap(rel.subject))
        overlap.facility_ids.add(rel.facility_id)
        if rel.source not in overlap.sources:
            overlap.sources.append(rel.source)
        for year in own_years.get(rel.facility_id, set()) & set(relationship_years(rel)):
            shared_years.setdefault(rel.subject_id, {}).setdefault(year, set()).add(
                rel.facility_id
            )
    for company_id, years in shared_years.items():
        by_company[company_id].by_year = {year: len(ids) for year, ids in years.items()}
    for overlap in by_company.values():
        overlap.sources.sort(key=lambda s: (s.publisher.lower(), s.title.lower(), s.pk))
    return sorted(by_company.values(), key=lambda o: (-o.shared, o.company.name.lower()))


def _ownership(
    company: Company, relationships: list[Relationship]
) -> tuple[list[Ownership], list[Ownership], list[OwnedFacility]]:
    brands: dict[int, Ownership] = {}
    owners: dict[int, Ownership] = {}
    facilities: dict[int, OwnedFacility] = {}
    for rel in sorted(relationships, key=_period_key):
        if rel.kind == _OWNS_FACILITY:
            owned = facilities.setdefault(rel.facility_id, OwnedFacility(rel.facility))
        elif rel.subject_id == company.pk:
            owned = brands.setdefault(rel.object_company_id, Ownership(rel.object_company))
        else:
            owned = owners.setdefault(rel.subject_id, Ownership(rel.subject))
        owned.relationships.append(rel)
    return (
        sorted(brands.values(), key=lambda o: o.company.name.lower()),
        sorted(owners.values(), key=lambda o: o.company.name.lower()),
        sorted(facilities.values(), key=lambda o: o.facility.name.lower()),
    )


def _commitments(datapoints: list[Datapoint]) -> list[Commitment]:
    by_metric: dict[int, list[Datapoint]] = {}
    for dp in sorted(datapoints, key=_newest_first):
        by_metric.setdefault(dp.metric_id, []).append(dp)
    topics = [topic.value for topic in Metric.Topic]
    commitments = [Commitment(rows[0].metric, rows) for rows in by_metric.values()]
    commitments.sort(key=lambda c: (
        topics.index(c.metric.topic) if c.metric.topic in topics else len(topics),
        c.metric.name.lower(), c.metric.pk,
    ))
    return commitments


def _newest_first(dp: Datapoint) -> tuple:
    start = dp.period_start or date(dp.year or 1, 1, 1)
    return (-(dp.year or start.year), -start.toordinal(), -dp.pk)
