"""Open Supply Hub: contributor facility lists and full downloads (CSV, XLSX, XLS).

Contributor lists have ``country,name,address,sector[,lat,lng]``; downloads add ``os_id``,
``number_of_workers``, ``parent_company``, ``product_type``, ``facility_type``,
``processing_type``, ``contributors``, ``is_closed``. Countries may be names or ISO codes.
Sector, product, facility and processing types and contributors stay in each record's raw
fields (they describe the row, not a measured value).
"""

from __future__ import annotations

from shopfloor.linkage.normalise import name_key
from shopfloor.models import Company, Metric, Relationship
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row
from shopfloor.sources.errors import RowRejected
from shopfloor.sources.report import Outcome


class OpenSupplyHubImporter(Importer):
    kind = "oshub"
    description = "Open Supply Hub facility list or download"
    default_publisher = "Open Supply Hub"
    default_licence = "CC-BY-SA-4.0"
    fields = {
        "os_id": Column(("os id", "oar_id", "oar id")),
        "name": Column(("facility_name", "facility name", "factory name"), required=True),
        "address": Column(("facility address", "full address")),
        "country": Column(("country_code", "country code", "country_name", "country name"),
                          required=True),
        "sector": Column(()),
        "lat": Column(("latitude",)),
        "lng": Column(("lon", "long", "longitude")),
        "number_of_workers": Column(("number of workers", "workers")),
        "parent_company": Column(("parent company",)),
        "product_type": Column(("product type",)),
        "facility_type": Column(("facility type",)),
        "processing_type": Column(("processing type",)),
        "contributors": Column(()),
        "is_closed": Column(("is closed", "closed")),
    }

    def begin(self, ctx: ImportContext, table) -> None:
        source = ctx.source
        self.year = (source.published_on or source.retrieved_on).year
        self.workers = ctx.metric(
            "workers_total", name="Total workers", topic=Metric.Topic.DEMOGRAPHICS,
            value_type=Metric.ValueType.NUMBER, unit="workers")
        self.workers_band = ctx.metric(
            "workers_band", name="Number of workers (band)", topic=Metric.Topic.DEMOGRAPHICS,
            value_type=Metric.ValueType.CATEGORY)

    def parse_row(self, row: Row) -> dict:
        """The row's values checked and converted (in the worker process on large files)."""
        name = row.text("name")
        if not name:
            raise RowRejected("name is empty")
        country = v.country_code(row.get("country"))
        os_id = row.text("os_id").upper()
        if os_id and len(os_id) != 15:
            raise RowRejected(f"os_id {os_id!r} is not a 15-character Open Supply Hub ID")
        lat = v.number(row.get("lat"), field="lat")
        lng = v.number(row.get("lng"), field="lng")
        workers = row.text("number_of_workers")
        workers_n = v.integer(workers, field="number_of_workers") if workers.replace(
            ",", "").isdigit() else None
        return {
            "name": name, "key": name_key(name), "country": country, "os_id": os_id,
            "lat": float(lat) if lat is not None else None,
            "lng": float(lng) if lng is not None else None,
            "workers": workers, "workers_n": workers_n,
            "closed": v.boolean(row.get("is_closed"), field="is_closed"),
            "parent": row.text("parent_company"), "address": row.text("address"),
        }

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        p = row.parsed
        address, lat, lng, os_id = p["address"], p["lat"], p["lng"], p["os_id"]
        updates = {"address": address} if address else {}
        if lat is not None and lng is not None:
            updates.update(lat=lat, lng=lng)
        if p["closed"] is not None:
            updates["is_closed"] = p["closed"]
        fac, outcome = ctx.facility_record(
            row, name=p["name"], country=p["country"], address=address, lat=lat, lng=lng,
            os_id=os_id, updates=updates if os_id else None, fill=None if os_id else updates,
            key=p["key"])
        cite = f"row {row.number}"
        outcomes = [outcome]
        workers, workers_n = p["workers"], p["workers_n"]
        if workers_n is not None:
            outcomes.append(ctx.datapoint(self.workers, value=workers_n, year=self.year,
                                          facility=fac, citation=cite))
        elif workers:
            outcomes.append(ctx.datapoint(self.workers_band, value=workers, year=self.year,
                                          facility=fac, citation=cite))
        if p["parent"]:
            group = ctx.company(p["parent"], kind=Company.Kind.SUPPLIER_GROUP)
            outcomes.append(ctx.relationship(group, Relationship.Kind.OWNS_FACILITY,
                                             facility=fac, year_start=self.year,
                                             year_end=self.year, citation=cite))
        return max(outcomes)
