"""The matcher: every waiting facility record ends up matched, waiting for a person, or new.

Order of evidence, strongest first:

1. what people decided before about a row written the same way (its fingerprint): a
   confirmed facility is taken as is, rejected facilities are never proposed again — so a
   re-upload asks nobody the same question twice;
2. identifiers (Open Supply Hub ID, BFC ID) that name a registry facility;
3. splink's candidates (:mod:`shopfloor.linkage.candidates`), each scored by the learned pair
   scorer (:mod:`shopfloor.linkage.scorer` over :mod:`shopfloor.linkage.features`). The best
   candidate decides: at least ``MATCH_AUTO_THRESHOLD`` is an automatic match, at least
   ``MATCH_REVIEW_THRESHOLD`` waits for review with that candidate, anything lower is a new
   facility — or, for a union's own list (``facility-list``), a row left unmatched: a
   union's list must not add factories to the registry unseen.

A candidate close behind the best one (both above the automatic threshold) makes the record
wait for review: two registry facilities that both look like the row are a question for a
person (often a duplicate to merge), not a coin toss. Below the automatic threshold, a
candidate that is the "clear best" — far ahead in splink's weights, or ranked first by splink
and far ahead in the scorer's odds — is matched automatically (see :func:`_decide`).

:func:`link` is the database-free core (the benchmarks call it with half a million
facilities); :func:`match_records` reads and writes the records.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shopfloor.linkage.candidates import CHUNK_SIZE, FACILITY, LinkConfig, candidate_pairs
from shopfloor.linkage.records import RecordView, fingerprint

#: Decisions :func:`link` returns (the record's ``decision`` field, plus ``unmatched``:
#: pending without a candidate).
AUTOMATIC, CONFIRMED, PENDING, NEW, UNMATCHED = (
    "automatic", "confirmed", "pending", "new", "unmatched")
#: Candidates kept in a record's evidence for reviewers (and for "next candidate" after a
#: rejection).
EVIDENCE_CANDIDATES = 5
#: Registry facilities splink proposes per record for the pair scorer. A name without an
#: address often ties with several facilities at one splink weight (the weights have a few
#: fixed levels); splitting a tie at the fifth place by facility id dropped the right one
#: as often as not, and the clear-best rules below need to see the competitors.
CANDIDATES_SCORED = 10
#: Candidates more than this many bits (log2 of the likelihood ratio) behind a record's best
#: splink candidate are not worth scoring: 2^10 times less likely.
SCORE_WITHIN_BITS = 10.0
#: "Clear best" rule: a candidate the pair scorer finds likely (at least the review
#: threshold) is matched automatically when splink finds it at least 2^5 = 32 times likelier
#: than any other registry facility and no other candidate is likely to the scorer. The pair
#: scorer learned from pairs that were all hard near-duplicates (Open Supply Hub's review
#: queue), so it stays cautious about a typo in a name without an address; across half a
#: million facilities, being the only plausible one is evidence it cannot see.
CLEAR_BEST_BITS = 5.0
RUNNER_UP_MAX = 0.4


@dataclass
class Outcome:
    """What the matcher decided for one incoming record."""

    record_id: int
    decision: str
    facility_id: int | None = None
    score: float | None = None
    evidence: dict = field(default_factory=dict)


@dataclass
class MatchReport:
    """Counts of a matching run, by decision, and how long it took."""

    engine: str = "duckdb"
    records: int = 0
    counts: Counter = field(default_factory=Counter)
    created: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"engine": self.engine, "records": self.records, "created": self.created,
                "seconds": round(self.seconds, 2),
                **{k: self.counts.get(k, 0) for k in (AUTOMATIC, CONFIRMED, PENDING, NEW,
                                                      UNMATCHED)}}

    def __str__(self) -> str:
        c = self.counts
        return (f"{self.records} records matched on {self.engine} in {self.seconds:.1f}s: "
                f"{c[AUTOMATIC]} automatic, {c[CONFIRMED]} confirmed earlier, "
                f"{c[PENDING]} for review, {c[NEW]} new facilities ({self.created} created), "
                f"{c[UNMATCHED]} unmatched")


@dataclass(frozen=True)
class Thresholds:
    auto: float = 0.8
    review: float = 0.5

    @classmethod
    def from_settings(cls) -> Thresholds:
        from django.conf import settings

        return cls(settings.MATCH_AUTO_THRESHOLD, settings.MATCH_REVIEW_THRESHOLD)


def link(incoming: Sequence[RecordView], registry: Sequence[RecordView], *,
         engine: str = "duckdb", remembered: Mapping[int, object] | None = None,
         scorer=None, thresholds: Thresholds | None = None, create_new: bool = True,
         config: LinkConfig = FACILITY, top_k: int = CANDIDATES_SCORED,
         spark=None, chunk_size: int = CHUNK_SIZE) -> dict[int, Outcome]:
    """Decide each incoming record against the registry (no database).

    ``remembered`` maps an incoming record id to its earlier verdicts (an object with
    ``confirmed`` and ``rejected`` sets of facility ids, as
    :func:`shopfloor.linkage.decisions.remembered` returns per fingerprint). ``scorer`` is a
    fitted pair scorer (default: the shipped model) for the facility configuration; other
    configurations (people) decide on splink's own match probability. ``chunk_size``
    incoming records are linked per DuckDB run (:func:`candidate_pairs`); the decisions do
    not depend on it.
    """
    thresholds = thresholds or Thresholds()
    remembered = remembered or {}
    by_id = {v.id: v for v in registry}
    outcomes: dict[int, Outcome] = {}
    rest: list[RecordView] = []
    ids = _identifier_index(registry) if config is FACILITY else {}
    for rec in incoming:
        memo = remembered.get(rec.id)
        rejected = set(getattr(memo, "rejected", ()) or ())
        confirmed = [f for f in (getattr(memo, "confirmed", ()) or ()) if f in by_id]
        if len(confirmed) == 1:
            outcomes[rec.id] = Outcome(rec.id, CONFIRMED, confirmed[0], 1.0,
                                       {"method": "remembered decision"})
            continue
        fid = _by_identifier(rec, ids) if ids else None
        if fid is not None and fid not in rejected:
            outcomes[rec.id] = Outcome(rec.id, AUTOMATIC, fid, 1.0,
                                       {"method": "identifier", "candidates": [
                                           {"facility_id": fid, "score": 1.0}]})
            continue
        rest.append(rec)
    if rest:
        pairs = candidate_pairs(rest, registry, config=config, engine=engine, top_k=top_k,
                                spark=spark, chunk_size=chunk_size)
        if config is FACILITY:
            scored = _score(pairs, {r.id: r for r in rest}, by_id, scorer)
        else:
            scored = [(c, c.match_probability, None) for c in pairs]
        per_record: dict[int, list] = {}
        for cand, prob, explain in scored:
            memo = remembered.get(cand.left_id)
            if cand.right_id in (getattr(memo, "rejected", ()) or ()):
                continue
            per_record.setdefault(cand.left_id, []).append((cand, prob, explain))
        for rec in rest:
            outcomes[rec.id] = _decide(rec.id, per_record.get(rec.id, []), thresholds,
                                       create_new)
    return outcomes


def _identifier_index(registry: Sequence[RecordView]) -> dict[tuple[str, str], int]:
    index = {}
    for v in registry:
        if v.os_id:
            index[("os", v.os_id.upper())] = v.id
        if v.bfc_id:
            index[("bfc", v.bfc_id.upper())] = v.id
    return index


def _by_identifier(rec: RecordView, index: Mapping) -> int | None:
    if rec.os_id and (fid := index.get(("os", rec.os_id.upper()))) is not None:
        return fid
    if rec.bfc_id and (fid := index.get(("bfc", rec.bfc_id.upper()))) is not None:
        return fid
    return None


def _score(pairs, incoming: Mapping[int, RecordView], registry: Mapping[int, RecordView],
           scorer) -> list[tuple]:
    """Each candidate's probability under the pair scorer. The features compare a facility
    by the most alike of its names (Khmer name, abbreviations, earlier spellings)."""
    from shopfloor.linkage.features import feature_matrix
    from shopfloor.linkage.scorer import PairScorer

    if not pairs:
        return []
    scorer = scorer or PairScorer.default()
    top: dict[int, float] = {}
    for c in pairs:
        top[c.left_id] = max(top.get(c.left_id, c.match_weight), c.match_weight)
    pairs = [c for c in pairs if c.match_weight >= top[c.left_id] - SCORE_WITHIN_BITS]
    matrix = feature_matrix([(incoming[c.left_id], registry[c.right_id]) for c in pairs])
    probs = scorer.predict_proba(matrix)
    return [(cand, float(p), (scorer, matrix[i]))
            for i, (cand, p) in enumerate(zip(pairs, probs, strict=True))]


def _decide(record_id: int, scored: list, thresholds: Thresholds, create_new: bool) -> Outcome:
    scored = sorted(scored, key=lambda s: (-s[1], -s[0].match_weight, s[0].right_id))
    candidates = [{"facility_id": c.right_id, "score": round(p, 4),
                   "splink_weight": round(c.match_weight, 3)}
                  for c, p, _ in scored[:EVIDENCE_CANDIDATES]]
    evidence: dict = {"method": "model", "candidates": candidates}
    if not scored:
        evidence["method"] = "no candidate"
        return Outcome(record_id, NEW if create_new else UNMATCHED, None, None, evidence)
    cand, prob, explain = scored[0]
    if explain is not None:
        scorer, x = explain
        evidence["contributions"] = [[name, round(float(v), 3)]
                                     for name, v in scorer.explain(x)]
    if prob >= thresholds.auto:
        if len(scored) > 1 and scored[1][1] >= thresholds.auto:
            evidence["ambiguous"] = True  # two facilities fit: a person decides
            return Outcome(record_id, PENDING, cand.right_id, prob, evidence)
        return Outcome(record_id, AUTOMATIC, cand.right_id, prob, evidence)
    if prob >= thresholds.review:
        others = scored[1:]
        runner_up = max((c.match_weight for c, _, _ in others), default=None)
        if ((runner_up is None or cand.match_weight - runner_up >= CLEAR_BEST_BITS)
                and all(p < RUNNER_UP_MAX for _, p, _ in others)):
            evidence["rule"] = "clear best"
            return Outcome(record_id, AUTOMATIC, cand.right_id, prob, evidence)
        if _clear_best_by_score(cand, prob, others, thresholds.auto):
            evidence["rule"] = "clear best by score"
            return Outcome(record_id, AUTOMATIC, cand.right_id, prob, evidence)
        return Outcome(record_id, PENDING, cand.right_id, prob, evidence)
    return Outcome(record_id, NEW if create_new else UNMATCHED, None, prob, evidence)


def _clear_best_by_score(cand, prob: float, others: list, auto: float) -> bool:
    """"Clear best" by the pair scorer, for a candidate it finds likely (at least the review
    threshold): splink ranks it first (ties allowed: its weights have few levels) and the
    scorer gives it at least ``auto / (1 - auto)`` times the odds of every other candidate
    (4 times at 0.8) — were the row one of the two, it would be this one with at least the
    automatic threshold's probability. The scorer's caution about a name without an address
    applies to every candidate alike; the margin says that of the registry facilities splink
    proposed, only this one looks like the row, to both judges. ``others``: (candidate,
    probability, explanation) of the other candidates, most probable first."""
    if any(c.match_weight > cand.match_weight for c, _, _ in others):
        return False
    if not others:
        return True
    return _odds(prob) >= _odds(auto) * _odds(others[0][1])


def _odds(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return p / (1 - p)


# --- the database side ---------------------------------------------------------------------


def match_records(records_qs=None, source=None, engine: str = "duckdb",
                  scorer=None, spark=None) -> MatchReport:
    """Match the records waiting for it (``pending``; of ``source`` or ``records_qs`` when
    given) against every live facility, and save each record's decision, score and evidence.

    Records of a union's own list (importer ``facility-list``) that match nothing stay
    pending without a facility (unmatched); other sources' unknown rows become facilities.
    """
    from django.db import transaction

    from shopfloor.linkage.decisions import remembered
    from shopfloor.models import Facility, FacilityRecord

    started = time.perf_counter()
    qs = records_qs if records_qs is not None else FacilityRecord.objects.all()
    qs = qs.filter(decision=FacilityRecord.Decision.PENDING).select_related("source")
    if source is not None:
        qs = qs.filter(source=source)
    records = list(qs.order_by("pk"))
    report = MatchReport(engine=engine, records=len(records))
    if not records:
        return report
    fields = ("id", "name", "name_km", "address", "country", "lat", "lng", "os_id", "bfc_id",
              "other_names")
    registry = [RecordView.of_facility(f) for f in
                Facility.objects.filter(merged_into__isnull=True).only(*fields)
                .iterator(chunk_size=5000)]
    prints = {r.pk: fingerprint(r.name, r.address, r.country) for r in records}
    memos = remembered(prints.values())
    by_record = {pk: memos[fp] for pk, fp in prints.items() if fp in memos}
    views = [RecordView.of_record(r) for r in records]
    union_list = {r.pk for r in records if r.source.importer == "facility-list"}
    outcomes = {}
    for create_new, group in ((True, [v for v in views if v.id not in union_list]),
                              (False, [v for v in views if v.id in union_list])):
        if group:
            outcomes.update(link(group, registry, engine=engine, remembered=by_record,
                                 scorer=scorer, thresholds=Thresholds.from_settings(),
                                 create_new=create_new, spark=spark))
    with transaction.atomic():
        report.created = _save(records, outcomes)
    report.counts.update(o.decision for o in outcomes.values())
    report.seconds = time.perf_counter() - started
    return report


def _save(records, outcomes: Mapping[int, Outcome]) -> int:
    """Write outcomes; new facilities are created once per (country, name, address) so two
    rows of one list about the same unknown factory make one facility."""
    from shopfloor.linkage.normalise import name_key
    from shopfloor.models import FacilityRecord

    Decision = FacilityRecord.Decision
    created: dict[tuple, object] = {}
    changed = []
    for rec in records:
        out = outcomes[rec.pk]
        rec.match_evidence = out.evidence
        rec.match_score = None if out.score is None else min(max(out.score, 0.0), 1.0)
        if out.decision == NEW:
            key = (rec.country or "KH", name_key(rec.name), " ".join(rec.address.split()))
            if key not in created:
                created[key] = _new_facility(rec)
            rec.facility, rec.decision = created[key], Decision.NEW
        elif out.decision == UNMATCHED:
            rec.facility_id, rec.decision = None, Decision.PENDING
        else:
            rec.facility_id = out.facility_id
            rec.decision = {AUTOMATIC: Decision.AUTOMATIC, CONFIRMED: Decision.CONFIRMED,
                            PENDING: Decision.PENDING}[out.decision]
        changed.append(rec)
    FacilityRecord.objects.bulk_update(
        changed, ["facility", "decision", "match_score", "match_evidence"], batch_size=500)
    return len(created)


def _new_facility(rec):
    from shopfloor.linkage.khmer import has_khmer
    from shopfloor.models import Facility

    ids = {}
    if rec.os_id and not Facility.objects.filter(os_id=rec.os_id).exists():
        ids["os_id"] = rec.os_id
    if rec.bfc_id and not Facility.objects.filter(bfc_id=rec.bfc_id).exists():
        ids["bfc_id"] = rec.bfc_id
    geo = {"lat": rec.lat, "lng": rec.lng} if rec.lat is not None and rec.lng is not None else {}
    return Facility.objects.create(
        name=rec.name[:300], name_km=rec.name[:300] if has_khmer(rec.name) else "",
        address=rec.address, country=rec.country or "KH", **geo, **ids)
