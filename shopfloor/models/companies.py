"""Brands, retailers and groups, and who sources from or owns whom."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    class Kind(models.TextChoices):
        BRAND = "brand", _("brand")
        RETAILER = "retailer", _("retailer")
        GROUP = "group", _("parent group")
        SUPPLIER_GROUP = "supplier_group", _("supplier group")

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BRAND)
    hq_country = models.CharField(_("headquarters country (ISO code)"), max_length=2, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True,
        help_text=_("Worldwide headcount, used to decide which due-diligence laws apply."),
    )
    sources = models.ManyToManyField(
        "shopfloor.Source", related_name="companies", blank=True,
        help_text=_("Sources that name this company."),
    )
    provenance_lost = models.BooleanField(_("provenance lost"), default=False)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Relationship(models.Model):
    """A company sources from a facility, or owns another company, over a period."""

    class Kind(models.TextChoices):
        SOURCES_FROM = "sources_from", _("sources from")
        OWNS_BRAND = "owns_brand", _("owns brand")
        OWNS_FACILITY = "owns_facility", _("owns facility")

    subject = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="relationships",
        verbose_name=_("company"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    facility = models.ForeignKey(
        "shopfloor.Facility", null=True, blank=True, on_delete=models.CASCADE,
        related_name="relationships",
    )
    object_company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE,
        related_name="inverse_relationships",
    )
    year_start = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="relationships"
    )
    citation = models.CharField(
        _("citation"), max_length=300, blank=True, help_text=_("Row, page or answer link.")
    )

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["-year_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(facility__isnull=False, object_company__isnull=True)
                | models.Q(facility__isnull=True, object_company__isnull=False),
                name="relationship_has_one_object",
                violation_error_message=_("A relationship links a company to exactly one "
                                          "facility or one other company."),
            ),
            models.CheckConstraint(
                condition=models.Q(year_start__isnull=True)
                | models.Q(year_end__isnull=True)
                | models.Q(year_start__lte=models.F("year_end")),
                name="relationship_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        target = self.facility or self.object_company
        return f"{self.subject} {self.get_kind_display()} {target}"

    @property
    def period(self) -> str:
        if self.year_start and self.year_end and self.year_start != self.year_end:
            return f"{self.year_start}–{self.year_end}"
        return str(self.year_start or self.year_end or "")
