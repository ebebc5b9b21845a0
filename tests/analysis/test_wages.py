"""Wages against the legal minimum and the living-wage benchmark, on the real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shopfloor.analysis.wages import (
    LIVING_WAGE_METRIC,
    MINIMUM_WAGE_METRIC,
    Gap,
    compare,
    is_monthly_wage,
    wage_comparison,
)
from shopfloor.facilities import facility_profile
from shopfloor.models import Datapoint, Facility, Metric, Source

pytestmark = pytest.mark.django_db


def _source(title: str, published: date | None = None) -> Source:
    return Source.objects.create(publisher="Test", title=title, file_name=f"{title}.csv",
                                 published_on=published)


def _metric(code: str, unit: str = "USD/month", subject: str = "facility",
            value_type: str = "money") -> Metric:
    return Metric.objects.create(code=code, name=code.replace("_", " "), topic="wages",
                                 unit=unit, value_type=value_type, subject=subject)


@pytest.fixture
def wages(db):
    survey = _source("survey")
    old_table, new_table = _source("min 2023", date(2023, 1, 1)), _source("min 2024",
                                                                         date(2024, 1, 1))
    living_src = _source("living")
    facility = Facility.objects.create(name="Wage Factory", country="KH", province="Kandal")
    other = Facility.objects.create(name="Other", country="KH")
    avg = _metric("avg_monthly_wage_usd")
    minimum = _metric(MINIMUM_WAGE_METRIC, subject="country")
    living = _metric(LIVING_WAGE_METRIC, subject="country")
    riel = _metric("avg_monthly_wage_khr", unit="KHR/month")
    grade = _metric("wage_grade", unit="", value_type="category")

    def dp(metric, value=None, **kw):
        kw.setdefault("source", survey)
        if isinstance(value, str):
            return Datapoint.objects.create(metric=metric, value_text=value, **kw)
        return Datapoint.objects.create(metric=metric, value_number=value, **kw)

    w2022 = dp(avg, Decimal("190"), facility=facility, year=2022)
    w2023 = dp(avg, Decimal("254.25"), facility=facility, year=2023)
    w2021 = dp(avg, Decimal("185.5"), facility=facility, period_start=date(2021, 7, 1))
    dp(riel, 800000, facility=facility, year=2023)  # another currency: not compared
    dp(grade, "B", facility=facility, year=2023)  # not a wage amount
    dp(avg, 999, facility=other, year=2023)  # another factory
    m2022 = dp(minimum, 194, country="KH", year=2022, source=old_table)
    dp(minimum, 199, country="KH", year=2023, source=old_table)  # superseded by the newer
    m2023 = dp(minimum, 200, country="KH", year=2023, source=new_table)
    dp(minimum, 201, country="KH", year=2023, source=new_table,
       verification="disputed")  # disputed: loses to the undisputed value
    dp(minimum, 150, country="VN", year=2023, source=new_table)  # another country
    l2023 = dp(living, 412, country="KH", year=2023, source=living_src)
    return locals()


def test_each_wage_with_the_benchmarks_of_its_year(wages):
    comparison = wage_comparison(wages["facility"])
    assert [(r.year, r.wage) for r in comparison.rows] == [
        (2023, wages["w2023"]), (2022, wages["w2022"]), (2021, wages["w2021"])]
    latest, middle, first = comparison.rows
    assert latest.minimum == wages["m2023"]
    assert latest.living == wages["l2023"]
    assert middle.minimum == wages["m2022"] and middle.living is None
    assert first.minimum is None and first.gap_minimum is None  # no minimum known for 2021
    assert comparison.years == [2021, 2022, 2023]


def test_gaps_absolute_and_percent_of_the_benchmark(wages):
    latest, middle, _ = wage_comparison(wages["facility"]).rows
    assert latest.gap_minimum == Gap(Decimal("54.25"), Decimal("27.1"))
    assert not latest.gap_minimum.below
    assert latest.gap_living == Gap(Decimal("-157.75"), Decimal("-38.3"))
    assert latest.gap_living.below
    assert middle.gap_minimum == Gap(Decimal("-4"), Decimal("-2.1"))
    assert middle.gap_living is None


def test_two_queries_whatever_the_amount_of_data(wages, django_assert_num_queries):
    with django_assert_num_queries(2):
        comparison = wage_comparison(wages["facility"])
        assert comparison.rows[0].minimum.source.title == "min 2024"  # sources selected


def test_only_monthly_usd_wage_metrics_are_compared(wages):
    assert is_monthly_wage(wages["avg"])
    assert not is_monthly_wage(wages["riel"])
    assert not is_monthly_wage(wages["grade"])
    assert not is_monthly_wage(wages["minimum"])
    plain = _metric("wage_avg", unit="USD")
    assert is_monthly_wage(plain)


def test_without_wages_nothing_to_compare(wages):
    comparison = wage_comparison(wages["other"])
    assert [r.wage.value for r in comparison.rows] == [999]
    empty = compare("KH", [], list(Datapoint.objects.filter(country="KH")))
    assert not empty and empty.rows == [] and empty.datapoints == []
    assert empty.minimum[2023] == wages["m2023"]


def test_the_profile_carries_the_comparison_and_only_the_sources_shown(wages):
    profile = facility_profile(wages["facility"])
    assert [r.wage for r in profile.wages.rows] == [r.wage for r in
                                                    wage_comparison(wages["facility"]).rows]
    titles = {s.title for s in profile.sources}
    assert {"survey", "min 2024", "min 2023", "living"} <= titles
    # the country's benchmarks are not the factory's facts
    facts = [dp for group in profile.facts for m in group.metrics for dp in m.datapoints]
    assert all(dp.facility_id == wages["facility"].pk for dp in facts)
    assert {s.title for s in facility_profile(wages["other"]).sources} == {
        "survey", "min 2024", "living"}
    # a facility without wages cites no benchmark source
    bare = Facility.objects.create(name="No wages", country="KH")
    assert facility_profile(bare).sources == []
