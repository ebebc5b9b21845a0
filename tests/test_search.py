"""Facility search (shopfloor.search) on the real database: keys, matching, filters, upkeep."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopfloor.linkage.merge import merge
from shopfloor.models import Company, Facility, Relationship, Source
from shopfloor.search import (
    province_key,
    refresh_search_keys,
    search_facilities,
    search_key_for,
)
from shopfloor.sources import run_import

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
pytestmark = pytest.mark.django_db

SHENZHOU_KM = "ក្រុមហ៊ុន សេនចូវ"


def _names(queryset) -> list[str]:
    return [f.name for f in queryset]


@pytest.fixture
def registry():
    """A handful of facilities written the way sources write them."""
    src = Source.objects.create(publisher="Brand A", title="Suppliers", file_name="a.csv")
    facs = {
        "shenzhou": Facility.objects.create(
            name="Shenzhou International (Cambodia) Co., Ltd.", name_km=SHENZHOU_KM,
            country="KH", province="Kandal", os_id="KH2019067X1K87", bfc_id="BFC-1001"),
        "gths": Facility.objects.create(
            name="Guo Tai Hua Sheng Xin Feng Jing Garment Co., Ltd.", country="KH",
            province="Kompong Speu"),
        "golden": Facility.objects.create(
            name="Golden Lotus Garment", name_km="រោងចក្រ\u200bផ្កាឈូកមាស", country="KH",
            province="Phnom Penh", other_names=["GLG Factory"]),
        "lotus": Facility.objects.create(name="Lotus Knit", country="KH",
                                         province="Kampong Speu Province"),
        "dhaka": Facility.objects.create(name="Shenzhou Dhaka Ltd", country="BD",
                                         province="Dhaka"),
    }
    nike = Company.objects.create(name="Nike, Inc.", aliases=["ណៃគី"])
    Relationship.objects.create(subject=nike, kind="sources_from", facility=facs["golden"],
                                source=src)
    Relationship.objects.create(subject=Company.objects.create(name="Tulpwear"),
                                kind="sources_from", facility=facs["lotus"], source=src)
    return facs


def test_key_has_every_name_normalised_romanised_initials_and_ids(registry):
    key = registry["shenzhou"].search_key
    names, derived = key.split("||")
    assert names.split("|")[0] == "shenzhou international"  # legal forms, (Cambodia) gone
    assert "សេនចូវ" in names  # Khmer script kept
    assert "sen chouv" in names  # ... and romanised
    assert "kh2019067x1k87" in derived and "bfc1001" in derived
    assert "gthsxfjg" in registry["gths"].search_key  # initials of a long name
    assert "\u200b" not in registry["golden"].search_key  # zero-width space dropped
    assert search_key_for(registry["golden"]) == registry["golden"].search_key


@pytest.mark.parametrize(("query", "expected"), [
    ("SHENZHOU international", ["Shenzhou International (Cambodia) Co., Ltd."]),
    ("Shenzhou International Co Ltd", ["Shenzhou International (Cambodia) Co., Ltd."]),
    ("Shénzhōu (Cambodia)", ["Shenzhou International (Cambodia) Co., Ltd.",
                             "Shenzhou Dhaka Ltd"]),
    ("សេនចូវ", ["Shenzhou International (Cambodia) Co., Ltd."]),  # Khmer script
    ("ផ្កាឈូក", ["Golden Lotus Garment"]),  # part of a Khmer name, typed without the ZWSP
    ("gths", ["Guo Tai Hua Sheng Xin Feng Jing Garment Co., Ltd."]),  # initials
    ("GTHS Xin Feng", ["Guo Tai Hua Sheng Xin Feng Jing Garment Co., Ltd."]),
    ("glg", ["Golden Lotus Garment"]),  # initials and an other name
    ("kh2019067", ["Shenzhou International (Cambodia) Co., Ltd."]),  # OS ID
    ("bfc-1001", ["Shenzhou International (Cambodia) Co., Ltd."]),  # BFC ID
    ("goldenlotus", ["Golden Lotus Garment"]),  # written without the space
])
def test_substring_matches(registry, query, expected):
    assert sorted(_names(search_facilities(query))) == sorted(expected)


def test_romanised_khmer_finds_a_name_only_written_in_khmer(registry):
    roman = registry["golden"].search_key.split("||")[0].split("|")[-1]
    word = max(roman.split(), key=len)  # e.g. "phkachhukmeas"
    assert _names(search_facilities(word)) == ["Golden Lotus Garment"]


def test_misspellings_fall_back_to_similar_words(registry):
    assert _names(search_facilities("Shenzou"))[:2] == [
        "Shenzhou Dhaka Ltd", "Shenzhou International (Cambodia) Co., Ltd."]
    assert _names(search_facilities("Shenzou Internatinal")) == [
        "Shenzhou International (Cambodia) Co., Ltd."]
    assert _names(search_facilities("Goldn Lotos")) == ["Golden Lotus Garment"]
    assert list(search_facilities("Xyzzy Quux")) == []
    assert list(search_facilities("shz")) == []  # too short to guess


def test_exact_and_prefix_names_rank_first(registry):
    Facility.objects.create(name="Angkor Lotus Knit", country="KH")
    assert _names(search_facilities("lotus knit")) == ["Lotus Knit", "Angkor Lotus Knit"]
    assert _names(search_facilities("lotus"))[0] == "Lotus Knit"


def test_brand_filter(registry):
    assert _names(search_facilities(brand="nike")) == ["Golden Lotus Garment"]
    assert _names(search_facilities(brand="ណៃគី")) == ["Golden Lotus Garment"]  # an alias
    assert _names(search_facilities("lotus", brand="tulp")) == ["Lotus Knit"]
    assert list(search_facilities("shenzhou", brand="nike")) == []


def test_province_any_spelling_in_the_filter_and_in_the_query(registry):
    speu = ["Guo Tai Hua Sheng Xin Feng Jing Garment Co., Ltd.", "Lotus Knit"]
    for spelling in ("Kampong Speu", "kompong speu", "កំពង់ស្ពឺ"):
        assert sorted(_names(search_facilities(province=spelling))) == speu
    assert _names(search_facilities(province="ខេត្តកណ្តាល")) == [
        "Shenzhou International (Cambodia) Co., Ltd."]
    assert _names(search_facilities("កណ្ដាល")) == ["Shenzhou International (Cambodia) Co., Ltd."]
    assert _names(search_facilities("lotus kompong speu")) == ["Lotus Knit"]
    assert _names(search_facilities("lotus", province="Phnom Penh")) == ["Golden Lotus Garment"]
    assert _names(search_facilities(province="Dhaka")) == ["Shenzhou Dhaka Ltd"]
    assert province_key("Siemreap") == "siem reap" and province_key("Nowhere") is None


def test_country_filter(registry):
    assert _names(search_facilities("shenzhou", country="bd")) == ["Shenzhou Dhaka Ltd"]


def test_merged_facilities_are_left_out_and_their_names_found_on_the_one_kept(registry):
    keep = registry["shenzhou"]
    merge(keep, registry["dhaka"])
    assert _names(search_facilities("dhaka")) == [keep.name]
    keep.refresh_from_db()
    assert "dhaka" in keep.search_key
    assert _names(search_facilities("shenzhou")) == [keep.name]


def test_renaming_refreshes_the_key_and_the_in_memory_index(registry):
    assert _names(search_facilities("sunbright")) == []
    fac = registry["lotus"]
    fac.other_names = ["Sunbright Knitting"]
    fac.save(update_fields=["other_names", "updated_at"])  # the post_save receiver
    assert _names(search_facilities("sunbright")) == ["Lotus Knit"]
    assert _names(search_facilities("sunbrigth")) == ["Lotus Knit"]  # fuzzy, reloaded too
    fac.name = "Moonlight Knit"
    fac.save()
    assert _names(search_facilities("moonlight")) == ["Moonlight Knit"]
    assert _names(search_facilities("moonlite")) == ["Moonlight Knit"]


def test_bulk_written_facilities_are_found_and_reindexed(registry):
    Facility.objects.bulk_create([Facility(name=f"Zeta Garment {i}", country="KH")
                                  for i in range(3)])
    assert Facility.objects.filter(search_key="").count() == 3
    assert len(search_facilities("zeta")) == 3  # keys computed in memory meanwhile
    assert refresh_search_keys() == 3
    assert refresh_search_keys() == 0  # nothing changed
    assert not Facility.objects.filter(search_key="").exists()


def test_import_of_a_real_list_fills_the_keys():
    report = run_import("oshub", DATA / "oshub" / "facility_lists" / "2.csv")
    assert report.created == 78
    assert not Facility.objects.filter(search_key="").exists()
    assert _names(search_facilities("quanzhou xinxing")) == ["QUANZHOU XINXING FOOTWEAR CO., LTD"]
    assert _names(search_facilities("Quanzou Xinxing")) == ["QUANZHOU XINXING FOOTWEAR CO., LTD"]


def test_a_common_word_keeps_the_best_matches(registry, monkeypatch):
    from shopfloor import search

    monkeypatch.setattr(search, "MAX_IDS", 1)
    # two match: the name starting with the word is the best one
    assert _names(search_facilities("lotus")) == ["Lotus Knit"]
    assert _names(search_facilities("golden lotus")) == ["Golden Lotus Garment"]


def test_a_word_too_common_for_the_index_goes_through_the_database(registry, monkeypatch):
    from shopfloor import search

    monkeypatch.setattr(search, "_SCAN_LIMIT", 0)
    search._cache.clear()  # a fresh index without remembered words
    assert len(search_facilities("lotus")) == 2  # a LIKE on the stored keys
    assert _names(search_facilities("lotus knit")) == ["Lotus Knit"]
