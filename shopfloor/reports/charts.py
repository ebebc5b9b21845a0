"""Charts of a facility's data as Vega-Lite specs, rendered to SVG on the server.

Each ``*_chart`` function takes the library's data (a
:class:`~shopfloor.facilities.FacilityProfile` or a
:class:`~shopfloor.analysis.wages.WageComparison`) and returns a Vega-Lite spec (a dict), or
``None`` when there is nothing to draw. Labels are translated into the active language when
the spec is built; the spec carries a title and a text ``description`` (used as the image's
alternative text and as the SVG's ``<title>``/``<desc>``). Specs hold their data inline and
name no URL or web font, so :func:`render_svg` needs no network; the SVG suits a web page
(``<img>``) and WeasyPrint alike. Rendered SVGs are cached by the spec's hash.

>>> spec = compliance_chart(facility_profile(facility))  # doctest: +SKIP
>>> svg = render_svg(spec)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import vl_convert as vlc
from django.core.cache import cache
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from shopfloor.models import Finding

if TYPE_CHECKING:
    from shopfloor.analysis.wages import WageComparison
    from shopfloor.facilities import FacilityProfile

#: Width of every chart in CSS pixels: fits a 360 px phone screen with the page's margins.
WIDTH = 336
#: How long a rendered SVG stays in the cache (seconds).
CACHE_SECONDS = 7 * 24 * 3600
#: The page's own font stack: an SVG shown through <img> can only use installed fonts.
FONT = ('system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Khmer", '
        '"Khmer OS", sans-serif')
INK, MUTED, BAD, OK, LINK, LINE = "#1b1f24", "#57606a", "#a40e26", "#1a7f37", "#0550ae", "#d0d7de"

_CONFIG = {
    "font": FONT,
    "aria": False,  # the SVG gets one <title>/<desc> instead (see render_svg)
    "background": "white",
    "view": {"stroke": None},
    "axis": {"labelColor": MUTED, "titleColor": MUTED, "gridColor": "#eaeef2",
             "domainColor": LINE, "tickColor": LINE, "labelFontSize": 11,
             "titleFontSize": 11, "titleFontWeight": "normal"},
    "legend": {"orient": "bottom", "direction": "vertical", "labelFontSize": 11,
               "labelLimit": WIDTH - 40, "title": None},
    "title": {"anchor": "start", "fontSize": 13, "fontWeight": "bold", "color": INK,
              "limit": WIDTH - 8},
}


def _spec(title: str, description: str, height: int, **body) -> dict:
    # The title is not drawn: the page (and a PDF) shows it as the figure's caption, where
    # the reader's fonts shape and wrap it (a Khmer title is wider than the chart). It stays
    # in the SVG as its <title>, for screen readers.
    return {
        "usermeta": {"title": title},
        "description": description,
        "width": WIDTH,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": 6,
        "config": _CONFIG,
        **body,
    }


def compliance_chart(profile: FacilityProfile) -> dict | None:
    """Non-compliant criteria per assessment cycle (bars, with "n of m" on top)."""
    values = []
    several = len(profile.findings) > 1
    for table in profile.findings:
        for i, assessment in enumerate(table.assessments):
            found = [row.cells[i].finding for row in table.rows if row.cells[i].finding]
            assessed = [f for f in found if f.status != Finding.Status.NOT_ASSESSED]
            if not assessed:
                continue
            label = gettext("Cycle %(cycle)s") % {"cycle": assessment.cycle}
            if several:
                label = f"{table.programme} {label}"
            if assessment.assessed_on:
                label = f"{label} ({assessment.assessed_on.year})"
            nc = sum(f.status == Finding.Status.NON_COMPLIANT for f in assessed)
            values.append({"cycle": label, "order": len(values), "nc": nc,
                           "text": gettext("%(nc)s of %(total)s") % {
                               "nc": nc, "total": len(assessed)}})
    if not values:
        return None
    title = gettext("Non-compliant criteria per cycle")
    description = "; ".join(f"{v['cycle']}: {v['text']}" for v in values)
    top = max(v["nc"] for v in values)
    step = max(1, -(-top // 4))
    x = {"field": "cycle", "type": "nominal", "sort": {"field": "order"}, "title": None,
         "axis": {"labelAngle": 0 if len(values) <= 4 else -40, "labelLimit": 90}}
    # whole numbers only, and room above the highest bar for its label
    y = {"field": "nc", "type": "quantitative", "title": gettext("non-compliant"),
         "axis": {"values": list(range(0, top + step + 1, step)), "format": "d"},
         "scale": {"domain": [0, max(top + step, round(top * 1.25))], "nice": False}}
    return _spec(title, f"{title}. {description}.", 200, data={"values": values}, layer=[
        {"mark": {"type": "bar", "color": BAD, "cornerRadiusEnd": 2},
         "encoding": {"x": x, "y": y}},
        {"mark": {"type": "text", "dy": -7, "color": INK, "fontSize": 11},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}}},
    ])


def wages_chart(wages: WageComparison) -> dict | None:
    """The facility's wages by year against the legal minimum and the living-wage
    benchmark (lines; the benchmarks dashed), over the years the facility has a wage."""
    if not wages:
        return None
    wage_label = gettext("Wage at this factory")
    minimum_label = gettext("Legal minimum wage")
    living_label = gettext("Living-wage benchmark")
    metrics = {row.wage.metric_id: row.wage.metric.display_name for row in wages.rows}
    values = []
    for row in sorted(wages.rows, key=lambda r: (r.year, r.wage.pk)):
        series = wage_label if len(metrics) == 1 else metrics[row.wage.metric_id]
        values.append({"year": row.year, "usd": float(row.wage.value_number),
                       "series": series})
    for label, by_year in ((minimum_label, wages.minimum), (living_label, wages.living)):
        values += [{"year": year, "usd": float(by_year[year].value_number), "series": label}
                   for year in wages.years if year in by_year]
    series = list(dict.fromkeys(v["series"] for v in values))
    palette = {minimum_label: BAD, living_label: OK}
    others = iter([LINK, "#8250df", "#bc4c00", "#1b7c83"])
    colours = [palette.get(s) or next(others, INK) for s in series]
    dashed = [[4, 3] if s in palette else [1, 0] for s in series]
    title = gettext("Wages and the legal minimum, USD per month")
    description = "; ".join(
        f"{v['year']} {v['series']}: {v['usd']:g}" for v in values)
    return _spec(title, f"{title}. {description}.", 250, data={"values": values},
                 mark={"type": "line", "point": {"size": 30}, "strokeWidth": 2},
                 encoding={
                     "x": {"field": "year", "type": "quantitative", "title": None,
                           "scale": {"zero": False, "nice": False, "padding": 12},
                           "axis": {"values": _year_ticks(wages.years[0], wages.years[-1],
                                                          middle=False),
                                    "format": "d", "grid": False}},
                     "y": {"field": "usd", "type": "quantitative", "title": "USD",
                           "scale": {"zero": True}},
                     "color": {"field": "series", "type": "nominal",
                               "scale": {"domain": series, "range": colours}},
                     # same field and domain as the colour: one legend shows both
                     "strokeDash": {"field": "series", "type": "nominal",
                                    "scale": {"domain": series, "range": dashed}},
                 })


def buyers_chart(profile: FacilityProfile) -> dict | None:
    """Which brands sourced from the facility in which years (one bar per period)."""
    values = []
    for buyer in profile.buyers:
        for rel in buyer.relationships:
            start, end = rel.year_start or rel.year_end, rel.year_end or rel.year_start
            if start:
                values.append({"brand": buyer.company.name, "start": start, "end": end + 1,
                               "period": rel.period})
    if not values:
        return None
    brands = list(dict.fromkeys(v["brand"] for v in values))
    first, last = min(v["start"] for v in values), max(v["end"] for v in values)
    title = gettext("Buyers by year")
    description = "; ".join(f"{v['brand']}: {v['period']}" for v in values)
    return _spec(title, f"{title}. {description}.", 70 + 24 * len(brands),
                 data={"values": values},
                 mark={"type": "bar", "color": LINK, "cornerRadius": 2, "height": 14},
                 encoding={
                     "y": {"field": "brand", "type": "nominal", "sort": brands,
                           "title": None, "axis": {"labelLimit": 120}},
                     # a bar covers its years whole: a year's tick sits in its middle
                     "x": {"field": "start", "type": "quantitative",
                           "title": pgettext("chart axis", "year"),
                           "scale": {"domain": [first, last], "nice": False, "zero": False},
                           "axis": {"values": _year_ticks(first, last - 1),
                                    "labelExpr": "floor(datum.value)", "grid": False}},
                     "x2": {"field": "end"},
                 })


def _year_ticks(first: int, last: int, middle: bool = True) -> list[float]:
    """At most about six years from ``first`` to ``last`` (at the middle of each year)."""
    step = max(1, -(-(last - first + 1) // 6))
    return [year + (0.5 if middle else 0) for year in range(first, last + 1, step)]


def spec_hash(spec: dict) -> str:
    """SHA-256 of the spec (its data, labels and language included)."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def render_svg(spec: dict) -> str:
    """The spec drawn as SVG, from the cache when the same spec was drawn before."""
    key = f"shopfloor:chart:{spec_hash(spec)}"
    svg = cache.get(key)
    if svg is None:
        svg = _accessible(vlc.vegalite_to_svg(spec), spec)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _accessible(svg: str, spec: dict) -> str:
    """An image role, a <title> and a <desc> right after the opening <svg> tag."""
    end = svg.index(">", svg.index("<svg")) + 1
    opening = svg[:end - 1] + ' role="img">'
    return (f"{opening}<title>{escape(spec['usermeta']['title'])}</title>"
            f"<desc>{escape(spec.get('description', ''))}</desc>{svg[end:]}")


