"""Build the fictional demo data set and write it in one transaction.

Everything is drawn from one ``random.Random(SEED)`` and fixed dates, so two loads into
empty databases give the same facilities, identifiers, buyers and findings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from shopfloor.demo import data as D
from shopfloor.models import (
    Assessment,
    Company,
    Criterion,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    MatchDecision,
    Membership,
    Metric,
    Organisation,
    Relationship,
    Source,
    Watchlist,
)
from shopfloor.search import refresh_search_keys

SEED = 20160101
PUBLISHER = "Shopfloor demo data (fictional)"
LICENCE = "CC0-1.0 (fictional demo)"
PASSWORD = "shopfloor-demo"  # noqa: S105  (printed by `make demo`; demo logins only)
FIRST_YEAR, LAST_YEAR = 2016, 2025
CYCLE_YEARS = {1: 2022, 2: 2023, 3: 2024}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("admin", PASSWORD, "site administrator (superuser), admin of the Mekong Garment "
                        "Workers' Federation"),
    ("researcher", PASSWORD, "federation researcher: uploads lists, reviews matches"),
    ("unionrep", PASSWORD, "union representative: the two factories of one factory union"),
    ("brand", PASSWORD, "brand viewer at Tulpwear: its own suppliers only"),
]

V = Datapoint.Verification


def os_id_checksum(short_id: str) -> str:
    """Open Supply Hub's check character for the first 14 characters of an OS ID."""
    total = ord(short_id[0]) + ord(short_id[1]) + sum(CROCKFORD.index(c) for c in short_id[2:])
    return CROCKFORD[total % 32]


def is_valid_os_id(os_id: str) -> bool:
    """``KH2019067X1K87`` + check character: country, year, day of year, 5 random, check."""
    return (len(os_id) == 15 and os_id[:2].isalpha() and os_id[2:9].isdigit()
            and 1 <= int(os_id[6:9]) <= 366 and all(c in CROCKFORD for c in os_id[9:])
            and os_id_checksum(os_id[:14]) == os_id[14])


class DemoSummary(dict):
    """Counts of the rows the demo created; prints as one readable line."""

    def __str__(self) -> str:
        return ", ".join(f"{n:,} {label}" for label, n in self.items())


@dataclass(eq=False)
class _Fac:
    stem: str
    stem_km: str
    pattern: int
    name: str
    province: str = ""
    district: str = ""
    address: str = ""
    lat: float = 0.0
    lng: float = 0.0
    name_km: str = ""
    other_names: list[str] = field(default_factory=list)
    os_id: str | None = None
    bfc_id: str | None = None
    opened: int = 2010
    closed: int | None = None
    size: int = 1000
    growth: float = 0.0
    female: float = 80.0
    obj: Facility | None = None

    @property
    def last_year(self) -> int:
        return self.closed or LAST_YEAR

    def operating(self, year: int) -> bool:
        return self.opened <= year <= self.last_year


@dataclass(eq=False)
class _Brand:
    name: str
    kind: str
    hq: str
    employees: int
    aliases: list[str]
    start: int
    end: int
    publishes: bool
    weight: int
    obj: Company | None = None
    source: Source | None = None
    rows: int = 1  # last row used in its list (1 = header)


def _plain_upper(name: str) -> str:
    for ch in ",.()":
        name = name.replace(ch, " ")
    return " ".join(name.upper().split())


