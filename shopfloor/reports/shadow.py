"""The shadow report: where official data and workers' evidence disagree, safe to publish.

For a set of factories (a watchlist, the factories a union organises in), one report that a
union can hand to a journalist, a brand or the ILO:

* the **discrepancies** (:mod:`shopfloor.analysis.discrepancies`), as counts and month
  only — ``Discrepancy.as_dict(records=False)``, with the counts of issues and cases
  labelled as below, never a record's title, description, note, worker, id or day;
* the **published facts** they contradict, with full provenance (publisher, title, URL or
  file, publication and retrieval dates, licence, citation) — read from public sources
  only, so that anyone can check them;
* per factory, the union-evidence **aggregates** of
  :func:`shopfloor.evidence.aggregates.facility_aggregates` (people counts suppressed:
  fewer than 5 hidden, fewer than 10 for sensitive topics, with complementary suppression);
* across factories, **tables** of documented issues by Better Work cluster and of cases by
  kind, suppressed with :func:`shopfloor.privacy.suppress_table`;
* a **methods** note: the rules, the thresholds, whose evidence was counted.

Counts in the report. Every count of union issues shown anywhere in the report (tables,
discrepancies, sentences) below :data:`ISSUE_THRESHOLD` shows as "<5", every count of cases
below :data:`CASE_THRESHOLD` as "<10" (a case is about named workers: dismissals,
harassment), and a count hidden to protect a small one as "–". The same labels appear in
CSV, JSON, HTML and PDF. Every union's evidence at the covered factories is counted
(``all_evidence=True``): the report shows counts only.

Formats (:func:`render`): ``csv`` (one row per discrepancy, with provenance columns),
``json`` (everything), ``html`` and ``pdf`` (the document, Khmer or English).

>>> report = shadow_report(facilities, title="C.CAWDU factories")   # doctest: +SKIP
>>> pdf = render(report, "pdf")                                     # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shopfloor import privacy
from shopfloor.analysis.discrepancies import RULES, Discrepancy, find_discrepancies
from shopfloor.evidence import topics
from shopfloor.evidence.aggregates import facility_aggregates
from shopfloor.models import Case, Facility, FacilityRecord, Finding, MonitoringIssue

#: Counts of union issues below this are shown as "<5".
ISSUE_THRESHOLD = privacy.THRESHOLD
#: Counts of cases below this are shown as "<10": each case is about named workers.
CASE_THRESHOLD = privacy.SENSITIVE_THRESHOLD
#: The formats :func:`render` writes, with their media types.
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
           "html": "text/html; charset=utf-8", "pdf": "application/pdf"}

CSV_COLUMNS = [
    "facility", "facility_id", "os_id", "bfc_id", "rule", "kind", "rule_title",
    "criterion_code", "criterion", "topic", "company", "sentence",
    "union_issues", "union_cases", "union_since", "union_publishers",
    "official_programme", "official_cycle", "official_assessed_on", "official_status",
    "official_publisher", "official_title", "official_location", "official_published_on",
    "official_retrieved_on", "official_licence", "official_citation",
    "commitment_metric", "commitment_value", "commitment_year", "commitment_publisher",
    "commitment_title", "commitment_location", "commitment_licence",
]


def count_label(n: int, threshold: int) -> str:
    """A count as published: the number, or "<threshold" when it is 1 to threshold - 1.

    >>> count_label(3, 5), count_label(0, 5), count_label(12, 10)
    ('<5', '0', '12')
    """
    return f"<{threshold}" if 0 < n < threshold else str(n)


def _table_label(table: privacy.SuppressedTable, key, value) -> str:
    if value is not None:
        return str(value)
    return (f"<{table.threshold}" if table.kinds.get(key) == "primary"
            else privacy.COMPLEMENTARY_LABEL)


@dataclass
class ShadowReport:
    """A shadow report's content, every count already labelled for publication."""

    title: str
    generated_on: dt.date
    facilities: list[Facility]
    evidence_facilities: list[Facility]
    discrepancies: list[dict] = field(default_factory=list)
    factories: list[dict] = field(default_factory=list)
    issues_table: dict = field(default_factory=dict)
    cases_table: dict = field(default_factory=dict)
    sources: list[dict] = field(default_factory=list)
    methods: dict = field(default_factory=dict)
    demo: bool = False

    @property
    def factories_with_evidence(self) -> list[dict]:
        """The per-factory aggregates of the factories with any union evidence."""
        return [f for f in self.factories if not f["empty"]]

    def as_dict(self) -> dict:
        return {
            "title": self.title, "generated_on": self.generated_on, "demo": self.demo,
            "facilities": [_facility(f) for f in self.facilities],
            "evidence_counted_at": [f.pk for f in self.evidence_facilities],
            "discrepancies": self.discrepancies, "factories": self.factories,
            "issues_by_cluster": self.issues_table, "cases_by_kind": self.cases_table,
            "sources": self.sources, "methods": self.methods,
        }


