"""The learned pair scorer: probability that two facility records name one factory.

A logistic regression over ``features.FEATURE_NAMES``. Chosen over boosted trees or a
network because the labelled data are small (Open Supply Hub's 112 pairs), because its
coefficients explain a score to a reviewer feature by feature ("address agrees +2.1, unit
numbers differ -1.7"), and because a model saved as plain JSON can be read, diffed and
reviewed in a pull request. Features are standardised with the training mean and standard
deviation; a missing feature (``nan``) takes the training mean and so contributes nothing.
The regularisation strength is chosen by an inner cross-validation on the training data
only, so evaluating ``fit`` by outer cross-validation never sees the evaluation fold.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from shopfloor.linkage.features import FEATURE_NAMES

#: The model trained on Open Supply Hub's labelled pairs (see docs/matching.md for the
#: command that rebuilds it).
DEFAULT_MODEL = Path(__file__).with_name("models") / "facility_pairs.json"

#: Candidate regularisation strengths for the inner cross-validation (fixed up front).
CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FORMAT = "shopfloor-pair-scorer/1"


@dataclass
class PairScorer:
    """Logistic regression on standardised features, with JSON persistence."""

    feature_names: tuple[str, ...] = FEATURE_NAMES
    coef: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURE_NAMES)))
    intercept: float = 0.0
    mean: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURE_NAMES)))
    scale: np.ndarray = field(default_factory=lambda: np.ones(len(FEATURE_NAMES)))
    C: float = 1.0
    training: dict = field(default_factory=dict)

    # --- learning -----------------------------------------------------------------------

    def fit(self, X, y, *, training: dict | None = None, seed: int = 0) -> PairScorer:
        """Learn from features ``X`` (n × features, ``nan`` allowed) and labels ``y`` (1 =
        same facility). Returns ``self``."""
        X = self._check(X)
        y = np.asarray(y, dtype=int)
        if len(set(y.tolist())) < 2:
            raise ValueError("training needs both matching and non-matching pairs")
        known = ~np.isnan(X)
        counts = known.sum(axis=0)
        mean = np.where(counts > 0, np.where(known, X, 0.0).sum(axis=0) / np.maximum(counts, 1),
                        0.0)
        filled = np.where(np.isnan(X), mean, X)
        scale = filled.std(axis=0)
        scale = np.where(scale > 1e-9, scale, 1.0)
        Z = (filled - mean) / scale
        c = _choose_c(Z, y, seed)
        model = _logistic(c).fit(Z, y)
        self.coef = model.coef_[0].astype(float)
        # A column without variation in training (never observed, e.g. coordinates) gets no
        # weight, so it cannot move a score on data unlike the training pairs.
        self.coef[filled.std(axis=0) <= 1e-9] = 0.0
        self.intercept = float(model.intercept_[0])
        self.mean, self.scale, self.C = mean, scale, c
        self.training = dict(training or {}, pairs=int(len(y)), matches=int(y.sum()))
        return self

    # --- scoring ------------------------------------------------------------------------

    def decision(self, X) -> np.ndarray:
        """Log-odds of a match for each row."""
        X = self._check(X)
        Z = (np.where(np.isnan(X), self.mean, X) - self.mean) / self.scale
        return Z @ self.coef + self.intercept

    def predict_proba(self, X) -> np.ndarray:
        """Probability of a match for each row of ``X`` (a 1-d array)."""
        return 1.0 / (1.0 + np.exp(-self.decision(X)))

    def explain(self, x) -> list[tuple[str, float]]:
        """Each feature's contribution to the log-odds of one pair, largest first.

        The contributions plus ``intercept`` sum to the pair's log-odds, so a reviewer sees
        what pushed a score up ("address_squash_partial", +2.3) or down
        ("numbers_conflict", -1.8). Features without a contribution are left out.
        """
        x = self._check(np.asarray(x, dtype=float).reshape(1, -1))[0]
        z = (np.where(np.isnan(x), self.mean, x) - self.mean) / self.scale
        parts = [(name, float(round(c * v, 4)))
                 for name, c, v in zip(self.feature_names, self.coef, z, strict=True)]
        return sorted((p for p in parts if p[1] != 0.0), key=lambda p: -abs(p[1]))

    def _check(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(self.feature_names):
            raise ValueError(f"expected {len(self.feature_names)} feature columns "
                             f"({', '.join(self.feature_names)}), got shape {X.shape}")
        return X

    # --- persistence --------------------------------------------------------------------

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "model": "logistic regression on standardised features (scikit-learn)",
            "feature_names": list(self.feature_names),
            "coef": [float(v) for v in self.coef],
            "intercept": float(self.intercept),
            "mean": [float(v) for v in self.mean],
            "scale": [float(v) for v in self.scale],
            "C": float(self.C),
            "training": self.training,
        }

    def save(self, path: str | Path) -> Path:
        """Write the model as JSON (floats kept exactly: ``load`` gives identical scores)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: dict) -> PairScorer:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a pair scorer model: format {data.get('format')!r}")
        names = tuple(data["feature_names"])
        if names != FEATURE_NAMES:
            raise ValueError("the model was trained on other features than this version "
                             "computes; retrain it with `shopfloor match-train`")
        arr = lambda key: np.asarray(data[key], dtype=float)  # noqa: E731
        return cls(names, arr("coef"), float(data["intercept"]), arr("mean"), arr("scale"),
                   float(data.get("C", 1.0)), dict(data.get("training", {})))

    @classmethod
    def load(cls, path: str | Path) -> PairScorer:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def default(cls) -> PairScorer:
        """The shipped model (loaded once per process)."""
        return _default()


def _logistic(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, solver="liblinear", max_iter=1000)


def _choose_c(Z: np.ndarray, y: np.ndarray, seed: int) -> float:
    """The regularisation strength with the lowest log-loss in an inner stratified k-fold
    on the training data (k ≤ 5, fewer when a class is rarer); 1.0 when too small to split."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(5, int(np.bincount(y, minlength=2).min()))
    if folds < 2:
        return 1.0
    losses = np.zeros(len(CS))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(Z, y):
        for i, c in enumerate(CS):
            p = _logistic(c).fit(Z[train], y[train]).predict_proba(Z[test])[:, 1]
            p = np.clip(p, 1e-9, 1 - 1e-9)
            losses[i] -= np.sum(y[test] * np.log(p) + (1 - y[test]) * np.log(1 - p))
    return float(CS[int(np.argmin(losses))])


@lru_cache(maxsize=1)
def _default() -> PairScorer:
    return PairScorer.load(DEFAULT_MODEL)


def logit(p: float) -> float:
    """Log-odds of a probability (for thresholds given as probabilities)."""
    return math.log(p / (1 - p))
