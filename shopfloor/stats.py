"""Counts of everything in the database: ``shopfloor stats --json`` and health checks."""

from __future__ import annotations

from django.apps import apps


def model_counts() -> dict[str, int]:
    """Rows per model of Shopfloor's own apps, plus users, keyed ``app_label.ModelName``.

    >>> model_counts()["shopfloor.Facility"]  # doctest: +SKIP
    60
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if label.startswith("shopfloor") or model._meta.label == "auth.User":
            counts[model._meta.label] = model.objects.count()
    return dict(sorted(counts.items()))