def _facility(f: Facility) -> dict:
    return {"id": f.pk, "name": f.name, "name_km": f.name_km, "os_id": f.os_id,
            "bfc_id": f.bfc_id, "province": f.province, "country": f.country}


# -- discrepancies ------------------------------------------------------------------------


def _evidence_text(d: Discrepancy, issues: str, cases: str) -> str:
    """The union's side with labelled counts; a hidden count takes the plural."""
    parts = []
    if d.issues:
        n = len(d.issues) if issues.isdigit() else ISSUE_THRESHOLD
        parts.append(ngettext("%(n)s documented issue", "%(n)s documented issues", n)
                     % {"n": issues})
    if d.cases:
        n = len(d.cases) if cases.isdigit() else CASE_THRESHOLD
        parts.append(ngettext("%(n)s documented case", "%(n)s documented cases", n)
                     % {"n": cases})
    parts += [e["label"] for e in d.other_evidence]
    return _(" and ").join(parts)


def public_discrepancy(d: Discrepancy) -> dict:
    """One discrepancy as published: ``as_dict(records=False)`` with the counts labelled,
    the month instead of the day, and why it was flagged."""
    data = d.as_dict(records=False)
    issues = count_label(len(d.issues), ISSUE_THRESHOLD)
    cases = count_label(len(d.cases), CASE_THRESHOLD)
    union = data["union"]
    union["issues"], union["cases"] = issues, cases
    union["since"] = d.since.strftime("%Y-%m") if d.since else None
    union.pop("records", None)
    if data["official"] is not None:
        data["official"]["status_label"] = str(Finding.Status(d.finding.status).label)
    data["sentence"] = d.sentence(evidence=_evidence_text(d, issues, cases))
    data["rule_title"], data["why"] = str(d.rule.title), str(d.rule.explanation)
    return data


# -- aggregates and tables ----------------------------------------------------------------


def _line(result: privacy.Suppressed | None) -> dict | None:
    if result is None:
        return None
    return {key: privacy.cell_label(result, key) for key in result}


def _factory_aggregates(facility: Facility, on: dt.date) -> dict:
    """The people counts and facts of :func:`facility_aggregates`, labelled. The counts of
    issues and cases are in the cross-factory tables (suppressed there), not repeated."""
    agg = facility_aggregates(facility, on=on)
    reinstated = None
    if agg.reinstated is not None:
        reinstated = privacy.cell_label(privacy.suppress({"n": agg.reinstated},
                                                         sensitive=True), "n")
    return {
        "facility": _facility(facility), "empty": agg.empty,
        "workers_affected_by_open_issues": _line(agg.workers_affected),
        "workers_in_cases": _line(agg.case_workers),
        "union_members": _line(agg.members),
        "workers_reinstated": reinstated,
        "compensation": ({cur: str(amount) for cur, amount in agg.compensation.items()}
                         if agg.compensation is not None else None),
        "collective_agreement_in_force": agg.agreement_in_force,
        "heat_readings": agg.heat_readings, "heat_alerts": agg.heat_alerts,
        "max_heat_index": agg.max_heat_index,
    }


