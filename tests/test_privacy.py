"""Small-cell suppression: thresholds, and an attacker who tries to work every hidden count
out of the shown ones (an integer program: exact, not a sample of guesses)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from django.template import Context, Template
from scipy.optimize import Bounds, LinearConstraint, milp

from shopfloor.privacy import (
    GRAND_TOTAL,
    SENSITIVE_THRESHOLD,
    THRESHOLD,
    Margin,
    cell_html,
    cell_label,
    suppress,
    suppress_table,
    threshold_for,
)

BIG = 100_000


def _attack(unknowns: dict, equations: list[tuple[list, float]]) -> dict:
    """For each hidden count (key → "primary"/"complementary"), the smallest and largest
    value consistent with the shown numbers: ``equations`` are (keys with coefficients,
    right-hand side). A "<t" count is 1..t-1; a "–" count is 0 or at least t."""
    keys = list(unknowns)
    n = len(keys)
    rows, lo, hi = [], [], []
    for terms, rhs in equations:
        row = np.zeros(2 * n)
        for key, coef in terms:
            row[keys.index(key)] += coef
        rows.append(row)
        lo.append(rhs)
        hi.append(rhs)
    var_lo, var_hi = np.zeros(2 * n), np.ones(2 * n)
    for i, key in enumerate(keys):
        kind, t = unknowns[key]
        if kind == "primary":
            var_lo[i], var_hi[i] = 1, t - 1
        else:  # x = 0 or x >= t: x <= BIG*z, x >= t*z with z binary
            var_hi[i] = BIG
            for coefs, low, high in (((1, -BIG), -np.inf, 0), ((1, -t), 0, np.inf)):
                row = np.zeros(2 * n)
                row[i], row[n + i] = coefs
                rows.append(row)
                lo.append(low)
                hi.append(high)
    constraints = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    ranges = {}
    for i, key in enumerate(keys):
        found = []
        for sign in (1, -1):
            c = np.zeros(2 * n)
            c[i] = sign
            res = milp(c, constraints=constraints, integrality=np.ones(2 * n),
                       bounds=Bounds(var_lo, var_hi))
            assert res.success, (key, res.message)
            found.append(round(res.x[i]))
        ranges[key] = tuple(found)
    return ranges


def _attack_line(result, cells: dict) -> dict:
    unknowns = {k: ("primary" if k in result.primary else "complementary", result.threshold)
                for k in cells if result[k] is None}
    equations = []
    if result.total is not None and unknowns:
        shown = sum(v for v in result.values() if v is not None)
        equations.append(([(k, 1) for k in unknowns], result.total - shown))
    return _attack(unknowns, equations)


def _assert_safe_line(cells: dict, **kw):
    result = suppress(cells, **kw)
    t = result.threshold
    for key, value in cells.items():
        if 0 < value < t:
            assert result[key] is None, (key, cells)
        elif result[key] is not None:
            assert result[key] == value
    for key, (low, high) in _attack_line(result, cells).items():
        assert low <= cells[key] <= high, (key, cells, result)  # the attacker is sound
        assert low < high, f"{key} can be worked out: {cells} -> {dict(result)}"
    return result


def test_thresholds():
    assert threshold_for("wages") == THRESHOLD == 5
    for topic in ("harassment", "union_membership", "dismissal"):
        assert threshold_for(topic) == SENSITIVE_THRESHOLD == 10
    assert threshold_for("wages", sensitive=True) == 10
    r = suppress({"a": 4, "b": 5, "c": 0})
    assert dict(r) == {"a": None, "b": 5, "c": 0} and r.primary == {"a"}
    r = suppress({"a": 9, "b": 10, "c": 123}, sensitive=True)
    assert dict(r) == {"a": None, "b": 10, "c": 123}
    assert dict(suppress({"a": 9, "b": 10}, topic="harassment")) == {"a": None, "b": 10}


def test_without_total_only_small_counts_hide():
    r = suppress({"female": 3, "male": 212})
    assert dict(r) == {"female": None, "male": 212} and r.complementary == frozenset()


def test_by_sex_with_total_hides_the_other_count():
    r = _assert_safe_line({"female": 3, "male": 212}, total=215)
    assert dict(r) == {"female": None, "male": None} and r.total == 215
    assert (r.primary, r.complementary) == ({"female"}, {"male"})
    assert (cell_label(r, "female"), cell_label(r, "male")) == ("<5", "–")


def test_next_smallest_is_hidden_not_the_biggest():
    r = _assert_safe_line({"a": 2, "b": 40, "c": 900, "d": 0}, total=942)
    assert dict(r) == {"a": None, "b": None, "c": 900, "d": 0}


def test_two_small_counts_at_the_top_of_the_range_are_protected():
    # 4 + 4 = 8 and both "<5": both would be known to be 4 without a third hidden count
    r = _assert_safe_line({"a": 4, "b": 4, "c": 300}, total=308)
    assert r.complementary == {"c"} and r.total == 308


def test_when_nothing_can_protect_the_total_hides():
    r = suppress({"a": 4, "b": 4}, total=8)
    assert dict(r) == {"a": None, "b": None} and r.total is None
    assert suppress({"a": 3, "b": 0}, total=3).total is None  # a small total


def test_zero_is_not_a_hiding_place():
    # hiding the 0 beside a 1 would tell: "–" is 0 or at least 5, so 1 + 0 = 1 gives it away
    r = _assert_safe_line({"a": 1, "b": 0, "c": 30}, total=31)
    assert r["b"] == 0 and r["c"] is None


@pytest.mark.parametrize("seed", range(60))
def test_random_lines_cannot_be_worked_out(seed):
    rng = random.Random(seed)
    cells = {f"k{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 12, 30, 80])
             for i in range(rng.randint(2, 5))}
    sensitive = rng.random() < 0.3
    _assert_safe_line(cells, total=sum(cells.values()), sensitive=sensitive)


def _attack_table(result, table: dict) -> dict:
    t = result.threshold
    unknowns = {k: (kind if kind == "primary" else "complementary", t)
                for k, kind in result.kinds.items()}
    value = {}
    for (r, c), v in result.cells.items():
        value[(r, c)] = v
    for r, v in result.row_totals.items():
        value[Margin("row", r)] = v
    for c, v in result.column_totals.items():
        value[Margin("column", c)] = v
    value[GRAND_TOTAL] = result.total

    def equation(parts, total_key):
        terms, rhs = [], 0
        for k, coef in [*((p, 1) for p in parts), (total_key, -1)]:
            if value[k] is None:
                terms.append((k, coef))
            else:
                rhs -= coef * value[k]
        return (terms, rhs) if terms else None

    equations = []
    for r in result.rows:
        equations.append(equation([(r, c) for c in result.columns], Margin("row", r)))
    for c in result.columns:
        equations.append(equation([(r, c) for r in result.rows], Margin("column", c)))
    equations.append(equation([Margin("row", r) for r in result.rows], GRAND_TOTAL))
    return _attack(unknowns, [e for e in equations if e])


def _assert_safe_table(table: dict, **kw):
    result = suppress_table(table, **kw)
    truth = {}
    for r, row in table.items():
        for c, v in row.items():
            truth[(r, c)] = v
            truth[Margin("column", c)] = truth.get(Margin("column", c), 0) + v
        truth[Margin("row", r)] = sum(row.values())
    truth[GRAND_TOTAL] = sum(truth[Margin("row", r)] for r in table)
    for key, (low, high) in _attack_table(result, table).items():
        assert low <= truth[key] <= high, (key, table)
        assert low < high, f"{key} can be worked out of {table}: {result.cells}"
    for key, v in truth.items():
        if 0 < v < result.threshold:
            assert key in result.kinds, key
    return result


def test_table_by_sex_with_margins():
    table = {"sewing": {"female": 3, "male": 12}, "cutting": {"female": 7, "male": 1},
             "packing": {"female": 0, "male": 20}}
    r = _assert_safe_table(table)
    assert r.cells[("packing", "male")] == 20 and r.total == 43
    assert r.cells[("sewing", "female")] is None and r.cells[("cutting", "male")] is None
    assert cell_label(r.row("sewing"), "female") == "<5"


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_cannot_be_worked_out(seed):
    rng = random.Random(1000 + seed)
    rows = [f"r{i}" for i in range(rng.randint(2, 4))]
    columns = ["female", "male"] if rng.random() < 0.6 else ["a", "b", "c"]
    table = {r: {c: rng.choice([0, 1, 2, 3, 4, 6, 8, 15, 40]) for c in columns}
             for r in rows}
    _assert_safe_table(table, sensitive=rng.random() < 0.3)


def test_every_small_line_is_safe_exhaustively():
    for values in itertools.product([0, 1, 3, 4, 5, 7], repeat=3):
        _assert_safe_line(dict(zip("abc", values, strict=True)), total=sum(values))


def test_rendering_explains_why():
    r = suppress({"female": 3, "male": 212}, total=215, topic="dismissal")
    html = str(cell_html(r, "female"))
    assert "&lt;10" in html and "Fewer than 10 people" in html and "<abbr" in html
    assert "cannot be worked out" in str(cell_html(r, "male"))
    rendered = Template('{% load shopfloor_privacy %}{{ r|small_cell:"female" }} '
                        '{{ s|small_cell:"male" }}').render(
        Context({"r": r, "s": suppress({"male": 212})}))
    assert "&lt;10" in rendered and rendered.endswith(" 212")


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress({"a": -1})
