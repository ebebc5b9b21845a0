"""A union leader's journey on a cheap phone, in English and in Khmer.

Home → switch language with the site's buttons → type a factory's Khmer-script name →
submit → tap the factory → read its compliance findings → tap a source → the source page
shows its publisher and licence. On a 360×740 touch screen (device scale factor 2), in
Debian's Chromium through Playwright, against pytest-django's live server.

On every page: nothing is requested from any host but the server, and nothing scrolls
sideways (tables may scroll inside their own scrollable wrapper, which does not widen the
page). The language chosen once is remembered on the following pages (Django's language
cookie). Screenshots of each step go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
OTHER = {"en": "km", "km": "en"}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



class Journey:
    """A phone's page, with what it requested and a numbered screenshot per step."""

    def __init__(self, page, language: str):
        self.page = page
        self.language = language
        self.requested: list[str] = []
        self.step = 0
        page.on("request", lambda request: self.requested.append(request.url))

    def check(self, name: str) -> None:
        """The page fits 360 px (tables scroll inside their wrappers); then a screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready.then(() => true)")
        if self.language == "km":  # this machine has no Khmer font: the site's own is used
            assert page.evaluate("document.fonts.check('16px \"Shopfloor Khmer\"', 'ខ្មែរ')"), (
                f"{name}: the Khmer font did not load")
        width = page.evaluate("document.documentElement.scrollWidth")
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"journey-{self.language}-{self.step}-{name}.png"),
                        full_page=True)
        assert width <= WIDTH + 1, f"{name}: the page scrolls sideways ({width} px wide)"


def _expected(language: str, *messages: str) -> list[str]:
    with translation.override(language):
        return [gettext(m) for m in messages]


@pytest.mark.parametrize("language", ["en", "km"])
def test_journey_on_a_phone(browser, live_server, language):
    from tests.web.dataset import CRITERION_1_KM, SUN_RISE_KM, build

    data = build()
    # The phone asks for the other language first, so the site's button really switches.
    context = browser.new_context(**PHONE, locale={"en": "km-KH", "km": "en-US"}[language])
    page = context.new_page()
    page.set_default_timeout(10_000)
    journey = Journey(page, language)
    try:
        # Home, in the phone's language; switch with the header's button.
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == OTHER[language]
        page.locator(f"form.lang button[value={language}]").tap()
        page.wait_for_function(f"document.documentElement.lang === '{language}'")
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookies.get("django_language") == language
        journey.check("home")

        # Type the factory's Khmer-script name and submit (Enter on the phone's keyboard).
        search = page.locator("#q")
        search.tap()
        search.fill(SUN_RISE_KM)
        search.press("Enter")
        factory_link = page.locator(f"a[href$='/facilities/{data.sun.pk}/']").first
        factory_link.wait_for(state="visible")
        # the choice is remembered: the next page comes in the chosen language
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator(f"a[href$='/facilities/{data.golden.pk}/']").count() == 0
        journey.check("search-results")

        # Tap the factory; read its compliance findings.
        factory_link.tap()
        page.wait_for_url(f"**/facilities/{data.sun.pk}/")
        assert page.locator("html").get_attribute("lang") == language
        criterion_text, status_text = {
            "en": ("Workers are paid the minimum wage", "non-compliant"),
            "km": (CRITERION_1_KM, _expected("km", "non-compliant")[0]),
        }[language]
        findings = page.locator("table.findings")
        row = findings.locator("tbody tr", has_text=criterion_text).first
        row.scroll_into_view_if_needed()
        assert row.locator("th").first.is_visible()
        assert criterion_text in row.locator("th").first.inner_text()
        latest = row.locator("td").first  # the latest cycle comes first
        assert latest.is_visible() and status_text in latest.inner_text()
        box = latest.bounding_box()
        assert box["x"] + box["width"] <= WIDTH, "the latest finding is off the screen"
        journey.check("factory")

        # Tap a source (the cycle-2 report in the page's list of sources).
        source_link = page.locator(f"#sources a[href$='/sources/{data.bfc2.pk}/']").first
        source_link.scroll_into_view_if_needed()
        source_link.tap()
        page.wait_for_url(f"**/sources/{data.bfc2.pk}/")
        assert page.locator("html").get_attribute("lang") == language
        publisher_label, licence_label = _expected(language, "Publisher", "Licence")
        identity = page.locator("dl.identity")
        publisher = identity.locator("dt", has_text=publisher_label).first
        assert publisher.is_visible()
        assert "Better Factories Cambodia" in identity.inner_text()
        assert identity.locator("dt", has_text=licence_label).first.is_visible()
        assert "CC-BY-4.0" in identity.inner_text()
        journey.check("source")

        server = urlsplit(live_server.url).netloc
        elsewhere = [url for url in journey.requested
                     if urlsplit(url).scheme not in ("data", "blob")
                     and urlsplit(url).netloc != server]
        assert elsewhere == [], f"third-party requests: {elsewhere}"
        assert any("/static/" in url for url in journey.requested)  # the check saw requests
    finally:
        context.close()
        # Playwright's sync API ran the test where Django opened its own connection.
        connections.close_all()
