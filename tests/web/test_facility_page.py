"""The factory page's analysis: wages, peers, and charts served as SVG images."""

from __future__ import annotations

import gzip
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shopfloor.models import Assessment, Datapoint, Facility, Finding, Metric

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wages(data):
    """The legal minimum for 2022 and 2023 and a living-wage benchmark for 2023 (KH)."""
    minimum = Metric.objects.create(code="minimum_wage_monthly", name="Minimum wage",
                                    topic="wages", value_type="money", unit="USD/month",
                                    subject="country")
    living = Metric.objects.create(code="living_wage_benchmark_monthly", name="Living wage",
                                   topic="wages", value_type="money", unit="USD/month",
                                   subject="country")
    return {
        "min2022": Datapoint.objects.create(metric=minimum, country="KH", year=2022,
                                            value_number=194, source=data.bfc1),
        "min2023": Datapoint.objects.create(metric=minimum, country="KH", year=2023,
                                            value_number=200, source=data.bfc2),
        "living": Datapoint.objects.create(metric=living, country="KH", year=2023,
                                           value_number=412, source=data.oshub),
        "wage2022": Datapoint.objects.create(metric=data.dp_wage.metric, facility=data.sun,
                                             year=2022, value_number=Decimal("190"),
                                             source=data.brand_list, verification="disputed"),
    }


def _url(facility) -> str:
    return reverse("web:facility", args=[facility.pk])


def _html(client, facility) -> str:
    response = client.get(_url(facility))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html, re.S)


def _images(html: str) -> dict[str, dict[str, str]]:
    images = {}
    for tag in re.findall(r"<img [^>]*>", html):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        name = re.search(r"/charts/(\w+)\.svg", attrs["src"]).group(1)
        images[name] = attrs
    return images


class TestWagesSection:
    def test_each_year_with_minimum_living_wage_and_gap_each_sourced(self, client, data,
                                                                    wages):
        html = _html(client, data.sun)
        assert '<a href="#wages">Wages</a>' in _section_toc(html)
        section = _section(html, "wages")
        latest, earlier = _rows(section)[1:]  # after the header row
        assert "2023" in latest and "254.25 USD" in latest and "200 USD/month" in latest
        assert "412 USD/month" in latest
        assert "minimum: +54.25 USD (+27.1 %)" in latest
        assert 'class="gap below">living wage: -157.75 USD (-38.3 %)' in latest
        for src in (data.survey, data.bfc2, data.oshub):
            assert f'href="/sources/{src.pk}/"' in latest
        assert 'class="gap below">minimum: -4 USD (-2.1 %)' in earlier
        assert f'href="/sources/{data.bfc1.pk}/"' in earlier  # the 2022 minimum
        assert f'href="/sources/{data.brand_list.pk}/"' in earlier  # the 2022 wage
        assert "disputed" in earlier
        assert "No value for this year" in earlier  # no living wage for 2022

    def test_benchmark_sources_are_listed_with_the_page_sources(self, client, data, wages):
        sources = _section(_html(client, data.sun), "sources")
        assert f'href="/sources/{data.bfc1.pk}/"' in sources

    def test_without_wages_says_so(self, client, data, wages):
        section = _section(_html(client, data.golden), "wages")
        assert "No wage data for this factory yet." in section
        assert "<img" not in section


def _section_toc(html: str) -> str:
    return re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)


class TestPeers:
    def test_latest_cell_shows_province_and_country_counts(self, client, data):
        findings = _section(_html(client, data.sun), "findings")
        row = next(r for r in _rows(findings) if "minimum wage" in r)
        latest = re.findall(r"<td [^>]*>(.*?)</td>", row, re.S)[0]
        # criterion 1: Sun Rise (Kandal) and Golden Thread (Phnom Penh) non-compliant
        assert "Kandal: 1 of 1 non-compliant" in latest
        assert "Cambodia: 2 of 2 non-compliant" in latest
        assert "%" not in latest  # too few factories for a percentage
        earlier = re.findall(r"<td [^>]*>(.*?)</td>", row, re.S)[1]
        assert "peers" not in earlier
        overtime = next(r for r in _rows(findings) if "Overtime" in r)
        assert "Cambodia: 0 of 1 non-compliant" in overtime  # Golden Thread: not assessed

    def test_percentages_for_larger_groups(self, client, data):
        facilities = Facility.objects.bulk_create(
            Facility(name=f"Kandal {i}", country="KH", province="Kandal") for i in range(19))
        assessments = Assessment.objects.bulk_create(
            Assessment(facility=f, cycle=1, source=data.bfc1) for f in facilities)
        Finding.objects.bulk_create(
            Finding(assessment=a, criterion=data.criteria["1"], source=data.bfc1,
                    status="non_compliant" if i < 6 else "compliant")
            for i, a in enumerate(assessments))
        findings = _section(_html(client, data.sun), "findings")
        row = next(r for r in _rows(findings) if "minimum wage" in r)
        assert "Kandal: 7 of 20 non-compliant (35 %)" in row
        assert "Cambodia: 8 of 21 non-compliant (38 %)" in row


