"""The matching benchmark's truth: rows it writes identically from two registry facilities
have no single right answer and are reported apart, and nothing else is."""

import importlib.util
from pathlib import Path

from shopfloor.linkage.engine import Outcome
from shopfloor.linkage.records import RecordView as R

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "match_bench.py"
_spec = importlib.util.spec_from_file_location("match_bench", _PATH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

REGISTRY = [R(1, "Baheda Industrial Co., Ltd.", "380 Yicai Road, Block B, Deng District", "CN"),
            R(2, "Cong Ty TNHH Baheda Garment", "175 Longbo Road, Block B, Dai Zone", "CN"),
            R(3, "Baheda Printing Co., Ltd", "12 Anwang Road, EPZ, Anwang City", "CN"),
            R(4, "Baheda Industrial Co., Ltd.", "5 Road, Ward 3, Hanoi Town", "VN")]


def test_rows_written_alike_from_two_facilities_are_indistinguishable():
    rows = [R(10, "BAHEDA", "", "CN"),                             # 1 or 2: legal forms dropped
            R(11, "Baheda", "380 Yicai Road, Block B, Deng District", "CN"),  # the address tells
            R(12, "Baheda Printing", "", "CN"),                     # only 3 is written so
            R(13, "Bahdea", "", "CN"),                              # a typo: no exact writing
            R(14, "Baheda", "", "VN"),                              # the only one in Vietnam
            R(15, "Baheda", "", "CN")]                              # not in the registry
    truth = {10: 1, 11: 1, 12: 3, 13: 1, 14: 4, 15: None}
    assert bench.indistinguishable(REGISTRY, rows, truth) == {10}


def test_recall_over_distinguishable_rows_leaves_the_twins_out_and_precision_does_not():
    truth = {10: 1, 11: 1, 12: 3}
    outcomes = {10: Outcome(10, "automatic", 2), 11: Outcome(11, "automatic", 1),
                12: Outcome(12, "pending", 3)}
    result = bench.evaluate(outcomes, truth, twins={10})
    assert result["precision"] == 0.5  # the twin matched to the other facility is wrong
    assert result["recall"] == round(1 / 3, 4)
    assert result["recall_distinguishable"] == 0.5
    assert result["recall_incl_review"] == round(2 / 3, 4)
    assert result["indistinguishable_rows"] == 1
