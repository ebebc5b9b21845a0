"""Where official data and workers' evidence disagree.

Better Factories Cambodia publishes, per factory and assessment cycle, whether the factory
was compliant on each of its 21 critical issues. Unions document issues and cases. This
module puts the two side by side and lists every **contradiction**: a published
"compliant" while the union documented the same problem in the same period. It also lists
**gaps** (problems the union documents that BFC does not publish at all: heat, toilet
breaks, verbal abuse…) and **broken commitments** (a brand with a published
freedom-of-association policy sourcing from a factory with open freedom-of-association
cases). Where the two sides agree (non-compliant and documented, or compliant and nothing
documented) nothing is listed.

The rules are declarative (:data:`RULES`): each has a code, a title and the explanation a
researcher reads to know why something was flagged; docs/analysis.md lists them. Other
evidence types add rules with :func:`register_rule` (the survey module adds one for survey
results).

Definitions used by every rule:

* the **published finding** on a criterion is the one of the factory's latest assessment
  that has a finding on it; its **period** runs from that assessment's date (the first of
  January of its cycle's year when undated) to the next assessment, or today;
* a union **issue** bears on a criterion when the union linked it to that criterion, or
  its topic names it (:data:`shopfloor.evidence.topics.TOPICS`); a **case** when its kind
  does (:data:`CASE_CRITERIA`);
* union evidence **counts in the period** when it was found (or the case opened) before
  the period ended and was not resolved (closed) before the period began — the problem
  existed while the published finding says it did not.

Only union evidence the reader may read is used (:func:`shopfloor.access.workspace_q`);
with ``all_evidence=True`` every union's evidence is counted, for exports that show counts
only (the shadow report).

>>> for d in find_discrepancies([factory], user=researcher):  # doctest: +SKIP
...     print(d.sentence())
BFC 2024: compliant on “No management interference with union”; union: 3 documented \
cases since March 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shopfloor.access import sources_q, workspace_q
from shopfloor.evidence import topics
from shopfloor.models import (
    Assessment,
    Case,
    Company,
    Criterion,
    Datapoint,
    Facility,
    Finding,
    IssueStatus,
    MonitoringIssue,
    Relationship,
)

#: Case kinds → the BFC critical issues (codes) a case of that kind contradicts.
CASE_CRITERIA: dict[str, tuple[str, ...]] = {
    Case.Kind.UNION_BUSTING: ("8", "9", "10", "11", "12"),
    Case.Kind.FDC_NON_RENEWAL: ("8", "11"),
    Case.Kind.DISCRIMINATION: ("3", "7"),
    Case.Kind.HARASSMENT: ("6",),
    Case.Kind.UNPAID_WAGES: ("19", "20", "21"),
    Case.Kind.CLOSURE: ("21",),
}
#: Issue topics and case kinds about freedom of association (for brand commitments).
FOA_TOPICS = frozenset({"union_interference", "union_discrimination"})
FOA_CASES = frozenset({Case.Kind.UNION_BUSTING, Case.Kind.FDC_NON_RENEWAL})
#: The brand metric saying a company has a published freedom-of-association policy.
FOA_POLICY_METRIC = "has_foa_policy"
_YES = {"yes", "true", "1", "y", "published"}


@dataclass(frozen=True)
class Rule:
    """One kind of disagreement: its code, title, what it means, and its finder."""

    code: str
    kind: str  # "contradiction", "gap" or "commitment"
    title: str
    explanation: str
    find: Callable[[_Context], list[Discrepancy]] = field(compare=False, repr=False)


@dataclass
class Discrepancy:
    """One disagreement, with both sides' evidence and where each comes from."""

    rule: Rule
    facility: Facility
    criterion: Criterion | None = None
    finding: Finding | None = None  # the published side (with its assessment and source)
    issues: list[MonitoringIssue] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    other_evidence: list[dict] = field(default_factory=list)  # e.g. survey results
    company: Company | None = None
    commitment: Datapoint | None = None
    topic: str = ""

    @property
    def since(self) -> dt.date | None:
        """The earliest date of the union evidence counted."""
        dates = ([i.found_on for i in self.issues] + [c.opened_on for c in self.cases]
                 + [e["since"] for e in self.other_evidence if e.get("since")])
        return min(dates) if dates else None

    @property
    def union_evidence(self) -> str:
        """"3 documented issues and 1 case", in the reader's language."""
        parts = []
        if self.issues:
            parts.append(ngettext("%(n)d documented issue", "%(n)d documented issues",
                                  len(self.issues)) % {"n": len(self.issues)})
        if self.cases:
            parts.append(ngettext("%(n)d documented case", "%(n)d documented cases",
                                  len(self.cases)) % {"n": len(self.cases)})
        parts += [e["label"] for e in self.other_evidence]
        return _(" and ").join(parts)

    def official_label(self) -> str:
        """"BFC 2024" — the programme and the year of the published assessment."""
        assessment = self.finding.assessment
        year = assessment.assessed_on.year if assessment.assessed_on else (
            self.finding.source.published_on.year if self.finding.source.published_on
            else "")
        return f"{assessment.programme} {year}".strip()

    def sentence(self, *, evidence: str | None = None) -> str:
        """The discrepancy in one sentence, in the reader's language. ``evidence`` replaces
        the union's side ("3 documented cases"), e.g. with suppressed counts ("<10
        documented cases") in a report for publication."""
        since = formats.date_format(self.since, "YEAR_MONTH_FORMAT") if self.since else ""
        evidence = self.union_evidence if evidence is None else evidence
        if self.rule.kind == "contradiction":
            return _("%(official)s: compliant on “%(criterion)s”; union: %(evidence)s "
                     "since %(since)s.") % {
                "official": self.official_label(), "criterion": self.criterion.display_text,
                "evidence": evidence, "since": since}
        if self.rule.kind == "gap":
            return _("BFC publishes no finding on %(topic)s; union: %(evidence)s since "
                     "%(since)s.") % {"topic": topics.T(self.topic).label,
                                      "evidence": evidence, "since": since}
        return _("%(brand)s publishes a freedom-of-association policy and sources from this "
                 "factory; union: %(evidence)s open since %(since)s.") % {
            "brand": self.company.name, "evidence": evidence, "since": since}

    def as_dict(self, *, records: bool = True) -> dict:
        """Both sides with their provenance, for JSON and CSV. ``records=False`` leaves out
        the union's records (titles, ids), keeping counts and dates: safe to publish."""
        official = None
        if self.finding is not None:
            source = self.finding.source
            official = {
                "programme": self.finding.assessment.programme,
                "cycle": self.finding.assessment.cycle,
                "assessed_on": self.finding.assessment.assessed_on,
                "status": self.finding.status,
                "source": {"publisher": source.publisher, "title": source.title,
                           "location": source.location, "published_on": source.published_on,
                           "retrieved_on": source.retrieved_on, "licence": source.licence},
                "citation": self.finding.citation,
            }
        union = {"issues": len(self.issues), "cases": len(self.cases),
                 "other": [{k: v for k, v in e.items() if k != "records"}
                           for e in self.other_evidence],
                 "since": self.since, "publishers": sorted(
                     {r.organisation.name for r in [*self.issues, *self.cases]})}
        if records:
            union["records"] = [r.provenance | {"title": r.title}
                                for r in [*self.issues, *self.cases]]
        commitment = None
        if self.commitment is not None:
            source = self.commitment.source
            commitment = {"metric": self.commitment.metric.code,
                          "value": self.commitment.value_text or str(
                              self.commitment.value_number),
                          "year": self.commitment.year,
                          "source": {"publisher": source.publisher, "title": source.title,
                                     "location": source.location, "licence": source.licence}}
        return {
            "rule": self.rule.code, "kind": self.rule.kind,
            "facility": {"id": self.facility.pk, "name": self.facility.name,
                         "os_id": self.facility.os_id, "bfc_id": self.facility.bfc_id},
            "criterion": ({"programme": self.criterion.programme, "code": self.criterion.code,
                           "text": self.criterion.text} if self.criterion else None),
            "topic": self.topic or None,
            "company": {"id": self.company.pk, "name": self.company.name}
            if self.company else None,
            "official": official, "union": union, "commitment": commitment,
            "sentence": self.sentence(),
        }


