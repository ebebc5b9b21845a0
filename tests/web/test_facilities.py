"""The library functions behind the pages (shopfloor.facilities) and the display filters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from shopfloor.facilities import (
    criterion_sort_key,
    facility_profile,
    normalise_query,
    province_label,
    search_facilities,
    summarise,
)
from shopfloor.web.templatetags.shopfloor_tags import country_name, number


def test_criterion_codes_sort_naturally():
    codes = ["10", "2", "1.10", "A", "1.2", "1"]
    assert sorted(codes, key=criterion_sort_key) == ["1", "1.2", "1.10", "2", "10", "A"]


def test_queries_are_normalised():
    assert normalise_query("  Sun\u200b  Rise \n") == "Sun Rise"
    assert normalise_query("ស៊ុន\u200bរ៉ាយ") == "ស៊ុនរ៉ាយ"


@pytest.mark.parametrize("stored", ["Kampong Speu", "Kompong Speu Province", "kampong-speu"])
def test_province_spellings_share_one_khmer_name(stored):
    with translation.override("km"):
        assert province_label(stored) == "កំពង់ស្ពឺ"
    with translation.override("en"):
        assert province_label(stored) == "Kampong Speu"


def test_province_aliases_and_unknown_names():
    with translation.override("km"):
        assert province_label("Sihanoukville") == "ព្រះសីហនុ"
        assert province_label("Phnom Penh Capital") == "ភ្នំពេញ"
        assert province_label("Ho Chi Minh City") == "Ho Chi Minh City"


def test_numbers_follow_the_language():
    with translation.override("en"):
        assert number(Decimal("12345.5000")) == "12,345.5"
        assert number(Decimal("3200.0000")) == "3,200"
    with translation.override("km"):
        assert number(Decimal("12345.5000")) == "12.345,5"


def test_country_names_follow_the_language():
    with translation.override("km"):
        assert country_name("KH") == "កម្ពុជា"
    with translation.override("en"):
        assert country_name("kh") == "Cambodia"
        assert country_name("VN") == "Vietnam"
        assert country_name("XX") == "XX"


@pytest.mark.django_db
class TestWithData:
    def test_empty_query_returns_everything_in_name_order(self, data):
        names = [f.name for f in search_facilities("   ")]
        assert names == ["Angkor Knit", "Golden Thread Apparel", "Sun Rise Garment Co., Ltd."]

    def test_summaries_take_the_latest_values(self, data):
        rows = {row.facility.name: row for row in summarise(list(search_facilities()))}
        sun = rows["Sun Rise Garment Co., Ltd."]
        assert (sun.workers.year, sun.workers.value) == (2023, 3200)
        assert (sun.compliance.cycle, sun.compliance.non_compliant, sun.compliance.assessed) == (
            2, 1, 3)
        assert rows["Angkor Knit"].workers is None and rows["Angkor Knit"].compliance is None

    def test_change_to_and_from_not_assessed_and_gaps(self, data):
        from shopfloor.models import Assessment, Finding

        cycle3 = Assessment.objects.create(facility=data.sun, cycle=3, source=data.bfc2)
        Finding.objects.create(assessment=cycle3, criterion=data.criteria["1"],
                               status="not_assessed", source=data.bfc2)
        cycle4 = Assessment.objects.create(facility=data.sun, cycle=4, source=data.bfc2)
        Finding.objects.create(assessment=cycle4, criterion=data.criteria["1"],
                               status="non_compliant", source=data.bfc2)
        Finding.objects.create(assessment=cycle4, criterion=data.criteria["2"],
                               status="non_compliant", source=data.bfc2)
        (table,) = facility_profile(data.sun).findings
        rows = {row.criterion.code: [cell.change for cell in row.cells] for row in table.rows}
        assert rows["1"] == ["", "worse", "changed", "changed"]
        # criterion 2 was not in cycle 3: nothing to compare cycle 4 with
        assert rows["2"] == ["", "better", "", ""]
        assert (table.latest.cycle, table.latest_non_compliant, table.latest_assessed) == (
            4, 2, 2)
