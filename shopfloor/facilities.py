"""Finding facilities and gathering what is known about one, with its sources.

The web pages, and later the JSON API and the exports, call these functions so that every
view of a facility shows the same facts from the same queries. Each function runs a small,
fixed number of queries whatever the amount of data.

>>> page = search_facilities("ស៊ុន", province="Kandal")[:50]  # doctest: +SKIP
>>> rows = summarise(page)  # doctest: +SKIP
>>> profile = facility_profile(Facility.objects.get(pk=7))  # doctest: +SKIP
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, F, Q
from django.utils.translation import pgettext_lazy

from shopfloor.access import sources_q
from shopfloor.analysis import peers as peer_analysis
from shopfloor.analysis import wages as wage_analysis
from shopfloor.analysis.peers import CriterionPeers, Peers
from shopfloor.analysis.wages import WageComparison
from shopfloor.models import (
    Assessment,
    Company,
    Criterion,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Metric,
    Relationship,
    Source,
)
from shopfloor.search import normalise_query, search_facilities  # noqa: F401

#: The metric whose latest value is shown as a facility's size.
WORKERS_METRIC = "workers_total"

# Cambodia's capital and 24 provinces, keyed by a normalised English spelling. Sources spell
# them in many ways (Kompong/Kampong, "Province", "Capital"); the label is translated.
PROVINCES_KH = {
    "phnom penh": pgettext_lazy("province", "Phnom Penh"),
    "banteay meanchey": pgettext_lazy("province", "Banteay Meanchey"),
    "battambang": pgettext_lazy("province", "Battambang"),
    "kampong cham": pgettext_lazy("province", "Kampong Cham"),
    "kampong chhnang": pgettext_lazy("province", "Kampong Chhnang"),
    "kampong speu": pgettext_lazy("province", "Kampong Speu"),
    "kampong thom": pgettext_lazy("province", "Kampong Thom"),
    "kampot": pgettext_lazy("province", "Kampot"),
    "kandal": pgettext_lazy("province", "Kandal"),
    "kep": pgettext_lazy("province", "Kep"),
    "koh kong": pgettext_lazy("province", "Koh Kong"),
    "kratie": pgettext_lazy("province", "Kratie"),
    "mondulkiri": pgettext_lazy("province", "Mondulkiri"),
    "oddar meanchey": pgettext_lazy("province", "Oddar Meanchey"),
    "pailin": pgettext_lazy("province", "Pailin"),
    "preah sihanouk": pgettext_lazy("province", "Preah Sihanouk"),
    "preah vihear": pgettext_lazy("province", "Preah Vihear"),
    "prey veng": pgettext_lazy("province", "Prey Veng"),
    "pursat": pgettext_lazy("province", "Pursat"),
    "ratanakiri": pgettext_lazy("province", "Ratanakiri"),
    "siem reap": pgettext_lazy("province", "Siem Reap"),
    "stung treng": pgettext_lazy("province", "Stung Treng"),
    "svay rieng": pgettext_lazy("province", "Svay Rieng"),
    "takeo": pgettext_lazy("province", "Takeo"),
    "tbong khmum": pgettext_lazy("province", "Tbong Khmum"),
}
_PROVINCE_ALIASES = {
    "sihanoukville": "preah sihanouk",
    "kampong som": "preah sihanouk",
    "mondul kiri": "mondulkiri",
    "ratanak kiri": "ratanakiri",
    "rattanakiri": "ratanakiri",
    "otdar meanchey": "oddar meanchey",
    "tboung khmum": "tbong khmum",
    "kracheh": "kratie",
    "pouthisat": "pursat",
    "stoeng treng": "stung treng",
    "takev": "takeo",
}


def province_label(name: str) -> str:
    """The province's name in the active language; unknown names are returned as they are."""
    key = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[-_.]", " ", key)
    key = re.sub(r"\b(province|capital|city|municipality|khet|krong)\b", " ", key)
    key = re.sub(r"\bkompong\b", "kampong", " ".join(key.split()))
    key = _PROVINCE_ALIASES.get(key, key)
    label = PROVINCES_KH.get(key)
    return str(label) if label is not None else name


