"""Organisations (unions, NGOs, brands) and the people who belong to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FEDERATION = "federation", _("union federation")
        FACTORY_UNION = "factory_union", _("factory union")
        NGO = "ngo", _("NGO / research organisation")
        BRAND = "brand", _("brand")

    name = models.CharField(_("name"), max_length=300, unique=True)
    name_km = models.CharField(_("name in Khmer script"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="affiliates",
        verbose_name=_("federation"),
    )
    facilities = models.ManyToManyField(
        "shopfloor.Facility", blank=True, related_name="organisations",
        help_text=_("For a factory union: the factories where it organises."),
    )
    company = models.ForeignKey(
        "shopfloor.Company", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organisations", help_text=_("For a brand organisation: which brand."),
    )
    is_demo = models.BooleanField(_("fictional demo data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in an organisation. Roles and scopes are enforced by the access rules."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("organisation admin")
        RESEARCHER = "researcher", _("researcher")
        UNION_REP = "union_rep", _("union representative")
        BRAND_VIEWER = "brand_viewer", _("brand viewer")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    facilities = models.ManyToManyField(
        "shopfloor.Facility", blank=True, related_name="+",
        help_text=_("For a union representative: the factories this membership covers."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, db_default=True,
        help_text=_("Untick to cut this member off at once (e.g. a phone was seized): "
                    "their sessions and API tokens stop working."),
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"
