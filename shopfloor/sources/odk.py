"""ODK Central submissions: the ``submissions.csv.zip`` export.

ODK Central (``/v1/projects/{p}/forms/{f}/submissions.csv.zip``) gives a ZIP with
``{form_id}.csv`` (one row per submission; groups joined with ``-`` in the headers:
``wages-paid_minimum``; metadata ``SubmissionDate``, ``meta-instanceID``, ``KEY``,
``SubmitterID``, ``SubmitterName``, ``DeviceID``, ``FormVersion``, …) and one
``{form_id}-{repeat}.csv`` per repeat group, linked by ``PARENT_KEY``.

    shopfloor import odk submissions.csv.zip --organisation "Our union" \\
        --option form=fwm_worker_survey
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from shopfloor.sources.errors import ImportFailed
from shopfloor.sources.survey_import import SurveyImporter
from shopfloor.surveys.submissions import RawSubmission


def _rows(data: bytes, name: str) -> tuple[list[str], list[dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{name}: not UTF-8 ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


class ODKImporter(SurveyImporter):
    kind = "odk"
    description = "ODK Central submissions (submissions.csv.zip)"

    def read(self, path: Path):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise ImportFailed(f"{path.name}: not a ZIP (ODK Central's submissions.csv.zip)"
                               ) from exc
        with archive:
            csvs = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not csvs:
                raise ImportFailed(f"{path.name}: no CSV inside")
            main = min(csvs, key=lambda n: (n.count("-"), len(n)))
            headers, rows = _rows(archive.read(main), main)
            raw = [RawSubmission(i + 2, row) for i, row in enumerate(rows)]
            by_key = {r.values.get("KEY"): r for r in raw if r.values.get("KEY")}
            stem = Path(main).stem
            for name in csvs:
                if name == main:
                    continue
                repeat = Path(name).stem.removeprefix(stem + "-")
                _, children = _rows(archive.read(name), name)
                for child in children:
                    parent = by_key.get(child.get("PARENT_KEY", "").split("/")[0])
                    if parent is not None:
                        parent.repeats.setdefault(repeat, []).append(child)
        return raw, headers, f"ZIP of CSV (ODK Central, {len(csvs)} file(s))"
