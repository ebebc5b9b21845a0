"""Small builders for test data, through the real ORM (no mocks)."""

from __future__ import annotations

import itertools

from shopfloor.models import Company, Criterion, Facility, FacilityRecord, Metric, Source

_n = itertools.count(1)


def source(**kw) -> Source:
    n = next(_n)
    kw.setdefault("publisher", "Test Publisher")
    kw.setdefault("title", f"Test list {n}")
    kw.setdefault("file_name", f"list-{n}.csv")
    kw.setdefault("licence", "CC-BY-4.0")
    return Source.objects.create(**kw)


def facility(src: Source | None = None, **kw) -> Facility:
    """A facility described by one record of ``src`` (a new source if none given)."""
    n = next(_n)
    kw.setdefault("name", f"Test Garment {n} Co., Ltd.")
    kw.setdefault("country", "KH")
    fac = Facility.objects.create(**kw)
    FacilityRecord.objects.create(
        # far from the small row numbers tests choose themselves
        source=src or source(), row_number=100_000 + n, name=fac.name, country=fac.country,
        facility=fac, decision=FacilityRecord.Decision.CONFIRMED, match_score=1.0,
        raw={"name": fac.name},
    )
    return fac


def company(src: Source | None = None, **kw) -> Company:
    kw.setdefault("name", f"Test Brand {next(_n)}")
    comp = Company.objects.create(**kw)
    comp.sources.add(src or source())
    return comp


def metric(code: str = "workers_total", **kw) -> Metric:
    kw.setdefault("name", code.replace("_", " "))
    kw.setdefault("topic", Metric.Topic.DEMOGRAPHICS)
    kw.setdefault("value_type", Metric.ValueType.NUMBER)
    return Metric.objects.get_or_create(code=code, defaults=kw)[0]


def criterion(code: str = "12", src: Source | None = None, **kw) -> Criterion:
    kw.setdefault("cluster", "Fundamental Rights")
    kw.setdefault("text", "No management interference with union")
    return Criterion.objects.create(code=code, source=src or source(), **kw)
