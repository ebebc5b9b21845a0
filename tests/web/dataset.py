"""A small, real dataset for the web pages, built through the ORM.

Three facilities in Cambodia; the first one has buyers over several years, facts from two
topics, and two BFC cycles whose findings get worse, better and stay the same.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from shopfloor.models import (
    Assessment,
    Company,
    Criterion,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Metric,
    Relationship,
    Source,
)

SUN_RISE_KM = "រោងចក្រ ស៊ុនរ៉ាយស៍ ហ្គាមិន"
SUN_RISE_OTHER_KM = "ស៊ុនរះ"
CRITERION_1_KM = "កម្មករទទួលបានប្រាក់ឈ្នួលអប្បបរមា"


def _source(**kw) -> Source:
    kw.setdefault("licence", "CC-BY-4.0")
    return Source.objects.create(**kw)


def _facility(src: Source, row: int, **kw) -> Facility:
    facility = Facility.objects.create(country="KH", **kw)
    FacilityRecord.objects.create(
        source=src, row_number=row, name=facility.name, country="KH", facility=facility,
        decision=FacilityRecord.Decision.CONFIRMED, match_score=1.0, raw={"name": facility.name},
    )
    return facility


def build() -> SimpleNamespace:
    """Create the dataset; every object the tests look for is an attribute."""
    oshub = _source(
        publisher="Open Supply Hub", title="Cambodia facilities", url="https://opensupplyhub.org/x",
        sha256="a" * 64, importer="oshub", retrieved_on=date(2024, 5, 2),
        published_on=date(2024, 5, 1),
    )
    brand_list = _source(
        publisher="Brand A", title="Brand A supplier list 2023", file_name="brand-a-2023.xlsx",
        importer="brand-list", published_on=date(2023, 12, 1),
    )
    brand_b_list = _source(publisher="Brand B", title="Brand B suppliers", file_name="b.csv",
                           importer="brand-list", published_on=date(2024, 3, 1))
    bfc1 = _source(publisher="Better Factories Cambodia", title="Transparency cycle 1",
                   url="https://betterfactories.org/c1", published_on=date(2022, 6, 1))
    bfc2 = _source(publisher="Better Factories Cambodia", title="Transparency cycle 2",
                   url="https://betterfactories.org/c2", published_on=date(2023, 6, 1))
    survey = _source(publisher="Wikirate", title="Workers and wages", url="https://wikirate.org/w",
                     importer="wikirate")

    sun = _facility(
        oshub, 2, name="Sun Rise Garment Co., Ltd.", name_km=SUN_RISE_KM,
        other_names=["SRG Factory", SUN_RISE_OTHER_KM], province="Kandal",
        address="Street 21, Ta Khmau", os_id="KH2021123ABCD", bfc_id="BFC-1001",
        lat=11.4833, lng=104.95,
    )
    golden = _facility(oshub, 3, name="Golden Thread Apparel", name_km="អំបោះមាស",
                       province="Phnom Penh", os_id="KH2019555WXYZ")
    angkor = _facility(oshub, 4, name="Angkor Knit", province="Kampong Speu", is_closed=True)

    brand_a = Company.objects.create(name="Brand A")
    brand_b = Company.objects.create(name="Brand B")
    rel_a = Relationship.objects.create(subject=brand_a, kind="sources_from", facility=sun,
                                        year_start=2021, year_end=2023, source=brand_list)
    rel_b = Relationship.objects.create(subject=brand_b, kind="sources_from", facility=sun,
                                        year_start=2024, source=brand_b_list)
    Relationship.objects.create(subject=brand_a, kind="sources_from", facility=golden,
                                year_start=2022, source=brand_list)

    workers = Metric.objects.create(code="workers_total", name="Workers", topic="demographics",
                                    value_type="number", unit="workers")
    women = Metric.objects.create(code="workers_women_pct", name="Women workers",
                                  topic="demographics", value_type="percent", unit="%")
    wage = Metric.objects.create(code="wage_avg", name="Average monthly wage", topic="wages",
                                 value_type="money", unit="USD")
    Datapoint.objects.create(metric=workers, facility=sun, year=2022, value_number=3050,
                             source=oshub)
    dp_workers = Datapoint.objects.create(metric=workers, facility=sun, year=2023,
                                          value_number=3200, source=survey,
                                          verification="community")
    dp_women = Datapoint.objects.create(metric=women, facility=sun, year=2023,
                                        value_number=Decimal("81.5"), source=survey)
    dp_wage = Datapoint.objects.create(metric=wage, facility=sun, year=2023,
                                       value_number=Decimal("254.25"), source=survey)
    Datapoint.objects.create(metric=workers, facility=golden, year=2021, value_number=900,
                             source=oshub)

    criteria = {
        code: Criterion.objects.create(code=code, cluster="Compensation", text=text,
                                       text_km=text_km, source=bfc1)
        for code, text, text_km in [
            ("10", "Overtime is voluntary", ""),
            ("1", "Workers are paid the minimum wage", CRITERION_1_KM),
            ("2", "No management interference with the union", ""),
        ]
    }
    cycle1 = Assessment.objects.create(facility=sun, cycle=1, assessed_on=date(2022, 3, 1),
                                       source=bfc1)
    cycle2 = Assessment.objects.create(facility=sun, cycle=2, assessed_on=date(2023, 3, 1),
                                       source=bfc2)
    for assessment, statuses in [
        (cycle1, {"1": "compliant", "2": "non_compliant", "10": "compliant"}),
        (cycle2, {"1": "non_compliant", "2": "compliant", "10": "compliant"}),
    ]:
        for code, status in statuses.items():
            Finding.objects.create(assessment=assessment, criterion=criteria[code],
                                   status=status, source=assessment.source)
    g1 = Assessment.objects.create(facility=golden, cycle=3, source=bfc2)
    Finding.objects.create(assessment=g1, criterion=criteria["1"], status="non_compliant",
                           source=bfc2)
    Finding.objects.create(assessment=g1, criterion=criteria["2"], status="compliant",
                           source=bfc2)
    Finding.objects.create(assessment=g1, criterion=criteria["10"], status="not_assessed",
                           source=bfc2)

    return SimpleNamespace(
        sun=sun, golden=golden, angkor=angkor, oshub=oshub, brand_list=brand_list,
        brand_b_list=brand_b_list, bfc1=bfc1, bfc2=bfc2, survey=survey, brand_a=brand_a,
        brand_b=brand_b, rel_a=rel_a, rel_b=rel_b, dp_workers=dp_workers, dp_women=dp_women,
        dp_wage=dp_wage, criteria=criteria, cycle1=cycle1, cycle2=cycle2,
    )


def demo_source() -> Source:
    return _source(publisher="Shopfloor demo", title="Fictional factories",
                   file_name="demo.json", is_demo=True)
