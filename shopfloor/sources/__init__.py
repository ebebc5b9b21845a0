"""Importers, one module per format, all behind ``shopfloor import KIND PATH``.

A new source is one new module: subclass :class:`shopfloor.sources.base.Importer` and either
list it in ``BUILTIN`` below or, from another package, expose it under the entry-point
group ``shopfloor.sources`` — both are loaded the same way.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from shopfloor.sources.base import Column, Importer, Row, SourceInfo
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import ImportReport, Outcome

__all__ = ["BUILTIN", "Column", "ImportFailed", "ImportReport", "Importer", "Outcome", "Row",
           "RowRejected", "SourceInfo", "get_importer", "importers", "run_import"]

#: kind → "module:Class" of the importers that ship with Shopfloor.
BUILTIN = {
    "oshub": "shopfloor.sources.oshub:OpenSupplyHubImporter",
    "brand-list": "shopfloor.sources.brand_list:BrandListImporter",
    "wikirate": "shopfloor.sources.wikirate:WikirateImporter",
    "bfc": "shopfloor.sources.bfc:BFCImporter",
    "ituc": "shopfloor.sources.ituc:ITUCImporter",
    "min-wage": "shopfloor.sources.min_wage:MinimumWageImporter",
    "facility-list": "shopfloor.sources.facility_list:FacilityListImporter",
    "xlsform": "shopfloor.sources.xlsform:XLSFormImporter",
    "kobo": "shopfloor.sources.kobo:KoboImporter",
    "odk": "shopfloor.sources.odk:ODKImporter",
}


def _load(target: str) -> type[Importer]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def importers() -> dict[str, str]:
    """Every available kind → its import path, built-ins first, then plugins."""
    found = dict(BUILTIN)
    for ep in entry_points(group="shopfloor.sources"):
        found.setdefault(ep.name, ep.value)
    return found


def get_importer(kind: str) -> type[Importer]:
    available = importers()
    if kind not in available:
        raise ImportFailed(f"unknown kind {kind!r}; kinds: {', '.join(available)}")
    return _load(available[kind])


def run_import(kind: str, path, *, info: SourceInfo | None = None, dataset: str = "",
               column_map: dict[str, str] | None = None, dry_run: bool = False,
               progress=None, **options) -> ImportReport:
    """Import one file atomically and return the report.

    >>> run_import("oshub", "../shared/data/oshub/facility_lists/2.csv")  # doctest: +SKIP
    """
    info = info or SourceInfo()
    if dataset:
        info.dataset = dataset
    importer = get_importer(kind)(info, column_map=column_map, **options)
    report = importer.run(path, dry_run=dry_run, progress=progress)
    if not dry_run:
        from shopfloor.maintenance import refresh_statistics

        refresh_statistics()
    return report
