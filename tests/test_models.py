"""The evidence model's rules, enforced by the database itself (SQLite and PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from shopfloor.models import (
    Assessment,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Relationship,
    Source,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestProvenanceRequired:
    def test_source_needs_a_url_or_a_file(self):
        _refused(lambda: Source.objects.create(publisher="ILO", title="Findings"))
        Source.objects.create(publisher="ILO", title="Findings", url="https://betterwork.org/x")

    def test_source_needs_a_publisher(self):
        _refused(lambda: Source.objects.create(publisher="", title="x", file_name="x.csv"))

    def test_datapoint_without_source_is_refused(self):
        fac, m = f.facility(), f.metric()
        _refused(lambda: Datapoint.objects.create(facility=fac, metric=m, year=2024,
                                                  value_number=5))

    def test_relationship_without_source_is_refused(self):
        fac, brand = f.facility(), f.company()
        _refused(lambda: Relationship.objects.create(subject=brand, facility=fac,
                                                     kind="sources_from", year_start=2020))

    def test_facility_record_without_source_is_refused(self):
        _refused(lambda: FacilityRecord.objects.create(name="X Garment", country="KH"))

    def test_finding_without_source_is_refused(self):
        src = f.source()
        a = Assessment.objects.create(facility=f.facility(src), cycle=1, source=src)
        crit = f.criterion(src=src)
        _refused(lambda: Finding.objects.create(assessment=a, criterion=crit,
                                                status="compliant"))


class TestFacilityRecords:
    def test_confirmed_record_must_name_its_facility(self):
        src = f.source()
        _refused(lambda: FacilityRecord.objects.create(
            source=src, row_number=2, name="Orphan Garment", decision="confirmed"))
        _refused(lambda: FacilityRecord.objects.create(
            source=src, row_number=3, name="Orphan Garment", decision="automatic"))

    def test_pending_and_rejected_records_may_stand_alone(self):
        src = f.source()
        FacilityRecord.objects.create(source=src, row_number=2, name="A", decision="pending")
        FacilityRecord.objects.create(source=src, row_number=3, name="B", decision="rejected")
        assert FacilityRecord.objects.filter(facility=None).count() == 2

    def test_a_record_belongs_to_one_canonical_facility(self):
        src = f.source()
        one, two = f.facility(src), f.facility(src)
        rec = FacilityRecord.objects.create(source=src, row_number=99, name="Same",
                                            facility=one, decision="confirmed")
        rec.facility = two
        rec.save()
        assert list(one.records.filter(pk=rec.pk)) == []
        assert two.records.filter(pk=rec.pk).exists()

    def test_one_record_per_source_row(self):
        src = f.source()
        FacilityRecord.objects.create(source=src, row_number=5, name="A")
        _refused(lambda: FacilityRecord.objects.create(source=src, row_number=5, name="B"))

    def test_match_score_is_a_probability(self):
        src = f.source()
        _refused(lambda: FacilityRecord.objects.create(source=src, row_number=7, name="A",
                                                       match_score=1.5))

    def test_os_id_is_unique_across_facilities(self):
        Facility.objects.create(name="A", country="KH", os_id="KH2019067X1K87E")
        _refused(lambda: Facility.objects.create(name="B", country="KH",
                                                 os_id="KH2019067X1K87E"))
        # facilities without an OS ID do not collide
        Facility.objects.create(name="C", country="KH")
        Facility.objects.create(name="D", country="KH")

    def test_coordinates_must_be_valid(self):
        _refused(lambda: Facility.objects.create(name="A", country="KH", lat=91, lng=104))
        _refused(lambda: Facility.objects.create(name="A", country="KH", lat=11.5))


class TestFindings:
    def _assessment(self):
        src = f.source()
        return src, Assessment.objects.create(facility=f.facility(src), cycle=1, source=src,
                                              assessed_on=date(2024, 3, 1))

    def test_status_is_constrained(self):
        src, a = self._assessment()
        crit = f.criterion(src=src)
        _refused(lambda: Finding.objects.create(assessment=a, criterion=crit, source=src,
                                                status="mostly fine"))
        Finding.objects.create(assessment=a, criterion=crit, source=src, status="non_compliant")

    def test_one_finding_per_criterion_and_assessment(self):
        src, a = self._assessment()
        crit = f.criterion(src=src)
        Finding.objects.create(assessment=a, criterion=crit, source=src, status="compliant")
        _refused(lambda: Finding.objects.create(assessment=a, criterion=crit, source=src,
                                                status="non_compliant"))

    def test_one_assessment_per_facility_cycle(self):
        src, a = self._assessment()
        _refused(lambda: Assessment.objects.create(facility=a.facility, cycle=1, source=src))
        _refused(lambda: Assessment.objects.create(facility=a.facility, cycle=0, source=src))


class TestDatapoints:
    def test_exactly_one_subject(self):
        src, fac, brand, m = f.source(), f.facility(), f.company(), f.metric()
        _refused(lambda: Datapoint.objects.create(metric=m, source=src, year=2024,
                                                  value_number=1, facility=fac, company=brand))
        _refused(lambda: Datapoint.objects.create(metric=m, source=src, year=2024,
                                                  value_number=1))
        Datapoint.objects.create(metric=m, source=src, year=2024, value_number=208,
                                 country="KH")

    def test_missing_value_is_not_stored(self):
        src, fac, m = f.source(), f.facility(), f.metric()
        _refused(lambda: Datapoint.objects.create(metric=m, source=src, year=2024,
                                                  facility=fac))
        zero = Datapoint.objects.create(metric=m, source=src, year=2024, facility=fac,
                                        value_number=Decimal("0"))
        assert zero.value == 0

    def test_needs_a_year_or_period(self):
        src, fac, m = f.source(), f.facility(), f.metric()
        _refused(lambda: Datapoint.objects.create(metric=m, source=src, facility=fac,
                                                  value_number=3))
        Datapoint.objects.create(metric=m, source=src, facility=fac, value_number=3,
                                 period_start=date(2024, 1, 1), period_end=date(2024, 6, 30))

    def test_value_keeps_decimals_and_text(self):
        src, fac = f.source(), f.facility()
        pct = Datapoint.objects.create(metric=f.metric("workers_female_pct"), source=src,
                                       facility=fac, year=2021, value_number=Decimal("71.5"))
        grade = Datapoint.objects.create(metric=f.metric("grade"), source=src, facility=fac,
                                         year=2021, value_text="B")
        pct.refresh_from_db()
        assert pct.value == Decimal("71.5")
        assert grade.value == "B"


class TestRelationships:
    def test_exactly_one_object(self):
        src, fac, brand, group = f.source(), f.facility(), f.company(), f.company()
        _refused(lambda: Relationship.objects.create(subject=brand, kind="sources_from",
                                                     source=src, year_start=2020))
        _refused(lambda: Relationship.objects.create(subject=group, kind="owns_brand",
                                                     facility=fac, object_company=brand,
                                                     source=src))

    def test_years_in_order(self):
        src, fac, brand = f.source(), f.facility(), f.company()
        _refused(lambda: Relationship.objects.create(subject=brand, facility=fac, source=src,
                                                     kind="sources_from", year_start=2022,
                                                     year_end=2019))
        rel = Relationship.objects.create(subject=brand, facility=fac, source=src,
                                          kind="sources_from", year_start=2016, year_end=2021)
        assert rel.period == "2016–2021"


@pytest.mark.django_db
def test_built_in_metrics_get_their_khmer_name():
    from django.utils import translation

    from shopfloor.models import Metric

    metric = Metric.objects.create(code="workers_total", name="Total workers",
                                   topic="demographics", value_type="number")
    assert metric.name_km == "ចំនួនកម្មករសរុប"
    other = Metric.objects.create(code="wikirate_x", name="Some score", topic="other",
                                  value_type="number")
    assert other.name_km == ""
    with translation.override("km"):
        assert metric.display_name == "ចំនួនកម្មករសរុប"
        assert other.display_name == "Some score"  # no Khmer name: as published
    with translation.override("en"):
        assert metric.display_name == "Total workers"
