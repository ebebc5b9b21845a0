"""What people decided about matches, remembered so nobody is asked the same question twice,
and watchlists: an organisation's own list of factories."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchDecision(models.Model):
    """A person's verdict that a record (as identified by its fingerprint: normalised name,
    address and country) is, or is not, a given facility. Re-uploads reuse it."""

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", _("is this facility")
        REJECTED = "rejected", _("is not this facility")

    fingerprint = models.CharField(_("record fingerprint"), max_length=64, db_index=True)
    facility = models.ForeignKey(
        "shopfloor.Facility", on_delete=models.CASCADE, related_name="match_decisions"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    record = models.ForeignKey(
        "shopfloor.FacilityRecord", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="match_decisions", help_text=_("The record the decision was made on."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "facility"],
                                    name="one_decision_per_fingerprint_and_facility"),
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint[:8]} {self.verdict} {self.facility_id}"


class Watchlist(models.Model):
    """A named list of factories an organisation follows ("our 66 facilities"): the rows of
    one uploaded facility list, matched to the registry."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "shopfloor.Organisation", null=True, blank=True, on_delete=models.CASCADE,
        related_name="watchlists",
    )
    source = models.ForeignKey(
        "shopfloor.Source", on_delete=models.CASCADE, related_name="watchlists",
        help_text=_("The uploaded list; its facility records are the watchlist's rows."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_watchlist"),
        ]

    def __str__(self) -> str:
        return self.name
