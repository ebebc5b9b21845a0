"""The factory brief as a page and as a PDF download: thin layers over
:mod:`shopfloor.reports.brief`.

``/facilities/<pk>/brief/?union=<organisation pk>&lang=km`` shows the brief; ``brief.pdf``
with the same parameters downloads it. ``lang`` (``km`` or ``en``) is optional: the page's
language otherwise. Anyone gets the published parts. ``union`` adds that union's evidence
when the reader reads its workspace at the factory; asked of a reader who is not signed in,
it sends them to sign in first (a rep whose session ended gets their evidence, not a brief
silently without it); anyone else gets the published parts only, as if no union had been
asked for. Reading a brief with union evidence is audited (``evidence.read``), and every PDF
download (``export``, format ``pdf``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shopfloor import audit
from shopfloor.models import Facility, Organisation
from shopfloor.reports.brief import (
    LANGUAGES,
    FactoryBrief,
    brief_html,
    brief_pdf,
    factory_brief,
)


class _BadRequest(Exception):
    pass


def _parameters(request) -> tuple[str | None, str]:
    """``(lang or None, union id or "")`` from the query string, checked."""
    lang = request.GET.get("lang", "").strip().lower() or None
    if lang is not None and lang not in LANGUAGES:
        raise _BadRequest(_("lang must be km or en."))
    union = request.GET.get("union", "").strip()
    if union and not union.isdigit():
        raise _BadRequest(_("union must be an organisation's number."))
    return lang, union


def _prepare(request, pk: int, route: str):
    """The brief asked for, or the response to send instead (a redirect, an error)."""
    facility = get_object_or_404(Facility, pk=pk)
    if facility.merged_into_id is not None:
        from shopfloor.linkage.merge import resolve

        target = reverse(route, args=[resolve(pk).pk])
        query = request.GET.urlencode()
        return None, redirect(f"{target}?{query}" if query else target, permanent=True)
    try:
        lang, union_id = _parameters(request)
    except _BadRequest as exc:
        return None, HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    if union_id and not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path(), "web:login")
    union = Organisation.objects.filter(pk=int(union_id)).first() if union_id else None
    return factory_brief(facility, user=request.user, union=union, language=lang), None


def _query(brief: FactoryBrief, **override) -> str:
    params = {"lang": brief.language}
    if brief.produced_for:
        params["union"] = brief.produced_for.pk
    params.update(override)
    return urlencode(params)


@require_safe
def facility_brief(request, pk: int):
    """The factory brief as a page: the same document as the PDF, in the app's styling."""
    brief, response = _prepare(request, pk, "web:facility_brief")
    if response is not None:
        return response
    facility = brief.facility
    if brief.has_union_evidence:
        audit.record("evidence.read", request=request, obj=facility,
                     organisation=brief.produced_for, what="factory brief")
    other = "en" if brief.language == "km" else "km"
    with translation.override(brief.language):
        response = render(request, "shopfloor/reports/brief_page.html", {
            "brief": brief,
            "body": brief_html(brief),
            "pdf_url": reverse("web:facility_brief_pdf", args=[facility.pk]) + "?"
            + _query(brief),
            "other_url": reverse("web:facility_brief", args=[facility.pk]) + "?"
            + _query(brief, lang=other),
            "other_lang": other,
            "union_left_out": bool(request.GET.get("union")) and not brief.has_union_evidence,
        })
    if brief.has_union_evidence:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


@require_safe
def facility_brief_pdf(request, pk: int):
    """The factory brief as a PDF download (audited)."""
    brief, response = _prepare(request, pk, "web:facility_brief_pdf")
    if response is not None:
        return response
    content = brief_pdf(brief)
    audit.record("export", request=request, obj=brief.facility,
                 organisation=brief.produced_for, format="pdf", what="factory brief",
                 language=brief.language, union_evidence=brief.has_union_evidence,
                 bytes=len(content))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"factory-brief-{brief.facility.pk}-{brief.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # never from a cache: every download is in the audit log
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
