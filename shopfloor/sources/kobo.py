"""KoboToolbox submissions: the CSV and XLSX exports and the API v2 JSON.

Export from KoboToolbox with "XML values and headers" (the questions' names, not their
labels), groups kept in the headers (``group/question``). CSV exports are ``;``- or
``,``-separated; XLSX exports hold repeat groups in further sheets linked by ``_index`` /
``_parent_index``; the API (``GET /api/v2/assets/{uid}/data/?format=json``) gives
``{"count": …, "next": …, "results": [...]}`` with repeats as nested lists.

    shopfloor import kobo fwm_2025.csv --organisation "Our union" \\
        --option form=fwm_worker_survey --option period=2025-H1
"""

from __future__ import annotations

import json
from pathlib import Path

from shopfloor.sources.errors import ImportFailed
from shopfloor.sources.survey_import import SurveyImporter
from shopfloor.sources.tables import open_table
from shopfloor.surveys.submissions import RawSubmission


def _flatten(record: dict, repeats: dict) -> dict:
    """A Kobo JSON record's answers; nested repeat lists go to ``repeats``."""
    values = {}
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            repeats[key] = value
        elif isinstance(value, dict):
            continue
        else:
            values[key] = value
    return values


def read_kobo_json(data) -> list[dict]:
    """The submission records of a Kobo API response (or a list of records)."""
    if isinstance(data, dict):
        data = data.get("results", data.get("data"))
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ImportFailed("Kobo JSON: expected {\"results\": [...]} or a list of submissions")
    return data


class KoboImporter(SurveyImporter):
    kind = "kobo"
    description = "KoboToolbox submissions (CSV, XLSX export or API v2 JSON)"

    def read(self, path: Path):
        with path.open("rb") as fh:
            head = fh.read(64).lstrip()
        if head[:1] in (b"{", b"["):
            try:
                records = read_kobo_json(json.loads(path.read_text("utf-8-sig")))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ImportFailed(f"{path.name}: not valid JSON ({exc})") from exc
            raw, headers = [], []
            for i, record in enumerate(records, start=1):
                repeats: dict = {}
                values = _flatten(record, repeats)
                headers += [k for k in values if k not in headers]
                raw.append(RawSubmission(i, values, repeats))
            return raw, headers, "JSON (KoboToolbox API)"
        table = open_table(path)
        raw = []
        for number, row in table.rows():
            if isinstance(row, str):
                raise ImportFailed(f"{path.name}: row {number} {row}")
            raw.append(RawSubmission(number, row))
        if table.format == "xlsx":
            self._xlsx_repeats(path, raw)
        return raw, list(table.columns), table.description

    def _xlsx_repeats(self, path: Path, raw: list[RawSubmission]) -> None:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            by_index = {str(r.values.get("_index")): r for r in raw
                        if r.values.get("_index") not in (None, "")}
            for name in book.sheetnames[1:]:
                rows = book[name].iter_rows(values_only=True)
                header = [str(h) if h is not None else "" for h in next(rows, ())]
                for values in rows:
                    row = dict(zip(header, values, strict=False))
                    parent = by_index.get(str(row.get("_parent_index")))
                    if parent is not None:
                        parent.repeats.setdefault(name, []).append(row)
        finally:
            book.close()
