"""The audit log page: who did what sensitive thing, for organisation admins and staff.

Read-only: there is no way to change or delete an event here (or anywhere, see
:mod:`shopfloor.audit`). Looking at the log is itself recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from shopfloor import audit
from shopfloor.access import can_view_audit

login_required = _login_required(login_url="web:login")
PAGE_SIZE = 50


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _filtered(request, events):
    """Apply the ``action``, ``user``, ``since`` and ``until`` filters of the query."""
    filters = {
        "action": request.GET.get("action", "").strip()[:40],
        "user": request.GET.get("user", "").strip()[:150],
        "since": _day(request.GET.get("since", "")),
        "until": _day(request.GET.get("until", "")),
    }
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["user"]:
        events = events.filter(actor_name__iexact=filters["user"])
    tz = timezone.get_current_timezone()
    if filters["since"]:
        events = events.filter(at__gte=datetime.combine(filters["since"], time.min, tz))
    if filters["until"]:
        events = events.filter(at__lte=datetime.combine(filters["until"], time.max, tz))
    return events, filters


@never_cache
@require_safe
@login_required
def audit_log(request):
    """The events the signed-in admin may read, newest first, 50 a page."""
    if not can_view_audit(request.user):
        raise PermissionDenied
    visible = audit.visible_events(request.user)
    events, filters = _filtered(request, visible)
    page = Paginator(events.order_by("-at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    audit.record("audit.view", request=request, page=page.number,
                 filters={k: str(v) for k, v in filters.items() if v})
    query = urlencode({k: str(v) for k, v in filters.items() if v})
    return render(request, "shopfloor/audit.html", {
        "page": page,
        "filters": filters,
        "query": query,
        "actions": sorted(set(visible.values_list("action", flat=True).distinct())),
    })