# -- the data every rule reads, gathered once ---------------------------------------------


@dataclass
class _Context:
    facilities: list[Facility]
    findings: dict[int, dict[int, tuple[Finding, dt.date, dt.date]]]  # fac → crit → (f, start, end)
    issues: dict[int, list[MonitoringIssue]]
    cases: dict[int, list[Case]]
    user: object
    today: dt.date
    all_evidence: bool


def _period_start(assessment: Assessment, source_year: int | None) -> dt.date:
    if assessment.assessed_on:
        return assessment.assessed_on
    return dt.date(source_year or 1900, 1, 1)


def _published_findings(facility_ids: list[int], user, today: dt.date) -> dict:
    """For each facility and criterion: the latest published finding, with its period."""
    assessments = (Assessment.objects.filter(sources_q(user, "source__"),
                                             facility_id__in=facility_ids)
                   .select_related("source").order_by("facility_id", "cycle"))
    by_facility: dict[int, list[Assessment]] = {}
    for a in assessments:
        by_facility.setdefault(a.facility_id, []).append(a)
    findings = (Finding.objects.filter(sources_q(user, "source__"),
                                       assessment__in=[a.pk for a in assessments])
                .select_related("criterion", "source", "assessment", "assessment__source"))
    by_assessment: dict[int, list[Finding]] = {}
    for f in findings:
        by_assessment.setdefault(f.assessment_id, []).append(f)
    out: dict[int, dict[int, tuple]] = {}
    for fac_id, items in by_facility.items():
        for i, a in enumerate(items):
            source_year = a.source.published_on.year if a.source.published_on else None
            start = _period_start(a, source_year)
            end = (_period_start(items[i + 1], None) - dt.timedelta(days=1)
                   if i + 1 < len(items) and items[i + 1].assessed_on else today)
            for f in by_assessment.get(a.pk, []):
                out.setdefault(fac_id, {})[f.criterion_id] = (f, start, end)  # later wins
    return out


