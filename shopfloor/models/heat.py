"""Heat readings: temperature and humidity measured at workstations by the union."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkspaceRecord


class HeatReading(WorkspaceRecord):
    """One measurement at one place in the factory. The heat index (how hot it feels) is
    computed from the two values (:func:`shopfloor.evidence.heat.heat_index`)."""

    taken_at = models.DateTimeField(_("measured at"))
    place = models.CharField(_("where"), max_length=120,
                             help_text=_("Line, workstation or floor, e.g. 'sewing line 4'."))
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    humidity_pct = models.DecimalField(_("relative humidity (%)"), max_digits=4,
                                       decimal_places=1)
    instrument = models.CharField(_("thermometer"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("heat reading")
        verbose_name_plural = _("heat readings")
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temperature_c__gte=-10, temperature_c__lte=60),
                name="heat_temperature_plausible",
                violation_error_message=_("A temperature between -10 and 60 °C."),
            ),
            models.CheckConstraint(
                condition=models.Q(humidity_pct__gte=0, humidity_pct__lte=100),
                name="heat_humidity_percent",
                violation_error_message=_("Relative humidity is between 0 and 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.temperature_c} °C, {self.humidity_pct} % at {self.place}"
