"""``/api/companies``: brands and what is known about them, built on shopfloor.companies."""

from __future__ import annotations

import pytest

from shopfloor.models import Company, Relationship
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_search_with_factory_counts(client, data):
    data.brand_a.aliases = ["Marque A"]
    data.brand_a.save()
    data.brand_a.sources.add(data.brand_list)
    body = client.get("/api/companies", {"q": "marque"}).json()
    assert body["count"] == 1
    brand = body["items"][0]
    assert (brand["name"], brand["factories"], brand["latest_year"]) == ("Brand A", 2, 2023)
    assert [s["id"] for s in brand["sources"]] == [data.brand_list.pk]
    assert client.get("/api/companies?kind=retailer").json()["count"] == 0
    assert client.get("/api/companies?kind=nonsense").json()["count"] == 2


def test_detail_suppliers_with_sources_and_overlaps(client, data):
    body = client.get(f"/api/companies/{data.brand_a.pk}").json()
    suppliers = {s["facility"]["name"]: s for s in body["suppliers"]}
    sun = suppliers["Sun Rise Garment Co., Ltd."]
    assert sun["years"] == [2023, 2022, 2021]
    assert sun["relationships"][0]["source"]["id"] == data.brand_list.pk
    assert sun["facility"]["href"] == f"/api/facilities/{data.sun.pk}"
    assert [o["company"]["name"] for o in body["overlaps"]] == ["Brand B"]
    assert body["overlaps"][0]["sources"][0]["id"] == data.brand_b_list.pk
    assert data.brand_list.pk in {s["id"] for s in body["all_sources"]}
    assert client.get("/api/companies/999999").status_code == 404


def test_ownership(client, data):
    group = f.company(name="Holding Group", kind=Company.Kind.GROUP)
    Relationship.objects.create(subject=group, kind="owns_brand", object_company=data.brand_a,
                                year_start=2020, source=data.brand_list)
    body = client.get(f"/api/companies/{data.brand_a.pk}").json()
    assert [o["company"]["name"] for o in body["owners"]] == ["Holding Group"]
    owned = client.get(f"/api/companies/{group.pk}").json()["owned_brands"]
    assert owned[0]["company"]["id"] == data.brand_a.pk
    assert owned[0]["relationships"][0]["source"]["title"] == "Brand A supplier list 2023"


def test_suppliers_list_paginates(client, data):
    body = client.get(f"/api/companies/{data.brand_a.pk}/suppliers?limit=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert body["items"][0]["source"]["publisher"] == "Brand A"


def test_list_queries_are_bounded(client, data, django_assert_max_num_queries):
    src = f.source()
    for _ in range(30):
        f.company(src)
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/companies?limit=100").json()["items"]) == 32
