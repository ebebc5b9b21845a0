"""Who reads survey forms, their results and their free-text answers (see
:mod:`shopfloor.access` for the roles and the building blocks)."""

from __future__ import annotations

from django.db.models import Q

from shopfloor.access import REVIEW_ROLES, Role, _active, _memberships, _organisations
from shopfloor.access.workspace import can_read_workspace, can_see_workspace_aggregates
from shopfloor.models import Organisation

# -- surveys ----------------------------------------------------------------------------
# A union's worker survey is union evidence (its submissions are workspace records, read by
# workspace_q); its questionnaire and its aggregates are for the union's people. A brand's
# supplier questionnaire is the brand's: its members read the answers (companies answer it,
# not workers). Free-text answers only for the owning organisation's admins and
# researchers.


def _form_readers_q(user) -> Q:
    if not _active(user):
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    reps = _memberships(user, [Role.UNION_REP]).values("organisation")
    brand_orgs = _memberships(user, [Role.BRAND_VIEWER, Role.ADMIN, Role.RESEARCHER]).filter(
        organisation__kind=Organisation.Kind.BRAND).values("organisation")
    return (Q(organisation__in=_organisations(user, REVIEW_ROLES)) | Q(organisation__in=reps)
            | Q(kind="supplier", organisation__in=brand_orgs))


def visible_forms(user):
    """The survey forms ``user`` may open (questionnaire and results)."""
    from shopfloor.models import SurveyForm

    return SurveyForm.objects.filter(_form_readers_q(user)).select_related("organisation")


def can_read_form(user, form) -> bool:
    return visible_forms(user).filter(pk=form.pk).exists()


def can_see_survey_results(user, form, facility) -> bool:
    """Whether ``user`` sees ``form``'s aggregates at ``facility``: readers of the owning
    organisation's workspace there; for a brand's supplier questionnaire its members;
    for a union's worker survey also those who see the factory's union aggregates (a brand
    viewer of a buyer, members). Suppressed aggregates only, never a submission."""
    if not _active(user):
        return False
    if form.kind == "supplier":
        return can_read_form(user, form)
    return (can_read_workspace(user, form.organisation_id, facility)
            or can_see_workspace_aggregates(user, facility))


def can_read_survey_texts(user, form) -> bool:
    """Free-text answers: staff and the owning organisation's own admins and researchers."""
    if not _active(user):
        return False
    return user.is_staff or _memberships(user, REVIEW_ROLES).filter(
        organisation_id=form.organisation_id).exists()
