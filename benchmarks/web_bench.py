"""Web pages under load: factory pages and search, 20 concurrent users, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/web_bench.py                      # SQLite in a temp dir
    .venv/bin/python benchmarks/web_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/web_bench
    .venv/bin/python benchmarks/web_bench.py --keep               # keep var/web_bench/...
    .venv/bin/python benchmarks/web_bench.py --reuse var/web_bench/web_bench.sqlite3

1. Generates a realistic database straight into the tables (COPY on PostgreSQL, one
   prepared ``executemany`` per batch on SQLite, through :mod:`shopfloor.sources.bulk`):
   ``--facilities`` factories (default 100,000; 40% in Cambodia, most with a Khmer-script
   name; names from a Zipf-distributed vocabulary as in match_bench.py), one Open Supply
   Hub record each, 600 brands with 1–3 supplier lists each and buyers for 80% of the
   factories, ``--datapoints`` datapoints (default 1,000,000; 8 metrics over the years),
   and for 75% of the Cambodian factories 1–4 BFC cycles of the 21 critical issues.
   Search keys are filled by ``shopfloor.search.refresh_search_keys`` when it exists.
2. Serves the app with gunicorn (``shopfloor.wsgi``, DEBUG off, ``--workers`` ×
   ``--threads``), warms it up, and runs Locust headless (benchmarks/web_locustfile.py):
   ``--users`` users for ``--duration`` seconds, 60% factory pages (70% of them factories
   with findings), 40% searches (full names, partial names, Khmer, misspellings, province
   filter, OS IDs), half the users reading in Khmer.
3. Prints p50/p95/p99 and requests/s per endpoint, failures, the data-generation time, and
   for each endpoint the queries one request runs and the slowest of them.

Target (issue 5): p95 < 200 ms for the factory page and search, on this 2-core machine,
on both backends. Needs gunicorn (``pip install gunicorn``) and locust in the venv.
The database is dropped at the end unless ``--keep``: PostgreSQL uses its own database
``web_bench`` (created and dropped here); SQLite a temporary directory, or var/web_bench/
with ``--keep`` (git-ignored).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("web_locustfile.py")
SECRET = "web-bench-only-" + "x" * 40

# --- the data ------------------------------------------------------------------------------

def _split(words: str) -> list[str]:
    return words.split()


COUNTRIES = [("KH", 0.40), ("BD", 0.15), ("VN", 0.15), ("CN", 0.15), ("ID", 0.10),
             ("MM", 0.05)]
PROVINCES = {
    # Cambodia's garment provinces first: most factories are around Phnom Penh
    "KH": [("Phnom Penh", 30), ("Kandal", 20), ("Kampong Speu", 15), ("Kampong Chhnang", 5),
           ("Svay Rieng", 6), ("Takeo", 4), ("Kampong Cham", 4), ("Preah Sihanouk", 4),
           ("Pursat", 2), ("Battambang", 2), ("Kampot", 2), ("Prey Veng", 2),
           ("Tbong Khmum", 2), ("Siem Reap", 1), ("Banteay Meanchey", 1)],
    "BD": [("Dhaka", 6), ("Chattogram", 3), ("Gazipur", 5), ("Narayanganj", 3)],
    "VN": [("Ho Chi Minh City", 4), ("Binh Duong", 4), ("Dong Nai", 3), ("Ha Noi", 2)],
    "CN": [("Guangdong", 5), ("Zhejiang", 4), ("Jiangsu", 4), ("Fujian", 2)],
    "ID": [("Jawa Barat", 5), ("Jawa Tengah", 4), ("Banten", 2)],
    "MM": [("Yangon", 5), ("Bago", 1)],
}
LEGAL = ["Co., Ltd.", "(Cambodia) Co., Ltd.", "Garment Co., Ltd.", "Limited", "Ltd.",
         "Company Limited", "Industrial Co., Ltd.", ""]
INDUSTRY = ["Garment", "Garments", "Textile", "Apparel", "Knitwear", "Fashion", "Manufacturing",
            "Sewing", "Clothing", "Footwear", "Sportswear", "Underwear", "Denim", "Bags"]
INDUSTRY_KM = {"Garment": "ហ្គាមិន", "Garments": "ហ្គាមិន", "Textile": "វាយនភណ្ឌ",
               "Apparel": "សម្លៀកបំពាក់", "Knitwear": "ត្បាញ", "Fashion": "ម៉ូដ",
               "Manufacturing": "ផលិតកម្ម", "Sewing": "កាត់ដេរ", "Clothing": "សម្លៀកបំពាក់",
               "Footwear": "ស្បែកជើង", "Sportswear": "សម្លៀកបំពាក់កីឡា",
               "Underwear": "ខោអាវទ្រនាប់", "Denim": "ខោខូវប៊យ", "Bags": "កាបូប"}
WORDS = _split(
    "golden star new royal grand global asia pacific eastern city sun moon lotus dragon "
    "phoenix ocean river mountain silver crystal pearl diamond victory unity harmony "
    "prosperity fortune eagle tiger lion rose jasmine orchid angkor mekong tonle bayon sovann "
    "reaksmey sokha pheap chhay meas kiri delta alpha omega prime elite supreme modern smart "
    "bright green blue red white rainbow crown empire liberty trust hope grace noble quality "
    "perfect great united")
SYLLABLES = _split(
    "an ba bao bei bin bo cai chang chen cheng da dai de deng ding dong du fa fan fang fei "
    "feng fu gang gao guang gui guo hai han hao he heng hong hua hui jia jian jiang jie jin "
    "jing kai kang li lian liang lin ling long lu mao mei ming nan ning peng ping qi qian qing "
    "rong rui sen shan sheng shi shun song tai tian tong wan wang wei wen xiang xin xing xu ya "
    "yang yi yin ying yong yu yuan yue zhan zhen zhi zhong")
KM_CONSONANTS = "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"
KM_VOWELS = ["ា", "ិ", "ី", "ឹ", "ឺ", "ុ", "ូ", "ួ", "ើ", "ឿ", "ៀ", "េ", "ែ", "ៃ", "ោ", "ៅ", ""]
KM_FINALS = ["", "", "ង", "ន", "ម", "ក", "ត", "ស", "យ", "ល", "ញ"]
CRITERIA = [
    ("1", "Child labourers", "Child Labour", "ពលកម្មកុមារ"),
    ("2", "Unconditional worst forms", "Child Labour", "ទម្រង់ធ្ងន់ធ្ងរបំផុតនៃពលកម្មកុមារ"),
    ("3", "Bonded labour", "Forced Labour", "ពលកម្មជាប់បំណុល"),
    ("4", "Forced labour and overtime", "Forced Labour", "ពលកម្មដោយបង្ខំ និងការងារបន្ថែមម៉ោង"),
    ("5", "Coercion", "Forced Labour", "ការបង្ខិតបង្ខំ"),
    ("6", "Gender discrimination", "Discrimination", "ការរើសអើងយេនឌ័រ"),
    ("7", "Race and origin", "Discrimination", "ពូជសាសន៍ និងដើមកំណើត"),
    ("8", "Religion and political opinion", "Discrimination", "សាសនា និងមតិនយោបាយ"),
    ("9", "Interference and discrimination", "Freedom of Association",
     "ការជ្រៀតជ្រែក និងការរើសអើង"),
    ("10", "Strikes", "Freedom of Association", "កូដកម្ម"),
    ("11", "Union operations", "Freedom of Association", "ប្រតិបត្តិការសហជីព"),
    ("12", "Freedom to associate", "Freedom of Association", "សេរីភាពក្នុងការបង្កើតសមាគម"),
    ("13", "Paying wages", "Compensation", "ការបើកប្រាក់ឈ្នួល"),
    ("14", "Minimum wages", "Compensation", "ប្រាក់ឈ្នួលអប្បបរមា"),
    ("15", "Overtime wages", "Compensation", "ប្រាក់ឈ្នួលការងារបន្ថែមម៉ោង"),
    ("16", "Emergency preparedness", "OSH", "ការត្រៀមលក្ខណៈសង្គ្រោះបន្ទាន់"),
    ("17", "Chemicals and hazardous substances", "OSH", "សារធាតុគីមី និងសារធាតុគ្រោះថ្នាក់"),
    ("18", "Health services and first aid", "OSH", "សេវាសុខាភិបាល និងជំនួយសង្គ្រោះបឋម"),
    ("19", "Worker protection", "OSH", "ការការពារកម្មករ"),
    ("20", "Working environment", "OSH", "បរិស្ថានការងារ"),
    ("21", "Overtime", "Working Time", "ការងារបន្ថែមម៉ោង"),
]
METRICS = [  # code, name, topic, unit, value_type
    ("workers_total", "Workers", "demographics", "workers", "number"),
    ("workers_women_pct", "Women workers", "demographics", "%", "percent"),
    ("wage_avg", "Average monthly wage", "wages", "USD", "money"),
    ("wage_min_paid_pct", "Workers paid at least the minimum wage", "wages", "%", "percent"),
    ("overtime_hours", "Overtime per week", "osh", "hours", "number"),
    ("union_present", "Union at the factory", "foa", "", "category"),
    ("cba_in_force", "Collective agreement in force", "cba", "", "category"),
    ("short_contracts_pct", "Workers on short contracts", "rights", "%", "percent"),
]
NOW = "2025-01-15 08:00:00"


def _b36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words = list(dict.fromkeys(WORDS))
    seen = set(words)
    while len(words) < size:
        a, b = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
        word = a + b if rng.random() < 0.7 else a + rng.choice(SYLLABLES) + b
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _khmer_word(rng: random.Random) -> str:
    return "".join(rng.choice(KM_CONSONANTS) + rng.choice(KM_VOWELS) + rng.choice(KM_FINALS)
                   for _ in range(rng.choice([1, 2, 2, 3])))


class Picker:
    """Weighted choice from a fixed list, fast (bisect on cumulative weights)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def generate(facilities: int, datapoints: int, seed: int = 5) -> dict[str, float]:
    """Fill the (migrated, empty) database. Returns seconds per table and the row counts."""
    from django.db import connection, transaction

    from shopfloor.models import (
        Assessment,
        Company,
        Criterion,
        Datapoint,
        Facility,
        FacilityRecord,
        Finding,
        Metric,
        Relationship,
        Source,
    )
    from shopfloor.sources.bulk import insert_statement, write_rows

    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    zipf = Picker(vocab, [1 / (rank + 1) ** 0.9 for rank in range(len(vocab))])
    khmer = {word: _khmer_word(rng) for word in vocab}
    country_of = Picker([c for c, _ in COUNTRIES], [w for _, w in COUNTRIES])
    province_of = {c: Picker([p for p, _ in ps], [w for _, w in ps]) for c, ps in PROVINCES.items()}
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    postgres = connection.vendor == "postgresql"

    def put(model, names, rows, chunk=20_000):
        """Write an iterable of tuples in chunks, in one transaction per table."""
        label = model._meta.model_name
        start = time.perf_counter()
        n = 0
        with transaction.atomic():
            connection.ensure_connection()
            if postgres:  # our own scratch database: skip per-row foreign-key triggers
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = replica")
            statement = insert_statement(model, names)
            it = iter(rows)
            while batch := list(itertools.islice(it, chunk)):
                write_rows(connection.connection, statement, batch)
                n += len(batch)
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")
        timings[label] = timings.get(label, 0) + time.perf_counter() - start
        counts[label] = counts.get(label, 0) + n

    source_cols = ["id", "publisher", "title", "url", "file_name", "sha256", "retrieved_on",
                   "published_on", "licence", "importer", "dataset", "is_demo", "created_at"]
    sources: list[tuple] = []

    def source(publisher, title, url="", file_name="", importer="", dataset="", published=None):
        sources.append((len(sources) + 1, publisher, title, url, file_name,
                        f"{len(sources) + 1:064x}" if file_name else "", published, published,
                        rng.choice(["CC-BY-4.0", "CC-BY-SA-4.0", "", "ODbL-1.0"]), importer,
                        dataset, False, NOW))
        return len(sources)

    oshub = source("Open Supply Hub", "Facilities download", url="https://opensupplyhub.org/",
                   file_name="osh.csv", importer="oshub", dataset="oshub",
                   published="2024-11-01")
    bfc = {}  # (year, half) -> source id
    for year in range(2014, 2025):
        for half in (1, 2):
            bfc[year, half] = source(
                "Better Factories Cambodia", f"Transparency Portal {year} round {half}",
                url=f"https://betterfactories.org/transparency/{year}-{half}",
                published=f"{year}-{6 * half:02d}-01")
    surveys = [source(rng.choice(["Wikirate", "Central", "CENTRAL", "Worker survey"]),
                      f"Workers and wages survey {i}", url=f"https://wikirate.org/s{i}",
                      importer="wikirate", published=f"{2016 + i % 9}-03-01")
               for i in range(200)]
    companies: list[tuple] = []
    brand_sources: dict[int, list[int]] = {}
    used_names: set[str] = set()
    for c in range(1, 601):
        kind = rng.choice(["Apparel", "Brands", "Retail", "Group", "Fashion", "Sports", "Wear"])
        name = f"{zipf(rng).title()} {kind}"
        while name in used_names:
            name += f" {c}"
        used_names.add(name)
        companies.append((c, name, "brand", rng.choice(["US", "DE", "GB", "SE", "JP", "FR"]),
                          "[]", rng.randint(200, 200_000), False))
        brand_sources[c] = [source(name, f"{name} supplier list {year}",
                                   file_name=f"brand-{c}-{year}.xlsx", importer="brand-list",
                                   dataset=f"brand-{c}", published=f"{year}-12-01")
                            for year in rng.sample(range(2018, 2025), rng.randint(1, 3))]
    brand_of = Picker(range(1, 601), [1 / (r + 1) ** 0.8 for r in range(600)])

    put(Source, source_cols, sources)
    put(Company, ["id", "name", "kind", "hq_country", "aliases", "employees", "provenance_lost"],
        companies)
    put(Criterion, ["id", "programme", "code", "cluster", "text", "text_km", "source_id"],
        [(i, "BFC", code, cluster, text, text_km, bfc[2014, 1])
         for i, (code, text, cluster, text_km) in enumerate(CRITERIA, 1)])
    put(Metric, ["id", "code", "name", "topic", "unit", "value_type", "subject", "description"],
        [(i, code, name, topic, unit, vt, "facility", "")
         for i, (code, name, topic, unit, vt) in enumerate(METRICS, 1)])

    # Facilities, one Open Supply Hub record each; remember which are assessed.
    assessed: list[int] = []
    kh = []
    facility_rows, record_rows = [], []
    for i in range(1, facilities + 1):
        country = country_of(rng)
        w = [zipf(rng) for _ in range(3 if rng.random() < 0.3 else 2)]
        industry = rng.choice(INDUSTRY)
        name = " ".join([*(x.title() for x in w), industry, rng.choice(LEGAL)]).strip()
        name_km = ""
        if country == "KH" and rng.random() < 0.7:
            name_km = ("រោងចក្រ " if rng.random() < 0.5 else "") + "".join(
                khmer[x] for x in w) + " " + INDUSTRY_KM[industry]
        other = []
        if rng.random() < 0.2:
            other.append(" ".join(x.upper() for x in w))
        if name_km and rng.random() < 0.2:
            other.append("".join(khmer[x] for x in w))
        province = province_of[country](rng)
        located = rng.random() < 0.6
        is_assessed = country == "KH" and rng.random() < 0.75
        os_id = f"{country}{2018 + i % 7}{i * 7919 % 365 + 1:03d}{_b36(i).rjust(6, '0')}"
        if is_assessed:
            assessed.append(i)
        if country == "KH":
            kh.append(i)
        address = f"Street {rng.randint(1, 999)}, Sangkat {zipf(rng).title()}, {province}"
        lat = round(rng.uniform(10.5, 13.5), 5) if located else None
        lng = round(rng.uniform(103, 106), 5) if located else None
        facility_rows.append((
            i, name, name_km, json.dumps(other, ensure_ascii=False), address, country, province,
            lat, lng, os_id, f"BFC-{i}" if is_assessed else None, rng.random() < 0.04, False,
            NOW, NOW,
        ))
        record_rows.append((oshub, i + 1, json.dumps({"name": name, "os_id": os_id}),
                            name, address, country, lat, lng, os_id, "", i, 1.0, "{}", "new"))
    put(Facility, ["id", "name", "name_km", "other_names", "address", "country", "province",
                   "lat", "lng", "os_id", "bfc_id", "is_closed", "provenance_lost",
                   "created_at", "updated_at"], facility_rows)
    del facility_rows
    put(FacilityRecord, ["source_id", "row_number", "raw", "name", "address", "country", "lat",
                         "lng", "os_id", "bfc_id", "facility_id", "match_score",
                         "match_evidence", "decision"], record_rows)
    del record_rows

    def relationships():
        row = 0
        for i in range(1, facilities + 1):
            if rng.random() >= 0.8:
                continue
            for brand in {brand_of(rng) for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 5]))}:
                start = rng.randint(2015, 2024)
                end = None if rng.random() < 0.3 else min(2025, start + rng.randint(0, 3))
                row += 1
                yield (brand, "sources_from", i, start, end, rng.choice(brand_sources[brand]),
                       f"row {row % 5000 + 2}")
    put(Relationship, ["subject_id", "kind", "facility_id", "year_start", "year_end",
                       "source_id", "citation"], relationships())

    # Datapoints: assessed factories are surveyed twice as much; 8 metrics over the years.
    assessed_set = set(assessed)
    base = datapoints / (facilities + len(assessed))

    def datapoint_rows():
        left = datapoints
        for i in range(1, facilities + 1):
            mean = base * (2 if i in assessed_set else 1)
            n = min(left, rng.randint(0, round(2 * mean)))
            if i == facilities:
                n = left
            left -= n
            offset = rng.randrange(len(METRICS))
            for k in range(n):
                metric = (offset + k) % len(METRICS)
                year = 2024 - k // len(METRICS)
                code, _, _, _, vt = METRICS[metric]
                text = ""
                if vt == "category":
                    number, text = None, rng.choice(["yes", "no", "unknown"])
                elif vt == "percent":
                    number = f"{rng.uniform(5, 95):.1f}"
                elif vt == "money":
                    number = f"{rng.uniform(190, 320):.2f}"
                else:
                    number = str(rng.randint(50, 9000) if code == "workers_total"
                                 else rng.randint(0, 20))
                source_id = oshub if code == "workers_total" and k < 8 else rng.choice(surveys)
                yield (metric + 1, i, "", max(year, 1990), number, text, source_id,
                       "", rng.choice(["unverified", "unverified", "community"]))
    put(Datapoint, ["metric_id", "facility_id", "country", "year", "value_number", "value_text",
                    "source_id", "citation", "verification"], datapoint_rows())

    # BFC: 1–4 cycles of the 21 critical issues for each assessed factory.
    assessment_rows, finding_rows = [], []
    assessment_id = 0
    details = ["Workers reported that overtime was not paid at the legal rate.",
               "Emergency exits were locked during working hours.",
               "The employer dismissed union leaders after the strike.",
               "Records showed workers worked more than 12 hours a day."]
    for i in assessed:
        propensity = rng.uniform(0.02, 0.35)
        first = rng.randint(2014, 2021)
        for cycle in range(1, rng.randint(1, 4) + 1):
            assessment_id += 1
            year = min(2024, first + cycle - 1)
            half = rng.choice([1, 2])
            src = bfc[year, half]
            assessment_rows.append((assessment_id, i, "BFC", cycle,
                                    f"{year}-{6 * half - rng.randint(0, 4):02d}-15", src))
            for criterion in range(1, len(CRITERIA) + 1):
                roll = rng.random()
                status = ("not_assessed" if roll < 0.04 else "non_compliant"
                          if roll < 0.04 + propensity else "compliant")
                detail = rng.choice(details) if status == "non_compliant" and roll < 0.2 else ""
                finding_rows.append((assessment_id, criterion, status, detail, src, ""))
    put(Assessment, ["id", "facility_id", "programme", "cycle", "assessed_on", "source_id"],
        assessment_rows)
    put(Finding, ["assessment_id", "criterion_id", "status", "detail", "source_id", "citation"],
        finding_rows)
    del finding_rows

    if postgres:
        from django.core.management.color import no_style

        models = [Source, Company, Criterion, Metric, Facility, FacilityRecord, Relationship,
                  Datapoint, Assessment, Finding]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return {"seconds": timings, "rows": counts}


