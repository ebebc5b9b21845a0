"""The review page (people confirm or reject uncertain matches) and watchlist pages.

Login required. Who may review is decided by :func:`shopfloor.access.can_review` alone.
Everything works without JavaScript: decisions are POST forms with CSRF tokens.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopfloor.access import (
    can_export,
    can_review,
    can_see_watchlist,
    knows_of_watchlist,
    reviewable_sources,
    visible_watchlists,
)
from shopfloor.linkage import decisions
from shopfloor.models import FacilityRecord, Source, Watchlist
from shopfloor.watchlists import export_watchlist, watchlist_summary

audit = logging.getLogger("shopfloor.audit")
#: Members of unions and NGOs are not staff, so they sign in here, not in the admin.
login_required = _login_required(login_url="web:login")
PAGE_SIZE = 50
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _queue(request):
    if not can_review(request.user):
        raise PermissionDenied
    queue = decisions.review_queue().filter(source__in=reviewable_sources(request.user))
    source = None
    if request.GET.get("source", "").isdigit():
        source = Source.objects.filter(pk=int(request.GET["source"])).first()
        queue = queue.filter(source=source) if source else queue.none()
    return queue, source


@login_required
def review_queue(request):
    """Records waiting for a person, oldest upload first."""
    queue, source = _queue(request)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "shopfloor/review_queue.html", {
        "page": page, "source": source, "total": queue.count(),
    })


@login_required
def review_record(request, pk: int):
    """One record beside the facility it may be, with the evidence for the score."""
    record = get_object_or_404(
        FacilityRecord.objects.select_related("source", "facility"), pk=pk)
    if not can_review(request.user, record.source):
        raise PermissionDenied
    fac = record.facility
    rows = [
        (_("Name"), record.name, fac.name if fac else ""),
        (_("Other names"), "", ", ".join(fac.all_names[1:]) if fac else ""),
        (_("Address"), record.address, fac.address if fac else ""),
        (_("Country"), record.country, fac.country if fac else ""),
        (_("Open Supply Hub ID"), record.os_id, (fac.os_id or "") if fac else ""),
        (_("BFC ID"), record.bfc_id, (fac.bfc_id or "") if fac else ""),
    ]
    raw = [(k, v) for k, v in (record.raw or {}).items() if v not in ("", None)]
    return render(request, "shopfloor/review_record.html", {
        "record": record, "facility": fac, "rows": [r for r in rows if r[1] or r[2]],
        "raw": raw, "evidence": decisions.evidence_rows(record),
        "is_pending": record.decision == FacilityRecord.Decision.PENDING,
    })


@login_required
@require_POST
def review_decide(request, pk: int):
    """Apply a confirm / reject / new-facility decision, then show the next question."""
    record = get_object_or_404(
        FacilityRecord.objects.select_related("source", "facility"), pk=pk)
    if not can_review(request.user, record.source):
        raise PermissionDenied
    action = request.POST.get("action")
    stale = (record.decision != FacilityRecord.Decision.PENDING
             or str(record.facility_id or "") != request.POST.get("facility", ""))
    if stale and action in ("confirm", "reject"):
        messages.warning(request, _("This record changed since the page was shown; look "
                                    "again."))
        return redirect("web:review_record", pk=record.pk)
    if action == "confirm" and record.facility:
        decisions.confirm(record, record.facility, request.user)
        messages.success(request, _("Confirmed: %(name)s is %(facility)s.")
                         % {"name": record.name, "facility": record.facility.name})
    elif action == "reject" and record.facility:
        name = record.facility.name
        decisions.reject(record, record.facility, request.user)
        messages.success(request, _("Rejected: %(name)s is not %(facility)s.")
                         % {"name": record.name, "facility": name})
        if record.facility_id:  # the next candidate is the next question
            return redirect("web:review_record", pk=record.pk)
    elif action == "new":
        fac = decisions.make_new_facility(record, request.user)
        messages.success(request, _("New facility created: %(facility)s.")
                         % {"facility": fac.name})
    else:
        return HttpResponse(status=400)
    audit.info("review %s record=%s user=%s", action, record.pk, request.user.pk)
    nxt = (decisions.review_queue().filter(source__in=reviewable_sources(request.user))
           .exclude(pk=record.pk).first())
    if nxt is not None:
        return redirect("web:review_record", pk=nxt.pk)
    return redirect("web:review")


@login_required
def watchlist_index(request):
    """The watchlists the user may read."""
    return render(request, "shopfloor/watchlists.html", {
        "watchlists": visible_watchlists(request.user),
    })


def _watchlist(request, pk: int) -> Watchlist:
    watchlist = get_object_or_404(Watchlist.objects.select_related("organisation", "source"),
                                  pk=pk)
    if not knows_of_watchlist(request.user, watchlist):
        raise Http404  # another organisation's list: as if it did not exist
    if not can_see_watchlist(request.user, watchlist):
        raise PermissionDenied  # its own brand viewer
    return watchlist


@login_required
def watchlist_detail(request, pk: int):
    """A watchlist's summary and its rows with their matches."""
    watchlist = _watchlist(request, pk)
    records = (watchlist.source.facility_records.select_related("facility")
               .order_by("row_number"))
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "shopfloor/watchlist.html", {
        "watchlist": watchlist, "summary": watchlist_summary(watchlist), "page": page,
        "can_review": can_review(request.user, watchlist.source),
        "formats": list(EXPORT_TYPES),
        "can_export": can_export(request.user, watchlist),
        "shadow_formats": ("csv", "json", "pdf"),
    })


@login_required
def watchlist_export(request, pk: int, fmt: str):
    """Download everything connected to a watchlist, every value with its source."""
    from shopfloor import audit as audit_log

    watchlist = _watchlist(request, pk)
    if fmt not in EXPORT_TYPES:
        return HttpResponse(status=404)
    if not can_export(request.user, watchlist):
        raise PermissionDenied
    content = export_watchlist(watchlist, fmt, user=request.user)
    audit_log.record("export", request=request, obj=watchlist,
                     organisation=watchlist.organisation_id, what="watchlist", format=fmt)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="watchlist-{watchlist.pk}.{fmt}"'
    return response
