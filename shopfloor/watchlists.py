"""Watchlists: a union's own list of factories, matched, summarised and exported.

Journey 1 of the brief: "we uploaded our 66 factories — what is known about them?" A
watchlist is one uploaded ``facility-list`` source; its rows are matched to the registry and
everything connected to the matched facilities is counted (the seeds' "353 supply-chain
relationships to 61 brands since 2016, 307 demographic datapoints, ...") and exported with
the source of every value, because employers and brands will challenge each number.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Max, Min, Q

from shopfloor.linkage.decisions import apply_remembered
from shopfloor.models import (
    Assessment,
    Datapoint,
    FacilityRecord,
    Finding,
    Metric,
    Relationship,
    Source,
    Watchlist,
)
from shopfloor.sources import ImportFailed, SourceInfo, run_import

audit = logging.getLogger("shopfloor.audit")
Decision = FacilityRecord.Decision
MATCHED = (Decision.AUTOMATIC, Decision.CONFIRMED, Decision.NEW)
#: Metric codes that count as freedom-of-association investigations or cases.
FOA_CASE_WORDS = ("investigation", "case", "dismissal")

EXPORT_COLUMNS = [
    "section", "list_row", "list_name", "match", "facility_id", "facility", "os_id",
    "bfc_id", "item", "value", "unit", "year", "publisher", "source_title", "source_location",
    "retrieved_on", "published_on", "licence", "citation", "source_id",
]


def _match(source: Source) -> dict:
    """Run the matcher on the list's rows: helper engine when installed, else the
    importer's exact matching plus remembered decisions."""
    try:
        from shopfloor.linkage import engine
    except ImportError:
        engine = None
    if engine is not None and hasattr(engine, "match_records"):
        report = engine.match_records(source=source)
        return report if isinstance(report, dict) else getattr(report, "__dict__", {})
    return apply_remembered(source.facility_records.filter(decision=Decision.PENDING))


def create_watchlist(name: str, path, organisation=None, user=None, *,
                     publisher: str = "", title: str = "") -> Watchlist:
    """Import ``path`` as a ``facility-list`` source, match its rows and store the watchlist.

    A watchlist of the same name and organisation is pointed at the new upload (a later
    version of the list); confirmed and rejected matches of the earlier upload are reused.
    Raises :class:`ImportFailed` when the file cannot be read.
    """
    path = Path(path)
    info = SourceInfo(title=title or name, publisher=publisher, organisation=organisation)
    report = run_import("facility-list", path, info=info)
    if report.source_id is None:
        raise ImportFailed(f"{path.name}: no rows imported ({report.summary()})")
    source = Source.objects.get(pk=report.source_id)
    _match(source)
    with transaction.atomic():
        watchlist = Watchlist.objects.filter(name=name, organisation=organisation).first()
        if watchlist is None:
            watchlist = Watchlist.objects.create(name=name, organisation=organisation,
                                                 source=source, created_by=user)
        elif watchlist.source_id != source.pk:
            watchlist.source = source
            watchlist.save(update_fields=["source"])
    return watchlist


def find_watchlist(name: str) -> Watchlist:
    """The watchlist called ``name`` (case-insensitive), or by id."""
    qs = Watchlist.objects.select_related("organisation", "source")
    found = qs.filter(name__iexact=name)
    if name.isdigit() and not found.exists():
        found = qs.filter(pk=int(name))
    if found.count() > 1:
        raise Watchlist.MultipleObjectsReturned(
            f"{found.count()} watchlists are called {name!r}; use the id")
    watchlist = found.first()
    if watchlist is None:
        raise Watchlist.DoesNotExist(f"no watchlist called {name!r}")
    return watchlist


def facility_ids(watchlist: Watchlist) -> set[int]:
    """The live facilities the list's rows are matched to."""
    return set(watchlist.source.facility_records.filter(decision__in=MATCHED)
               .values_list("facility_id", flat=True))


def _source_dict(source: Source) -> dict:
    return {"id": source.pk, "publisher": source.publisher, "title": source.title,
            "location": source.location, "licence": source.licence,
            "retrieved_on": source.retrieved_on.isoformat() if source.retrieved_on else None,
            "published_on": source.published_on.isoformat() if source.published_on else None}


