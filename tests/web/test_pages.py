"""The server-rendered pages, through Django's test client, on the dataset in conftest."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shopfloor.models import (
    Assessment,
    Company,
    Datapoint,
    Facility,
    Finding,
    Metric,
    Relationship,
)
from tests.web.dataset import CRITERION_1_KM, SUN_RISE_KM, SUN_RISE_OTHER_KM

pytestmark = pytest.mark.django_db
HOME = reverse("web:home")


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def _result_names(html: str) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>', html)


def _row(html: str, header_text: str) -> str:
    """The table row whose header cell contains ``header_text``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if header_text in row:
            return row
    raise AssertionError(f"no row with {header_text!r}")


def _search(client, **params) -> list[str]:
    return _result_names(_html(client.get(HOME, params)))


def _in_khmer(client):
    response = client.post(reverse("set_language"), {"language": "km", "next": HOME})
    assert response.status_code == 302
    return response


class TestHome:
    def test_lists_every_facility_with_size_and_latest_compliance(self, client, data):
        html = _html(client.get(HOME))
        assert _result_names(html) == ["Angkor Knit", "Golden Thread Apparel",
                                       "Sun Rise Garment Co., Ltd."]
        assert "3 factories" in html
        sun = html[html.index("Sun Rise Garment"):]
        assert SUN_RISE_KM in sun
        assert "3,200 workers (2023)" in sun  # the latest year, not 3,050 from 2022
        assert "BFC cycle 2: 1 of 3 non-compliant" in sun
        # "not assessed" findings are not counted as assessed
        assert "BFC cycle 3: 1 of 2 non-compliant" in html
        assert f'href="{reverse("web:facility", args=[data.sun.pk])}"' in html
        assert "Cambodia · Kandal" in html

    def test_search_by_latin_name_ignores_case(self, client, data):
        assert _search(client, q="sUN rise") == ["Sun Rise Garment Co., Ltd."]
        assert "1 factory found" in _html(client.get(HOME, {"q": "sun rise"}))

    def test_search_by_khmer_name(self, client, data):
        assert _search(client, q="ស៊ុនរ៉ាយស៍") == ["Sun Rise Garment Co., Ltd."]
        assert _search(client, q="អំបោះ") == ["Golden Thread Apparel"]

    def test_search_ignores_invisible_spaces_typed_in_khmer(self, client, data):
        assert _search(client, q="ស៊ុន\u200bរ៉ាយស៍") == ["Sun Rise Garment Co., Ltd."]

    def test_search_by_other_name_in_latin_and_khmer_script(self, client, data):
        assert _search(client, q="srg fact") == ["Sun Rise Garment Co., Ltd."]
        assert _search(client, q=SUN_RISE_OTHER_KM) == ["Sun Rise Garment Co., Ltd."]

    def test_search_by_os_id_and_bfc_id(self, client, data):
        assert _search(client, q="kh2019555") == ["Golden Thread Apparel"]
        assert _search(client, q="bfc-1001") == ["Sun Rise Garment Co., Ltd."]

    def test_no_match_says_so(self, client, data):
        html = _html(client.get(HOME, {"q": "Nowhere Textiles"}))
        assert _result_names(html) == []
        assert "No factory matches" in html

    def test_province_filter_alone_and_with_a_query(self, client, data):
        assert _search(client, province="Phnom Penh") == ["Golden Thread Apparel"]
        assert _search(client, q="a", province="Kandal") == ["Sun Rise Garment Co., Ltd."]
        assert _search(client, q="golden", province="Kandal") == []
        html = _html(client.get(HOME, {"province": "Kandal"}))
        assert '<option value="Kandal" selected>Kandal</option>' in html
        assert '<option value="Kampong Speu">Kampong Speu</option>' in html

    def test_results_are_paginated_by_50(self, client, data):
        Facility.objects.bulk_create(
            Facility(name=f"Zeta Garment {i:02d}", country="KH") for i in range(60)
        )
        first = _search(client)
        assert len(first) == 50
        html = _html(client.get(HOME, {"page": 2}))
        assert _result_names(html) == [f"Zeta Garment {i:02d}" for i in range(47, 60)]
        assert "Page 2 of 2" in html
        assert _search(client, q="zeta", page=2) == [f"Zeta Garment {i:02d}"
                                                    for i in range(50, 60)]

    def test_query_count_does_not_grow_with_the_number_of_facilities(self, client, data,
                                                                    django_assert_max_num_queries):
        with CaptureQueriesContext(connection) as small:
            _html(client.get(HOME))
        source = data.oshub
        metric = Metric.objects.get(code="workers_total")
        for i in range(30):
            fac = Facility.objects.create(name=f"Extra {i}", country="KH", province=f"P{i}")
            Datapoint.objects.create(metric=metric, facility=fac, year=2020, value_number=i + 1,
                                     source=source)
            Assessment.objects.create(facility=fac, cycle=1, source=source)
        with django_assert_max_num_queries(len(small.captured_queries)):
            html = _html(client.get(HOME))
        assert len(_result_names(html)) == 33
        assert len(small.captured_queries) <= 7


