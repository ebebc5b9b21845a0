"""The factory brief's page and PDF download: who gets which parts, audit, parameters."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from shopfloor.models import AuditEvent
from tests import factories as f
from tests.reports import briefdata as B

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(ws):
    return B.build(ws)


def _get(client, name, ws, facility=None, **params):
    return client.get(reverse(name, args=[(facility or ws.a).pk]), params)


def test_a_rep_reads_the_union_brief_and_it_is_audited(client, ws, data):
    client.force_login(ws.rep)
    response = _get(client, "web:facility_brief", ws, union=ws.union.pk, lang="en")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (B.ISSUE_KM, B.ISSUE_EN, B.PROMISE_OVERDUE, 'id="union"', ws.union.name):
        assert text in html
    assert B.RIVAL_ISSUE not in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="evidence.read")
    assert (event.actor, event.organisation, event.detail["what"]) == (
        ws.rep, ws.union, "factory brief")
    # the page links its PDF and the other language with the same union
    pdf = reverse("web:facility_brief_pdf", args=[ws.a.pk])
    assert f'href="{pdf}?lang=en&amp;union={ws.union.pk}"' in html
    assert f"lang=km&amp;union={ws.union.pk}" in html


@pytest.mark.parametrize("who", ["brand", "rival_rep", "member", "outsider"])
def test_others_asking_for_the_union_brief_get_the_published_parts(client, ws, data, who):
    client.force_login(getattr(ws, who))
    response = _get(client, "web:facility_brief", ws, union=ws.union.pk)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (B.ISSUE_KM, B.ISSUE_EN, B.PROMISE_OVERDUE, B.RIVAL_ISSUE, 'id="union"',
                 'id="discrepancies"', translation.gettext("Union evidence"), ws.union.name):
        assert text not in html, text
    assert "Brand X" in html and "Clean and sufficient drinking water" in html
    assert "you do not read that union's evidence" in html
    assert not AuditEvent.objects.filter(action="evidence.read").exists()
    pdf = _get(client, "web:facility_brief_pdf", ws, union=ws.union.pk)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.get(action="export").detail["union_evidence"] is False


def test_the_public_brief_is_for_anyone_and_its_download_audited(client, ws, data):
    response = _get(client, "web:facility_brief", ws, lang="km")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="km">' in html and B.NAME_KM in html and B.CRITERION_KM in html
    assert 'id="union"' not in html and B.ISSUE_KM not in html
    with translation.override("km"):
        assert translation.gettext("Compliance findings") in html
    response = _get(client, "web:facility_brief_pdf", ws, lang="km")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="factory-brief-{ws.a.pk}-km.pdf"')
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="export")
    assert event.actor is None and event.organisation is None
    assert event.object_id == str(ws.a.pk)
    assert {k: event.detail[k] for k in ("format", "what", "language", "union_evidence")} == {
        "format": "pdf", "what": "factory brief", "language": "km", "union_evidence": False}


def test_the_pdf_with_union_evidence_is_audited_with_the_union(client, ws, data):
    client.force_login(ws.rep)
    response = _get(client, "web:facility_brief_pdf", ws, union=ws.union.pk)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.organisation) == (ws.rep, ws.union)
    assert event.detail["union_evidence"] is True and event.detail["format"] == "pdf"


@pytest.mark.parametrize("name", ["web:facility_brief", "web:facility_brief_pdf"])
def test_a_union_brief_needs_the_reader_signed_in(client, ws, data, name):
    response = _get(client, name, ws, union=ws.union.pk)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_language_follows_the_page_unless_asked(client, ws, data):
    client.cookies["django_language"] = "km"
    assert '<html lang="km">' in _get(client, "web:facility_brief", ws).content.decode()
    html = _get(client, "web:facility_brief", ws, lang="en").content.decode()
    assert '<html lang="en">' in html
    # its charts are drawn in the brief's language, whatever the reader's cookie says
    assert "compliance.svg?v=" in html and "&amp;lang=en" in html


@pytest.mark.parametrize("params", [{"lang": "fr"}, {"union": "abc"}, {"union": "1;drop"}])
def test_bad_parameters_get_a_clear_error(client, ws, params):
    response = _get(client, "web:facility_brief", ws, **params)
    assert response.status_code == 400
    assert b"must be" in response.content


def test_an_unknown_union_is_a_brief_without_one(client, ws):
    client.force_login(ws.rep)
    response = _get(client, "web:facility_brief", ws, union=987654)
    assert response.status_code == 200 and 'id="union"' not in response.content.decode()


def test_a_merged_factory_redirects_to_its_brief(client, ws):
    from shopfloor.linkage.merge import merge

    dup = f.facility(ws.public, name="Factory A duplicate")
    merge(ws.a, dup)
    response = _get(client, "web:facility_brief", ws, facility=dup, lang="en")
    assert response.status_code == 301
    assert response["Location"] == reverse("web:facility_brief", args=[ws.a.pk]) + "?lang=en"


def test_buttons_on_the_factory_and_workspace_pages(client, ws, data):
    brief = reverse("web:facility_brief", args=[ws.a.pk])
    pdf = reverse("web:facility_brief_pdf", args=[ws.a.pk])
    html = client.get(reverse("web:facility", args=[ws.a.pk])).content.decode()
    assert f'href="{brief}?lang=en"' in html and f'href="{pdf}?lang=en"' in html
    client.force_login(ws.rep)
    html = client.get(reverse("web:facility", args=[ws.a.pk])).content.decode()
    assert f'href="{brief}?union={ws.union.pk}&amp;lang=en"' in html
    html = client.get(reverse("web:workspace_factory", args=[ws.union.pk, ws.a.pk])).content
    assert f'href="{brief}?union={ws.union.pk}&amp;lang=en"' in html.decode()
    assert f'href="{pdf}?union={ws.union.pk}&amp;lang=en"' in html.decode()
