"""Minimum-wage and living-wage tables: one monthly amount per country, year (and sector).

Two shapes are read:

* the generic table ``country, year, amount, currency[, sector, kind, status, source]``;
* the project's reference file ``effective_year, usd_per_month, status, source``
  (``../shared/data/reference/cambodia_garment_minimum_wage.csv``): the currency comes from
  the amount column's name (``usd_per_month`` → USD), the country is Cambodia (KH) and the
  sector garment unless said otherwise; the report notes both defaults.

Each amount is a country datapoint of ``minimum_wage_monthly`` (unit ``USD/month``, topic
wages, value type money) or, for ``kind`` = living (a column, or the option
``wage_kind="living"``), of ``living_wage_benchmark_monthly``. The garment sector is the
default and gives the plain codes; another sector or currency gets its own metric, e.g.
``minimum_wage_monthly_footwear`` or ``minimum_wage_monthly_khr`` (unit ``KHR/month``), so that
one metric never mixes sectors or currencies.

Every datapoint stays ``unverified``: the file's own status text ("verified (…)",
"inferred: …") is its compiler's claim, not a check made in Shopfloor; it goes into the
citation together with the row's source URL.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pycountry

from shopfloor.models import Metric
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row, header_key
from shopfloor.sources.citations import UNSURE, citation
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import Outcome
from shopfloor.sources.tables import join_url_overflow

DEFAULT_SECTOR = "garment"
_GARMENT = {"garment", "garments", "apparel", "clothing", "garment and footwear",
            "garment footwear", "textile garment and footwear", "textile garment footwear",
            "textile garment footwear and travel goods", "gft", "tgf", "tgft"}
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "us dollar": "USD", "us dollars": "USD",
                   "dollar": "USD", "dollars": "USD", "riel": "KHR", "riels": "KHR", "៛": "KHR"}
#: currency codes recognised inside the amount column's name, e.g. ``usd_per_month``
_HEADER_CURRENCIES = {"usd", "khr", "eur", "vnd", "bdt", "mmk", "thb", "idr", "inr", "cny",
                      "lkr", "pkr", "php", "myr", "lak", "etb", "kes", "gbp"}
_NOT_MONTHLY = {"day", "daily", "hour", "hourly", "week", "weekly", "annual", "yearly"}
_KINDS = {
    **dict.fromkeys(("minimum", "min", "minimum wage", "legal minimum", "statutory minimum",
                     "minimum wage monthly"), "minimum"),
    **dict.fromkeys(("living", "living wage", "living wage benchmark", "lw", "benchmark",
                     "living wage benchmark monthly"), "living"),
}
_METRICS = {"minimum": ("minimum_wage_monthly", "Minimum wage"),
            "living": ("living_wage_benchmark_monthly", "Living-wage benchmark")}


def currency(value) -> str:
    """``"USD"``, ``"$"``, ``"US dollars"`` → USD; ``"riel"`` → KHR; ISO 4217 codes/names."""
    raw = v.text(value)
    if not raw:
        raise RowRejected("currency is empty")
    key = raw.casefold()
    if key in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[key]
    found = pycountry.currencies.get(alpha_3=raw.upper())
    if found is None:
        try:
            found = pycountry.currencies.lookup(raw)
        except LookupError:
            found = None
    if found is None:
        raise RowRejected(f"currency {raw!r} is not an ISO 4217 currency (e.g. USD, KHR)")
    return found.alpha_3


def sector_name(value) -> str:
    """The garment sector in its usual spellings → ``garment``; others lower-cased."""
    key = " ".join(re.findall(r"\w+", v.text(value).casefold().replace("&", " and ")))
    return DEFAULT_SECTOR if key in _GARMENT else key


def wage_kind(value) -> str:
    raw = v.text(value)
    key = " ".join(re.findall(r"\w+", raw.casefold().replace("_", " ")))
    if key not in _KINDS:
        raise RowRejected(f"kind {raw!r} is neither minimum nor living (wage benchmark)")
    return _KINDS[key]


def wage_year(value) -> int:
    raw = v.text(value)
    if not raw:
        raise RowRejected("year is empty")
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", raw):  # an effective date: its year
        raw = raw[:4]
    return v.year(raw)


class MinimumWageImporter(Importer):
    kind = "min-wage"
    description = "Minimum-wage or living-wage benchmark table (monthly, per country and year)"
    default_publisher = "Compiled from public reports (sources cited per row)"
    fields = {
        "country": Column(("country_code", "country_name", "iso")),
        "year": Column(("effective_year", "year_effective", "effective_from", "effective_date"),
                       required=True),
        "amount": Column(("usd_per_month", "amount_usd", "amount_per_month", "monthly_amount",
                          "minimum_wage", "minimum_wage_monthly", "monthly_wage", "wage",
                          "living_wage", "living_wage_benchmark", "value"), required=True),
        "currency": Column(("currency_code", "cur")),
        "sector": Column(("industry",)),
        "kind": Column(("wage_kind", "wage_type")),
        "status": Column(("verification", "verified", "remark", "note", "notes")),
        "source": Column(("source_url", "url", "link")),
    }

    def begin(self, ctx: ImportContext, table) -> None:
        notes = ctx.report.notes
        join_url_overflow(table, self.mapped.get("source"), ctx.report.notes)
        amount_tokens = set(header_key(self.mapped["amount"]).split("_"))
        if amount_tokens & _NOT_MONTHLY:
            raise ImportFailed(f"column {self.mapped['amount']!r} does not look monthly; this "
                               "importer reads monthly amounts (convert the table first)")
        self.header_currency = ""
        for token in amount_tokens & _HEADER_CURRENCIES:
            self.header_currency = token.upper()
        option_currency = self.options.get("currency")
        try:
            self.default_currency = (currency(option_currency) if option_currency
                                     else self.header_currency)
        except RowRejected as exc:
            raise ImportFailed(f"option currency: {exc}") from exc
        if "currency" not in self.mapped:
            if not self.default_currency:
                raise ImportFailed(
                    f"{table.path.name}: say which currency the amounts are in: add a "
                    "currency column or name the amount column e.g. usd_per_month. Columns "
                    f"found: {', '.join(repr(c) for c in table.columns)}")
            notes.append(f"no currency column: amounts are in {self.default_currency}"
                         + (f" (from the column name {self.mapped['amount']!r})"
                            if not option_currency else ""))
        option = self.options.get("country")
        self.option_country = self.country_option()
        if "country" not in self.mapped:
            self.option_country = self.option_country or "KH"
            notes.append(f"no country column: every amount is taken to be for "
                         f"{self.option_country}" + ("" if option else " (the default, Cambodia)"))
        self.default_sector = sector_name(self.options.get("sector") or DEFAULT_SECTOR)
        if "sector" not in self.mapped:
            notes.append(f"no sector column: every amount is taken to be for the "
                         f"{self.default_sector} sector")
        try:
            self.default_kind = wage_kind(self.options.get("wage_kind") or "minimum")
        except RowRejected as exc:
            raise ImportFailed(f"option wage_kind: {exc}") from exc
        self.seen: dict[tuple[str, str, int], tuple[Decimal, int]] = {}

    def _metric(self, ctx: ImportContext, kind: str, sector: str, cur: str) -> Metric:
        code, label = _METRICS[kind]
        if sector != DEFAULT_SECTOR:
            code += "_" + re.sub(r"[^a-z0-9]+", "_", sector).strip("_")
        if cur != "USD":
            code += "_" + cur.lower()
        unit = f"{cur}/month"
        metric = ctx.metric(
            code[:120], name=f"{label}, {sector} sector ({cur} per month)",
            topic=Metric.Topic.WAGES, unit=unit, value_type=Metric.ValueType.MONEY,
            subject=Metric.Subject.COUNTRY)
        if metric.unit != unit:
            raise RowRejected(f"metric {metric.code} already exists with unit {metric.unit!r}, "
                              f"not {unit!r}")
        return metric

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        if row.get("country") is not None:
            country = v.country_code(row.get("country"))
        elif self.option_country:
            country = self.option_country
        else:
            raise RowRejected("country is empty")
        year = wage_year(row.get("year"))
        amount = v.number(row.get("amount"), field="amount")
        if amount is None:
            raise RowRejected("amount is empty")
        if amount <= 0:
            raise RowRejected(f"amount {v.text(row.get('amount'))!r} is not a positive amount")
        cur = currency(row.get("currency")) if row.get("currency") else self.default_currency
        if not cur:
            raise RowRejected("currency is empty")
        sector = sector_name(row.get("sector")) if row.get("sector") else self.default_sector
        if not sector:
            raise RowRejected(f"sector {row.text('sector')!r} is not a sector name")
        kind = wage_kind(row.get("kind")) if row.get("kind") else self.default_kind
        metric = self._metric(ctx, kind, sector, cur)
        key = (metric.code, country, year)
        before = self.seen.get(key)
        if before and before[0] != amount:
            raise RowRejected(f"{metric.code} for {country} {year} is {before[0]} in row "
                              f"{before[1]}, {amount} here")
        self.seen.setdefault(key, (amount, row.number))
        status = row.text("status")
        if status and UNSURE.search(status):
            ctx.report.notes.append(f"row {row.number}: the file says {status!r}; stored as "
                                    "unverified — check before citing")
        cite = citation(row.number, status=status, url=row.text("source"))
        return ctx.datapoint(metric, value=amount, year=year, country=country, citation=cite)
