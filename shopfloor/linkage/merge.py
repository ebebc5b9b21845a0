"""Exact duplicates inside the registry, and merging them with their history.

Open Supply Hub users complain of duplicates nobody merges. A pair is an *exact* duplicate
when one facility carries an identifier (OS ID, BFC ID) that a record of the other gave, or
when both have the same normalised name in one country at a compatible address — and they
do not carry different identifiers of the same kind (two OS IDs are two sites). Merging moves
everything to the facility kept and leaves the duplicate as a pointer (``merged_into``), so
links to its old id keep working.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from shopfloor.linkage.normalise import name_key, same_site
from shopfloor.models import (
    Assessment,
    Datapoint,
    Facility,
    FacilityRecord,
    Membership,
    Organisation,
    Relationship,
)

#: Facilities sharing one name key beyond this many are a generic name, not one factory
#: listed twice; comparing them pairwise would also be quadratic.
MAX_SAME_NAME = 50


@dataclass
class DuplicateGroup:
    """Facilities that are one factory: ``keep`` survives, ``duplicates`` merge into it."""

    keep: Facility
    duplicates: list[Facility]
    reasons: list[str] = field(default_factory=list)


def _conflict(a: Facility, b: Facility) -> bool:
    return bool((a.os_id and b.os_id and a.os_id.upper() != b.os_id.upper())
                or (a.bfc_id and b.bfc_id and a.bfc_id.upper() != b.bfc_id.upper()))


class _Groups:
    """Union-find over facility ids, keeping why each pair was joined."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.reasons[ra] += self.reasons.pop(rb, []) + [reason]


def find_duplicates() -> list[DuplicateGroup]:
    """Groups of live (not merged) facilities that are exact duplicates, the one to keep
    first: the one with an OS ID, then the most records, then the oldest."""
    fields = ("id", "name", "name_km", "address", "country", "os_id", "bfc_id")
    facs = {f.pk: f for f in Facility.objects.filter(merged_into__isnull=True).only(*fields)
            .iterator(chunk_size=5000)}
    counts = dict(FacilityRecord.objects.exclude(facility=None).values("facility_id")
                  .annotate(n=Count("id")).values_list("facility_id", "n"))
    for pk, fac in facs.items():
        fac.n_records = counts.get(pk, 0)
    groups = _Groups()

    def join(a: Facility, b: Facility, reason: str) -> None:
        if a.pk != b.pk and not _conflict(a, b):
            groups.join(a.pk, b.pk, reason)

    # Identifiers a record gave, pointing at a different facility than the one holding them.
    by_os = {f.os_id.upper(): f for f in facs.values() if f.os_id}
    by_bfc = {f.bfc_id.upper(): f for f in facs.values() if f.bfc_id}
    records = (FacilityRecord.objects.filter(facility__merged_into__isnull=True)
               .exclude(facility=None).exclude(os_id="", bfc_id="")
               .values_list("facility_id", "os_id", "bfc_id"))
    for fid, os_id, bfc_id in records.iterator():
        fac = facs.get(fid)
        if fac is None:
            continue
        if os_id and (other := by_os.get(os_id.upper())) and not fac.os_id:
            join(other, fac, f"same OS ID {os_id.upper()}")
        if bfc_id and (other := by_bfc.get(bfc_id.upper())) and not fac.bfc_id:
            join(other, fac, f"same BFC ID {bfc_id}")

    # Same name (Latin or Khmer) in one country at a compatible address.
    by_name: dict[tuple[str, str], list[Facility]] = defaultdict(list)
    for fac in facs.values():
        for name in {fac.name, fac.name_km} - {""}:
            by_name[(fac.country, name_key(name))].append(fac)
    for (_country, key), same in by_name.items():
        if len(same) > MAX_SAME_NAME:  # a generic name ("garment"): not an exact duplicate
            continue
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                if same_site(a.address, b.address):
                    join(a, b, f"same name {key!r} at a compatible address")

    members: dict[int, list[Facility]] = defaultdict(list)
    for pk in list(groups.parent):
        members[groups.find(pk)].append(facs[pk])
    out = []
    for root, group in members.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: (not f.os_id, -f.n_records, f.pk))
        # Joining by transitivity can bring two identifiers together: keep only those
        # that do not conflict with the facility kept.
        keep, rest = group[0], [f for f in group[1:] if not _conflict(group[0], f)]
        if rest:
            out.append(DuplicateGroup(keep, rest, sorted(set(groups.reasons[root]))))
    return sorted(out, key=lambda g: g.keep.name)


