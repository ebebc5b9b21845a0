"""Better Work / Better Factories Cambodia assessments and their findings per criterion."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.Model):
    """A compliance question, e.g. one of the 21 critical issues BFC publishes."""

    programme = models.CharField(_("programme"), max_length=40, default="BFC")
    code = models.CharField(_("code"), max_length=40)
    cluster = models.CharField(_("cluster"), max_length=100)
    text = models.CharField(_("criterion"), max_length=300)
    text_km = models.CharField(_("criterion in Khmer"), max_length=300, blank=True)
    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="criteria"
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["programme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_criterion_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def display_text(self) -> str:
        """The criterion in Khmer when the reader reads Khmer and a translation exists."""
        from django.utils.translation import get_language

        if (get_language() or "").startswith("km") and self.text_km:
            return self.text_km
        return self.text


class Assessment(models.Model):
    """One assessment visit or published cycle for one facility."""

    facility = models.ForeignKey(
        "shopfloor.Facility", on_delete=models.CASCADE, related_name="assessments"
    )
    programme = models.CharField(_("programme"), max_length=40, default="BFC")
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    assessed_on = models.DateField(_("date"), null=True, blank=True)
    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="assessments"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["facility", "cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "programme", "cycle"], name="one_assessment_per_cycle"
            ),
            models.CheckConstraint(condition=models.Q(cycle__gte=1), name="cycle_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} cycle {self.cycle}: {self.facility}"


class Finding(models.Model):
    class Status(models.TextChoices):
        COMPLIANT = "compliant", _("compliant")
        NON_COMPLIANT = "non_compliant", _("non-compliant")
        NOT_ASSESSED = "not_assessed", _("not assessed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="findings")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    detail = models.TextField(_("detail"), blank=True)
    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="findings"
    )
    citation = models.CharField(_("citation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["assessment", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_finding_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["compliant", "non_compliant", "not_assessed"]),
                name="finding_status_valid",
                violation_error_message=_("A finding is compliant, non-compliant or not "
                                          "assessed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.status}"
