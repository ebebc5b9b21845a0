"""``/api/sources``: where every value comes from."""

from __future__ import annotations

import pytest

from shopfloor.models import Source
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_list_newest_first_with_count_and_filters(client, data):
    body = client.get("/api/sources?limit=2").json()
    assert body["count"] == 6 and len(body["items"]) == 2
    assert body["items"][0]["title"] == "Cambodia facilities"  # published 2024-05-01
    bfc = client.get("/api/sources", {"publisher": "Better Factories Cambodia"}).json()
    assert [s["title"] for s in bfc["items"]] == ["Transparency cycle 2", "Transparency cycle 1"]
    assert client.get("/api/sources?q=wikirate").json()["count"] == 1
    assert client.get("/api/sources?importer=brand-list").json()["count"] == 2


def test_detail_counts_what_the_source_gave(client, data):
    body = client.get(f"/api/sources/{data.oshub.pk}").json()
    assert (body["publisher"], body["url"], body["licence"]) == (
        "Open Supply Hub", "https://opensupplyhub.org/x", "CC-BY-4.0")
    assert (body["retrieved_on"], body["published_on"]) == ("2024-05-02", "2024-05-01")
    assert body["sha256"] == "a" * 64 and body["importer"] == "oshub"
    assert body["contents"]["facility_records"] == 3
    assert body["contents"]["facilities"] == 3
    assert body["contents"]["datapoints"] == 2
    assert client.get(f"/api/sources/{data.bfc2.pk}").json()["contents"]["findings"] == 6


def test_an_organisations_source_is_only_for_its_members(client, union):
    union.source.visibility = Source.Visibility.ORGANISATION
    union.source.save()
    url = f"/api/sources/{union.source.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(union.outsider_token)).status_code == 404
    assert client.get(url, **bearer(union.token)).json()["organisation"] == "Test Federation"
    titles = {s["title"] for s in client.get("/api/sources?limit=500").json()["items"]}
    assert "Our factories" not in titles


def test_source_list_queries_are_bounded(client, data, django_assert_max_num_queries):
    for n in range(30):
        Source.objects.create(publisher="P", title=f"T{n}", file_name=f"{n}.csv")
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/sources?limit=100").json()["items"]) == 36
