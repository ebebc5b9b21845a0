"""Facility search at registry scale: ``search_facilities`` on N synthetic facilities.

Builds a temporary SQLite database (or uses ``--database-url``) with ``--facilities``
facilities (default 100,000; names from the matching benchmark's generator: a Zipf
vocabulary, industry words, legal forms; Khmer names for a quarter of the Cambodian ones;
real provinces; OS IDs) and brands sourcing from a tenth of them, fills the search keys
with ``refresh_search_keys`` (rate reported), then times what the home page does for a mix
of queries — the first page of 50 and the count — and reports p50/p95 per kind of query.

    .venv/bin/python benchmarks/search_bench.py
    .venv/bin/python benchmarks/search_bench.py --facilities 20000 --repeat 100
    .venv/bin/python benchmarks/search_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/search_bench
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KHMER_WORDS = ["មាស", "ពន្លឺ", "ផ្កាយ", "សុវណ្ណ", "រស្មី", "ស៊ុន", "ហ្គោលដិន", "អង្គរ", "មេគង្គ",
               "ទន្លេ", "បាយ័ន", "សុខា", "ភាព", "ឆ័យ", "គិរី", "ហុង", "ឡុង", "ហ្វុង", "ស៊ីង",
               "ធារា", "ពេជ្រ", "គុជ", "តារា", "សន្តិភាព", "ឯកភាព", "រុងរឿង", "ជោគជ័យ", "ថ្មី"]
KHMER_KIND = ["រោងចក្រកាត់ដេរ", "ក្រុមហ៊ុន", "រោងចក្រ"]


def _setup(database_url: str | None) -> str:
    tmp = None
    if database_url is None:
        tmp = tempfile.mkdtemp(prefix="search_bench_")
        database_url = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopfloor.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database_url


def _populate(n: int, seed: int) -> dict:
    from django.db import transaction

    from benchmarks.match_bench import Generator
    from shopfloor.models import Company, Facility, Relationship, Source
    from shopfloor.search import refresh_search_keys

    gen = Generator(seed)
    rng = random.Random(seed)
    provinces = sorted({p for _, _, p in gen.places})
    facilities, khmer = [], 0
    for i in range(n):
        record = gen.facility(i + 1)
        name_km = ""
        if record.country == "KH" and rng.random() < 0.25:
            words = rng.sample(KHMER_WORDS, rng.choice([1, 2, 2, 3]))
            name_km = rng.choice(KHMER_KIND) + " " + "".join(words)
            khmer += 1
        facilities.append(Facility(
            name=record.name[:300], name_km=name_km, country=record.country,
            province=rng.choice(provinces) if record.country == "KH" else "",
            address=record.address, os_id=record.os_id))
    started = time.perf_counter()
    with transaction.atomic():
        Facility.objects.bulk_create(facilities, batch_size=2000)
        source = Source.objects.create(publisher="Bench", title="Brand lists", licence="CC0",
                                       file_name="brands.csv")
        brands = [Company.objects.create(name=f"Brand {c}") for c in "ABCDEFGHIJ"]
        ids = list(Facility.objects.values_list("pk", flat=True))
        Relationship.objects.bulk_create(
            [Relationship(subject=rng.choice(brands), kind="sources_from", facility_id=pk,
                          source=source, year_start=2024)
             for pk in rng.sample(ids, len(ids) // 10)], batch_size=2000)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        changed = refresh_search_keys()
    refresh = time.perf_counter() - started
    return {"facilities": n, "khmer_names": khmer, "insert_s": round(inserted, 1),
            "refresh_s": round(refresh, 1), "refreshed": changed,
            "refresh_per_s": round(changed / refresh)}


def _queries(seed: int, per_kind: int) -> dict[str, list[dict]]:
    from match_bench import _typo

    from shopfloor.models import Facility

    rng = random.Random(seed)
    sample = list(Facility.objects.order_by("?").values("name", "name_km", "os_id",
                                                         "province")[:2000])
    khmer = [f for f in sample if f["name_km"]]
    provinces = sorted({f["province"] for f in sample if f["province"]})

    def words(f):
        return [w for w in f["name"].split() if len(w) > 2]

    kinds: dict[str, list[dict]] = {k: [] for k in (
        "full name", "partial", "prefix 5", "khmer", "misspelt", "acronym", "os id",
        "province+word", "brand", "empty")}
    for _ in range(per_kind):
        f = rng.choice(sample)
        kinds["full name"].append({"query": f["name"]})
        kinds["partial"].append({"query": " ".join(words(f)[:2])})
        kinds["prefix 5"].append({"query": words(f)[0][:5]})
        k = rng.choice(khmer)["name_km"]
        kinds["khmer"].append({"query": k if rng.random() < 0.5 else max(k.split(), key=len)})
        kinds["misspelt"].append({"query": " ".join(_typo(rng, w) for w in words(f)[:2])})
        initials = "".join(w[0] for w in words(f)[:3]).lower()
        kinds["acronym"].append({"query": initials})
        kinds["os id"].append({"query": f["os_id"]})
        kinds["province+word"].append({"query": rng.choice(["garment", "textile", "golden"]),
                                       "province": rng.choice(provinces)})
        kinds["brand"].append({"query": rng.choice(["", words(f)[0]]),
                               "brand": f"brand {rng.choice('ABCDEFGHIJ')}"})
        kinds["empty"].append({})
    return kinds


def _time(kinds: dict[str, list[dict]]) -> dict[str, dict]:
    from shopfloor.search import search_facilities

    out = {}
    for kind, calls in kinds.items():
        times, found = [], []
        for params in calls:
            started = time.perf_counter()
            qs = search_facilities(**params)
            page = list(qs[:50])
            total = qs.count()
            times.append((time.perf_counter() - started) * 1000)
            found.append(total if page else 0)
        times.sort()
        out[kind] = {"p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                     "median_found": statistics.median(found)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60, help="queries per kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    url = _setup(args.database_url)
    print(f"database: {url}")
    print("populate:", _populate(args.facilities, args.seed))
    from shopfloor import search

    started = time.perf_counter()
    search.search_facilities("warm up")
    print(f"first search (loads the in-memory index): {time.perf_counter() - started:.2f}s")
    kinds = _queries(args.seed, args.repeat)
    cpu = time.process_time()
    results = _time(kinds)
    cpu = time.process_time() - cpu
    print(f"{'kind':<15}{'p50 ms':>9}{'p95 ms':>9}{'found (median)':>16}")
    for kind, r in results.items():
        print(f"{kind:<15}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['median_found']:>16}")
    n = sum(len(v) for v in kinds.values())
    print(f"CPU per search (mean, page + count): {cpu / n * 1000:.1f} ms over {n} searches")


if __name__ == "__main__":
    main()
