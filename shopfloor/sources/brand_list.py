"""A brand's published supplier list: which factories it sources from, in which year.

Each row becomes a facility record (a new facility when the factory is unknown) with the
brand ``sources_from`` it for the list's year, plus the demographics the list gives
(total and line workers, % female, % migrant), product and factory type, the supplier group
(a company of kind ``supplier_group`` that ``owns_facility``) and subcontracting.

Nike's manufacturing-map export is read as it is (``Factory Name, Factory Type, Product
Type, Nike, Inc. Brand(s), ..., Total Workers, Line Workers, % Female Workers, % Migrant
Workers, Subcons``); other brands' usual headings are recognised too, anything else is
named with ``--map COLUMN=FIELD``.

The brand is ``--brand NAME`` (the list's owner) and/or a brand column (``Brand(s)``,
``Nike, Inc. Brand(s)``) that may name several brands separated by commas or semicolons:
each named brand sources from the factory. The year is ``--year``, else the year of
``--published``, else a four-digit year in the file name (``nike_factory_list_2021-02.csv``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from shopfloor.linkage.exact import name_key
from shopfloor.models import Company, Metric, Relationship
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row, header_key
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import Outcome
from shopfloor.sources.tables import Table

#: Supplier-group values that mean "no group" (Nike writes ``NO GROUP (AP)``).
_NO_GROUP = re.compile(r"^(no\s+group|no\s+parent|none|independent|n/?a|not\s+applicable)\b",
                       re.IGNORECASE)
#: A worker count given as a band: ``1001-5000``, ``1000 to 4999``, ``<100``, ``5000+``.
_BAND = re.compile(r"^(\d[\d,.\s]*\s*(-|–|to)\s*\d[\d,.\s]*|[<>≤≥]\s*\d[\d,.]*|\d[\d,.]*\s*\+)$",
                   re.IGNORECASE)
#: A year in a file name, not part of a longer number.
_FILE_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
#: Pieces of a split brand list that are the legal form of the brand before them.
_LEGAL_TAILS = {"inc", "ltd", "llc", "co", "corp", "plc", "sa", "ag", "gmbh", "limited", "se"}

_CATEGORY_METRICS = {
    "product_type": ("product_type", "Product type"),
    "facility_type": ("facility_type", "Facility type"),
}


class BrandListImporter(Importer):
    kind = "brand-list"
    description = "A brand's published supplier (factory) list"
    default_licence = ""
    fields = {
        "name": Column(("factory name", "facility name", "supplier name", "factory",
                        "facility", "supplier", "site name", "manufacturer name",
                        "manufacturer", "production site", "name of factory",
                        "factory name english", "vendor factory name"),
                       required=True, help="factory name"),
        "address": Column(("factory address", "facility address", "supplier address",
                           "street address", "full address", "street", "address 1",
                           "address line 1")),
        "city": Column(("town", "city town", "town city", "city district")),
        "state": Column(("province", "state province", "province state", "region state",
                         "state region", "county")),
        "postal_code": Column(("postal code", "postcode", "post code", "zip", "zip code",
                               "zip postal code", "postal zip code")),
        "country": Column(("country region", "country name", "country of production",
                           "factory country", "supplier country", "country code"),
                          required=True),
        "os_id": Column(("os id", "open supply hub id", "oar id", "oar_id")),
        "lat": Column(("latitude",)),
        "lng": Column(("lon", "long", "longitude")),
        "brands": Column(("brand", "brand s", "brands", "brand name", "brand names")),
        "supplier_group": Column(("supplier group", "parent company", "parent",
                                  "supplier group name", "group", "business group",
                                  "parent group")),
        "workers_total": Column(("total workers", "number of workers", "no of workers",
                                 "workers", "total number of workers", "number of employees",
                                 "total employees", "employees", "workforce", "worker count",
                                 "workers total")),
        "line_workers": Column(("line workers", "production workers", "number of line workers")),
        "workers_female_pct": Column(("female workers", "female workers pct",
                                      "percentage of female workers", "female", "women",
                                      "women workers", "female workers percentage",
                                      "percent female", "female percentage", "pct female")),
        "workers_migrant_pct": Column(("migrant workers", "migrant workers pct",
                                       "percentage of migrant workers", "migrant",
                                       "migrant workers percentage", "foreign migrant workers",
                                       "foreign workers", "percent migrant", "pct migrant")),
        "product_type": Column(("product type", "product category", "products", "product",
                                "product group", "product types")),
        "facility_type": Column(("factory type", "facility type", "supplier type",
                                 "type of facility", "type of factory", "tier")),
        "subcontractor": Column(("is subcontractor", "subcontractor", "subcontracted",
                                 "subcontractor y n", "subcontracting")),
        "subcontractors": Column(("subcons", "subcontractors", "subcontractor names",
                                  "authorised subcontractors", "authorized subcontractors")),
    }

    def __init__(self, info=None, *, column_map=None, **options) -> None:
        super().__init__(info, column_map=column_map, **options)
        self.brand = " ".join(str(options.get("brand") or "").split())
        self._pending_notes: list[str] = []

    # ---------------------------------------------------------------- before the source
    def map_columns(self, table: Table) -> dict[str, str]:
        mapped = super().map_columns(table)
        if "brands" not in mapped:  # "Nike, Inc. Brand(s)", "adidas Group brands", ...
            for col in table.columns:
                key = header_key(col)
                if key.endswith(("_brand_s", "_brands", "_brand")) and col not in mapped.values():
                    mapped["brands"] = col
                    break
        if not self.brand and "brands" not in mapped:
            raise ImportFailed(
                f"{table.path.name}: say whose supplier list this is with --brand NAME (no "
                f"brand column was found; columns found: "
                f"{', '.join(repr(c) for c in table.columns)}; or name one with "
                f"--map COLUMN=brands).")
        self.mapped = mapped
        self.year = self._list_year(table.path)
        owner = self.brand or self.info.publisher or _owner_from_header(mapped.get("brands", ""))
        if not (self.info.publisher or owner):
            raise ImportFailed(f"Say who published {table.path.name}: --brand NAME or "
                               "--publisher NAME")
        self.owner_label = owner
        self.default_publisher = owner  # the brand publishes its own list
        if not self.info.dataset:
            # every version of one brand's list is one series: a newer one updates values
            self.info = dataclasses.replace(self.info,
                                            dataset=f"brand-list:{header_key(owner)}")
        used = set(mapped.values())
        self.dropped = [c for c in table.columns if c and c not in used]
        return mapped

    def _list_year(self, path: Path) -> int:
        if self.options.get("year"):
            return _option_year(self.options["year"])
        if self.info.published:
            self._pending_notes.append(f"year: {self.info.published.year}, from --published")
            return self.info.published.year
        years = sorted(set(_FILE_YEAR.findall(path.stem)))
        if len(years) == 1:
            self._pending_notes.append(f"year: {years[0]}, from the file name")
            return int(years[0])
        found = f" (the file name has {', '.join(years)})" if years else ""
        raise ImportFailed(f"{path.name}: which year is this supplier list for{found}? "
                           "Give it with --year YYYY or --published YYYY-MM-DD.")

    def default_title(self, path: Path, table: Table) -> str:
        return f"{self.owner_label} supplier list {self.year}"

    # ---------------------------------------------------------------- import
    def begin(self, ctx: ImportContext, table) -> None:
        report = ctx.report
        report.notes.extend(self._pending_notes)
        report.dropped_columns = list(self.dropped)
        if self.dropped:
            report.notes.append(f"columns not read: {', '.join(self.dropped)}")
        self.owner = ctx.company(self.brand, kind=Company.Kind.BRAND) if self.brand else None
        number, percent = Metric.ValueType.NUMBER, Metric.ValueType.PERCENT
        demo = Metric.Topic.DEMOGRAPHICS
        self.m_workers = ctx.metric("workers_total", name="Total workers", topic=demo,
                                    value_type=number, unit="workers")
        self.m_band = ctx.metric("workers_band", name="Number of workers (band)", topic=demo,
                                 value_type=Metric.ValueType.CATEGORY)
        self.m_line = ctx.metric("line_workers", name="Line workers", topic=demo,
                                 value_type=number, unit="workers")
        self.m_female = ctx.metric("workers_female_pct", name="Female workers (%)", topic=demo,
                                   value_type=percent, unit="%")
        self.m_migrant = ctx.metric("workers_migrant_pct", name="Migrant workers (%)",
                                    topic=demo, value_type=percent, unit="%")
        self.m_types = {
            f: ctx.metric(code, name=label, topic=Metric.Topic.OTHER,
                          value_type=Metric.ValueType.CATEGORY)
            for f, (code, label) in _CATEGORY_METRICS.items() if f in self.mapped}
        self.m_subcontractor = ctx.metric(
            "is_subcontractor", name="Subcontractor (not a direct supplier)",
            topic=Metric.Topic.TRANSPARENCY, value_type=Metric.ValueType.CATEGORY)
        self.m_subcons = ctx.metric(
            "subcontractors", name="Subcontractors named by the brand",
            topic=Metric.Topic.TRANSPARENCY, value_type=Metric.ValueType.TEXT)
        self.seen: dict[tuple[str, str], tuple[int, str]] = {}
        self.stated: set[tuple] = set()
        self.merged_rows: list[str] = []
        self.placeholder_rows: list[int] = []
        self.value_problems: list[str] = []

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        # ---- read and check everything first: a rejected row must leave nothing behind
        name = row.text("name")
        if not name:
            raise RowRejected("name is empty")
        country = v.country_code(row.get("country"))
        brands = _split_brands(row.text("brands"))
        if not brands and self.owner is None:
            raise RowRejected("no brand: the brand column is empty and no --brand was given")
        # a bad optional value is left out (and reported); it does not cost the row
        soft = _Soft(row.number, self.value_problems)
        os_id = row.text("os_id").upper()
        if os_id and len(os_id) != 15:
            soft.problem("os_id", f"{os_id!r} is not a 15-character Open Supply Hub ID")
            os_id = ""
        lat = soft(v.number, row, "lat")
        lng = soft(v.number, row, "lng")
        if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
            soft.problem("lat/lng", f"{lat}, {lng} are not valid coordinates")
            lat = lng = None
        address = _address(row)
        province = row.text("state")[:100]
        workers_raw = row.text("workers_total")
        band = workers_raw if _BAND.match(workers_raw) else ""
        workers = None if band else soft(v.integer, row, "workers_total")
        line = soft(v.integer, row, "line_workers")
        female = soft(v.percent, row, "workers_female_pct")
        migrant = soft(v.percent, row, "workers_migrant_pct")
        if "workers_total" in self.mapped and not band and not workers:
            # Nike writes 0.0% (and 0 workers) where it gives no figures: not a real zero
            if workers == 0 or (female == 0 and not migrant) or (migrant == 0 and not female):
                self.placeholder_rows.append(row.number)
            workers, line = None, line or None
            female, migrant = female or None, migrant or None
        subcons = row.text("subcontractors")
        try:
            subcontractor = v.boolean(row.get("subcontractor"), field="subcontractor")
        except RowRejected:  # a "Subcontractor" column that names them instead of yes/no
            subcontractor, subcons = None, subcons or row.text("subcontractor")
        types = {f: row.text(f) for f in self.m_types}
        group = row.text("supplier_group")
        if _NO_GROUP.match(group):
            group = ""

        # ---- write
        known = ctx.facilities.find(name=name, country=country, os_id=os_id)
        fac, outcome = ctx.facility_record(
            row, name=name, country=country, address=address,
            lat=float(lat) if lat is not None else None,
            lng=float(lng) if lng is not None else None, os_id=os_id,
            updates={"province": province} if known is None and province else None,
            fill={"address": address, "province": province} if known is not None else None)
        self._note_repeat(row, name, country, address)
        cite, year = f"row {row.number}", self.year
        outcomes = [outcome]
        for metric, value in ((self.m_workers, workers), (self.m_band, band or None),
                              (self.m_line, line), (self.m_female, female),
                              (self.m_migrant, migrant),
                              (self.m_subcontractor, _yes_no(subcontractor)),
                              (self.m_subcons, subcons or None),
                              *((self.m_types[f], val or None) for f, val in types.items())):
            if value is None or not self._first(fac, metric.code):
                continue  # a later row naming the same facility: the first row's figure stays
            outcomes.append(ctx.datapoint(metric, value=value, year=year, facility=fac,
                                          citation=cite))
        companies = [self.owner] if self.owner else []
        for brand in brands:
            comp = ctx.company(brand, kind=Company.Kind.BRAND)
            if comp not in companies:
                companies.append(comp)
        for comp in companies:
            if self._first(fac, Relationship.Kind.SOURCES_FROM, comp.pk):
                outcomes.append(ctx.relationship(comp, Relationship.Kind.SOURCES_FROM,
                                                 facility=fac, year_start=year, year_end=year,
                                                 citation=cite))
            if self.owner and comp != self.owner:
                ctx.relationship(self.owner, Relationship.Kind.OWNS_BRAND, object_company=comp,
                                 year_start=year, year_end=year, citation=cite)
        if group:
            parent = ctx.company(group, kind=Company.Kind.SUPPLIER_GROUP)
            if self._first(fac, Relationship.Kind.OWNS_FACILITY, parent.pk):
                outcomes.append(ctx.relationship(parent, Relationship.Kind.OWNS_FACILITY,
                                                 facility=fac, year_start=year, year_end=year,
                                                 citation=cite))
        return max(outcomes)

    def _first(self, fac, *key) -> bool:
        """True the first time this import states ``key`` about this facility.

        (Facilities created by this import have no primary key yet, so they are told apart
        by identity.)
        """
        full = (id(fac), *key)
        if full in self.stated:
            return False
        self.stated.add(full)
        return True

    def _note_repeat(self, row: Row, name: str, country: str, address: str) -> None:
        key = (country, name_key(name))
        first = self.seen.setdefault(key, (row.number, address))
        if first[0] != row.number and first[1].casefold() != address.casefold():
            self.merged_rows.append(f"{row.number} (as row {first[0]})")

    def finish(self, ctx: ImportContext) -> None:
        notes = ctx.report.notes
        if self.placeholder_rows:
            notes.append(
                f"{len(self.placeholder_rows)} rows give no worker count (blank or 0) and "
                "0% female/migrant: read as not stated, no demographics stored (rows "
                f"{_rows(self.placeholder_rows)})")
        if self.merged_rows:
            notes.append(
                "same factory name and country as an earlier row but another address — "
                "linked to the same facility by exact name matching, only the earlier row's "
                f"figures kept; review: rows {', '.join(self.merged_rows)}")
        for problem in self.value_problems[:100]:
            notes.append(problem)
        if len(self.value_problems) > 100:
            notes.append(f"... and {len(self.value_problems) - 100} more values not stored")


class _Soft:
    """Parse an optional value; a bad one becomes a note instead of rejecting the row."""

    def __init__(self, number: int, problems: list[str]) -> None:
        self.number, self.problems = number, problems

    def __call__(self, parse, row: Row, field: str):
        try:
            return parse(row.get(field), field=field)
        except RowRejected as exc:
            self.problems.append(f"row {self.number}: {exc} — not stored")
            return None

    def problem(self, field: str, reason: str) -> None:
        self.problems.append(f"row {self.number}: {field}: {reason} — not stored")


def _option_year(value) -> int:
    try:
        year = v.year(value, field="--year")
    except RowRejected as exc:
        raise ImportFailed(str(exc)) from exc
    if year is None:
        raise ImportFailed("--year is empty")
    return year


def _owner_from_header(column: str) -> str:
    """``"Nike, Inc. Brand(s)"`` → ``"Nike, Inc."``; a plain ``"Brand"`` → ``""``."""
    m = re.match(r"^(.*?)[\s_-]*brand(\(s\)|s)?\s*$", column, re.IGNORECASE)
    return " ".join(m.group(1).split()) if m else ""


def _split_brands(text: str) -> list[str]:
    """``"NIKE, Converse"`` → ``["NIKE", "Converse"]``; keeps ``"Acme, Inc."`` together."""
    out: list[str] = []
    for piece in re.split(r"[;,|\n]", text):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if out and piece.casefold().rstrip(".") in _LEGAL_TAILS:
            out[-1] = f"{out[-1]}, {piece}"
        elif piece.casefold() not in (b.casefold() for b in out):
            out.append(piece)
    return out


def _postal(value: str) -> str:
    """``97220.0`` (a spreadsheet float) → ``97220``; ``0.0`` → ``""``."""
    value = re.sub(r"^(\d+)\.0+$", r"\1", value)
    return "" if value.strip("0") == "" else value


def _address(row: Row) -> str:
    """Address, city, state and postal code joined, repeats and placeholders left out."""
    parts: list[str] = []
    for name in ("address", "city", "state", "postal_code"):
        part = row.text(name).strip(" ,;")
        if name == "postal_code":
            part = _postal(part)
        if part and not v.is_missing(part) and part.casefold() not in (p.casefold() for p in parts):
            parts.append(part)
    return ", ".join(parts)


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def _rows(numbers: list[int], limit: int = 30) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")
