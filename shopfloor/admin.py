"""Django admin for staff: every model, with its source visible."""

from django.contrib import admin

from shopfloor import models as m


@admin.register(m.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "importer", "published_on", "licence", "is_demo"]
    list_filter = ["importer", "is_demo", "licence"]
    search_fields = ["title", "publisher", "url", "file_name", "sha256"]


@admin.register(m.Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "name_km", "country", "province", "os_id", "bfc_id", "is_closed"]
    list_filter = ["country", "province", "is_closed", "provenance_lost"]
    search_fields = ["name", "name_km", "address", "os_id", "bfc_id"]


@admin.register(m.FacilityRecord)
class FacilityRecordAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "source", "row_number", "facility", "match_score",
                    "decision"]
    list_filter = ["decision", "source"]
    search_fields = ["name", "address"]
    raw_id_fields = ["facility"]


@admin.register(m.Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "hq_country", "employees"]
    list_filter = ["kind", "hq_country"]
    search_fields = ["name"]


@admin.register(m.Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "facility", "object_company", "year_start", "year_end",
                    "source"]
    list_filter = ["kind"]
    raw_id_fields = ["facility", "subject", "object_company"]


@admin.register(m.Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "topic", "unit", "value_type", "subject"]
    list_filter = ["topic", "subject"]


@admin.register(m.Datapoint)
class DatapointAdmin(admin.ModelAdmin):
    list_display = ["metric", "facility", "company", "country", "year", "value_number",
                    "value_text", "verification", "source"]
    list_filter = ["metric__topic", "verification"]
    raw_id_fields = ["facility", "company"]