def _rows(watchlist: Watchlist) -> dict[str, int]:
    records = watchlist.source.facility_records
    matched = records.filter(decision__in=MATCHED).count()
    pending = records.filter(decision=Decision.PENDING, facility__isnull=False).count()
    total = records.count()
    return {"total": total, "matched": matched, "pending": pending,
            "unmatched": total - matched - pending}


def watchlist_summary(watchlist: Watchlist) -> dict:
    """Counts of the list's rows and of everything connected to its matched facilities:
    supply-chain relationships and distinct brands with their year range, datapoints by
    topic, facilities with wage data, BFC assessments and findings, FoA investigations."""
    ids = facility_ids(watchlist)
    rels = Relationship.objects.filter(facility_id__in=ids,
                                       kind=Relationship.Kind.SOURCES_FROM)
    span = rels.aggregate(first=Min("year_start"), last_start=Max("year_start"),
                          last_end=Max("year_end"))
    last = max((y for y in (span["last_start"], span["last_end"]) if y), default=None)
    dps = Datapoint.objects.filter(facility_id__in=ids)
    by_topic = dict(sorted(Counter(dps.values_list("metric__topic", flat=True)).items()))
    wages = dps.filter(metric__topic=Metric.Topic.WAGES)
    assessments = Assessment.objects.filter(facility_id__in=ids)
    findings = Finding.objects.filter(assessment__facility_id__in=ids)
    cases = Q()
    for word in FOA_CASE_WORDS:
        cases |= Q(metric__code__icontains=word)
    return {
        "watchlist": watchlist.name,
        "organisation": watchlist.organisation.name if watchlist.organisation else None,
        "source": _source_dict(watchlist.source),
        "rows": _rows(watchlist),
        "facilities": len(ids),
        "relationships": {
            "count": rels.count(),
            "brands": rels.values("subject").distinct().count(),
            "since": span["first"], "until": last,
        },
        "datapoints": {"count": dps.count(), "by_topic": by_topic},
        "facilities_with_wage_data": wages.values("facility").distinct().count(),
        "bfc": {
            "facilities_assessed": assessments.values("facility").distinct().count(),
            "assessments": assessments.count(),
            "findings": findings.count(),
            "non_compliant": findings.filter(status=Finding.Status.NON_COMPLIANT).count(),
        },
        "foa_investigations": dps.filter(metric__topic=Metric.Topic.FOA).filter(cases).count(),
    }


def summary_lines(summary: dict) -> list[str]:
    """The summary as sentences, as a person would read it out."""
    rows, rels, dp = summary["rows"], summary["relationships"], summary["datapoints"]
    since = f" since {rels['since']}" if rels["since"] else ""
    lines = [
        f"{rows['total']} rows: {rows['matched']} matched, {rows['pending']} waiting for "
        f"review, {rows['unmatched']} not found",
        f"{summary['facilities']} facilities",
        f"{rels['count']} supply-chain relationships to {rels['brands']} brands{since}",
        f"{dp['count']} datapoints: " + ", ".join(
            f"{n} {topic}" for topic, n in dp["by_topic"].items()),
        f"{summary['facilities_with_wage_data']} factories with wage data",
        f"{summary['bfc']['assessments']} BFC assessments of "
        f"{summary['bfc']['facilities_assessed']} factories, {summary['bfc']['findings']} "
        f"findings ({summary['bfc']['non_compliant']} non-compliant)",
        f"{summary['foa_investigations']} freedom-of-association investigations",
    ]
    return lines


def _cite(source: Source, citation: str) -> dict:
    return {"publisher": source.publisher, "source_title": source.title,
            "source_location": source.location,
            "retrieved_on": source.retrieved_on.isoformat() if source.retrieved_on else "",
            "published_on": source.published_on.isoformat() if source.published_on else "",
            "licence": source.licence, "citation": citation, "source_id": source.pk}