class TestCharts:
    def test_embedded_as_lazy_images_with_size_and_alt(self, client, data, wages):
        html = _html(client, data.sun)
        images = _images(html)
        assert set(images) == {"compliance", "wages", "buyers"}
        for attrs in images.values():
            assert attrs["loading"] == "lazy" and attrs["alt"]
            assert int(attrs["width"]) <= 360 and int(attrs["height"]) > 0
        assert "/charts/buyers.svg" in _section(html, "buyers")
        assert "/charts/wages.svg" in _section(html, "wages")
        findings = _section(html, "findings")
        assert findings.index("/charts/compliance.svg") < findings.index('<table')
        assert "<script" not in html  # nothing needs JavaScript

    def test_served_as_svg_with_etag_and_304(self, client, data, wages):
        for name, attrs in _images(_html(client, data.sun)).items():
            src = attrs["src"].replace("&amp;", "&")
            response = client.get(src)
            assert response.status_code == 200, name
            assert response["Content-Type"] == "image/svg+xml"
            assert "max-age=86400" in response["Cache-Control"]  # the versioned URL
            assert "Cookie" in response["Vary"]
            body = response.content.decode()
            assert body.startswith("<svg") and f'width="{attrs["width"]}"' in body
            assert len(response.content) < 25_000
            etag = response["ETag"]
            again = client.get(src, headers={"if-none-match": etag})
            assert again.status_code == 304 and again.content == b""
        plain = client.get(reverse("web:facility_chart", args=[data.sun.pk, "wages"]))
        assert "max-age=300" in plain["Cache-Control"]
        stale = client.get(plain.request["PATH_INFO"], headers={"if-none-match": '"old"'})
        assert stale.status_code == 200

    def test_the_etag_changes_with_the_data(self, client, data):
        url = reverse("web:facility_chart", args=[data.sun.pk, "compliance"])
        etag = client.get(url)["ETag"]
        Finding.objects.filter(assessment=data.cycle2, criterion=data.criteria["10"]).update(
            status="non_compliant")
        response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 200 and response["ETag"] != etag
        assert "2 of 3" in response.content.decode()

    def test_charts_follow_the_language(self, client, data):
        url = reverse("web:facility_chart", args=[data.sun.pk, "compliance"])
        english = client.get(url)
        client.post(reverse("set_language"), {"language": "km", "next": "/"})
        khmer = client.get(url, headers={"if-none-match": english["ETag"]})
        assert khmer.status_code == 200
        assert "វដ្តទី" in khmer.content.decode()

    def test_no_data_no_chart_and_no_image(self, client, data):
        html = _html(client, data.angkor)
        assert "<img" not in html
        for name in ("compliance", "wages", "buyers"):
            url = reverse("web:facility_chart", args=[data.angkor.pk, name])
            assert client.get(url).status_code == 404
        assert set(_images(_html(client, data.golden))) == {"compliance", "buyers"}
        url = reverse("web:facility_chart", args=[data.golden.pk, "wages"])
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("pk_name", [(999999, "compliance"), (None, "nonsense")])
    def test_unknown_facility_or_chart_is_404(self, client, data, pk_name):
        pk, name = pk_name
        url = reverse("web:facility_chart", args=[pk or data.sun.pk, name])
        assert client.get(url).status_code == 404

    def test_a_merged_facility_has_no_charts(self, client, data):
        Facility.objects.filter(pk=data.golden.pk).update(merged_into=data.sun)
        url = reverse("web:facility_chart", args=[data.golden.pk, "compliance"])
        assert client.get(url).status_code == 404


def test_buyer_names_link_to_the_brand_page(client, data):
    buyers = _section(_html(client, data.sun), "buyers")
    assert f'<a href="{reverse("web:company", args=[data.brand_a.pk])}">Brand A</a>' in buyers
    assert f'<a href="{reverse("web:company", args=[data.brand_b.pk])}">Brand B</a>' in buyers


def test_query_count_is_small_and_fixed(client, data, wages, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as cold:
        _html(client, data.sun)
    assert len(cold.captured_queries) <= 8
    with django_assert_max_num_queries(len(cold.captured_queries) - 1):  # peers cached
        _html(client, data.sun)
    # many more factories, findings, wages and benchmarks: still the same number
    facilities = Facility.objects.bulk_create(
        Facility(name=f"More {i}", country="KH", province="Kandal") for i in range(40))
    assessments = Assessment.objects.bulk_create(
        Assessment(facility=f, cycle=c, source=data.bfc1) for f in facilities for c in (1, 2))
    Finding.objects.bulk_create(
        Finding(assessment=a, criterion=c, status="non_compliant", source=data.bfc1)
        for a in assessments for c in data.criteria.values())
    metric = wages["min2022"].metric
    Datapoint.objects.bulk_create(
        Datapoint(metric=metric, country="KH", year=2000 + i, value_number=100 + i,
                  source=data.bfc1) for i in range(20))
    Datapoint.objects.bulk_create(
        Datapoint(metric=data.dp_wage.metric, facility=data.sun, year=2000 + i,
                  value_number=150 + i, source=data.survey) for i in range(20))
    with django_assert_max_num_queries(len(cold.captured_queries)):
        html = _html(client, data.sun)
    assert "Kandal: 41 of 41 non-compliant (100 %)" in html  # 40 new and Sun Rise


def test_page_weight_html_and_css_compressed(client, data, wages):
    html = _html(client, data.sun).encode()
    css = open(finders.find("shopfloor/shopfloor.css"), "rb").read()  # noqa: SIM115
    assert len(gzip.compress(html)) + len(gzip.compress(css)) <= 100_000
