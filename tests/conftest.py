"""Test settings come from the environment, like everywhere else.

The suite runs on SQLite by default; CI runs it again with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopfloor.settings")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", '["testserver", "127.0.0.1", "localhost"]')
# The test client and the live server speak plain HTTP; HTTPS redirects are tested with
# settings built in tests/test_config.py.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (live_server), which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.conf import settings  # noqa: E402

settings.INSTALLED_APPS  # noqa: B018  (load settings now so pytest-django sets Django up)


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in rate limits count in Django's cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def verified_login():
    """``verified_login(client, user)``: sign in past the password and the second factor
    (see :mod:`tests.auth`)."""
    from tests.auth import verified_login as login

    return login


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's ``admin_client``, past the second factor staff must use."""
    from tests.auth import verified_login as login

    login(client, admin_user)
    return client