def provinces(country: str | None = None) -> list[str]:
    """The provinces facilities are in, as stored, sorted."""
    if not country:
        from shopfloor.search import live_provinces

        return live_provinces()
    facilities = Facility.objects.filter(merged_into__isnull=True).exclude(province="")
    if country:
        facilities = facilities.filter(country=country)
    # DISTINCT in the database over the province index: a set built in Python would read
    # every facility (100,000 rows per page view in the benchmark).
    return list(facilities.order_by("province").values_list("province", flat=True).distinct())


@dataclass
class ComplianceSummary:
    """The latest assessment of a facility: how many assessed criteria were non-compliant."""

    programme: str
    cycle: int
    assessed_on: date | None
    non_compliant: int
    assessed: int
    source_id: int


@dataclass
class FacilitySummary:
    """One line of a facility list: the facility, its size and its latest compliance."""

    facility: Facility
    workers: Datapoint | None = None
    compliance: ComplianceSummary | None = None


def latest_workers(facility_ids: Iterable[int], user=None) -> dict[int, Datapoint]:
    """The most recent total-workers datapoint of each facility that ``user`` may read
    (``None``: published sources only), in one query."""
    latest: dict[int, Datapoint] = {}
    datapoints = (
        Datapoint.objects.filter(sources_q(user, "source__"),
                                 facility_id__in=list(facility_ids), metric__code=WORKERS_METRIC)
        .select_related("metric")
        .order_by(
            "facility_id", F("year").desc(nulls_last=True),
            F("period_start").desc(nulls_last=True), "-pk",
        )
    )
    for datapoint in datapoints:
        latest.setdefault(datapoint.facility_id, datapoint)
    return latest


def latest_compliance(facility_ids: Iterable[int], user=None) -> dict[int, ComplianceSummary]:
    """Each facility's latest assessment that ``user`` may read, with its count of
    non-compliant findings (one query)."""
    assessments = (
        Assessment.objects.filter(sources_q(user, "source__"),
                                  facility_id__in=list(facility_ids))
        .annotate(
            non_compliant=Count(
                "findings", filter=Q(findings__status=Finding.Status.NON_COMPLIANT)
            ),
            assessed=Count("findings", filter=~Q(findings__status=Finding.Status.NOT_ASSESSED)),
        )
        .order_by("facility_id", F("assessed_on").desc(nulls_last=True), "-cycle", "-pk")
    )
    latest: dict[int, ComplianceSummary] = {}
    for a in assessments:
        latest.setdefault(a.facility_id, ComplianceSummary(
            programme=a.programme, cycle=a.cycle, assessed_on=a.assessed_on,
            non_compliant=a.non_compliant, assessed=a.assessed, source_id=a.source_id,
        ))
    return latest


def summarise(facilities: Sequence[Facility], user=None) -> list[FacilitySummary]:
    """Size and latest compliance for a page of facilities, from the sources ``user`` may
    read, in two queries."""
    ids = [facility.pk for facility in facilities]
    workers = latest_workers(ids, user)
    compliance = latest_compliance(ids, user)
    return [
        FacilitySummary(facility, workers.get(facility.pk), compliance.get(facility.pk))
        for facility in facilities
    ]


# --- one facility -------------------------------------------------------------------------


@dataclass
class Buyer:
    """A company sourcing from the facility, with every period a source reports."""

    company: Company
    relationships: list[Relationship] = field(default_factory=list)

    @property
    def latest_year(self) -> int:
        return max((r.year_end or r.year_start or 0) for r in self.relationships)


@dataclass
class MetricFacts:
    """Every value of one metric for the facility, newest first."""

    metric: Metric
    datapoints: list[Datapoint]

    #: How many values show before "earlier values" is opened.
    SHOWN = 3

    @property
    def recent(self) -> list[Datapoint]:
        return self.datapoints[: self.SHOWN]

    @property
    def earlier(self) -> list[Datapoint]:
        return self.datapoints[self.SHOWN :]


@dataclass
class TopicFacts:
    """The metrics of one topic (wages, demographics, ...), by name."""

    topic: str
    label: str
    metrics: list[MetricFacts]


