"""A facility's wages, year by year, against the legal minimum wage and a living-wage benchmark.

The minimum wage and the benchmark are country datapoints, as the min-wage importer
(:mod:`shopfloor.sources.min_wage`) stores them: ``minimum_wage_monthly`` and
``living_wage_benchmark_monthly``, garment sector, USD per month. A facility's wage is any
facility datapoint of a *monthly wage in USD* metric (topic wages, value type money, unit
``USD/month`` or ``USD``), e.g. ``avg_monthly_wage_usd``.

>>> comparison = wage_comparison(facility)  # doctest: +SKIP
>>> [(row.year, row.wage.value, row.minimum.value, row.gap_minimum.amount)
...  for row in comparison.rows]  # doctest: +SKIP
[(2023, Decimal('193.5'), 200, Decimal('-6.5')), ...]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from shopfloor.models import Datapoint, Facility, Metric

#: The metric codes the min-wage importer writes (garment sector, USD per month).
MINIMUM_WAGE_METRIC = "minimum_wage_monthly"
LIVING_WAGE_METRIC = "living_wage_benchmark_monthly"
BENCHMARK_METRICS = (MINIMUM_WAGE_METRIC, LIVING_WAGE_METRIC)

#: Units of a facility wage comparable with the benchmarks (spaces removed, upper case).
_MONTHLY_USD_UNITS = {"USD/MONTH", "USD", "USDPERMONTH", "US$/MONTH", "$/MONTH"}


def is_monthly_wage(metric: Metric) -> bool:
    """A facility metric holding a monthly wage in USD, comparable with the benchmarks."""
    return (
        metric.topic == Metric.Topic.WAGES
        and metric.value_type == Metric.ValueType.MONEY
        and metric.subject == Metric.Subject.FACILITY
        and metric.code not in BENCHMARK_METRICS
        and "".join(metric.unit.split()).upper() in _MONTHLY_USD_UNITS
    )


@dataclass(frozen=True)
class Gap:
    """A wage minus a benchmark: ``amount`` in USD per month, ``percent`` of the benchmark
    (one decimal). Negative when the wage is below the benchmark."""

    amount: Decimal
    percent: Decimal

    @property
    def below(self) -> bool:
        return self.amount < 0

    @classmethod
    def between(cls, wage: Datapoint, benchmark: Datapoint | None) -> Gap | None:
        if benchmark is None or not benchmark.value_number:
            return None
        amount = wage.value_number - benchmark.value_number
        percent = (amount * 100 / benchmark.value_number).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
        return cls(amount.normalize() if amount % 1 else amount.quantize(Decimal(1)), percent)


@dataclass
class WageRow:
    """One wage datapoint of the facility with the benchmarks of its year."""

    year: int
    wage: Datapoint
    minimum: Datapoint | None = None
    living: Datapoint | None = None

    @property
    def gap_minimum(self) -> Gap | None:
        return Gap.between(self.wage, self.minimum)

    @property
    def gap_living(self) -> Gap | None:
        return Gap.between(self.wage, self.living)


@dataclass
class WageComparison:
    """A facility's wage rows, newest first, and the country benchmarks by year."""

    country: str
    rows: list[WageRow] = field(default_factory=list)
    minimum: dict[int, Datapoint] = field(default_factory=dict)
    living: dict[int, Datapoint] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def years(self) -> list[int]:
        """The years with a facility wage, oldest first."""
        return sorted({row.year for row in self.rows})

    @property
    def datapoints(self) -> list[Datapoint]:
        """Every datapoint the rows show (wages and the benchmarks of their years)."""
        shown = [dp for row in self.rows for dp in (row.wage, row.minimum, row.living) if dp]
        return list({dp.pk: dp for dp in shown}.values())


def year_of(datapoint: Datapoint) -> int | None:
    """The datapoint's year, or the year its period starts in."""
    if datapoint.year:
        return datapoint.year
    return datapoint.period_start.year if datapoint.period_start else None


def benchmarks(country: str) -> QuerySet[Datapoint]:
    """The country's minimum-wage and living-wage datapoints (one query when evaluated)."""
    return (
        Datapoint.objects.filter(country=country, facility__isnull=True, company__isnull=True,
                                 metric__code__in=BENCHMARK_METRICS)
        .select_related("metric", "source")
        .order_by()
    )


def wage_comparison(facility: Facility) -> WageComparison:
    """The facility's wages against the benchmarks: two queries."""
    own = Datapoint.objects.filter(facility=facility).select_related("metric", "source")
    return compare(facility.country, own, benchmarks(facility.country))


def compare(country: str, facility_datapoints: Iterable[Datapoint],
            country_datapoints: Iterable[Datapoint]) -> WageComparison:
    """Pure: match each monthly-wage datapoint to the country's benchmarks of its year.

    Datapoints of other metrics are ignored, so a facility's whole list can be passed.
    When a country has several values of one benchmark for a year (e.g. two versions of a
    table), the one not disputed, from the most recently published source, wins.
    """
    comparison = WageComparison(country)
    for kind, code in (("minimum", MINIMUM_WAGE_METRIC), ("living", LIVING_WAGE_METRIC)):
        chosen: dict[int, Datapoint] = {}
        candidates = [dp for dp in country_datapoints
                      if dp.metric.code == code and dp.country == country
                      and dp.value_number is not None and year_of(dp)]
        for dp in sorted(candidates, key=_preference):
            chosen[year_of(dp)] = dp  # the most preferred comes last
        setattr(comparison, kind, chosen)
    wages = [dp for dp in facility_datapoints
             if dp.value_number is not None and year_of(dp) and is_monthly_wage(dp.metric)]
    for dp in sorted(wages, key=lambda d: (-year_of(d), d.metric.name.lower(), d.pk)):
        year = year_of(dp)
        comparison.rows.append(WageRow(year, dp, comparison.minimum.get(year),
                                       comparison.living.get(year)))
    return comparison


def _preference(dp: Datapoint) -> tuple:
    disputed = dp.verification == Datapoint.Verification.DISPUTED
    return (not disputed, dp.source.published_on or date.min, dp.pk)
