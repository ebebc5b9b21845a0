"""How good the pair scorer is on labelled pairs: precision, recall and F1.

Two labelled formats are read: Open Supply Hub's dedupe training file
(``{"match": [...], "distinct": [...]}``, each pair a ``{"__class__": "tuple", "__value__":
[left, right]}`` of ``{"name", "address", "country"}``) and a CSV with the columns
``left_name,left_address,left_country,right_name,right_address,right_country,is_match``.

The scorer learns from labels, so it is never scored on pairs it learned from: repeated
stratified k-fold cross-validation trains on four fifths and predicts the rest, five times
per repeat, with pairs that occur more than once (in either order) kept in one fold. On
small files the F1 of one split moves by several points with the luck of the split, so the
mean and spread over many repeats is reported, never a single split.
"""

from __future__ import annotations

import csv
import json
import statistics
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shopfloor.linkage.features import feature_matrix
from shopfloor.linkage.normalise import clean_name
from shopfloor.linkage.records import RecordView
from shopfloor.linkage.scorer import PairScorer

THRESHOLD = 0.5
_TRUE = {"1", "true", "yes", "y", "t", "match", "same"}
_FALSE = {"0", "false", "no", "n", "f", "distinct", "different", ""}


@dataclass(frozen=True)
class LabelledPair:
    left: RecordView
    right: RecordView
    is_match: bool

    def key(self) -> frozenset:
        """The same two factories however the pair is written or ordered (for keeping
        copies together): cleaned names and countries, not addresses, because a copy may
        carry another spelling of the address (Open Supply Hub's file has such a pair)."""
        return frozenset(_side_key(r) for r in (self.left, self.right))


def _side_key(r: RecordView) -> tuple[str, str]:
    return (clean_name(r.name, r.country), r.country.upper())


# --- reading --------------------------------------------------------------------------------

def read_pairs(path: str | Path) -> list[LabelledPair]:
    """Labelled pairs from an Open Supply Hub JSON file or a CSV file (by content)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith(("{", "[")):
        return _pairs_from_json(json.loads(text))
    return _pairs_from_csv(text.splitlines())


def _record(d: dict, n: int) -> RecordView:
    return RecordView(id=int(d["id"]) if str(d.get("id", "")).isdigit() else n,
                      name=str(d.get("name") or ""), address=str(d.get("address") or ""),
                      country=str(d.get("country") or "").upper())


def _unwrap(item):
    return item["__value__"] if isinstance(item, dict) and "__value__" in item else item


def _pairs_from_json(data) -> list[LabelledPair]:
    if not isinstance(data, dict) or not ({"match", "distinct"} & data.keys()):
        raise ValueError("expected a JSON object with 'match' and 'distinct' lists")
    out: list[LabelledPair] = []
    for label, is_match in (("match", True), ("distinct", False)):
        for item in data.get(label, []):
            left, right = _unwrap(item)
            n = len(out) * 2
            out.append(LabelledPair(_record(left, n), _record(right, n + 1), is_match))
    return out


def _pairs_from_csv(lines: list[str]) -> list[LabelledPair]:
    rows = csv.DictReader(lines)
    needed = {f"{s}_{f}" for s in ("left", "right") for f in ("name", "address", "country")}
    missing = needed - set(rows.fieldnames or ()) | ({"is_match"} - set(rows.fieldnames or ()))
    if missing:
        raise ValueError(f"CSV lacks the columns {', '.join(sorted(missing))}")
    out: list[LabelledPair] = []
    for i, row in enumerate(rows, start=2):
        label = (row["is_match"] or "").strip().lower()
        if label not in _TRUE | _FALSE:
            raise ValueError(f"line {i}: is_match must be 1/0 or true/false, not {label!r}")
        sides = [RecordView(id=2 * i + k, name=row[f"{s}_name"] or "",
                            address=row[f"{s}_address"] or "",
                            country=(row[f"{s}_country"] or "").strip().upper())
                 for k, s in enumerate(("left", "right"))]
        out.append(LabelledPair(*sides, is_match=label in _TRUE))
    return out


def pair_arrays(pairs: list[LabelledPair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and group ids (equal for copies of one pair)."""
    X = feature_matrix((p.left, p.right) for p in pairs)
    y = np.array([int(p.is_match) for p in pairs])
    ids: dict[frozenset, int] = {}
    groups = np.array([ids.setdefault(p.key(), len(ids)) for p in pairs])
    return X, y, groups


