"""An issue's life: documented → raised at the PICC → management responded → in remediation →
resolved / partly resolved / unresolved → escalated, each step dated, with its note, kept.

Rules (checked by :func:`transition`, whoever calls it — page, API or script):

* only the moves in :data:`TRANSITIONS` are allowed: nothing is resolved that was never
  raised and answered, and a resolved issue can only be reopened;
* moves in :data:`NOTE_REQUIRED` need a note — above all, no issue becomes resolved or partly
  resolved without a resolution note saying what changed;
* a step's date is not before the previous step, not before the issue was found, and not in
  the future; a step taken at a PICC meeting names a meeting of the same union and factory;
* a note without a move (a follow-up: "raised again, management asked for two weeks") is a
  step too, from a status to itself;
* the history is append-only (:class:`~shopfloor.models.IssueEvent` refuses changes).

>>> issue = create_issue(union, factory, by=rep, topic="heat_stress",  # doctest: +SKIP
...                      title="No fans on line 4", found_on=date(2024, 3, 1))
>>> transition(issue, "raised", on=date(2024, 3, 12), by=rep, meeting=picc)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shopfloor.models import IssueEvent, IssueStatus, MonitoringIssue, PiccMeeting

S = IssueStatus

#: status → the statuses an issue may move to from it.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DOCUMENTED: (S.RAISED, S.ESCALATED),
    S.RAISED: (S.RESPONDED, S.UNRESOLVED, S.ESCALATED),
    S.RESPONDED: (S.IN_REMEDIATION, S.RESOLVED, S.PARTLY_RESOLVED, S.UNRESOLVED,
                  S.ESCALATED),
    S.IN_REMEDIATION: (S.RESOLVED, S.PARTLY_RESOLVED, S.UNRESOLVED, S.ESCALATED),
    S.PARTLY_RESOLVED: (S.RAISED, S.IN_REMEDIATION, S.RESOLVED, S.UNRESOLVED, S.ESCALATED),
    S.UNRESOLVED: (S.RAISED, S.ESCALATED),
    S.ESCALATED: (S.RESPONDED, S.IN_REMEDIATION, S.RESOLVED, S.PARTLY_RESOLVED,
                  S.UNRESOLVED),
    S.RESOLVED: (S.DOCUMENTED,),  # reopened: the problem came back
}

#: Moves that need a note, and what the note must say.
NOTE_REQUIRED = {
    S.RESOLVED: "resolution",
    S.PARTLY_RESOLVED: "resolution",
    S.RESPONDED: "response",
    S.UNRESOLVED: "reason",
    S.ESCALATED: "escalation",
    S.DOCUMENTED: "reopening",
}

#: Statuses of an issue that is still open (on the next PICC agenda).
OPEN_STATUSES = frozenset({S.DOCUMENTED, S.RAISED, S.RESPONDED, S.IN_REMEDIATION,
                           S.PARTLY_RESOLVED, S.UNRESOLVED, S.ESCALATED})
#: Statuses of a closed issue.
CLOSED_STATUSES = frozenset({S.RESOLVED})


class WorkflowError(ValidationError):
    """A step the workflow does not allow, with the reason in the reader's language."""


def _note_message(kind: str) -> str:
    return {
        "resolution": _("Say what was fixed (a resolution note) before marking the issue "
                        "resolved."),
        "response": _("Write down what management answered."),
        "reason": _("Say why the issue stays unresolved."),
        "escalation": _("Say to whom the issue was escalated."),
        "reopening": _("Say why the issue is reopened."),
    }[kind]


def allowed_moves(issue: MonitoringIssue) -> tuple[str, ...]:
    """The statuses ``issue`` may move to next."""
    return TRANSITIONS.get(issue.status, ())


def create_issue(organisation, facility, *, by, found_on: dt.date, title: str, topic: str,
                 description: str = "", criterion=None, workers_female=None,
                 workers_male=None, client_key=None, is_demo: bool = False
                 ) -> MonitoringIssue:
    """Record a new issue (status "documented") with the first step of its history.
    A ``client_key`` already used returns the issue recorded with it (a form sent twice)."""
    if client_key is not None:
        existing = MonitoringIssue.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing
    if found_on > timezone.localdate():
        raise WorkflowError(_("The date found cannot be in the future."), code="future")
    with transaction.atomic():
        issue = MonitoringIssue.objects.create(
            organisation=organisation, facility=facility, created_by=by, found_on=found_on,
            status=S.DOCUMENTED, status_on=found_on, title=title, topic=topic,
            description=description, criterion=criterion, workers_female=workers_female,
            workers_male=workers_male, client_key=client_key, is_demo=is_demo)
        IssueEvent.objects.create(issue=issue, from_status="", to_status=S.DOCUMENTED,
                                  on=found_on, recorded_by=by)
    return issue


def _check(issue: MonitoringIssue, to_status: str, on: dt.date, note: str,
           meeting: PiccMeeting | None, today: dt.date) -> None:
    follow_up = to_status == issue.status
    if not follow_up and to_status not in allowed_moves(issue):
        raise WorkflowError(
            _("An issue that is %(current)s cannot become %(next)s.") % {
                "current": S(issue.status).label, "next": S(to_status).label},
            code="not_allowed")
    if follow_up and not note.strip():
        raise WorkflowError(_("A follow-up needs a note."), code="note")
    if not follow_up and to_status in NOTE_REQUIRED and not note.strip():
        raise WorkflowError(_note_message(NOTE_REQUIRED[to_status]), code="note")
    if on > today:
        raise WorkflowError(_("The date cannot be in the future."), code="future")
    if on < issue.status_on:
        raise WorkflowError(
            _("The date cannot be before the issue's last step (%(date)s).") % {
                "date": issue.status_on.isoformat()}, code="before_last")
    if meeting is not None and (meeting.facility_id != issue.facility_id
                                or meeting.organisation_id != issue.organisation_id):
        raise WorkflowError(_("That meeting is not at this factory."), code="meeting")
    if to_status == S.RAISED and meeting is None and not note.strip():
        raise WorkflowError(_("Choose the PICC meeting, or say where the issue was raised."),
                            code="meeting")


def transition(issue: MonitoringIssue, to_status: str, *, by, on: dt.date | None = None,
               note: str = "", meeting: PiccMeeting | None = None,
               today: dt.date | None = None) -> IssueEvent:
    """Move ``issue`` to ``to_status`` (or add a follow-up note when it is the current
    status) on day ``on`` (default: the meeting's date, else today). Raises
    :class:`WorkflowError` when a rule is broken; nothing is written then."""
    today = today or timezone.localdate()
    if on is None:
        on = meeting.date if meeting is not None else today
    with transaction.atomic():
        locked = MonitoringIssue.objects.select_for_update().get(pk=issue.pk)
        _check(locked, to_status, on, note, meeting, today)
        event = IssueEvent.objects.create(
            issue=locked, from_status=locked.status, to_status=to_status, on=on,
            note=note.strip(), meeting=meeting, recorded_by=by)
        locked.status, locked.status_on = to_status, on
        locked.save(update_fields=["status", "status_on", "updated_at"])
    issue.status, issue.status_on = to_status, on
    return event


def is_open(issue: MonitoringIssue) -> bool:
    return issue.status in OPEN_STATUSES