def _suppressed_table(counts: dict[int, dict[str, int]], facilities: list[Facility],
                      columns: list[tuple[str, str]], threshold: int) -> dict:
    """``{facility: {column: n}}`` suppressed, as rows of labels (factories × columns)."""
    used = [(key, label) for key, label in columns
            if any(counts.get(f.pk, {}).get(key) for f in facilities)]
    if not used or not facilities:
        return {"threshold": threshold, "columns": [], "rows": [], "totals": [],
                "total": "0"}
    table = {f.pk: {key: counts.get(f.pk, {}).get(key, 0) for key, _label in used}
             for f in facilities}
    result = privacy.suppress_table(table, threshold=threshold)
    rows = []
    for f in facilities:
        if not any(table[f.pk].values()):
            continue  # nothing at this factory: zeros only, no row
        rows.append({
            "facility": _facility(f),
            "cells": [_table_label(result, (f.pk, key), result.cells[(f.pk, key)])
                      for key, _label in used],
            "total": _table_label(result, privacy.Margin("row", f.pk),
                                  result.row_totals[f.pk])})
    return {
        "threshold": threshold,
        "columns": [{"key": key, "label": str(label)} for key, label in used],
        "rows": rows,
        "totals": [_table_label(result, privacy.Margin("column", key),
                                result.column_totals[key]) for key, _label in used],
        "total": _table_label(result, privacy.GRAND_TOTAL, result.total),
    }


