"""Drafts that survive a dropped connection.

Workspace forms carry ``data-draft="<key>"``; ``static/shopfloor/drafts.js`` keeps what is
typed (never files) in the phone's own storage under that key and puts it back when the
form is opened again, so a form lost to a dropped connection is not lost to the worker. A
successful save clears the draft: the view calls :func:`saved`, and the next page tells
the script which drafts to forget (``<body data-clear-drafts="...">``). Signing out clears
every draft. Drafts stay on the phone and are never sent anywhere until the form is sent.
"""

from __future__ import annotations

_SESSION_KEY = "shopfloor_saved_drafts"


def saved(request, key: str) -> None:
    """The form ``key`` was saved: its draft can go."""
    keys = request.session.get(_SESSION_KEY, [])
    if key not in keys:
        request.session[_SESSION_KEY] = [*keys, key][-10:]


def pop_saved(request) -> str:
    """The drafts to clear on this page (space-separated), forgotten once read."""
    session = getattr(request, "session", None)
    if session is None or _SESSION_KEY not in session:
        return ""
    return " ".join(session.pop(_SESSION_KEY))