def _context(facilities: Iterable[Facility], user, today, all_evidence: bool,
             unions=None) -> _Context:
    facilities = list(facilities)
    ids = [f.pk for f in facilities]
    visible = Q() if all_evidence else workspace_q(user)
    if unions is not None:
        visible &= Q(organisation__in=[getattr(u, "pk", u) for u in unions])
    issues: dict[int, list] = {}
    for issue in (MonitoringIssue.objects.filter(visible, facility_id__in=ids)
                  .select_related("organisation", "criterion").order_by("found_on", "pk")):
        issues.setdefault(issue.facility_id, []).append(issue)
    cases: dict[int, list] = {}
    for case in (Case.objects.filter(visible, facility_id__in=ids)
                 .select_related("organisation").order_by("opened_on", "pk")):
        cases.setdefault(case.facility_id, []).append(case)
    return _Context(facilities, _published_findings(ids, user, today), issues, cases, user,
                    today, all_evidence)


def _issue_bears_on(issue: MonitoringIssue, criterion: Criterion) -> bool:
    if issue.criterion_id is not None:
        return issue.criterion_id == criterion.pk
    return criterion.code in topics.criterion_codes(issue.topic)


def _open_during(start_date: dt.date, closed_on: dt.date | None, begin: dt.date,
                 end: dt.date) -> bool:
    """Found by ``end`` and not closed before ``begin``."""
    return start_date <= end and (closed_on is None or closed_on >= begin)


def _issue_closed_on(issue: MonitoringIssue) -> dt.date | None:
    return issue.status_on if issue.status == IssueStatus.RESOLVED else None


# -- the rules ----------------------------------------------------------------------------


def _compliant_but_documented(ctx: _Context) -> list[Discrepancy]:
    out = []
    for facility in ctx.facilities:
        for finding, begin, end in ctx.findings.get(facility.pk, {}).values():
            if finding.status != Finding.Status.COMPLIANT:
                continue
            criterion = finding.criterion
            issues = [i for i in ctx.issues.get(facility.pk, [])
                      if _issue_bears_on(i, criterion)
                      and _open_during(i.found_on, _issue_closed_on(i), begin, end)]
            cases = [c for c in ctx.cases.get(facility.pk, [])
                     if criterion.code in CASE_CRITERIA.get(c.kind, ())
                     and _open_during(c.opened_on, c.closed_on, begin, end)]
            if issues or cases:
                out.append(Discrepancy(RULES_BY_CODE["compliant-vs-union"], facility,
                                       criterion, finding, issues, cases))
    return out


def _not_published(ctx: _Context) -> list[Discrepancy]:
    out = []
    for facility in ctx.facilities:
        by_topic: dict[str, list] = {}
        for issue in ctx.issues.get(facility.pk, []):
            if (issue.criterion_id is None and not topics.bfc_covers(issue.topic)
                    and issue.topic != topics.T.OTHER and _issue_closed_on(issue) is None):
                by_topic.setdefault(issue.topic, []).append(issue)
        out += [Discrepancy(RULES_BY_CODE["not-published"], facility, issues=items,
                            topic=topic) for topic, items in sorted(by_topic.items())]
    return out


def _yes(dp: Datapoint) -> bool:
    if dp.value_text:
        return dp.value_text.strip().lower() in _YES
    return dp.value_number is not None and dp.value_number > 0


