"""A union's own list of its factories ("our 66 facilities"), in English or Khmer.

Any spreadsheet with a factory-name column will do; names may be in Khmer script
(``រោងចក្រកាត់ដេរ ...``), addresses and provinces are optional, Open Supply Hub and Better
Factories Cambodia IDs are used when present. Rows are kept as facility records to be
matched: a factory already known by the same OS ID, BFC ID or exact name is linked at once,
every other row waits (``pending``) for the matching engine and a person's review. No
facility is created from a union list.

The union is the source's contributor (``--organisation NAME``), and its publisher unless
``--publisher`` says otherwise. Member and worker counts become datapoints of the facilities
the rows were linked to.
"""

from __future__ import annotations

import re

from shopfloor.models import Metric
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row
from shopfloor.sources.brand_list import _option_year
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import Outcome
from shopfloor.sources.tables import Table

_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
DEFAULT_COUNTRY = "KH"


class FacilityListImporter(Importer):
    kind = "facility-list"
    description = "A union's or NGO's own list of factories (names in any script)"
    fields = {
        "name": Column(("factory name", "factory", "facility name", "facility",
                        "ឈ្មោះរោងចក្រ", "ឈ្មោះ", "រោងចក្រ", "company name", "company",
                        "enterprise name", "ឈ្មោះសហគ្រាស"), required=True),
        "address": Column(("អាសយដ្ឋាន", "factory address", "facility address", "location",
                           "full address", "ទីតាំង", "ទីតាំងរោងចក្រ")),
        "province": Column(("ខេត្ត", "province city", "city province", "ខេត្ត ក្រុង",
                            "រាជធានី ខេត្ត", "state")),
        "country": Column(("country code", "country name", "ប្រទេស")),
        "os_id": Column(("os id", "open supply hub id", "oar id", "oar_id")),
        "bfc_id": Column(("bfc id", "bfc", "bfc number", "better factories cambodia id",
                          "better work id", "bw id")),
        "members": Column(("union members", "number of members", "members count",
                           "member count", "សមាជិក", "ចំនួនសមាជិក")),
        "workers": Column(("number of workers", "total workers", "workers total",
                           "workers_total", "employees", "number of employees", "កម្មករ",
                           "ចំនួនកម្មករ")),
    }

    def __init__(self, info=None, *, column_map=None, **options) -> None:
        super().__init__(info, column_map=column_map, **options)
        if self.info.organisation is not None:  # the union publishes its own list
            self.default_publisher = self.info.organisation.name

    def map_columns(self, table: Table) -> dict[str, str]:
        if not (self.info.publisher or self.default_publisher):
            raise ImportFailed(
                f"Say whose list {table.path.name} is: --organisation NAME (the union that "
                "keeps it, registered in Shopfloor) or --publisher NAME.")
        self.mapped = super().map_columns(table)
        self.year = _option_year(self.options["year"]) if self.options.get("year") else None
        used = set(self.mapped.values())
        self.dropped = [c for c in table.columns if c and c not in used]
        return self.mapped

    def begin(self, ctx: ImportContext, table) -> None:
        report = ctx.report
        report.dropped_columns = list(self.dropped)
        if self.dropped:
            report.notes.append(f"columns not read: {', '.join(self.dropped)}")
        if "country" not in self.mapped:
            report.notes.append(f"no country column: every factory is taken to be in "
                                f"Cambodia ({DEFAULT_COUNTRY})")
        source = ctx.source
        if self.year is None:
            self.year = (source.published_on or source.retrieved_on).year
        if "members" in self.mapped or "workers" in self.mapped:
            report.notes.append(f"member and worker counts are for {self.year}")
        self.m_members = ctx.metric(
            "union_members", name="Union members", topic=Metric.Topic.FOA,
            value_type=Metric.ValueType.NUMBER, unit="members")
        self.m_workers = ctx.metric(
            "workers_total", name="Total workers", topic=Metric.Topic.DEMOGRAPHICS,
            value_type=Metric.ValueType.NUMBER, unit="workers")
        self.blank_country: list[int] = []
        self.pending = self.linked = 0

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        name = row.text("name")
        if not name:
            raise RowRejected("name is empty")
        if row.get("country") is None:
            country = DEFAULT_COUNTRY
            if "country" in self.mapped:
                self.blank_country.append(row.number)
        else:
            country = v.country_code(row.get("country"))
        os_id = row.text("os_id").upper()
        if os_id and len(os_id) != 15:
            raise RowRejected(f"os_id {os_id!r} is not a 15-character Open Supply Hub ID")
        bfc_id = row.text("bfc_id")
        if len(bfc_id) > 40:
            raise RowRejected(f"bfc_id {bfc_id[:50]!r} is longer than 40 characters")
        members = v.integer(row.get("members"), field="members")
        workers = v.integer(row.get("workers"), field="workers")
        for label, n in (("members", members), ("workers", workers)):
            if n is not None and n < 0:
                raise RowRejected(f"{label}: {n} is negative")
        province = row.text("province")
        address = row.text("address")
        if province and province.casefold() not in address.casefold():
            address = f"{address}, {province}" if address else province

        fill = {"address": row.text("address"), "province": province[:100]}
        if _KHMER.search(name):
            fill["name_km"] = name[:300]
        fac, outcome = ctx.facility_record(row, name=name, country=country, address=address,
                                           os_id=os_id, bfc_id=bfc_id, create=False,
                                           fill=fill)
        if fac is None:
            self.pending += 1
            return Outcome.CREATED  # a new record, waiting to be matched
        self.linked += 1
        cite = f"row {row.number}"
        outcomes = [outcome]
        for metric, value in ((self.m_members, members), (self.m_workers, workers)):
            outcomes.append(ctx.datapoint(metric, value=value, year=self.year, facility=fac,
                                          citation=cite))
        return max(outcomes)

    def finish(self, ctx: ImportContext) -> None:
        notes = ctx.report.notes
        if self.blank_country:
            rows = ", ".join(map(str, self.blank_country[:30]))
            more = len(self.blank_country) - 30
            notes.append(f"country blank, taken as {DEFAULT_COUNTRY}: rows {rows}"
                         + (f" and {more} more" if more > 0 else ""))
        linked = f"{self.linked} row{'' if self.linked == 1 else 's'}"
        notes.append(f"{linked} linked to a known facility (same ID or exact name); "
                     f"{self.pending} waiting for matching")
