"""Metrics (what is measured) and datapoints (one value, for one facility or company)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Metric(models.Model):
    class Topic(models.TextChoices):
        DEMOGRAPHICS = "demographics", _("demographics")
        WAGES = "wages", _("wages")
        FOA = "foa", _("freedom of association")
        CBA = "cba", _("collective bargaining")
        OSH = "osh", _("occupational safety and health")
        TRANSPARENCY = "transparency", _("transparency")
        RIGHTS = "rights", _("labour rights")
        OTHER = "other", _("other")

    class ValueType(models.TextChoices):
        NUMBER = "number", _("number")
        PERCENT = "percent", _("percentage")
        MONEY = "money", _("money")
        CATEGORY = "category", _("category")
        TEXT = "text", _("text")

    class Subject(models.TextChoices):
        FACILITY = "facility", _("facility")
        COMPANY = "company", _("company")
        COUNTRY = "country", _("country")

    code = models.SlugField(_("code"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_km = models.CharField(_("name in Khmer"), max_length=300, blank=True, default="",
                               db_default="")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value_type = models.CharField(_("value type"), max_length=10, choices=ValueType.choices)
    subject = models.CharField(
        _("applies to"), max_length=10, choices=Subject.choices, default=Subject.FACILITY
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["topic", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.name_km:
            self.name_km = KHMER_NAMES.get(self.code, "")
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name in the active language: Khmer when the reader reads Khmer and the metric
        has a Khmer name, else the name as published."""
        if (get_language() or "").startswith("km") and self.name_km:
            return self.name_km
        return self.name


#: Khmer names of the metrics Shopfloor's importers and demo create, by code: filled in when
#: such a metric is created (and by migration 0006 for existing ones). Metrics a source
#: brings (Wikirate's) get a Khmer name through the admin.
KHMER_NAMES = {
    "workers_total": "ចំនួនកម្មករសរុប",
    "line_workers": "កម្មករខ្សែសង្វាក់ផលិតកម្ម",
    "workers_female_pct": "កម្មករស្រី (%)",
    "workers_migrant_pct": "កម្មករចំណាកស្រុក (%)",
    "workers_band": "ចំនួនកម្មករ (ចន្លោះ)",
    "avg_monthly_wage_usd": "ប្រាក់ឈ្នួលប្រចាំខែជាមធ្យម",
    "cba_coverage_pct": "កម្មករដែលកិច្ចព្រមព្រៀងរួមគ្របដណ្ដប់",
    "has_cba": "មានកិច្ចព្រមព្រៀងការចរចារួមកំពុងអនុវត្ត",
    "union_present": "មានសហជីពនៅរោងចក្រ",
    "union_members": "សមាជិកសហជីព",
    "minimum_wage_monthly": "ប្រាក់ឈ្នួលអប្បបរមាតាមច្បាប់ (វិស័យកាត់ដេរ)",
    "living_wage_benchmark_monthly": "កម្រិតប្រាក់ឈ្នួលសមរម្យ",
    "transparency_score": "ពិន្ទុតម្លាភាពខ្សែសង្វាក់ផ្គត់ផ្គង់",
    "living_wage_grade": "ចំណាត់ថ្នាក់ការប្ដេជ្ញាប្រាក់ឈ្នួលសមរម្យ",
    "has_foa_policy": "មានគោលនយោបាយសេរីភាពក្នុងការបង្កើតសមាគម",
    "publishes_supplier_list": "បោះពុម្ពផ្សាយបញ្ជីអ្នកផ្គត់ផ្គង់",
}


class Datapoint(models.Model):
    """One value of one metric, for one facility, company or country, in one year/period."""

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("unverified")
        COMMUNITY = "community", _("community-verified")
        STEWARD = "steward", _("steward-verified")
        DISPUTED = "disputed", _("disputed")

    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="datapoints")
    facility = models.ForeignKey(
        "shopfloor.Facility", null=True, blank=True, on_delete=models.CASCADE,
        related_name="datapoints",
    )
    company = models.ForeignKey(
        "shopfloor.Company", null=True, blank=True, on_delete=models.CASCADE,
        related_name="datapoints",
    )
    country = models.CharField(_("country (ISO code)"), max_length=2, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    value_number = models.DecimalField(
        _("value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    value_text = models.TextField(_("value (text)"), blank=True)
    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="datapoints"
    )
    citation = models.CharField(_("citation"), max_length=300, blank=True,
                                help_text=_("Row, page or answer link in the source."))
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )

    class Meta:
        verbose_name = _("datapoint")
        verbose_name_plural = _("datapoints")
        ordering = ["metric", "-year"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(facility__isnull=False, company__isnull=True, country="")
                    | models.Q(facility__isnull=True, company__isnull=False, country="")
                    | (models.Q(facility__isnull=True, company__isnull=True)
                       & ~models.Q(country=""))
                ),
                name="datapoint_has_one_subject",
                violation_error_message=_("A datapoint is about exactly one facility, company "
                                          "or country."),
            ),
            models.CheckConstraint(
                condition=models.Q(value_number__isnull=False) | ~models.Q(value_text=""),
                name="datapoint_has_value",
                violation_error_message=_("A datapoint needs a value; a missing value is not "
                                          "stored as zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=False) | models.Q(period_start__isnull=False),
                name="datapoint_has_time",
                violation_error_message=_("A datapoint needs a year or a period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric.code}={self.value} ({self.year})"

    @property
    def value(self):
        number = self.value_number
        if number is not None:
            return number.normalize() if number % 1 else int(number)
        return self.value_text
