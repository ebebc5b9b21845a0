"""How other factories fared on each compliance criterion: the share non-compliant in their
latest assessment, in the facility's province and in its country.

For one programme (e.g. BFC) and one country, every open facility (not closed, not merged
into another) that has an assessment of the programme contributes its *latest* assessment
(the highest cycle). For each criterion, ``assessed`` counts those whose latest assessment
has a compliant or non-compliant finding on it ("not assessed" does not count) and
``non_compliant`` those with a non-compliant one. The facility itself is one of them.
Provinces are compared as stored.

One aggregate query per (programme, country) gives every province and the country total;
its result is cached with Django's cache framework under a key that includes a cheap data
version: the highest Assessment and Finding ids (an import adds rows, so the key changes at
once), and a count of assessments and findings saved by this process (an edit in the admin
shows at once). Deletions, and edits made by other processes or by ``QuerySet.update``,
leave both alone: entries also expire after :data:`CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver

from shopfloor.models import Assessment, Facility, Finding

#: How long a cached aggregate is used at most (seconds).
CACHE_SECONDS = 600
#: Below this many assessed factories a share is not worth a percentage: "2 of 3".
SMALL_GROUP = 10

_NC = Finding.Status.NON_COMPLIANT
#: assessments and findings saved in this process (see the module's docstring)
_saved = [0]
_ASSESSED = (Finding.Status.COMPLIANT, Finding.Status.NON_COMPLIANT)


@dataclass(frozen=True)
class PeerCount:
    """Of ``assessed`` factories, ``non_compliant`` were non-compliant on the criterion."""

    non_compliant: int
    assessed: int

    @property
    def percent(self) -> int | None:
        if not self.assessed:
            return None
        return round(100 * self.non_compliant / self.assessed)

    @property
    def small(self) -> bool:
        """Too few factories for a percentage to mean much."""
        return self.assessed < SMALL_GROUP


@dataclass(frozen=True)
class CriterionPeers:
    """One criterion: the facility's province (None without a province) and its country."""

    province: PeerCount | None
    country: PeerCount


@dataclass
class Peers:
    """Peer counts for one programme, by criterion id."""

    programme: str
    country: str
    province: str
    criteria: dict[int, CriterionPeers]

    def get(self, criterion_id: int) -> CriterionPeers | None:
        return self.criteria.get(criterion_id)


def version_expressions() -> dict[str, Subquery]:
    """The data version as annotations, so that it rides along an assessments query that runs
    anyway (the facility page's) instead of costing a query of its own."""
    return {
        "_peers_a": Subquery(Assessment.objects.order_by("-pk").values("pk")[:1]),
        "_peers_f": Subquery(Finding.objects.order_by("-pk").values("pk")[:1]),
    }


def data_version() -> str:
    """The highest Assessment and Finding ids, as a cache-key part (one cheap query)."""
    row = Assessment.objects.annotate(**version_expressions()).values_list(
        "_peers_a", "_peers_f").order_by()[:1]
    return _version(*(row[0] if row else (None, None)))


def version_of(assessment: Assessment) -> str:
    """The data version read from an assessment annotated with :func:`version_expressions`."""
    return _version(assessment._peers_a, assessment._peers_f)


def _version(last_assessment, last_finding) -> str:
    return f"{last_assessment or 0}.{last_finding or 0}.{os.getpid()}-{_saved[0]}"


# Only post_save: a delete receiver would stop Django from deleting a source's findings in
# bulk.
@receiver(post_save, sender=Assessment, dispatch_uid="shopfloor_peers_assessment_saved")
@receiver(post_save, sender=Finding, dispatch_uid="shopfloor_peers_finding_saved")
def _count_saved(**kwargs) -> None:
    _saved[0] += 1


def peer_table(programme: str, country: str, version: str | None = None) -> dict:
    """Counts for every province of ``country`` and the country, one programme, cached:
    ``{"provinces": {province: {criterion_id: (nc, assessed)}}, "country": {...}}``."""
    version = version or data_version()
    digest = hashlib.sha256(f"{programme}\0{country}".encode()).hexdigest()[:16]
    key = f"shopfloor:peers:1:{digest}:{version}"
    table = cache.get(key)
    if table is None:
        table = _aggregate(programme, country)
        cache.set(key, table, CACHE_SECONDS)
    return table


def _aggregate(programme: str, country: str) -> dict:
    later = Assessment.objects.filter(
        facility_id=OuterRef("assessment__facility_id"), programme=programme,
        cycle__gt=OuterRef("assessment__cycle"),
    )
    rows = (
        Finding.objects.filter(
            assessment__programme=programme, assessment__facility__country=country,
            assessment__facility__merged_into__isnull=True,
            assessment__facility__is_closed=False,
        )
        .exclude(Exists(later))
        .values_list("assessment__facility__province", "criterion_id")
        .annotate(nc=Count("pk", filter=Q(status=_NC)),
                  assessed=Count("pk", filter=Q(status__in=_ASSESSED)))
        .order_by()
    )
    provinces: dict[str, dict[int, tuple[int, int]]] = {}
    total: dict[int, tuple[int, int]] = {}
    for province, criterion_id, nc, assessed in rows:
        provinces.setdefault(province, {})[criterion_id] = (nc, assessed)
        before = total.get(criterion_id, (0, 0))
        total[criterion_id] = (before[0] + nc, before[1] + assessed)
    return {"provinces": provinces, "country": total}


def facility_peers(facility: Facility, programmes: Iterable[str],
                   version: str | None = None) -> dict[str, Peers]:
    """For each programme, the facility's province and country counts per criterion: one
    aggregate query per programme when not cached (plus one for the version if not given)."""
    result = {}
    for programme in sorted(set(programmes)):
        table = peer_table(programme, facility.country, version)
        in_province = table["provinces"].get(facility.province, {}) if facility.province else {}
        criteria = {}
        for criterion_id, (nc, assessed) in table["country"].items():
            local = in_province.get(criterion_id)
            criteria[criterion_id] = CriterionPeers(
                province=PeerCount(*local) if local and facility.province else None,
                country=PeerCount(nc, assessed),
            )
        result[programme] = Peers(programme, facility.country, facility.province, criteria)
    return result