# --- measuring ------------------------------------------------------------------------------

def scores(y_true, y_pred) -> dict[str, float]:
    """Precision, recall and F1 of binary predictions (0 when undefined)."""
    y_true, y_pred = np.asarray(y_true, bool), np.asarray(y_pred, bool)
    tp = int((y_true & y_pred).sum())
    fp = int((~y_true & y_pred).sum())
    fn = int((y_true & ~y_pred).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _summary(values: list[float]) -> dict[str, float]:
    return {"mean": statistics.fmean(values),
            "std": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values), "max": max(values)}


def cross_validate(pairs: list[LabelledPair], repeats: int = 10, folds: int = 5,
                   seed: int = 0, threshold: float = THRESHOLD) -> dict:
    """Repeated stratified k-fold cross-validation of ``PairScorer.fit``.

    Each repeat shuffles differently, trains on k−1 folds and predicts the held-out fold, so
    every pair is predicted once per repeat by a model that never saw it (copies of a pair
    share a fold). Returns precision, recall and F1 per repeat (over all out-of-fold
    predictions) summarised as mean, standard deviation, min and max, plus the spread of F1
    between single folds. The threshold is fixed up front, not tuned on the folds; the
    regularisation is chosen inside each training fold (``PairScorer.fit``).
    """
    from sklearn.model_selection import StratifiedGroupKFold

    X, y, groups = pair_arrays(pairs)
    if min(int(y.sum()), int(len(y) - y.sum())) < folds:
        raise ValueError(f"{folds}-fold cross-validation needs at least {folds} matching "
                         f"and {folds} non-matching pairs")
    per_repeat: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    fold_f1: list[float] = []
    for r in range(repeats):
        cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed + r)
        pred = np.zeros(len(y), dtype=bool)
        for train, test in cv.split(X, y, groups):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = PairScorer().fit(X[train], y[train], seed=seed + r)
            pred[test] = model.predict_proba(X[test]) >= threshold
            fold_f1.append(scores(y[test], pred[test])["f1"])
        for k, v in scores(y, pred).items():
            per_repeat[k].append(v)
    return {
        "pairs": int(len(y)), "matches": int(y.sum()), "distinct_pairs": int(groups.max() + 1),
        "repeats": repeats, "folds": folds, "threshold": threshold, "seed": seed,
        **{k: _summary(v) for k, v in per_repeat.items()},
        "f1_per_repeat": [round(v, 4) for v in per_repeat["f1"]],
        "fold_f1": _summary(fold_f1),
    }


def train(pairs: list[LabelledPair], source: str = "", seed: int = 0) -> PairScorer:
    """A scorer trained on all ``pairs`` (for shipping; evaluate with ``cross_validate``)."""
    X, y, _ = pair_arrays(pairs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return PairScorer().fit(X, y, seed=seed, training={"source": source, "seed": seed})


def evaluate_with_model(pairs: list[LabelledPair], scorer: PairScorer | None = None,
                        threshold: float = THRESHOLD) -> dict:
    """Precision, recall and F1 of a trained scorer on a held-out labelled file."""
    scorer = scorer or PairScorer.default()
    X, y, _ = pair_arrays(pairs)
    pred = scorer.predict_proba(X) >= threshold
    return {"pairs": int(len(y)), "matches": int(y.sum()), "threshold": threshold,
            **scores(y, pred)}
