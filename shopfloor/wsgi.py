"""WSGI entry point for deployments: ``gunicorn shopfloor.wsgi``."""

import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopfloor.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load what the first searches would otherwise wait for (see
    :func:`shopfloor.search.warm_up`) while the server starts taking requests."""
    from django.db import connection

    from shopfloor.search import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001,S110 - a cold start is slower, never broken
        pass
    finally:
        connection.close()


if os.environ.get("SHOPFLOOR_WARM_UP", "true").lower() not in ("0", "false", "no"):
    threading.Thread(target=_warm_up, name="shopfloor-warm-up", daemon=True).start()
