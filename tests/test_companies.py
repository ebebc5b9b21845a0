"""shopfloor.companies: finding brands and a brand's profile, on the real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Q

from shopfloor.companies import (
    company_profile,
    relationship_years,
    search_companies,
    summarise_companies,
    suppliers_by_year,
)
from shopfloor.models import Company, Datapoint, Facility, Metric, Relationship, Source

pytestmark = pytest.mark.django_db

GROUP_KM_ALIAS = "ក្រុមហ៊ុនធំ"


def build_brands() -> SimpleNamespace:
    """The web dataset (Brand A at Sun Rise 2021–2023 and Golden Thread 2022, Brand B at Sun
    Rise 2024), plus: a group owning Brand A, Brand C at both factories in 2022, a
    Bangladeshi factory Brand A sources from with no year, and Brand A's commitments."""
    from tests.web.dataset import build

    d = build()
    register = Source.objects.create(
        publisher="Corporate register", title="Ownership extract", url="https://example.org/r",
        published_on=date(2024, 1, 31),
    )
    index = Source.objects.create(
        publisher="Wikirate", title="Fashion Transparency Index", url="https://wikirate.org/f",
        published_on=date(2023, 7, 1), importer="wikirate",
    )
    index_2022 = Source.objects.create(
        publisher="Wikirate", title="Fashion Transparency Index 2022",
        url="https://wikirate.org/f22", published_on=date(2022, 7, 1), importer="wikirate",
    )
    brand_c_list = Source.objects.create(publisher="Brand C", title="Brand C factories",
                                         file_name="c.pdf", published_on=date(2022, 12, 1))
    undated_list = Source.objects.create(publisher="Open Supply Hub", title="Bangladesh",
                                         url="https://opensupplyhub.org/bd")

    group = Company.objects.create(name="Great Group", kind=Company.Kind.GROUP,
                                   aliases=["GG Holdings", GROUP_KM_ALIAS], hq_country="SE")
    group.sources.add(register)
    brand_c = Company.objects.create(name="brand c", kind=Company.Kind.RETAILER,
                                     aliases=["Charlie Stores"])
    owner_rel = Relationship.objects.create(
        subject=group, kind="owns_brand", object_company=d.brand_a, year_start=2019,
        source=register,
    )
    owned_factory = Relationship.objects.create(
        subject=group, kind="owns_facility", facility=d.angkor, year_start=2020, source=register,
    )
    for facility in (d.sun, d.golden):
        Relationship.objects.create(subject=brand_c, kind="sources_from", facility=facility,
                                    year_start=2022, year_end=2022, source=brand_c_list)
    dhaka = Facility.objects.create(name="Dhaka Knit", country="BD")
    dhaka_rel = Relationship.objects.create(subject=d.brand_a, kind="sources_from",
                                            facility=dhaka, source=undated_list)

    fti = Metric.objects.create(code="fti_score", name="Fashion Transparency Index",
                                topic="transparency", value_type="percent", unit="%",
                                subject="company")
    grade = Metric.objects.create(code="living_wage_grade", name="Living-wage grade",
                                  topic="wages", value_type="category", unit="A–E",
                                  subject="company")
    foa = Metric.objects.create(code="has_foa_policy", name="Freedom-of-association policy",
                                topic="foa", value_type="category", subject="company")
    fti_2022 = Datapoint.objects.create(metric=fti, company=d.brand_a, year=2022,
                                        value_number=Decimal("41"), source=index_2022)
    fti_2023 = Datapoint.objects.create(metric=fti, company=d.brand_a, year=2023,
                                        value_number=Decimal("48.5"), source=index)
    grade_2023 = Datapoint.objects.create(metric=grade, company=d.brand_a, year=2023,
                                          value_text="C", source=index)
    foa_2024 = Datapoint.objects.create(metric=foa, company=d.brand_a, year=2024,
                                        value_text="yes", source=index)
    Datapoint.objects.create(metric=fti, company=d.brand_b, year=2023, value_number=12,
                             source=index)
    return SimpleNamespace(
        **vars(d), register=register, index=index, index_2022=index_2022,
        brand_c_list=brand_c_list, undated_list=undated_list, group=group, brand_c=brand_c,
        owner_rel=owner_rel, owned_factory=owned_factory, dhaka=dhaka, dhaka_rel=dhaka_rel,
        fti=fti, grade=grade, foa=foa, fti_2022=fti_2022, fti_2023=fti_2023,
        grade_2023=grade_2023, foa_2024=foa_2024,
    )


@pytest.fixture
def d(db):
    return build_brands()


def _names(companies) -> list[str]:
    return [c.name for c in companies]