@dataclass
class Chart:
    """A chart of the facility page: its spec, and what the page's <img> needs."""

    name: str
    spec: dict

    @property
    def title(self) -> str:
        return self.spec["usermeta"]["title"]

    @property
    def description(self) -> str:
        return self.spec["description"]

    @property
    def width(self) -> int:
        return self.spec["width"]

    @property
    def height(self) -> int:
        return self.spec["height"]

    @cached_property
    def version(self) -> str:
        """A short hash of the spec, for the image URL (a new URL when the chart changes)."""
        return spec_hash(self.spec)[:16]


#: The facility page's charts: name → function of the profile.
FACILITY_CHARTS = {
    "compliance": compliance_chart,
    "wages": lambda profile: wages_chart(profile.wages),
    "buyers": buyers_chart,
}


def facility_charts(profile: FacilityProfile) -> dict[str, Chart]:
    """The facility's charts that have data, by name (no queries: the profile has it all)."""
    charts = {}
    for name, build in FACILITY_CHARTS.items():
        spec = build(profile)
        if spec is not None:
            charts[name] = Chart(name, spec)
    return charts


# --- charts in PDFs ----------------------------------------------------------------------

#: How many device pixels per CSS pixel a chart drawn as PNG for a PDF has (3: about
#: 220 dpi at the brief's 118 mm).
PDF_PNG_SCALE = 3


