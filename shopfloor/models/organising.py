"""Organising: union membership over time, collective agreements, social-security enrolment."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkspaceRecord


class MembershipCount(WorkspaceRecord):
    """A factory union's membership on one day, by sex, with its dues payers and the
    factory's workforce that day (for Most Representative Status: dues payers ≥ 30 % of
    the workforce, :func:`shopfloor.evidence.organising.mrs_progress`)."""

    counted_on = models.DateField(_("counted on"))
    members_female = models.PositiveIntegerField(_("women members"))
    members_male = models.PositiveIntegerField(_("men members"))
    dues_payers = models.PositiveIntegerField(_("dues-paying members"))
    workforce = models.PositiveIntegerField(
        _("workers at the factory"), null=True, blank=True,
        help_text=_("Leave empty to use the latest published workforce figure."),
    )

    class Meta:
        verbose_name = _("membership count")
        verbose_name_plural = _("membership counts")
        ordering = ["-counted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dues_payers__lte=models.F("members_female")
                                   + models.F("members_male")),
                name="dues_payers_are_members",
                violation_error_message=_("There cannot be more dues payers than members."),
            ),
            models.CheckConstraint(
                condition=models.Q(workforce__isnull=True) | models.Q(workforce__gte=1),
                name="workforce_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.members} members on {self.counted_on}"

    @property
    def members(self) -> int:
        return self.members_female + self.members_male


class CollectiveAgreement(WorkspaceRecord):
    """A collective bargaining agreement at the factory: when signed, until when, how many
    workers it covers, and what it says (clauses such as heat or gender)."""

    class Clause(models.TextChoices):
        WAGES = "wages", _("wages and allowances")
        HOURS = "hours", _("working hours and overtime")
        CONTRACTS = "contracts", _("contracts (FDC to UDC)")
        HEAT = "heat", _("heat and ventilation")
        GENDER = "gender", _("gender: maternity, harassment, childcare")
        SAFETY = "safety", _("health and safety")
        UNION_FACILITIES = "union_facilities", _("union time and facilities")
        GRIEVANCE = "grievance", _("grievance procedure")

    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    covered_female = models.PositiveIntegerField(_("women covered"), null=True, blank=True)
    covered_male = models.PositiveIntegerField(_("men covered"), null=True, blank=True)
    clauses = models.JSONField(_("clauses"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    document = models.ForeignKey(
        "shopfloor.EvidenceFile", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="agreements", verbose_name=_("signed copy"),
    )

    class Meta:
        verbose_name = _("collective agreement")
        verbose_name_plural = _("collective agreements")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("signed_on")),
                name="agreement_expires_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def covered(self) -> int | None:
        if self.covered_female is None and self.covered_male is None:
            return None
        return (self.covered_female or 0) + (self.covered_male or 0)

    def in_force(self, on) -> bool:
        return self.signed_on <= on and (self.expires_on is None or on <= self.expires_on)


class NssfCount(WorkspaceRecord):
    """How many workers at the factory are enrolled with the National Social Security Fund,
    by sex, on one day."""

    counted_on = models.DateField(_("counted on"))
    enrolled_female = models.PositiveIntegerField(_("women enrolled"))
    enrolled_male = models.PositiveIntegerField(_("men enrolled"))
    workforce = models.PositiveIntegerField(_("workers at the factory"), null=True, blank=True)

    class Meta:
        verbose_name = _("NSSF enrolment count")
        verbose_name_plural = _("NSSF enrolment counts")
        ordering = ["-counted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.enrolled} enrolled on {self.counted_on}"

    @property
    def enrolled(self) -> int:
        return self.enrolled_female + self.enrolled_male
