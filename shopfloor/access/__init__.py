"""Who may do what: the one place for permissions. Pages, commands and the API call these
functions (or ``user.has_perm("shopfloor.…", obj)``, which runs the same predicates), so a
rule changes in one place. Access is denied unless granted.

Roles (see :class:`Membership.Role`), each counted only while both the account and the
membership are active (a disabled account or membership counts as anonymous):

* **staff** — everything (the people who run the server).
* **admin** of an organisation — what a researcher may, plus its members and audit log.
* **researcher** — the organisation's data: ``organisation`` and ``restricted`` sources it
  contributed (and a federation's researcher reads its affiliates' ``organisation``
  sources), reviews its lists, reads union evidence of the factories it organises in.
* **union_rep** — the organisation's ``organisation`` sources, and union evidence (and
  ``restricted`` sources) only of the factories named on the membership.
* **member** — the organisation's ``organisation`` sources and watchlists; no evidence.
* **brand_viewer** — public data, and aggregates (never evidence records) about its
  brand's supplier factories (:func:`brand_facilities`).
* **anonymous** — public data.

Source visibility: ``public`` — anyone; ``organisation`` — active members (not brand
viewers) of the contributing organisation or of its federation; ``restricted`` (names
people) — staff, the contributing organisation's own admins and researchers, and its union
reps when every factory the source describes is within their scope. There are no
per-person grants yet.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from shopfloor.models import (
    Datapoint,
    Facility,
    FacilityRecord,
    Membership,
    Organisation,
    Relationship,
    Source,
    Watchlist,
)

Role = Membership.Role
Visibility = Source.Visibility

#: Roles whose members may confirm or reject matches of their organisation's lists.
REVIEW_ROLES = (Role.ADMIN, Role.RESEARCHER)
#: Roles that read their organisation's ``organisation``-visibility sources and watchlists.
READER_ROLES = (Role.ADMIN, Role.RESEARCHER, Role.UNION_REP, Role.MEMBER)
#: Roles that may download an organisation's data in bulk.
EXPORT_ROLES = (Role.ADMIN, Role.RESEARCHER, Role.UNION_REP)
#: Strings :func:`can_export` accepts for exports of public data.
PUBLIC_EXPORTS = frozenset({"facilities", "companies", "sources", "public"})
#: From most to least powerful, for :func:`role_of`.
ROLE_ORDER = (Role.ADMIN, Role.RESEARCHER, Role.UNION_REP, Role.BRAND_VIEWER, Role.MEMBER)


# -- building blocks ---------------------------------------------------------------------


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _memberships(user, roles=None) -> QuerySet[Membership]:
    """The user's active memberships (with one of ``roles``, if given)."""
    if not _active(user):
        return Membership.objects.none()
    qs = Membership.objects.filter(user=user, is_active=True)
    return qs.filter(role__in=roles) if roles is not None else qs


def _organisations(user, roles, *, affiliates: bool = True) -> QuerySet[Organisation]:
    """Organisations where the user holds one of ``roles``, and (``affiliates``) the
    organisations affiliated to them (a federation's factory unions)."""
    own = _memberships(user, roles).values("organisation")
    if not affiliates:
        return Organisation.objects.filter(pk__in=own)
    return Organisation.objects.filter(Q(pk__in=own) | Q(parent__in=own))


def _outside_scope_sources(scope) -> Q:
    """Sources with a record or datapoint about a factory outside ``scope`` (or none)."""
    return (Q(pk__in=FacilityRecord.objects.exclude(facility__in=scope).values("source"))
            | Q(pk__in=Datapoint.objects.exclude(facility__in=scope).values("source")))


def _rep_restricted_q(user) -> Q:
    """Restricted sources a union rep reads: contributed by the rep's own organisation and
    describing only factories named on the membership."""
    q = Q(pk__in=[])
    for m in _memberships(user, [Role.UNION_REP]):
        scope = m.facilities.values("pk")
        q |= (Q(organisation_id=m.organisation_id, visibility=Visibility.RESTRICTED,
                pk__in=FacilityRecord.objects.filter(facility__in=scope).values("source"))
              & ~_outside_scope_sources(scope))
    return q


def _covered_facilities(user, roles) -> QuerySet[Facility]:
    """Factories where an organisation the user holds one of ``roles`` in organises, with
    its affiliates' factories for a federation."""
    return Facility.objects.filter(organisations__in=_organisations(user, roles)).distinct()