class TestFacilityPage:
    def url(self, facility) -> str:
        return reverse("web:facility", args=[facility.pk])

    def test_identity(self, client, data):
        html = _html(client.get(self.url(data.sun)))
        assert "<h1>Sun Rise Garment Co., Ltd.</h1>" in html
        for text in [SUN_RISE_KM, "SRG Factory", SUN_RISE_OTHER_KM, "Street 21, Ta Khmau",
                     "Kandal", "Cambodia", "KH2021123ABCD", "BFC-1001"]:
            assert text in html
        assert ("https://www.openstreetmap.org/?mlat=11.48330&amp;mlon=104.95000"
                "#map=16/11.48330/104.95000") in html
        assert "Reported closed" not in html
        assert html.count(SUN_RISE_KM) == 1  # under the name, not again among other names
        angkor = _html(client.get(self.url(data.angkor)))
        assert "Reported closed" in angkor
        assert "openstreetmap" not in angkor

    def test_buyers_with_years_and_source_links_latest_first(self, client, data):
        buyers = _section(_html(client.get(self.url(data.sun))), "buyers")
        assert buyers.index("Brand B") < buyers.index("Brand A")
        row_a, row_b = _row(buyers, "Brand A"), _row(buyers, "Brand B")
        assert "2021–2023" in row_a
        assert f'href="/sources/{data.brand_list.pk}/"' in row_a
        assert "2024" in row_b
        assert f'href="/sources/{data.brand_b_list.pk}/"' in row_b

    def test_facts_grouped_by_topic_each_with_its_source(self, client, data):
        facts = _section(_html(client.get(self.url(data.sun))), "facts")
        assert facts.index("Demographics") < facts.index("Wages")
        wage = _row(facts, "Average monthly wage")
        assert "2023</span> <strong>254.25 USD</strong>" in wage
        assert f'href="/sources/{data.survey.pk}/"' in wage
        assert "81.5 %" in _row(facts, "Women workers")
        workers = _row(facts, ">Workers<")
        assert workers.index("3,200 workers") < workers.index("3,050 workers")  # newest first
        assert "community-verified" in workers
        assert f'href="/sources/{data.oshub.pk}/"' in workers

    def test_earlier_values_fold_away(self, client, data):
        metric = Metric.objects.get(code="workers_total")
        for year in (2018, 2019, 2020):
            Datapoint.objects.create(metric=metric, facility=data.sun, year=year,
                                     value_number=year - 1000, source=data.oshub)
        workers = _row(_section(_html(client.get(self.url(data.sun))), "facts"), ">Workers<")
        shown, folded = workers.split("<details>")
        assert [y in shown for y in ("2023", "2022", "2020")] == [True, True, True]
        assert "2 earlier values" in folded
        assert "1,019 workers" in folded and "1,018 workers" in folded

    def test_findings_per_criterion_over_cycles_with_changes(self, client, data):
        findings = _section(_html(client.get(self.url(data.sun))), "findings")
        codes = re.findall(r'<span class="code">(\w+)</span>', findings)
        assert codes == ["1", "2", "10"]  # code order, not text order

        def cells(text: str) -> list[str]:
            return re.findall(r'<td class="([^"]+)">', _row(findings, text))

        # the latest cycle first, so that a phone shows it without scrolling sideways
        assert findings.index("Cycle 2") < findings.index("Cycle 1")
        assert cells("minimum wage") == ["st-non_compliant ch-worse", "st-compliant"]
        assert cells("interference") == ["st-compliant ch-better", "st-non_compliant"]
        assert cells("Overtime") == ["st-compliant", "st-compliant"]
        assert "was compliant" in _row(findings, "minimum wage")
        assert "was non-compliant" in _row(findings, "interference")
        assert "Latest, cycle 2: 1 of 3 non-compliant." in findings
        assert f'href="/sources/{data.bfc2.pk}/"' in findings

    def test_a_finding_from_another_source_links_to_it(self, client, data):
        Finding.objects.filter(assessment=data.cycle2, criterion=data.criteria["2"]).update(
            source=data.survey, detail="Union leader dismissed in March.")
        findings = _section(_html(client.get(self.url(data.sun))), "findings")
        cell = re.findall(r"<td [^>]*>(.*?)</td>", _row(findings, "interference"), re.S)[0]
        assert f'href="/sources/{data.survey.pk}/"' in cell
        assert "<summary>Details</summary>Union leader dismissed in March.</details>" in cell
        other = re.findall(r"<td [^>]*>(.*?)</td>", _row(findings, "minimum wage"), re.S)[0]
        assert "/sources/" not in other  # same source as its column: linked once, in the header

    def test_a_criterion_missing_from_a_cycle_shows_a_dash(self, client, data):
        Finding.objects.filter(assessment=data.cycle1, criterion=data.criteria["10"]).delete()
        findings = _section(_html(client.get(self.url(data.sun))), "findings")
        assert re.findall(r'<td class="([^"]+)">', _row(findings, "Overtime")) == [
            "st-compliant", "st-none"]
        assert "No finding published for this cycle" in _row(findings, "Overtime")

    def test_sources_used_are_listed_and_no_others(self, client, data, demo_source):
        sources = _section(_html(client.get(self.url(data.sun))), "sources")
        for src in [data.oshub, data.brand_list, data.brand_b_list, data.bfc1, data.bfc2,
                    data.survey]:
            assert f'href="/sources/{src.pk}/"' in sources
        assert f'href="/sources/{demo_source.pk}/"' not in sources

    def test_a_facility_without_data_still_renders(self, client, data):
        html = _html(client.get(self.url(data.angkor)))
        assert "No source names a buyer" in html
        assert "No published assessment" in html

    def test_criteria_in_khmer_when_reading_khmer(self, client, data):
        _in_khmer(client)
        findings = _section(_html(client.get(self.url(data.sun))), "findings")
        assert CRITERION_1_KM in findings
        assert "Workers are paid the minimum wage" not in findings
        assert "No management interference" in findings  # no Khmer text: English shown

    def test_query_count_is_constant(self, client, data, django_assert_max_num_queries):
        with CaptureQueriesContext(connection) as small:
            _html(client.get(self.url(data.sun)))
        metric = Metric.objects.get(code="workers_total")
        for i in range(10):
            brand = Company.objects.create(name=f"More brand {i}")
            Relationship.objects.create(subject=brand, kind="sources_from", facility=data.sun,
                                        year_start=2010 + i, source=data.brand_list)
            Datapoint.objects.create(metric=metric, facility=data.sun, year=2000 + i,
                                     value_number=i, source=data.oshub)
        cycle3 = Assessment.objects.create(facility=data.sun, cycle=3, source=data.bfc2)
        for criterion in data.criteria.values():
            Finding.objects.create(assessment=cycle3, criterion=criterion, status="compliant",
                                   source=data.survey)
        with django_assert_max_num_queries(len(small.captured_queries)):
            html = _html(client.get(self.url(data.sun)))
        assert "More brand 9" in html and "Cycle 3" in html
        assert len(small.captured_queries) <= 8


