"""The discrepancy page and the shadow-report download.

``/discrepancies/`` lists, for the factories whose union evidence the reader may read
(:func:`shopfloor.access.evidence_facilities`, optionally narrowed to one watchlist), where
the published findings disagree with that evidence: the reader's own unions' records only,
each with links to the records. Reading it is recorded (``evidence.read``).

``/watchlists/<pk>/shadow-report.<csv|json|pdf>`` downloads the shadow report
(:mod:`shopfloor.reports.shadow`) for those who may export the watchlist
(:func:`shopfloor.access.can_export`); union evidence is counted only at the factories
whose aggregates the reader may see. Every download is in the audit log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shopfloor import audit
from shopfloor.access import (
    can_export,
    can_see_workspace_aggregates,
    evidence_facilities,
    workspace_q,
)
from shopfloor.analysis.discrepancies import find_discrepancies
from shopfloor.models import Case, MonitoringIssue
from shopfloor.reports import scope
from shopfloor.reports.shadow import FORMATS, shadow_report
from shopfloor.reports.shadow import render as render_report
from shopfloor.web.review import _watchlist, login_required

#: The shadow-report formats offered for download.
DOWNLOADS = ("csv", "json", "pdf")


def _readable_facilities(user):
    """Factories whose union evidence ``user`` reads and where there is some to read."""
    issues = MonitoringIssue.objects.filter(workspace_q(user)).values("facility")
    cases = Case.objects.filter(workspace_q(user)).values("facility")
    return (evidence_facilities(user).filter(Q(pk__in=issues) | Q(pk__in=cases))
            .order_by("name", "pk"))


@login_required
def discrepancy_list(request):
    """Where published findings and the reader's unions' evidence disagree, by factory."""
    facilities = _readable_facilities(request.user)
    watchlist = None
    if request.GET.get("watchlist"):
        try:
            pk = int(request.GET["watchlist"])
        except ValueError:
            raise Http404 from None
        watchlist = _watchlist(request, pk)
        facilities = facilities.filter(pk__in=scope.watchlist_facilities(watchlist)
                                       .values("pk"))
    found = find_discrepancies(facilities, user=request.user)
    if found:
        audit.record("evidence.read", request=request, obj=watchlist,
                     what="discrepancies", discrepancies=len(found),
                     facilities=len({d.facility.pk for d in found}))
    groups: dict[int, dict] = {}
    for d in found:
        groups.setdefault(d.facility.pk, {"facility": d.facility, "items": []})["items"].append(d)
    return render(request, "shopfloor/discrepancies.html", {
        "groups": list(groups.values()), "watchlist": watchlist, "count": len(found),
        "can_export": watchlist is not None and can_export(request.user, watchlist),
        "downloads": DOWNLOADS,
    })


@login_required
def shadow_report_download(request, pk: int, fmt: str):
    """A watchlist's shadow report as CSV, JSON or PDF, safe to publish."""
    watchlist = _watchlist(request, pk)
    if fmt not in DOWNLOADS:
        raise Http404
    if not can_export(request.user, watchlist):
        raise PermissionDenied
    facilities = list(scope.watchlist_facilities(watchlist))
    counted = [f for f in facilities if can_see_workspace_aggregates(request.user, f)]
    report = shadow_report(facilities, evidence_at=counted,
                           title=_("Shadow report: %(name)s") % {"name": watchlist.name})
    content = render_report(report, fmt)
    audit.record("export", request=request, obj=watchlist,
                 organisation=watchlist.organisation_id, what="shadow-report", format=fmt,
                 factories=len(facilities), evidence_at=len(counted),
                 discrepancies=len(report.discrepancies))
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (f'attachment; filename="shadow-report-'
                                       f'{watchlist.pk}.{fmt}"')
    return response
