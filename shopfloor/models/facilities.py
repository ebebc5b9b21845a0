"""Factories: the canonical Facility and the FacilityRecords sources give of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Facility(models.Model):
    """One real factory, as Shopfloor knows it after matching the sources' records."""

    name = models.CharField(_("name"), max_length=300)
    name_km = models.CharField(_("name in Khmer script"), max_length=300, blank=True)
    other_names = models.JSONField(
        _("other names"), default=list, blank=True,
        help_text=_("Further names and spellings seen in sources, any script."),
    )
    address = models.TextField(_("address"), blank=True)
    country = models.CharField(_("country (ISO code)"), max_length=2)
    province = models.CharField(_("province"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    # NULL, not "", for "no id": the unique constraints below must let many facilities lack one
    os_id = models.CharField(_("Open Supply Hub ID"), max_length=15,  # noqa: DJ001
                             null=True, blank=True)
    bfc_id = models.CharField(_("Better Work / BFC ID"), max_length=40,  # noqa: DJ001
                              null=True, blank=True)
    is_closed = models.BooleanField(_("closed"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged",
        verbose_name=_("merged into"),
        help_text=_("Set when this facility turned out to be a duplicate: its records and "
                    "facts moved to that facility, and its id keeps resolving to it."),
    )
    provenance_lost = models.BooleanField(
        _("provenance lost"), default=False,
        help_text=_("Every source that described this facility was deleted; its remaining "
                    "facts come from other sources. Review or delete it."),
    )
    search_key = models.TextField(
        _("search key"), blank=True, default="", db_default="", editable=False,
        help_text=_("Every name, normalised and romanised, for search "
                    "(kept up to date by shopfloor.search)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]
        # Declared here rather than with db_index/unique on the fields: PostgreSQL then skips
        # the extra LIKE-pattern index per column, which a million-row import pays for.
        indexes = [
            models.Index(fields=["country"], name="facility_country"),
            models.Index(fields=["province"], name="facility_province"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["os_id"], name="unique_facility_os_id"),
            models.UniqueConstraint(fields=["bfc_id"], name="unique_facility_bfc_id"),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lng__isnull=True)
                | models.Q(lat__isnull=False, lng__isnull=False, lat__gte=-90, lat__lte=90,
                           lng__gte=-180, lng__lte=180),
                name="facility_coordinates_valid",
                violation_error_message=_("Latitude and longitude go together and must be "
                                          "valid coordinates."),
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""), name="facility_has_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def all_names(self) -> list[str]:
        names = [self.name, self.name_km, *self.other_names]
        seen: list[str] = []
        for name in names:
            if name and name not in seen:
                seen.append(name)
        return seen


class FacilityRecord(models.Model):
    """One row about a factory as one source gives it, raw fields kept.

    Matching links it to a canonical :class:`Facility` with a score and a decision.
    """

    class Decision(models.TextChoices):
        AUTOMATIC = "automatic", _("automatic match")
        CONFIRMED = "confirmed", _("confirmed by a person")
        REJECTED = "rejected", _("rejected by a person")
        PENDING = "pending", _("pending review")
        NEW = "new", _("new facility")

    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="facility_records",
        db_index=False,  # the unique (source, row_number) index serves lookups by source
    )
    row_number = models.PositiveIntegerField(
        _("row"), null=True, blank=True, help_text=_("Row in the source file (1 = header).")
    )
    raw = models.JSONField(_("raw fields"), default=dict, help_text=_("The row as read."))
    name = models.CharField(_("name"), max_length=300)
    address = models.TextField(_("address"), blank=True)
    country = models.CharField(_("country (ISO code)"), max_length=2, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    os_id = models.CharField(max_length=15, blank=True)
    bfc_id = models.CharField(max_length=40, blank=True)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    match_score = models.FloatField(_("match score"), null=True, blank=True)
    match_evidence = models.JSONField(
        _("match evidence"), default=dict, db_default={}, blank=True,
        help_text=_("Why the matcher scored the candidate as it did (feature values, "
                    "other candidates), shown to reviewers."),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("facility record")
        verbose_name_plural = _("facility records")
        ordering = ["source_id", "row_number"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision__in=["automatic", "confirmed", "new"])
                | models.Q(facility__isnull=False),
                name="matched_record_has_facility",
                violation_error_message=_("An automatic or confirmed match must name its "
                                          "facility."),
            ),
            models.CheckConstraint(
                condition=models.Q(match_score__isnull=True)
                | models.Q(match_score__gte=0, match_score__lte=1),
                name="match_score_between_0_and_1",
            ),
            models.UniqueConstraint(
                fields=["source", "row_number"], name="one_record_per_source_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.source_id}:{self.row_number})"
