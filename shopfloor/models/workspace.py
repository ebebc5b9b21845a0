"""What every record of the union workspace shares: whose it is, where, who wrote it.

Workers' own evidence (issues raised at the PICC, cases, membership counts, files) belongs to
the union that recorded it and to one factory. Several unions often organise at the same
factory, some of them close to management, so a record is readable only by its own union
(and that union's federation), never by another union at the same factory. The rules are in
:mod:`shopfloor.access` (``workspace_q``, ``can_read_workspace``, ``can_write_workspace``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkspaceRecord(models.Model):
    """Abstract base: the owning union, the factory, who recorded it and when.

    Factories and organisations are protected: a factory that has union evidence is never
    deleted by a source deletion (it is flagged ``provenance_lost`` instead, see
    :mod:`shopfloor.provenance`), and an organisation cannot be deleted while it owns
    evidence (delete the evidence first, deliberately).
    """

    organisation = models.ForeignKey(
        "shopfloor.Organisation", on_delete=models.PROTECT, related_name="%(class)s_records",
        verbose_name=_("union"),
    )
    facility = models.ForeignKey(
        "shopfloor.Facility", on_delete=models.PROTECT, related_name="%(class)s_records",
        verbose_name=_("factory"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)

    class Meta:
        abstract = True

    @property
    def provenance(self) -> dict:
        """Where this record came from, in the same shape as a published source's
        citation: the union is the publisher, the record is the row."""
        return {
            "publisher": self.organisation.name,
            "title": str(self._meta.verbose_name),
            "location": f"shopfloor:{self._meta.model_name}/{self.pk}",
            "retrieved_on": self.created_at.date() if self.created_at else None,
            "licence": "union's own evidence (not published)",
            "row": self.pk,
        }


class WorkersAffected(models.Model):
    """Abstract: how many women and men something affects (unknown stays empty, never 0)."""

    workers_female = models.PositiveIntegerField(_("women affected"), null=True, blank=True)
    workers_male = models.PositiveIntegerField(_("men affected"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def workers_total(self) -> int | None:
        """Women plus men affected; ``None`` when neither is known."""
        if self.workers_female is None and self.workers_male is None:
            return None
        return (self.workers_female or 0) + (self.workers_male or 0)