def _issue_counts(facilities: list[Facility]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for fac_id, topic in MonitoringIssue.objects.filter(
            facility__in=[f.pk for f in facilities]).values_list("facility_id", "topic"):
        cluster = topics.cluster_of(topic) or "other"
        row = counts.setdefault(fac_id, {})
        row[cluster] = row.get(cluster, 0) + 1
    return counts


def _case_counts(facilities: list[Facility]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for fac_id, kind in Case.objects.filter(
            facility__in=[f.pk for f in facilities]).values_list("facility_id", "kind"):
        row = counts.setdefault(fac_id, {})
        row[kind] = row.get(kind, 0) + 1
    return counts


# -- sources and methods ------------------------------------------------------------------


def _sources(found: list[Discrepancy]) -> list[dict]:
    """Every published source the discrepancies cite, once, with full provenance."""
    seen = {}
    for d in found:
        for source in (d.finding.source if d.finding else None,
                       d.commitment.source if d.commitment else None):
            if source is not None and source.pk not in seen:
                seen[source.pk] = {
                    "id": source.pk, "publisher": source.publisher, "title": source.title,
                    "url": source.url, "file_name": source.file_name,
                    "published_on": source.published_on, "retrieved_on": source.retrieved_on,
                    "licence": source.licence or None, "is_demo": source.is_demo}
    return sorted(seen.values(), key=lambda s: (s["publisher"], s["title"], s["id"]))


def methods_note() -> dict:
    """What the report counts and hides, for its last section and the JSON."""
    return {
        "rules": [{"code": r.code, "kind": r.kind, "title": str(r.title),
                   "explanation": str(r.explanation)} for r in RULES],
        "thresholds": {
            "issues": ISSUE_THRESHOLD, "cases": CASE_THRESHOLD,
            "people": privacy.THRESHOLD, "people_sensitive": privacy.SENSITIVE_THRESHOLD,
            "sensitive_topics": sorted(str(t) for t in topics.SENSITIVE_TOPICS),
        },
        "labels": {
            f"<{ISSUE_THRESHOLD}": _("1 to %(n)s") % {"n": ISSUE_THRESHOLD - 1},
            f"<{CASE_THRESHOLD}": _("1 to %(n)s") % {"n": CASE_THRESHOLD - 1},
            privacy.COMPLEMENTARY_LABEL: privacy.explanation(ISSUE_THRESHOLD,
                                                             "complementary"),
        },
        "evidence": _("Every union's issues and cases at the factories listed as counted; "
                      "the published side from public sources only."),
        "never_included": _("Titles, descriptions, notes, names, photos, record ids and "
                            "exact dates of union records."),
        "dates": _("The union's evidence is dated by month (the earliest counted)."),
    }


# -- the report ---------------------------------------------------------------------------


def shadow_report(facilities, *, title: str, evidence_at=None,
                  today: dt.date | None = None) -> ShadowReport:
    """The shadow report of ``facilities``. Union evidence is counted at ``evidence_at``
    (default: every one of them) — a page passes the factories whose aggregates its
    reader may see (:func:`shopfloor.access.can_see_workspace_aggregates`)."""
    today = today or timezone.localdate()
    facilities = sorted({f.pk: f for f in facilities}.values(), key=lambda f: (f.name, f.pk))
    allowed = None if evidence_at is None else {getattr(f, "pk", f) for f in evidence_at}
    counted = [f for f in facilities if allowed is None or f.pk in allowed]
    found = find_discrepancies(counted, user=None, all_evidence=True, today=today)
    clusters = [*topics.CLUSTERS.items(), ("other", _("Other"))]
    report = ShadowReport(
        title=title, generated_on=today, facilities=facilities, evidence_facilities=counted,
        discrepancies=[public_discrepancy(d) for d in found],
        factories=[_factory_aggregates(f, today) for f in counted],
        issues_table=_suppressed_table(_issue_counts(counted), counted, clusters,
                                       ISSUE_THRESHOLD),
        cases_table=_suppressed_table(_case_counts(counted), counted,
                                      [(k.value, k.label) for k in Case.Kind],
                                      CASE_THRESHOLD),
        sources=_sources(found), methods=methods_note())
    report.demo = any(s["is_demo"] for s in report.sources) or FacilityRecord.objects.filter(
        facility__in=[f.pk for f in facilities], source__is_demo=True).exists()
    return report


# -- formats ------------------------------------------------------------------------------


def _csv_row(d: dict) -> dict:
    official = d["official"] or {}
    source = official.get("source") or {}
    commitment = d["commitment"] or {}
    csource = commitment.get("source") or {}
    criterion = d["criterion"] or {}
    return {
        "facility": d["facility"]["name"], "facility_id": d["facility"]["id"],
        "os_id": d["facility"]["os_id"] or "", "bfc_id": d["facility"]["bfc_id"] or "",
        "rule": d["rule"], "kind": d["kind"], "rule_title": d["rule_title"],
        "criterion_code": criterion.get("code", ""), "criterion": criterion.get("text", ""),
        "topic": d["topic"] or "", "company": (d["company"] or {}).get("name", ""),
        "sentence": d["sentence"],
        "union_issues": d["union"]["issues"], "union_cases": d["union"]["cases"],
        "union_since": d["union"]["since"] or "",
        "union_publishers": "; ".join(d["union"]["publishers"]),
        "official_programme": official.get("programme", ""),
        "official_cycle": official.get("cycle", ""),
        "official_assessed_on": official.get("assessed_on") or "",
        "official_status": official.get("status", ""),
        "official_publisher": source.get("publisher", ""),
        "official_title": source.get("title", ""),
        "official_location": source.get("location", ""),
        "official_published_on": source.get("published_on") or "",
        "official_retrieved_on": source.get("retrieved_on") or "",
        "official_licence": (source.get("licence") or "unknown") if source else "",
        "official_citation": official.get("citation", ""),
        "commitment_metric": commitment.get("metric", ""),
        "commitment_value": commitment.get("value", ""),
        "commitment_year": commitment.get("year") or "",
        "commitment_publisher": csource.get("publisher", ""),
        "commitment_title": csource.get("title", ""),
        "commitment_location": csource.get("location", ""),
        "commitment_licence": (csource.get("licence") or "unknown") if csource else "",
    }


def _cell(value):
    """A spreadsheet shows it as text, never runs it (see shopfloor.watchlists._cell)."""
    from shopfloor.watchlists import _cell as cell

    return cell(value)


def render_html(report: ShadowReport) -> str:
    """The report as one HTML document (the PDF's source), in the active language."""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    return render_to_string("shopfloor/reports/shadow.html", {
        "report": report, "language": get_language() or "en"})


def render(report: ShadowReport, fmt: str) -> bytes:
    """The report as ``csv``, ``json``, ``html`` or ``pdf`` bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(report.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False,
                          indent=2).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for d in report.discrepancies:
            writer.writerow({k: _cell(_text(v)) for k, v in _csv_row(d).items()})
        return buf.getvalue().encode("utf-8-sig")  # BOM: Excel then reads Khmer
    html = render_html(report)
    if fmt == "html":
        return html.encode("utf-8")
    from shopfloor.reports.pdf import render_pdf

    return render_pdf(html)


def _text(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