class TestSearch:
    def test_empty_query_lists_every_company_by_name(self, d):
        assert _names(search_companies()) == ["Brand A", "Brand B", "brand c", "Great Group"]

    def test_name_ignores_case(self, d):
        assert _names(search_companies("BRAND c")) == ["brand c"]
        assert _names(search_companies("  brand  ")) == ["Brand A", "Brand B", "brand c"]

    def test_aliases_match_in_latin_and_khmer(self, d):
        assert _names(search_companies("charlie")) == ["brand c"]
        assert _names(search_companies("gg hold")) == ["Great Group"]
        assert _names(search_companies(GROUP_KM_ALIAS[:5])) == ["Great Group"]

    def test_kind_narrows(self, d):
        assert _names(search_companies("", kind="retailer")) == ["brand c"]
        assert _names(search_companies("brand", kind="brand")) == ["Brand A", "Brand B"]

    def test_nothing_matches(self, d):
        assert list(search_companies("zzz")) == []


def test_summaries_count_distinct_factories_and_latest_year(d, django_assert_num_queries):
    companies = list(search_companies())
    with django_assert_num_queries(1):
        rows = summarise_companies(companies)
    got = {row.company.name: (row.factories, row.latest_year) for row in rows}
    # Brand A: Sun Rise, Golden Thread, Dhaka Knit (no year); latest year 2023
    assert got == {"Brand A": (3, 2023), "Brand B": (1, 2024), "brand c": (2, 2022),
                   "Great Group": (0, None)}


@pytest.mark.parametrize(("start", "end", "years"), [
    (2021, 2023, [2021, 2022, 2023]),
    (2024, None, [2024]),
    (None, 2020, [2020]),
    (None, None, []),
    (2022, 2022, [2022]),
])
def test_relationship_years(start, end, years):
    assert relationship_years(Relationship(year_start=start, year_end=end)) == years


class TestProfile:
    def test_suppliers_newest_first_with_their_periods_and_sources(self, d):
        profile = company_profile(d.brand_a)
        assert [s.facility.name for s in profile.suppliers] == [
            "Sun Rise Garment Co., Ltd.", "Golden Thread Apparel", "Dhaka Knit"]
        sun = profile.suppliers[0]
        assert sun.relationships == [d.rel_a]
        assert sun.years == [2023, 2022, 2021]
        assert sun.latest_year == 2023
        assert sun.sources == [d.brand_list]
        assert profile.suppliers[2].years == []
        assert profile.suppliers[2].latest_year is None

    def test_year_by_country_table(self, d):
        table = suppliers_by_year(company_profile(d.brand_a))
        assert table.countries == ["KH", "BD"]  # most factories first
        assert table.years == [2023, 2022, 2021]
        assert table.rows == [(2023, [1, 0], 1), (2022, [2, 0], 2), (2021, [1, 0], 1)]
        assert table.unknown_row == ([0, 1], 1)

    def test_facilities_grouped_by_latest_year(self, d):
        groups = company_profile(d.brand_a).by_latest_year
        assert [(g.year, [s.facility.name for s in g.suppliers]) for g in groups] == [
            (2023, ["Sun Rise Garment Co., Ltd."]),
            (2022, ["Golden Thread Apparel"]),
            (None, ["Dhaka Knit"]),
        ]

    def test_commitments_grouped_by_metric_newest_first_each_with_its_source(self, d):
        commitments = company_profile(d.brand_a).commitments
        # topics in their declared order: wages, freedom of association, transparency
        assert [c.metric.code for c in commitments] == [
            "living_wage_grade", "has_foa_policy", "fti_score"]
        fti = commitments[2]
        assert fti.datapoints == [d.fti_2023, d.fti_2022]
        assert fti.latest.value == Decimal("48.5")
        assert [dp.source for dp in fti.datapoints] == [d.index, d.index_2022]
        assert d.brand_b.pk not in {dp.company_id for c in commitments for dp in c.datapoints}

    def test_owner_and_owned_brands(self, d):
        brand = company_profile(d.brand_a)
        assert [o.company for o in brand.owners] == [d.group]
        assert brand.owners[0].relationships == [d.owner_rel]
        assert brand.owned_brands == []
        group = company_profile(d.group)
        assert [o.company for o in group.owned_brands] == [d.brand_a]
        assert [o.facility for o in group.owned_facilities] == [d.angkor]
        assert group.owners == []
        assert group.suppliers == []
        assert group.sources == [d.register]  # named in it and gave the ownership links

    def test_overlap_counts_shared_factories_and_same_year(self, d):
        profile = company_profile(d.brand_a)
        got = [(o.company.name, o.shared, o.years) for o in profile.overlaps]
        # brand c: both factories in 2022, when Brand A was at both too;
        # Brand B: Sun Rise only, in 2024 after Brand A had left (2021–2023)
        assert got == [("brand c", 2, [(2022, 2)]), ("Brand B", 1, [])]
        assert profile.overlap_count == 2
        assert profile.overlaps[0].sources == [d.brand_c_list]
        assert profile.overlaps[0].facility_ids == {d.sun.pk, d.golden.pk}

    def test_overlap_is_symmetric_for_the_other_brand(self, d):
        profile = company_profile(d.brand_b)
        assert [(o.company, o.shared, o.years) for o in profile.overlaps] == [
            (d.brand_a, 1, []), (d.brand_c, 1, [])]

    def test_overlap_keeps_the_top_n(self, d):
        profile = company_profile(d.brand_a, overlaps=1)
        assert [o.company for o in profile.overlaps] == [d.brand_c]
        assert profile.overlap_count == 2
        # the left-out brand's list is not among the sources shown
        assert d.brand_b_list not in profile.sources

    def test_sources_are_every_source_used_once(self, d):
        profile = company_profile(d.brand_a)
        assert profile.sources == [
            d.brand_list, d.brand_b_list, d.brand_c_list, d.register, d.undated_list,
            d.index, d.index_2022,
        ]

    def test_company_with_nothing(self, d):
        lonely = Company.objects.create(name="Lonely")
        profile = company_profile(lonely)
        assert (profile.suppliers, profile.commitments, profile.overlaps, profile.sources) == (
            [], [], [], [])
        assert suppliers_by_year(profile).rows == []
        assert suppliers_by_year(profile).unknown_row is None


