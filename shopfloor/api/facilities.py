"""``/api/facilities``: search, one facility, and its findings, buyers and datapoints.

Built on :mod:`shopfloor.facilities`, the functions the pages use, so the API shows what the
pages show. Every value carries its source.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from shopfloor.api.auth import Reader
from shopfloor.api.csv import CSV_RESPONSE, csv_response, provenance, provenance_columns
from shopfloor.api.pagination import ListParams, PageOut, clean, page, paginate
from shopfloor.api.schemas import SourceOut, responses, source_out
from shopfloor.facilities import (
    FacilityProfile,
    FacilitySummary,
    facility_profile,
    province_label,
    search_facilities,
    summarise,
)
from shopfloor.models import Facility, FacilityRecord, Source

router = Router(tags=["facilities"])
MAX_ID = 2**63 - 1
FacilityId = Path(..., ge=1, le=MAX_ID, description="A facility id; a merged facility's old "
                                                    "id answers with the one it became.")
MATCHED = (FacilityRecord.Decision.AUTOMATIC, FacilityRecord.Decision.CONFIRMED,
           FacilityRecord.Decision.NEW)


# --- shapes -------------------------------------------------------------------------------


class WorkersOut(Schema):
    value: float | str
    year: int | None
    source: SourceOut


class ComplianceOut(Schema):
    programme: str
    cycle: int
    assessed_on: date | None
    non_compliant: int
    assessed: int
    source: SourceOut


class FacilityOut(Schema):
    id: int
    name: str
    name_km: str
    country: str
    province: str
    province_label: str
    os_id: str | None
    bfc_id: str | None
    is_closed: bool
    href: str
    workers: WorkersOut | None
    compliance: ComplianceOut | None


class FacilityPage(PageOut):
    items: list[FacilityOut]


class RecordOut(Schema):
    """A row of a source that describes the facility (its identity's provenance)."""

    name: str
    row_number: int | None
    decision: str
    source: SourceOut


class FacilityDetail(FacilityOut):
    other_names: list[str]
    address: str
    lat: float | None
    lng: float | None
    resolved_from: int | None = Field(description="The id asked for, when it was merged "
                                                  "into this facility.")
    records: list[RecordOut]
    counts: dict[str, int]
    links: dict[str, str]
    sources: list[SourceOut]


class CriterionOut(Schema):
    code: str
    cluster: str
    text: str
    text_km: str


class FindingOut(Schema):
    programme: str
    cycle: int
    assessed_on: date | None
    criterion: CriterionOut
    status: str
    change: str = Field(description="worse, better, changed, or empty: against the "
                                    "previous cycle.")
    detail: str
    citation: str
    source: SourceOut


class FindingPage(PageOut):
    items: list[FindingOut]


class CompanyRef(Schema):
    id: int
    name: str
    kind: str
    href: str


class RelationshipOut(Schema):
    company: CompanyRef
    kind: str
    year_start: int | None
    year_end: int | None
    period: str
    citation: str
    source: SourceOut


class RelationshipPage(PageOut):
    items: list[RelationshipOut]


class MetricOut(Schema):
    code: str
    name: str
    name_km: str
    topic: str
    unit: str
    value_type: str


class DatapointOut(Schema):
    metric: MetricOut
    year: int | None
    period_start: date | None
    period_end: date | None
    value_number: float | None
    value_text: str
    verification: str
    citation: str
    source: SourceOut


class DatapointPage(PageOut):
    items: list[DatapointOut]


class SearchParams(ListParams):
    q: str = Field("", max_length=200, description="Name (any script), OS ID or BFC ID.")
    province: str = Field("", max_length=100, description="Province, as stored.")
    country: str = Field("", max_length=2, description="ISO country code, e.g. KH.")


# --- building the answers -----------------------------------------------------------------


def _summary_out(summary: FacilitySummary, sources: dict[int, Source]) -> dict:
    fac, workers, compliance = summary.facility, summary.workers, summary.compliance
    return {
        "id": fac.pk, "name": fac.name, "name_km": fac.name_km, "country": fac.country,
        "province": fac.province, "province_label": province_label(fac.province),
        "os_id": fac.os_id, "bfc_id": fac.bfc_id, "is_closed": fac.is_closed,
        "href": f"/api/facilities/{fac.pk}",
        "workers": workers and {
            "value": _number(workers.value), "year": workers.year,
            "source": source_out(sources[workers.source_id]),
        },
        "compliance": compliance and {
            **{k: getattr(compliance, k) for k in
               ("programme", "cycle", "assessed_on", "non_compliant", "assessed")},
            "source": source_out(sources[compliance.source_id]),
        },
    }


def _number(value):
    return value if isinstance(value, str) else float(value)


def _summaries(facilities: list[Facility], reader: Reader
               ) -> tuple[list[FacilitySummary], dict[int, Source]]:
    """Size and compliance of a page of facilities, from the sources the reader may read,
    with those sources (three queries)."""
    rows = summarise(facilities, reader.user)
    ids = {r.workers.source_id for r in rows if r.workers}
    ids |= {r.compliance.source_id for r in rows if r.compliance}
    return rows, Source.objects.in_bulk(ids)


def _search(params: SearchParams):
    facilities = search_facilities(clean(params.q), province=clean(params.province, 100))
    country = clean(params.country, 2).upper()
    return facilities.filter(country=country) if country else facilities


CSV_COLUMNS = ["id", "name", "name_km", "country", "province", "os_id", "bfc_id",
               "is_closed", "workers", "workers_year", *provenance_columns("workers_"),
               "compliance_programme", "compliance_cycle", "compliance_assessed_on",
               "non_compliant", "assessed", *provenance_columns("compliance_")]


def _csv_rows(facilities, reader: Reader) -> Iterator[dict]:
    found = facilities.iterator(chunk_size=500)
    while batch := list(islice(found, 500)):
        rows, sources = _summaries(batch, reader)
        for row in rows:
            fac, workers, comp = row.facility, row.workers, row.compliance
            yield {
                "id": fac.pk, "name": fac.name, "name_km": fac.name_km,
                "country": fac.country, "province": fac.province, "os_id": fac.os_id,
                "bfc_id": fac.bfc_id, "is_closed": fac.is_closed,
                "workers": workers and workers.value, "workers_year": workers and workers.year,
                **provenance(workers and sources[workers.source_id], "workers_"),
                "compliance_programme": comp and comp.programme,
                "compliance_cycle": comp and comp.cycle,
                "compliance_assessed_on": comp and comp.assessed_on,
                "non_compliant": comp and comp.non_compliant,
                "assessed": comp and comp.assessed,
                **provenance(comp and sources[comp.source_id], "compliance_"),
            }


def _facility(pk: int) -> tuple[Facility, int | None]:
    """The live facility for ``pk`` (following merges), and ``pk`` if it was merged."""
    from shopfloor.linkage.merge import resolve

    facility = Facility.objects.filter(pk=pk).first()
    if facility is None:
        raise Http404
    if facility.merged_into_id is None:
        return facility, None
    survivor = resolve(pk)
    if survivor is None or survivor.merged_into_id is not None:  # a broken chain
        raise Http404
    return survivor, pk


def _profile(pk: int, reader: Reader) -> FacilityProfile:
    """What the reader may read about the facility (the profile leaves out the rest)."""
    return facility_profile(_facility(pk)[0], user=reader.user)


def _findings(profile: FacilityProfile) -> list[dict]:
    """Every finding, by programme, newest cycle first, criteria in code order."""
    out = []
    for table in profile.findings:
        for column in reversed(range(len(table.assessments))):
            for row in table.rows:
                cell = row.cells[column]
                if cell.finding is None:
                    continue
                a, f, c = cell.assessment, cell.finding, row.criterion
                out.append({
                    "programme": a.programme, "cycle": a.cycle, "assessed_on": a.assessed_on,
                    "criterion": {"code": c.code, "cluster": c.cluster, "text": c.text,
                                  "text_km": c.text_km},
                    "status": f.status, "change": cell.change, "detail": f.detail,
                    "citation": f.citation, "source": f.source,
                })
    return out


def _relationships(profile: FacilityProfile) -> list[dict]:
    return [
        {"company": {"id": b.company.pk, "name": b.company.name, "kind": b.company.kind,
                     "href": f"/api/companies/{b.company.pk}"},
         "kind": rel.kind, "year_start": rel.year_start, "year_end": rel.year_end,
         "period": rel.period, "citation": rel.citation, "source": rel.source}
        for b in profile.buyers for rel in b.relationships
    ]


def _datapoints(profile: FacilityProfile) -> list[dict]:
    return [
        {"metric": {k: getattr(m.metric, k) for k in
                    ("code", "name", "name_km", "topic", "unit", "value_type")},
         "year": dp.year, "period_start": dp.period_start, "period_end": dp.period_end,
         "value_number": None if dp.value_number is None else float(dp.value_number),
         "value_text": dp.value_text, "verification": dp.verification,
         "citation": dp.citation, "source": dp.source}
        for topic in profile.facts for m in topic.metrics for dp in m.datapoints
    ]


def _flat(name: str, columns: list[str], rows: list[dict], fid: int, reader: Reader):
    """A facility's list as CSV: nested objects flattened, provenance columns last."""
    reader.require_export("facilities")
    def lines():
        for row in rows:
            flat = {"facility_id": fid}
            for key, value in row.items():
                if isinstance(value, dict):
                    flat.update({f"{key}_{k}": v for k, v in value.items()})
                elif key != "source":
                    flat[key] = value
            yield {**flat, **provenance(row["source"])}
    return csv_response(f"facility-{fid}-{name}", columns + provenance_columns(), lines())


def _as_page(rows: list[dict], params: ListParams) -> dict:
    items, count = paginate(rows, params)
    for item in items:
        item["source"] = source_out(item["source"])
    return page(params, count, items)


# --- operations ---------------------------------------------------------------------------


@router.get("", response=responses(FacilityPage), openapi_extra=CSV_RESPONSE,
            summary="Search facilities")
def list_facilities(request, params: Query[SearchParams]):
    """Facilities whose names (any script), OS ID or BFC ID contain `q`, in a province or
    country, by name; each with its latest headcount and latest compliance summary."""
    reader = Reader.of(request)
    facilities = _search(params)
    if params.format == "csv":
        reader.require_export("facilities")
        return csv_response("facilities", CSV_COLUMNS, _csv_rows(facilities, reader))
    items, count = paginate(facilities, params)
    rows, sources = _summaries(items, reader)
    return page(params, count, [_summary_out(row, sources) for row in rows])


@router.get("/{facility_id}", response=responses(FacilityDetail), summary="One facility")
def get_facility(request, facility_id: int = FacilityId):
    """A facility: identity, the source rows that describe it, latest headcount and
    compliance, counts of its facts, links to them, and every source they come from."""
    reader = Reader.of(request)
    facility, resolved_from = _facility(facility_id)
    profile = facility_profile(facility, user=reader.user)
    rows, sources = _summaries([facility], reader)
    records = (facility.records.filter(decision__in=MATCHED).select_related("source")
               .filter(reader.sources_q("source__")))
    relationships = _relationships(profile)
    base = f"/api/facilities/{facility.pk}"
    return {
        **_summary_out(rows[0], sources),
        "other_names": profile.other_names, "address": facility.address,
        "lat": facility.lat, "lng": facility.lng, "resolved_from": resolved_from,
        "records": [{"name": r.name, "row_number": r.row_number, "decision": r.decision,
                     "source": source_out(r.source)} for r in records],
        "counts": {
            "buyers": len({r["company"]["id"] for r in relationships}),
            "relationships": len(relationships),
            "datapoints": len(_datapoints(profile)),
            "findings": len(_findings(profile)),
        },
        "links": {"findings": f"{base}/findings", "relationships": f"{base}/relationships",
                  "datapoints": f"{base}/datapoints", "page": f"/facilities/{facility.pk}/"},
        "sources": [source_out(s) for s in profile.sources],
    }


@router.get("/{facility_id}/findings", response=responses(FindingPage),
            openapi_extra=CSV_RESPONSE, summary="A facility's compliance findings")
def list_findings(request, params: Query[ListParams], facility_id: int = FacilityId):
    """Better Work / BFC findings, newest cycle first, each with its change since the
    previous cycle and its source."""
    reader = Reader.of(request)
    profile = _profile(facility_id, reader)
    rows = _findings(profile)
    if params.format == "csv":
        columns = ["facility_id", "programme", "cycle", "assessed_on", "criterion_code",
                   "criterion_cluster", "criterion_text", "criterion_text_km", "status",
                   "change", "detail", "citation"]
        return _flat("findings", columns, rows, profile.facility.pk, reader)
    return _as_page(rows, params)


@router.get("/{facility_id}/relationships", response=responses(RelationshipPage),
            openapi_extra=CSV_RESPONSE, summary="Companies sourcing from a facility")
def list_relationships(request, params: Query[ListParams], facility_id: int = FacilityId):
    """Buyers, most recent first, each period as its source reports it."""
    reader = Reader.of(request)
    profile = _profile(facility_id, reader)
    rows = _relationships(profile)
    if params.format == "csv":
        columns = ["facility_id", "company_id", "company_name", "company_kind", "kind",
                   "year_start", "year_end", "citation"]
        return _flat("relationships", columns, rows, profile.facility.pk, reader)
    return _as_page(rows, params)


@router.get("/{facility_id}/datapoints", response=responses(DatapointPage),
            openapi_extra=CSV_RESPONSE, summary="A facility's datapoints")
def list_datapoints(request, params: Query[ListParams], facility_id: int = FacilityId):
    """Every value known about the facility, by topic and metric, newest first."""
    reader = Reader.of(request)
    profile = _profile(facility_id, reader)
    rows = _datapoints(profile)
    if params.format == "csv":
        columns = ["facility_id", "metric_code", "metric_name", "metric_topic", "metric_unit",
                   "year", "period_start", "period_end", "value_number", "value_text",
                   "verification", "citation"]
        return _flat("datapoints", columns, rows, profile.facility.pk, reader)
    return _as_page(rows, params)