def refresh_search_keys() -> str:
    """Fill Facility.search_key with shopfloor.search's function, if there is one yet."""
    try:
        from shopfloor.search import refresh_search_keys as refresh
    except ImportError:
        return "shopfloor.search.refresh_search_keys not importable: search keys left empty"
    start = time.perf_counter()
    result = refresh()
    return f"refresh_search_keys() → {result!r} in {time.perf_counter() - start:.1f} s"


def sample(path: Path, seed: int = 7) -> dict:
    """What the Locust users ask for: facility ids and names to search (from the database)."""
    from django.db.models import Count

    from shopfloor.models import Assessment, Facility

    rng = random.Random(seed)
    live = Facility.objects.filter(merged_into__isnull=True)
    all_ids = list(live.values_list("pk", flat=True))
    with_findings = sorted(set(Assessment.objects.values_list("facility_id", flat=True)))
    picked = rng.sample(all_ids, min(2000, len(all_ids)))
    rows = list(live.filter(pk__in=picked).values("pk", "name", "name_km", "province", "os_id"))
    khmer = [r for r in rows if r["name_km"]] or rows
    words = {}
    for r in rows:
        for word in r["name"].split()[:2]:
            words[word] = words.get(word, 0) + 1
    common = sorted(words, key=words.get, reverse=True)[:30]
    provinces = [p for p, _ in live.filter(country="KH").exclude(province="")
                 .values_list("province").annotate(n=Count("pk")).order_by("-n")[:12]]
    data = {"all_ids": all_ids, "with_findings": with_findings or all_ids, "facilities": rows,
            "khmer": khmer, "common_words": common,
            "provinces": provinces or sorted({r["province"] for r in rows})}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def query_profile(data: dict, n: int = 15) -> list[dict]:
    """In-process: queries per request and the slowest query, per endpoint (test client)."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(3)
    client = Client(HTTP_HOST="127.0.0.1")
    f = data["facilities"]
    probes = {
        "factory": [f"/facilities/{rng.choice(data['with_findings'])}/" for _ in range(n)],
        "search: name": ["/?" + urlencode({"q": rng.choice(f)["name"]}) for _ in range(n)],
        "search: partial": ["/?" + urlencode({"q": rng.choice(data["common_words"])})
                            for _ in range(n)],
        "search: khmer": ["/?" + urlencode({"q": rng.choice(data["khmer"])["name_km"]})
                          for _ in range(n)],
        "search: province": ["/?" + urlencode({"province": rng.choice(data["provinces"])})
                             for _ in range(n)],
    }
    out = []
    for name, urls in probes.items():
        times, queries, slowest = [], [], (0.0, "")
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(ctx.captured_queries))
            for q in ctx.captured_queries:
                if float(q["time"]) > slowest[0]:
                    slowest = (float(q["time"]), q["sql"])
        out.append({"endpoint": name, "median_ms": statistics.median(times),
                    "queries": max(queries), "slowest_ms": slowest[0] * 1000,
                    "slowest_sql": slowest[1]})
    return out


# --- the run -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _postgres_create(url: str, drop_only: bool = False) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if name in ("", "postgres", "test", "template0", "template1"):
        raise SystemExit(f"refusing to use database {name!r}: give the bench its own database")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def serve(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        raise SystemExit("gunicorn is not installed: .venv/bin/pip install gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "shopfloor.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
         "--keep-alive", "5", "--error-logfile", str(log), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/facilities/1/", timeout=5)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {log}") from None
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 30 s")


def warm_up(port: int, data: dict, requests: int = 120) -> None:
    """Every worker renders each template and loads each catalogue once before the clock."""
    rng = random.Random(11)
    for k in range(requests):
        lang = "km" if k % 2 else "en"
        path = (f"/facilities/{rng.choice(data['with_findings'])}/" if k % 2
                else "/?q=" + urllib.request.quote(rng.choice(data["common_words"])))
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={"Cookie": f"django_language={lang}"})
        urllib.request.urlopen(request, timeout=30).read()


def run_locust(port: int, users: int, duration: int, workdir: Path, sample_path: Path) -> list:
    timings = workdir / "timings.json"
    env = {**os.environ, "WEB_BENCH_SAMPLE": str(sample_path), "WEB_BENCH_TIMINGS": str(timings)}
    out = subprocess.run(
        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
         "-r", str(users), "-t", f"{duration}s", "--host", f"http://127.0.0.1:{port}",
         "--csv", str(workdir / "locust"), "--only-summary", "--stop-timeout", "10",
         "--loglevel", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )
    if not timings.exists():
        print(out.stdout[-3000:], out.stderr[-3000:])
        raise SystemExit("locust did not record any timings")
    return json.loads(timings.read_text())


def report(timings: list, duration: int) -> list[dict]:
    groups: dict[str, list] = {}
    for name, ms, failed in timings:
        groups.setdefault(name, []).append((ms, failed))
        if name.startswith("search: "):
            groups.setdefault("search (all)", []).append((ms, failed))
    rows = []
    order = ["factory", "search (all)"] + sorted(k for k in groups if k.startswith("search: "))
    for name in order:
        if name not in groups:
            continue
        values = [ms for ms, _ in groups[name]]
        rows.append({"endpoint": name, "requests": len(values),
                     "failures": sum(f for _, f in groups[name]),
                     "p50": _percentile(values, 50), "p95": _percentile(values, 95),
                     "p99": _percentile(values, 99), "rps": len(values) / duration})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--datapoints", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--database-url", default="",
                        help="postgres://postgres@127.0.0.1:5432/web_bench (default: SQLite "
                        "in a temporary directory)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database (SQLite: var/web_bench/web_bench.sqlite3)")
    parser.add_argument("--reuse", metavar="PATH",
                        help="skip generation: a SQLite file or a postgres:// URL kept with "
                        "--keep")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument("--profile", metavar="FILE",
                        help="record the gunicorn workers with py-spy (speedscope JSON)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="web_bench_"))
    if args.reuse:
        url = args.reuse if "://" in args.reuse else f"sqlite:///{Path(args.reuse).resolve()}"
        keep = True
    elif args.database_url:
        url, keep = args.database_url, args.keep
        _postgres_create(url)
    else:
        folder = ROOT / "var" / "web_bench" if args.keep else workdir
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "web_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url, keep = f"sqlite:///{db}", args.keep
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": SECRET, "DATABASE_URL": url,
           "ALLOWED_HOSTS": '["127.0.0.1", "localhost", "testserver"]',
           # plain HTTP on the loopback, as behind a TLS proxy that redirects by itself
           "SECURE_SSL_REDIRECT": "false",
           # one cache for all workers, as a deployment has (peer counts, charts)
           "CACHE_URL": f"file://{workdir / 'cache'}",
           "DJANGO_SETTINGS_MODULE": "shopfloor.settings"}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    server = None
    try:
        start = time.perf_counter()
        call_command("migrate", verbosity=0)  # on --reuse: whatever migrations came since
        migrate_s = time.perf_counter() - start
        if args.reuse:
            print(" ", refresh_search_keys())
        else:
            start = time.perf_counter()
            figures = generate(args.facilities, args.datapoints)
            generate_s = time.perf_counter() - start
            print(f"{backend}: migrate {migrate_s:.1f} s, data generated and written in "
                  f"{generate_s:.1f} s")
            for label, n in figures["rows"].items():
                print(f"  {label:15s} {n:>10,} rows  {figures['seconds'][label]:6.1f} s")
            print(" ", refresh_search_keys())
            start = time.perf_counter()
            if backend == "PostgreSQL":  # autovacuum would soon
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            else:  # what every import does (shopfloor.sources.run_import)
                from shopfloor.maintenance import refresh_statistics

                refresh_statistics()
            print(f"  ANALYZE {time.perf_counter() - start:.1f} s")
        data = sample(workdir / "sample.json")
        print(f"{len(data['all_ids']):,} facilities, {len(data['with_findings']):,} with "
              "findings")
        print("\nper request, in process (Django test client, no concurrency):")
        for row in query_profile(data):
            print(f"  {row['endpoint']:17s} {row['median_ms']:7.1f} ms median  "
                  f"{row['queries']:3d} queries  slowest {row['slowest_ms']:6.1f} ms: "
                  f"{row['slowest_sql'][:150]}")
        connections.close_all()

        port = _free_port()
        log = workdir / "gunicorn.log"
        server = serve(env, port, args.workers, args.threads, log)
        warm_up(port, data)
        profiler = None
        if args.profile:
            profiler = subprocess.Popen(
                [str(BIN / "py-spy"), "record", "--pid", str(server.pid), "--subprocesses",
                 "--duration", str(args.duration), "--rate", "50", "--format", "speedscope",
                 "--output", args.profile, "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"\nlocust: {args.users} users, {args.duration} s, gunicorn {args.workers} "
              f"workers × {args.threads} threads, {os.cpu_count()} CPUs, {backend}")
        load_before = os.getloadavg()[0]
        timings = run_locust(port, args.users, args.duration, workdir, workdir / "sample.json")
        print(f"load average (1 min) {load_before:.1f} before the run, "
              f"{os.getloadavg()[0]:.1f} after: above ~2.5 something else competed for the CPUs")
        if profiler:
            profiler.wait(timeout=60)
        rows = report(timings, args.duration)
        print(f"{'endpoint':18s} {'requests':>8s} {'fail':>5s} {'p50 ms':>7s} {'p95 ms':>7s} "
              f"{'p99 ms':>7s} {'req/s':>6s}")
        for r in rows:
            print(f"{r['endpoint']:18s} {r['requests']:8d} {r['failures']:5d} {r['p50']:7.0f} "
                  f"{r['p95']:7.0f} {r['p99']:7.0f} {r['rps']:6.1f}")
        total = len(timings) / args.duration
        print(f"total {total:.1f} req/s; target p95 < 200 ms: " + ", ".join(
            f"{r['endpoint']} {'ok' if r['p95'] < 200 else 'MISSED'}"
            for r in rows if r["endpoint"] in ("factory", "search (all)")))
        errors = log.read_text(errors="replace").strip() if log.exists() else ""
        if errors:
            print("gunicorn log (last lines):\n" + "\n".join(errors.splitlines()[-15:]))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        connections.close_all()
        if keep:
            again = url if backend == "PostgreSQL" else url.removeprefix("sqlite:///")
            print(f"database kept: {url}  (rerun with --reuse {again})")
        elif backend == "PostgreSQL":
            _postgres_create(url, drop_only=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
