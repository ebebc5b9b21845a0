"""Template filters that show stored values in the reader's language."""

from __future__ import annotations

import gettext as gettext_module
from decimal import Decimal
from functools import lru_cache

import pycountry
from django import template
from django.urls import reverse
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, pgettext_lazy

from shopfloor.facilities import province_label
from shopfloor.models import Metric

register = template.Library()


@lru_cache(maxsize=8)
def _iso3166(language: str):
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@register.filter
def country_name(code: str) -> str:
    """``KH`` → Cambodia / កម្ពុជា; an unknown code is shown as it is."""
    country = pycountry.countries.get(alpha_2=(code or "").upper()) if code else None
    if country is None:
        return code or ""
    name = getattr(country, "common_name", None) or country.name
    translated = _iso3166(get_language() or "en").gettext(country.name)
    return name if translated == country.name else translated


@register.filter
def province_name(name: str) -> str:
    return province_label(name)


# Units that sources commonly give, shown in the reader's language; others as stored.
UNITS = {
    "workers": pgettext_lazy("unit", "workers"),
    "people": pgettext_lazy("unit", "people"),
    "members": pgettext_lazy("unit", "members"),
    "days": pgettext_lazy("unit", "days"),
    "hours": pgettext_lazy("unit", "hours"),
    "cases": pgettext_lazy("unit", "cases"),
}


@register.filter
def number(value) -> str:
    """A number with the active language's separators, grouped: 12,345.5 or 12.345,5."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value.normalize()
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=get_format("NUMBER_GROUPING") or 3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def unit_label(unit: str) -> str:
    label = UNITS.get(unit.strip().lower())
    return str(label) if label is not None else unit


@register.filter
def datapoint_value(datapoint) -> str:
    """The value with its unit: ``4,120 workers``, ``78.5 %``, ``204 USD``, or the text."""
    if datapoint.value_number is None:
        return datapoint.value_text
    shown = number(datapoint.value_number)
    unit = datapoint.metric.unit
    if datapoint.metric.value_type == Metric.ValueType.PERCENT and unit in ("", "%", "percent"):
        return f"{shown} %"
    return f"{shown} {unit_label(unit)}".strip()


@register.filter
def metric_name(metric) -> str:
    """The metric's name in Khmer when the page is in Khmer and the metric has one."""
    return metric.display_name


@register.filter
def criterion_text(criterion) -> str:
    """The criterion in Khmer when the page is in Khmer and a translation exists."""
    return criterion.display_text


@register.filter
def osm_url(facility) -> str:
    """A plain link to the coordinates on openstreetmap.org (nothing is embedded)."""
    if facility.lat is None or facility.lng is None:
        return ""
    lat, lng = f"{facility.lat:.5f}", f"{facility.lng:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}"


@register.simple_tag
def source_link(source, label=None):
    """A link to a source's page, its title on hover; labelled with the publisher and
    year unless ``label`` is given."""
    if label is None:
        label = source.publisher
        if source.published_on:
            label = f"{label} {source.published_on.year}"
    title = gettext("Source: %(title)s") % {"title": source.title}
    return format_html(
        '<a class="src" href="{}" title="{}">{}</a>',
        reverse("web:source", args=[source.pk]), title, label,
    )


@register.filter
def metadata_labels(kinds) -> str:
    """The kinds of metadata removed from an evidence file's copies, in the reader's
    language, joined by commas."""
    from shopfloor.evidence.media import METADATA_LABELS

    return ", ".join(str(METADATA_LABELS.get(k, k)) for k in kinds or ())


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (``None`` when missing)."""
    return mapping.get(key) if mapping else None


@register.filter
def in_language(labels: dict, language: str) -> str:
    """A form label in ``language`` (``{"en": ..., "km": ...}``), else English, else any."""
    labels = labels or {}
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), "")
