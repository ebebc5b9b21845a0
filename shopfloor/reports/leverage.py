"""The buyer-leverage pack: who buys from the factory where a union founder was dismissed,
what they committed to, which laws bind them — and a letter to each.

Journey 4 of the product brief: a case is recorded (:mod:`shopfloor.evidence.cases`) →
:func:`leverage_pack` gathers, for the factory and the case's date,

* the **brands whose sourcing relationship covers the case's year** (a relationship covers
  year Y when ``year_start ≤ Y ≤ year_end``, or its single year is Y), each with the
  evidence of the relationship (source, citation, years), its commitments and scores
  (company datapoints: freedom-of-association policy, published supplier list,
  transparency score, living-wage grade…), its owner groups, and the due-diligence laws
  that apply (:mod:`shopfloor.analysis.hrdd`);
* separately, the brands known from the **most recent list before the case's year** that
  no relationship places at the factory in that year (informative only, never in the
  covering list);
* the case itself — kind, date, workers affected by sex (counts, never names), the
  workers' union roles, escalations and outcomes — and the files attached to it (and to its
  monitoring issue), as their metadata-free shared copies only;
* a **letter per covering brand**, in English for the brand and in Khmer for the union's
  own copy (Django templates; no worker names, no record titles or notes; the union signs).

:func:`leverage_zip` (in :mod:`shopfloor.reports.leverage_export`) exports it: the pack as
PDF, every fact as CSV with its provenance, the letters, and the shared copies of the files
with a chain-of-custody manifest; every export is audited.

Only readers of the case's union workspace build a pack
(:func:`shopfloor.access.can_build_leverage_pack`); facts come only from sources the reader
may read. The command line reads as :data:`SYSTEM`: public sources and the ``organisation``
sources of the case's union and its federation.

>>> pack = leverage_pack(case, user=rep)  # doctest: +SKIP
>>> [b.company.name for b in pack.buyers]  # doctest: +SKIP
['Lindqvist & Co', 'Tulpwear']
>>> data = leverage_zip(pack, request=request)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from shopfloor.access import can_build_leverage_pack, sources_q
from shopfloor.analysis.hrdd import LAWS, Law, LawApplicability, applicable_laws, owners_of
from shopfloor.companies import relationship_years
from shopfloor.evidence.cases import OutcomeTotals, outcome_totals
from shopfloor.models import (
    Case,
    CaseEscalation,
    CaseOutcome,
    CaseWorker,
    Company,
    Datapoint,
    EvidenceAttachment,
    EvidenceFile,
    Facility,
    FacilityRecord,
    MonitoringIssue,
    Organisation,
    Relationship,
    Source,
)

#: Languages a pack is written in; letters are always rendered in both.
PACK_LANGUAGES = ("en", "km")
#: The metric saying a brand publishes a freedom-of-association policy.
FOA_POLICY = "has_foa_policy"
SUPPLIER_LIST = "publishes_supplier_list"
#: Text values that mean yes in a commitment datapoint.
YES = frozenset({"yes", "true", "1", "y", "published"})
#: What a letter asks for first, by case kind (anything else: remedy it).
ASKS = {Case.Kind.DISMISSAL: "reinstate", Case.Kind.UNION_BUSTING: "reinstate",
        Case.Kind.FDC_NON_RENEWAL: "reinstate", Case.Kind.UNPAID_WAGES: "pay",
        Case.Kind.CLOSURE: "closure"}


class _System:
    """The command line (``shopfloor leverage``), reading as the server itself: it may
    build a pack for any case, from public sources and the ``organisation`` sources of the
    case's union and its federation (never another organisation's, never ``restricted``
    ones)."""

    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


class PackNotAllowed(PermissionDenied):
    """The reader may not read the case's union workspace (pages answer 404)."""


def covers(rel: Relationship, year: int) -> bool:
    """Whether a relationship places the company at the factory in ``year``."""
    return year in relationship_years(rel)


# -- what a pack holds -------------------------------------------------------------------