@dataclass
class FindingCell:
    """One criterion in one cycle, and how it changed since the previous cycle."""

    assessment: Assessment
    finding: Finding | None
    previous: Finding | None = None

    @property
    def change(self) -> str:
        """``worse`` (newly non-compliant), ``better`` (non-compliant, now compliant),
        ``changed`` (to or from "not assessed"), or ``""`` (same, or nothing to compare)."""
        if self.finding is None or self.previous is None:
            return ""
        before, now = self.previous.status, self.finding.status
        if before == now:
            return ""
        if now == Finding.Status.NON_COMPLIANT:
            return "worse" if before == Finding.Status.COMPLIANT else "changed"
        if before == Finding.Status.NON_COMPLIANT and now == Finding.Status.COMPLIANT:
            return "better"
        return "changed"


@dataclass
class CriterionRow:
    criterion: Criterion
    cells: list[FindingCell]
    #: other factories in the province and country, latest cycle (shopfloor.analysis.peers)
    peers: CriterionPeers | None = None

    @property
    def newest_first(self) -> list[FindingCell]:
        return self.cells[::-1]


@dataclass
class FindingsTable:
    """One programme's findings: rows are criteria in code order, columns are cycles
    (oldest first; :attr:`newest_first` for display)."""

    programme: str
    assessments: list[Assessment]
    rows: list[CriterionRow]
    peers: Peers | None = None

    @cached_property
    def latest_counts(self) -> tuple[int, int]:
        """(non-compliant, assessed) in the latest cycle."""
        cells = [row.cells[-1].finding for row in self.rows if row.cells[-1].finding]
        assessed = [f for f in cells if f.status != Finding.Status.NOT_ASSESSED]
        return (sum(f.status == Finding.Status.NON_COMPLIANT for f in assessed), len(assessed))

    @property
    def newest_first(self) -> list[Assessment]:
        """Cycles from the latest back: on a phone the latest is what shows without scrolling."""
        return self.assessments[::-1]

    @property
    def latest(self) -> Assessment:
        return self.assessments[-1]

    @property
    def latest_non_compliant(self) -> int:
        return self.latest_counts[0]

    @property
    def latest_assessed(self) -> int:
        return self.latest_counts[1]


@dataclass
class FacilityProfile:
    facility: Facility
    buyers: list[Buyer]
    facts: list[TopicFacts]
    findings: list[FindingsTable]
    sources: list[Source]
    wages: WageComparison | None = None
    #: the facility's records (rows of lists naming it) from the sources the reader reads
    records: list[FacilityRecord] = field(default_factory=list)

    @property
    def other_names(self) -> list[str]:
        """Names besides the main one and the Khmer one, without repeats."""
        shown = {self.facility.name, self.facility.name_km}
        return [name for name in self.facility.all_names if name not in shown]

    @cached_property
    def charts(self) -> dict:
        """The charts that have data, by name: :class:`shopfloor.reports.charts.Chart`
        (built from the profile, no queries; vl_convert is imported only here)."""
        from shopfloor.reports.charts import facility_charts

        return facility_charts(self)


