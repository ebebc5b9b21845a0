"""Organising: membership over time, progress to Most Representative Status, agreements,
NSSF enrolment.

Under Cambodia's Trade Union Law a union gains Most Representative Status (MRS) — the right
to bargain collectively for the whole factory — when its dues-paying members are at least
30 % of the workers. :func:`mrs_progress` says how far a union is from it on the day of a
membership count: the workforce is the one counted with the members, or else the factory's
latest published workforce (with its source).

>>> p = mrs_progress(MembershipCount.objects.latest("counted_on"))  # doctest: +SKIP
>>> p.share, p.needed, p.reached  # doctest: +SKIP
(Decimal('27.5'), 25, False)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from shopfloor.access import sources_q
from shopfloor.models import CollectiveAgreement, Datapoint, MembershipCount, NssfCount, Source

#: Dues payers needed for Most Representative Status, as a share of the workforce.
MRS_PERCENT = 30
#: An agreement expiring within this many days is flagged (time to prepare bargaining).
EXPIRY_WARNING_DAYS = 90
#: The metric of a factory's published workforce.
WORKFORCE_METRIC = "workers_total"


@dataclass
class Workforce:
    """How many work at the factory, and where that figure comes from."""

    workers: int
    year: int | None = None
    source: Source | None = None  # None: counted by the union with the members

    @property
    def counted_by_union(self) -> bool:
        return self.source is None


@dataclass
class MrsProgress:
    count: MembershipCount
    workforce: Workforce | None
    share: Decimal | None  # dues payers as % of the workforce, one decimal
    needed: int | None  # more dues payers needed to reach MRS (0 when reached)

    @property
    def reached(self) -> bool:
        return self.needed == 0

    @property
    def known(self) -> bool:
        return self.workforce is not None


def published_workforce(facility, on: dt.date, user=None) -> Workforce | None:
    """The latest published workforce of ``facility`` for a year up to ``on``'s, from a
    source ``user`` may read (public sources when no user is given)."""
    dp = (Datapoint.objects.filter(sources_q(user, "source__"), facility=facility,
                                   metric__code=WORKFORCE_METRIC, year__lte=on.year,
                                   value_number__gt=0)
          .select_related("source").order_by("-year", "-pk").first())
    if dp is None:
        return None
    return Workforce(int(dp.value_number), dp.year, dp.source)


def mrs_progress(count: MembershipCount, user=None) -> MrsProgress:
    """How far the union was from Most Representative Status on the count's day."""
    workforce = (Workforce(count.workforce) if count.workforce
                 else published_workforce(count.facility, count.counted_on, user))
    if workforce is None:
        return MrsProgress(count, None, None, None)
    required = -(-workforce.workers * MRS_PERCENT // 100)  # ceiling, in whole workers
    share = (Decimal(count.dues_payers * 100) / Decimal(workforce.workers)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    return MrsProgress(count, workforce, share, max(0, required - count.dues_payers))


def membership_history(organisation, facility, user=None) -> list[MrsProgress]:
    """Every membership count of the union at the factory, oldest first, with MRS progress."""
    counts = MembershipCount.objects.filter(organisation=organisation, facility=facility
                                            ).select_related("facility").order_by("counted_on")
    return [mrs_progress(c, user) for c in counts]


@dataclass
class AgreementStatus:
    agreement: CollectiveAgreement
    in_force: bool
    expires_soon: bool
    days_left: int | None


def agreement_status(agreement: CollectiveAgreement, on: dt.date | None = None
                     ) -> AgreementStatus:
    """Whether the agreement is in force on ``on`` and whether it expires soon."""
    on = on or timezone.localdate()
    days_left = (agreement.expires_on - on).days if agreement.expires_on else None
    in_force = agreement.in_force(on)
    return AgreementStatus(agreement, in_force,
                           in_force and days_left is not None
                           and days_left <= EXPIRY_WARNING_DAYS, days_left)


@dataclass
class NssfShare:
    count: NssfCount
    workforce: Workforce | None
    share: Decimal | None


def nssf_share(count: NssfCount, user=None) -> NssfShare:
    """Enrolled workers as a share of the workforce on the count's day."""
    workforce = (Workforce(count.workforce) if count.workforce
                 else published_workforce(count.facility, count.counted_on, user))
    if workforce is None:
        return NssfShare(count, None, None)
    share = (Decimal(count.enrolled * 100) / Decimal(workforce.workers)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    return NssfShare(count, workforce, share)
