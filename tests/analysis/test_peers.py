"""Peer comparison: the share of factories non-compliant in their latest assessment."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from shopfloor.analysis.peers import (
    PeerCount,
    data_version,
    facility_peers,
    peer_table,
)
from shopfloor.facilities import facility_profile
from shopfloor.models import Assessment, Criterion, Facility, Finding, Source

pytestmark = pytest.mark.django_db
NC, C, NA = "non_compliant", "compliant", "not_assessed"


@pytest.fixture
def world(db):
    src = Source.objects.create(publisher="BFC", title="Transparency", url="https://bfc.test/")
    c1 = Criterion.objects.create(code="1", cluster="x", text="Minimum wage", source=src)
    c2 = Criterion.objects.create(code="2", cluster="x", text="Union", source=src)
    other = Criterion.objects.create(programme="BW", code="1", cluster="x", text="BW one",
                                     source=src)

    def factory(name, province="Kandal", country="KH", **kw):
        return Facility.objects.create(name=name, province=province, country=country, **kw)

    def assess(facility, cycle, statuses, programme="BFC"):
        a = Assessment.objects.create(facility=facility, cycle=cycle, programme=programme,
                                      source=src)
        for criterion, status in statuses.items():
            Finding.objects.create(assessment=a, criterion=criterion, status=status,
                                   source=src)
        return a

    a, b, c = factory("A"), factory("B"), factory("C")
    d, e = factory("D", "Phnom Penh"), factory("E", "Phnom Penh")
    closed = factory("Closed", is_closed=True)
    merged = factory("Merged", merged_into=a)
    foreign = factory("Foreign", province="Kandal", country="VN")
    nowhere = factory("No province", province="")
    assess(a, 1, {c1: NC, c2: NC})
    assess(a, 2, {c1: C, c2: NC})  # latest: compliant on 1
    assess(b, 1, {c1: NC, c2: C})
    assess(c, 4, {c1: NA, c2: C})  # not assessed on 1: not counted for 1
    assess(d, 1, {c1: NC})
    assess(e, 3, {c1: C})
    assess(closed, 1, {c1: NC})
    assess(merged, 1, {c1: NC})
    assess(foreign, 1, {c1: NC})
    assess(nowhere, 1, {c1: NC})
    assess(b, 1, {other: NC}, programme="BW")  # another programme
    return locals()


def test_province_and_country_counts_from_latest_assessments(world):
    peers = facility_peers(world["a"], ["BFC"])["BFC"]
    one, two = peers.get(world["c1"].pk), peers.get(world["c2"].pk)
    # Kandal: A (compliant in its latest cycle), B (non-compliant); C not assessed on 1;
    # the closed and the merged factory and the Vietnamese one are left out
    assert one.province == PeerCount(1, 2)
    # Cambodia: A, B, D, E and the factory without a province
    assert one.country == PeerCount(3, 5)
    assert two.province == PeerCount(1, 3) and two.country == PeerCount(1, 3)
    assert peers.get(world["other"].pk) is None  # another programme's criterion
    assert (peers.programme, peers.country, peers.province) == ("BFC", "KH", "Kandal")


def test_each_programme_on_its_own(world):
    peers = facility_peers(world["b"], ["BW", "BFC"])
    assert set(peers) == {"BFC", "BW"}
    assert peers["BW"].get(world["other"].pk).country == PeerCount(1, 1)
    assert peers["BW"].get(world["c1"].pk) is None


def test_no_province_no_province_group(world):
    peers = facility_peers(world["nowhere"], ["BFC"])["BFC"]
    assert peers.get(world["c1"].pk).province is None
    assert peers.get(world["c1"].pk).country == PeerCount(3, 5)


def test_small_groups_are_flagged_and_percent_rounded():
    assert PeerCount(2, 3).small and PeerCount(2, 3).percent == 67
    assert not PeerCount(34, 100).small and PeerCount(34, 100).percent == 34
    assert PeerCount(0, 0).percent is None


def test_one_aggregate_query_then_cached(world, django_assert_num_queries):
    version = data_version()
    with django_assert_num_queries(1):
        first = facility_peers(world["a"], ["BFC"], version)
    with django_assert_num_queries(0):  # another factory of the same country: cached
        again = facility_peers(world["d"], ["BFC"], version)
    assert again["BFC"].get(world["c1"].pk).country == first["BFC"].get(world["c1"].pk).country
    assert again["BFC"].get(world["c1"].pk).province == PeerCount(1, 2)  # Phnom Penh: D, E


def test_query_count_does_not_grow_with_the_number_of_factories(world,
                                                                django_assert_num_queries):
    src, c1 = world["src"], world["c1"]
    facilities = Facility.objects.bulk_create(
        Facility(name=f"More {i}", country="KH", province="Kandal") for i in range(60))
    assessments = Assessment.objects.bulk_create(
        Assessment(facility=f, cycle=1, source=src) for f in facilities)
    Finding.objects.bulk_create(
        Finding(assessment=a, criterion=c1, status=NC if i % 3 == 0 else C, source=src)
        for i, a in enumerate(assessments))
    with django_assert_num_queries(2):  # the data version, then the aggregate
        peers = facility_peers(world["a"], ["BFC"])["BFC"]
    assert peers.get(c1.pk).province == PeerCount(1 + 20, 2 + 60)
    assert not peers.get(c1.pk).province.small


def test_new_findings_change_the_version_and_the_counts(world):
    before = data_version()
    peer_table("BFC", "KH", before)
    assess = Assessment.objects.create(facility=world["e"], cycle=4, source=world["src"])
    Finding.objects.create(assessment=assess, criterion=world["c1"], status=NC,
                           source=world["src"])
    after = data_version()
    assert after != before
    assert peer_table("BFC", "KH", after)["country"][world["c1"].pk] == (4, 5)
    assert peer_table("BFC", "KH", before)["country"][world["c1"].pk] == (3, 5)  # old entry


def test_bulk_created_findings_change_the_version(world):
    before = data_version()
    a = Assessment.objects.bulk_create([Assessment(facility=world["d"], cycle=2,
                                                   source=world["src"])])[0]
    assert data_version() != before
    middle = data_version()
    Finding.objects.bulk_create([Finding(assessment=a, criterion=world["c2"], status=NC,
                                         source=world["src"])])
    assert data_version() != middle


def test_the_profile_attaches_peers_to_each_criterion_row(world, django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(6):  # five for the profile, one aggregate
        profile = facility_profile(world["a"])
    table = profile.findings[0]
    rows = {row.criterion.code: row for row in table.rows}
    assert rows["1"].peers.province == PeerCount(1, 2)
    assert rows["2"].peers.country == PeerCount(1, 3)
    with django_assert_num_queries(5):  # cached
        facility_profile(world["c"])  # same programme and country
    with django_assert_num_queries(5):
        assert facility_profile(world["a"], peers=False).findings[0].peers is None