# -- predicates (one line each) ----------------------------------------------------------


@rules.predicate
def is_active_user(user) -> bool:
    """Signed in with an enabled account."""
    return _active(user)


@rules.predicate
def is_staff(user) -> bool:
    """An enabled staff account: may do everything."""
    return _active(user) and user.is_staff


@rules.predicate
def has_review_role(user) -> bool:
    """Admin or researcher (active) in some organisation."""
    return _memberships(user, REVIEW_ROLES).exists()


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    """Active admin of ``organisation`` (of any organisation when none is given)."""
    qs = _memberships(user, [Role.ADMIN])
    return (qs if organisation is None else qs.filter(organisation=organisation)).exists()


@rules.predicate
def is_public_source(user, source) -> bool:
    """The source is public (or no particular source is asked about)."""
    return source is None or source.visibility == Visibility.PUBLIC


@rules.predicate
def is_source_organisation_reader(user, source) -> bool:
    """An ``organisation`` source of the user's organisation or of an affiliate of it."""
    return (source is not None and source.visibility == Visibility.ORGANISATION
            and source.organisation_id is not None
            and _organisations(user, READER_ROLES).filter(pk=source.organisation_id).exists())


@rules.predicate
def is_restricted_source_reader(user, source) -> bool:
    """A ``restricted`` source of the user's own organisation, read as admin/researcher,
    or as union rep when it describes only the rep's factories."""
    if source is None or source.visibility != Visibility.RESTRICTED or not _active(user):
        return False
    if _organisations(user, REVIEW_ROLES, affiliates=False).filter(
            pk=source.organisation_id).exists():
        return True
    return Source.objects.filter(_rep_restricted_q(user), pk=source.pk).exists()


@rules.predicate
def is_facility_organiser(user, facility) -> bool:
    """Admin/researcher of an organisation organising at the factory (or at any, if none
    is given), a federation's including its affiliates' factories."""
    if facility is None:
        return _organisations(user, REVIEW_ROLES).filter(facilities__isnull=False).exists()
    return _covered_facilities(user, REVIEW_ROLES).filter(pk=facility.pk).exists()


@rules.predicate
def is_facility_rep(user, facility) -> bool:
    """Union rep whose membership names the factory (or any factory, if none is given)."""
    qs = _memberships(user, [Role.UNION_REP])
    return (qs.filter(facilities__isnull=False) if facility is None
            else qs.filter(facilities=facility)).exists()


@rules.predicate
def is_brand_supplier(user, facility) -> bool:
    """The factory supplies the brand of the user's brand organisation."""
    qs = brand_facilities(user)
    return (qs if facility is None else qs.filter(pk=facility.pk)).exists()


@rules.predicate
def may_review_source(user, source) -> bool:
    """May confirm or reject matches of the source's records (see :func:`can_review`)."""
    return can_review(user, source)


@rules.predicate
def may_see_watchlist(user, watchlist) -> bool:
    """May read the watchlist (see :func:`can_see_watchlist`)."""
    return watchlist is not None and can_see_watchlist(user, watchlist)


@rules.predicate
def may_export(user, what) -> bool:
    """May download ``what`` in bulk (see :func:`can_export`)."""
    return can_export(user, what)


view_source = is_public_source | is_staff | is_source_organisation_reader \
    | is_restricted_source_reader
view_facility_evidence = is_active_user & (is_staff | is_facility_organiser | is_facility_rep)
manage_members = is_staff | is_org_admin
view_audit = is_staff | is_org_admin

rules.set_perm("shopfloor.view_source", view_source)
rules.set_perm("shopfloor.view_facility_evidence", view_facility_evidence)
rules.set_perm("shopfloor.manage_members", manage_members)
rules.set_perm("shopfloor.view_audit", view_audit)
rules.set_perm("shopfloor.export", may_export)
rules.set_perm("shopfloor.review_source", may_review_source)
rules.set_perm("shopfloor.view_watchlist", may_see_watchlist)


# -- sources -----------------------------------------------------------------------------


