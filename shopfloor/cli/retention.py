"""``shopfloor purge``: delete what is kept only for a while (data minimisation)."""

from __future__ import annotations

import click

from shopfloor.cli import _django, cli


@cli.command()
def purge() -> None:
    """Delete audit events older than AUDIT_RETENTION_DAYS (730), expired sign-in sessions,
    and session records older than SESSION_RECORD_RETENTION_DAYS (90). Run it daily:

        shopfloor purge
    """
    _django()
    from shopfloor.audit import purge_expired
    from shopfloor.retention import purge_sessions

    events = purge_expired()
    sessions, records = purge_sessions()
    click.echo(f"Deleted {events} audit events, {sessions} expired sessions and "
               f"{records} old session records.")
