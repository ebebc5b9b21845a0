"""What outsiders see of union evidence: counts, suppressed, nothing of a record."""

from datetime import date
from decimal import Decimal

from shopfloor.evidence import cases
from shopfloor.evidence.aggregates import facility_aggregates
from shopfloor.evidence.workflow import create_issue, transition
from shopfloor.models import Case, HeatReading, MembershipCount


def test_aggregates_count_issues_and_hide_small_numbers_of_people(ws):
    today = date(2025, 12, 1)
    create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 1),
                 title="No fans on line 4", topic="heat_stress", workers_female=40,
                 workers_male=3)
    create_issue(ws.rival, ws.a, by=ws.rival_rep, found_on=date(2025, 1, 2),
                 title="Exit locked", topic="safety", workers_female=10, workers_male=2)
    closed = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 3),
                          title="Water", topic="drinking_water")
    for status, note in (("raised", "PICC"), ("responded", "ok"), ("resolved", "fixed")):
        transition(closed, status, by=ws.rep, on=date(2025, 2, 1), note=note, today=today)
    create_issue(ws.union, ws.b, by=ws.rep, found_on=date(2025, 1, 1), title="At B",
                 topic="wages", workers_female=1)
    agg = facility_aggregates(ws.a, on=today)
    assert agg.open_issues == 2 and agg.resolved_issues == 1
    assert agg.issues_by_cluster == [
        {"cluster": "osh", "label": "Occupational safety and health", "open": 2,
         "resolved": 1}]
    # 50 women, 5 men: both shown (5 is not below 5)
    assert dict(agg.workers_affected) == {"female": 50, "male": 5}


def test_cases_and_membership_are_sensitive(ws):
    case = cases.create_case(ws.union, ws.a, by=ws.rep, kind=Case.Kind.UNION_BUSTING,
                             title="Founders fired", opened_on=date(2025, 3, 1),
                             workers_female=2, workers_male=1)
    cases.record_outcome(case, kind="compensation", amount=Decimal(900), currency="USD",
                         on=date(2025, 4, 1))
    MembershipCount.objects.create(organisation=ws.union, facility=ws.a,
                                   counted_on=date(2025, 1, 1), members_female=300,
                                   members_male=8, dues_payers=250)
    agg = facility_aggregates(ws.a)
    assert agg.cases == 1 and agg.cases_by_kind[0]["open"] == 1
    assert agg.case_workers.total is None and set(agg.case_workers.values()) == {None}
    assert agg.compensation is None and agg.reinstated is None  # one outcome: no sums
    assert agg.members["female"] is None and agg.members["male"] is None  # 8 men < 10
    assert agg.members.total == 308


def test_heat_alerts(ws, settings):
    settings.HEAT_INDEX_ALERT_C = 32.2
    for t, rh in ((34, 70), (28, 40), (36, 60)):
        HeatReading.objects.create(organisation=ws.union, facility=ws.a, place="line 4",
                                   taken_at="2025-04-01T14:00Z", temperature_c=t,
                                   humidity_pct=rh)
    agg = facility_aggregates(ws.a)
    assert agg.heat_readings == 3 and agg.heat_alerts == 2
    assert agg.max_heat_index > 45


def test_nothing_at_a_quiet_factory(ws):
    assert facility_aggregates(ws.c).empty


def test_workers_reinstated_are_a_sensitive_count(ws):
    case = cases.create_case(ws.union, ws.a, by=ws.rep, kind=Case.Kind.UNION_BUSTING,
                             title="x", opened_on=date(2025, 3, 1))
    for _ in range(5):
        cases.record_outcome(case, kind="reinstatement", workers=1, on=date(2025, 4, 1))
    assert facility_aggregates(ws.a).reinstated is None  # 5 people: under 10
    for _ in range(5):
        cases.record_outcome(case, kind="reinstatement", workers=1, on=date(2025, 4, 1))
    assert facility_aggregates(ws.a).reinstated == 10
