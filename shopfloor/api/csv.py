"""CSV exports of the API's lists: streamed, with the provenance of every value, and safe to
open in a spreadsheet (cells that would start a formula are escaped)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.http import StreamingHttpResponse

from shopfloor.models import Source

#: The provenance columns, after a prefix (``""`` or e.g. ``"workers_"``).
PROVENANCE = ["source_id", "source_title", "publisher", "source_url", "licence",
              "retrieved_on", "published_on"]
#: Documents the CSV answer of a list operation in the OpenAPI schema.
CSV_RESPONSE = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str | int | float:
    """One CSV cell: numbers as they are, text that a spreadsheet would run as a formula
    (``=HYPERLINK(…)``, ``+1``, ``-1+2``, ``@SUM``) prefixed with ``'`` so it shows as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text


def provenance(source: Source | None, prefix: str = "") -> dict:
    """The provenance columns of one value (empty when there is no value)."""
    if source is None:
        return {f"{prefix}{column}": "" for column in PROVENANCE}
    return {
        f"{prefix}source_id": source.pk, f"{prefix}source_title": source.title,
        f"{prefix}publisher": source.publisher, f"{prefix}source_url": source.location,
        f"{prefix}licence": source.licence, f"{prefix}retrieved_on": source.retrieved_on,
        f"{prefix}published_on": source.published_on,
    }


def provenance_columns(prefix: str = "") -> list[str]:
    return [f"{prefix}{column}" for column in PROVENANCE]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(columns)  # BOM: spreadsheets then read Khmer as UTF-8
    for row in rows:
        yield writer.writerow([cell(row.get(column)) for column in columns])


def csv_response(name: str, columns: list[str], rows: Iterable[dict]) -> StreamingHttpResponse:
    """``rows`` (dicts, read lazily) as a CSV attachment called ``name``.csv."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _lines(columns, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
