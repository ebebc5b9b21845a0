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
