"""PICC meetings: the schedule, the agenda built from open issues, minutes and promises.

Factories enrolled with Better Work hold a Performance Improvement Consultative Committee
every two months. The union prepares: every issue still open goes on the agenda, and every
promise whose date has passed without being kept is flagged at the top ("overdue"), so that
management's "we will fix it next month" is asked about at the next meeting.

>>> meetings = schedule(union, factory, first=date(2025, 1, 15), count=6, by=rep)  # doctest: +SKIP
>>> for item in agenda(meetings[1]).items: print(item.issue, item.overdue)  # doctest: +SKIP
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shopfloor.evidence import workflow
from shopfloor.models import IssueStatus, MonitoringIssue, PiccMeeting, Promise

#: Better Work's rhythm: a PICC meeting every two months.
PICC_INTERVAL_MONTHS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (31 January + 1 → 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_meeting_date(organisation, facility, *, today: dt.date | None = None) -> dt.date:
    """Two months after the union's last meeting at the factory (held or planned), or
    today when there has been none."""
    last = (PiccMeeting.objects.filter(organisation=organisation, facility=facility)
            .exclude(status=PiccMeeting.Status.CANCELLED).order_by("-scheduled_for").first())
    if last is None:
        return today or timezone.localdate()
    return add_months(last.date, PICC_INTERVAL_MONTHS)


def schedule(organisation, facility, *, first: dt.date, by, count: int = 1,
             every_months: int = PICC_INTERVAL_MONTHS, is_demo: bool = False
             ) -> list[PiccMeeting]:
    """Plan ``count`` meetings from ``first``, one every ``every_months`` months."""
    if not 1 <= count <= 24:
        raise ValidationError(_("Plan between 1 and 24 meetings at a time."))
    return [PiccMeeting.objects.create(
        organisation=organisation, facility=facility, created_by=by, is_demo=is_demo,
        scheduled_for=add_months(first, i * every_months)) for i in range(count)]


@dataclass
class AgendaItem:
    """An open issue on the agenda, with the promises made about it that are still due."""

    issue: MonitoringIssue
    promises: list[Promise] = field(default_factory=list)
    overdue: bool = False


@dataclass
class Agenda:
    """What the union brings to one meeting: open issues (overdue promises first) and
    overdue promises that concern no particular issue."""

    meeting: PiccMeeting
    items: list[AgendaItem]
    overdue_promises: list[Promise]

    @property
    def overdue(self) -> list[Promise]:
        """Every overdue promise, about an issue or not."""
        return [p for item in self.items for p in item.promises
                if p.is_overdue(self.meeting.date)] + self.overdue_promises


_PRIORITY = {IssueStatus.ESCALATED: 0, IssueStatus.UNRESOLVED: 1,
             IssueStatus.PARTLY_RESOLVED: 2, IssueStatus.IN_REMEDIATION: 3,
             IssueStatus.RESPONDED: 4, IssueStatus.RAISED: 5, IssueStatus.DOCUMENTED: 6}


def agenda(meeting: PiccMeeting) -> Agenda:
    """The agenda of ``meeting``: the union's issues at the factory that are open and were
    found by the meeting's date, each with its open promises; items with an overdue
    promise come first, then escalated, unresolved ... newly documented ones."""
    on = meeting.date
    issues = list(MonitoringIssue.objects.filter(
        organisation=meeting.organisation_id, facility=meeting.facility_id,
        status__in=workflow.OPEN_STATUSES, found_on__lte=on).select_related("criterion"))
    promises = list(Promise.objects.filter(
        meeting__organisation=meeting.organisation_id, meeting__facility=meeting.facility_id,
        meeting__scheduled_for__lt=on, outcome=Promise.Outcome.OPEN,
    ).exclude(meeting=meeting).select_related("meeting"))
    by_issue: dict[int, list[Promise]] = {}
    loose = []
    for promise in promises:
        if promise.issue_id is None:
            if promise.is_overdue(on):
                loose.append(promise)
        else:
            by_issue.setdefault(promise.issue_id, []).append(promise)
    items = [AgendaItem(issue, by_issue.get(issue.pk, []),
                        any(p.is_overdue(on) for p in by_issue.get(issue.pk, [])))
             for issue in issues]
    items.sort(key=lambda it: (not it.overdue, _PRIORITY.get(it.issue.status, 9),
                               it.issue.found_on, it.issue.pk))
    return Agenda(meeting, items, loose)


def record_meeting(meeting: PiccMeeting, *, held_on: dt.date, by, minutes: str = "",
                   raised: list[MonitoringIssue] = (), today: dt.date | None = None
                   ) -> list:
    """Mark ``meeting`` held on ``held_on`` with its minutes; each issue in ``raised``
    becomes "raised at the PICC" (or, when it was already past that, gets a follow-up
    step naming the meeting). All or nothing. Returns the history steps written."""
    today = today or timezone.localdate()
    if held_on > today:
        raise ValidationError(_("A meeting cannot be held in the future."))
    events = []
    with transaction.atomic():
        meeting.status, meeting.held_on = PiccMeeting.Status.HELD, held_on
        meeting.minutes = minutes.strip() or meeting.minutes
        meeting.save(update_fields=["status", "held_on", "minutes"])
        for issue in raised:
            if IssueStatus.RAISED in workflow.allowed_moves(issue):
                events.append(workflow.transition(issue, IssueStatus.RAISED, by=by,
                                                  on=held_on, meeting=meeting, today=today))
            else:
                events.append(workflow.transition(
                    issue, issue.status, by=by, on=held_on, meeting=meeting, today=today,
                    note=_("Discussed at the PICC meeting of %(date)s.") % {
                        "date": held_on.isoformat()}))
    return events


def add_promise(meeting: PiccMeeting, *, text: str, due_on: dt.date,
                by_whom: str = Promise.By.MANAGEMENT, issue: MonitoringIssue | None = None
                ) -> Promise:
    """Write down a promise made at ``meeting``, due by ``due_on``."""
    if due_on < meeting.date:
        raise ValidationError(_("A promise cannot be due before the meeting it was made at."))
    if issue is not None and (issue.facility_id != meeting.facility_id
                              or issue.organisation_id != meeting.organisation_id):
        raise ValidationError(_("That issue is not at this factory."))
    return Promise.objects.create(meeting=meeting, text=text.strip(), due_on=due_on,
                                  by=by_whom, issue=issue)


def close_promise(promise: Promise, outcome: str, *, on: dt.date) -> Promise:
    """Record that a promise was kept or not kept, on day ``on``."""
    if outcome not in (Promise.Outcome.KEPT, Promise.Outcome.NOT_KEPT):
        raise ValidationError(_("A promise is kept or not kept."))
    promise.outcome, promise.outcome_on = outcome, on
    promise.save(update_fields=["outcome", "outcome_on"])
    return promise


def overdue_promises(organisation, facility, *, on: dt.date | None = None) -> list[Promise]:
    """The union's open promises at the factory whose date has passed by ``on``."""
    on = on or timezone.localdate()
    return list(Promise.objects.filter(
        meeting__organisation=organisation, meeting__facility=facility,
        outcome=Promise.Outcome.OPEN, due_on__lt=on).select_related("meeting", "issue"))