@admin.register(m.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["programme", "code", "cluster", "text"]


class FindingInline(admin.TabularInline):
    model = m.Finding
    extra = 0


@admin.register(m.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["facility", "programme", "cycle", "assessed_on", "source"]
    inlines = [FindingInline]
    raw_id_fields = ["facility"]


class MembershipInline(admin.TabularInline):
    model = m.Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(m.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    inlines = [MembershipInline]


@admin.register(m.Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["assessment", "criterion", "status", "source"]
    list_filter = ["status", "criterion__programme"]
    raw_id_fields = ["assessment"]


@admin.register(m.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user"]
    filter_horizontal = ["facilities"]


@admin.register(m.MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    list_display = ["fingerprint", "facility", "verdict", "decided_by", "decided_at"]
    list_filter = ["verdict"]
    raw_id_fields = ["facility", "record"]


@admin.register(m.Watchlist)
class WatchlistAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "source", "created_at"]


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with ``shopfloor token create`` (the secret is shown once); here
    they can be seen and revoked, never read."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at",
                    "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "prefix"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(m.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log can be read, never written or changed, here."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_type", "object_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_seen_at", "ip", "user_agent"]
    readonly_fields = ["user", "session_key", "created_at", "last_seen_at", "ip", "user_agent"]

    def has_add_permission(self, request) -> bool:
        return False


# -- the union workspace: staff read it here (each change page is audited, like the pages);
# files are linked through the permission-checked view, never by a storage URL.


class _AuditedEvidenceAdmin(admin.ModelAdmin):
    list_select_related = ["organisation", "facility"]
    raw_id_fields = ["facility", "created_by"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from shopfloor import audit

        obj = self.get_object(request, object_id)
        if obj is not None:
            audit.record("evidence.read", request=request, obj=obj,
                         organisation=obj.organisation_id, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)


class _EventInline(admin.TabularInline):
    model = m.IssueEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "on", "note", "meeting", "recorded_by",
                       "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False  # steps are added through the workflow, which checks its rules


@admin.register(m.MonitoringIssue)
class MonitoringIssueAdmin(_AuditedEvidenceAdmin):
    list_display = ["title", "topic", "status", "status_on", "facility", "organisation"]
    list_filter = ["status", "topic", "is_demo"]
    search_fields = ["title"]
    readonly_fields = ["status", "status_on"]  # changed only by the workflow
    inlines = [_EventInline]


@admin.register(m.IssueEvent)
class IssueEventAdmin(admin.ModelAdmin):
    list_display = ["issue", "from_status", "to_status", "on"]
    raw_id_fields = ["issue", "meeting", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False  # append-only


@admin.register(m.PiccMeeting)
class PiccMeetingAdmin(_AuditedEvidenceAdmin):
    list_display = ["scheduled_for", "status", "facility", "organisation"]
    list_filter = ["status"]


@admin.register(m.Promise)
class PromiseAdmin(admin.ModelAdmin):
    list_display = ["text", "by", "due_on", "outcome"]
    list_filter = ["outcome", "by"]
    raw_id_fields = ["meeting", "issue"]


@admin.register(m.Case)
class CaseAdmin(_AuditedEvidenceAdmin):
    list_display = ["title", "kind", "status", "opened_on", "facility", "organisation"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["facility", "created_by", "issue"]


@admin.register(m.CaseWorker)
class CaseWorkerAdmin(admin.ModelAdmin):
    list_display = ["case", "union_role", "sex", "dismissed_on"]
    raw_id_fields = ["case"]
    exclude = ["name"]  # names stay in the union's workspace


@admin.register(m.CaseEscalation)
class CaseEscalationAdmin(admin.ModelAdmin):
    list_display = ["case", "body", "on", "reference"]
    raw_id_fields = ["case", "company"]


@admin.register(m.CaseOutcome)
class CaseOutcomeAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "workers", "amount", "currency", "on",
                    "confirmed_by_worker_on"]
    raw_id_fields = ["case"]


@admin.register(m.MembershipCount)
class MembershipCountAdmin(_AuditedEvidenceAdmin):
    list_display = ["counted_on", "members_female", "members_male", "dues_payers", "facility",
                    "organisation"]


@admin.register(m.CollectiveAgreement)
class CollectiveAgreementAdmin(_AuditedEvidenceAdmin):
    list_display = ["title", "signed_on", "expires_on", "facility", "organisation"]
    raw_id_fields = ["facility", "created_by", "document"]


@admin.register(m.NssfCount)
class NssfCountAdmin(_AuditedEvidenceAdmin):
    list_display = ["counted_on", "enrolled_female", "enrolled_male", "facility"]


@admin.register(m.HeatReading)
class HeatReadingAdmin(_AuditedEvidenceAdmin):
    list_display = ["taken_at", "place", "temperature_c", "humidity_pct", "facility"]


@admin.register(m.EvidenceFile)
class EvidenceFileAdmin(_AuditedEvidenceAdmin):
    list_display = ["pk", "kind", "caption", "size", "created_at", "facility", "organisation"]
    list_filter = ["kind"]
    exclude = ["original", "shared", "thumbnail", "original_name"]
    readonly_fields = ["kind", "content_type", "size", "sha256", "shared_sha256",
                       "removed_metadata", "taken_at", "files"]

    @admin.display(description="files")
    def files(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">shared copy</a> · <a href="{}">original</a>',
                           reverse("web:evidence_file", args=[obj.pk, "shared"]),
                           reverse("web:evidence_file", args=[obj.pk, "original"]))


@admin.register(m.EvidenceAttachment)
class EvidenceAttachmentAdmin(admin.ModelAdmin):
    list_display = ["file", "stage", "issue", "case", "meeting", "attached_at"]
    raw_id_fields = ["file", "issue", "case", "meeting", "attached_by"]


# -- surveys ------------------------------------------------------------------------------


class _QuestionInline(admin.TabularInline):
    model = m.SurveyQuestion
    extra = 0
    can_delete = False
    fields = ["position", "path", "type", "criteria", "violation", "sensitive", "identifying"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # questions come from the XLSForm


@admin.register(m.SurveyForm)
class SurveyFormAdmin(admin.ModelAdmin):
    list_display = ["title", "form_id", "kind", "organisation"]
    list_filter = ["kind"]


@admin.register(m.SurveyFormVersion)
class SurveyFormVersionAdmin(admin.ModelAdmin):
    list_display = ["form", "version", "imported_at"]
    exclude = ["definition", "xform"]
    inlines = [_QuestionInline]


@admin.register(m.SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["path", "type", "version", "criteria", "sensitive", "identifying"]
    list_filter = ["type", "sensitive", "identifying"]


@admin.register(m.Submission)
class SubmissionAdmin(_AuditedEvidenceAdmin):
    list_display = ["instance_id", "form", "facility", "period_start", "period_end", "sex"]
    raw_id_fields = ["facility", "created_by", "version", "source"]


@admin.register(m.SubmissionText)
class SubmissionTextAdmin(admin.ModelAdmin):
    list_display = ["submission", "path"]
    raw_id_fields = ["submission"]
    exclude = ["text"]  # free text stays in the results page for the union's own people
