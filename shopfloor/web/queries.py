"""What the pages ask of the database beyond :mod:`shopfloor.facilities`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shopfloor.models import Source

# (related name on Source, label) for everything that points to a source.
_CONTENTS = [
    ("facility_records", _("facility records")),
    ("relationships", _("supply-chain relationships")),
    ("datapoints", _("datapoints")),
    ("assessments", _("assessments")),
    ("findings", _("findings")),
    ("criteria", _("criteria")),
    ("companies", _("companies named")),
]


def source_contents(source: Source) -> list[tuple[str, str, int]]:
    """``(key, label, count)`` of each kind of fact that came from ``source``.

    One query per kind, so a fixed number whatever the size of the source. Facilities are
    counted through the records that describe them.
    """
    rows = [(key, str(label), getattr(source, key).count()) for key, label in _CONTENTS]
    facilities = (
        source.facility_records.exclude(facility=None).values("facility_id").distinct().count()
    )
    rows.insert(1, ("facilities", str(_("facilities described")), facilities))
    return rows