def criterion_sort_key(code: str) -> tuple:
    """Natural order of criterion codes: 2 before 10, 1.2 before 1.10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.findall(r"\d+|\D+", code))


def facility_profile(facility: Facility, *, user=None, peers: bool = True) -> FacilityProfile:
    """Everything ``user`` may read about one facility (``None``: what is published), each
    fact with its source: five queries (six for a signed-in member: their memberships), and
    one per programme assessed when the peer comparison is not cached (``peers=False``
    leaves it out). Facts from sources the reader may not read are left out entirely, so a
    union's own list never shows that it follows the factory.

    The facility's datapoints come with its country's minimum-wage and living-wage
    datapoints (one UNION query) for the wage comparison; the assessments query carries the
    data version that keys the cached peer counts.
    """
    readable = sources_q(user, "source__")
    records = list(facility.records.filter(readable).select_related("source"))
    relationships = list(
        Relationship.objects.filter(readable, facility=facility,
                                    kind=Relationship.Kind.SOURCES_FROM)
        .select_related("subject", "source")
    )
    own = Datapoint.objects.filter(readable, facility=facility).select_related("metric", "source")
    benchmarks = wage_analysis.benchmarks(facility.country).filter(readable)
    both = list(own.order_by().union(benchmarks, all=True))
    datapoints = [dp for dp in both if dp.facility_id == facility.pk]
    wages = wage_analysis.compare(facility.country, datapoints,
                                  [dp for dp in both if dp.facility_id is None])
    assessments = Assessment.objects.filter(readable, facility=facility).select_related("source")
    if peers:
        assessments = assessments.annotate(**peer_analysis.version_expressions())
    assessments = list(assessments.order_by("programme", "cycle"))
    findings = list(
        Finding.objects.filter(readable, assessment__facility=facility)
        .select_related("criterion", "source")
    )

    used: dict[int, Source] = {}
    for item in [*records, *relationships, *datapoints, *wages.datapoints, *assessments,
                 *findings]:
        used.setdefault(item.source_id, item.source)
    tables = _findings_tables(assessments, findings)
    if peers and assessments:
        version = peer_analysis.version_of(assessments[0])
        by_programme = peer_analysis.facility_peers(
            facility, [t.programme for t in tables], version)
        for table in tables:
            table.peers = by_programme[table.programme]
            for row in table.rows:
                row.peers = table.peers.get(row.criterion.pk)
    return FacilityProfile(
        facility=facility,
        buyers=_buyers(relationships),
        facts=_facts(datapoints),
        findings=tables,
        sources=sorted(used.values(), key=lambda s: (s.publisher.lower(), s.title.lower(), s.pk)),
        wages=wages,
        records=records,
    )


def _buyers(relationships: list[Relationship]) -> list[Buyer]:
    buyers: dict[int, Buyer] = {}
    for rel in relationships:
        buyers.setdefault(rel.subject_id, Buyer(rel.subject)).relationships.append(rel)
    for buyer in buyers.values():
        buyer.relationships.sort(key=lambda r: (-(r.year_end or r.year_start or 0), r.pk))
    return sorted(buyers.values(), key=lambda b: (-b.latest_year, b.company.name.lower()))


def _facts(datapoints: list[Datapoint]) -> list[TopicFacts]:
    by_metric: dict[int, list[Datapoint]] = {}
    for dp in sorted(datapoints, key=_newest_first):
        by_metric.setdefault(dp.metric_id, []).append(dp)
    by_topic: dict[str, list[MetricFacts]] = {}
    for rows in by_metric.values():
        by_topic.setdefault(rows[0].metric.topic, []).append(MetricFacts(rows[0].metric, rows))
    for metrics in by_topic.values():
        metrics.sort(key=lambda m: (m.metric.name.lower(), m.metric.pk))
    facts = [
        TopicFacts(topic.value, topic.label, by_topic.pop(topic.value))
        for topic in Metric.Topic
        if topic.value in by_topic
    ]
    # a topic that is in the data but not (yet) in the code
    facts += [TopicFacts(topic, topic, metrics) for topic, metrics in sorted(by_topic.items())]
    return facts


def _newest_first(dp: Datapoint) -> tuple:
    start = dp.period_start or date(dp.year or 1, 1, 1)
    return (-(dp.year or start.year), -start.toordinal(), -dp.pk)


def _findings_tables(assessments: list[Assessment], findings: list[Finding]) -> list[FindingsTable]:
    by_assessment: dict[int, dict[int, Finding]] = {}
    criteria: dict[str, dict[int, Criterion]] = {}
    programme_of = {a.pk: a.programme for a in assessments}
    for finding in findings:
        by_assessment.setdefault(finding.assessment_id, {})[finding.criterion_id] = finding
        programme = programme_of[finding.assessment_id]
        criteria.setdefault(programme, {})[finding.criterion_id] = finding.criterion

    tables = []
    for programme in sorted({a.programme for a in assessments}):
        cycles = [a for a in assessments if a.programme == programme]
        rows = []
        ordered = sorted(criteria.get(programme, {}).values(),
                         key=lambda c: (criterion_sort_key(c.code), c.pk))
        for criterion in ordered:
            cells, previous = [], None
            for assessment in cycles:
                finding = by_assessment.get(assessment.pk, {}).get(criterion.pk)
                cells.append(FindingCell(assessment, finding, previous))
                previous = finding
            rows.append(CriterionRow(criterion, cells))
        tables.append(FindingsTable(programme, cycles, rows))
    return tables
