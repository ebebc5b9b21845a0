"""Forms of the union workspace: small, phone-friendly, validated by the library.

Every form that creates a record carries a one-time ``client_key``: if a phone sends the
form twice (a tap repeated on a slow connection, a retry after a dropped connection), the
record is created once. Dates use the phone's own date picker (``type=date``), numbers its
number pad.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shopfloor.evidence.vault import ACCEPTED_HINT
from shopfloor.models import (
    Case,
    CaseEscalation,
    CaseOutcome,
    CaseWorker,
    CollectiveAgreement,
    Criterion,
    EvidenceAttachment,
    HeatReading,
    IssueTopic,
    MembershipCount,
    MonitoringIssue,
    NssfCount,
    PiccMeeting,
    Promise,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NumberInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "min": "0", **(attrs or {})})


def _today():
    return timezone.localdate()


class KeyedForm(forms.Form):
    """A form with a one-time key (see the module docstring)."""

    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())


class EvidenceUploadField(forms.FileField):
    widget = forms.ClearableFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photo, video, recording or PDF"))
        kwargs.setdefault("help_text", _("Location and camera details are removed from every "
                                         "copy anyone else sees."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ACCEPTED_HINT})


class IssueForm(KeyedForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=IssueTopic.choices)
    title = forms.CharField(label=_("What is wrong, in a few words"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    found_on = forms.DateField(label=_("Found on"), initial=_today, widget=DateInput())
    workers_female = forms.IntegerField(label=_("Women affected"), required=False,
                                        min_value=0, widget=NumberInput())
    workers_male = forms.IntegerField(label=_("Men affected"), required=False, min_value=0,
                                      widget=NumberInput())
    criterion = forms.ModelChoiceField(label=_("BFC critical issue (if one fits)"),
                                       queryset=Criterion.objects.none(), required=False)
    photo = EvidenceUploadField()
    caption = forms.CharField(label=_("About the photo"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(programme="BFC")

    def clean_found_on(self):
        value = self.cleaned_data["found_on"]
        if value > _today():
            raise forms.ValidationError(_("The date found cannot be in the future."))
        return value


class StepForm(forms.Form):
    """One step of an issue's history: the next status (or the same, for a follow-up)."""

    to_status = forms.ChoiceField(label=_("What happened"))
    on = forms.DateField(label=_("Date"), initial=_today, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Needed for a response, a resolution, an escalation."))
    meeting = forms.ModelChoiceField(label=_("PICC meeting"), queryset=PiccMeeting.objects.none(),
                                     required=False)
    photo = EvidenceUploadField(label=_("An 'after' photo or other proof"))

    def __init__(self, *args, issue: MonitoringIssue, moves, **kwargs):
        super().__init__(*args, **kwargs)
        from shopfloor.models import IssueStatus

        self.fields["to_status"].choices = [(m, IssueStatus(m).label) for m in moves] + [
            (issue.status, _("Follow-up note (status stays %(status)s)") % {
                "status": IssueStatus(issue.status).label})]
        self.fields["meeting"].queryset = PiccMeeting.objects.filter(
            organisation=issue.organisation_id, facility=issue.facility_id).exclude(
            status=PiccMeeting.Status.CANCELLED)


class AttachForm(forms.Form):
    file = EvidenceUploadField(required=True, label=_("File"))
    stage = forms.ChoiceField(label=_("It shows"), choices=EvidenceAttachment.Stage.choices,
                              initial=EvidenceAttachment.Stage.OTHER)
    caption = forms.CharField(label=_("About the file"), max_length=300, required=False)
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)


class MeetingForm(forms.Form):
    first = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    count = forms.IntegerField(label=_("How many meetings to plan (every two months)"),
                               min_value=1, max_value=12, initial=1, widget=NumberInput())


class RecordMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), initial=_today, widget=DateInput())
    minutes = forms.CharField(label=_("Minutes: what was said"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    raised = forms.ModelMultipleChoiceField(
        label=_("Issues raised at this meeting"), queryset=MonitoringIssue.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised"].queryset = issues


class PromiseForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = ["text", "by", "due_on", "issue"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, meeting: PiccMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = MonitoringIssue.objects.filter(
            organisation=meeting.organisation_id, facility=meeting.facility_id)


class CaseForm(KeyedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices)
    title = forms.CharField(label=_("What happened, in a few words"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    opened_on = forms.DateField(label=_("Date it happened"), initial=_today,
                                widget=DateInput())
    workers_female = forms.IntegerField(label=_("Women affected"), required=False,
                                        min_value=0, widget=NumberInput())
    workers_male = forms.IntegerField(label=_("Men affected"), required=False, min_value=0,
                                      widget=NumberInput())


class CaseWorkerForm(forms.ModelForm):
    class Meta:
        model = CaseWorker
        fields = ["union_role", "sex", "dismissed_on", "name"]
        widgets = {"dismissed_on": DateInput()}
        help_texts = {"name": _("Optional. Initials are enough; never shown outside the "
                                "union.")}


class EscalationForm(forms.ModelForm):
    class Meta:
        model = CaseEscalation
        fields = ["body", "company", "body_name", "on", "reference", "note"]
        widgets = {"on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = CaseOutcome
        fields = ["kind", "workers", "amount", "currency", "on", "confirmed_by_worker_on",
                  "note"]
        widgets = {"on": DateInput(), "confirmed_by_worker_on": DateInput(),
                   "workers": NumberInput(), "note": forms.Textarea(attrs={"rows": 2})}


class CloseCaseForm(forms.Form):
    status = forms.ChoiceField(label=_("How it ended"), choices=[
        c for c in Case.Status.choices if c[0] != Case.Status.OPEN])
    on = forms.DateField(label=_("Date"), initial=_today, widget=DateInput())


class MembershipCountForm(forms.ModelForm):
    class Meta:
        model = MembershipCount
        fields = ["counted_on", "members_female", "members_male", "dues_payers", "workforce"]
        widgets = {"counted_on": DateInput(), "members_female": NumberInput(),
                   "members_male": NumberInput(), "dues_payers": NumberInput(),
                   "workforce": NumberInput()}

    def clean(self):
        data = super().clean()
        members = (data.get("members_female") or 0) + (data.get("members_male") or 0)
        if data.get("dues_payers") is not None and data["dues_payers"] > members:
            self.add_error("dues_payers", _("There cannot be more dues payers than members."))
        return data


class AgreementForm(forms.ModelForm):
    clauses = forms.MultipleChoiceField(label=_("What it covers"), required=False,
                                        choices=CollectiveAgreement.Clause.choices,
                                        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = CollectiveAgreement
        fields = ["title", "signed_on", "expires_on", "covered_female", "covered_male",
                  "clauses", "summary"]
        widgets = {"signed_on": DateInput(), "expires_on": DateInput(),
                   "covered_female": NumberInput(), "covered_male": NumberInput(),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("expires_on") and data.get("signed_on") and (
                data["expires_on"] < data["signed_on"]):
            self.add_error("expires_on", _("An agreement cannot expire before it is signed."))
        return data


class NssfForm(forms.ModelForm):
    class Meta:
        model = NssfCount
        fields = ["counted_on", "enrolled_female", "enrolled_male", "workforce"]
        widgets = {"counted_on": DateInput(), "enrolled_female": NumberInput(),
                   "enrolled_male": NumberInput(), "workforce": NumberInput()}


class HeatReadingForm(forms.ModelForm):
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HeatReading
        fields = ["taken_at", "place", "temperature_c", "humidity_pct", "instrument", "note"]
        widgets = {"taken_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                   format="%Y-%m-%dT%H:%M"),
                   "temperature_c": forms.NumberInput(attrs={"inputmode": "decimal",
                                                             "step": "0.1"}),
                   "humidity_pct": forms.NumberInput(attrs={"inputmode": "decimal",
                                                            "step": "0.1"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())
            self.initial.setdefault("taken_at", timezone.localtime().replace(
                second=0, microsecond=0))
        self.fields["taken_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_taken_at(self):
        value = self.cleaned_data["taken_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value
