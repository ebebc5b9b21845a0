"""People's match decisions: made once, remembered by the record's fingerprint, reused.

Open Supply Hub users must confirm or reject the same match on every re-upload. Here each
verdict is stored as a :class:`~shopfloor.models.MatchDecision` keyed by the record's
fingerprint (normalised name, address and country), so the same row in a later upload is
resolved without asking again: the matcher calls :func:`remembered` first.

A record's alternatives are the ``candidates`` list in its ``match_evidence``
(``[{"facility_id": int, "score": float, ...}, ...]``, best first); rejecting the current
candidate moves the record to the next one nobody rejected, or leaves it pending without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shopfloor.linkage.normalise import name_key
from shopfloor.linkage.records import fingerprint
from shopfloor.models import Facility, FacilityRecord, MatchDecision

Decision = FacilityRecord.Decision
_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
Verdict = MatchDecision.Verdict


@dataclass
class Remembered:
    """What people decided about one fingerprint: facilities it is, and is not."""

    confirmed: set[int] = field(default_factory=set)
    rejected: set[int] = field(default_factory=set)

    @property
    def facility_id(self) -> int | None:
        """The one confirmed facility, if people agreed on exactly one."""
        return next(iter(self.confirmed)) if len(self.confirmed) == 1 else None


def record_fingerprint(record: FacilityRecord) -> str:
    return fingerprint(record.name, record.address, record.country)


def resolve_merged(facility_ids: Iterable[int]) -> dict[int, int]:
    """Each id → the id it was finally merged into (itself when it was never merged), so a
    decision about a duplicate that has since been merged still points at a live facility."""
    ids = set(facility_ids)
    target = {i: i for i in ids}
    pending = ids
    for _hop in range(20):  # merge chains are short; the bound guards against a cycle
        step = dict(Facility.objects.filter(pk__in=pending, merged_into__isnull=False)
                    .values_list("pk", "merged_into_id"))
        if not step:
            break
        for start, current in target.items():
            if current in step:
                target[start] = step[current]
        pending = set(step.values())
    return target


def remembered(fingerprints: Iterable[str]) -> dict[str, Remembered]:
    """Stored verdicts for these fingerprints (only those with at least one), merged
    facilities resolved to the facility they now are. One query per 1,000 fingerprints
    (plus merge resolution)."""
    wanted = list(dict.fromkeys(fingerprints))
    rows: list[tuple[str, int, str]] = []
    for i in range(0, len(wanted), 1000):
        rows += MatchDecision.objects.filter(fingerprint__in=wanted[i:i + 1000]).values_list(
            "fingerprint", "facility_id", "verdict")
    live = resolve_merged(fid for _, fid, _ in rows)
    out: dict[str, Remembered] = {}
    for fp, fid, verdict in rows:
        memo = out.setdefault(fp, Remembered())
        (memo.confirmed if verdict == Verdict.CONFIRMED else memo.rejected).add(live[fid])
    for memo in out.values():
        memo.rejected -= memo.confirmed
    return out


def _store(record: FacilityRecord, facility: Facility, verdict: str, user) -> MatchDecision:
    decision, _ = MatchDecision.objects.update_or_create(
        fingerprint=record_fingerprint(record), facility=facility,
        defaults={"verdict": verdict, "record": record, "decided_by": user})
    return decision


def _learn_name(record: FacilityRecord, facility: Facility) -> None:
    """Keep the record's spelling as one of the facility's names, so the importers' exact
    matching finds the next row written the same way (a Khmer name fills ``name_km``)."""
    known = {name_key(n) for n in facility.all_names}
    if not record.name or name_key(record.name) in known:
        return
    if bool(_KHMER.search(record.name)) and not facility.name_km:
        facility.name_km = record.name[:300]
        facility.save(update_fields=["name_km", "updated_at"])
    else:
        facility.other_names = [*facility.other_names, record.name[:300]]
        facility.save(update_fields=["other_names", "updated_at"])


def _set(record: FacilityRecord, *, facility, decision: str, user, score=...) -> None:
    record.facility = facility
    record.decision = decision
    record.decided_by = user if decision in (Decision.CONFIRMED, Decision.NEW,
                                              Decision.REJECTED) else None
    record.decided_at = timezone.now() if record.decided_by or user else None
    fields = ["facility", "decision", "decided_by", "decided_at"]
    if score is not ...:
        record.match_score = score
        fields.append("match_score")
    record.save(update_fields=fields)


@transaction.atomic
def confirm(record: FacilityRecord, facility: Facility, user=None) -> FacilityRecord:
    """The record is this facility. Any other facility confirmed earlier for the same
    fingerprint becomes a rejection: a row describes one factory."""
    facility = Facility.objects.get(pk=resolve_merged([facility.pk])[facility.pk])
    fp = record_fingerprint(record)
    MatchDecision.objects.filter(fingerprint=fp, verdict=Verdict.CONFIRMED).exclude(
        facility=facility).update(verdict=Verdict.REJECTED)
    _store(record, facility, Verdict.CONFIRMED, user)
    _learn_name(record, facility)
    _set(record, facility=facility, decision=Decision.CONFIRMED, user=user)
    return record


def candidates(record: FacilityRecord) -> list[tuple[int, float | None]]:
    """``(facility id, score)`` of the matcher's candidates for the record, best first."""
    out = []
    for cand in (record.match_evidence or {}).get("candidates", []) or []:
        fid = cand.get("facility_id", cand.get("facility")) if isinstance(cand, dict) else None
        if isinstance(fid, int):
            out.append((fid, cand.get("score")))
    return out


