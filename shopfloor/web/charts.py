"""The facility page's charts, each an SVG at its own URL.

The page embeds them with ``<img loading="lazy">``, so its HTML never waits for a chart and
works without JavaScript; the data is on the page as tables too. ``?lang=km|en`` draws the
labels in that language (the factory brief's) instead of the reader's. The ETag is the chart
spec's hash (data, labels and language included): a repeat visit gets 304 Not Modified
without the chart being drawn. The page's image URLs carry that hash (``?v=``), so a
browser may keep such a URL's SVG for a day; other URLs are cached for five minutes.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_safe

from shopfloor.facilities import facility_profile
from shopfloor.models import Facility
from shopfloor.reports.charts import FACILITY_CHARTS, Chart, render_svg

#: Seconds a browser may keep a chart whose URL names its version, or any other.
VERSIONED_MAX_AGE = 24 * 3600
MAX_AGE = 300


def _chart(request, pk: int, name: str) -> Chart:
    """The requested chart, built once per request (the ETag and the view share it)."""
    cached = getattr(request, "_shopfloor_chart", None)
    if cached is not None:
        return cached
    build = FACILITY_CHARTS.get(name)
    if build is None:
        raise Http404("no such chart")
    facility = get_object_or_404(Facility, pk=pk, merged_into__isnull=True)
    # ``?lang=km``: the labels in that language (the factory brief's), else the reader's
    lang = request.GET.get("lang", "")
    known = {code for code, _ in settings.LANGUAGES}
    with translation.override(lang) if lang in known else nullcontext():
        spec = build(facility_profile(facility, user=request.user, peers=False))
    if spec is None:
        raise Http404("nothing to draw")
    request._shopfloor_chart = Chart(name, spec)
    return request._shopfloor_chart


def _etag(request, pk: int, name: str) -> str:
    return _chart(request, pk, name).version


@require_safe
@condition(etag_func=_etag)
def facility_chart(request, pk: int, name: str):
    """One chart of a facility as SVG: compliance, wages or buyers; 404 when empty."""
    chart = _chart(request, pk, name)
    response = HttpResponse(render_svg(chart.spec), content_type="image/svg+xml")
    versioned = request.GET.get("v") == chart.version
    patch_cache_control(response, public=True,
                        max_age=VERSIONED_MAX_AGE if versioned else MAX_AGE)
    # the labels follow the reader's language (cookie or browser)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
