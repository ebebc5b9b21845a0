"""The brand pages: find a brand, and a brand's factories, commitments and overlaps."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from shopfloor.companies import (
    company_profile,
    normalise_query,
    search_companies,
    summarise_companies,
)
from shopfloor.models import Company

PAGE_SIZE = 50


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
        "results": summarise_companies(page.object_list),
        "searching": bool(query or kind),
    })


def company_detail(request, pk: int):
    """One company: owners and brands, factories by year and country, commitments with
    their sources, other brands at the same factories, and every source used."""
    company = get_object_or_404(Company, pk=pk)
    profile = company_profile(company)
    return render(request, "shopfloor/company.html", {
        "company": company,
        "profile": profile,
        "table": profile.year_country,
    })
