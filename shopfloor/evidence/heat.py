"""Heat at the workstation: the heat index from temperature and humidity, and when it is
too hot.

Workers measure with cheap thermometer-hygrometers. The heat index ("feels like") is the US
National Weather Service's formula (Rothfusz' regression with its two adjustments, and
Steadman's simpler formula below 80 °F), computed in °F and given in °C. The levels are the
Weather Service's: caution from 26.7 °C (80 °F), extreme caution from 32.2 °C (90 °F), danger
from 39.4 °C (103 °F), extreme danger from 51.7 °C (125 °F). A reading is flagged from
``settings.HEAT_INDEX_ALERT_C`` (default 32.2 °C, extreme caution). Source:
https://www.wpc.ncep.noaa.gov/html/heatindex_equation.shtml and
https://www.weather.gov/ama/heatindex.

>>> round(heat_index(33, 70), 1)  # 33 °C at 70 % humidity feels like
43.5
>>> level(43.5)
'danger'
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

#: (level, lowest heat index in °C), from the hottest.
LEVELS = (("extreme_danger", 51.7), ("danger", 39.4), ("extreme_caution", 32.2),
          ("caution", 26.7))
LEVEL_LABELS = {
    "extreme_danger": _("extreme danger: heat stroke likely"),
    "danger": _("danger: heat cramps and exhaustion likely"),
    "extreme_caution": _("extreme caution: heat cramps and exhaustion possible"),
    "caution": _("caution: fatigue possible with work"),
    "": _("below the caution level"),
}


def _f(celsius: float) -> float:
    return celsius * 9 / 5 + 32


def _c(fahrenheit: float) -> float:
    return (fahrenheit - 32) * 5 / 9


def heat_index(temperature_c: float | Decimal, humidity_pct: float | Decimal) -> float:
    """The heat index in °C for an air temperature (°C) and relative humidity (%)."""
    t, rh = _f(float(temperature_c)), float(humidity_pct)
    simple = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094)
    if (simple + t) / 2 < 80:
        return _c(simple)
    hi = (-42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh
          - 6.83783e-3 * t * t - 5.481717e-2 * rh * rh + 1.22874e-3 * t * t * rh
          + 8.5282e-4 * t * rh * rh - 1.99e-6 * t * t * rh * rh)
    if rh < 13 and 80 <= t <= 112:
        hi -= ((13 - rh) / 4) * math.sqrt((17 - abs(t - 95)) / 17)
    elif rh > 85 and 80 <= t <= 87:
        hi += ((rh - 85) / 10) * ((87 - t) / 5)
    return _c(hi)


def level(index_c: float) -> str:
    """The Weather Service's level for a heat index in °C ("" below caution)."""
    for name, lowest in LEVELS:
        if index_c >= lowest:
            return name
    return ""


def alert_threshold() -> float:
    return float(getattr(settings, "HEAT_INDEX_ALERT_C", 32.2))


def is_alert(index_c: float) -> bool:
    """Whether a heat index reaches the configured alert threshold."""
    return index_c >= alert_threshold()


def reading_summary(reading) -> dict:
    """A reading with its heat index (°C, one decimal), level and whether it is flagged."""
    index = heat_index(reading.temperature_c, reading.humidity_pct)
    return {"reading": reading, "heat_index": round(index, 1), "level": level(index),
            "level_label": LEVEL_LABELS[level(index)], "alert": is_alert(index)}