def _next_candidate(record: FacilityRecord, rejected: set[int]) -> tuple[int, float | None]:
    cands = candidates(record)
    live = resolve_merged(fid for fid, _ in cands)
    existing = set(Facility.objects.filter(pk__in=set(live.values())).values_list(
        "pk", flat=True))
    for fid, score in cands:
        target = live[fid]
        if target not in rejected and target in existing:
            return target, score
    return None, None


@transaction.atomic
def reject(record: FacilityRecord, facility: Facility, user=None) -> FacilityRecord:
    """The record is not this facility. It moves to the matcher's next candidate that
    nobody rejected (still pending), or stays pending without a candidate."""
    _store(record, facility, Verdict.REJECTED, user)
    memo = remembered([record_fingerprint(record)]).get(record_fingerprint(record))
    rejected = memo.rejected if memo else {facility.pk}
    fid, score = _next_candidate(record, rejected | {facility.pk})
    _set(record, facility=Facility.objects.get(pk=fid) if fid else None,
         decision=Decision.PENDING, user=None, score=score)
    if user is not None:  # who last touched it, even though it waits for another look
        record.decided_by, record.decided_at = user, timezone.now()
        record.save(update_fields=["decided_by", "decided_at"])
    return record


@transaction.atomic
def make_new_facility(record: FacilityRecord, user=None) -> Facility:
    """The record is a factory the registry does not know: create it from the record and
    remember that (and that the candidate it was offered is not it)."""
    if record.facility_id is not None and record.decision == Decision.PENDING:
        _store(record, record.facility, Verdict.REJECTED, user)
    khmer = bool(_KHMER.search(record.name))
    ids = {}
    if record.os_id and not Facility.objects.filter(os_id=record.os_id).exists():
        ids["os_id"] = record.os_id
    if record.bfc_id and not Facility.objects.filter(bfc_id=record.bfc_id).exists():
        ids["bfc_id"] = record.bfc_id
    province = str((record.raw or {}).get("Province") or (record.raw or {}).get("province")
                   or "")[:100]
    facility = Facility.objects.create(
        name=record.name[:300], name_km=record.name[:300] if khmer else "",
        address=record.address, country=record.country or "KH", province=province,
        lat=record.lat if record.lng is not None else None,
        lng=record.lng if record.lat is not None else None, **ids)
    _store(record, facility, Verdict.CONFIRMED, user)
    _set(record, facility=facility, decision=Decision.NEW, user=user, score=None)
    return facility


