"""``/api/companies``: brands, retailers and groups, and one company's factories, values,
owners and overlaps — built on :mod:`shopfloor.companies`, as the brand pages are."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from shopfloor.api.auth import Reader
from shopfloor.api.csv import CSV_RESPONSE, csv_response, provenance, provenance_columns
from shopfloor.api.pagination import ListParams, PageOut, clean, page, paginate
from shopfloor.api.schemas import SourceOut, responses, source_out
from shopfloor.companies import (
    CompanyProfile,
    company_profile,
    search_companies,
    summarise_companies,
)
from shopfloor.models import Company, Relationship, Source

router = Router(tags=["companies"])
CompanyId = Path(..., ge=1, le=2**63 - 1)


class CompanyOut(Schema):
    id: int
    name: str
    kind: str
    hq_country: str
    aliases: list[str]
    employees: int | None
    factories: int = Field(description="Facilities it sources from, in any year.")
    latest_year: int | None
    href: str
    sources: list[SourceOut] = Field(description="Sources that name the company.")


class CompanyPage(PageOut):
    items: list[CompanyOut]


class CompanyParams(ListParams):
    q: str = Field("", max_length=200, description="Words in the name or an alias.")
    kind: str = Field("", max_length=20, description="brand, retailer, group or "
                                                     "supplier_group.")


class PeriodOut(Schema):
    kind: str
    year_start: int | None
    year_end: int | None
    period: str
    citation: str
    source: SourceOut


class Ref(Schema):
    id: int
    name: str
    href: str


class FacilityRef(Ref):
    country: str
    province: str


class SupplierOut(Schema):
    facility: FacilityRef
    years: list[int]
    relationships: list[PeriodOut]


class ValueOut(Schema):
    year: int | None
    value_number: float | None
    value_text: str
    verification: str
    citation: str
    source: SourceOut


class CommitmentOut(Schema):
    metric: dict[str, str]
    datapoints: list[ValueOut]


class OwnershipOut(Schema):
    company: Ref
    relationships: list[PeriodOut]


class OwnedFacilityOut(Schema):
    facility: FacilityRef
    relationships: list[PeriodOut]


class OverlapOut(Schema):
    company: Ref
    shared_facilities: int
    shared_by_year: dict[int, int]
    sources: list[SourceOut]


class CompanyDetail(CompanyOut):
    suppliers: list[SupplierOut]
    commitments: list[CommitmentOut]
    owned_brands: list[OwnershipOut]
    owners: list[OwnershipOut]
    owned_facilities: list[OwnedFacilityOut]
    overlaps: list[OverlapOut]
    overlap_count: int
    all_sources: list[SourceOut]


class SupplierRow(Schema):
    facility: FacilityRef
    kind: str
    year_start: int | None
    year_end: int | None
    period: str
    citation: str
    source: SourceOut


class SupplierPage(PageOut):
    items: list[SupplierRow]


def _company_ref(company: Company) -> dict:
    return {"id": company.pk, "name": company.name, "href": f"/api/companies/{company.pk}"}


def _facility_ref(facility) -> dict:
    return {"id": facility.pk, "name": facility.name, "country": facility.country,
            "province": facility.province, "href": f"/api/facilities/{facility.pk}"}


def _company_out(company: Company, factories: int, latest_year, reader: Reader,
                 sources: list[Source]) -> dict:
    return {
        "id": company.pk, "name": company.name, "kind": company.kind,
        "hq_country": company.hq_country, "aliases": [str(a) for a in company.aliases or []],
        "employees": company.employees, "factories": factories, "latest_year": latest_year,
        "href": f"/api/companies/{company.pk}",
        "sources": [source_out(s) for s in sources if reader.can_read(s)],
    }


def _periods(relationships: list[Relationship], reader: Reader) -> list[dict]:
    return [{"kind": r.kind, "year_start": r.year_start, "year_end": r.year_end,
             "period": r.period, "citation": r.citation, "source": source_out(r.source)}
            for r in relationships if reader.can_read(r.source)]


def _detail(profile: CompanyProfile, reader: Reader) -> dict:
    company = profile.company
    named = list(company.sources.all())
    suppliers = []
    for supplier in profile.suppliers:
        periods = _periods(supplier.relationships, reader)
        if periods:
            suppliers.append({"facility": _facility_ref(supplier.facility),
                              "years": supplier.years, "relationships": periods})
    commitments = []
    for commitment in profile.commitments:
        values = [{"year": dp.year, "verification": dp.verification, "citation": dp.citation,
                   "value_number": None if dp.value_number is None else float(dp.value_number),
                   "value_text": dp.value_text, "source": source_out(dp.source)}
                  for dp in commitment.datapoints if reader.can_read(dp.source)]
        if values:
            m = commitment.metric
            commitments.append({"metric": {"code": m.code, "name": m.name,
                                           "name_km": m.name_km, "topic": m.topic,
                                           "unit": m.unit}, "datapoints": values})

    def owned(items, ref):
        out = []
        for item in items:
            periods = _periods(item.relationships, reader)
            if periods:
                out.append({ref[0]: ref[1](getattr(item, ref[0])), "relationships": periods})
        return out

    return {
        **_company_out(company, len(suppliers), suppliers[0]["years"][0]
                       if suppliers and suppliers[0]["years"] else None, reader, named),
        "suppliers": suppliers, "commitments": commitments,
        "owned_brands": owned(profile.owned_brands, ("company", _company_ref)),
        "owners": owned(profile.owners, ("company", _company_ref)),
        "owned_facilities": owned(profile.owned_facilities, ("facility", _facility_ref)),
        "overlaps": [{"company": _company_ref(o.company), "shared_facilities": o.shared,
                      "shared_by_year": dict(o.years),
                      "sources": [source_out(s) for s in o.sources if reader.can_read(s)]}
                     for o in profile.overlaps],
        "overlap_count": profile.overlap_count,
        "all_sources": [source_out(s) for s in profile.sources if reader.can_read(s)],
    }


CSV_COLUMNS = ["id", "name", "kind", "hq_country", "aliases", "employees", "factories",
               "latest_year", "source_ids"]
SUPPLIER_COLUMNS = ["company_id", "facility_id", "facility_name", "facility_country",
                    "facility_province", "kind", "year_start", "year_end", "citation",
                    *provenance_columns()]


def _search(params: CompanyParams):
    kind = clean(params.kind, 20)
    kind = kind if kind in Company.Kind.values else ""
    return search_companies(clean(params.q), kind).prefetch_related(
        Prefetch("sources", queryset=Source.objects.order_by("pk")))


def _rows(companies, reader: Reader) -> list[dict]:
    return [_company_out(s.company, s.factories, s.latest_year, reader,
                         list(s.company.sources.all()))
            for s in summarise_companies(companies, reader.sources_q())]


@router.get("", response=responses(CompanyPage), openapi_extra=CSV_RESPONSE,
            summary="Search companies")
def list_companies(request, params: Query[CompanyParams]):
    """Brands, retailers and groups whose name or alias contains `q`, by name, each with
    how many factories it sources from and the sources that name it."""
    reader = Reader.of(request)
    companies = _search(params)
    if params.format == "csv":
        reader.require_export("companies")

        def lines():
            for start in range(0, companies.count(), 500):
                for row in _rows(list(companies[start:start + 500]), reader):
                    yield {**row, "aliases": "; ".join(row["aliases"]),
                           "source_ids": " ".join(str(s["id"]) for s in row["sources"])}
        return csv_response("companies", CSV_COLUMNS, lines())
    items, count = paginate(companies, params)
    return page(params, count, _rows(items, reader))


@router.get("/{company_id}", response=responses(CompanyDetail), summary="One company")
def get_company(request, company_id: int = CompanyId):
    """A company: the factories it sources from (by year, each period with its source),
    its commitments and scores, owners and brands, other brands at the same factories."""
    company = get_object_or_404(Company.objects.prefetch_related("sources"), pk=company_id)
    reader = Reader.of(request)
    return _detail(company_profile(company, visible=reader.sources_q()), reader)


@router.get("/{company_id}/suppliers", response=responses(SupplierPage),
            openapi_extra=CSV_RESPONSE, summary="A company's supplier relationships")
def list_suppliers(request, params: Query[ListParams], company_id: int = CompanyId):
    """One row per relationship to a supplier facility, newest first, with its source."""
    company = get_object_or_404(Company, pk=company_id)
    reader = Reader.of(request)
    rows = [{"facility": _facility_ref(s.facility), "kind": r.kind, "year_start": r.year_start,
             "year_end": r.year_end, "period": r.period, "citation": r.citation,
             "source": r.source}
            for s in company_profile(company, overlaps=0, visible=reader.sources_q()).suppliers
            for r in s.relationships
            if reader.can_read(r.source)]
    if params.format == "csv":
        reader.require_export("companies")
        return csv_response(f"company-{company.pk}-suppliers", SUPPLIER_COLUMNS, (
            {"company_id": company.pk, **{f"facility_{k}": v for k, v in r["facility"].items()},
             **r, **provenance(r["source"])} for r in rows))
    items, count = paginate(rows, params)
    return page(params, count, [{**r, "source": source_out(r["source"])} for r in items])
