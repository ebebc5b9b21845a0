"""The factory brief: what a union takes into a PICC meeting or a bargaining round.

One document per factory, in Khmer or English, as a web page and as a PDF. It gathers, each
value with a numbered reference to its source in the appendix:

1. the factory's identity (names, address, province, OS ID, BFC ID), when it was produced and
   for whom, and a banner when any of it is fictional demo data;
2. the union's **open issues**, the promises still open from PICC meetings (overdue first) and
   the next meeting — only when the union's evidence may be read (see below);
3. the **BFC findings** per criterion and cycle, with the changes, and for the latest cycle
   how the province's and the country's factories did (:mod:`shopfloor.analysis.peers`);
4. the **wages** against the legal minimum and the living-wage benchmark, with the gaps;
5. the **buyers** by year, each relationship with its source, and each buyer's
   **commitments** and scores (the company's datapoints);
6. the **discrepancies** between official data and the union's evidence
   (:mod:`shopfloor.analysis.discrepancies`), each side with its sources;
7. the **sources**: every source and union record cited, numbered.

Who sees what: the published parts follow what the reader may read (``facility_profile``,
``user=None`` is the public). The union's evidence (parts 2 and 6) is included only for a
``union`` whose workspace at the factory the reader reads
(:func:`shopfloor.access.can_read_workspace`), or when the caller is the system itself
(``as_system=True``: the command line, which names the union explicitly). Otherwise those
parts are left out entirely: not even their headings.

:func:`factory_brief` runs a fixed number of queries whatever the amount of data (about
fifteen with union evidence; see the tests). :func:`brief_html` renders it (the web page's
fragment, or a whole document for the PDF) and :func:`brief_pdf` prints it with WeasyPrint.

>>> brief = factory_brief(factory, user=rep, union=union, language="km")  # doctest: +SKIP
>>> pdf = brief_pdf(brief)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import format_lazy

from shopfloor.access import can_read_workspace, sources_q
from shopfloor.analysis.discrepancies import Discrepancy, find_discrepancies
from shopfloor.companies import Commitment, commitments_by_company
from shopfloor.evidence import workflow
from shopfloor.facilities import WORKERS_METRIC, Buyer, FacilityProfile, facility_profile
from shopfloor.models import (
    Datapoint,
    Facility,
    IssueStatus,
    MonitoringIssue,
    Organisation,
    PiccMeeting,
    Promise,
    Source,
)
from shopfloor.models.workspace import WorkspaceRecord

#: The languages a brief is written in.
LANGUAGES = ("en", "km")
#: The print stylesheet of the PDF (on top of :func:`shopfloor.reports.pdf.print_css`).
PRINT_CSS = Path(__file__).with_name("brief.css")
#: The order open issues are listed in: the most urgent first.
_URGENCY = {IssueStatus.ESCALATED: 0, IssueStatus.UNRESOLVED: 1,
            IssueStatus.PARTLY_RESOLVED: 2, IssueStatus.IN_REMEDIATION: 3,
            IssueStatus.RESPONDED: 4, IssueStatus.RAISED: 5, IssueStatus.DOCUMENTED: 6}


class BriefError(ValueError):
    """A brief cannot be made as asked (an unknown language)."""


# -- citations ----------------------------------------------------------------------------


@dataclass
class Citation:
    """One entry of the sources appendix: a published source, or a union record cited by
    its provenance (the union as publisher, the record as row)."""

    number: int
    publisher: str
    title: str
    location: str  # URL, file name, or ``shopfloor:<record>/<id>`` for a union record
    published_on: dt.date | None = None
    retrieved_on: dt.date | None = None
    licence: str = ""
    is_demo: bool = False
    visibility: str = Source.Visibility.PUBLIC
    source_id: int | None = None
    row: int | None = None  # a union record's id

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    @property
    def union_record(self) -> bool:
        return self.source_id is None


class Citations:
    """The brief's numbered references, in the order they are first cited.

    :meth:`cite` takes a :class:`Source`, a union record (anything with a ``provenance``), a
    promise (cited by its meeting) or any fact with a ``source`` (datapoint, relationship,
    finding, assessment, facility record) and returns its number, the same number for the
    same source or record every time.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple, int] = {}
        self.entries: list[Citation] = []

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def cite(self, thing) -> int:
        if isinstance(thing, Promise):
            thing = thing.meeting
        if isinstance(thing, WorkspaceRecord):
            key = ("record", thing._meta.model_name, thing.pk)
            if key not in self._numbers:
                p = thing.provenance
                # the record's kind in the language the brief is rendered in (lazy)
                title = format_lazy("{} #{}", thing._meta.verbose_name, thing.pk)
                self._add(key, Citation(
                    0, p["publisher"], title, p["location"],
                    retrieved_on=p["retrieved_on"], licence=p["licence"],
                    is_demo=thing.is_demo, visibility=Source.Visibility.RESTRICTED,
                    row=p["row"]))
            return self._numbers[key]
        source = thing if isinstance(thing, Source) else thing.source
        key = ("source", source.pk)
        if key not in self._numbers:
            self._add(key, Citation(
                0, source.publisher, source.title, source.location,
                published_on=source.published_on, retrieved_on=source.retrieved_on,
                licence=source.licence, is_demo=source.is_demo,
                visibility=source.visibility, source_id=source.pk))
        return self._numbers[key]

    def _add(self, key: tuple, citation: Citation) -> None:
        citation.number = len(self.entries) + 1
        self._numbers[key] = citation.number
        self.entries.append(citation)