@dataclass
class Buyer:
    """A brand in the pack: the relationships that place it at the factory, its latest
    commitments, owner groups, the laws' verdicts and — for a covering brand — letters."""

    company: Company
    relationships: list[Relationship] = field(default_factory=list)
    commitments: list[Datapoint] = field(default_factory=list)
    owners: list[tuple[Company, Relationship]] = field(default_factory=list)
    laws: list[LawApplicability] = field(default_factory=list)
    escalations: list[CaseEscalation] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """A file name for the brand's letter: ``maison-boreal``."""
        return slugify(anyascii(self.company.name)) or f"brand-{self.company.pk}"

    @property
    def years(self) -> list[int]:
        return sorted({y for r in self.relationships for y in relationship_years(r)})

    @property
    def sources(self) -> list[Source]:
        seen: dict[int, Source] = {}
        for rel in self.relationships:
            seen.setdefault(rel.source_id, rel.source)
        return list(seen.values())

    def commitment(self, code: str) -> Datapoint | None:
        return next((dp for dp in self.commitments if dp.metric.code == code), None)

    @property
    def foa_policy(self) -> Datapoint | None:
        return self.commitment(FOA_POLICY)

    @property
    def has_foa_policy(self) -> bool | None:
        """Whether the latest value says the brand publishes a freedom-of-association
        policy (``None``: no source says)."""
        dp = self.foa_policy
        if dp is None:
            return None
        if dp.value_text:
            return dp.value_text.strip().lower() in YES
        return dp.value_number is not None and dp.value_number > 0

    @property
    def relevant_laws(self) -> list[LawApplicability]:
        """Laws that apply or likely apply (to cite, after checking)."""
        return [law for law in self.laws if law.relevant]

    @property
    def other_laws(self) -> list[LawApplicability]:
        return [law for law in self.laws if not law.relevant]


@dataclass
class PackFile:
    """An evidence file in the pack: its shared copy goes into the ZIP at ``path``."""

    file: EvidenceFile
    stage: str
    attached_to: str  # "case" or "issue"
    path: str

    @property
    def stage_label(self) -> str:
        return str(EvidenceAttachment.Stage(self.stage).label)


@dataclass
class LeveragePack:
    """Everything in one buyer-leverage pack (see the module docstring)."""

    record: Case | MonitoringIssue
    facility: Facility
    organisation: Organisation
    date: dt.date
    buyers: list[Buyer]
    earlier_year: int | None
    earlier_buyers: list[Buyer]
    escalations: list[CaseEscalation]
    outcomes: list[CaseOutcome]
    totals: OutcomeTotals | None
    union_roles: dict[str, int]
    files: list[PackFile]
    facility_records: list[FacilityRecord]
    laws: list[Law]
    language: str
    generated_on: dt.date
    reader: object = None

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def kind(self) -> str:
        """"case" or "issue"."""
        return "case" if isinstance(self.record, Case) else "issue"

    @property
    def what(self) -> str:
        """What happened, in the active language: the case's kind or the issue's topic."""
        if self.kind == "case":
            return str(self.record.get_kind_display())
        return str(self.record.get_topic_display())

    @property
    def ask(self) -> str:
        """What the letters ask first: "settled" (keep the settlement), "reinstate",
        "pay", "closure" (severance before orders move) or "remedy"."""
        if self.kind == "case" and self.record.status != Case.Status.OPEN:
            return "settled"
        if self.kind == "case":
            return ASKS.get(self.record.kind, "remedy")
        return "remedy"

    @property
    def workers_female(self) -> int | None:
        return self.record.workers_female

    @property
    def workers_male(self) -> int | None:
        return self.record.workers_male

    @property
    def is_demo(self) -> bool:
        return bool(self.record.is_demo)

    @property
    def union_role_labels(self) -> list[tuple[str, int]]:
        """``[("union founder", 1), ("union leader", 1)]`` in the active language."""
        return [(str(CaseWorker.UnionRole(role).label), n)
                for role, n in sorted(self.union_roles.items(),
                                      key=lambda kv: list(CaseWorker.UnionRole).index(kv[0]))]

    @property
    def facility_sources(self) -> list[Source]:
        seen: dict[int, Source] = {}
        for rec in self.facility_records:
            seen.setdefault(rec.source_id, rec.source)
        return list(seen.values())

    @cached_property
    def sources(self) -> list[Source]:
        """Every published source a fact in the pack comes from."""
        seen: dict[int, Source] = {}
        for source in self.facility_sources:
            seen.setdefault(source.pk, source)
        for buyer in [*self.buyers, *self.earlier_buyers]:
            for rel in buyer.relationships:
                seen.setdefault(rel.source_id, rel.source)
            for _group, rel in buyer.owners:
                seen.setdefault(rel.source_id, rel.source)
            for dp in buyer.commitments:
                seen.setdefault(dp.source_id, dp.source)
        return sorted(seen.values(), key=lambda s: (s.publisher.lower(), s.title.lower(), s.pk))

    @property
    def facility_name(self) -> str:
        """The factory's name in the pack's language (Khmer script when there is one)."""
        if self.language == "km" and self.facility.name_km:
            return self.facility.name_km
        return self.facility.name

    @property
    def union_name(self) -> str:
        if self.language == "km" and self.organisation.name_km:
            return self.organisation.name_km
        return self.organisation.name


