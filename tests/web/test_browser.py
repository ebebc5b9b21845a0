"""A union leader's phone: find a factory by its Khmer name, read its findings, switch to Khmer.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's live
server. Screenshots go to tests/artifacts/ (not committed).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def phone(browser, live_server):
    """A page at phone size that records every URL it requests."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    # Playwright's sync API runs the test in its own context, where Django opened its own
    # database connection: close it, or PostgreSQL refuses to drop the test database.
    connections.close_all()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready.then(() => true)")  # Khmer, not boxes
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_find_a_factory_by_khmer_name_and_read_it_in_khmer(phone, live_server):
    from tests.web.dataset import CRITERION_1_KM, build

    data = build()
    page = phone
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    font = page.evaluate("getComputedStyle(document.documentElement).fontFamily")
    assert "Shopfloor Khmer" in font  # the stylesheet was served and applied

    # Type part of the Khmer name, submit, pick the only result.
    page.fill("#q", "ស៊ុនរ៉ាយស៍")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=*")
    results = page.locator("ol.results > li")
    assert results.count() == 1
    _shot(page, "phone-search-khmer-name")
    results.first.get_by_role("link").first.click()
    page.wait_for_url(f"**/facilities/{data.sun.pk}/")

    findings = page.locator("table.findings")
    assert findings.is_visible()
    first_row = findings.locator("tbody tr").first
    assert "Workers are paid the minimum wage" in first_row.inner_text()
    latest = first_row.locator("td").first  # the latest cycle comes first
    assert "non-compliant" in latest.inner_text() and latest.is_visible()
    assert latest.bounding_box()["x"] + latest.bounding_box()["width"] <= PHONE["width"]
    assert _fits_the_screen(page)
    _shot(page, "phone-facility-en")

    # Switch to Khmer with the header's form: the same page comes back in Khmer.
    page.locator("form.lang button[value=km]").click()
    page.wait_for_function("document.documentElement.lang === 'km'")
    assert page.url.endswith(f"/facilities/{data.sun.pk}/")
    assert page.get_by_role("heading", name="លទ្ធផលអនុលោមភាព").is_visible()
    assert CRITERION_1_KM in page.locator("table.findings").inner_text()
    assert "មិនអនុលោម" in page.locator("table.findings").inner_text()
    assert _fits_the_screen(page)
    _shot(page, "phone-facility-km")

    # And the choice sticks: the home page is in Khmer too.
    page.get_by_role("link", name="ស្វែងរករោងចក្រ").first.click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == "ស្វែងរករោងចក្រ"
    _shot(page, "phone-home-km")

    server = urlsplit(live_server.url).netloc
    elsewhere = [url for url in page.requested if urlsplit(url).netloc != server]
    assert elsewhere == [], f"requests left the server: {elsewhere}"
    assert any(url.endswith("/static/shopfloor/shopfloor.css") for url in page.requested)
