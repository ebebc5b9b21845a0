"""Monitoring issues: a problem workers documented at a factory, followed until it is fixed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkersAffected, WorkspaceRecord


class IssueTopic(models.TextChoices):
    """What an issue is about. Each topic belongs to one of Better Work's eight clusters
    (:data:`shopfloor.evidence.topics.CLUSTERS`); some are not covered by BFC's 21
    published critical issues at all (heat, ventilation, toilet breaks, verbal abuse,
    targets), which is why unions document them."""

    WAGES = "wages", _("wages and deductions")
    OVERTIME = "overtime", _("overtime and working hours")
    SOCIAL_SECURITY = "social_security", _("social security (NSSF)")
    FDC_RENEWALS = "fdc_renewals", _("fixed-duration contract renewals")
    DISMISSAL = "dismissal", _("dismissals")
    UNION_INTERFERENCE = "union_interference", _("management interference with the union")
    UNION_DISCRIMINATION = "union_discrimination", _("discrimination against union members")
    DISCRIMINATION = "discrimination", _("discrimination (sex, pregnancy, other)")
    HARASSMENT = "harassment", _("sexual harassment")
    VERBAL_ABUSE = "verbal_abuse", _("verbal abuse and insults")
    CHILD_LABOUR = "child_labour", _("child labour")
    FORCED_LABOUR = "forced_labour", _("forced labour")
    SAFETY = "safety", _("safety: exits, machines, fire")
    DRINKING_WATER = "drinking_water", _("drinking water")
    HEAT_STRESS = "heat_stress", _("heat stress")
    VENTILATION = "ventilation", _("ventilation")
    TOILET_BREAKS = "toilet_breaks", _("toilet breaks")
    EXCESSIVE_TARGETS = "excessive_targets", _("excessive production targets")
    OTHER = "other", _("other")


class IssueStatus(models.TextChoices):
    """Where an issue is in its life. Allowed moves are in
    :data:`shopfloor.evidence.workflow.TRANSITIONS`."""

    DOCUMENTED = "documented", _("documented")
    RAISED = "raised", _("raised at the PICC")
    RESPONDED = "responded", _("management responded")
    IN_REMEDIATION = "in_remediation", _("in remediation")
    RESOLVED = "resolved", _("resolved")
    PARTLY_RESOLVED = "partly_resolved", _("partly resolved")
    UNRESOLVED = "unresolved", _("unresolved")
    ESCALATED = "escalated", _("escalated")


class MonitoringIssue(WorkersAffected, WorkspaceRecord):
    """One problem at one factory, as the union documented it."""

    topic = models.CharField(_("topic"), max_length=30, choices=IssueTopic.choices)
    criterion = models.ForeignKey(
        "shopfloor.Criterion", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="monitoring_issues", verbose_name=_("BFC critical issue"),
        help_text=_("The published compliance criterion this issue is about, when one fits."),
    )
    title = models.CharField(_("what is wrong, in a few words"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    found_on = models.DateField(_("found on"))
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices,
                              default=IssueStatus.DOCUMENTED)
    status_on = models.DateField(_("status since"))
    client_key = models.UUIDField(
        null=True, blank=True, unique=True, editable=False,
        help_text=_("The form's one-time key: sending the same form twice (a slow "
                    "connection, a second tap) records the issue once."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monitoring issue")
        verbose_name_plural = _("monitoring issues")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["facility", "status"], name="issue_facility_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=IssueStatus.values),
                                   name="issue_status_valid"),
            models.CheckConstraint(condition=models.Q(status_on__gte=models.F("found_on")),
                                   name="issue_status_after_found"),
        ]

    def __str__(self) -> str:
        return self.title



class IssueEvent(models.Model):
    """One step of an issue's history: from which status to which, on what date, why.
    Append-only: an event is never changed (a mistake is corrected by a further step)."""

    issue = models.ForeignKey(MonitoringIssue, on_delete=models.CASCADE,
                              related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=IssueStatus.choices,
                                   blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=IssueStatus.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    meeting = models.ForeignKey(
        "shopfloor.PiccMeeting", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="issue_events", verbose_name=_("PICC meeting"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issue history step")
        verbose_name_plural = _("issue history")
        ordering = ["issue", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.from_status or '-'} → {self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("issue history is append-only: add a step instead of changing one")
        super().save(*args, **kwargs)
