"""Test settings come from the environment, like everywhere else.

The suite runs on SQLite by default; CI runs it again with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopfloor.settings")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", '["testserver", "127.0.0.1", "localhost"]')
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (live_server), which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.conf import settings  # noqa: E402

settings.INSTALLED_APPS  # noqa: B018  (load settings now so pytest-django sets Django up)