def _commitment_broken(ctx: _Context) -> list[Discrepancy]:
    facility_ids = [f.pk for f in ctx.facilities]
    open_foa = {}
    for facility in ctx.facilities:
        issues = [i for i in ctx.issues.get(facility.pk, []) if i.topic in FOA_TOPICS
                  and _issue_closed_on(i) is None]
        cases = [c for c in ctx.cases.get(facility.pk, []) if c.kind in FOA_CASES
                 and c.status == Case.Status.OPEN]
        if issues or cases:
            open_foa[facility.pk] = (facility, issues, cases)
    if not open_foa:
        return []
    year = ctx.today.year
    buyers = (Relationship.objects.filter(sources_q(ctx.user, "source__"),
                                          kind=Relationship.Kind.SOURCES_FROM,
                                          facility_id__in=list(open_foa))
              .filter(Q(year_end__gte=year - 1)
                      | Q(year_end__isnull=True, year_start__gte=year - 1))
              .select_related("subject"))
    by_facility: dict[int, dict[int, Company]] = {}
    for rel in buyers:
        by_facility.setdefault(rel.facility_id, {})[rel.subject_id] = rel.subject
    companies = {c for cs in by_facility.values() for c in cs}
    policies = {}
    for dp in (Datapoint.objects.filter(sources_q(ctx.user, "source__"),
                                        metric__code=FOA_POLICY_METRIC,
                                        company_id__in=list(companies))
               .select_related("source", "metric").order_by("company_id", "-year", "-pk")):
        policies.setdefault(dp.company_id, dp)
    out = []
    for fac_id in facility_ids:
        if fac_id not in open_foa:
            continue
        facility, issues, cases = open_foa[fac_id]
        for company_id, company in sorted(by_facility.get(fac_id, {}).items(),
                                          key=lambda kv: kv[1].name):
            policy = policies.get(company_id)
            if policy is not None and _yes(policy):
                out.append(Discrepancy(RULES_BY_CODE["foa-policy-vs-open-cases"], facility,
                                       issues=issues, cases=cases, company=company,
                                       commitment=policy))
    return out


RULES: list[Rule] = [
    Rule("compliant-vs-union", "contradiction",
         gettext_lazy("Published as compliant, documented by the union"),
         gettext_lazy("The factory's latest published assessment found it compliant on a "
                      "critical issue, while the union documented an issue or a case about "
                      "that critical issue that was open during the same period (found "
                      "before the period ended and not resolved before it began)."),
         _compliant_but_documented),
    Rule("not-published", "gap",
         gettext_lazy("Documented by the union, not published by BFC"),
         gettext_lazy("The union documents an open issue on a topic none of BFC's 21 "
                      "published critical issues covers (heat, ventilation, toilet breaks, "
                      "verbal abuse, targets…): official data cannot show it."),
         _not_published),
    Rule("foa-policy-vs-open-cases", "commitment",
         gettext_lazy("A brand's freedom-of-association policy, open union cases"),
         gettext_lazy("A brand that publishes a freedom-of-association policy sourced from "
                      "the factory this year or last (a published relationship), while "
                      "the union has an open case or issue about freedom of association "
                      "there."),
         _commitment_broken),
]
RULES_BY_CODE = {r.code: r for r in RULES}


def register_rule(rule: Rule) -> None:
    """Add a rule (another evidence type's); a rule with the same code is replaced."""
    global RULES
    RULES = [r for r in RULES if r.code != rule.code] + [rule]
    RULES_BY_CODE[rule.code] = rule


def find_discrepancies(facilities: Iterable[Facility], *, user=None,
                       rules: Iterable[str] | None = None, all_evidence: bool = False,
                       unions: Iterable | None = None,
                       today: dt.date | None = None) -> list[Discrepancy]:
    """Every discrepancy at ``facilities``, by facility name, then rule, criterion code.
    ``user`` decides which sources and union evidence are read (see the module docstring);
    ``unions`` (organisations or their ids) narrows the union evidence to those unions'
    records, e.g. ``all_evidence=True, unions=[union]`` for one union's evidence read by
    the system (the command line)."""
    ctx = _context(facilities, user, today or timezone.localdate(), all_evidence,
                   None if unions is None else list(unions))
    wanted = set(rules) if rules is not None else None
    found = []
    for rule in RULES:
        if wanted is None or rule.code in wanted:
            found += rule.find(ctx)
    from shopfloor.facilities import criterion_sort_key

    return sorted(found, key=lambda d: (d.facility.name, d.facility.pk, RULES.index(d.rule),
                                        criterion_sort_key(d.criterion.code)
                                        if d.criterion else (), d.topic,
                                        d.company.name if d.company else ""))
