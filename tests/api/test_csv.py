"""``format=csv``: the same rows as the list, every matching item, with provenance columns,
streamed, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from shopfloor.api.csv import cell
from shopfloor.models import Facility, FacilityRecord
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_facilities_csv_has_every_match_with_the_sources_of_its_values(client, union, data):
    rows = _rows(client.get("/api/facilities?format=csv&limit=1", **bearer(union.token)))
    assert [r["name"] for r in rows] == ["Angkor Knit", "Golden Thread Apparel",
                                         "Sun Rise Garment Co., Ltd."]
    sun = rows[2]
    assert (sun["workers"], sun["workers_year"]) == ("3200", "2023")
    assert sun["workers_source_id"] == str(data.survey.pk)
    assert (sun["workers_publisher"], sun["workers_source_url"], sun["workers_licence"]) == (
        "Wikirate", "https://wikirate.org/w", "CC-BY-4.0")
    assert sun["compliance_source_title"] == "Transparency cycle 2"
    assert sun["non_compliant"] == "1" and sun["assessed"] == "3"
    assert rows[0]["workers_source_id"] == ""
    golden = _rows(client.get("/api/facilities?format=csv&province=Phnom+Penh",
                              **bearer(union.token)))
    assert [r["os_id"] for r in golden] == ["KH2019555WXYZ"]
    assert golden[0]["workers_retrieved_on"] == "2024-05-02"


def test_a_facilitys_lists_as_csv(client, union, data):
    rows = _rows(client.get(f"/api/facilities/{data.sun.pk}/findings?format=csv",
                            **bearer(union.token)))
    assert len(rows) == 6
    assert (rows[0]["cycle"], rows[0]["criterion_code"], rows[0]["status"],
            rows[0]["change"]) == ("2", "1", "non_compliant", "worse")
    assert rows[0]["source_id"] == str(data.bfc2.pk)
    assert rows[0]["source_url"] == "https://betterfactories.org/c2"
    datapoints = _rows(client.get(f"/api/facilities/{data.sun.pk}/datapoints?format=csv",
                                  **bearer(union.token)))
    assert {(r["metric_code"], r["value_number"], r["source_title"]) for r in datapoints} >= {
        ("workers_total", "3200.0", "Workers and wages")}
    relationships = _rows(client.get(
        f"/api/facilities/{data.sun.pk}/relationships?format=csv", **bearer(union.token)))
    assert [(r["company_name"], r["publisher"]) for r in relationships] == [
        ("Brand B", "Brand B"), ("Brand A", "Brand A")]


def test_formulas_are_escaped(client, union, data):
    for name in ("=HYPERLINK(\"http://evil\")", "+1 Garment", "-2+3 Garment", "@SUM(A1)"):
        fac = Facility.objects.create(name=name, country="KH")
        FacilityRecord.objects.create(source=data.oshub, row_number=fac.pk + 100, name=name,
                                      country="KH", facility=fac, decision="confirmed")
    rows = _rows(client.get("/api/facilities?format=csv", **bearer(union.token)))
    names = {r["name"] for r in rows}
    assert {"'=HYPERLINK(\"http://evil\")", "'+1 Garment", "'-2+3 Garment",
            "'@SUM(A1)"} <= names
    assert not any(n[:1] in "=+-@" for n in names)
    assert (cell(-5), cell(3.5), cell("Kandal"), cell("\t=1"), cell(None)) == (
        -5, 3.5, "Kandal", "'\t=1", "")


def test_watchlist_evidence_csv_keeps_the_union_lists_rows_safe(client, union, data):
    response = client.get(f"/api/watchlists/{union.watchlist.pk}/evidence?format=csv",
                          **bearer(union.token))
    rows = _rows(response)
    assert rows[2]["list_name"] == "'=HYPERLINK(\"x\")"
    assert {r["section"] for r in rows} == {"list", "relationship", "datapoint", "finding"}
    assert all(r["source_id"] and r["publisher"] for r in rows)
    json_count = client.get(f"/api/watchlists/{union.watchlist.pk}/evidence",
                            **bearer(union.token)).json()["count"]
    assert len(rows) == json_count


def test_downloads_follow_the_access_rules(client, union, data):
    assert client.get("/api/facilities?format=csv").status_code == 401  # anonymous
    assert client.get("/api/sources?format=csv").status_code == 401
    assert client.get("/api/watchlists?format=csv", **bearer(union.token)).status_code == 200
    # another union's list does not exist for the outsider, CSV or not
    assert client.get(f"/api/watchlists/{union.watchlist.pk}/evidence?format=csv",
                      **bearer(union.outsider_token)).status_code == 404


def test_every_csv_download_is_in_the_audit_log(client, union, data):
    from shopfloor.models import AuditEvent

    _rows(client.get("/api/facilities?format=csv&q=sun", **bearer(union.token),
                     REMOTE_ADDR="10.1.2.3"))
    _rows(client.get(f"/api/watchlists/{union.watchlist.pk}/evidence?format=csv",
                     **bearer(union.token)))
    events = list(AuditEvent.objects.filter(action="export").order_by("pk"))
    assert len(events) == 2
    first, second = events
    assert first.actor_id == union.member.pk and first.ip == "10.1.2.3"
    assert first.detail["what"] == "facilities" and first.detail["via"] == "api"
    assert "q=sun" in first.detail["path"]
    assert (second.object_type, second.object_id) == ("shopfloor.watchlist",
                                                      str(union.watchlist.pk))
    # a refused download leaves no export behind
    client.get("/api/facilities?format=csv")
    assert AuditEvent.objects.filter(action="export").count() == 2
