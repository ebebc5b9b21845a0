"""Who may do what. Each rule is one function, called by pages, commands and the API alike,
so a rule changes in one place.

Access is denied unless granted: by organisation and role (see :class:`Membership.Role`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shopfloor.models import Membership, Organisation, Source

#: Roles whose members may confirm or reject matches of their organisation's lists.
REVIEW_ROLES = (Membership.Role.ADMIN, Membership.Role.RESEARCHER)


def _review_organisations(user) -> QuerySet[Organisation]:
    """Organisations where the user reviews: those with an admin/researcher membership and
    their affiliates (a federation's researcher reviews its factory unions' lists)."""
    own = Organisation.objects.filter(memberships__user=user,
                                      memberships__role__in=REVIEW_ROLES)
    return Organisation.objects.filter(Q(pk__in=own) | Q(parent__in=own)).distinct()


def can_review(user, source: Source | None = None) -> bool:
    """Whether ``user`` may confirm or reject matches (of ``source``'s records, if given).

    Staff may review everything. Otherwise the user needs the admin or researcher role in
    some organisation; a list contributed by an organisation is reviewed only by that
    organisation's (or its federation's) admins and researchers, because which factories a
    union follows is the union's business. Anonymous and inactive users never review.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    if source is None or source.organisation_id is None:
        return Membership.objects.filter(user=user, role__in=REVIEW_ROLES).exists()
    return _review_organisations(user).filter(pk=source.organisation_id).exists()


def reviewable_sources(user) -> QuerySet[Source]:
    """The sources whose records ``user`` may review (none for a user who may not)."""
    if not can_review(user):
        return Source.objects.none()
    if user.is_staff:
        return Source.objects.all()
    return Source.objects.filter(Q(organisation__isnull=True)
                                 | Q(organisation__in=_review_organisations(user)))


def can_see_watchlist(user, watchlist) -> bool:
    """Whether ``user`` may read a watchlist: staff, or any member of its organisation (or
    of that organisation's federation); a watchlist without organisation is for staff and
    whoever created it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or (watchlist.created_by_id and watchlist.created_by_id == user.pk):
        return True
    org = watchlist.organisation
    if org is None:
        return False
    orgs = {org.pk, org.parent_id} - {None}
    return Membership.objects.filter(user=user, organisation__in=orgs).exclude(
        role=Membership.Role.BRAND_VIEWER).exists()


def visible_watchlists(user):
    """The watchlists ``user`` may read."""
    from shopfloor.models import Watchlist

    qs = Watchlist.objects.select_related("organisation", "source")
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_staff:
        return qs
    orgs = Membership.objects.filter(user=user).exclude(
        role=Membership.Role.BRAND_VIEWER).values("organisation")
    return qs.filter(Q(created_by=user) | Q(organisation__in=orgs)
                     | Q(organisation__parent__in=orgs)).distinct()
