"""Numbers that describe how alike two facility records are, for the learned pair scorer.

Candidate generation (splink) is good at finding the right partner among many, but the final
"same factory or not" call on near-identical names at one address needs finer signals: the
name with spaces removed ("m e r c u r y appar e l"), the address as a substring of the other
("... industrial park avissawella sri lanka"), disagreeing unit numbers (Unit 1 vs Unit 2)
and acronyms ("GTHS" for "Guo Tai Hua Sheng"). Every feature is a float; a feature that
cannot be computed for a pair (no address, no coordinates, no identifiers) is ``nan`` and the
scorer replaces it by its training mean, so it neither helps nor hurts that pair.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from shopfloor.linkage import normalise as N
from shopfloor.linkage.records import RecordView

NAN = float("nan")

#: Column order of ``pair_features`` and ``feature_matrix``; the shipped model stores it and
#: refuses to score features in another order.
FEATURE_NAMES: tuple[str, ...] = (
    "name_ratio",            # edit similarity of the cleaned names
    "name_token_set",        # shared words, order ignored
    "name_token_sort",
    "name_partial",          # the shorter cleaned name inside the longer one
    "name_squash_ratio",     # spaces removed: "shen zhou" = "shenzhou"
    "name_squash_partial",
    "name_jaro_winkler",     # rewards a common beginning
    "core_squash_ratio",     # without legal forms, industry words and numbers
    "core_token_set",        # ... after expanding acronyms ("gths" -> "guo tai hua sheng")
    "core_first_word",       # the first distinctive word agrees
    "acronym_match",         # one name holds the other's initials
    "numbers_conflict",      # both names carry unit/plot numbers and they differ
    "numbers_one_sided",     # only one name carries a number
    "numbers_agree",         # both carry the same numbers
    "address_token_set",
    "address_squash_partial",  # spaces removed, shorter inside longer
    "address_squash_ratio",
    "address_numbers_overlap",  # share of the shorter address's numbers found in the other
    "address_missing",       # 1 when either address is empty
    "same_country",
    "geo_log_km",            # log(1 + distance in km) when both have coordinates
    "same_identifier",       # OS ID / BFC id: 1 equal, 0 different, nan unknown
)


#: What each feature means, for the reviewers who see them (translated).
FEATURE_LABELS = {
    "name_ratio": _("name similarity"),
    "name_token_set": _("shared name words"),
    "name_token_sort": _("name words in any order"),
    "name_partial": _("one name inside the other"),
    "name_squash_ratio": _("name similarity without spaces"),
    "name_squash_partial": _("one name inside the other, without spaces"),
    "name_jaro_winkler": _("names begin alike"),
    "core_squash_ratio": _("similarity without legal forms and trade words"),
    "core_token_set": _("shared distinctive words, acronyms spelled out"),
    "core_first_word": _("first distinctive word agrees"),
    "acronym_match": _("one name is the other's initials"),
    "numbers_conflict": _("different unit or plot numbers"),
    "numbers_one_sided": _("only one name has a number"),
    "numbers_agree": _("same unit or plot numbers"),
    "address_token_set": _("shared address words"),
    "address_squash_partial": _("one address inside the other"),
    "address_squash_ratio": _("address similarity without spaces"),
    "address_numbers_overlap": _("shared house or plot numbers"),
    "address_missing": _("an address is missing"),
    "same_country": _("same country"),
    "geo_log_km": _("distance (log km)"),
    "same_identifier": _("same OS ID or BFC ID"),
}


def pair_features(a: RecordView, b: RecordView) -> list[float]:
    """The features of one pair, in ``FEATURE_NAMES`` order. Records with several names
    (a facility's Khmer name and other names) are compared by their most alike names."""
    na, nb = _best_names(a, b)
    return [*_name_features(na, a.country, nb, b.country),
            *_address_features(a.address, a.country, b.address, b.country),
            _same_country(a.country, b.country),
            _geo_log_km(a, b),
            _same_identifier(a, b)]


def feature_matrix(pairs: Iterable[tuple[RecordView, RecordView]]) -> np.ndarray:
    """Features of many pairs as a float array of shape (n_pairs, len(FEATURE_NAMES))."""
    rows = [pair_features(a, b) for a, b in pairs]
    if not rows:
        return np.empty((0, len(FEATURE_NAMES)))
    return np.asarray(rows, dtype=float)


# --- names ----------------------------------------------------------------------------------

def _names(rec: RecordView) -> list[str]:
    seen: list[str] = []
    for n in (rec.name, *rec.other_names):
        if n and n not in seen:
            seen.append(n)
    return seen or [""]


def _best_names(a: RecordView, b: RecordView) -> tuple[str, str]:
    names_a, names_b = _names(a), _names(b)
    if len(names_a) == 1 and len(names_b) == 1:
        return names_a[0], names_b[0]
    return max(((x, y) for x in names_a for y in names_b),
               key=lambda p: _name_likeness(p[0], a.country, p[1], b.country))


def _name_likeness(a: str, ca: str, b: str, cb: str) -> float:
    """How alike two names are, to choose which of a record's names to compare: squashed
    similarity, or full when one is the other's acronym ("KSG" for "Kampuchea Star
    Garment")."""
    if _acronym_pair(a, ca, b, cb):
        return 1.0
    return fuzz.ratio(_clean(a, ca)[1], _clean(b, cb)[1]) / 100


@lru_cache(maxsize=200_000)
def _clean(name: str, country: str) -> tuple[str, str, str, frozenset[str]]:
    """(clean name, squashed clean name, core name, numbers) of one name, cached: the same
    registry names meet many incoming rows."""
    clean = N.clean_name(name, country)
    return clean, N.squash_name(name, country), N.core_name(name, country), N.name_numbers(name)


def _name_features(a: str, ca: str, b: str, cb: str) -> list[float]:
    clean_a, sq_a, core_a, num_a = _clean(a, ca)
    clean_b, sq_b, core_b, num_b = _clean(b, cb)
    if not clean_a or not clean_b:
        return [0.0] * 11 + [0.0, 0.0, 0.0]
    acro = _acronym_pair(a, ca, b, cb)
    if acro:
        # "GLG Co., Ltd." is "Golden Lotus Garment": compare the spelled-out words.
        words_a, words_b = clean_a.split(), clean_b.split()
        clean_a = " ".join(N.expand_acronym_words(words_a, words_b))
        clean_b = " ".join(N.expand_acronym_words(words_b, words_a))
        sq_a, sq_b = N.squash(clean_a), N.squash(clean_b)
        core_a = _core(clean_a.split()) or clean_a
        core_b = _core(clean_b.split()) or clean_b
    first_a, first_b = core_a.split()[:1], core_b.split()[:1]
    return [
        fuzz.ratio(clean_a, clean_b) / 100,
        fuzz.token_set_ratio(clean_a, clean_b) / 100,
        fuzz.token_sort_ratio(clean_a, clean_b) / 100,
        fuzz.partial_ratio(clean_a, clean_b) / 100,
        fuzz.ratio(sq_a, sq_b) / 100,
        fuzz.partial_ratio(sq_a, sq_b) / 100,
        JaroWinkler.normalized_similarity(sq_a, sq_b),
        fuzz.ratio(N.squash(core_a), N.squash(core_b)) / 100,
        fuzz.token_set_ratio(core_a, core_b) / 100,
        float(bool(first_a) and first_a == first_b),
        float(acro),
        float(bool(num_a) and bool(num_b) and num_a != num_b),
        float(bool(num_a) != bool(num_b)),
        float(bool(num_a) and num_a == num_b),
    ]


@lru_cache(maxsize=200_000)
def _acronym_pair(a: str, ca: str, b: str, cb: str) -> bool:
    return N.acronym_match(a, b, ca) if ca == cb else N.acronym_match(a, b)


def _core(words: list[str]) -> str:
    return " ".join(w for w in words if w not in N.GENERIC_WORDS and not w.isdigit())


# --- addresses ------------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def _clean_address(address: str, country: str) -> tuple[str, str, frozenset[str]]:
    clean = N.clean_address(address or "", country)
    return clean, N.squash(clean), N.address_numbers(address or "")


def _address_features(a: str, ca: str, b: str, cb: str) -> list[float]:
    clean_a, sq_a, num_a = _clean_address(a, ca)
    clean_b, sq_b, num_b = _clean_address(b, cb)
    if not clean_a or not clean_b:
        return [NAN, NAN, NAN, NAN, 1.0]
    overlap = len(num_a & num_b) / min(len(num_a), len(num_b)) if num_a and num_b else NAN
    return [
        fuzz.token_set_ratio(clean_a, clean_b) / 100,
        fuzz.partial_ratio(sq_a, sq_b) / 100,
        fuzz.ratio(sq_a, sq_b) / 100,
        overlap,
        0.0,
    ]


# --- place and identifiers ------------------------------------------------------------------

def _same_country(a: str, b: str) -> float:
    if not a or not b:
        return NAN
    return float(a.strip().upper() == b.strip().upper())


def _geo_log_km(a: RecordView, b: RecordView) -> float:
    if a.lat is None or a.lng is None or b.lat is None or b.lng is None:
        return NAN
    return math.log1p(haversine_km(float(a.lat), float(a.lng), float(b.lat), float(b.lng)))


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _same_identifier(a: RecordView, b: RecordView) -> float:
    known = [(x, y) for x, y in ((a.os_id, b.os_id), (a.bfc_id, b.bfc_id)) if x and y]
    if not known:
        return NAN
    return float(any(x.strip().upper() == y.strip().upper() for x, y in known))


def describe(values: Sequence[float]) -> dict[str, float | None]:
    """Feature values by name, ``None`` for unknown (for ``match_evidence`` JSON)."""
    return {name: (None if math.isnan(v) else round(float(v), 4))
            for name, v in zip(FEATURE_NAMES, values, strict=True)}
