"""Provenance rules that span models.

Deleting a :class:`~shopfloor.models.Source` deletes every fact that came from it (the
foreign keys cascade). Facilities and companies are not facts of one source: they are kept
while another source still describes them, deleted when nothing is left about them, and
flagged ``provenance_lost`` when facts from other sources remain but no source describes
the entity itself any more. The same rule runs whether the source is deleted from the
library (:func:`delete_source`), the CLI or the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from shopfloor.models import (
    Assessment,
    Company,
    Datapoint,
    Facility,
    FacilityRecord,
    Relationship,
    Source,
)


@dataclass
class SourceDeletion:
    facilities_deleted: int = 0
    facilities_flagged: int = 0
    companies_deleted: int = 0
    companies_flagged: int = 0


def delete_source(source: Source) -> SourceDeletion:
    """Delete a source and everything that came only from it, in one transaction.

    >>> report = delete_source(Source.objects.get(pk=3))  # doctest: +SKIP
    >>> report.facilities_deleted  # doctest: +SKIP
    12
    """
    with transaction.atomic():
        source.delete()
        return source._shopfloor_deletion  # set by the post_delete handler


@receiver(pre_delete, sender=Source)
def _remember_touched_entities(sender, instance: Source, **kwargs) -> None:
    facility_ids = set(
        FacilityRecord.objects.filter(source=instance)
        .exclude(facility=None)
        .values_list("facility_id", flat=True)
    )
    for model in (Relationship, Datapoint, Assessment):
        facility_ids.update(
            model.objects.filter(source=instance)
            .exclude(facility=None)
            .values_list("facility_id", flat=True)
        )
    company_ids = set(instance.companies.values_list("id", flat=True))
    company_ids.update(
        Relationship.objects.filter(source=instance).values_list("subject_id", flat=True)
    )
    company_ids.update(
        Relationship.objects.filter(source=instance)
        .exclude(object_company=None)
        .values_list("object_company_id", flat=True)
    )
    instance._shopfloor_touched = (facility_ids, company_ids)


def _has_union_evidence():
    """Whether a union recorded anything at the facility (such a facility is never deleted
    with a source: the union's evidence keeps it)."""
    from shopfloor.models.workspace import WorkspaceRecord

    found = None
    for model in WorkspaceRecord.__subclasses__():
        exists = Exists(model.objects.filter(facility=OuterRef("pk")))
        found = exists if found is None else found | exists
    return found


@receiver(post_delete, sender=Source)
def _clean_up_after_source(sender, instance: Source, **kwargs) -> None:
    facility_ids, company_ids = getattr(instance, "_shopfloor_touched", (set(), set()))
    report = SourceDeletion()

    facilities = Facility.objects.filter(pk__in=facility_ids).annotate(
        _described=Exists(FacilityRecord.objects.filter(facility=OuterRef("pk"))),
        _has_facts=Exists(Relationship.objects.filter(facility=OuterRef("pk")))
        | Exists(Datapoint.objects.filter(facility=OuterRef("pk")))
        | Exists(Assessment.objects.filter(facility=OuterRef("pk")))
        | _has_union_evidence(),
    )
    undescribed = facilities.filter(_described=False)
    report.facilities_flagged = undescribed.filter(_has_facts=True).update(provenance_lost=True)
    doomed = list(undescribed.filter(_has_facts=False).values_list("pk", flat=True))
    report.facilities_deleted = len(doomed)
    Facility.objects.filter(pk__in=doomed).delete()

    companies = Company.objects.filter(pk__in=company_ids).annotate(
        _described=Exists(Company.sources.through.objects.filter(company_id=OuterRef("pk"))),
        _has_facts=Exists(Relationship.objects.filter(subject=OuterRef("pk")))
        | Exists(Relationship.objects.filter(object_company=OuterRef("pk")))
        | Exists(Datapoint.objects.filter(company=OuterRef("pk"))),
    )
    undescribed = companies.filter(_described=False)
    report.companies_flagged = undescribed.filter(_has_facts=True).update(provenance_lost=True)
    doomed = list(undescribed.filter(_has_facts=False).values_list("pk", flat=True))
    report.companies_deleted = len(doomed)
    Company.objects.filter(pk__in=doomed).delete()
    instance._shopfloor_deletion = report
