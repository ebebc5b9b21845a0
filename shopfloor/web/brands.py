"""The brand pages: find a brand, and a brand's factories, commitments and overlaps."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from shopfloor.access import sources_q
from shopfloor.companies import company_profile, search_companies, summarise_companies
from shopfloor.facilities import normalise_query
from shopfloor.models import Company

PAGE_SIZE = 50


def _visible(request) -> Q:
    """Which sources' facts the page shows: those the reader may read (the one rule in
    :func:`shopfloor.access.sources_q`; published ones only for anonymous readers)."""
    return sources_q(request.user)


def company_list(request):
    """Search form and the matching companies with how many factories each sources from."""
    query = normalise_query(request.GET.get("q", ""))[:200]
    kind = request.GET.get("kind", "").strip()
    if kind not in Company.Kind.values:
        kind = ""
    page = Paginator(search_companies(query, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "shopfloor/companies.html", {
        "query": query,
        "kind": kind,
        "kinds": Company.Kind.choices,
        "page": page,
        "results": summarise_companies(page.object_list, _visible(request)),
        "searching": bool(query or kind),
        # the same list from the API, as CSV (exports need a signed-in, audited reader)
        "csv_url": "/api/companies?" + urlencode(
            {k: v for k, v in (("q", query), ("kind", kind)) if v} | {"format": "csv"}),
    })


def company_detail(request, pk: int):
    """One company: owners and brands, factories by year and country, commitments with
    their sources, other brands at the same factories, and every source used."""
    company = get_object_or_404(Company, pk=pk)
    profile = company_profile(company, visible=_visible(request))
    return render(request, "shopfloor/company.html", {
        "company": company,
        "profile": profile,
        "table": profile.year_country,
    })
