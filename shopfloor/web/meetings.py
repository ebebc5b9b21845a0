"""A PICC meeting: its agenda from open issues, the minutes, and the promises made."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopfloor.access import can_write_record, workspace_q
from shopfloor.evidence import meetings as meeting_lib
from shopfloor.evidence import workflow
from shopfloor.models import MonitoringIssue, PiccMeeting, Promise
from shopfloor.web import drafts
from shopfloor.web import evidence_forms as forms
from shopfloor.web.review import login_required
from shopfloor.web.workspace import read_record, writable_record_or_404


def _open_issues(meeting):
    return MonitoringIssue.objects.filter(
        organisation=meeting.organisation_id, facility=meeting.facility_id,
        status__in=workflow.OPEN_STATUSES)


def _page(request, meeting, record_form=None, promise_form=None, status=200):
    writable = can_write_record(request.user, meeting)
    return render(request, "shopfloor/workspace/meeting.html", {
        "meeting": meeting, "agenda": meeting_lib.agenda(meeting), "can_write": writable,
        "promises": meeting.promises.select_related("issue"),
        "discussed": meeting.issue_events.select_related("issue"),
        "record_form": record_form or (forms.RecordMeetingForm(
            issues=_open_issues(meeting), initial={"held_on": min(
                meeting.scheduled_for, meeting_lib.timezone.localdate())})
            if writable and meeting.status == PiccMeeting.Status.SCHEDULED else None),
        "promise_form": promise_form or (forms.PromiseForm(meeting=meeting)
                                         if writable else None),
        "today": meeting_lib.timezone.localdate(),
    }, status=status)


@login_required
def meeting_detail(request, pk: int):
    meeting = read_record(request, PiccMeeting, pk)
    return _page(request, meeting)


@login_required
@require_POST
def meeting_record(request, pk: int):
    """The meeting was held: its date, minutes, and which issues were raised."""
    meeting = writable_record_or_404(request, PiccMeeting, pk)
    form = forms.RecordMeetingForm(request.POST, issues=_open_issues(meeting))
    if not form.is_valid():
        return _page(request, meeting, record_form=form, status=400)
    try:
        meeting_lib.record_meeting(meeting, held_on=form.cleaned_data["held_on"],
                                   by=request.user, minutes=form.cleaned_data["minutes"],
                                   raised=list(form.cleaned_data["raised"]))
    except ValidationError as e:
        form.add_error(None, e)
        meeting.refresh_from_db()
        return _page(request, meeting, record_form=form, status=400)
    drafts.saved(request, f"meeting-{meeting.pk}")
    messages.success(request, _("The meeting is recorded."))
    return redirect("web:meeting", pk=meeting.pk)


@login_required
@require_POST
def promise_add(request, pk: int):
    meeting = writable_record_or_404(request, PiccMeeting, pk)
    form = forms.PromiseForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            meeting_lib.add_promise(meeting, text=form.cleaned_data["text"],
                                    due_on=form.cleaned_data["due_on"],
                                    by_whom=form.cleaned_data["by"],
                                    issue=form.cleaned_data["issue"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The promise is written down."))
            return redirect("web:meeting", pk=meeting.pk)
    return _page(request, meeting, promise_form=form, status=400)


@login_required
@require_POST
def promise_close(request, pk: int):
    """A promise was kept, or not."""
    promise = Promise.objects.filter(workspace_q(request.user, "meeting__"), pk=pk).select_related(
        "meeting").first()
    if promise is None:
        raise Http404
    if not can_write_record(request.user, promise.meeting):
        raise PermissionDenied
    outcome = request.POST.get("outcome", "")
    try:
        meeting_lib.close_promise(promise, outcome, on=meeting_lib.timezone.localdate())
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("web:meeting", pk=promise.meeting_id)
