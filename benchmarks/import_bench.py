"""Import speed and memory: a generated Open Supply Hub-style download, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/import_bench.py --rows 1000000
    .venv/bin/python benchmarks/import_bench.py --rows 100000 --backend sqlite

Each backend runs in its own process (so peak memory is that import's own), on a fresh
database: SQLite in a temporary file, PostgreSQL in a scratch database on
127.0.0.1:5432 (user postgres). Target: ≥ 20,000 rows/s with peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ("os_id,name,address,country_code,country_name,number_of_workers,parent_company,"
          "product_type,facility_type,processing_type,contributors,is_closed,lat,lng\n")
COUNTRIES = [("KH", "Cambodia"), ("VN", "Viet Nam"), ("BD", "Bangladesh"), ("CN", "China"),
             ("IN", "India"), ("ID", "Indonesia"), ("MM", "Myanmar"), ("TR", "Türkiye")]
WORDS = ["Golden", "Lotus", "Mekong", "Star", "Angkor", "Pearl", "River", "Sun", "Jade",
         "Royal", "Grand", "Union", "New", "Asia", "Pacific", "Lucky", "Silver", "Tiger"]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    alphabet = string.ascii_uppercase + string.digits
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for i in range(rows):
            code, country = rnd.choice(COUNTRIES)
            os_id = f"{code}{rnd.randint(2018, 2025)}{rnd.randint(1, 365):03d}" + "".join(
                rnd.choices(alphabet, k=6))
            name = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} Garment {i} Co., Ltd."
            workers = rnd.choice(["", str(rnd.randint(50, 9000)), "1001-5000"])
            # as in real downloads, most facilities have no parent; the rest share ~2,000
            parent = rnd.choice(["", "", f"{WORDS[i % 2000 % len(WORDS)]} Group {i % 2000}"])
            fh.write(f'{os_id},"{name}","Street {i % 997}, District {i % 53}, {country}",{code},'
                     f'{country},{workers},{parent},Apparel,Final Product Assembly,Sewing,'
                     f'Brand {i % 40},{rnd.choice(["False", "True", ""])},'
                     f'{rnd.uniform(-40, 50):.5f},{rnd.uniform(60, 140):.5f}\n')


def _child(path: str, database_url: str) -> None:
    """Runs in a subprocess: migrate, import, print one JSON line of figures."""
    import resource

    os.environ.update(DEBUG="false", SECRET_KEY="benchmark-only-" + "x" * 40,
                      DATABASE_URL=database_url,
                      DJANGO_SETTINGS_MODULE="shopfloor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from shopfloor.sources import run_import

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    report = run_import("oshub", path)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": report.rows_read, "created": report.created,
                      "rejected": len(report.rejected), "seconds": round(seconds, 1),
                      "rows_per_second": round(report.rows_read / seconds),
                      "peak_memory_mb": round(peak_mb)}))


def _postgres_url() -> str:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS shopfloor_bench")
        conn.execute("CREATE DATABASE shopfloor_bench")
    return "postgres://postgres@127.0.0.1:5432/shopfloor_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "oshub_download.csv"
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:,.0f} MB) "
              f"in {time.perf_counter() - t:.1f} s")
        backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
        for backend in backends:
            url = (f"sqlite:///{tmp}/bench.sqlite3" if backend == "sqlite" else _postgres_url())
            out = subprocess.run([sys.executable, __file__, "--child", str(path), url],
                                 capture_output=True, text=True, check=False)
            if out.returncode:
                print(out.stderr[-3000:])
                raise SystemExit(f"{backend}: failed")
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{backend:9s} {figures['rows']:>10,} rows  {figures['seconds']:>7} s  "
                  f"{figures['rows_per_second']:>8,} rows/s  "
                  f"peak {figures['peak_memory_mb']:,} MB")


if __name__ == "__main__":
    main()
