"""The factory page stays light enough for a cheap phone on a prepaid data plan.

Budget: the HTML plus every stylesheet and script it references, each gzip-compressed as it
goes over the wire (GZipMiddleware for the page, WhiteNoise's compressed copies for static
files), at most 100 KB. Fonts and images (charts are <img> URLs) are not counted: they load
after the text and the phone may skip them. Measured on a heavy factory page: four BFC cycles
of 21 criteria, ten buyers, eight metrics over five years.

And the page works without JavaScript: in Chromium with JavaScript off the findings table and
the links to the sources are there.
"""

from __future__ import annotations

import gzip
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

BUDGET = 100 * 1024
FONT_OR_IMAGE = (".woff", ".woff2", ".ttf", ".otf", ".eot", ".png", ".jpg", ".jpeg", ".gif",
                 ".svg", ".webp", ".avif", ".ico")


class _Assets(HTMLParser):
    """Stylesheets (<link rel=stylesheet>) and scripts (<script src>) a page references."""

    def __init__(self):
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split():
            self.stylesheets.append(attrs.get("href") or "")
        elif tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            elif (attrs.get("type") or "text/javascript").lower() in (
                    "text/javascript", "module", "application/javascript"):
                self._in_script = True

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def _gzipped(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9))  # what WhiteNoise's .gz copies hold


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def heavy_factory():
    """A factory with everything a page can show: 4 BFC cycles × 21 criteria, buyers, facts."""
    from shopfloor.models import (
        Assessment,
        Company,
        Criterion,
        Datapoint,
        Facility,
        FacilityRecord,
        Finding,
        Metric,
        Relationship,
        Source,
    )

    osh = Source.objects.create(publisher="Open Supply Hub", title="Facilities",
                                url="https://opensupplyhub.org/", licence="CC-BY-4.0")
    facility = Facility.objects.create(
        name="Grand Mekong Garment (Cambodia) Co., Ltd.", name_km="រោងចក្រ មេគង្គធំ ហ្គាមិន",
        other_names=["GRAND MEKONG", "មេគង្គធំ", "Grand Mekong Apparel"], country="KH",
        province="Kandal", address="Street 21, Sangkat Prek Ho, Ta Khmau", os_id="KH2021001ABCDEF",
        bfc_id="BFC-9001", lat=11.48, lng=104.95,
    )
    FacilityRecord.objects.create(source=osh, row_number=2, name=facility.name, country="KH",
                                  facility=facility, decision="new", match_score=1.0)
    for b in range(10):
        company = Company.objects.create(name=f"Brand {b:02d} International")
        for year in (2021, 2023):
            src = Source.objects.create(publisher=company.name, title=f"Suppliers {year}",
                                        file_name=f"b{b}-{year}.xlsx")
            Relationship.objects.create(subject=company, kind="sources_from", facility=facility,
                                        year_start=year, year_end=year + 1, source=src)
    survey = Source.objects.create(publisher="Wikirate", title="Workers and wages",
                                   url="https://wikirate.org/w")
    points = []
    for m in range(8):
        metric = Metric.objects.create(code=f"metric_{m}", name=f"Metric number {m}",
                                       topic=["demographics", "wages", "osh", "foa"][m % 4],
                                       value_type="number", unit="workers")
        points += [Datapoint(metric=metric, facility=facility, year=2020 + y,
                             value_number=1000 + 37 * y + m, source=survey) for y in range(5)]
    Datapoint.objects.bulk_create(points)
    bfc = [Source.objects.create(publisher="Better Factories Cambodia",
                                 title=f"Transparency Portal cycle {c}",
                                 url=f"https://betterfactories.org/c{c}") for c in range(1, 5)]
    criteria = [Criterion.objects.create(
        code=str(n), cluster="Compensation", source=bfc[0],
        text=f"Critical issue number {n}: workers are paid what the law requires",
        text_km="កម្មករទទួលបានប្រាក់ឈ្នួលតាមច្បាប់ លេខ " + str(n)) for n in range(1, 22)]
    findings = []
    for c in range(4):
        assessment = Assessment.objects.create(facility=facility, cycle=c + 1, source=bfc[c],
                                               assessed_on=date(2020 + c, 3, 1))
        findings += [Finding(
            assessment=assessment, criterion=criterion, source=bfc[c],
            status=["compliant", "non_compliant", "compliant", "not_assessed"][(n + c) % 4],
            detail="Overtime was not paid at the legal rate." if (n + c) % 4 == 1 else "",
        ) for n, criterion in enumerate(criteria)]
    Finding.objects.bulk_create(findings)
    return facility


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "km"])
def test_factory_page_transfers_at_most_100_kb(client, language):
    facility = heavy_factory()
    client.cookies["django_language"] = language
    url = f"/facilities/{facility.pk}/"
    page = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200
    body = _body(page)
    if page.get("Content-Encoding") == "gzip":
        html = gzip.decompress(body)
        sizes = {url: len(body)}
    else:
        html = body
        sizes = {url: _gzipped(body)}
    text = html.decode()
    assert "Critical issue number 21" in text or "លេខ 21" in text  # the whole table is there

    assets = _Assets()
    assets.feed(text)
    assert assets.stylesheets, "the page references no stylesheet: the parser missed it"
    for ref in [*assets.stylesheets, *assets.scripts]:
        target = urljoin(url, ref)
        parts = urlsplit(target)
        assert parts.netloc in ("", "testserver"), f"asset from another host: {ref}"
        if parts.path.lower().endswith(FONT_OR_IMAGE):
            continue
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, f"{ref}: HTTP {response.status_code}"
        sizes[parts.path] = _gzipped(_body(response))

    total = sum(sizes.values())
    breakdown = ", ".join(f"{path} {size / 1024:.1f} KB" for path, size in sizes.items())
    assert total <= BUDGET, f"factory page is {total / 1024:.1f} KB gzipped: {breakdown}"



@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_factory_page_works_without_javascript(browser, live_server):
    from django.db import connections

    from tests.web.dataset import build

    data = build()
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        response = page.goto(f"{live_server.url}/facilities/{data.sun.pk}/")
        assert response.status == 200
        findings = page.locator("table.findings")
        assert findings.count() == 1 and findings.is_visible()
        assert "Workers are paid the minimum wage" in findings.inner_text()
        assert "non-compliant" in findings.inner_text()
        sources = page.locator("a[href*='/sources/']")
        assert sources.count() >= 3
        assert page.locator(f"a[href$='/sources/{data.bfc2.pk}/']").first.is_visible()
        # a source link leads somewhere without JavaScript too
        page.locator(f"#sources a[href$='/sources/{data.bfc2.pk}/']").click()
        page.wait_for_url(f"**/sources/{data.bfc2.pk}/")
        assert "Better Factories Cambodia" in page.locator("main").inner_text()
    finally:
        context.close()
        connections.close_all()