# -- what the brief holds -----------------------------------------------------------------


@dataclass
class UnionEvidence:
    """The union's part of the brief: its open issues at the factory, the promises made at
    PICC meetings that are still open, and its next meeting."""

    organisation: Organisation
    open_issues: list[MonitoringIssue]
    promises: list[Promise]
    next_meeting: PiccMeeting | None
    today: dt.date

    @property
    def overdue(self) -> list[Promise]:
        return [p for p in self.promises if p.is_overdue(self.today)]

    @property
    def not_yet_due(self) -> list[Promise]:
        return [p for p in self.promises if not p.is_overdue(self.today)]


@dataclass
class BuyerBrief:
    """A buyer of the factory: its relationships (years and sources) and its commitments."""

    buyer: Buyer
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def company(self):
        return self.buyer.company

    @property
    def relationships(self):
        return self.buyer.relationships


@dataclass
class FactoryBrief:
    """Everything a factory brief shows; render it with :func:`brief_html` or
    :func:`brief_pdf`."""

    facility: Facility
    language: str
    produced_on: dt.date
    profile: FacilityProfile
    buyers: list[BuyerBrief]
    citations: Citations
    #: the union's part, or None for a brief without union evidence (published data only)
    union: UnionEvidence | None = None
    discrepancies: list[Discrepancy] = field(default_factory=list)
    #: criterion id → the source that published its text (when the reader may read it)
    criterion_sources: dict[int, Source] = field(default_factory=dict)

    @property
    def produced_for(self) -> Organisation | None:
        return self.union.organisation if self.union else None

    @property
    def workers(self) -> Datapoint | None:
        """The factory's latest total of workers, if a source gives one."""
        for topic in self.profile.facts:
            for facts in topic.metrics:
                if facts.metric.code == WORKERS_METRIC:
                    return facts.datapoints[0]
        return None

    @property
    def criteria_published_by(self) -> list[Source]:
        """The sources of the criteria's texts, each once."""
        return list({s.pk: s for s in self.criterion_sources.values()}.values())

    @property
    def is_demo(self) -> bool:
        """Whether anything in the brief comes from fictional demo data."""
        return any(c.is_demo for c in self.citations)

    @property
    def has_union_evidence(self) -> bool:
        return self.union is not None


# -- building it --------------------------------------------------------------------------


def brief_language(language: str | None = None) -> str:
    """``km`` or ``en``: the language asked for, or the active one (a regional variant
    counts as its language); anything else is a :class:`BriefError`."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    code = code.split("-")[0].split("_")[0]
    if code not in LANGUAGES:
        raise BriefError(f"a brief is written in {' or '.join(LANGUAGES)}, not {language!r}")
    return code


def factory_brief(facility: Facility, *, user=None, union: Organisation | None = None,
                  as_system: bool = False, language: str | None = None,
                  today: dt.date | None = None) -> FactoryBrief:
    """The brief on ``facility`` as ``user`` may read it (``None``: the public).

    ``union``'s evidence is included when ``user`` may read that union's workspace at the
    factory, or with ``as_system`` (the caller has decided: the command line); otherwise the
    union is ignored altogether, as if not asked for.
    """
    language = brief_language(language)
    today = today or timezone.localdate()
    profile = facility_profile(facility, user=user)
    evidence = None
    if union is not None and (as_system or can_read_workspace(user, union, facility)):
        evidence = _union_evidence(union, facility, today)
    visible = sources_q(user)  # once: for a union rep it reads the memberships
    buyers = [b.company for b in profile.buyers]
    commitments = commitments_by_company(buyers, visible=visible) if buyers else {}
    brief = FactoryBrief(
        facility=facility, language=language, produced_on=today, profile=profile,
        buyers=[BuyerBrief(b, commitments.get(b.company.pk, [])) for b in profile.buyers],
        citations=Citations(), union=evidence,
        discrepancies=(_discrepancies(facility, user, union, today) if evidence else []),
        criterion_sources=_criterion_sources(profile, visible),
    )
    _cite_in_order(brief)
    return brief


def _union_evidence(union: Organisation, facility: Facility, today: dt.date) -> UnionEvidence:
    """Three queries: open issues, open promises, the next meeting."""
    scope = {"organisation": union, "facility": facility}
    issues = list(MonitoringIssue.objects.filter(status__in=workflow.OPEN_STATUSES, **scope)
                  .select_related("organisation", "criterion"))
    issues.sort(key=lambda i: (_URGENCY.get(i.status, 9), i.found_on, i.pk))
    promises = list(Promise.objects.filter(
        meeting__organisation=union, meeting__facility=facility, outcome=Promise.Outcome.OPEN)
        .select_related("meeting", "meeting__organisation", "issue").order_by("due_on", "pk"))
    promises.sort(key=lambda p: (not p.is_overdue(today), p.due_on, p.pk))
    next_meeting = (PiccMeeting.objects.filter(status=PiccMeeting.Status.SCHEDULED,
                                               scheduled_for__gte=today, **scope)
                    .select_related("organisation").order_by("scheduled_for", "pk").first())
    return UnionEvidence(union, issues, promises, next_meeting, today)


def _discrepancies(facility: Facility, user, union: Organisation,
                   today: dt.date) -> list[Discrepancy]:
    """The discrepancies built from ``union``'s own evidence only (the reader may read more
    unions' evidence at the factory: a federation's researcher, staff)."""
    found = find_discrepancies([facility], user=user, all_evidence=True, today=today)
    kept = []
    for d in found:
        d.issues = [i for i in d.issues if i.organisation_id == union.pk]
        d.cases = [c for c in d.cases if c.organisation_id == union.pk]
        d.other_evidence = [e for e in d.other_evidence
                            if getattr(e.get("organisation"), "pk", e.get("organisation"))
                            == union.pk]
        if d.issues or d.cases or d.other_evidence:
            kept.append(d)
    return kept


def _criterion_sources(profile: FacilityProfile, visible) -> dict[int, Source]:
    """Where each criterion's text was published (one query, none without findings)."""
    criteria = {row.criterion.pk: row.criterion.source_id
                for table in profile.findings for row in table.rows}
    if not criteria:
        return {}
    sources = Source.objects.filter(visible).in_bulk(set(criteria.values()))
    return {pk: sources[sid] for pk, sid in criteria.items() if sid in sources}


