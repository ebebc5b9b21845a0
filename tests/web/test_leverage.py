"""The buyer-leverage pack's page and download over real HTTP: who reaches them, what they
show, and the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from shopfloor.evidence import cases as case_lib
from shopfloor.models import AuditEvent, Datapoint, Relationship
from tests import factories as f
from tests.auth import ws_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vault_root")]


@pytest.fixture
def case(ws):
    case = case_lib.create_case(ws.union, ws.a, by=ws.rep, kind="union_busting",
                                title="Founder dismissed", opened_on=dt.date(2023, 4, 2),
                                workers_female=1, workers_male=1)
    case_lib.add_worker(case, sex="female", union_role="founder", name="Sok Dara")
    Relationship.objects.filter(subject=ws.brand_co).update(year_end=2024)  # 2023–2024
    big = f.company(ws.public, name="Nordwind Outdoor", hq_country="DE", employees=2900)
    Relationship.objects.create(subject=big, kind="sources_from", facility=ws.a,
                                year_start=2023, year_end=2023, source=ws.public,
                                citation="row 7")
    Datapoint.objects.create(metric=f.metric("has_foa_policy", value_type="text"),
                             company=big, year=2023, value_text="yes", source=ws.public,
                             citation="row 3")
    return case




def test_the_case_page_links_to_the_pack(ws, case):
    page = ws_client(ws, "rep").get(reverse("web:case", args=[case.pk]))
    assert reverse("web:case_leverage", args=[case.pk]) in page.content.decode()
    assert reverse("web:case_leverage_zip", args=[case.pk]) in page.content.decode()


def test_the_pack_page_shows_brands_evidence_laws_and_letters(ws, case):
    response = ws_client(ws, "rep").get(reverse("web:case_leverage", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nordwind Outdoor" in html and "Brand X" in html
    assert "German Supply Chain Due Diligence Act" in html
    assert "likely applies" in html  # Nordwind: German, 2,900 employees worldwide
    assert "Dear Nordwind Outdoor team," in html
    assert "https://www.gesetze-im-internet.de/lksg/" in html
    assert "Sok Dara" not in html and "Founder dismissed" not in html
    event = AuditEvent.objects.filter(action="evidence.read").latest("pk")
    assert event.detail["what"] == "leverage pack" and event.actor == ws.rep


def test_the_zip_downloads_in_the_language_asked_and_is_audited(ws, case):
    url = reverse("web:case_leverage_zip", args=[case.pk])
    response = ws_client(ws, "fed_researcher").get(url + "?lang=km")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "leverage-case-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        names = set(zf.namelist())
    assert {"pack.pdf", "facts.csv", "evidence/manifest.csv", "README.txt",
            "letters/nordwind-outdoor.txt", "letters/nordwind-outdoor.km.txt",
            "letters/brand-x.txt"} <= names
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.detail["what"] == "leverage pack" and event.detail["language"] == "km"
    assert event.actor == ws.fed_researcher and event.organisation_id == ws.union.pk


@pytest.mark.parametrize("who", ["brand", "rival_rep", "member", "outsider"])
def test_anyone_else_gets_404(ws, case, who):
    client = ws_client(ws, who)
    for name in ("web:case_leverage", "web:case_leverage_zip"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_signed_out_people_are_sent_to_sign_in(ws, case):
    response = Client().get(reverse("web:case_leverage_zip", args=[case.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
