"""``/api/facilities``: search, one facility, its findings, buyers and datapoints."""

from __future__ import annotations

import pytest

from shopfloor.models import Datapoint, Facility, Source
from tests import factories as f
from tests.web.dataset import SUN_RISE_KM

pytestmark = pytest.mark.django_db


def _get(client, url, params=None, **kw):
    response = client.get(url, params, **kw)
    assert response.status_code == 200, response.content
    return response.json()


def test_search_gives_size_and_compliance_with_their_sources(client, data):
    body = _get(client, "/api/facilities", {"q": "ស៊ុន"})
    assert body["count"] == 1
    sun = body["items"][0]
    assert (sun["id"], sun["name_km"], sun["province"]) == (data.sun.pk, SUN_RISE_KM, "Kandal")
    assert sun["workers"]["value"] == 3200 and sun["workers"]["year"] == 2023
    assert sun["workers"]["source"]["id"] == data.survey.pk
    assert sun["workers"]["source"]["publisher"] == "Wikirate"
    assert sun["workers"]["source"]["href"] == f"/api/sources/{data.survey.pk}"
    compliance = sun["compliance"]
    assert (compliance["cycle"], compliance["non_compliant"], compliance["assessed"]) == (2, 1, 3)
    assert compliance["source"]["title"] == "Transparency cycle 2"


def test_search_filters_and_a_facility_without_facts(client, data):
    assert [i["name"] for i in _get(client, "/api/facilities?province=Phnom+Penh")["items"]] \
        == ["Golden Thread Apparel"]
    assert _get(client, "/api/facilities?country=TH")["count"] == 0
    assert _get(client, "/api/facilities?country=kh")["count"] == 3
    angkor = _get(client, "/api/facilities?q=angkor")["items"][0]
    assert angkor["is_closed"] is True
    assert angkor["workers"] is None and angkor["compliance"] is None


def test_pagination_counts_every_match(client, data):
    first = _get(client, "/api/facilities?limit=2")
    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (3, 2, 0, 2)
    rest = _get(client, "/api/facilities?limit=2&offset=2")
    assert len(rest["items"]) == 1
    assert {i["id"] for i in first["items"] + rest["items"]} == {
        data.sun.pk, data.golden.pk, data.angkor.pk}
    assert _get(client, "/api/facilities?offset=99")["items"] == []
    assert client.get("/api/facilities?limit=501").status_code == 422
    assert client.get("/api/facilities?limit=0").status_code == 422


def test_list_queries_do_not_grow_with_the_page(client, data, django_assert_max_num_queries):
    src = f.source()
    workers = f.metric("workers_total")
    for n in range(40):
        fac = f.facility(src)
        Datapoint.objects.create(metric=workers, facility=fac, year=2024, value_number=n + 1,
                                 source=src)
    with django_assert_max_num_queries(6):
        body = _get(client, "/api/facilities?limit=100")
    assert body["count"] == 43 and len(body["items"]) == 43


def test_awkward_input_is_refused_or_ignored_not_a_server_error(client, data):
    assert _get(client, "/api/facilities", {"q": "sun\x00rise"})["count"] >= 0
    assert client.get("/api/facilities/99999999999999999999999").status_code == 422
    assert client.get(f"/api/facilities/{2**63 - 1}").status_code == 404
    assert client.get("/api/facilities/0").status_code == 422
    assert client.get(f"/api/facilities?offset={10**12}").status_code == 422


def test_detail_has_identity_records_counts_and_sources(client, data):
    body = _get(client, f"/api/facilities/{data.sun.pk}")
    assert body["name"] == "Sun Rise Garment Co., Ltd."
    assert body["other_names"] == ["SRG Factory", "ស៊ុនរះ"]
    assert body["resolved_from"] is None
    assert [(r["row_number"], r["source"]["id"]) for r in body["records"]] == [
        (2, data.oshub.pk)]
    assert body["counts"] == {"buyers": 2, "relationships": 2, "datapoints": 4, "findings": 6}
    assert body["links"]["findings"] == f"/api/facilities/{data.sun.pk}/findings"
    assert {s["id"] for s in body["sources"]} == {
        data.oshub.pk, data.brand_list.pk, data.brand_b_list.pk, data.bfc1.pk, data.bfc2.pk,
        data.survey.pk}
    assert client.get("/api/facilities/987654").status_code == 404
    assert client.get("/api/facilities/987654").json() == {"detail": "Not found."}


