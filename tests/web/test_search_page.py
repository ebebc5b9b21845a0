"""The home page's search over HTTP: full page, htmx partial, CSV link, no JavaScript needed."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from shopfloor.models import Facility

pytestmark = pytest.mark.django_db
HOME = reverse("web:home")
SUN = "Sun Rise Garment Co., Ltd."


def _names(html: str) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>', html)


def test_full_page_has_the_form_and_loads_htmx_without_inline_code(client, data):
    response = client.get(HOME, {"q": "sun rise"})
    html = response.content.decode()
    assert response.status_code == 200 and "<form" in html and _names(html) == [SUN]
    assert re.search(r'<script src="[^"]*/vendor/htmx-2\.0\.11\.min\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert "<style" not in html and " style=" not in html
    assert '"includeIndicatorStyles": false' in unescape(html)
    q = re.search(r'<input type="search" id="q"[^>]*>', html).group(0)
    assert 'hx-trigger="input changed delay:300ms, search"' in q and "hx-get=" in q
    form = re.search(r"<form class=\"search\"[^>]*>", html).group(0)
    assert 'hx-target="#results"' in form and 'hx-push-url="true"' in form
    assert 'method="get"' in form  # works as a plain form without JavaScript
    assert 'id="results"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_results(client, data):
    response = client.get(HOME, {"q": "sun rise"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert _names(html) == [SUN] and "1 factory found" in html
    assert "<form" not in html and "<html" not in html and "htmx" not in html
    # a history restore after a cache miss needs the whole page
    response = client.get(HOME, {"q": "sun rise"}, headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_factory_page_does_not_load_htmx(client, data):
    html = client.get(reverse("web:facility", args=[data.sun.pk])).content.decode()
    assert "htmx" not in html


def test_csv_link_repeats_the_query(client, data, django_user_model):
    query = {"q": "sun", "province": "Kandal", "brand": "Brand A"}
    # exports are audited to a person: anonymous readers get no download link
    assert "Download these results" not in client.get(HOME, query).content.decode()
    client.force_login(django_user_model.objects.create_user("reader", password=None))
    html = client.get(HOME, query).content
    link = re.search(r'<a href="([^"]+)" download>Download these results \(CSV\)</a>',
                     html.decode())
    url = urlsplit(unescape(link.group(1)))
    assert url.path == "/api/facilities"
    assert parse_qs(url.query) == {"q": ["sun"], "province": ["Kandal"], "brand": ["Brand A"],
                                   "format": ["csv"]}
    assert "Download these results" not in client.get(HOME).content.decode()  # nothing asked


def test_brand_field_filters(client, data):
    html = client.get(HOME, {"brand": "brand b"}).content.decode()
    assert _names(html) == [SUN]
    assert 'id="brand" name="brand" value="brand b"' in html
    assert sorted(_names(client.get(HOME, {"brand": "Brand A"}).content.decode())) == [
        "Golden Thread Apparel", SUN]


def test_misspelt_khmer_and_province_queries(client, data):
    assert _names(client.get(HOME, {"q": "Sun Rsie"}).content.decode()) == [SUN]
    assert _names(client.get(HOME, {"q": "Golden Thraed"}).content.decode()) == [
        "Golden Thread Apparel"]
    assert _names(client.get(HOME, {"q": "កណ្តាល"}).content.decode()) == [SUN]
    assert _names(client.get(HOME, {"province": "Kompong Speu"}).content.decode()) == [
        "Angkor Knit"]


def test_findings_are_one_tap_from_the_results(client, data):
    """Type, then pick: the compliance line of a result opens the factory at its findings,
    even when the search found a single factory (no redirect)."""
    response = client.get(HOME, {"q": "sun rise"})
    assert response.status_code == 200
    html = response.content.decode()
    url = reverse("web:facility", args=[data.sun.pk])
    assert re.search(rf'<a class="findings-link" href="{url}#findings">[^<]*<span class="meta '
                     r'compliance has-nc">BFC cycle 2: 1 of 3 non-compliant', html)
    page = client.get(url).content.decode()
    assert '<section id="findings">' in page
    # a factory without assessments has no findings link
    angkor = client.get(HOME, {"q": "angkor"}).content.decode()
    assert "findings-link" not in angkor


def test_merged_facilities_do_not_show(client, data):
    from shopfloor.linkage.merge import merge

    merge(data.sun, data.golden)
    assert _names(client.get(HOME, {"q": "golden thread"}).content.decode()) == [SUN]
    assert Facility.objects.get(pk=data.golden.pk).merged_into_id == data.sun.pk


def test_a_search_matching_more_than_the_limit_says_so(client, data, monkeypatch):
    from shopfloor import search

    monkeypatch.setattr(search, "MAX_IDS", 1)
    Facility.objects.create(name="Garment Two", country="KH")
    html = client.get(HOME, {"q": "garment"}).content.decode()
    assert "Showing the best 1: more factories match." in html
    assert len(_names(html)) == 1
    html = client.get(HOME, {"q": "sun rise"}).content.decode()  # one match: no notice
    assert "more factories match" not in html