def _misspell(rng: random.Random, stem: str) -> str:
    words = stem.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    op = rng.choice(["drop", "double", "swap"])
    if op == "drop":
        w = w[:k] + w[k + 1:]
    elif op == "double":
        w = w[:k] + w[k] + w[k:]
    else:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    words[i] = w
    return " ".join(words)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.created: dict[str, int] = {}
        self.datapoints: list[Datapoint] = []
        self.records: list[FacilityRecord] = []
        self.company_sources: dict[tuple[int, int], None] = {}
        self.rows: dict[int, int] = {}
        self.brand_listed: set[_Fac] = set()

    # -- helpers -------------------------------------------------------------------------
    def _step(self, name: str) -> None:
        """A random stream per step: changing one step leaves the others' data as it was."""
        self.rng = random.Random(f"{self.seed}:{name}")

    def _row(self, source: Source) -> int:
        self.rows[source.pk] = self.rows.get(source.pk, 1) + 1
        return self.rows[source.pk]

    def _source(self, title: str, file_name: str, published: date, importer: str = "",
                organisation: Organisation | None = None) -> Source:
        self.created["sources"] = self.created.get("sources", 0) + 1
        return Source.objects.create(
            publisher=PUBLISHER, title=title, file_name=file_name, published_on=published,
            retrieved_on=published + timedelta(days=14), licence=LICENCE, importer=importer,
            organisation=organisation, is_demo=True,
            # a union's own data (its factory lists, surveys) is for the union, not the world
            visibility=Source.Visibility.ORGANISATION if organisation is not None
            and organisation.kind != Organisation.Kind.NGO else Source.Visibility.PUBLIC,
        )

    def _dp(self, code: str, year: int, source: Source, citation: str, *, fac=None,
            company=None, country: str = "", number=None, text: str = "",
            verification: str = V.UNVERIFIED) -> None:
        self.datapoints.append(Datapoint(
            metric=self.metrics[code], facility=fac, company=company, country=country,
            year=year, value_number=None if number is None else Decimal(str(number)),
            value_text=text, source=source, citation=citation, verification=verification,
        ))

    def _names(self, company: Company, source: Source) -> None:
        self.company_sources[(company.pk, source.pk)] = None

    # -- the steps -----------------------------------------------------------------------
    def run(self) -> DemoSummary:
        self.metrics = {}
        for code, name, topic, unit, vtype, subject in D.METRICS:
            self.metrics[code] = Metric.objects.get_or_create(code=code, defaults=dict(
                name=name, topic=topic, unit=unit, value_type=vtype, subject=subject,
                description="Used by the fictional demo data."))[0]
        self._step("organisations_and_users")
        self._organisations_and_users()
        self._step("sources")
        self._sources()
        self._step("facilities")
        self._facilities()
        self._step("companies_and_relationships")
        self._companies_and_relationships()
        self._step("union_lists")
        self._union_lists()
        self._step("open_data")
        self._open_data()
        FacilityRecord.objects.bulk_create(self.records)
        self._step("facility_datapoints")
        self._facility_datapoints()
        self._step("company_and_country_datapoints")
        self._company_and_country_datapoints()
        Datapoint.objects.bulk_create(self.datapoints)
        through = Company.sources.through
        through.objects.bulk_create(
            [through(company_id=c, source_id=s) for c, s in self.company_sources],
            ignore_conflicts=True)
        self._step("assessments")
        self._assessments()
        self._step("unions_and_memberships")
        self._unions_and_memberships()
        self._step("matching_history")
        self._matching_history()
        from shopfloor.demo.workspace import WorkspaceBuilder

        workspace = WorkspaceBuilder(self.seed, self.union_orgs, self.users["unionrep"],
                                     self.brands).run()
        workspace.update(self._surveys())
        self._audit_and_sessions()
        from shopfloor.api.tokens import create_token  # a token whose secret nobody is shown

        if not self.users["researcher"].api_tokens.exists():
            create_token(self.users["researcher"], "demo notebook (secret not kept)")
        return DemoSummary(
            sources=self.created["sources"], facilities=len(self.facs),
            **{"facility records": len(self.records)},
            companies=len(self.brands) + len(D.GROUPS) + len(D.SUPPLIER_GROUPS),
            relationships=self.created["relationships"], datapoints=len(self.datapoints),
            assessments=self.created["assessments"], findings=self.created["findings"],
            organisations=self.created["organisations"], users=len(DEMO_LOGINS),
            **workspace,
        )

    def _organisations_and_users(self) -> None:
        self.federations = [Organisation.objects.create(
            name=name, name_km=km, kind=Organisation.Kind.FEDERATION, is_demo=True)
            for name, km in D.FEDERATIONS]
        self.ngo = Organisation.objects.create(
            name=D.NGO[0], name_km=D.NGO[1], kind=Organisation.Kind.NGO, is_demo=True)
        self.created["organisations"] = 3
        User = get_user_model()
        hashed = make_password(PASSWORD)  # hashed once: four PBKDF2 runs would take seconds
        people = {"admin": ("Demo", "Administrator"), "researcher": ("Vanna", "Keo"),
                  "unionrep": ("Srey", "Mom"), "brand": ("Anouk", "de Vries")}
        self.users = {}
        for username, _password, _role in DEMO_LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:
                first, last = people[username]
                user = User.objects.create_user(
                    username, f"{username}@demo.shopfloor.invalid", None, first_name=first,
                    last_name=last, is_staff=username == "admin",
                    is_superuser=username == "admin")
                user.password = hashed
                user.save(update_fields=["password"])
            self.users[username] = user

    def _sources(self) -> None:
        fed_a, fed_b = self.federations
        self.src_list_a = self._source(
            "Factories where our members work, 2024 (fictional union list)",
            "demo://union-lists/mekong-federation-factories-2024.csv", date(2024, 3, 12),
            "facility-list", fed_a)
        self.src_list_b = self._source(
            "Affiliated factories, 2025 (fictional union list)",
            "demo://union-lists/lotus-federation-factories-2025.xlsx", date(2025, 2, 20),
            "facility-list", fed_b)
        self.src_open = self._source(
            "Open supply-chain database export, Cambodia (fictional)",
            "demo://open-data/kh-facilities-2025-06.csv", date(2025, 6, 30), "oshub")
        self.src_buyers = self._source(
            "Buyers seen on labels and orders, reported by union members 2016–2025 "
            "(fictional)", "demo://union-reports/buyers-2016-2025.csv", date(2025, 5, 2),
            "", fed_a)
        self.src_surveys = [self._source(
            f"Factory survey by the {fed.name}, 2019–2025 (fictional)",
            f"demo://union-surveys/federation-{i + 1}-factory-survey-2025.csv",
            date(2025, 4, 30), "survey", fed) for i, fed in enumerate(self.federations)]
        self.src_wages = self._source(
            "Worker wage survey, garment factories 2019–2025 (fictional)",
            "demo://surveys/wage-survey-2019-2025.csv", date(2025, 7, 15), "survey", self.ngo)
        self.src_min_wage = self._source(
            "Minimum wage for the garment, textile and footwear sector 2016–2025 (demo copy)",
            "demo://reference/kh-minimum-wage-2016-2025.csv", date(2024, 9, 20), "min-wage")
        self.src_living = self._source(
            "Living wage benchmark for garment workers (fictional)",
            "demo://reference/kh-living-wage-benchmark-2025.csv", date(2025, 3, 1), "min-wage")
        self.src_index = {year: self._source(
            f"Brand transparency and living wage index {year} (fictional)",
            f"demo://indices/brand-index-{year}.csv", date(year, 6, 15))
            for year in (2021, 2023, 2025)}
        self.src_owners = self._source(
            "Corporate ownership register extract (fictional)",
            "demo://registers/ownership-2025.csv", date(2025, 1, 31))
        self.src_criteria = self._source(
            "Better Factories Cambodia: the 21 critical issues (demo copy)",
            "demo://bfc/critical-issues-21.csv", date(2021, 6, 1), "bfc")
        self.src_cycles = {cycle: self._source(
            f"Better Factories Cambodia public reports, cycle {cycle} ({year}, fictional)",
            f"demo://bfc/transparency-cycle-{cycle}-{year}.csv", date(year + 1, 2, 28), "bfc")
            for cycle, year in CYCLE_YEARS.items()}

    def _facilities(self) -> None:
        rng = self.rng
        stems = [(s, km) for s, km in D.NAME_STEMS_KM] + [(s, "") for s in D.NAME_STEMS_ROMAN]
        rng.shuffle(stems)
        n_patterns = len(D.NAME_PATTERNS)
        facs = [_Fac(s, km, p, D.NAME_PATTERNS[p][0].format(s))
                for (s, km), p in ((st, rng.randrange(n_patterns)) for st in stems)]
        # Sister factories: the same owner's stem with another pattern, two as "Unit 2".
        self.sisters: list[tuple[_Fac, _Fac]] = []
        for i in range(12):
            first = facs[i * 3]
            if i < 2:
                sister = _Fac(first.stem, first.stem_km, first.pattern,
                              f"{first.name} (Unit 2)")
            else:
                p = (first.pattern + 1 + rng.randrange(n_patterns - 1)) % n_patterns
                sister = _Fac(first.stem, first.stem_km, p, D.NAME_PATTERNS[p][0].format(
                    first.stem))
            facs.append(sister)
            self.sisters.append((first, sister))
        provinces = [p for p, info in D.PROVINCES.items() for _ in range(info["quota"])]
        rng.shuffle(provinces)
        unit2 = {s: f for f, s in self.sisters[:2]}
        for fac, province in zip(facs, provinces, strict=True):
            if fac in unit2:  # next to the first unit
                twin = unit2[fac]
                fac.province, fac.district, fac.address = twin.province, twin.district, \
                    twin.address
                fac.lat, fac.lng = round(twin.lat + 0.002, 5), round(twin.lng + 0.001, 5)
                continue
            district, lat, lng, road = rng.choice(D.PROVINCES[province]["districts"])
            spread = 0.012 if province == "Phnom Penh" else 0.025
            fac.province, fac.district = province, district
            fac.lat = round(lat + rng.uniform(-spread, spread), 5)
            fac.lng = round(lng + rng.uniform(-spread, spread), 5)
            if road is None:
                fac.address = (f"No. {rng.randint(3, 399)}, Street {rng.randint(1, 620)}, "
                               f"{district}, {province}")
            else:
                fac.address = f"{road}, Km {rng.randint(4, 48)}, {district}, {province}"
        seen_km: set[str] = set()
        for fac in facs:
            fac.opened = rng.randint(2004, 2015) if rng.random() < 0.82 else rng.randint(2017,
                                                                                        2021)
            fac.size = int(rng.choice([rng.uniform(250, 700), rng.uniform(700, 2000),
                                       rng.uniform(700, 2000), rng.uniform(2000, 5200)]))
            fac.growth = rng.uniform(-0.05, 0.06)
            fac.female = rng.uniform(72, 92)
            if (fac.stem_km and fac.stem not in seen_km and len(seen_km) < 21
                    and rng.random() < 0.75):
                seen_km.add(fac.stem)
                fac.name_km = f"{D.NAME_PATTERNS[fac.pattern][1]} {fac.stem_km}"
            variants = []
            if rng.random() < 0.45:
                variants.append(_plain_upper(fac.name))
            if rng.random() < 0.35:
                initials = "".join(w[0] for w in fac.stem.split())
                kind = D.NAME_PATTERNS[fac.pattern][0].split()[1][0]
                variants.append(f"{initials}{kind} Co., Ltd.")
            if rng.random() < 0.3:
                variants.append(D.NAME_PATTERNS[fac.pattern][0].format(
                    _misspell(rng, fac.stem)))
            fac.other_names = [v for v in variants if v != fac.name]
        units = {f for pair in self.sisters[:2] for f in pair}
        old = [f for f in facs if f.opened <= 2012 and f not in units]
        for fac, year in zip(rng.sample(old, 3), (2020, 2022, 2023), strict=True):
            fac.closed = year
        # The union rep's factories: two open sister factories, with a Khmer name if possible.
        pairs = [p for p in self.sisters if all(f.closed is None and f.opened <= 2015
                                                for f in p)]
        self.rep_pair = next((p for p in pairs if p[0].stem_km), pairs[0])
        first = self.rep_pair[0]
        if first.stem_km and not first.name_km:
            first.name_km = f"{D.NAME_PATTERNS[first.pattern][1]} {first.stem_km}"
        taken = set(Facility.objects.exclude(os_id=None).values_list("os_id", flat=True))
        taken_bfc = set(Facility.objects.exclude(bfc_id=None).values_list("bfc_id", flat=True))
        n_bfc = 0
        for fac in facs:
            if rng.random() < 0.9:
                while True:
                    short = (f"KH{rng.randint(2018, 2023)}{rng.randint(1, 365):03d}"
                             + "".join(rng.choice(CROCKFORD) for _ in range(5)))
                    fac.os_id = short + os_id_checksum(short)
                    if fac.os_id not in taken:
                        taken.add(fac.os_id)
                        break
            if rng.random() < 0.87:
                n_bfc += 1
                bfc = f"BFC-DEMO-{n_bfc:04d}"
                fac.bfc_id = bfc if bfc not in taken_bfc else None
        self.facs = facs
        objs = [Facility(
            name=f.name, name_km=f.name_km, other_names=f.other_names, address=f.address,
            country="KH", province=f.province, lat=f.lat, lng=f.lng, os_id=f.os_id,
            bfc_id=f.bfc_id, is_closed=f.closed is not None) for f in facs]
        Facility.objects.bulk_create(objs)
        refresh_search_keys([o.pk for o in objs])  # bulk_create skips the signal
        for fac, obj in zip(facs, objs, strict=True):
            fac.obj = obj

    def _companies_and_relationships(self) -> None:
        rng = self.rng
        self.brands = [_Brand(*row) for row in D.BRANDS]
        by_name = {}
        for b in self.brands:
            b.obj = Company.objects.get_or_create(name=b.name, defaults=dict(
                kind=b.kind, hq_country=b.hq, employees=b.employees, aliases=b.aliases))[0]
            by_name[b.name] = b
            if b.publishes:
                slug = b.name.lower().replace("&", "and").replace(" ", "-")
                for a, z in (("é", "e"), ("ö", "o"), ("ø", "o")):
                    slug = slug.replace(a, z)
                b.source = self._source(
                    f"{b.name} supplier list {b.end} (fictional)",
                    f"demo://brand-lists/{slug}-{b.end}.csv",
                    date(b.end, rng.randint(1, 6), rng.randint(1, 28)), "brand-list")
                self._names(b.obj, b.source)
        rels: list[Relationship] = []
        # Who buys from whom, and when. The union rep's two sister factories supply Tulpwear.
        for fac in self.facs:
            lo_f, hi_f = max(FIRST_YEAR, fac.opened), fac.last_year
            k = rng.choices([1, 2, 3, 4, 5, 6], weights=[2, 4, 5, 4, 2, 1])[0]
            pool = [b for b in self.brands if b.start <= hi_f and b.end >= lo_f]
            chosen = [by_name["Tulpwear"]] if fac in self.rep_pair else []
            pool = [b for b in pool if b not in chosen]
            while len(chosen) < k and pool:
                b = rng.choices(pool, weights=[b.weight for b in pool])[0]
                pool.remove(b)
                chosen.append(b)
            for b in chosen:
                lo, hi = max(lo_f, b.start), min(hi_f, b.end)
                start = lo if rng.random() < 0.35 else rng.randint(lo, hi)
                end = min(hi, start + rng.choice([0, 1, 2, 3, 4, 6, 9]))
                if b.name == "Tulpwear" and fac in self.rep_pair:
                    start, end = 2019, LAST_YEAR
                periods = [(start, end)]
                if end + 2 < hi and rng.random() < 0.2:  # the brand comes back
                    s2 = rng.randint(end + 2, hi)
                    periods.append((s2, min(hi, s2 + rng.choice([0, 1, 2, 4]))))
                for s, e in periods:
                    rels.append(self._sourcing(b, fac, s, e))
        for name, hq, employees, aliases, owned in D.GROUPS:
            group = Company.objects.get_or_create(name=name, defaults=dict(
                kind=Company.Kind.GROUP, hq_country=hq, employees=employees,
                aliases=aliases))[0]
            self._names(group, self.src_owners)
            for brand_name, since in owned:
                brand = by_name[brand_name].obj
                self._names(brand, self.src_owners)
                rels.append(Relationship(
                    subject=group, kind=Relationship.Kind.OWNS_BRAND, object_company=brand,
                    year_start=since, source=self.src_owners,
                    citation=f"row {self._row(self.src_owners)}"))
        owned_facs = rng.sample(self.facs, sum(n for *_, n in D.SUPPLIER_GROUPS))
        for name, hq, employees, n in D.SUPPLIER_GROUPS:
            group = Company.objects.get_or_create(name=name, defaults=dict(
                kind=Company.Kind.SUPPLIER_GROUP, hq_country=hq, employees=employees))[0]
            self._names(group, self.src_owners)
            for fac in owned_facs[:n]:
                rels.append(Relationship(
                    subject=group, kind=Relationship.Kind.OWNS_FACILITY, facility=fac.obj,
                    year_start=fac.opened, year_end=fac.closed, source=self.src_owners,
                    citation=f"row {self._row(self.src_owners)}"))
            owned_facs = owned_facs[n:]
        Relationship.objects.bulk_create(rels)
        self.created["relationships"] = len(rels)

    def _sourcing(self, b: _Brand, fac: _Fac, start: int, end: int) -> Relationship:
        """One sourcing period: a row of the brand's own list, or a union report."""
        rng = self.rng
        if not b.publishes:
            self._names(b.obj, self.src_buyers)
            return Relationship(
                subject=b.obj, kind=Relationship.Kind.SOURCES_FROM, facility=fac.obj,
                year_start=start, year_end=end, source=self.src_buyers,
                citation=f"row {self._row(self.src_buyers)}")
        row = self._row(b.source)
        self.brand_listed.add(fac)
        name = rng.choice([_plain_upper(fac.name), _plain_upper(fac.name), *fac.other_names])
        give_os = fac.os_id is not None and rng.random() < 0.7
        workers = self._workers(fac, end) if rng.random() < 0.85 else None
        line = round(workers * rng.uniform(0.8, 0.88)) if workers and rng.random() < 0.7 \
            else None
        female = round(fac.female + rng.uniform(-2.5, 2.5), 1) if rng.random() < 0.75 \
            else None
        migrant = round(rng.uniform(0.1, 2.5), 1) if rng.random() < 0.25 else None
        raw = {
            "Factory Name": name, "Factory Type": "FINISHED GOODS", "Product Type": "APPAREL",
            "Address": fac.address.rsplit(",", 2)[0].upper(), "City": fac.district.upper(),
            "State": fac.province.upper(), "Country/Region": "Cambodia",
            "Total Workers": str(workers or ""), "Line Workers": str(line or ""),
            "% Female Workers": f"{female}%" if female else "",
            "% Migrant Workers": f"{migrant}%" if migrant else "",
            "OS ID": fac.os_id if give_os else "",
            "First year listed": str(start), "Last year listed": str(end),
        }
        self.records.append(FacilityRecord(
            source=b.source, row_number=row, raw=raw, name=name, address=fac.address.upper(),
            country="KH", os_id=raw["OS ID"], facility=fac.obj,
            match_score=1.0 if give_os else round(rng.uniform(0.86, 0.99), 3),
            decision=FacilityRecord.Decision.AUTOMATIC))
        cite = f"row {row}"
        verified = V.STEWARD if rng.random() < 0.06 else V.UNVERIFIED
        for code, value in (("workers_total", workers), ("line_workers", line),
                            ("workers_female_pct", female), ("workers_migrant_pct", migrant)):
            if value is not None:
                self._dp(code, end, b.source, cite, fac=fac.obj, number=value,
                         verification=verified)
        return Relationship(
            subject=b.obj, kind=Relationship.Kind.SOURCES_FROM, facility=fac.obj,
            year_start=start, year_end=end, source=b.source, citation=cite)

    def _workers(self, fac: _Fac, year: int) -> int:
        return max(60, round(fac.size * (1 + fac.growth * (year - 2020))
                             * self.rng.uniform(0.95, 1.05)))

    def _union_lists(self) -> None:
        rng = self.rng
        fed_a_pool = [f for f in self.facs if f.province in (
            "Phnom Penh", "Kandal", "Kampong Speu", "Takeo") and f not in self.rep_pair]
        self.list_a = [*self.rep_pair, *rng.sample(fed_a_pool, 28)]
        for fac in self.facs:  # every facility is described by at least one matched record
            if not fac.os_id and fac not in self.brand_listed and fac not in self.list_a:
                self.list_a.append(fac)
        self.list_b = rng.sample([f for f in self.facs if f.closed is None], 18)
        researcher = self.users["researcher"]
        for source, members in ((self.src_list_a, self.list_a), (self.src_list_b,
                                                                   self.list_b)):
            for fac in members:
                choice = rng.random()
                if choice < 0.4:
                    name, decision = fac.name, FacilityRecord.Decision.AUTOMATIC
                elif choice < 0.7 and fac.name_km:
                    name, decision = fac.name_km, FacilityRecord.Decision.CONFIRMED
                elif fac.other_names:
                    name, decision = rng.choice(fac.other_names), \
                        FacilityRecord.Decision.CONFIRMED
                else:
                    name, decision = _plain_upper(fac.name), FacilityRecord.Decision.AUTOMATIC
                auto = decision == FacilityRecord.Decision.AUTOMATIC
                self._union_row(source, fac, name, decision,
                                round(rng.uniform(0.88, 0.99) if auto
                                      else rng.uniform(0.55, 0.87), 3),
                                None if auto else researcher)
        # The review queue: uncertain rows of the newest upload, and one unknown factory.
        for fac in rng.sample([f for f in self.facs if f not in self.list_b], 5):
            name = f"{_misspell(rng, fac.stem)} {rng.choice(['Garment', 'Factory', 'Co'])}"
            self._union_row(self.src_list_b, fac, name, FacilityRecord.Decision.PENDING,
                            round(rng.uniform(0.5, 0.8), 3), None)
        self._union_row(self.src_list_b, None, "New Horizon Garment (Cambodia)",
                        FacilityRecord.Decision.PENDING, None, None)

    def _union_row(self, source, fac: _Fac | None, name: str, decision: str, score, by):
        rng = self.rng
        row = self._row(source)
        address = "" if fac is None or rng.random() < 0.2 else (
            fac.address if rng.random() < 0.6 else f"{fac.district}, {fac.province}")
        members = rng.randint(40, 900)
        raw = {"No.": str(row - 1), "Factory name": name, "Address": address,
               "Province": fac.province if fac else "Kandal",
               "BFC number": (fac.bfc_id or "") if fac and rng.random() < 0.6 else "",
               "Union members": str(members)}
        decided_at = datetime(2025, 3, rng.randint(1, 28), 9, 30, tzinfo=UTC) if by else None
        self.records.append(FacilityRecord(
            source=source, row_number=row, raw=raw, name=name, address=address,
            country="KH", bfc_id=raw["BFC number"], facility=fac.obj if fac else None,
            match_score=score, decision=decision, decided_by=by, decided_at=decided_at))
        if fac is not None and decision != FacilityRecord.Decision.PENDING:
            self._dp("union_members", source.published_on.year, source, f"row {row}",
                     fac=fac.obj, number=members, verification=V.COMMUNITY)

    def _open_data(self) -> None:
        for fac in self.facs:
            if not fac.os_id:
                continue
            row = self._row(self.src_open)
            workers = self._workers(fac, 2024)
            band = next(b for lim, b in ((1000, "501-1000"), (5000, "1001-5000"),
                                          (10**9, "More than 5000")) if workers <= lim) \
                if workers > 500 else "Less than 500"
            raw = {"os_id": fac.os_id, "name": fac.name, "address": fac.address,
                   "country_code": "KH", "lat": str(fac.lat), "lng": str(fac.lng),
                   "sector": "Apparel", "number_of_workers": band,
                   "is_closed": "true" if fac.closed else ""}
            self.records.append(FacilityRecord(
                source=self.src_open, row_number=row, raw=raw, name=fac.name,
                address=fac.address, country="KH", lat=fac.lat, lng=fac.lng,
                os_id=fac.os_id, facility=fac.obj, match_score=1.0,
                decision=FacilityRecord.Decision.AUTOMATIC))
            self._dp("workers_band", 2025, self.src_open, f"row {row}", fac=fac.obj, text=band)

    def _facility_datapoints(self) -> None:
        rng = self.rng
        in_a = set(self.list_a)
        in_b = set(self.list_b)
        union_facs = [f for f in self.facs if f in in_a or f in in_b]
        for survey, members in ((self.src_surveys[0], in_a), (self.src_surveys[1], in_b)):
            for fac in union_facs:
                if fac not in members:
                    continue
                cba_since = rng.randint(2017, 2024) if rng.random() < 0.4 else None
                for year in (2019, 2021, 2023, 2025):
                    if not fac.operating(year) or rng.random() < 0.12:
                        continue
                    cite = f"row {self._row(survey)}"
                    ver = rng.choices([V.COMMUNITY, V.STEWARD, V.UNVERIFIED], [65, 10, 25])[0]
                    kw = dict(fac=fac.obj, verification=ver)
                    self._dp("workers_total", year, survey, cite,
                             number=self._workers(fac, year), **kw)
                    if rng.random() < 0.8:
                        self._dp("workers_female_pct", year, survey, cite,
                                 number=round(fac.female + rng.uniform(-2, 2), 1), **kw)
                    self._dp("union_present", year, survey, cite, text="yes", **kw)
                    has = cba_since is not None and year >= cba_since
                    self._dp("has_cba", year, survey, cite, text="yes" if has else "no", **kw)
                    if has:
                        self._dp("cba_coverage_pct", year, survey, cite,
                                 number=rng.randint(55, 100), **kw)
        # Wages: some factories only; the others have no wage data at all (never zero).
        wage_facs = rng.sample(self.facs, 38)
        self.wage_facs = wage_facs
        for fac in wage_facs:
            premium = rng.uniform(6, 70)
            for year in range(2019, LAST_YEAR + 1):
                if not fac.operating(year) or rng.random() < 0.18:
                    continue
                value = D.MINIMUM_WAGE_KH[year] + premium + rng.uniform(-4, 8)
                ver = rng.choices([V.UNVERIFIED, V.COMMUNITY, V.STEWARD], [60, 30, 10])[0]
                self._dp("avg_monthly_wage_usd", year, self.src_wages,
                         f"row {self._row(self.src_wages)}", fac=fac.obj,
                         number=round(value, 2), verification=ver)
            if fac not in in_a and fac not in in_b and rng.random() < 0.5:
                self._dp("union_present", 2025 if fac.operating(2025) else fac.last_year,
                         self.src_wages, f"row {self._row(self.src_wages)}", fac=fac.obj,
                         text="no", verification=V.COMMUNITY)
        # The lowest 2023 wage falls below the legal minimum, and the factory disputes it.
        wages = [d for d in self.datapoints
                 if d.metric.code == "avg_monthly_wage_usd" and d.year == 2023]
        lowest = min(wages, key=lambda d: d.value_number)
        lowest.value_number = Decimal(str(D.MINIMUM_WAGE_KH[2023] - 6.5))
        lowest.verification = V.DISPUTED
        # One brand-list headcount a union disputes.
        counts = [d for d in self.datapoints if d.metric.code == "workers_total"
                  and d.verification == V.UNVERIFIED and d.source.importer == "brand-list"]
        counts[len(counts) // 2].verification = V.DISPUTED

    def _company_and_country_datapoints(self) -> None:
        rng = self.rng
        for year, value in D.MINIMUM_WAGE_KH.items():
            self._dp("minimum_wage_monthly", year, self.src_min_wage,
                     f"row {self._row(self.src_min_wage)}", country="KH", number=value,
                     verification=V.STEWARD)
        for year, value in D.LIVING_WAGE_KH.items():
            self._dp("living_wage_benchmark_monthly", year, self.src_living,
                     f"row {self._row(self.src_living)}", country="KH", number=value)
        grades = "ABCDE"
        for b in self.brands:
            base = rng.randint(25, 60) if b.publishes else rng.randint(4, 25)
            grade = rng.choices(range(5), [1, 3, 8, 12, 10])[0]
            foa = rng.random() < (0.8 if b.publishes else 0.35)
            for i, (year, source) in enumerate(self.src_index.items()):
                self._names(b.obj, source)
                cite = f"row {self._row(source)}"
                if rng.random() < 0.9:
                    score = min(98, base + i * rng.randint(0, 9))
                    self._dp("transparency_score", year, source, cite, company=b.obj,
                             number=score)
                if rng.random() < 0.85:
                    grade = max(0, grade - (rng.random() < 0.25))
                    self._dp("living_wage_grade", year, source, cite, company=b.obj,
                             text=grades[grade])
                self._dp("has_foa_policy", year, source, cite, company=b.obj,
                         text="yes" if foa or (i == 2 and b.publishes) else "no")
                publishes = b.publishes and (year >= 2023 or b.start <= 2017)
                self._dp("publishes_supplier_list", year, source, cite, company=b.obj,
                         text="yes" if publishes else "no")

    def _assessments(self) -> None:
        rng = self.rng
        criteria = []
        for code, cluster, text, text_km, _rate, _detail in D.CRITERIA:
            criteria.append(Criterion.objects.get_or_create(
                programme="BFC", code=code, defaults=dict(
                    cluster=cluster, text=text, text_km=text_km,
                    source=self.src_criteria))[0])
        self.created["criteria"] = len(criteria)
        assessed = [f for f in self.facs if f.bfc_id and rng.random() < 0.9]
        plans, assessments = [], []
        for fac in assessed:
            risk = rng.choice([0.5, 0.7, 0.9, 1.0, 1.1, 1.3, 1.6, 1.9])
            trend = rng.choice([(1.4, 1.0, 0.6), (1.4, 1.0, 0.6), (0.6, 1.0, 1.5),
                                (1.0, 1.0, 1.0), (1.0, 1.0, 1.0)])
            for cycle, year in CYCLE_YEARS.items():
                if not fac.operating(year) or fac.opened >= year:
                    continue
                a = Assessment(facility=fac.obj, programme="BFC", cycle=cycle,
                               assessed_on=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                               source=self.src_cycles[cycle])
                assessments.append(a)
                plans.append((a, risk * trend[cycle - 1]))
        Assessment.objects.bulk_create(assessments)
        # Per cycle and criterion, the share of factories found non-compliant is the
        # criterion's rate; which factories they are follows each one's risk and trend.
        status: dict[tuple[int, str], str] = {}
        for cycle in CYCLE_YEARS:
            cohort = [(a, factor) for a, factor in plans if a.cycle == cycle]
            for crit, (_c, _cl, _t, _km, rate, _detail) in zip(criteria, D.CRITERIA,
                                                               strict=True):
                expected = rate * len(cohort)
                n = int(expected) + (rng.random() < expected % 1)
                keyed = sorted(cohort, key=lambda p: rng.random() ** (1 / p[1]), reverse=True)
                for a, _factor in keyed[:n]:
                    status[id(a), crit.code] = Finding.Status.NON_COMPLIANT
        findings = []
        for a, _factor in plans:
            source = a.source
            for crit, (*_rest, detail) in zip(criteria, D.CRITERIA, strict=True):
                st = status.get((id(a), crit.code), Finding.Status.COMPLIANT)
                if rng.random() < 0.005:
                    st = Finding.Status.NOT_ASSESSED
                text = {Finding.Status.NON_COMPLIANT: detail,
                        Finding.Status.NOT_ASSESSED: "Not assessed in this cycle."}.get(st, "")
                findings.append(Finding(assessment=a, criterion=crit, status=st, detail=text,
                                        source=source, citation=f"row {self._row(source)}"))
        Finding.objects.bulk_create(findings)
        self.created["assessments"], self.created["findings"] = len(assessments), len(findings)

    def _unions_and_memberships(self) -> None:
        fed_a, fed_b = self.federations
        unions = [(self.rep_pair, fed_a)]
        used = {f.stem for f in self.rep_pair}
        for fed, members, n in ((fed_a, self.list_a, 3), (fed_b, self.list_b, 2)):
            candidates = sorted((f for f in members if f.closed is None),
                                key=lambda f: (not f.name_km, self.facs.index(f)))
            for fac in candidates:
                if fac.stem not in used and n:
                    used.add(fac.stem)
                    unions.append(((fac,), fed))
                    n -= 1
        self.union_orgs = []
        for facs, fed in unions:
            stem, stem_km = facs[0].stem, facs[0].stem_km
            org = Organisation.objects.create(
                name=f"{stem} Free Workers' Union", name_km=f"សហជីពសេរីកម្មករ{stem_km}"
                if stem_km else "", kind=Organisation.Kind.FACTORY_UNION, parent=fed,
                is_demo=True)
            org.facilities.set([f.obj for f in facs])
            self.union_orgs.append(org)
        brand_orgs = []
        for brand_name, org_name in D.BRAND_ORGANISATIONS:
            brand = next(b for b in self.brands if b.name == brand_name)
            brand_orgs.append(Organisation.objects.create(
                name=org_name, kind=Organisation.Kind.BRAND, company=brand.obj, is_demo=True))
        self.created["organisations"] += len(unions) + len(brand_orgs)
        self.brand_orgs = brand_orgs
        R = Membership.Role
        for user, org, role in ((self.users["admin"], fed_a, R.ADMIN),
                                (self.users["researcher"], fed_a, R.RESEARCHER),
                                (self.users["unionrep"], self.union_orgs[0], R.UNION_REP),
                                (self.users["brand"], brand_orgs[0], R.BRAND_VIEWER)):
            membership = Membership.objects.get_or_create(
                user=user, organisation=org, defaults={"role": role})[0]
            if role == R.UNION_REP:
                membership.facilities.set([f.obj for f in self.rep_pair])


    def _matching_history(self) -> None:
        """What reviewers decided (remembered by fingerprint), three uncertain rows in the
        first federation's list for its researcher to review, and that list as a watchlist."""
        from difflib import SequenceMatcher

        from shopfloor.linkage.records import fingerprint

        rng, researcher = self.rng, self.users["researcher"]
        listed = {f.obj.pk for f in self.list_a}
        extra = [f for f in self.facs if f.obj.pk not in listed and f.closed is None][:3]
        for fac in extra:
            row = self._row(self.src_list_a)
            name = f"{_misspell(rng, fac.stem)} {rng.choice(['Garment', 'Factory'])}"
            raw = {"No.": str(row - 1), "Factory name": name, "Address": "",
                   "Province": fac.province, "BFC number": "", "Union members": ""}
            FacilityRecord.objects.create(
                source=self.src_list_a, row_number=row, raw=raw, name=name,
                address=fac.province, country="KH", facility=fac.obj,
                match_score=round(rng.uniform(0.55, 0.79), 3),
                decision=FacilityRecord.Decision.PENDING)
        others = [f.obj for f in self.facs]
        for rec in FacilityRecord.objects.filter(
                source__in=(self.src_list_a, self.src_list_b),
                decision=FacilityRecord.Decision.PENDING).exclude(facility=None):
            runner_up = max((f for f in others if f.pk != rec.facility_id),
                            key=lambda f: (_ratio(SequenceMatcher, rec.name, f.name), -f.pk))
            second = round(min(rec.match_score - 0.05, 0.5 * rec.match_score + 0.2), 3)
            rec.match_evidence = {
                "candidates": [{"facility_id": rec.facility_id, "score": rec.match_score},
                               {"facility_id": runner_up.pk, "score": second}],
                "features": {
                    "name similarity": _ratio(SequenceMatcher, rec.name, rec.facility.name),
                    "address similarity": _ratio(SequenceMatcher, rec.address,
                                                 rec.facility.address),
                    "same country": 1.0},
                "note": "fictional demo evidence"}
            rec.save(update_fields=["match_evidence"])
        decided = FacilityRecord.objects.filter(
            source__in=(self.src_list_a, self.src_list_b),
            decision=FacilityRecord.Decision.CONFIRMED).select_related("facility")
        decisions = {}
        for rec in decided:
            fp = fingerprint(rec.name, rec.address, rec.country)
            decisions[(fp, rec.facility_id)] = MatchDecision(
                fingerprint=fp, facility=rec.facility, verdict=MatchDecision.Verdict.CONFIRMED,
                record=rec, decided_by=rec.decided_by)
        # A reviewer told two look-alikes apart: the row is not the runner-up.
        for rec in list(decided)[:2]:
            fp = fingerprint(rec.name, rec.address, rec.country)
            other = next(f for f in others if f.pk != rec.facility_id
                         and f.province == rec.facility.province)
            decisions.setdefault((fp, other.pk), MatchDecision(
                fingerprint=fp, facility=other, verdict=MatchDecision.Verdict.REJECTED,
                record=rec, decided_by=researcher))
        MatchDecision.objects.bulk_create(decisions.values(), ignore_conflicts=True)
        Watchlist.objects.create(name="Mekong federation factories", organisation=self.src_list_a
                                 .organisation, source=self.src_list_a, created_by=researcher)

    def _surveys(self) -> dict:
        """The shipped worker survey at the rep's first factory, and the shipped supplier
        questionnaire answered by the first brand's suppliers (see demo/surveys.py)."""
        from shopfloor.demo.surveys import build_surveys

        brand_org = self.brand_orgs[0]
        suppliers = list(Facility.objects.filter(
            relationships__subject=brand_org.company, relationships__kind="sources_from"
        ).distinct().order_by("pk"))
        return build_surveys(self.seed, self.union_orgs[0],
                             [f.obj for f in self.rep_pair], brand_org, suppliers)

    def _audit_and_sessions(self) -> None:
        """A sign-in of the union rep from a phone (so "where you are signed in" shows
        something) and an audit event saying the demo was loaded."""
        from shopfloor import audit
        from shopfloor.models import UserSession

        UserSession.objects.get_or_create(
            session_key=f"demo{self.seed:036d}"[:40], defaults=dict(
                user=self.users["unionrep"], ip="203.0.113.24",  # a documentation address
                user_agent="Mozilla/5.0 (Linux; Android 13) demo phone"))
        audit.record("demo.loaded", seed=self.seed, organisations=self.created[
            "organisations"], sources=self.created["sources"])


def _ratio(matcher, a: str, b: str) -> float:
    return round(matcher(None, a.casefold(), b.casefold()).ratio(), 2)


def database_has_data() -> bool:
    """Whether any source or facility exists (the demo then only loads with ``force``)."""
    return Source.objects.exists() or Facility.objects.exists()


def clear_demo() -> None:
    """Delete the demo data: its sources and every fact that came from them, and the demo
    organisations. Facilities and companies go with their last source (see
    :mod:`shopfloor.provenance`); metrics, criteria still used elsewhere and users stay."""
    from shopfloor.demo.workspace import clear_demo_workspace

    with transaction.atomic():
        clear_demo_workspace()
        Finding.objects.filter(source__is_demo=True).delete()
        Source.objects.filter(is_demo=True).delete()
        Organisation.objects.filter(is_demo=True).delete()


def load_demo(force: bool = False, seed: int = SEED) -> DemoSummary | None:
    """Load the fictional demo data in one transaction.

    Returns ``None`` without touching anything if the database already has data and
    ``force`` is false. With ``force`` an earlier demo load is removed first.

    >>> print(load_demo())  # doctest: +SKIP
    35 sources, 60 facilities, 255 facility records, ...
    """
    if database_has_data() and not force:
        return None
    with transaction.atomic():
        if force:
            clear_demo()
        summary = _Builder(seed).run()
    from shopfloor.maintenance import refresh_statistics

    refresh_statistics()
    return summary
