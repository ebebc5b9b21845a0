"""Which factories and whose evidence a report covers: a watchlist's factories, the
factories a union organises in, a union with its affiliates.

The discrepancy command, the shadow report and their pages pick their factories with these
functions, so that "the factories of union X" means the same everywhere.

>>> unions = union_and_affiliates(federation)        # doctest: +SKIP
>>> facilities = union_facilities(unions)            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from shopfloor.models import Case, Facility, MonitoringIssue, Organisation, Watchlist


def find_organisation(name: str) -> Organisation:
    """The organisation called ``name`` (case-insensitive) or with that id. Raises
    :class:`Organisation.DoesNotExist` with a readable message."""
    found = Organisation.objects.filter(name__iexact=name.strip()).first()
    if found is None and name.strip().isdigit():
        found = Organisation.objects.filter(pk=int(name)).first()
    if found is None:
        raise Organisation.DoesNotExist(f"no organisation called {name!r}")
    return found


def union_and_affiliates(organisation: Organisation) -> list[Organisation]:
    """The organisation and the organisations affiliated to it (a federation's factory
    unions): whose workspace records count as "this union's evidence"."""
    return list(Organisation.objects.filter(Q(pk=organisation.pk) | Q(parent=organisation))
                .order_by("name"))


def union_facilities(unions: Iterable[Organisation]) -> QuerySet[Facility]:
    """The factories where any of ``unions`` organises, by name."""
    return (Facility.objects.filter(organisations__in=[u.pk for u in unions],
                                    merged_into__isnull=True)
            .distinct().order_by("name", "pk"))


def watchlist_facilities(watchlist: Watchlist) -> QuerySet[Facility]:
    """The live factories a watchlist's rows are matched to, by name."""
    from shopfloor.watchlists import facility_ids

    return Facility.objects.filter(pk__in=facility_ids(watchlist)).order_by("name", "pk")


def facilities_with_evidence(unions: Iterable[Organisation] | None = None
                             ) -> QuerySet[Facility]:
    """The factories with union issues or cases (of ``unions`` only, if given)."""
    issues, cases = MonitoringIssue.objects.all(), Case.objects.all()
    if unions is not None:
        ids = [u.pk for u in unions]
        issues, cases = issues.filter(organisation__in=ids), cases.filter(organisation__in=ids)
    return (Facility.objects.filter(Q(pk__in=issues.values("facility"))
                                    | Q(pk__in=cases.values("facility")))
            .order_by("name", "pk"))