class TestSourcePage:
    def test_provenance_and_counts(self, client, data):
        html = _html(client.get(reverse("web:source", args=[data.oshub.pk])))
        for text in ["Open Supply Hub", "Cambodia facilities", "a" * 64, "CC-BY-4.0", "oshub",
                     "May 2, 2024", "May 1, 2024"]:
            assert text in html
        assert '<a href="https://opensupplyhub.org/x"' in html
        counts = dict(re.findall(r'<tr id="count-(\w+)">.*?<td>(\d+)</td>', html, re.S))
        assert counts["facility_records"] == "3"
        assert counts["facilities"] == "3"
        assert counts["datapoints"] == "2"
        assert counts["relationships"] == "0"

    def test_file_source_without_url(self, client, data):
        html = _html(client.get(reverse("web:source", args=[data.brand_list.pk])))
        assert "brand-a-2023.xlsx" in html
        counts = dict(re.findall(r'<tr id="count-(\w+)">.*?<td>(\d+)</td>', html, re.S))
        assert counts["relationships"] == "2"

    def test_demo_source_is_flagged(self, client, demo_source):
        html = _html(client.get(reverse("web:source", args=[demo_source.pk])))
        assert "Fictional demo data" in html


@pytest.mark.parametrize("name", ["web:facility", "web:source"])
def test_unknown_ids_are_404(client, data, name):
    response = client.get(reverse(name, args=[999999]))
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


