"""Fixtures for the web tests: the dataset of :mod:`tests.web.dataset`, static files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Debian's Chromium, driven by Playwright (which cannot download browsers here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Chromium for the browser tests; skipped without it, except on CI (``CI`` set), where
    a missing browser fails the run rather than hiding the tests."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve CSS without a collectstatic manifest (tests run with DEBUG off)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_first(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def data(db):
    """Three facilities; the first with buyers, facts and two BFC cycles."""
    from tests.web.dataset import build

    return build()


@pytest.fixture
def demo_source(db):
    """A source flagged as fictional demo data (switches the demo banner on)."""
    from tests.web.dataset import demo_source

    return demo_source()
