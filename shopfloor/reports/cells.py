"""How values are written in Shopfloor's CSV exports, and the filter for public facts.

>>> number_text(Decimal("254.2500")), iso_date(None), bool_text(True)
('254.25', '', 'true')
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from shopfloor.models import Source

PUBLIC = Source.Visibility.PUBLIC
#: Rows fetched from the database at a time when streaming an export.
CHUNK = 2000


def public_q(prefix: str = "") -> Q:
    """Rows whose source (reached by ``prefix``, e.g. ``"source__"``) is public."""
    return Q(**{f"{prefix}visibility": PUBLIC})


def iso_date(value) -> str:
    """A date as ``YYYY-MM-DD``, ``""`` for none."""
    return value.isoformat() if value else ""


def number_text(value) -> str:
    """A number as written in a CSV: ``Decimal("1250.0000")`` → ``"1250"``, no exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize() if value % 1 else value.to_integral_value()
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)


def bool_text(value) -> str:
    """``"true"`` or ``"false"`` (Table Schema's boolean)."""
    return "true" if value else "false"
