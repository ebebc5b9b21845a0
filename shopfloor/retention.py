"""Data minimisation: what Shopfloor keeps only for a while, and deleting it.

Deleting is real deletion (rows are removed, not flagged). The audit log has its own purge,
:func:`shopfloor.audit.purge_expired`; ``shopfloor purge`` runs both.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.utils import timezone

#: Default days a record of a signed-in session is kept, without the setting.
DEFAULT_SESSION_RECORD_RETENTION_DAYS = 90


def session_record_retention_days() -> int:
    """``settings.SESSION_RECORD_RETENTION_DAYS``, default 90."""
    return int(getattr(settings, "SESSION_RECORD_RETENTION_DAYS",
                       DEFAULT_SESSION_RECORD_RETENTION_DAYS))


def _clear_expired_sessions(now: dt.datetime) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if issubclass(store, DatabaseSessionStore):
        deleted, _ = store.get_model_class().objects.filter(expire_date__lt=now).delete()
        return deleted
    store.clear_expired()  # cache or cookie sessions expire by themselves
    return 0


def purge_sessions(days: int | None = None, *, now: dt.datetime | None = None
                   ) -> tuple[int, int]:
    """Delete expired Django sessions, and records of signed-in sessions (``UserSession``)
    unused for ``days`` (default :func:`session_record_retention_days`, see
    :func:`shopfloor.accounts.purge_session_records`). Returns (sessions, records)."""
    from shopfloor.accounts import purge_session_records

    days = session_record_retention_days() if days is None else int(days)
    with transaction.atomic():
        sessions = _clear_expired_sessions(now or timezone.now())
        records = purge_session_records(days)  # keeps sessions still in use
    return sessions, records
