"""Deleting a Source leaves no orphan facts (library, admin and CLI share one rule)."""

import pytest

from shopfloor.models import (
    Assessment,
    Company,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Relationship,
)
from shopfloor.provenance import delete_source
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_facts_of_a_deleted_source_go_with_it():
    nike_2021, union_list = f.source(title="Brand list 2021"), f.source(title="Union list")
    fac = f.facility(nike_2021)
    FacilityRecord.objects.create(source=union_list, row_number=2, name=fac.name,
                                  facility=fac, decision="confirmed")
    brand = f.company(nike_2021)
    Relationship.objects.create(subject=brand, facility=fac, kind="sources_from",
                                year_start=2021, source=nike_2021)
    Datapoint.objects.create(facility=fac, metric=f.metric(), year=2021, value_number=900,
                             source=nike_2021)

    report = delete_source(nike_2021)

    assert not Relationship.objects.exists()
    assert not Datapoint.objects.exists()
    # still described by the union's list: kept, not flagged
    fac.refresh_from_db()
    assert fac.provenance_lost is False
    # the brand was named only by the deleted list and has no facts left
    assert not Company.objects.filter(pk=brand.pk).exists()
    assert report.companies_deleted == 1 and report.facilities_deleted == 0


def test_facility_known_only_from_the_deleted_source_is_deleted():
    src = f.source()
    fac = f.facility(src)
    a = Assessment.objects.create(facility=fac, cycle=1, source=src)
    Finding.objects.create(assessment=a, criterion=f.criterion(), status="compliant",
                           source=src)

    report = delete_source(src)

    assert not Facility.objects.filter(pk=fac.pk).exists()
    assert not Finding.objects.exists()
    assert report.facilities_deleted == 1


def test_facility_with_facts_from_elsewhere_is_flagged_not_deleted():
    described_by, other = f.source(), f.source()
    fac = f.facility(described_by)
    dp = Datapoint.objects.create(facility=fac, metric=f.metric(), year=2022,
                                  value_number=1200, source=other)

    report = delete_source(described_by)

    fac.refresh_from_db()
    assert fac.provenance_lost is True
    assert Datapoint.objects.filter(pk=dp.pk).exists()
    assert report.facilities_flagged == 1


def test_company_with_relationships_from_another_source_is_flagged():
    named_by, other = f.source(), f.source()
    brand = f.company(named_by)
    Relationship.objects.create(subject=brand, facility=f.facility(other), source=other,
                                kind="sources_from", year_start=2020)

    delete_source(named_by)

    brand.refresh_from_db()
    assert brand.provenance_lost is True


def test_deleting_through_the_orm_applies_the_same_rule():
    src = f.source()
    fac = f.facility(src)
    src.delete()  # what the admin does
    assert not Facility.objects.filter(pk=fac.pk).exists()


def test_untouched_facilities_are_left_alone():
    src, other = f.source(), f.source()
    bystander = f.facility(other)
    f.facility(src)
    delete_source(src)
    assert Facility.objects.filter(pk=bystander.pk, provenance_lost=False).exists()
