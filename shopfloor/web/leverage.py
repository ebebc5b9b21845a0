"""The buyer-leverage pack of a case: as a page, and as a ZIP to download.

Thin layers over :mod:`shopfloor.reports.leverage`: only readers of the case's union
workspace reach them (anyone else gets 404, as for the case itself); the page is audited
as a read of union evidence, the download as an export (by the library).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from shopfloor import audit
from shopfloor.models import Case
from shopfloor.reports.leverage import PackNotAllowed, leverage_pack, leverage_zip
from shopfloor.web.review import login_required
from shopfloor.web.workspace import record_or_404


def _pack(request, pk: int):
    case = record_or_404(request, Case, pk)
    language = request.GET.get("lang") or translation.get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    try:
        return leverage_pack(case, user=request.user, language=language)
    except PackNotAllowed as e:
        raise Http404 from e


@login_required
def case_leverage(request, pk: int):
    """The pack as a page: brands, their evidence and commitments, laws, letters."""
    pack = _pack(request, pk)
    audit.record("evidence.read", request=request, obj=pack.record,
                 organisation=pack.organisation.pk, what="leverage pack",
                 brands=len(pack.buyers))
    return render(request, "shopfloor/workspace/leverage.html", {
        "pack": pack, "case": pack.record, "web": True})


@login_required
def case_leverage_zip(request, pk: int):
    """The pack as a ZIP: pack.pdf, facts.csv, letters/, evidence/ (shared copies only)."""
    pack = _pack(request, pk)
    data = leverage_zip(pack, request=request)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="leverage-case-{pack.record.pk}-{pack.language}.zip"')
    response["Cache-Control"] = "private, no-store"
    return response
