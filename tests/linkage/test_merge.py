"""Exact duplicates inside the registry are found, merged with their history, and old ids
keep resolving."""

import datetime as dt

import pytest

from shopfloor.linkage.decisions import remembered
from shopfloor.linkage.merge import find_duplicates, merge, merge_duplicates, resolve
from shopfloor.models import (
    Assessment,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    MatchDecision,
    Organisation,
    Relationship,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_same_name_key_and_compatible_address_is_a_duplicate():
    src = factories.source()
    a = factories.facility(src, name="Golden Lotus Garment Co., Ltd.", os_id="KH2019067X1K87A",
                           address="St 21, Pou Senchey, Phnom Penh")
    b = factories.facility(src, name="GOLDEN LOTUS GARMENT (CAMBODIA) CO.,LTD",
                           address="Phnom Penh")
    factories.facility(src, name="Golden Lotus Garment", address="Bavet, Svay Rieng")
    factories.facility(src, name="Golden Lotus Garment Unit 2", address="Phnom Penh")
    factories.facility(src, name="Golden Lotus Garment", address="Phnom Penh",
                       os_id="KH2019067X1K99Z")  # another OS ID: another site
    (group,) = find_duplicates()
    assert group.keep == a and group.duplicates == [b]
    assert "compatible address" in group.reasons[0]


def test_a_record_carrying_anothers_os_id_is_a_duplicate():
    src = factories.source()
    a = factories.facility(src, name="Sunrise Apparel", os_id="KH2020001ABCDEF")
    b = factories.facility(src, name="Sun Rise Apparel Factory")
    FacilityRecord.objects.create(source=src, row_number=99, name="Sun Rise", country="KH",
                                  os_id="KH2020001ABCDEF", facility=b, decision="automatic")
    (group,) = find_duplicates()
    assert (group.keep, group.duplicates) == (a, [b])


def test_merge_moves_history_and_keeps_old_id_resolving():
    src = factories.source()
    keep = factories.facility(src, name="Golden Lotus Garment")
    dup = factories.facility(src, name="Golden Lotus Garment Co", bfc_id="BFC-77",
                             name_km="រោងចក្រ ផ្កាឈូក", lat=11.5, lng=104.9)
    brand = factories.company(src)
    Relationship.objects.create(subject=brand, kind="sources_from", facility=dup, source=src,
                                year_start=2019)
    metric = factories.metric()
    Datapoint.objects.create(metric=metric, facility=dup, year=2024, value_number=900,
                             source=src)
    crit_a, crit_b = factories.criterion("1", src), factories.criterion("2", src)
    mine = Assessment.objects.create(facility=keep, cycle=1, source=src)
    Finding.objects.create(assessment=mine, criterion=crit_a, status="compliant", source=src)
    theirs = Assessment.objects.create(facility=dup, cycle=1, source=src,
                                       assessed_on=dt.date(2023, 5, 1))
    Finding.objects.create(assessment=theirs, criterion=crit_a, status="non_compliant",
                           source=src)
    Finding.objects.create(assessment=theirs, criterion=crit_b, status="compliant",
                           source=src)
    Assessment.objects.create(facility=dup, cycle=2, source=src)
    union = Organisation.objects.create(name="U", kind="factory_union")
    union.facilities.add(dup)
    old = MatchDecision.objects.create(fingerprint="f" * 64, facility=keep, verdict="rejected")
    MatchDecision.objects.create(fingerprint="f" * 64, facility=dup, verdict="confirmed")
    MatchDecision.objects.filter(pk=old.pk).update(decided_at=dt.datetime(2020, 1, 1,
                                                                          tzinfo=dt.UTC))

    merge(keep, dup)

    keep.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into == keep and resolve(dup.pk) == keep
    assert keep.records.count() == 2 and not dup.records.exists()
    assert keep.relationships.count() == 1 and keep.datapoints.count() == 1
    assert sorted(keep.assessments.values_list("cycle", flat=True)) == [1, 2]
    cycle1 = keep.assessments.get(cycle=1)
    assert cycle1.assessed_on == dt.date(2023, 5, 1)
    # Both had criterion 1 in cycle 1: the kept finding stays; criterion 2 moved over.
    assert dict(cycle1.findings.values_list("criterion__code", "status")) == {
        "1": "compliant", "2": "compliant"}
    assert list(union.facilities.all()) == [keep]
    assert (keep.bfc_id, keep.name_km, keep.lat) == ("BFC-77", "រោងចក្រ ផ្កាឈូក", 11.5)
    assert dup.bfc_id is None and "Golden Lotus Garment Co" not in keep.other_names
    (memo,) = remembered(["f" * 64]).values()
    assert memo.confirmed == {keep.pk} and not memo.rejected  # the newer verdict won


def test_merge_chain_and_merge_duplicates_dry_run():
    src = factories.source()
    a = factories.facility(src, name="Mekong Knit", address="Kandal")
    b = factories.facility(src, name="MEKONG KNIT LTD", address="")
    groups = merge_duplicates(dry_run=True)
    assert len(groups) == 1 and not Facility.objects.exclude(merged_into=None).exists()
    merge_duplicates()
    b.refresh_from_db()
    assert b.merged_into == a and find_duplicates() == []
    c = factories.facility(src, name="Mekong Knitting")
    merge(c, a)  # a (and so b) now resolve to c
    b.refresh_from_db()
    assert b.merged_into == c and resolve(b.pk) == c
    with pytest.raises(ValueError):
        merge(a, c)


def test_identifiers_never_collide_and_generic_names_are_left_alone():
    src = factories.source()
    keep = factories.facility(src, name="Apex Apparel", os_id="KH2020001AAAAAA")
    dup = factories.facility(src, name="Apex Apparel Unit A", os_id="KH2020001BBBBBB")
    merge(keep, dup)  # a person decided: OS Hub itself has merged ids
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert (keep.os_id, dup.os_id) == ("KH2020001AAAAAA", "KH2020001BBBBBB")
    from shopfloor.linkage import merge as merge_module

    for _ in range(merge_module.MAX_SAME_NAME + 1):
        Facility.objects.create(name="Garment Factory", country="KH")
    assert find_duplicates() == []
