"""The report every import ends with: what was read, what changed, what was refused."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import IntEnum


class Outcome(IntEnum):
    """What one row did to the database; a row's outcome is the strongest of its facts'."""

    UNCHANGED = 0
    UPDATED = 1
    CREATED = 2


@dataclass
class ImportReport:
    kind: str
    file: str
    format: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    source_id: int | None = None
    already_imported: bool = False
    dry_run: bool = False

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.CREATED:
            self.created += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def reject(self, row_number: int, reason: str) -> None:
        self.rejected.append((row_number, reason))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rejected"] = [{"row": n, "reason": r} for n, r in self.rejected]
        return data

    def summary(self) -> str:
        if self.already_imported:
            return (f"{self.file}: already imported as source #{self.source_id}; "
                    "nothing changed.")
        verb = "would be" if self.dry_run else "were"
        return (f"{self.file} ({self.format}): {self.rows_read:,} rows read; "
                f"{self.created:,} created, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged, {len(self.rejected):,} rejected "
                f"— changes {verb} {'rolled back (dry run)' if self.dry_run else 'saved'}.")