def _needs_shaping(text: str) -> bool:
    """Text whose letters combine (Khmer, or any script with combining marks)."""
    return any(0x1780 <= ord(c) <= 0x17FF or 0x19E0 <= ord(c) <= 0x19FF
               or unicodedata.category(c) in ("Mn", "Mc") for c in text)


def _register_khmer_font() -> None:
    """Let vl-convert's renderer (resvg) use Noto Sans Khmer, once per process (it measures
    Khmer labels with it from then on, too)."""
    global _KHMER_FONT_REGISTERED
    if not _KHMER_FONT_REGISTERED:
        from shopfloor.reports.pdf import khmer_font_path

        vlc.register_font_directory(str(khmer_font_path().parent))
        _KHMER_FONT_REGISTERED = True


_KHMER_FONT_REGISTERED = False


def pdf_image_uri(spec: dict) -> str:
    """The chart as a ``data:`` URI for a PDF (WeasyPrint loads nothing else): SVG when its
    labels are in a script whose letters do not combine, else PNG.

    WeasyPrint lays SVG text out one character at a time (``weasyprint/svg/text.py``,
    release 70), which breaks Khmer clusters apart (``ក្នុង`` comes out as separate
    letters on dotted circles). Such a chart is therefore drawn by vl-convert's own renderer,
    which shapes Khmer with Noto Sans Khmer, as a PNG at :data:`PDF_PNG_SCALE` ×."""
    import base64

    svg = render_svg(spec)
    if not _needs_shaping(json.dumps(spec, ensure_ascii=False)):
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    key = f"shopfloor:chart-png:{PDF_PNG_SCALE}:{spec_hash(spec)}"
    png = cache.get(key)
    if png is None:
        _register_khmer_font()
        png = vlc.svg_to_png(svg, scale=PDF_PNG_SCALE)
        cache.set(key, png, CACHE_SECONDS)
    return "data:image/png;base64," + base64.b64encode(png).decode()
