"""Exact resolution of incoming facility records: identifiers first, then the normalised
name within a country, at a compatible address. The probabilistic matcher builds on the
same keys.
"""

from __future__ import annotations

from shopfloor.linkage.normalise import name_key, same_site
from shopfloor.models import Facility


class FacilityIndex:
    """In-memory lookup of known facilities by OS ID, BFC ID and (country, name key)."""

    def __init__(self) -> None:
        self.by_os_id: dict[str, Facility] = {}
        self.by_bfc_id: dict[str, Facility] = {}
        self.by_name: dict[tuple[str, str], list[Facility]] = {}
        fields = ("id", "name", "name_km", "address", "country", "province", "lat", "lng",
                  "os_id", "bfc_id", "is_closed", "other_names", "merged_into")
        merged: list[Facility] = []
        live: dict[int, Facility] = {}
        for fac in Facility.objects.only(*fields).iterator(chunk_size=5000):
            if fac.merged_into_id is None:
                self.add(fac)
                live[fac.id] = fac
            else:
                merged.append(fac)
        if merged:  # a merged duplicate's identifiers lead to the facility it became
            from shopfloor.linkage.decisions import resolve_merged

            target = resolve_merged(f.id for f in merged)
            for fac in merged:
                if (to := live.get(target[fac.id])) is not None:
                    if fac.os_id:
                        self.by_os_id.setdefault(_upper(fac.os_id), to)
                    if fac.bfc_id:
                        self.by_bfc_id.setdefault(_upper(fac.bfc_id), to)

    @staticmethod
    def _name_keys(fac: Facility) -> set[tuple[str, str]]:
        names = (fac.name, fac.name_km, *(fac.other_names or []))
        return {(fac.country, name_key(n)) for n in names if n}

    def add(self, fac: Facility, *, key: str = "") -> None:
        """Index ``fac``; ``key`` is its name's key when the caller already has it."""
        if fac.os_id:
            self.by_os_id[_upper(fac.os_id)] = fac
        if fac.bfc_id:
            self.by_bfc_id[_upper(fac.bfc_id)] = fac
        if key and not (fac.name_km or fac.other_names):
            self._add_name((fac.country, key), fac)
        else:
            for k in self._name_keys(fac):
                self._add_name(k, fac)

    def _add_name(self, key: tuple[str, str], fac: Facility) -> None:
        same = self.by_name.get(key)
        if same is None:
            self.by_name[key] = [fac]
        else:
            same.append(fac)

    def remove(self, fac: Facility) -> None:
        """Forget a facility that was never written (its row was rejected)."""
        if fac.os_id and self.by_os_id.get(fac.os_id.upper()) is fac:
            del self.by_os_id[fac.os_id.upper()]
        if fac.bfc_id and self.by_bfc_id.get(fac.bfc_id.upper()) is fac:
            del self.by_bfc_id[fac.bfc_id.upper()]
        for key in self._name_keys(fac):
            self.by_name[key] = [f for f in self.by_name.get(key, []) if f is not fac]

    def find(self, *, name: str = "", country: str = "", os_id: str = "", bfc_id: str = "",
             address: str = "", key: str = "") -> Facility | None:
        """The known facility with this OS ID or BFC ID, else the one with the same name in
        the country at a compatible address (a same-named factory elsewhere is another site).
        """
        if os_id and (fac := self.by_os_id.get(_upper(os_id))):
            return fac
        if bfc_id and (fac := self.by_bfc_id.get(_upper(bfc_id))):
            return fac
        if name and country:
            for fac in self.by_name.get((country, key or name_key(name)), ()):
                if same_site(address, fac.address):
                    return fac
        return None


def _upper(ident: str) -> str:
    """``ident`` in capitals, as the same object when it already is: a million index keys
    are then not a million more strings."""
    return ident if ident.isupper() else ident.upper()