def _cite_in_order(brief: FactoryBrief) -> None:
    """Number every source and record in the order the brief shows them."""
    cite = brief.citations.cite
    for record in brief.profile.records:
        cite(record)
    if brief.workers:
        cite(brief.workers)
    if brief.union:
        for issue in brief.union.open_issues:
            cite(issue)
        for promise in brief.union.promises:
            cite(promise)
        if brief.union.next_meeting:
            cite(brief.union.next_meeting)
    for table in brief.profile.findings:
        for assessment in table.newest_first:
            cite(assessment)
        for row in table.rows:
            if row.criterion.pk in brief.criterion_sources:
                cite(brief.criterion_sources[row.criterion.pk])
            for cell in row.cells:
                if cell.finding is not None:
                    cite(cell.finding)
    if brief.profile.wages:
        for row in brief.profile.wages.rows:
            for dp in (row.wage, row.minimum, row.living):
                if dp is not None:
                    cite(dp)
    for buyer in brief.buyers:
        for rel in buyer.relationships:
            cite(rel)
        for commitment in buyer.commitments:
            cite(commitment.latest)
    for d in brief.discrepancies:
        for thing in [d.finding, *d.issues, *d.cases, d.commitment]:
            if thing is not None:
                cite(thing)


# -- rendering ----------------------------------------------------------------------------


def _charts(brief: FactoryBrief, *, inline: bool) -> dict:
    """The facility's charts in the brief's language; for the PDF each carries its image as
    a ``data:`` URI (:func:`shopfloor.reports.charts.pdf_image_uri`)."""
    from shopfloor.reports.charts import facility_charts, pdf_image_uri

    charts = facility_charts(brief.profile)
    if inline:
        for chart in charts.values():
            chart.data_uri = pdf_image_uri(chart.spec)
    return charts


def brief_html(brief: FactoryBrief, *, for_pdf: bool = False) -> str:
    """The brief as HTML in its language: for the web page, the fragment the page template
    embeds (charts as ``<img>`` URLs of the factory's charts, links into the app); with
    ``for_pdf``, a whole document that stands alone (its print stylesheet and charts
    inline, no links into the app but the appendix's own), for WeasyPrint or a file."""
    with translation.override(brief.language):
        context = {"brief": brief, "facility": brief.facility, "profile": brief.profile,
                   "charts": _charts(brief, inline=for_pdf), "for_pdf": for_pdf}
        if not for_pdf:
            return render_to_string("shopfloor/reports/_brief.html", context)
        context["stylesheet"] = PRINT_CSS.read_text(encoding="utf-8")
        return render_to_string("shopfloor/reports/brief_document.html", context)


def brief_pdf(brief: FactoryBrief) -> bytes:
    """The brief as a PDF: A4, Noto Sans Khmer embedded, Khmer copyable as written
    (:func:`shopfloor.reports.pdf.render_pdf`)."""
    from shopfloor.reports.pdf import render_pdf

    return render_pdf(brief_html(brief, for_pdf=True))