# -- building one -------------------------------------------------------------------------


def leverage_pack(case: Case, *, user, language: str | None = None,
                  today: dt.date | None = None) -> LeveragePack:
    """The pack for ``case`` as ``user`` may read it (:data:`SYSTEM` for the command line).
    Raises :class:`PackNotAllowed` for anyone who does not read the case's union
    workspace. ``language`` (``en`` or ``km``; default the active one) is the language of
    the pack's PDF; the letters come in both."""
    return _build(case, user=user, language=language, today=today)


def leverage_pack_for_issue(issue: MonitoringIssue, *, user, language: str | None = None,
                            today: dt.date | None = None) -> LeveragePack:
    """The same pack for a monitoring issue (its date is the day it was found)."""
    return _build(issue, user=user, language=language, today=today)


def _language(language: str | None) -> str:
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)
    language = language.split("-")[0].lower()
    if language not in PACK_LANGUAGES:
        raise ValueError(f"a pack is written in {' or '.join(PACK_LANGUAGES)}, not "
                         f"{language!r}")
    return language


def visible_sources_q(reader, record) -> Q:
    """A filter on :class:`Source`: what ``reader`` may read for a pack about ``record``."""
    if reader is SYSTEM:
        orgs = [o for o in (record.organisation_id, record.organisation.parent_id) if o]
        return (Q(visibility=Source.Visibility.PUBLIC)
                | Q(visibility=Source.Visibility.ORGANISATION, organisation_id__in=orgs))
    return sources_q(reader)


def _readable(reader, record) -> bool:
    return reader is SYSTEM or can_build_leverage_pack(reader, record)


def _build(record, *, user, language, today) -> LeveragePack:
    if not _readable(user, record):
        raise PackNotAllowed("not a reader of this union's workspace")
    language = _language(language)
    today = today or timezone.localdate()
    visible = visible_sources_q(user, record)
    visible_ids = Source.objects.filter(visible).values("pk")
    is_case = isinstance(record, Case)
    date = record.opened_on if is_case else record.found_on
    year = date.year

    sourcing = list(
        Relationship.objects.filter(kind=Relationship.Kind.SOURCES_FROM,
                                    facility_id=record.facility_id, source_id__in=visible_ids)
        .select_related("subject", "source").order_by("subject__name", "year_start", "pk"))
    covering: dict[int, Buyer] = {}
    for rel in sourcing:
        if covers(rel, year):
            covering.setdefault(rel.subject_id, Buyer(rel.subject)).relationships.append(rel)
    earlier_year = max((y for rel in sourcing for y in relationship_years(rel) if y < year),
                       default=None)
    earlier: dict[int, Buyer] = {}
    if earlier_year is not None:
        for rel in sourcing:
            if rel.subject_id not in covering and covers(rel, earlier_year):
                earlier.setdefault(rel.subject_id, Buyer(rel.subject)).relationships.append(rel)

    escalations = list(record.escalations.select_related("company")) if is_case else []
    outcomes = list(record.outcomes.all()) if is_case else []
    buyers = sorted(covering.values(), key=lambda b: b.company.name.lower())
    earlier_buyers = sorted(earlier.values(), key=lambda b: b.company.name.lower())
    _commitments([*buyers, *earlier_buyers], visible_ids)
    for buyer in [*buyers, *earlier_buyers]:
        buyer.owners = owners_of(buyer.company, year=today.year, visible=visible)
        buyer.laws = applicable_laws(buyer.company, on=today, owners=buyer.owners)
        buyer.escalations = [e for e in escalations if _escalated_to(e, buyer.company)]

    pack = LeveragePack(
        record=record, facility=record.facility, organisation=record.organisation,
        date=date, buyers=buyers, earlier_year=earlier_year, earlier_buyers=earlier_buyers,
        escalations=escalations, outcomes=outcomes,
        totals=outcome_totals([record]) if is_case else None,
        union_roles=dict(Counter(record.workers.values_list("union_role", flat=True)))
        if is_case else {},
        files=_files(record), facility_records=list(
            FacilityRecord.objects.filter(
                facility_id=record.facility_id, source_id__in=visible_ids,
                decision__in=[FacilityRecord.Decision.AUTOMATIC,
                              FacilityRecord.Decision.CONFIRMED])
            .select_related("source").order_by("source__publisher", "source_id", "row_number")),
        laws=list(LAWS), language=language, generated_on=today, reader=user)
    for buyer in buyers:
        buyer.letters = {lang: render_letter(pack, buyer, lang) for lang in PACK_LANGUAGES}
    return pack


