"""One monitoring issue: its evidence, its history, the next step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopfloor.access import can_read_original, can_write_record
from shopfloor.evidence import topics, workflow
from shopfloor.models import EvidenceAttachment, IssueStatus, MonitoringIssue
from shopfloor.web import drafts
from shopfloor.web import evidence_forms as forms
from shopfloor.web.review import login_required
from shopfloor.web.workspace import read_record, store_upload, writable_record_or_404


def _page(request, issue, step_form=None, attach_form=None, status=200):
    writable = can_write_record(request.user, issue)
    moves = workflow.allowed_moves(issue)
    return render(request, "shopfloor/workspace/issue.html", {
        "issue": issue,
        "events": issue.events.select_related("meeting").order_by("on", "pk"),
        "attachments": issue.attachments.select_related("file").order_by("attached_at"),
        "promises": issue.promises.select_related("meeting"),
        "cluster": topics.cluster_label(topics.cluster_of(issue.topic)),
        "bfc_covers": topics.bfc_covers(issue.topic),
        "can_write": writable,
        "originals": can_read_original(request.user, issue),
        "step_form": step_form or (forms.StepForm(issue=issue, moves=moves)
                                   if writable else None),
        "attach_form": attach_form or (forms.AttachForm() if writable else None),
        "note_required": {s: str(s) in workflow.NOTE_REQUIRED for s in moves},
        "is_open": workflow.is_open(issue),
    }, status=status)


@login_required
def issue_detail(request, pk: int):
    issue = read_record(request, MonitoringIssue, pk)
    return _page(request, issue)


@login_required
@require_POST
def issue_step(request, pk: int):
    """The next step of the issue (or a follow-up note), with an optional 'after' photo."""
    issue = writable_record_or_404(request, MonitoringIssue, pk)
    form = forms.StepForm(request.POST, request.FILES, issue=issue,
                          moves=workflow.allowed_moves(issue))
    if not form.is_valid():
        return _page(request, issue, step_form=form, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            event = workflow.transition(issue, data["to_status"], by=request.user,
                                        on=data["on"], note=data["note"],
                                        meeting=data["meeting"])
            if data["photo"]:
                stage = (EvidenceAttachment.Stage.AFTER
                         if event.to_status in (IssueStatus.RESOLVED,
                                                IssueStatus.PARTLY_RESOLVED,
                                                IssueStatus.IN_REMEDIATION)
                         else EvidenceAttachment.Stage.OTHER)
                store_upload(request, issue, data["photo"], issue=issue, stage=stage)
    except ValidationError as e:
        form.add_error(None, e)
        issue.refresh_from_db()
        return _page(request, issue, step_form=form, status=400)
    drafts.saved(request, f"step-{issue.pk}")
    messages.success(request, _("Saved: %(status)s.") % {
        "status": IssueStatus(event.to_status).label})
    return redirect("web:issue", pk=issue.pk)


@login_required
@require_POST
def issue_attach(request, pk: int):
    """Add a photo, video, recording or PDF to the issue."""
    issue = writable_record_or_404(request, MonitoringIssue, pk)
    form = forms.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            store_upload(request, issue, form.cleaned_data["file"], issue=issue,
                         stage=form.cleaned_data["stage"], caption=form.cleaned_data["caption"])
        except ValidationError as e:
            form.add_error("file", e)
        else:
            messages.success(request, _("The file is kept in the vault."))
            return redirect("web:issue", pk=issue.pk)
    return _page(request, issue, attach_form=form, status=400)