def test_a_merged_id_answers_with_the_facility_it_became(client, data):
    dup = Facility.objects.create(name="Sun Rise (duplicate)", country="KH",
                                  merged_into=data.sun)
    older = Facility.objects.create(name="Sun Rise (older duplicate)", country="KH",
                                    merged_into=dup)
    body = _get(client, f"/api/facilities/{older.pk}")
    assert (body["id"], body["resolved_from"]) == (data.sun.pk, older.pk)
    findings = _get(client, f"/api/facilities/{dup.pk}/findings")
    assert findings["count"] == 6
    assert dup.pk not in [i["id"] for i in _get(client, "/api/facilities")["items"]]


def test_findings_newest_cycle_first_with_change_and_source(client, data):
    body = _get(client, f"/api/facilities/{data.sun.pk}/findings")
    items = body["items"]
    assert [(i["cycle"], i["criterion"]["code"]) for i in items] == [
        (2, "1"), (2, "2"), (2, "10"), (1, "1"), (1, "2"), (1, "10")]
    assert [i["change"] for i in items[:3]] == ["worse", "better", ""]
    assert items[0]["status"] == "non_compliant"
    assert items[0]["source"]["id"] == data.bfc2.pk
    assert items[-1]["source"]["url"] == "https://betterfactories.org/c1"
    page = _get(client, f"/api/facilities/{data.sun.pk}/findings?limit=4&offset=4")
    assert page["count"] == 6 and len(page["items"]) == 2


def test_relationships_most_recent_first_with_sources(client, data):
    items = _get(client, f"/api/facilities/{data.sun.pk}/relationships")["items"]
    assert [(i["company"]["name"], i["period"]) for i in items] == [
        ("Brand B", "2024"), ("Brand A", "2021–2023")]
    assert items[1]["source"]["file_name"] == "brand-a-2023.xlsx"
    assert items[1]["company"]["href"] == f"/api/companies/{data.brand_a.pk}"


def test_datapoints_with_values_and_sources(client, data):
    items = _get(client, f"/api/facilities/{data.sun.pk}/datapoints")["items"]
    workers = [i for i in items if i["metric"]["code"] == "workers_total"]
    assert [(i["year"], i["value_number"], i["source"]["id"]) for i in workers] == [
        (2023, 3200, data.survey.pk), (2022, 3050, data.oshub.pk)]
    assert workers[0]["verification"] == "community"
    wage = next(i for i in items if i["metric"]["code"] == "wage_avg")
    assert wage["value_number"] == 254.25 and wage["metric"]["unit"] == "USD"


def test_facts_from_a_restricted_source_are_left_out_for_the_public(client, data):
    data.survey.visibility = Source.Visibility.RESTRICTED
    data.survey.save()
    items = _get(client, f"/api/facilities/{data.sun.pk}/datapoints")["items"]
    assert {i["source"]["id"] for i in items} == {data.oshub.pk}
    sun = _get(client, "/api/facilities?q=sun")["items"][0]
    # the latest headcount is the restricted survey's: the public reader gets the latest
    # one it may read instead
    assert sun["workers"]["source"]["id"] == data.oshub.pk
    assert data.survey.pk not in {s["id"] for s in
                                  _get(client, f"/api/facilities/{data.sun.pk}")["sources"]}
    from django.contrib.auth import get_user_model

    from shopfloor.api.tokens import create_token

    staff = get_user_model().objects.create_user("steward", is_staff=True)
    token = create_token(staff, "tests")[1]
    items = _get(client, f"/api/facilities/{data.sun.pk}/datapoints",
                 HTTP_AUTHORIZATION=f"Bearer {token}")["items"]
    assert data.survey.pk in {i["source"]["id"] for i in items}