def _escalated_to(escalation: CaseEscalation, company: Company) -> bool:
    """The case was taken to this brand (by link, or by the name the union wrote)."""
    if escalation.company_id is not None:
        return escalation.company_id == company.pk
    return (escalation.body == CaseEscalation.Body.BUYER
            and escalation.body_name.strip().casefold() == company.name.casefold())


def _commitments(buyers: list[Buyer], visible_ids) -> None:
    """Each buyer's latest value of every company metric (one query for all)."""
    if not buyers:
        return
    by_company: dict[int, dict[int, Datapoint]] = {}
    rows = (Datapoint.objects.filter(company_id__in=[b.company.pk for b in buyers],
                                     source_id__in=visible_ids)
            .select_related("metric", "source")
            .order_by("company_id", "metric__topic", "metric__code", "-year", "-pk"))
    for dp in rows:
        by_company.setdefault(dp.company_id, {}).setdefault(dp.metric_id, dp)
    for buyer in buyers:
        buyer.commitments = list(by_company.get(buyer.company.pk, {}).values())


def _files(record) -> list[PackFile]:
    """The files attached to the case (and to its monitoring issue), once each."""
    targets = Q(case=record) if isinstance(record, Case) else Q(issue=record)
    if isinstance(record, Case) and record.issue_id:
        targets |= Q(issue_id=record.issue_id)
    seen: dict[int, PackFile] = {}
    attachments = (EvidenceAttachment.objects.filter(targets)
                   .filter(file__organisation_id=record.organisation_id)
                   .select_related("file", "file__organisation").order_by("attached_at", "pk"))
    for attachment in attachments:
        file = attachment.file
        if file.pk in seen or not file.shared:
            continue
        extension = file.shared.name.rsplit(".", 1)[-1].lower() if "." in file.shared.name \
            else "bin"
        path = f"evidence/{len(seen) + 1:02d}-{file.kind}.{extension}"
        seen[file.pk] = PackFile(file, attachment.stage,
                                 "case" if attachment.case_id else "issue", path)
    return list(seen.values())


def render_letter(pack: LeveragePack, buyer: Buyer, language: str) -> str:
    """The letter to ``buyer`` in ``language``: plain text, signed by the union."""
    with translation.override(language):
        text = render_to_string("shopfloor/reports/leverage_letter.txt", {
            "pack": pack, "buyer": buyer, "language": language,
            "facility_name": (pack.facility.name_km if language == "km"
                              and pack.facility.name_km else pack.facility.name),
            "union_name": (pack.organisation.name_km if language == "km"
                           and pack.organisation.name_km else pack.organisation.name),
        })
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def leverage_zip(pack: LeveragePack, *, request=None) -> bytes:
    """The pack as a ZIP (see :mod:`shopfloor.reports.leverage_export`); audited."""
    from shopfloor.reports.leverage_export import leverage_zip as build

    return build(pack, request=request)
