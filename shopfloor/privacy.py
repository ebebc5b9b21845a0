"""Small-cell suppression: counts of people are never shown so small that someone can be
picked out ("the only two women dismissed at factory X").

The rule, applied to every count shown from data about people:

1. **Primary suppression.** A count from 1 to ``threshold - 1`` is hidden and shown as
   "<5" (threshold 5), or "<10" for sensitive topics (:data:`SENSITIVE_TOPICS`:
   harassment, union membership, dismissal…). Zero is shown: "nobody" picks out nobody.
2. **Complementary suppression.** When a total is shown, a hidden count could be worked out
   by subtracting the shown counts from it. So more counts are hidden — the smallest
   non-zero shown ones first — until no hidden count can be recomputed exactly from the
   total, the shown counts and what the labels reveal (a "<5" count is 1 to 4; a count
   hidden to protect another is 0 or at least the threshold). This covers "exactly one
   count hidden": the next smallest is hidden with it. Such counts show as "–". Zeros are
   never hidden this way (a hidden zero next to a small count gives both away).
3. A total from 1 to ``threshold - 1`` is itself hidden; and when hiding counts cannot
   protect a hidden count (all of them are small), the total is hidden instead.

Tables (:func:`suppress_table`, e.g. rows by category and columns female/male) apply rules
1–3 to every row with its row total and every column with its column total, the margins
with the grand total, over and over until nothing changes; then check the whole table at
once (an integer program finds the smallest and largest value each hidden number could
have given every row and column) and hide one more number next to any hidden one that is
still exact, until none is.

Example::

    >>> r = suppress({"female": 3, "male": 212}, total=215, topic="dismissal")
    >>> dict(r), r.total
    ({'female': None, 'male': None}, 215)
    >>> cell_label(r, "female"), cell_label(r, "male")
    ('<10', '–')
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.translation import gettext as _

#: Counts below this are hidden.
THRESHOLD = 5
#: ... and below this for sensitive topics.
SENSITIVE_THRESHOLD = 10
#: Topics where a small count can get someone fired or arrested.
SENSITIVE_TOPICS = frozenset({
    "harassment", "sexual_harassment", "violence", "union_membership", "union_members",
    "foa", "dismissal", "dismissals", "health", "pregnancy", "disability", "arrest",
})

#: How a hidden count shows: a small one, and one hidden to protect it.
COMPLEMENTARY_LABEL = "–"

_INF = math.inf


def threshold_for(topic: str | None = None, *, sensitive: bool = False) -> int:
    """The threshold for ``topic`` (a metric topic or code): 10 for sensitive ones, else 5."""
    if sensitive or (topic or "").lower() in SENSITIVE_TOPICS:
        return SENSITIVE_THRESHOLD
    return THRESHOLD


class Suppressed(dict):
    """Counts by key with the hidden ones as ``None``; also ``total`` (``None`` when
    hidden), ``threshold``, and which keys were hidden as ``primary`` (small) or as
    ``complementary`` (to protect small ones)."""

    def __init__(self, cells, *, total, threshold, primary, complementary):
        super().__init__(cells)
        self.total = total
        self.threshold = threshold
        self.primary = frozenset(primary)
        self.complementary = frozenset(complementary)


# -- which values a hidden count could have -------------------------------------------------


def _domain(kind: str, t: int) -> list[tuple[float, float]]:
    """What a reader knows of a hidden count: "<t" is 1..t-1; "–" is 0 or at least t."""
    return [(1, t - 1)] if kind == "primary" else [(0, 0), (t, _INF)]


def _add(a: list, b: list) -> list:
    return _merge([(x0 + y0, x1 + y1) for x0, x1 in a for y0, y1 in b])


def _merge(intervals: list) -> list:
    out: list[list] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _possible_values(kinds: dict, key, rest: float, t: int) -> int:
    """How many values (0, 1 or 2 = "more than one") hidden count ``key`` could have, given
    that the hidden counts add up to ``rest``."""
    others: list = [(0, 0)]
    for other, kind in kinds.items():
        if other != key:
            others = _add(others, _domain(kind, t))
    found = 0
    for lo, hi in _domain(kinds[key], t):
        for o_lo, o_hi in others:  # key's value v needs rest - v in [o_lo, o_hi]
            v_lo, v_hi = max(lo, rest - o_hi), min(hi, rest - o_lo)
            if v_lo <= v_hi:
                found += 2 if v_hi > v_lo else 1
                if found >= 2:
                    return 2
    return found


def exposed(kinds: Mapping, cells: Mapping, total: int | None, t: int) -> list:
    """The hidden counts (``kinds``: key → "primary"/"complementary") that a reader could
    work out exactly from ``total`` and the shown counts. Without a total: none."""
    if total is None or not kinds:
        return []
    rest = total - sum(v for k, v in cells.items() if k not in kinds)
    return [k for k in kinds if _possible_values(dict(kinds), k, rest, t) < 2]


# -- one line ------------------------------------------------------------------------------


def _protect_line(cells: Mapping, kinds: dict, total: int | None, t: int) -> tuple[dict, bool]:
    """Hide more counts of one line until no hidden one can be worked out from ``total``.
    Returns the kinds and whether the total must be hidden too (nothing left to hide)."""
    kinds = dict(kinds)
    if total is None:
        return kinds, False
    while exposed(kinds, cells, total, t):
        shown = [k for k in cells if k not in kinds and cells[k] > 0]
        if not shown:  # a hidden zero would be given away as zero
            return kinds, True
        shown.sort(key=lambda k: (cells[k], str(k)))
        kinds[shown[0]] = "complementary"
    return kinds, False


def _primary(cells: Mapping, t: int) -> dict:
    return {k: "primary" for k, v in cells.items() if 0 < v < t}


def suppress(cells: Mapping[Hashable, int], *, sensitive: bool = False,
             total: int | None = None, topic: str | None = None,
             threshold: int | None = None) -> Suppressed:
    """Hide small counts of one line (e.g. ``{"female": 3, "male": 212}``), and more when
    ``total`` is shown (see the module docstring). Returns the counts with ``None`` for
    hidden ones; ``result.total`` is the total to show (``None``: hide it too)."""
    t = threshold or threshold_for(topic, sensitive=sensitive)
    for value in [*cells.values(), *([] if total is None else [total])]:
        if value is None or value < 0:
            raise ValueError("counts must be whole numbers of at least zero")
    shown_total = None if total is None or 0 < total < t else total
    kinds, hide_total = _protect_line(cells, _primary(cells, t), shown_total, t)
    if hide_total:
        shown_total = None
    return _result(cells, kinds, shown_total, t)


def _result(cells, kinds, total, t) -> Suppressed:
    return Suppressed(
        {k: (None if k in kinds else v) for k, v in cells.items()}, total=total, threshold=t,
        primary=[k for k, kind in kinds.items() if kind == "primary"],
        complementary=[k for k, kind in kinds.items() if kind == "complementary"])


# -- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Margin:
    """The key of a margin in :attr:`SuppressedTable.kinds`: ``Margin("row", r)``,
    ``Margin("column", c)`` or ``Margin("total")``."""

    axis: str
    key: Hashable = None


GRAND_TOTAL = Margin("total")


class SuppressedTable:
    """A suppressed table: ``cells[(row, column)]``, ``row_totals[row]``,
    ``column_totals[column]`` and ``total``; ``None`` where hidden. ``kinds`` says why each
    hidden one is hidden ("primary"/"complementary"), keyed by ``(row, column)`` for the
    cells and by :class:`Margin` for the totals."""

    def __init__(self, rows, columns, values, kinds, threshold):
        self.rows, self.columns, self.threshold = rows, columns, threshold
        self.kinds = kinds
        shown = {k: (None if k in kinds else v) for k, v in values.items()}
        self.cells = {(r, c): shown[(r, c)] for r in rows for c in columns}
        self.row_totals = {r: shown[Margin("row", r)] for r in rows}
        self.column_totals = {c: shown[Margin("column", c)] for c in columns}
        self.total = shown[GRAND_TOTAL]

    def row(self, r) -> Suppressed:
        """One row as a :class:`Suppressed` line (for :func:`cell_label`)."""
        return self._line({c: (r, c) for c in self.columns}, self.row_totals[r])

    def margins(self) -> Suppressed:
        """The column totals as one line, with the grand total."""
        return self._line({c: Margin("column", c) for c in self.columns}, self.total)

    def _line(self, keys: dict, total) -> Suppressed:
        kinds = {k: self.kinds[key] for k, key in keys.items() if key in self.kinds}
        values = {k: (self.column_totals[key.key] if isinstance(key, Margin)
                      else self.cells[key]) for k, key in keys.items()}
        return Suppressed(values, total=total, threshold=self.threshold,
                          primary=[k for k, v in kinds.items() if v == "primary"],
                          complementary=[k for k, v in kinds.items() if v != "primary"])


def suppress_table(table: Mapping[Hashable, Mapping[Hashable, int]], *,
                   sensitive: bool = False, topic: str | None = None,
                   threshold: int | None = None, margins: bool = True) -> SuppressedTable:
    """Suppress a table of counts ``{row: {column: n}}`` shown with its row totals, column
    totals and grand total (``margins=False``: without any totals). Every row and column,
    and the margins, are protected as in :func:`suppress`, repeatedly until stable."""
    t = threshold or threshold_for(topic, sensitive=sensitive)
    rows = list(table)
    columns = list(dict.fromkeys(c for r in rows for c in table[r]))
    values: dict = {(r, c): int(table[r].get(c, 0)) for r in rows for c in columns}
    if any(v < 0 for v in values.values()):
        raise ValueError("counts must be whole numbers of at least zero")
    for r in rows:
        values[Margin("row", r)] = sum(values[(r, c)] for c in columns)
    for c in columns:
        values[Margin("column", c)] = sum(values[(r, c)] for r in rows)
    values[GRAND_TOTAL] = sum(values[(r, c)] for r in rows for c in columns)
    kinds = {k: "primary" for k, v in values.items() if 0 < v < t}
    if not margins:
        kinds.update({k: "complementary" for k in values if isinstance(k, Margin)})
    lines = ([([(r, c) for c in columns], Margin("row", r)) for r in rows]
             + [([(r, c) for r in rows], Margin("column", c)) for c in columns]
             + [([Margin("row", r) for r in rows], GRAND_TOTAL),
                ([Margin("column", c) for c in columns], GRAND_TOTAL)])
    while True:
        _protect_lines(values, kinds, lines, t)
        exposed_keys = _table_exposed(values, kinds, lines, t)
        hidden = len(kinds)
        if exposed_keys:
            _hide_near(exposed_keys[0], values, kinds, lines)
        if len(kinds) == hidden:  # nothing exposed, or nothing left to hide
            break
    return SuppressedTable(rows, columns, values, kinds, t)


def _protect_lines(values: dict, kinds: dict, lines: list, t: int) -> None:
    """Rules 1-3 on every line with its total, repeated until nothing changes."""
    changed = True
    while changed:
        changed = False
        for keys, total_key in lines:
            line = {k: values[k] for k in keys}
            total = None if total_key in kinds else values[total_key]
            before = {k: kinds[k] for k in keys if k in kinds}
            after, hide_total = _protect_line(line, before, total, t)
            for k in after:
                if k not in kinds:
                    kinds[k] = "complementary"
                    changed = True
            if hide_total and total_key not in kinds:
                kinds[total_key] = "complementary"
                changed = True


def _hide_near(key, values: dict, kinds: dict, lines: list) -> None:
    """Hide the smallest non-zero shown number on a line through ``key`` (or anywhere);
    when there is none, hide the totals."""
    near = [k for keys, total_key in lines if key in (*keys, total_key)
            for k in (*keys, total_key)]
    for candidates in (near, list(values)):
        shown = [k for k in candidates if k not in kinds and values[k] > 0]
        if shown:
            kinds[min(shown, key=lambda k: (isinstance(k, Margin), values[k], str(k)))] = (
                "complementary")
            return
    kinds.update({k: "complementary" for k in values if isinstance(k, Margin)
                  and k not in kinds})


def _table_exposed(values: dict, kinds: dict, lines: list, t: int) -> list:
    """Hidden numbers of a table that a reader could work out exactly, combining all its
    rows and columns: the smallest and largest value of each, by integer programming."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    keys = list(kinds)
    n = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    rows, lo, hi = [], [], []
    for parts, total_key in lines:
        row, rhs = np.zeros(2 * n), 0.0
        for k, coef in [*((p, 1) for p in parts), (total_key, -1)]:
            if k in index:
                row[index[k]] += coef
            else:
                rhs -= coef * values[k]
        if row.any():
            rows.append(row)
            lo.append(rhs)
            hi.append(rhs)
    big = max(values.values()) + t
    var_lo, var_hi = np.zeros(2 * n), np.ones(2 * n)
    for i, k in enumerate(keys):
        if kinds[k] == "primary":
            var_lo[i], var_hi[i] = 1, t - 1
            continue
        var_hi[i] = big  # "–" is 0 or at least t: x <= big*z and x >= t*z, z binary
        for coefs, low, high in (((1, -big), -np.inf, 0), ((1, -t), 0, np.inf)):
            row = np.zeros(2 * n)
            row[i], row[n + i] = coefs
            rows.append(row)
            lo.append(low)
            hi.append(high)
    if not rows:
        return []
    constraint = LinearConstraint(np.array(rows), lo, hi)
    found = []
    for i, k in enumerate(keys):
        ends = []
        for sign in (1, -1):
            objective = np.zeros(2 * n)
            objective[i] = sign
            res = milp(objective, constraints=[constraint], integrality=np.ones(2 * n),
                       bounds=Bounds(var_lo, var_hi))
            ends.append(round(res.x[i]) if res.success else None)
        if ends[0] is None or ends[0] == ends[1]:
            found.append(k)
    return found


# -- showing a hidden count ----------------------------------------------------------------


def explanation(threshold: int, kind: str = "primary") -> str:
    """Why a count is not shown, for a tooltip or footnote."""
    if kind == "primary":
        return _("Fewer than %(n)s people: not shown, so that nobody can be identified.") % {
            "n": threshold}
    return _("Not shown, so that a smaller number hidden nearby cannot be worked out from "
             "the total.")


def cell_label(result: Suppressed, key) -> str:
    """The text for one count: the number, "<5"/"<10" (small), or "–" (hidden to protect a
    small one)."""
    value = result.get(key)
    if value is not None:
        return str(value)
    if key in result.primary:
        return f"<{result.threshold}"
    return COMPLEMENTARY_LABEL


def cell_html(result: Suppressed, key) -> str:
    """:func:`cell_label` as HTML, a hidden count with its explanation as a tooltip."""
    value = result.get(key)
    if value is not None:
        return format_html("{}", value)
    kind = "primary" if key in result.primary else "complementary"
    return format_html('<abbr class="suppressed" title="{}">{}</abbr>',
                       explanation(result.threshold, kind), cell_label(result, key))
