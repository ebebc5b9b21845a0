"""The pair scorer: learning, explaining, and a JSON round trip with identical scores."""

import json
from pathlib import Path

import numpy as np
import pytest

from shopfloor.linkage.evaluate import pair_arrays, read_pairs, train
from shopfloor.linkage.features import FEATURE_NAMES, feature_matrix
from shopfloor.linkage.records import RecordView
from shopfloor.linkage.scorer import DEFAULT_MODEL, PairScorer

PAIRS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "oshub" / \
    "dedupe_training_pairs.json"


@pytest.fixture(scope="module")
def data():
    pairs = read_pairs(PAIRS)
    X, y, _ = pair_arrays(pairs)
    return pairs, X, y


def test_save_and_load_give_identical_probabilities(data, tmp_path):
    pairs, X, y = data
    scorer = train(pairs, source="dedupe_training_pairs.json")
    path = scorer.save(tmp_path / "model.json")
    again = PairScorer.load(path)
    assert np.array_equal(scorer.predict_proba(X), again.predict_proba(X))
    saved = json.loads(path.read_text())
    assert saved["feature_names"] == list(FEATURE_NAMES)
    assert saved["training"] == {"source": "dedupe_training_pairs.json", "seed": 0,
                                 "pairs": 112, "matches": 47}
    assert len(saved["coef"]) == len(saved["mean"]) == len(saved["scale"]) == len(FEATURE_NAMES)


def test_the_shipped_model_is_the_one_match_train_builds(data):
    """`shopfloor match-train ... --out shopfloor/linkage/models/facility_pairs.json`
    rebuilds the shipped model exactly (training is deterministic)."""
    pairs, X, _ = data
    shipped = PairScorer.default()
    assert DEFAULT_MODEL.is_file()
    assert np.allclose(shipped.predict_proba(X), train(pairs).predict_proba(X), atol=1e-9)


def test_training_fit_separates_matches(data):
    _, X, y = data
    p = PairScorer().fit(X, y).predict_proba(X)
    assert p.shape == (len(y),) and ((p >= 0.5) == y).mean() > 0.85


def test_unseen_features_carry_no_weight(data):
    """Coordinates and identifiers never occur in the training pairs: they get no weight,
    and a missing address neither helps nor hurts (it takes the training mean)."""
    shipped = PairScorer.default()
    for name in ("geo_log_km", "same_identifier", "address_missing"):
        assert shipped.coef[FEATURE_NAMES.index(name)] == 0.0
    a = RecordView(1, "Golden Lotus Garment", "", "KH")
    b = RecordView(2, "Golden Lotus Garment Co., Ltd.", "Pou Senchey, Phnom Penh", "KH")
    c = RecordView(3, "Golden Palm Garment Co., Ltd.", "Pou Senchey, Phnom Penh", "KH")
    p_same, p_other = shipped.predict_proba(feature_matrix([(a, b), (a, c)]))
    assert p_same >= 0.8 > 0.5 > p_other


def test_explain_sums_to_the_log_odds(data):
    _, X, _ = data
    scorer = PairScorer.default()
    x = X[0]
    parts = scorer.explain(x)
    total = sum(v for _, v in parts) + scorer.intercept
    assert total == pytest.approx(float(scorer.decision(x.reshape(1, -1))[0]), abs=1e-3)
    assert [abs(v) for _, v in parts] == sorted((abs(v) for _, v in parts), reverse=True)
    assert {n for n, _ in parts} <= set(FEATURE_NAMES)


def test_sister_unit_scores_below_the_same_unit():
    fac = RecordView(1, "Soorty Enterprises (Pvt) Ltd Unit 6",
                     "Plot 44/1, Sector 15, Korangi Industrial Area, Karachi", "PK")
    same = RecordView(2, "SOORTY ENTERPRISES UNIT 6", "Plot 44 1 Sector 15 Korangi, Karachi",
                      "PK")
    sister = RecordView(3, "SOORTY ENTERPRISES UNIT 7", "Plot 44 1 Sector 15 Korangi, Karachi",
                        "PK")
    p_same, p_sister = PairScorer.default().predict_proba(feature_matrix([(same, fac),
                                                                          (sister, fac)]))
    assert p_same >= 0.8 and p_sister < 0.5


def test_wrong_feature_count_is_refused():
    with pytest.raises(ValueError, match="feature columns"):
        PairScorer.default().predict_proba(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="not a pair scorer"):
        PairScorer.from_dict({"format": "something else"})


def test_cambodian_variants_rank_their_facility_first():
    """Abbreviation, typo and Khmer name of a registry facility: the scorer ranks the right
    facility first among look-alikes, and an exact Khmer name is a likely match."""
    registry = [
        RecordView(1, "Kampuchea Star Garment Manufacturing Co., Ltd.",
                   "National Road 4, Km 21, Samraong Tong, Kampong Speu", "KH"),
        RecordView(2, "Kampuchea Star Textile (Cambodia) Ltd.",
                   "No. 8, Street 2004, Pou Senchey, Phnom Penh", "KH"),
        RecordView(3, "Golden Lotus Garment Co., Ltd.", "No. 12, Street 21, Pou Senchey, "
                   "Phnom Penh", "KH", other_names=("រោងចក្រកាត់ដេរ ផ្កាឈូកមាស",)),
        RecordView(4, "Golden Palm Garment Co., Ltd.", "No. 90, Street 598, Russey Keo, "
                   "Phnom Penh", "KH"),
    ]
    incoming = {
        1: RecordView(10, "KSG Co., Ltd.", "Samraong Tong, Kampong Speu", "KH"),
        3: RecordView(11, "GOLDEN LOTOS GARMENT", "St 21, Pou Senchey, Phnom Penh", "KH"),
    }
    scorer = PairScorer.default()
    for right, rec in incoming.items():
        p = scorer.predict_proba(feature_matrix([(rec, r) for r in registry]))
        assert registry[int(np.argmax(p))].id == right, (rec.name, p)
    khmer = RecordView(12, "ផ្កាឈូកមាស", "", "KH")
    p = scorer.predict_proba(feature_matrix([(khmer, r) for r in registry]))
    assert int(np.argmax(p)) == 2 and p[2] >= 0.8
