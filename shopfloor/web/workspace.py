"""The union workspace pages: the factories a union works on, and one factory's workspace
(issues, PICC meetings, cases, organising, heat).

Access is decided by :mod:`shopfloor.access`: a workspace the reader may not read does not
exist for them (404); one they read but may not write answers 403 to a form. Every page of
union evidence that is read is recorded in the audit log (``evidence.read``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shopfloor import audit
from shopfloor.access import can_read_workspace, can_write_workspace, workspace_q
from shopfloor.evidence import cases as case_lib
from shopfloor.evidence import heat as heat_lib
from shopfloor.evidence import meetings as meeting_lib
from shopfloor.evidence import vault, workflow
from shopfloor.evidence.organising import agreement_status, membership_history, nssf_share
from shopfloor.evidence.workspace import factory_workspace, workspace_index
from shopfloor.models import (
    CollectiveAgreement,
    EvidenceAttachment,
    Facility,
    HeatReading,
    NssfCount,
    Organisation,
)
from shopfloor.web import drafts
from shopfloor.web import evidence_forms as forms
from shopfloor.web.review import login_required


def scope(request, org_pk: int, fac_pk: int, *, write: bool = False):
    """The union and factory of a workspace URL, if the reader may read it (else 404) and,
    with ``write``, write it (else 403)."""
    organisation = get_object_or_404(Organisation, pk=org_pk)
    facility = get_object_or_404(Facility, pk=fac_pk)
    readable = can_read_workspace(request.user, organisation, facility)
    writable = can_write_workspace(request.user, organisation, facility)
    if not (readable or writable):
        raise Http404
    if write and not writable:
        raise PermissionDenied
    return organisation, facility


def record_or_404(request, model, pk: int):
    """One workspace record the reader may read (anything else is a 404)."""
    qs = model.objects.filter(workspace_q(request.user)).select_related(
        "organisation", "facility")
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def read_record(request, model, pk: int):
    """:func:`record_or_404`, the read recorded in the audit log (``evidence.read``)."""
    record = record_or_404(request, model, pk)
    audit.record("evidence.read", request=request, obj=record,
                 organisation=record.organisation_id)
    return record


def writable_record_or_404(request, model, pk: int):
    """:func:`record_or_404` for a change: 403 when the reader may read but not write it."""
    record = record_or_404(request, model, pk)
    if not can_write_workspace(request.user, record.organisation_id, record.facility_id):
        raise PermissionDenied
    return record


def store_upload(request, record, upload, *, stage: str, caption: str = "", **target):
    """Keep an uploaded file in the vault and attach it to ``target`` (issue=, case=,
    meeting=). Raises :class:`~shopfloor.evidence.vault.VaultError`."""
    stored, created = vault.add_file(record.organisation, record.facility, upload,
                                     by=request.user, caption=caption)
    vault.attach(stored, by=request.user, stage=stage, **target)
    if not created:
        messages.info(request, _("This file was already in the vault; it is attached again, "
                                 "not stored twice."))
    return stored


@login_required
def index(request):
    """The factories the reader works on, with what needs attention."""
    entries = workspace_index(request.user)
    if entries:
        audit.record("evidence.read", request=request, what="workspace index",
                     workspaces=len(entries))
    return render(request, "shopfloor/workspace/index.html", {"entries": entries})


@login_required
def factory(request, org_pk: int, fac_pk: int):
    """One union's workspace at one factory."""
    organisation, facility = scope(request, org_pk, fac_pk)
    ws = factory_workspace(request.user, organisation, facility)
    if ws is None:  # may write but not read: a federation's own new workspace
        raise Http404
    audit.record("evidence.read", request=request, obj=facility, organisation=organisation,
                 what="workspace")
    return render(request, "shopfloor/workspace/factory.html", {"ws": ws})


@login_required
def new_issue(request, org_pk: int, fac_pk: int):
    """Record an issue, with a photo if there is one."""
    organisation, facility = scope(request, org_pk, fac_pk, write=True)
    form = forms.IssueForm(request.POST or None, request.FILES or None)
    draft = f"issue-{organisation.pk}-{facility.pk}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                issue = workflow.create_issue(
                    organisation, facility, by=request.user, found_on=data["found_on"],
                    title=data["title"], topic=data["topic"], description=data["description"],
                    criterion=data["criterion"], workers_female=data["workers_female"],
                    workers_male=data["workers_male"], client_key=data["client_key"])
                if data["photo"] and not issue.attachments.exists():
                    store_upload(request, issue, data["photo"], issue=issue,
                                 stage=EvidenceAttachment.Stage.BEFORE,
                                 caption=data["caption"])
        except ValidationError as e:
            form.add_error("photo" if isinstance(e, vault.VaultError) else None, e)
        else:
            drafts.saved(request, draft)
            messages.success(request, _("The issue is recorded."))
            return redirect("web:issue", pk=issue.pk)
    return render(request, "shopfloor/workspace/issue_form.html", {
        "form": form, "organisation": organisation, "facility": facility, "draft": draft})