def export_rows(watchlist: Watchlist) -> list[dict]:
    """One row per value, each with its source: the list's own rows and matches, then the
    relationships, datapoints and findings of the matched facilities."""
    out: list[dict] = []
    row_of: dict[int, tuple[int | None, str]] = {}
    records = watchlist.source.facility_records.select_related("facility", "source")
    for rec in records.order_by("row_number"):
        fac = rec.facility if rec.decision in MATCHED else None
        if fac is not None:
            row_of.setdefault(fac.pk, (rec.row_number, rec.name))
        out.append({
            "section": "list", "list_row": rec.row_number, "list_name": rec.name,
            "match": rec.decision, "facility_id": fac.pk if fac else "",
            "facility": fac.name if fac else "", "os_id": (fac.os_id or "") if fac else "",
            "bfc_id": (fac.bfc_id or "") if fac else "", "item": "match score",
            "value": "" if rec.match_score is None else rec.match_score, "unit": "",
            "year": "", **_cite(rec.source, f"row {rec.row_number}")})

    def base(section: str, fac) -> dict:
        row, name = row_of.get(fac.pk, ("", ""))
        return {"section": section, "list_row": row, "list_name": name, "match": "",
                "facility_id": fac.pk, "facility": fac.name, "os_id": fac.os_id or "",
                "bfc_id": fac.bfc_id or ""}

    ids = set(row_of)
    rels = (Relationship.objects.filter(facility_id__in=ids)
            .select_related("facility", "subject", "source").order_by("facility_id", "pk"))
    for rel in rels:
        out.append({**base("relationship", rel.facility), "item": rel.get_kind_display(),
                    "value": rel.subject.name, "unit": "", "year": rel.period,
                    **_cite(rel.source, rel.citation)})
    dps = (Datapoint.objects.filter(facility_id__in=ids)
           .select_related("facility", "metric", "source").order_by("facility_id", "pk"))
    for dp in dps:
        out.append({**base("datapoint", dp.facility), "item": dp.metric.name,
                    "value": dp.value, "unit": dp.metric.unit, "year": dp.year or "",
                    **_cite(dp.source, dp.citation)})
    finds = (Finding.objects.filter(assessment__facility_id__in=ids)
             .select_related("assessment__facility", "criterion", "source")
             .order_by("assessment__facility_id", "assessment__cycle", "pk"))
    for f in finds:
        a = f.assessment
        out.append({**base("finding", a.facility),
                    "item": f"{a.programme} cycle {a.cycle}: {f.criterion.code}. "
                            f"{f.criterion.text}",
                    "value": f.status, "unit": "",
                    "year": a.assessed_on.year if a.assessed_on else "",
                    **_cite(f.source, f.citation)})
    return out


def export_watchlist(watchlist: Watchlist, fmt: str = "csv", user=None) -> bytes:
    """The watchlist and everything connected to it, every value with its source
    (publisher, title, URL or file, retrieval date, licence, citation), as CSV, XLSX or
    JSON (which adds the summary). Every export is logged (``shopfloor.audit``)."""
    if fmt not in ("csv", "xlsx", "json"):
        raise ValueError(f"unknown format {fmt!r}: use csv, xlsx or json")
    rows = export_rows(watchlist)
    audit.info("export watchlist=%s format=%s rows=%s user=%s", watchlist.pk, fmt, len(rows),
               getattr(user, "pk", None))
    if fmt == "json":
        data = {"summary": watchlist_summary(watchlist), "rows": rows}
        return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        return buf.getvalue().encode("utf-8-sig")  # BOM: Excel then reads Khmer correctly
    return _xlsx(watchlist, rows)


def _xlsx(watchlist: Watchlist, rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("evidence")
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append([_cell(row.get(c, "")) for c in EXPORT_COLUMNS])
    summary = book.create_sheet("summary")
    for line in summary_lines(watchlist_summary(watchlist)):
        summary.append([line])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cell(value):
    """A cell that a spreadsheet shows as text, never runs: names like ``=HYPERLINK(...)``
    in an uploaded list must not become formulas in the export."""
    if value is None or isinstance(value, (int, float)):
        return value
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def watchlist_counts() -> dict[int, int]:
    """Rows per watchlist id (for listings)."""
    return dict(Watchlist.objects.annotate(n=Count("source__facility_records"))
                .values_list("pk", "n"))