def apply_remembered(records: Iterable[FacilityRecord]) -> dict[str, int]:
    """Resolve pending records from earlier verdicts: a confirmed facility links the record
    (``confirmed``); a rejected candidate is replaced by the next one or dropped. Used after
    an import when the full matcher does not run; the matcher does the same itself.
    Returns counts ``{"confirmed": n, "moved": n}``."""
    records = [r for r in records if r.decision == Decision.PENDING]
    memos = remembered(record_fingerprint(r) for r in records)
    counts = {"confirmed": 0, "moved": 0}
    facilities = Facility.objects.in_bulk(
        {m.facility_id for m in memos.values() if m.facility_id})
    for rec in records:
        memo = memos.get(record_fingerprint(rec))
        if memo is None:
            continue
        fid = memo.facility_id
        if fid in facilities:
            decided = (MatchDecision.objects.filter(fingerprint=record_fingerprint(rec),
                                                    verdict=Verdict.CONFIRMED)
                       .order_by("-decided_at").values_list("decided_by", flat=True).first())
            rec.facility, rec.decision = facilities[fid], Decision.CONFIRMED
            rec.decided_by_id, rec.decided_at = decided, timezone.now()
            rec.save(update_fields=["facility", "decision", "decided_by", "decided_at"])
            counts["confirmed"] += 1
        elif rec.facility_id in memo.rejected:
            fid, score = _next_candidate(rec, memo.rejected)
            rec.facility_id, rec.match_score = fid, score
            rec.save(update_fields=["facility", "match_score"])
            counts["moved"] += 1
    return counts


def review_queue(source=None) -> QuerySet[FacilityRecord]:
    """Records waiting for a person: pending, with a candidate facility to confirm or
    reject. Rows with no candidate left are not questions (they are unmatched)."""
    qs = (FacilityRecord.objects.filter(decision=Decision.PENDING, facility__isnull=False)
          .select_related("facility", "source"))
    if source is not None:
        qs = qs.filter(source=source)
    return qs.order_by("source_id", "row_number", "pk")


def evidence_rows(record: FacilityRecord) -> list[tuple[str, str]]:
    """The matcher's evidence for a record as ``(label, value)`` lines for reviewers:
    feature contributions first (``contributions`` or ``explain``: ``[[feature,
    contribution], ...]``), then feature values (``features``: ``{name: value}``), then any
    other plain values (method, rule, ...)."""
    evidence = record.match_evidence or {}
    rows: list[tuple[str, str]] = []
    contributions = evidence.get("contributions") or evidence.get("explain") or []
    for item in contributions:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            rows.append((_label(item[0]), _fmt(item[1], signed=True)))
    features = evidence.get("features") or {}
    if isinstance(features, dict):
        rows += [(_label(k), _fmt(v)) for k, v in features.items()]
    for key, value in evidence.items():
        if key in ("contributions", "explain", "features", "candidates"):
            continue
        if isinstance(value, (str, int, float, bool)) or value is None:
            rows.append((_label(key), _fmt(value)))
    return rows


_EVIDENCE_LABELS = {
    "method": _("how it was matched"),
    "rule": _("rule"),
    "ambiguous": _("more than one facility fits"),
}


def _label(key) -> str:
    """A feature or evidence key as reviewers read it, in the active language."""
    from shopfloor.linkage.features import FEATURE_LABELS

    key = str(key)
    return str(FEATURE_LABELS.get(key) or _EVIDENCE_LABELS.get(key) or key)


def _fmt(value, signed: bool = False) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:+.2f}" if signed else f"{value:.2f}"
    return str(value)
