"""Fixtures for the web tests: the dataset of :mod:`tests.web.dataset`, static files."""

from __future__ import annotations

import pytest


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
