"""Pair features on real labelled pairs from Open Supply Hub and on Cambodian cases."""

import math
from pathlib import Path

import numpy as np
import pytest

from shopfloor.linkage.evaluate import read_pairs
from shopfloor.linkage.features import FEATURE_NAMES, describe, feature_matrix, pair_features
from shopfloor.linkage.records import RecordView

PAIRS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "oshub" / \
    "dedupe_training_pairs.json"


@pytest.fixture(scope="module")
def pairs():
    return read_pairs(PAIRS)


def _find(pairs, left_name: str, right_start: str):
    return next(p for p in pairs if p.left.name == left_name
                and p.right.name.startswith(right_start))


def _f(a: RecordView, b: RecordView) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, pair_features(a, b), strict=True))


def test_matrix_shape_and_names(pairs):
    X = feature_matrix((p.left, p.right) for p in pairs)
    assert X.shape == (112, len(FEATURE_NAMES)) and 15 <= len(FEATURE_NAMES) <= 25
    assert feature_matrix([]).shape == (0, len(FEATURE_NAMES))
    # Similarities lie in [0, 1]; labelled matches look more alike than distinct pairs.
    similarities = np.delete(X, FEATURE_NAMES.index("geo_log_km"), axis=1)
    finite = similarities[~np.isnan(similarities)]
    assert finite.min() >= 0.0 and finite.max() <= 1.0
    y = np.array([p.is_match for p in pairs])
    col = FEATURE_NAMES.index("name_squash_ratio")
    assert X[y, col].mean() > X[~y, col].mean() + 0.2


def test_spaced_out_name_at_the_same_address(pairs):
    p = _find(pairs, "hirdaramani mercury seethawaka", "m e r c u r y")
    f = _f(p.left, p.right)
    assert p.is_match
    # "mercury" and "seethawaka" survive the stray spaces once spaces are removed.
    assert f["name_squash_partial"] > 0.8 > f["name_token_set"]
    assert f["address_squash_partial"] == 1.0  # the address without "sri lanka"
    assert f["same_country"] == 1.0 and f["numbers_conflict"] == 0.0


def test_sister_units_disagree_on_numbers(pairs):
    p = _find(pairs, "soorty enterprises (pvt) ltd . unit10", "soorty enterprises (pvt.) ltd.")
    f = _f(p.left, p.right)
    assert not p.is_match
    assert f["numbers_conflict"] == 1.0 and f["numbers_agree"] == 0.0
    assert f["core_token_set"] == 1.0  # same company, different unit


def test_country_disagreement(pairs):
    p = _find(pairs, "casual wear apparel llc", "casual wear apparel llc")
    assert _f(p.left, p.right)["same_country"] == 0.0  # jo vs il, labelled a match


def test_acronyms_are_compared_spelled_out():
    a = RecordView(1, "GTHS Xin Feng Jing Garment", "Bavet, Svay Rieng", "KH")
    b = RecordView(2, "Guo Tai Hua Sheng Xin Feng Jing (Cambodia) Garment Co., Ltd.",
                   "Manhattan SEZ, Bavet, Svay Rieng", "KH")
    f = _f(a, b)
    assert f["acronym_match"] == 1.0
    assert f["name_token_set"] == 1.0 and f["core_squash_ratio"] == 1.0


def test_khmer_name_meets_the_facility_khmer_name():
    fac = RecordView(1, "Golden Lotus Garment Co., Ltd.", "Pou Senchey, Phnom Penh", "KH",
                     other_names=("រោងចក្រកាត់ដេរ ផ្កាឈូកមាស",))
    rec = RecordView(2, "ផ្កាឈូកមាស", "", "KH")
    f = _f(rec, fac)
    assert f["name_ratio"] == 1.0  # compared with the facility's Khmer name, romanised
    assert f["address_missing"] == 1.0 and math.isnan(f["address_token_set"])


def test_coordinates_and_identifiers_when_present():
    a = RecordView(1, "A", "x", "KH", 11.55, 104.84, os_id="KH2019001ABCDE")
    b = RecordView(2, "A", "x", "KH", 11.56, 104.84, os_id="kh2019001abcde")
    c = RecordView(3, "A", "x", "KH", None, None, os_id="KH2020002XXXXX")
    assert 0.5 < math.expm1(_f(a, b)["geo_log_km"]) < 1.5  # about 1.1 km
    assert _f(a, b)["same_identifier"] == 1.0
    assert math.isnan(_f(a, c)["geo_log_km"]) and _f(a, c)["same_identifier"] == 0.0
    assert describe(pair_features(a, c))["geo_log_km"] is None