class TestLanguage:
    def test_switch_sets_the_cookie_and_the_next_page_is_in_khmer(self, client, data):
        html = _html(client.get(HOME))
        assert '<html lang="en">' in html and "Find a factory" in html
        response = _in_khmer(client)
        assert response["Location"] == HOME
        assert response.cookies["django_language"].value == "km"
        html = _html(client.get(HOME))
        assert '<html lang="km">' in html
        assert "ស្វែងរករោងចក្រ" in html  # "Find a factory"
        assert "Find a factory" not in html
        assert "កម្ពុជា" in html  # Cambodia
        assert "កណ្ដាល" in html  # Kandal province

    def test_switch_form_works_without_javascript(self, client, data):
        html = _html(client.get(HOME, {"q": "sun"}))
        form = re.search(r'<form class="lang" action="([^"]+)" method="post">(.*?)</form>',
                         html, re.S)
        assert form and form.group(1) == reverse("set_language")
        assert 'name="csrfmiddlewaretoken"' in form.group(2)
        assert '<input type="hidden" name="next" value="/?q=sun">' in form.group(2)
        assert re.findall(r'name="language" value="(\w+)"', form.group(2)) == ["en", "km"]

    def test_back_to_english(self, client, data):
        _in_khmer(client)
        client.post(reverse("set_language"), {"language": "en", "next": HOME})
        assert '<html lang="en">' in _html(client.get(HOME))


class TestDemoBanner:
    BANNER = "Demo data: every factory, brand and person here is fictional."

    def test_absent_without_demo_sources(self, client, data):
        assert self.BANNER not in _html(client.get(HOME))

    def test_on_every_page_when_a_demo_source_exists(self, client, data, demo_source):
        for url in [HOME, reverse("web:facility", args=[data.sun.pk]),
                    reverse("web:source", args=[data.oshub.pk])]:
            assert self.BANNER in _html(client.get(url))