def visible_sources(user) -> QuerySet[Source]:
    """The sources whose facts ``user`` may read (see the module docstring)."""
    if not _active(user):
        return Source.objects.filter(visibility=Visibility.PUBLIC)
    if user.is_staff:
        return Source.objects.all()
    q = (Q(visibility=Visibility.PUBLIC)
         | Q(visibility=Visibility.ORGANISATION,
             organisation__in=_organisations(user, READER_ROLES))
         | Q(visibility=Visibility.RESTRICTED,
             organisation__in=_organisations(user, REVIEW_ROLES, affiliates=False))
         | _rep_restricted_q(user))
    return Source.objects.filter(q)


def sources_q(user, prefix: str = "") -> Q:
    """A filter for rows whose source (reached by ``prefix``, e.g. ``"source__"``) ``user``
    may read: ``FacilityRecord.objects.filter(sources_q(user, "source__"))``."""
    if _active(user) and user.is_staff:
        return Q()
    if not _active(user):
        return Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    return Q(**{f"{prefix}pk__in": visible_sources(user).values("pk")})


def can_read_source(user, source: Source) -> bool:
    """Whether ``user`` may read ``source`` and the facts that came from it."""
    return view_source.test(user, source)


# -- facilities and brands ---------------------------------------------------------------


def can_read_facility_evidence(user, facility: Facility) -> bool:
    """Whether ``user`` may read the union evidence about ``facility``: staff, the admins
    and researchers of an organisation organising there (or of its federation), and union
    reps whose membership names it. Brand viewers never (they see aggregates only)."""
    return view_facility_evidence.test(user, facility)


def evidence_facilities(user) -> QuerySet[Facility]:
    """The factories whose union evidence ``user`` may read."""
    if not _active(user):
        return Facility.objects.none()
    if user.is_staff:
        return Facility.objects.all()
    reps = _memberships(user, [Role.UNION_REP]).values("facilities")
    return Facility.objects.filter(
        Q(pk__in=_covered_facilities(user, REVIEW_ROLES).values("pk")) | Q(pk__in=reps))


def brand_facilities(user) -> QuerySet[Facility]:
    """The supplier factories of the brands of ``user``'s brand organisations: factories a
    ``sources_from`` relationship (from a source the user may read) links to the brand.
    Staff: all factories; everyone else: none. Brand viewers get aggregates about these,
    through :mod:`shopfloor.privacy`, never the evidence records."""
    if not _active(user):
        return Facility.objects.none()
    if user.is_staff:
        return Facility.objects.all()
    companies = Organisation.objects.filter(
        kind=Organisation.Kind.BRAND, company__isnull=False,
        pk__in=_memberships(user).values("organisation")).values("company")
    relationships = Relationship.objects.filter(
        kind=Relationship.Kind.SOURCES_FROM, subject__in=companies,
        source__in=visible_sources(user))
    return Facility.objects.filter(pk__in=relationships.values("facility"))


# -- review (unchanged semantics; only active memberships count) -------------------------


def _review_organisations(user) -> QuerySet[Organisation]:
    """Organisations where the user reviews: those with an admin/researcher membership and
    their affiliates (a federation's researcher reviews its factory unions' lists)."""
    return _organisations(user, REVIEW_ROLES)


def can_review(user, source: Source | None = None) -> bool:
    """Whether ``user`` may confirm or reject matches (of ``source``'s records, if given).

    Staff may review everything. Otherwise the user needs the admin or researcher role in
    some organisation; a list contributed by an organisation is reviewed only by that
    organisation's (or its federation's) admins and researchers, because which factories a
    union follows is the union's business. Anonymous and inactive users never review.
    """
    if not _active(user):
        return False
    if user.is_staff:
        return True
    if source is None or source.organisation_id is None:
        return has_review_role.test(user)
    return _review_organisations(user).filter(pk=source.organisation_id).exists()


def reviewable_sources(user) -> QuerySet[Source]:
    """The sources whose records ``user`` may review (none for a user who may not)."""
    if not can_review(user):
        return Source.objects.none()
    if user.is_staff:
        return Source.objects.all()
    return Source.objects.filter(Q(organisation__isnull=True)
                                 | Q(organisation__in=_review_organisations(user)))


# -- watchlists --------------------------------------------------------------------------


def can_see_watchlist(user, watchlist) -> bool:
    """Whether ``user`` may read a watchlist: staff, or any active member (not a brand
    viewer) of its organisation or of that organisation's federation; a watchlist without
    organisation is for staff and whoever created it."""
    if not _active(user):
        return False
    if user.is_staff or (watchlist.created_by_id and watchlist.created_by_id == user.pk):
        return True
    if watchlist.organisation_id is None:
        return False
    orgs = {watchlist.organisation_id, watchlist.organisation.parent_id} - {None}
    return _memberships(user, READER_ROLES).filter(organisation__in=orgs).exists()


