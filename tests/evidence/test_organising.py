"""Membership, Most Representative Status, agreements, NSSF."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from shopfloor.evidence import organising
from shopfloor.models import CollectiveAgreement, Datapoint, MembershipCount, NssfCount
from tests import factories as f


def _count(ws, on, female, male, dues, workforce=None):
    return MembershipCount.objects.create(organisation=ws.union, facility=ws.a, counted_on=on,
                                          members_female=female, members_male=male,
                                          dues_payers=dues, workforce=workforce)


@pytest.mark.parametrize("dues, workforce, share, needed", [
    (300, 1000, Decimal("30.0"), 0),     # exactly 30 %: reached
    (299, 1000, Decimal("29.9"), 1),
    (100, 1001, Decimal("10.0"), 201),   # 30 % of 1001 is 300.3: 301 needed
    (0, 10, Decimal("0.0"), 3),
    (10, 10, Decimal("100.0"), 0),
])
def test_mrs_progress(ws, dues, workforce, share, needed):
    progress = organising.mrs_progress(_count(ws, date(2025, 1, 1), dues, 0, dues, workforce))
    assert progress.share == share and progress.needed == needed
    assert progress.reached is (needed == 0)
    assert progress.workforce.counted_by_union


def test_workforce_from_the_latest_published_figure_with_its_source(ws):
    metric = f.metric("workers_total")
    for year, n in ((2022, 900), (2024, 1200), (2026, 5000)):
        Datapoint.objects.create(metric=metric, facility=ws.a, year=year, value_number=n,
                                 source=ws.public)
    progress = organising.mrs_progress(_count(ws, date(2025, 3, 1), 200, 100, 240))
    assert progress.workforce.workers == 1200 and progress.workforce.year == 2024
    assert progress.workforce.source == ws.public
    assert progress.share == Decimal("20.0") and progress.needed == 120


def test_unknown_workforce_gives_no_progress(ws):
    progress = organising.mrs_progress(_count(ws, date(2025, 3, 1), 20, 10, 24))
    assert not progress.known and progress.needed is None and not progress.reached


def test_history_is_oldest_first_and_per_union(ws):
    _count(ws, date(2025, 6, 1), 250, 60, 300, 1000)
    _count(ws, date(2024, 6, 1), 150, 40, 150, 1000)
    MembershipCount.objects.create(organisation=ws.rival, facility=ws.a,
                                   counted_on=date(2025, 1, 1), members_female=1,
                                   members_male=1, dues_payers=1, workforce=1000)
    history = organising.membership_history(ws.union, ws.a)
    assert [p.count.counted_on for p in history] == [date(2024, 6, 1), date(2025, 6, 1)]
    assert [p.reached for p in history] == [False, True]


def test_the_database_refuses_more_dues_payers_than_members(ws):
    with transaction.atomic(), pytest.raises(IntegrityError):
        _count(ws, date(2025, 1, 1), 10, 10, 21)


def test_agreement_in_force_and_expiring(ws):
    cba = CollectiveAgreement.objects.create(
        organisation=ws.union, facility=ws.a, title="CBA 2024", signed_on=date(2024, 1, 1),
        expires_on=date(2025, 12, 31), covered_female=800, covered_male=200,
        clauses=["heat", "gender"])
    assert cba.covered == 1000
    early = organising.agreement_status(cba, date(2024, 6, 1))
    assert early.in_force and not early.expires_soon
    late = organising.agreement_status(cba, date(2025, 11, 1))
    assert late.in_force and late.expires_soon and late.days_left == 60
    after = organising.agreement_status(cba, date(2026, 1, 1))
    assert not after.in_force and not after.expires_soon


def test_nssf_share(ws):
    count = NssfCount.objects.create(organisation=ws.union, facility=ws.a,
                                     counted_on=date(2025, 1, 1), enrolled_female=600,
                                     enrolled_male=150, workforce=1000)
    assert organising.nssf_share(count).share == Decimal("75.0")
