"""The brand pages through Django's test client, on the brand dataset of tests.test_companies."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from shopfloor.models import Company, Source
from shopfloor.web import brands
from tests.test_companies import build_brands

pytestmark = pytest.mark.django_db
LIST = reverse("web:companies")


@pytest.fixture
def d(db):
    return build_brands()


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def _names(html: str) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>', html)


def _page(client, company: Company) -> str:
    return _html(client.get(reverse("web:company", args=[company.pk])))


def _href(view: str, obj) -> str:
    return f'href="{reverse(view, args=[obj.pk])}"'


def _src(source: Source) -> str:
    return f'class="src" href="{reverse("web:source", args=[source.pk])}"'


def _row(html: str, text: str) -> str:
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if text in row:
            return row
    raise AssertionError(f"no row with {text!r}")


class TestList:
    def test_lists_every_company_with_factory_counts(self, client, d):
        html = _html(client.get(LIST))
        assert _names(html) == ["Brand A", "Brand B", "brand c", "Great Group"]
        assert "4 companies" in html
        brand_a = html[html.index("Brand A"):html.index("Brand B")]
        assert "Sources from 3 factories (latest 2023)" in brand_a
        assert _href("web:company", d.brand_a) in html
        group = html[html.index("Great Group"):]
        assert "Parent group · Sweden" in group
        assert "No supplier factory known" in group

    def test_search_by_name_and_alias(self, client, d):
        assert _names(_html(client.get(LIST, {"q": "BRAND B"}))) == ["Brand B"]
        html = _html(client.get(LIST, {"q": "charlie"}))
        assert _names(html) == ["brand c"]
        assert "1 company found" in html
        assert 'value="charlie"' in html

    def test_kind_filter_and_unknown_kind(self, client, d):
        assert _names(_html(client.get(LIST, {"kind": "retailer"}))) == ["brand c"]
        assert len(_names(_html(client.get(LIST, {"kind": "nonsense"})))) == 4

    def test_no_match(self, client, d):
        html = _html(client.get(LIST, {"q": "zzz"}))
        assert _names(html) == []
        assert "0 companies found" in html
        assert "No company matches" in html

    def test_pages_of_fifty(self, client, db):
        Company.objects.bulk_create([Company(name=f"Label {i:03d}") for i in range(55)])
        first = _html(client.get(LIST))
        assert len(_names(first)) == 50
        assert "Page 1 of 2" in first
        second = _html(client.get(LIST, {"page": 2}))
        assert _names(second) == [f"Label {i:03d}" for i in range(50, 55)]


class TestDetail:
    def test_identity_and_owner(self, client, d):
        html = _page(client, d.brand_a)
        assert "<h1>Brand A</h1>" in html
        assert "<title>Brand A · Shopfloor</title>" in html
        identity = html[html.index('<dl class="identity">'):html.index("</dl>")]
        assert "Owned by" in identity
        assert _href("web:company", d.group) in identity
        assert "2019" in identity and _src(d.register) in identity

    def test_group_lists_its_brands_and_factories(self, client, d):
        html = _page(client, d.group)
        assert "GG Holdings" in html and "Sweden" in html
        identity = html[html.index('<dl class="identity">'):html.index("</dl>")]
        assert "Brands it owns" in identity
        assert _href("web:company", d.brand_a) in identity
        assert _href("web:facility", d.angkor) in identity
        assert "No source names a factory this company sources from yet." in html

    def test_factories_by_year_and_country(self, client, d):
        section = _section(_page(client, d.brand_a), "factories")
        assert "3 factories named in sources." in section
        head = re.search(r"<thead>(.*?)</thead>", section, re.S).group(1)
        assert re.findall(r'<th scope="col">([^<]+)</th>', head) == [
            "Year", "Cambodia", "Bangladesh", "Total"]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", _row(section, ">2022<"))
        assert cells == ["2", '<span class="na">–</span>', "2"]
        unknown = re.findall(r"<td[^>]*>(.*?)</td>", _row(section, "year unknown"))
        assert unknown == ['<span class="na">–</span>', "1", "1"]
        # then the facilities, grouped by the latest year a source names them
        groups = re.findall(r"<h3>([^<]+)</h3>", section)
        assert groups == ["Factories by year and country", "Latest named in 2023 (1)",
                          "Latest named in 2022 (1)", "Year unknown (1)"]
        sun = section[section.index("Sun Rise"):section.index("Golden Thread")]
        assert "2021–2023" in sun and _src(d.brand_list) in sun
        for facility in (d.sun, d.golden, d.dhaka):
            assert _href("web:facility", facility) in section

    def test_commitments_each_with_its_source(self, client, d):
        section = _section(_page(client, d.brand_a), "commitments")
        names = re.findall(r'<th scope="row">([^<]+)', section)
        assert [n.strip() for n in names] == [
            "Living-wage grade", "Freedom-of-association policy", "Fashion Transparency Index"]
        fti = _row(section, 'scope="row">Fashion Transparency Index')
        assert fti.index("48.5 %") < fti.index("41 %")  # newest first
        assert _src(d.index) in fti and _src(d.index_2022) in fti
        assert "<strong>C</strong>" in _row(section, "Living-wage grade")
        assert _src(d.index) in _row(section, "Freedom-of-association policy")

    def test_overlap_with_other_brands(self, client, d):
        section = _section(_page(client, d.brand_a), "overlap")
        assert "2 other companies source from at least one of the same factories." in section
        c_row = _row(section, "brand c")
        assert _href("web:company", d.brand_c) in c_row
        assert re.search(r'<td class="shared">2</td>', c_row)
        assert '<span class="year">2022:</span> 2' in c_row
        assert _src(d.brand_c_list) in c_row
        b_row = _row(section, "Brand B")
        assert re.search(r'<td class="shared">1</td>', b_row)
        assert section.index("brand c") < section.index("Brand B")  # most shared first

    def test_sources_list(self, client, d):
        section = _section(_page(client, d.brand_a), "sources")
        listed = re.findall(r'<a href="/sources/(\d+)/">', section)
        assert [int(pk) for pk in listed] == [
            s.pk for s in (d.brand_list, d.brand_b_list, d.brand_c_list, d.register,
                           d.undated_list, d.index, d.index_2022)]

    def test_empty_company(self, client, d):
        html = _page(client, Company.objects.create(name="Nobody Knows"))
        assert "No source names a factory this company sources from yet." in html
        assert "No published commitment or score for this company yet." in html
        assert "No other company is known to source from these factories." in html
        assert "year-country" not in html

    def test_unknown_id_is_404(self, client, d):
        assert client.get(reverse("web:company", args=[987654])).status_code == 404
        assert client.get("/brands/abc/").status_code == 404

    def test_in_khmer(self, client, d):
        client.cookies["django_language"] = "km"
        html = _page(client, d.brand_a)
        assert '<html lang="km">' in html
        assert "<h1>Brand A</h1>" in html
        assert _src(d.index) in _section(html, "commitments")
        assert _html(client.get(LIST)).count('<span class="name">') == 4
        assert '<html lang="km">' in _html(client.get(LIST))

    def test_few_queries_whatever_the_size(self, client, d, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            _page(client, d.brand_a)
        with django_assert_max_num_queries(6):
            _html(client.get(LIST))


class TestVisibility:
    """Facts from organisation-only or restricted sources stay off the public brand pages."""

    def _hide(self, d):
        Source.objects.filter(pk=d.index.pk).update(visibility=Source.Visibility.ORGANISATION)
        Source.objects.filter(pk=d.brand_c_list.pk).update(
            visibility=Source.Visibility.RESTRICTED)

    def test_anonymous_readers_see_only_published_sources(self, client, d):
        self._hide(d)
        html = _page(client, d.brand_a)
        assert "Living-wage grade" not in html
        assert "brand c" not in _section(html, "overlap")
        assert f"/sources/{d.index.pk}/" not in html
        assert f"/sources/{d.brand_c_list.pk}/" not in html
        assert "41 %" in _section(html, "commitments")
        listing = _html(client.get(LIST))
        brand_c = listing[listing.index("brand c"):listing.index("Great Group")]
        assert "No supplier factory known" in brand_c

    def test_staff_see_everything(self, rf, d):
        """Through the view itself: signing staff in goes through two-factor middleware that
        is not what this test is about."""
        self._hide(d)
        request = rf.get(reverse("web:company", args=[d.brand_a.pk]))
        request.user = User.objects.create_user("steward", password="x", is_staff=True)
        html = _html(brands.company_detail(request, d.brand_a.pk))
        assert "Living-wage grade" in html
        assert _href("web:company", d.brand_c) in _section(html, "overlap")
        request.user.is_staff = False
        html = _html(brands.company_detail(request, d.brand_a.pk))
        assert "Living-wage grade" not in html


def test_signed_in_readers_get_the_list_as_csv_from_the_api(client, db, django_user_model):
    from shopfloor.models import Company

    Company.objects.create(name="Tulpwear", kind="brand")
    url = reverse("web:companies")
    assert "Download these results" not in client.get(url, {"q": "tulp"}).content.decode()
    user = django_user_model.objects.create_user("reader", password=None)
    client.force_login(user)
    html = client.get(url, {"q": "tulp"}).content.decode()
    assert 'href="/api/companies?q=tulp&amp;format=csv"' in html
    response = client.get("/api/companies", {"q": "tulp", "format": "csv"})
    assert response.status_code == 200
    assert "Tulpwear" in b"".join(response.streaming_content).decode()