def _move_assessments(keep: Facility, duplicate: Facility) -> None:
    """Move the duplicate's assessments; where both have the same programme and cycle, the
    findings the kept assessment lacks move into it and the rest go with the duplicate's."""
    kept = {(a.programme, a.cycle): a for a in keep.assessments.all()}
    for assessment in list(duplicate.assessments.all()):
        twin = kept.get((assessment.programme, assessment.cycle))
        if twin is None:
            assessment.facility = keep
            assessment.save(update_fields=["facility"])
            continue
        have = set(twin.findings.values_list("criterion_id", flat=True))
        assessment.findings.exclude(criterion_id__in=have).update(assessment=twin)
        if twin.assessed_on is None and assessment.assessed_on:
            twin.assessed_on = assessment.assessed_on
            twin.save(update_fields=["assessed_on"])
        assessment.delete()


def _move_decisions(keep: Facility, duplicate: Facility) -> None:
    """Decisions about the duplicate become decisions about the kept facility; where both
    exist for one fingerprint the newer verdict wins."""
    kept = {d.fingerprint: d for d in keep.match_decisions.all()}
    for decision in list(duplicate.match_decisions.all()):
        twin = kept.get(decision.fingerprint)
        if twin is None:
            decision.facility = keep
            decision.save(update_fields=["facility"])
        elif decision.decided_at > twin.decided_at:
            twin.delete()
            decision.facility = keep
            decision.save(update_fields=["facility"])
        else:
            decision.delete()


def _fill(keep: Facility, duplicate: Facility) -> list[str]:
    """Copy what the kept facility lacks; the duplicate's names become other names."""
    changed = []
    for attr in ("name_km", "address", "province"):
        if not getattr(keep, attr) and getattr(duplicate, attr):
            setattr(keep, attr, getattr(duplicate, attr))
            changed.append(attr)
    if keep.lat is None and duplicate.lat is not None:
        keep.lat, keep.lng = duplicate.lat, duplicate.lng
        changed += ["lat", "lng"]
    for attr in ("os_id", "bfc_id"):  # unique: the identifier moves, it is not copied
        if not getattr(keep, attr) and getattr(duplicate, attr):
            setattr(keep, attr, getattr(duplicate, attr))
            setattr(duplicate, attr, None)
            duplicate.save(update_fields=[attr])
            changed.append(attr)
    keys = {name_key(n) for n in keep.all_names}
    extra = []
    for name in duplicate.all_names:
        if name_key(name) not in keys:
            keys.add(name_key(name))
            extra.append(name)
    if extra:
        keep.other_names = [*keep.other_names, *extra]
        changed.append("other_names")
    return changed


@transaction.atomic
def merge(keep: Facility, duplicate: Facility) -> Facility:
    """Merge ``duplicate`` into ``keep``: records, relationships, datapoints, assessments
    (same cycle: findings combined), organisations, memberships' factories and match
    decisions move; ``duplicate.merged_into`` is set so its id keeps resolving. Returns
    ``keep``."""
    if keep.pk == duplicate.pk:
        raise ValueError("a facility cannot be merged into itself")
    if keep.merged_into_id is not None:
        raise ValueError(f"{keep} was itself merged into facility #{keep.merged_into_id}")
    FacilityRecord.objects.filter(facility=duplicate).update(facility=keep)
    Relationship.objects.filter(facility=duplicate).update(facility=keep)
    Datapoint.objects.filter(facility=duplicate).update(facility=keep)
    _move_assessments(keep, duplicate)
    _move_decisions(keep, duplicate)
    for org in Organisation.objects.filter(facilities=duplicate):
        org.facilities.add(keep)
        org.facilities.remove(duplicate)
    for membership in Membership.objects.filter(facilities=duplicate):
        membership.facilities.add(keep)
        membership.facilities.remove(duplicate)
    changed = _fill(keep, duplicate)
    if changed:
        keep.save(update_fields=[*changed, "updated_at"])
    Facility.objects.filter(merged_into=duplicate).update(merged_into=keep)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    assert not Assessment.objects.filter(facility=duplicate).exists()
    from shopfloor.search import refresh_search_keys  # the duplicate's names are keep's now

    refresh_search_keys([keep.pk])
    return keep


def merge_duplicates(dry_run: bool = False) -> list[DuplicateGroup]:
    """Find the exact duplicates and (unless ``dry_run``) merge each group into its first
    facility. Returns the groups."""
    groups = find_duplicates()
    if not dry_run:
        with transaction.atomic():
            for group in groups:
                for duplicate in group.duplicates:
                    merge(group.keep, duplicate)
    return groups


def resolve(facility_id: int) -> Facility | None:
    """The live facility an id stands for, following merges (``None`` if unknown)."""
    fac = Facility.objects.filter(pk=facility_id).first()
    seen = set()
    while fac is not None and fac.merged_into_id and fac.pk not in seen:
        seen.add(fac.pk)
        fac = fac.merged_into
    return fac
