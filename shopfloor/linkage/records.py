"""The shape every matcher works on: a record's matching fields, whichever table it is in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from shopfloor.linkage.normalise import address_tokens, name_key


@dataclass(frozen=True, slots=True)
class RecordView:
    """Matching fields of a FacilityRecord (incoming) or a Facility (the registry)."""

    id: int
    name: str
    address: str = ""
    country: str = ""
    lat: float | None = None
    lng: float | None = None
    os_id: str = ""
    bfc_id: str = ""
    other_names: tuple[str, ...] = ()

    @classmethod
    def of_record(cls, rec) -> RecordView:
        return cls(rec.pk, rec.name, rec.address, rec.country, rec.lat, rec.lng,
                   rec.os_id or "", rec.bfc_id or "")

    @classmethod
    def of_facility(cls, fac) -> RecordView:
        others = tuple(n for n in (fac.name_km, *(fac.other_names or [])) if n)
        return cls(fac.pk, fac.name, fac.address, fac.country, fac.lat, fac.lng,
                   fac.os_id or "", fac.bfc_id or "", others)


def fingerprint(name: str, address: str, country: str) -> str:
    """A stable identity for "this row as a person wrote it": the same factory written the
    same way in a later upload has the same fingerprint, so earlier decisions apply.

    >>> fingerprint("Golden Lotus Garment Co., Ltd.", "Phnom Penh", "KH") == \\
    ...     fingerprint("GOLDEN LOTUS GARMENT CO.,LTD", "phnom penh", "kh")
    True
    """
    text = "|".join([country.upper(), name_key(name), " ".join(sorted(address_tokens(address)))])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
