"""What brands and other outsiders may see of union evidence: counts, never records.

For one factory: open and resolved issues by Better Work cluster, the workers those open
issues affect by sex, cases by kind with the workers affected, whether a collective agreement
is in force, union membership by sex, and how many heat readings were over the alert level.
Counts of issues and cases are shown as they are (they name nobody); every count of
*people* goes through :func:`shopfloor.privacy.suppress` (fewer than 5 hidden, fewer than 10
for dismissals, harassment, union membership), and money won in cases is shown only as a
sum over at least :data:`shopfloor.privacy.THRESHOLD` outcomes.

No title, description, note, name, file or date of a single record leaves this module.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from shopfloor import privacy
from shopfloor.evidence import heat, topics, workflow
from shopfloor.models import (
    Case,
    CaseOutcome,
    CollectiveAgreement,
    HeatReading,
    MembershipCount,
    MonitoringIssue,
)


@dataclass
class FacilityAggregates:
    """Aggregates of every union's evidence at one factory, suppressed."""

    issues_by_cluster: list[dict] = field(default_factory=list)  # cluster, open, resolved
    open_issues: int = 0
    resolved_issues: int = 0
    workers_affected: privacy.Suppressed | None = None  # by sex, open issues
    cases_by_kind: list[dict] = field(default_factory=list)  # kind, label, open, closed
    cases: int = 0
    case_workers: privacy.Suppressed | None = None
    reinstated: int | None = None  # None: hidden (too few outcomes)
    compensation: dict[str, Decimal] | None = None
    agreement_in_force: bool = False
    members: privacy.Suppressed | None = None
    heat_readings: int = 0
    heat_alerts: int = 0
    max_heat_index: float | None = None

    @property
    def empty(self) -> bool:
        return not (self.open_issues or self.resolved_issues or self.cases or self.members
                    or self.heat_readings or self.agreement_in_force)


def _sex_line(female: int, male: int, sensitive: bool) -> privacy.Suppressed | None:
    if not female and not male:
        return None
    return privacy.suppress({"female": female, "male": male}, total=female + male,
                            sensitive=sensitive)


def facility_aggregates(facility, *, on=None) -> FacilityAggregates:
    """The suppressed aggregates of union evidence at ``facility``."""
    on = on or timezone.localdate()
    result = FacilityAggregates()
    clusters: dict[str, Counter] = {}
    female = male = 0
    sensitive = False
    for issue in MonitoringIssue.objects.filter(facility=facility).only(
            "topic", "status", "workers_female", "workers_male"):
        cluster = topics.cluster_of(issue.topic)
        state = "open" if issue.status in workflow.OPEN_STATUSES else "resolved"
        clusters.setdefault(cluster, Counter())[state] += 1
        if state == "open":
            female += issue.workers_female or 0
            male += issue.workers_male or 0
            sensitive |= issue.topic in topics.SENSITIVE_TOPICS
    result.issues_by_cluster = [
        {"cluster": c, "label": topics.cluster_label(c), "open": n["open"],
         "resolved": n["resolved"]} for c, n in sorted(clusters.items())]
    result.open_issues = sum(n["open"] for n in clusters.values())
    result.resolved_issues = sum(n["resolved"] for n in clusters.values())
    result.workers_affected = _sex_line(female, male, sensitive)

    kinds: dict[str, Counter] = {}
    female = male = 0
    cases = list(Case.objects.filter(facility=facility).only(
        "kind", "status", "workers_female", "workers_male"))
    for case in cases:
        kinds.setdefault(case.kind, Counter())[
            "open" if case.status == Case.Status.OPEN else "closed"] += 1
        female += case.workers_female or 0
        male += case.workers_male or 0
    result.cases = len(cases)
    result.cases_by_kind = [{"kind": k, "label": Case.Kind(k).label, "open": n["open"],
                             "closed": n["closed"]} for k, n in sorted(kinds.items())]
    result.case_workers = _sex_line(female, male, sensitive=True)
    outcomes = list(CaseOutcome.objects.filter(case__facility=facility))
    if len(outcomes) >= privacy.THRESHOLD:
        reinstated = sum(o.workers or 0 for o in outcomes
                         if o.kind == CaseOutcome.Kind.REINSTATEMENT)
        # people dismissed and taken back: a sensitive count, hidden below 10
        result.reinstated = (reinstated if reinstated == 0
                             or reinstated >= privacy.SENSITIVE_THRESHOLD else None)
        money: dict[str, Decimal] = {}
        for o in outcomes:
            if o.kind == CaseOutcome.Kind.COMPENSATION:
                money[o.currency] = money.get(o.currency, Decimal(0)) + o.amount
        result.compensation = dict(sorted(money.items()))

    result.agreement_in_force = any(a.in_force(on) for a in CollectiveAgreement.objects.filter(
        facility=facility))
    female = male = 0
    for union in MembershipCount.objects.filter(facility=facility).values(
            "organisation").distinct():
        latest = (MembershipCount.objects.filter(facility=facility,
                                                 organisation=union["organisation"])
                  .order_by("-counted_on", "-pk").first())
        female += latest.members_female
        male += latest.members_male
    result.members = _sex_line(female, male, sensitive=True)

    readings = [heat.heat_index(r.temperature_c, r.humidity_pct) for r in
                HeatReading.objects.filter(facility=facility).only("temperature_c",
                                                                   "humidity_pct")]
    result.heat_readings = len(readings)
    result.heat_alerts = sum(heat.is_alert(i) for i in readings)
    result.max_heat_index = round(max(readings), 1) if readings else None
    return result
