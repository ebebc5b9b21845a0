"""Who reads and writes what is in the union workspace (see :mod:`shopfloor.access` for the
roles and the building blocks)."""

from __future__ import annotations

from django.db.models import Q

from shopfloor.access import (
    READER_ROLES,
    REVIEW_ROLES,
    Role,
    _active,
    _covered_facilities,
    _memberships,
    _organisations,
    brand_facilities,
    can_read_facility_evidence,
)
from shopfloor.models import Facility, Organisation

# -- the union workspace -----------------------------------------------------------------
#
# A workspace record (issue, meeting, case, count, file, reading) belongs to one union and
# one factory. Several unions often organise at one factory, some close to management, so
# only the record's own union reads it: its admins and researchers (and its federation's,
# read-only), and its union reps at the factories named on their membership. Brand viewers
# and the public never read records, only suppressed aggregates (shopfloor.evidence).


def workspace_q(user, prefix: str = "") -> Q:
    """A filter for workspace records ``user`` may read, the record reached by ``prefix``
    (e.g. ``"issue__"`` for an issue's history): ``MonitoringIssue.objects.filter(
    workspace_q(user))``."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    q = Q(**{f"{prefix}organisation__in": _organisations(user, REVIEW_ROLES)})
    for m in _memberships(user, [Role.UNION_REP]):
        q |= Q(**{f"{prefix}organisation_id": m.organisation_id,
                  f"{prefix}facility__in": m.facilities.values("pk")})
    return q


def can_read_workspace(user, organisation, facility) -> bool:
    """Whether ``user`` reads the workspace of ``organisation`` at ``facility``: staff,
    the union's (or its federation's) admins and researchers, its reps at the factory."""
    if not _active(user):
        return False
    if user.is_staff:
        return True
    org_id = getattr(organisation, "pk", organisation)
    if _organisations(user, REVIEW_ROLES).filter(pk=org_id).exists():
        return True
    return _memberships(user, [Role.UNION_REP]).filter(
        organisation_id=org_id, facilities=getattr(facility, "pk", facility)).exists()


def can_read_record(user, record) -> bool:
    """:func:`can_read_workspace` for one record (anything with an organisation and a
    facility)."""
    return can_read_workspace(user, record.organisation_id, record.facility_id)


def can_build_leverage_pack(user, record) -> bool:
    """Whether ``user`` may build the buyer-leverage pack of a case or monitoring issue
    (the brands, laws, letters and the record's evidence files): whoever reads the
    record's union workspace (:func:`can_read_record`) — never a brand viewer, another
    union or the public. The command line builds packs as the server
    (``shopfloor.reports.leverage.SYSTEM``)."""
    return can_read_record(user, record)


def can_write_workspace(user, organisation, facility) -> bool:
    """Whether ``user`` records evidence for ``organisation`` at ``facility``: staff, the
    union's own admins and researchers (not its federation's), its reps at the factory."""
    if not _active(user):
        return False
    if user.is_staff:
        return True
    org_id = getattr(organisation, "pk", organisation)
    fac_id = getattr(facility, "pk", facility)
    if _memberships(user, REVIEW_ROLES).filter(organisation_id=org_id).exists():
        return Organisation.objects.filter(
            Q(pk=org_id) & (Q(facilities=fac_id) | Q(affiliates__facilities=fac_id))).exists()
    return _memberships(user, [Role.UNION_REP]).filter(
        organisation_id=org_id, facilities=fac_id).exists()


def can_write_record(user, record) -> bool:
    return can_write_workspace(user, record.organisation_id, record.facility_id)


def writable_workspaces(user) -> list[tuple[Organisation, Facility]]:
    """Every (union, factory) pair ``user`` may record evidence for, by factory name."""
    if not _active(user):
        return []
    pairs: dict[tuple[int, int], tuple[Organisation, Facility]] = {}
    for m in _memberships(user).select_related("organisation"):
        org = m.organisation
        if m.role == Role.UNION_REP:
            facilities = m.facilities.all()
        elif m.role in REVIEW_ROLES:
            facilities = Facility.objects.filter(Q(organisations=org)
                                                 | Q(organisations__parent=org)).distinct()
        else:
            continue
        for facility in facilities:
            pairs[(org.pk, facility.pk)] = (org, facility)
    return sorted(pairs.values(), key=lambda p: (p[1].name, p[0].name))


def can_read_original(user, file) -> bool:
    """Whether ``user`` may open the untouched original of an evidence file (with its
    EXIF/GPS): staff, and the owning union's own admins and researchers. Everyone else who
    reads the record sees the metadata-free copies only."""
    if not _active(user):
        return False
    if user.is_staff:
        return True
    return _memberships(user, REVIEW_ROLES).filter(
        organisation_id=file.organisation_id).exists()


def can_see_workspace_aggregates(user, facility) -> bool:
    """Whether ``user`` sees the suppressed aggregates of union evidence at ``facility``
    (counts of open issues by topic, cases by kind): whoever reads its evidence, a brand
    viewer whose brand buys from it, members of an organisation organising there. Not the
    anonymous public: a union publishes deliberately, through the shadow report."""
    if not _active(user):
        return False
    if user.is_staff or can_read_facility_evidence(user, facility):
        return True
    if brand_facilities(user).filter(pk=facility.pk).exists():
        return True
    return _covered_facilities(user, READER_ROLES).filter(pk=facility.pk).exists()