@login_required
def new_meeting(request, org_pk: int, fac_pk: int):
    """Plan the next PICC meeting(s), every two months."""
    organisation, facility = scope(request, org_pk, fac_pk, write=True)
    initial = {"first": meeting_lib.next_meeting_date(organisation, facility)}
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        planned = meeting_lib.schedule(organisation, facility, by=request.user,
                                       first=form.cleaned_data["first"],
                                       count=form.cleaned_data["count"])
        messages.success(request, _("The meeting is planned."))
        return redirect("web:meeting", pk=planned[0].pk)
    return render(request, "shopfloor/workspace/simple_form.html", {
        "form": form, "organisation": organisation, "facility": facility,
        "title": _("Plan a PICC meeting"), "draft": ""})


@login_required
def new_case(request, org_pk: int, fac_pk: int):
    """Record a case: a dismissal, discrimination, unpaid wages, a closure."""
    organisation, facility = scope(request, org_pk, fac_pk, write=True)
    form = forms.CaseForm(request.POST or None)
    draft = f"case-{organisation.pk}-{facility.pk}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_lib.create_case(
                organisation, facility, by=request.user, kind=data["kind"],
                title=data["title"], opened_on=data["opened_on"],
                description=data["description"], workers_female=data["workers_female"],
                workers_male=data["workers_male"], client_key=data["client_key"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            drafts.saved(request, draft)
            messages.success(request, _("The case is recorded."))
            return redirect("web:case", pk=case.pk)
    return render(request, "shopfloor/workspace/simple_form.html", {
        "form": form, "organisation": organisation, "facility": facility,
        "title": _("Record a case"), "draft": draft})


_ORGANISING_FORMS = {"membership": forms.MembershipCountForm,
                     "agreement": forms.AgreementForm, "nssf": forms.NssfForm}


@login_required
def organising(request, org_pk: int, fac_pk: int):
    """Membership counts towards Most Representative Status, agreements, NSSF."""
    organisation, facility = scope(request, org_pk, fac_pk)
    writable = can_write_workspace(request.user, organisation, facility)
    bound = request.POST.get("form") if request.method == "POST" else None
    if bound and not writable:
        raise PermissionDenied
    forms_by_name = {name: cls(request.POST if name == bound else None, prefix=name)
                     for name, cls in _ORGANISING_FORMS.items()}
    if bound in forms_by_name and forms_by_name[bound].is_valid():
        record = forms_by_name[bound].save(commit=False)
        record.organisation, record.facility, record.created_by = (
            organisation, facility, request.user)
        record.save()
        messages.success(request, _("Saved."))
        return redirect("web:organising", org_pk=organisation.pk, fac_pk=facility.pk)
    audit.record("evidence.read", request=request, obj=facility, organisation=organisation,
                 what="organising")
    scope_kw = {"organisation": organisation, "facility": facility}
    return render(request, "shopfloor/workspace/organising.html", {
        "organisation": organisation, "facility": facility, "can_write": writable,
        "forms": forms_by_name,
        "membership": membership_history(organisation, facility, request.user),
        "agreements": [agreement_status(a) for a in
                       CollectiveAgreement.objects.filter(**scope_kw)],
        "nssf": [nssf_share(c, request.user) for c in NssfCount.objects.filter(**scope_kw)
                 .select_related("facility")],
    })


@login_required
def heat(request, org_pk: int, fac_pk: int):
    """Heat readings at workstations, with the heat index against the alert level."""
    organisation, facility = scope(request, org_pk, fac_pk)
    writable = can_write_workspace(request.user, organisation, facility)
    if request.method == "POST" and not writable:
        raise PermissionDenied
    form = forms.HeatReadingForm(request.POST or None)
    draft = f"heat-{organisation.pk}-{facility.pk}"
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("client_key")
        if key is None or not HeatReading.objects.filter(client_key=key).exists():
            reading = form.save(commit=False)
            reading.organisation, reading.facility, reading.created_by = (
                organisation, facility, request.user)
            reading.client_key = key
            reading.save()
        drafts.saved(request, draft)
        summary = heat_lib.reading_summary(HeatReading.objects.get(client_key=key)
                                           if key else reading)
        if summary["alert"]:
            messages.warning(request, _("Heat index %(index)s °C: %(level)s.") % {
                "index": summary["heat_index"], "level": summary["level_label"]})
        else:
            messages.success(request, _("Saved."))
        return redirect("web:heat", org_pk=organisation.pk, fac_pk=facility.pk)
    audit.record("evidence.read", request=request, obj=facility, organisation=organisation,
                 what="heat")
    readings = [heat_lib.reading_summary(r) for r in HeatReading.objects.filter(
        organisation=organisation, facility=facility)[:200]]
    return render(request, "shopfloor/workspace/heat.html", {
        "organisation": organisation, "facility": facility, "can_write": writable,
        "form": form, "readings": readings, "draft": draft,
        "threshold": heat_lib.alert_threshold(),
        "levels": [(lowest, heat_lib.LEVEL_LABELS[name]) for name, lowest in heat_lib.LEVELS],
    })
