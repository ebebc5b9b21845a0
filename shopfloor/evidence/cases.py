"""Cases and their outcomes: who was dismissed, where it was escalated, what was won.

Outcome totals never add up different currencies: compensation and back pay are summed per
currency (USD and riel stay apart), reinstatements are counted in workers.

>>> totals = outcome_totals(Case.objects.filter(facility=factory))  # doctest: +SKIP
>>> totals.compensation  # doctest: +SKIP
{'KHR': Decimal('2400000.00'), 'USD': Decimal('1850.00')}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shopfloor.models import Case, CaseEscalation, CaseOutcome, CaseWorker

Outcome = CaseOutcome.Kind


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(_("%(code)s is not a currency code (use USD or KHR).") % {
            "code": code or "''"}, code="currency")
    return code


def create_case(organisation, facility, *, by, kind: str, title: str, opened_on: dt.date,
                description: str = "", workers_female=None, workers_male=None, issue=None,
                client_key=None, is_demo: bool = False) -> Case:
    """Open a case. A ``client_key`` already used returns that case (a form sent twice)."""
    if client_key is not None:
        existing = Case.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing
    if opened_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    return Case.objects.create(
        organisation=organisation, facility=facility, created_by=by, kind=kind, title=title,
        opened_on=opened_on, description=description, workers_female=workers_female,
        workers_male=workers_male, issue=issue, client_key=client_key, is_demo=is_demo)


def add_worker(case: Case, *, sex: str = CaseWorker.Sex.UNSTATED,
               union_role: str = CaseWorker.UnionRole.UNKNOWN, name: str = "",
               dismissed_on: dt.date | None = None) -> CaseWorker:
    return CaseWorker.objects.create(case=case, sex=sex, union_role=union_role,
                                     name=name.strip(), dismissed_on=dismissed_on)


def escalate(case: Case, *, body: str, on: dt.date, company=None, body_name: str = "",
             reference: str = "", note: str = "") -> CaseEscalation:
    """Record that the case was taken to ``body`` (a brand: give ``company``)."""
    if on < case.opened_on:
        raise ValidationError(_("An escalation cannot come before the case."), code="date")
    if body == CaseEscalation.Body.BUYER and company is None and not body_name.strip():
        raise ValidationError(_("Name the brand the case was taken to."), code="brand")
    return CaseEscalation.objects.create(case=case, body=body, on=on, company=company,
                                         body_name=body_name.strip(),
                                         reference=reference.strip(), note=note.strip())


def record_outcome(case: Case, *, kind: str, on: dt.date, workers: int | None = None,
                   amount: Decimal | None = None, currency: str = "", note: str = "",
                   confirmed_by_worker_on: dt.date | None = None) -> CaseOutcome:
    """Record one result of a case. Money needs an amount and a currency code; a
    reinstatement needs the number of workers."""
    if kind in (Outcome.COMPENSATION, Outcome.BACK_PAY):
        if amount is None or amount < 0:
            raise ValidationError(_("Give the amount paid."), code="amount")
        currency = _currency(currency)
    elif currency:
        currency = _currency(currency)
    if kind == Outcome.REINSTATEMENT and not workers:
        raise ValidationError(_("Say how many workers were reinstated."), code="workers")
    if on < case.opened_on:
        raise ValidationError(_("An outcome cannot come before the case."), code="date")
    return CaseOutcome.objects.create(case=case, kind=kind, on=on, workers=workers,
                                      amount=amount, currency=currency, note=note.strip(),
                                      confirmed_by_worker_on=confirmed_by_worker_on)


def confirm_outcome(outcome: CaseOutcome, *, on: dt.date) -> CaseOutcome:
    """The worker confirmed that the outcome really happened (e.g. received the money)."""
    if on < outcome.on:
        raise ValidationError(_("A confirmation cannot come before the outcome."))
    outcome.confirmed_by_worker_on = on
    outcome.save(update_fields=["confirmed_by_worker_on"])
    return outcome


def close_case(case: Case, status: str, *, on: dt.date) -> Case:
    """Close a case as settled, closed without settlement or withdrawn."""
    if status == Case.Status.OPEN:
        raise ValidationError(_("Choose how the case ended."))
    if on < case.opened_on:
        raise ValidationError(_("A case cannot close before it opened."))
    with transaction.atomic():
        case.status, case.closed_on = status, on
        case.save(update_fields=["status", "closed_on", "updated_at"])
    return case


@dataclass
class OutcomeTotals:
    """What a set of cases won: workers reinstated, money per currency (never mixed),
    and how many outcomes the workers have confirmed."""

    cases: int = 0
    open: int = 0
    reinstated: int = 0
    compensation: dict[str, Decimal] = field(default_factory=dict)
    back_pay: dict[str, Decimal] = field(default_factory=dict)
    outcomes: int = 0
    confirmed: int = 0
    union_roles: Counter = field(default_factory=Counter)

    @property
    def unconfirmed(self) -> int:
        return self.outcomes - self.confirmed


def outcome_totals(cases: Iterable[Case]) -> OutcomeTotals:
    """Add up the outcomes of ``cases`` (a queryset or a list)."""
    case_list = list(cases)
    totals = OutcomeTotals(cases=len(case_list),
                           open=sum(c.status == Case.Status.OPEN for c in case_list))
    ids = [c.pk for c in case_list]
    for outcome in CaseOutcome.objects.filter(case__in=ids).order_by("pk"):
        totals.outcomes += 1
        totals.confirmed += outcome.confirmed_by_worker_on is not None
        if outcome.kind == Outcome.REINSTATEMENT:
            totals.reinstated += outcome.workers or 0
        elif outcome.kind in (Outcome.COMPENSATION, Outcome.BACK_PAY):
            bucket = (totals.compensation if outcome.kind == Outcome.COMPENSATION
                      else totals.back_pay)
            bucket[outcome.currency] = bucket.get(outcome.currency, Decimal(0)) + outcome.amount
    totals.compensation = dict(sorted(totals.compensation.items()))
    totals.back_pay = dict(sorted(totals.back_pay.items()))
    totals.union_roles = Counter(
        CaseWorker.objects.filter(case__in=ids).values_list("union_role", flat=True))
    return totals
