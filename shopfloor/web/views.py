"""The public pages: search, a facility's evidence, a source's provenance."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

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
    """Search form and the matching facilities (all of them when nothing is asked)."""
    query = normalise_query(request.GET.get("q", ""))[:200]
    province = request.GET.get("province", "").strip()[:100]
    page = Paginator(search_facilities(query, province), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    choices = sorted(((p, province_label(p)) for p in provinces()), key=lambda c: c[1])
    return render(request, "shopfloor/home.html", {
        "query": query,
        "province": province,
        "provinces": choices,
        "page": page,
        "results": summarise(page.object_list),
        "searching": bool(query or province),
    })


def facility_detail(request, pk: int):
    """One facility: identity, buyers, facts, findings over cycles, and their sources."""
    facility = get_object_or_404(Facility, pk=pk)
    if facility.merged_into_id is not None:  # a merged duplicate: its id keeps resolving
        from shopfloor.linkage.merge import resolve

        return redirect("web:facility", pk=resolve(pk).pk, permanent=True)
    return render(request, "shopfloor/facility.html", {
        "facility": facility,
        "profile": facility_profile(facility),
    })


def source_detail(request, pk: int):
    """Where facts came from: the document, its dates and licence, and what it gave."""
    source = get_object_or_404(Source.objects.select_related("organisation"), pk=pk)
    return render(request, "shopfloor/source.html", {
        "source": source,
        "contents": source_contents(source),
    })
