"""PICC meetings: the factory committee where union and management meet every two months."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkspaceRecord


class PiccMeeting(WorkspaceRecord):
    """One Performance Improvement Consultative Committee meeting at one factory, as the
    union prepares and records it. The agenda is built from the union's open issues and
    the promises still due (:func:`shopfloor.evidence.meetings.agenda`)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    scheduled_for = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.SCHEDULED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("PICC meeting")
        verbose_name_plural = _("PICC meetings")
        ordering = ["-scheduled_for", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="held", held_on__isnull=False)
                | (~models.Q(status="held") & models.Q(held_on__isnull=True)),
                name="meeting_held_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"PICC {self.scheduled_for}: {self.facility}"

    @property
    def date(self):
        """The day it was held, else the day it is planned for."""
        return self.held_on or self.scheduled_for


class Promise(models.Model):
    """What someone promised at a meeting, by when: e.g. management will fix the fans by
    1 March. Still open after its date, it is overdue and flagged on the next agenda."""

    class By(models.TextChoices):
        MANAGEMENT = "management", _("management")
        UNION = "union", _("union")
        OTHER = "other", _("someone else")

    class Outcome(models.TextChoices):
        OPEN = "open", _("open")
        KEPT = "kept", _("kept")
        NOT_KEPT = "not_kept", _("not kept")

    meeting = models.ForeignKey(PiccMeeting, on_delete=models.CASCADE, related_name="promises")
    issue = models.ForeignKey(
        "shopfloor.MonitoringIssue", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="promises", verbose_name=_("issue"),
    )
    text = models.CharField(_("what was promised"), max_length=300)
    by = models.CharField(_("promised by"), max_length=12, choices=By.choices,
                          default=By.MANAGEMENT)
    due_on = models.DateField(_("due on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices,
                               default=Outcome.OPEN)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="open", outcome_on__isnull=True)
                | (~models.Q(outcome="open") & models.Q(outcome_on__isnull=False)),
                name="promise_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} (by {self.due_on})"

    def is_overdue(self, on) -> bool:
        """Still open after its due date, as seen on day ``on``."""
        return self.outcome == self.Outcome.OPEN and self.due_on < on