def test_profile_queries_do_not_grow_with_the_data(d, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        small = company_profile(d.brand_a)
        suppliers_by_year(small)
        _ = small.by_latest_year
    source = Source.objects.create(publisher="Big list", title="Many", file_name="m.csv")
    metric = d.fti
    for i in range(30):
        facility = Facility.objects.create(name=f"Factory {i}", country="VN" if i % 2 else "KH")
        Relationship.objects.create(subject=d.brand_a, kind="sources_from", facility=facility,
                                    year_start=2015 + i % 8, year_end=2023, source=source)
        other = Company.objects.create(name=f"Other {i}")
        Relationship.objects.create(subject=other, kind="sources_from", facility=facility,
                                    year_start=2020, source=source)
        Datapoint.objects.create(metric=metric, company=d.brand_a, year=1990 + i,
                                 value_number=i, source=source)
    with django_assert_max_num_queries(5):
        big = company_profile(d.brand_a)
        table = suppliers_by_year(big)
        _ = big.by_latest_year
        _ = [o.years for o in big.overlaps]
    assert len(big.suppliers) == 33
    assert big.overlap_count == 32
    assert len(big.overlaps) == 10
    assert table.countries == ["KH", "VN", "BD"]
    totals = {year: total for year, _, total in table.rows}
    assert totals[2023] == 31  # Sun Rise and the 30 new ones
    assert totals[2020] == 24  # the new ones that started by 2020


class TestVisibleSources:
    """``visible`` leaves out every fact from sources the reader may not see."""

    PUBLIC = Q(visibility=Source.Visibility.PUBLIC)

    def test_hidden_sources_leave_suppliers_values_overlaps_and_counts(self, d):
        Source.objects.filter(pk__in=[d.brand_c_list.pk, d.index.pk, d.undated_list.pk]).update(
            visibility=Source.Visibility.ORGANISATION)
        Source.objects.filter(pk=d.register.pk).update(visibility=Source.Visibility.RESTRICTED)
        profile = company_profile(d.brand_a, visible=self.PUBLIC)
        assert [s.facility for s in profile.suppliers] == [d.sun, d.golden]  # not Dhaka
        assert [(o.company, o.shared) for o in profile.overlaps] == [(d.brand_b, 1)]
        assert profile.overlap_count == 1
        assert [c.metric.code for c in profile.commitments] == ["fti_score"]
        assert profile.commitments[0].datapoints == [d.fti_2022]
        assert profile.owners == []
        assert d.index not in profile.sources and d.register not in profile.sources
        assert company_profile(d.group, visible=self.PUBLIC).sources == []
        rows = summarise_companies([d.brand_a, d.brand_c], visible=self.PUBLIC)
        assert [(r.factories, r.latest_year) for r in rows] == [(2, 2023), (0, None)]
        # without a filter, everything
        assert len(company_profile(d.brand_a).suppliers) == 3
