"""Cases: escalations, outcomes, totals per currency."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shopfloor.evidence import cases
from shopfloor.models import Case, CaseOutcome, CaseWorker

K = CaseOutcome.Kind


@pytest.fixture
def dismissal(ws):
    case = cases.create_case(ws.union, ws.a, by=ws.rep, kind=Case.Kind.UNION_BUSTING,
                             title="Union founders dismissed", opened_on=date(2025, 3, 4),
                             workers_female=2, workers_male=1)
    cases.add_worker(case, sex="female", union_role="founder", dismissed_on=date(2025, 3, 4))
    cases.add_worker(case, sex="female", union_role="leader", dismissed_on=date(2025, 3, 4))
    cases.add_worker(case, sex="male", union_role="member")
    return case


def test_compensation_is_summed_per_currency(ws, dismissal):
    other = cases.create_case(ws.union, ws.a, by=ws.rep, kind=Case.Kind.UNPAID_WAGES,
                              title="Unpaid overtime", opened_on=date(2025, 1, 2))
    cases.record_outcome(dismissal, kind=K.REINSTATEMENT, workers=2, on=date(2025, 5, 1))
    cases.record_outcome(dismissal, kind=K.COMPENSATION, amount=Decimal("1200.50"),
                         currency="usd", on=date(2025, 5, 1), workers=1,
                         confirmed_by_worker_on=date(2025, 5, 20))
    cases.record_outcome(other, kind=K.COMPENSATION, amount=Decimal("300"), currency="USD",
                         on=date(2025, 2, 1))
    cases.record_outcome(other, kind=K.COMPENSATION, amount=Decimal("2400000"),
                         currency="KHR", on=date(2025, 2, 1))
    cases.record_outcome(other, kind=K.BACK_PAY, amount=Decimal("85.25"), currency="USD",
                         on=date(2025, 2, 1))
    totals = cases.outcome_totals(Case.objects.all())
    assert totals.cases == 2 and totals.open == 2
    assert totals.reinstated == 2
    assert totals.compensation == {"KHR": Decimal("2400000.00"), "USD": Decimal("1500.50")}
    assert totals.back_pay == {"USD": Decimal("85.25")}
    assert (totals.outcomes, totals.confirmed, totals.unconfirmed) == (5, 1, 4)
    assert totals.union_roles == {"founder": 1, "leader": 1, "member": 1}
    assert cases.outcome_totals([other]).compensation == {"KHR": Decimal("2400000.00"),
                                                          "USD": Decimal("300.00")}


def test_no_totals_without_outcomes(ws, dismissal):
    totals = cases.outcome_totals([dismissal])
    assert totals.compensation == {} and totals.reinstated == 0 and totals.outcomes == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"kind": K.COMPENSATION, "currency": "USD"}, "amount"),
    ({"kind": K.COMPENSATION, "amount": Decimal(10)}, "currency"),
    ({"kind": K.COMPENSATION, "amount": Decimal(10), "currency": "DOLLARS"}, "currency"),
    ({"kind": K.BACK_PAY, "amount": Decimal(-1), "currency": "USD"}, "amount"),
    ({"kind": K.REINSTATEMENT}, "reinstated"),
])
def test_outcomes_need_what_makes_them_countable(dismissal, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        cases.record_outcome(dismissal, on=date(2025, 5, 1), **kwargs)
    assert not CaseOutcome.objects.exists()


def test_the_database_refuses_money_without_a_currency(dismissal):
    with transaction.atomic(), pytest.raises(IntegrityError):
        CaseOutcome.objects.create(case=dismissal, kind=K.COMPENSATION, amount=5,
                                   on=date(2025, 5, 1))


def test_escalations_and_closing(ws, dismissal):
    cases.escalate(dismissal, body="arbitration_council", on=date(2025, 3, 20),
                   reference="AC 123/25")
    cases.escalate(dismissal, body="buyer", company=ws.brand_co, on=date(2025, 3, 21))
    with pytest.raises(ValidationError):
        cases.escalate(dismissal, body="buyer", on=date(2025, 3, 21))
    with pytest.raises(ValidationError):
        cases.escalate(dismissal, body="molvt", on=date(2025, 1, 1))
    assert [e.body for e in dismissal.escalations.all()] == ["arbitration_council", "buyer"]
    with pytest.raises(ValidationError):
        cases.close_case(dismissal, Case.Status.SETTLED, on=date(2025, 1, 1))
    cases.close_case(dismissal, Case.Status.SETTLED, on=date(2025, 6, 1))
    dismissal.refresh_from_db()
    assert dismissal.status == "settled" and dismissal.closed_on == date(2025, 6, 1)


def test_a_worker_confirms_an_outcome(dismissal):
    outcome = cases.record_outcome(dismissal, kind=K.REINSTATEMENT, workers=1,
                                   on=date(2025, 5, 1))
    with pytest.raises(ValidationError):
        cases.confirm_outcome(outcome, on=date(2025, 4, 1))
    cases.confirm_outcome(outcome, on=date(2025, 5, 3))
    assert cases.outcome_totals([dismissal]).confirmed == 1
    assert CaseWorker.objects.filter(case=dismissal).count() == 3
