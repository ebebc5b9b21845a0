"""The discrepancy page and the shadow-report download, over real HTTP."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shopfloor.models import AuditEvent, Organisation, Source, Watchlist
from tests.auth import verified_login
from tests.reports.shadow_data import SECRET, build, watchlist

pytestmark = pytest.mark.django_db
URL = "/discrepancies/"


def _client(user, *, two_factor=False) -> Client:
    client = Client()
    if two_factor:
        verified_login(client, user)
    else:
        client.force_login(user)
    return client


def test_a_rep_sees_its_unions_discrepancies_with_links_to_its_records(ws):
    build(ws)
    response = _client(ws.rep).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # the union's dismissal case against BFC's "compliant" on 12, with the case's link
    assert "No management interference with union" in page
    case = ws.union.case_records.get()
    assert reverse("web:case", args=[case.pk]) in page and case.title in page
    assert "Published as compliant, documented by the union" in page  # the rule's title
    assert "while the union documented an issue or a case" in page  # its explanation
    assert reverse("web:source", args=[case.facility.assessments.get().source_id]) in page
    assert "https://betterwork.org/transparency" in page
    # the rival union's wage issue is not the rep's to read
    assert "WAGE-TITLE" not in page and "Correctly paid minimum wages" not in page
    assert AuditEvent.objects.filter(action="evidence.read",
                                     detail__what="discrepancies").exists()


def test_the_rival_union_sees_only_its_own(ws):
    build(ws)
    page = _client(ws.rival_rep).get(URL).content.decode()
    assert "Correctly paid minimum wages" in page and "WAGE-TITLE" in page
    assert "CASE-TITLE" not in page and "No management interference" not in page


def test_brand_viewers_and_members_see_no_evidence(ws):
    build(ws)
    for user in (ws.brand, ws.member, ws.outsider):
        response = _client(user).get(URL)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(ws):
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_one_watchlist(ws):
    build(ws)
    wl = watchlist(ws)
    rep = _client(ws.rep)
    page = rep.get(URL, {"watchlist": wl.pk}).content.decode()
    assert "CASE-TITLE" in page
    assert reverse("web:watchlist_shadow_report", args=[wl.pk, "pdf"]) in page
    only_b = Watchlist.objects.create(name="B only", organisation=ws.union,
                                      source=_list_of(ws, ws.b))
    assert "CASE-TITLE" not in rep.get(URL, {"watchlist": only_b.pk}).content.decode()
    other = Organisation.objects.create(name="Other", kind="federation")
    theirs = Watchlist.objects.create(name="Theirs", organisation=other,
                                      source=_list_of(ws, ws.a, org=other))
    assert rep.get(URL, {"watchlist": theirs.pk}).status_code == 404
    assert rep.get(URL, {"watchlist": "x"}).status_code == 404


def _list_of(ws, facility, org=None):
    from shopfloor.models import FacilityRecord
    from tests import factories as f

    source = f.source(organisation=org or ws.union, visibility=Source.Visibility.ORGANISATION)
    FacilityRecord.objects.create(source=source, row_number=2, name=facility.name,
                                  country="KH", facility=facility, raw={},
                                  decision=FacilityRecord.Decision.CONFIRMED)
    return source


def test_links_from_the_workspace_and_the_watchlist(ws):
    build(ws)
    wl = watchlist(ws)
    rep = _client(ws.rep)
    assert URL in rep.get(reverse("web:workspace")).content.decode()
    page = rep.get(reverse("web:watchlist", args=[wl.pk])).content.decode()
    assert f"{URL}?watchlist={wl.pk}" in page
    assert reverse("web:watchlist_shadow_report", args=[wl.pk, "csv"]) in page
    member_page = _client(ws.member).get(reverse("web:watchlist", args=[wl.pk]))
    assert "shadow-report" not in member_page.content.decode()  # members read, not export


def test_the_shadow_report_download_is_safe_and_audited(ws):
    build(ws)
    wl = watchlist(ws)
    rep = _client(ws.rep)
    for fmt, media in (("csv", "text/csv"), ("json", "application/json"),
                       ("pdf", "application/pdf")):
        response = rep.get(reverse("web:watchlist_shadow_report", args=[wl.pk, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media)
        assert "attachment" in response["Content-Disposition"]
        assert SECRET.encode() not in response.content
    data = rep.get(reverse("web:watchlist_shadow_report", args=[wl.pk, "json"])).json()
    # the rep's union organises at A and B: every union's evidence there is counted
    assert {d["rule"] for d in data["discrepancies"]} == {"compliant-vs-union",
                                                          "not-published"}
    assert sorted(data["evidence_counted_at"]) == sorted([ws.a.pk, ws.b.pk])
    events = AuditEvent.objects.filter(action="export", detail__what="shadow-report")
    assert events.count() == 4 and events.first().object_id == str(wl.pk)
    assert rep.get(reverse("web:watchlist_shadow_report", args=[wl.pk, "docx"])
                   ).status_code == 404
    assert _client(ws.member).get(reverse("web:watchlist_shadow_report",
                                          args=[wl.pk, "csv"])).status_code == 403


def test_a_federation_researcher_downloads_too(ws):
    build(ws)
    wl = watchlist(ws)
    client = _client(ws.fed_researcher, two_factor=True)
    response = client.get(reverse("web:watchlist_shadow_report", args=[wl.pk, "csv"]))
    assert response.status_code == 200
    assert b"<10" in response.content and SECRET.encode() not in response.content
