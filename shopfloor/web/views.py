"""The public pages: search, a facility's evidence, a source's provenance."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers

from shopfloor import search
from shopfloor.facilities import (
    facility_profile,
    normalise_query,
    province_label,
    provinces,
    search_facilities,
    summarise,
)
from shopfloor.models import Facility, Source
from shopfloor.web.queries import source_contents

PAGE_SIZE = 50


def home(request):
    """Search form and the matching facilities (all of them when nothing is asked).

    Live search (htmx) asks for the same URL with an ``HX-Request`` header: only the
    results are sent then. Without JavaScript the form submits and the whole page comes.
    """
    query = normalise_query(request.GET.get("q", ""))[:200]
    province = request.GET.get("province", "").strip()[:100]
    brand = " ".join(request.GET.get("brand", "").split())[:100]
    found = search_facilities(query, province, brand=brand)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in (("q", query), ("province", province), ("brand", brand)) if v}
    context = {
        "query": query,
        "province": province,
        "brand": brand,
        "page": page,
        "results": summarise(page.object_list, request.user),
        "searching": bool(query or province or brand),
        # a common word: only the best MAX_IDS are kept (see shopfloor.search)
        "capped": getattr(found, "capped", False),
        "limit": search.MAX_IDS,
        "csv_url": "/api/facilities?" + urlencode({**params, "format": "csv"}),
    }
    partial = (request.headers.get("HX-Request") == "true"
               and request.headers.get("HX-History-Restore-Request") != "true")
    if partial:
        response = render(request, "shopfloor/_results.html", context)
    else:
        context["provinces"] = sorted(((p, province_label(p)) for p in provinces()),
                                      key=lambda c: c[1])
        response = render(request, "shopfloor/home.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def facility_detail(request, pk: int):
    """One facility: identity, buyers, facts, findings over cycles, and their sources."""
    facility = get_object_or_404(Facility, pk=pk)
    if facility.merged_into_id is not None:  # a merged duplicate: its id keeps resolving
        from shopfloor.linkage.merge import resolve

        return redirect("web:facility", pk=resolve(pk).pk, permanent=True)
    return render(request, "shopfloor/facility.html", {
        "facility": facility,
        "profile": facility_profile(facility, user=request.user),
        **_union_evidence(request.user, facility),
    })


def _union_evidence(user, facility) -> dict:
    """What the factory page shows of union evidence: suppressed aggregates to those who
    may see them (brand viewers of a buyer, members, the unions), and links to the
    workspaces the reader works in. Nothing for the anonymous public."""
    from shopfloor.access import can_read_workspace, can_see_workspace_aggregates
    from shopfloor.evidence.aggregates import facility_aggregates

    if not can_see_workspace_aggregates(user, facility):
        return {}
    from shopfloor.access import can_see_survey_results
    from shopfloor.models import SurveyForm

    unions = [org for org in facility.organisations.all()
              if can_read_workspace(user, org, facility)]
    surveys = [form for form in SurveyForm.objects.filter(submissions__facility=facility)
               .distinct().select_related("organisation")
               if can_see_survey_results(user, form, facility)]
    return {"union_aggregates": facility_aggregates(facility), "workspaces": unions,
            "surveys": surveys}


def source_detail(request, pk: int):
    """Where facts came from: the document, its dates and licence, and what it gave.
    A source the reader may not read does not exist for them (404); reading a restricted
    one is audited."""
    from shopfloor import audit
    from shopfloor.access import visible_sources

    source = get_object_or_404(
        visible_sources(request.user).select_related("organisation"), pk=pk)
    if source.visibility == Source.Visibility.RESTRICTED:
        audit.record("evidence.read", request=request, obj=source,
                     organisation=source.organisation_id)
    return render(request, "shopfloor/source.html", {
        "source": source,
        "contents": source_contents(source),
    })
