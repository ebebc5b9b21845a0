"""What a union's workspace at one factory holds, gathered for its page (and exports).

:func:`factory_workspace` runs a fixed number of queries and returns everything the factory
workspace page shows; :func:`workspace_index` lists the (union, factory) pairs a user works
on with what needs attention (open issues, overdue promises, the next meeting). Both take
the reader and return only what the reader may read (:func:`shopfloor.access.workspace_q`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from shopfloor.access import can_read_workspace, can_write_workspace, workspace_q
from shopfloor.evidence import cases as case_lib
from shopfloor.evidence import heat, meetings, organising, workflow
from shopfloor.models import (
    Case,
    CollectiveAgreement,
    EvidenceFile,
    Facility,
    HeatReading,
    MembershipCount,
    MonitoringIssue,
    NssfCount,
    Organisation,
    PiccMeeting,
    Promise,
)


@dataclass
class FactoryWorkspace:
    organisation: Organisation
    facility: Facility
    can_write: bool
    open_issues: list[MonitoringIssue]
    closed_issues: list[MonitoringIssue]
    next_meeting: PiccMeeting | None
    agenda: meetings.Agenda | None
    meetings: list[PiccMeeting]
    overdue_promises: list[Promise]
    cases: list[Case]
    case_totals: case_lib.OutcomeTotals
    membership: list[organising.MrsProgress]
    agreements: list[organising.AgreementStatus]
    nssf: list[organising.NssfShare]
    heat: list[dict]
    files: int
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def latest_membership(self) -> organising.MrsProgress | None:
        return self.membership[-1] if self.membership else None

    @property
    def heat_alerts(self) -> int:
        return sum(r["alert"] for r in self.heat)


def factory_workspace(user, organisation: Organisation, facility: Facility, *,
                      today: dt.date | None = None) -> FactoryWorkspace | None:
    """Everything of ``organisation``'s workspace at ``facility`` that ``user`` reads, or
    ``None`` when the user may not read it at all."""
    if not can_read_workspace(user, organisation, facility):
        return None
    today = today or timezone.localdate()
    scope = {"organisation": organisation, "facility": facility}
    issues = list(MonitoringIssue.objects.filter(**scope).select_related("criterion"))
    meeting_list = list(PiccMeeting.objects.filter(**scope).order_by("-scheduled_for"))
    upcoming = [m for m in meeting_list if m.status == PiccMeeting.Status.SCHEDULED
                and m.scheduled_for >= today]
    next_meeting = upcoming[-1] if upcoming else None
    case_list = list(Case.objects.filter(**scope).prefetch_related("workers"))
    return FactoryWorkspace(
        organisation=organisation, facility=facility,
        can_write=can_write_workspace(user, organisation, facility),
        open_issues=[i for i in issues if i.status in workflow.OPEN_STATUSES],
        closed_issues=[i for i in issues if i.status not in workflow.OPEN_STATUSES],
        next_meeting=next_meeting,
        agenda=meetings.agenda(next_meeting) if next_meeting else None,
        meetings=meeting_list,
        overdue_promises=meetings.overdue_promises(organisation, facility, on=today),
        cases=case_list, case_totals=case_lib.outcome_totals(case_list),
        membership=organising.membership_history(organisation, facility, user),
        agreements=[organising.agreement_status(a, today)
                    for a in CollectiveAgreement.objects.filter(**scope)],
        nssf=[organising.nssf_share(c, user) for c in NssfCount.objects.filter(**scope)
              .select_related("facility")],
        heat=[heat.reading_summary(r) for r in HeatReading.objects.filter(**scope)[:50]],
        files=EvidenceFile.objects.filter(**scope).count(),
        today=today,
    )


@dataclass
class WorkspaceEntry:
    organisation: Organisation
    facility: Facility
    open_issues: int = 0
    open_cases: int = 0
    overdue_promises: int = 0
    next_meeting: dt.date | None = None
    can_write: bool = False


def workspace_index(user, *, today: dt.date | None = None) -> list[WorkspaceEntry]:
    """The (union, factory) workspaces ``user`` reads or writes, with what needs attention,
    by factory name."""
    from shopfloor.access import writable_workspaces

    today = today or timezone.localdate()
    entries: dict[tuple[int, int], WorkspaceEntry] = {}
    for org, fac in writable_workspaces(user):
        entries[(org.pk, fac.pk)] = WorkspaceEntry(org, fac, can_write=True)
    visible = Q(workspace_q(user))
    for model in (MonitoringIssue, Case, PiccMeeting, MembershipCount):
        pairs = model.objects.filter(visible).values_list("organisation", "facility").distinct()
        for org_id, fac_id in pairs:
            entries.setdefault((org_id, fac_id), None)
    missing = [k for k, v in entries.items() if v is None]
    if missing:
        orgs = Organisation.objects.in_bulk({o for o, _ in missing})
        facs = Facility.objects.in_bulk({f for _, f in missing})
        for o, f in missing:
            entries[(o, f)] = WorkspaceEntry(orgs[o], facs[f])
    for row in (MonitoringIssue.objects.filter(visible, status__in=workflow.OPEN_STATUSES)
                .values("organisation", "facility").annotate(n=Count("pk"))):
        entries[(row["organisation"], row["facility"])].open_issues = row["n"]
    for row in (Case.objects.filter(visible, status=Case.Status.OPEN)
                .values("organisation", "facility").annotate(n=Count("pk"))):
        entries[(row["organisation"], row["facility"])].open_cases = row["n"]
    for row in (Promise.objects.filter(workspace_q(user, "meeting__"),
                                       outcome=Promise.Outcome.OPEN, due_on__lt=today)
                .values("meeting__organisation", "meeting__facility").annotate(n=Count("pk"))):
        entries[(row["meeting__organisation"], row["meeting__facility"])].overdue_promises = (
            row["n"])
    for m in (PiccMeeting.objects.filter(visible, status=PiccMeeting.Status.SCHEDULED,
                                         scheduled_for__gte=today).order_by("-scheduled_for")):
        entries[(m.organisation_id, m.facility_id)].next_meeting = m.scheduled_for
    return sorted(entries.values(), key=lambda e: (e.facility.name, e.organisation.name))
