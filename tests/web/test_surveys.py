"""Survey pages over HTTP: who sees the questionnaire, results, charts and free text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shopfloor.models import AuditEvent, Facility, SurveyForm
from shopfloor.sources import SourceInfo, run_import
from tests.auth import ws_client
from tests.surveys import fixtures as fx

pytestmark = pytest.mark.django_db
OS_ID = "KH2019001AAAAA0"


@pytest.fixture
def survey(ws, tmp_path):
    Facility.objects.filter(pk=ws.a.pk).update(os_id=OS_ID)
    run_import("xlsform", fx.xlsform(tmp_path / "f.xlsx", factories=[(OS_ID, "Factory A")]),
               info=SourceInfo(organisation=ws.union))
    rows = []
    for i in range(1, 41):
        sex = "female" if i <= 30 else "male"
        rows.append(fx.submission(i, {
            "factory": OS_ID, "sex": sex, "wages/paid_minimum": "no" if i % 4 == 0 else "yes",
            "anything_else": "Supervisor Mr Chan shouts at line 4" if i == 1 else ""}))
    run_import("kobo", fx.kobo_csv(rows, tmp_path / "k.csv"),
               info=SourceInfo(organisation=ws.union), form="test_survey")
    return SurveyForm.objects.get()




def test_results_with_shares_and_a_breakdown_by_sex(ws, survey):
    page = ws_client(ws, "rep").get(reverse("web:survey_results", args=[survey.pk, ws.a.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "40 respondents" in html
    assert "Were you paid at least the minimum wage last month?" in html
    assert "<td>10</td><td>25.0</td>" in html  # 10 of 40 said no
    assert "By sex" in html  # 30 women, 10 men: cells large enough for a breakdown
    chart = ws_client(ws, "rep").get(reverse("web:survey_chart", args=[
        survey.pk, ws.a.pk, survey.latest_version.questions.get(path="wages/paid_minimum").pk]))
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    assert "private" in chart["Cache-Control"]


def test_free_text_only_for_the_unions_admins_and_researchers(ws, survey):
    url = reverse("web:survey_results", args=[survey.pk, ws.a.pk])
    for who, sees in (("union_admin", True), ("union_researcher", True), ("rep", False),
                      ("fed_researcher", False), ("brand", False)):
        html = ws_client(ws, who).get(url).content.decode()
        assert ("Mr Chan" in html) is sees, who
    assert AuditEvent.objects.filter(action="evidence.read",
                                     detail__what="survey free text").count() == 2


def test_brand_sees_aggregates_not_the_questionnaire(ws, survey):
    brand = ws_client(ws, "brand")
    assert brand.get(reverse("web:survey_results", args=[survey.pk, ws.a.pk])).status_code == 200
    assert brand.get(reverse("web:survey", args=[survey.pk])).status_code == 404
    assert brand.get(reverse("web:survey_results", args=[survey.pk, ws.b.pk])).status_code == 404
    assert ws_client(ws, "outsider").get(
        reverse("web:survey_results", args=[survey.pk, ws.a.pk])).status_code == 404
    rival = ws_client(ws, "rival_rep")
    assert rival.get(reverse("web:survey", args=[survey.pk])).status_code == 404


def test_the_questionnaire_in_khmer(ws, survey):
    client = ws_client(ws, "rep")
    client.cookies["django_language"] = "km"
    html = client.get(reverse("web:survey", args=[survey.pk])).content.decode()
    assert "តើអ្នកទទួលបានយ៉ាងហោចណាស់ប្រាក់ឈ្នួលអប្បបរមាកាលពីខែមុនទេ?" in html
    assert "worker_name" not in html and "Your name" not in html  # identifying: not shown


def test_the_factory_page_links_the_results_for_those_who_may_see_them(ws, survey):
    url = reverse("web:facility", args=[ws.a.pk])
    results = reverse("web:survey_results", args=[survey.pk, ws.a.pk])
    assert results in ws_client(ws, "brand").get(url).content.decode()
    assert results in ws_client(ws, "rep").get(url).content.decode()
    assert results not in Client().get(url).content.decode()