def knows_of_watchlist(user, watchlist) -> bool:
    """Whether ``user`` may know that a watchlist exists, even without reading it: any active
    member (brand viewers too) of its organisation or of that organisation's federation.
    Everyone else is answered as if it did not exist (404), since which factories a union
    follows is the union's business."""
    if can_see_watchlist(user, watchlist):
        return True
    if watchlist.organisation_id is None:
        return False
    orgs = {watchlist.organisation_id, watchlist.organisation.parent_id} - {None}
    return _memberships(user).filter(organisation__in=orgs).exists()


def visible_watchlists(user) -> QuerySet[Watchlist]:
    """The watchlists ``user`` may read."""
    qs = Watchlist.objects.select_related("organisation", "source")
    if not _active(user):
        return qs.none()
    if user.is_staff:
        return qs
    orgs = _memberships(user, READER_ROLES).values("organisation")
    return qs.filter(Q(created_by=user) | Q(organisation__in=orgs)
                     | Q(organisation__parent__in=orgs)).distinct()


# -- exports, members, audit -------------------------------------------------------------


def can_export(user, what=None) -> bool:
    """Whether ``user`` may download ``what`` in bulk.

    ``what`` is a :class:`Watchlist` (staff, its creator, or an active admin, researcher or
    union rep of its organisation or federation — plain members read but do not
    download), a :class:`Source` (one the user may read; a non-public one only as staff
    or its organisation's admin/researcher), or the name of a public export
    (:data:`PUBLIC_EXPORTS`: any signed-in user). Anonymous users never export.
    """
    if not _active(user):
        return False
    if user.is_staff:
        return True
    if isinstance(what, Watchlist):
        if not can_see_watchlist(user, what):
            return False
        if what.created_by_id == user.pk:
            return True
        orgs = {what.organisation_id, what.organisation.parent_id} - {None}
        return _memberships(user, EXPORT_ROLES).filter(organisation__in=orgs).exists()
    if isinstance(what, Source):
        return can_read_source(user, what) and (
            what.visibility == Visibility.PUBLIC
            or _organisations(user, REVIEW_ROLES).filter(pk=what.organisation_id).exists())
    return what in PUBLIC_EXPORTS


def can_manage_members(user, organisation: Organisation | None = None) -> bool:
    """Whether ``user`` may add, change and disable the members of ``organisation``:
    staff and its active admins."""
    return manage_members.test(user, organisation)


def can_view_audit(user, organisation: Organisation | None = None) -> bool:
    """Whether ``user`` may read the audit log (of ``organisation``, if given): staff and
    active organisation admins (who see their organisation's part, see
    :func:`shopfloor.audit.visible_events`)."""
    return view_audit.test(user, organisation)


def admin_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` administers (all of them for staff)."""
    if _active(user) and user.is_staff:
        return Organisation.objects.all()
    return _organisations(user, [Role.ADMIN], affiliates=False)


# -- summaries ---------------------------------------------------------------------------


def roles_of(user) -> dict[int, str]:
    """The user's active roles by organisation id."""
    return dict(_memberships(user).values_list("organisation_id", "role"))


def role_of(user) -> str:
    """One word for what ``user`` is: ``anonymous`` (also a disabled account), ``staff``,
    their most powerful active role (``admin`` … ``member``), or ``signed_in`` without any
    active membership."""
    if not _active(user):
        return "anonymous"
    if user.is_staff:
        return "staff"
    roles = set(roles_of(user).values())
    return next((str(r) for r in ROLE_ORDER if r in roles), "signed_in")


# The union workspace's and the surveys' rules live in their own modules (this one would
# grow past 600 lines); they are part of this module's interface.
from shopfloor.access.surveys import (  # noqa: E402, F401
    can_read_form,
    can_read_survey_texts,
    can_see_survey_results,
    visible_forms,
)
from shopfloor.access.workspace import (  # noqa: E402, F401
    can_build_leverage_pack,
    can_read_original,
    can_read_record,
    can_read_workspace,
    can_see_workspace_aggregates,
    can_write_record,
    can_write_workspace,
    workspace_q,
    writable_workspaces,
)

