"""Survey files as the collection servers write them, built here for the tests.

* an XLSForm (``xlsform``) with the kinds of questions the shipped forms have;
* submissions as KoboToolbox exports them — CSV (``;``-separated, ``group/question``
  headers, ``_uuid``, ``_submission_time``, ``_submitted_by``, ``__version__`` …) and the
  API v2 JSON (``{"count", "next", "previous", "results"}``, repeats nested) — and as ODK
  Central's ``submissions.csv.zip`` (``group-question`` headers, ``SubmissionDate``,
  ``meta-instanceID``, ``KEY``, ``SubmitterName``, ``DeviceID``, ``FormVersion``; repeats
  in ``{form}-{repeat}.csv`` with ``PARENT_KEY``), per the servers' documentation.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

#: Identifying columns each format carries (and Shopfloor must drop).
KOBO_IDENTIFYING = ["deviceid", "phonenumber", "_submitted_by", "_geolocation"]
ODK_IDENTIFYING = ["deviceid", "phonenumber", "SubmitterID", "SubmitterName", "DeviceID"]

SURVEY = [
    # type, name, en, km, extra shopfloor columns
    ("start", "start", "", "", {}),
    ("end", "end", "", "", {}),
    ("deviceid", "deviceid", "", "", {}),
    ("phonenumber", "phonenumber", "", "", {}),
    ("select_one factories", "factory", "Factory", "រោងចក្រ", {"shopfloor_facility": "yes"}),
    ("select_one sex", "sex", "Are you a woman or a man?", "តើអ្នកជាស្ត្រី ឬបុរស?",
     {"shopfloor_sex": "yes"}),
    ("text", "worker_name", "Your name", "ឈ្មោះ", {}),
    ("begin_group", "wages", "Wages", "ប្រាក់ឈ្នួល", {}),
    ("select_one yesno", "paid_minimum", "Were you paid at least the minimum wage last month?",
     "តើអ្នកទទួលបានយ៉ាងហោចណាស់ប្រាក់ឈ្នួលអប្បបរមាកាលពីខែមុនទេ?",
     {"shopfloor_criterion": "19", "shopfloor_violation": "no"}),
    ("integer", "pay_usd", "Take-home pay last month (USD)", "ប្រាក់ខែដែលទទួលបាន (ដុល្លារ)",
     {}),
    ("select_multiple deductions", "deductions", "Deductions", "ការកាត់ប្រាក់", {}),
    ("end_group", "", "", "", {}),
    ("begin_group", "union", "Union", "សហជីព", {}),
    ("select_one yesno", "asked_union", "Did management ask whether you joined a union?",
     "តើថ្នាក់គ្រប់គ្រងបានសួរថាអ្នកចូលសហជីពទេ?",
     {"shopfloor_criterion": "12", "shopfloor_violation": "yes", "shopfloor_sensitive": "yes"}),
    ("end_group", "", "", "", {}),
    ("begin_repeat", "children", "Children", "កូន", {}),
    ("integer", "child_age", "Age", "អាយុ", {}),
    ("end_repeat", "", "", "", {}),
    ("text", "anything_else", "Anything else?", "មានអ្វីទៀតទេ?", {}),
]
CHOICES = [
    ("yesno", "yes", "Yes", "បាទ/ចាស"), ("yesno", "no", "No", "ទេ"),
    ("yesno", "dont_know", "Don't know", "មិនដឹង"),
    ("sex", "female", "Woman", "ស្ត្រី"), ("sex", "male", "Man", "បុរស"),
    ("deductions", "fine", "Fine", "ការពិន័យ"), ("deductions", "bonus_cut", "Bonus cut",
                                                     "កាត់ប្រាក់រង្វាន់"),
    ("deductions", "none", "None", "គ្មាន"),
]
EXTRA = ["shopfloor_facility", "shopfloor_sex", "shopfloor_criterion", "shopfloor_violation",
         "shopfloor_sensitive"]


def xlsform(path: Path, *, form_id="test_survey", version="2025010101",
            factories: list[tuple[str, str]] = ()) -> Path:
    """An XLSForm like the shipped worker survey; ``factories`` are (OS ID, name)."""
    import openpyxl

    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Khmer (km)", *EXTRA])
    for kind, name, en, km, extra in SURVEY:
        survey.append([kind, name, en, km, *(extra.get(c, "") for c in EXTRA)])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Khmer (km)"])
    for row in CHOICES:
        choices.append(list(row))
    for os_id, name in factories or [("KH2019001AAAAA0", "Example factory")]:
        choices.append(["factories", os_id, name, name])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Test worker survey", form_id, version, "English (en)"])
    book.save(path)
    return path


def submission(i: int, answers: dict, *, when="2025-03-10T09:00:00") -> dict:
    """One submission's answers (by question path) with the metadata every server adds."""
    return {"start": when, "end": when, "deviceid": f"collect:PHONE{i:04d}",
            "phonenumber": f"+85512{i:06d}", **answers,
            "meta/instanceID": f"uuid:{uuid.UUID(int=i)}", "_uuid": str(uuid.UUID(int=i)),
            "_submission_time": when, "_submitted_by": "enumerator_srey",
            "_geolocation": "[11.55, 104.92]", "_id": i, "__version__": "vKoboAsset",
            "_status": "submitted_via_web", "_index": i}


def kobo_csv(rows: list[dict], path: Path, *, delimiter=";") -> Path:
    """The KoboToolbox CSV export (repeats are not in Kobo's CSV)."""
    headers = list(dict.fromkeys(k for r in rows for k in r if k != "children"))
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, headers, delimiter=delimiter)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _text(v) for k, v in row.items() if k in headers})
    return path


def kobo_json(rows: list[dict], path: Path) -> Path:
    """The KoboToolbox API v2 ``data`` endpoint's response, repeats nested."""
    results = []
    for row in rows:
        item = {k: v for k, v in row.items()}
        if "children" in item:
            item["children"] = [{"children/child_age": a} for a in item.pop("children")]
        results.append(item)
    path.write_text(json.dumps({"count": len(results), "next": None, "previous": None,
                                "results": results}, ensure_ascii=False))
    return path


def odk_zip(rows: list[dict], path: Path, *, form_id="test_survey",
            version="2025010101") -> Path:
    """ODK Central's submissions.csv.zip: main CSV plus one CSV per repeat."""
    main, children = [], []
    for row in rows:
        key = row["meta/instanceID"]
        out = {"SubmissionDate": row["_submission_time"] + ".000Z"}
        for k, v in row.items():
            if k.startswith("_") or k in ("meta/instanceID", "children"):
                continue
            out[k.replace("/", "-")] = _text(v)
        out.update({"meta-instanceID": key, "KEY": key, "SubmitterID": "7",
                    "SubmitterName": "enumerator_srey", "AttachmentsPresent": "0",
                    "AttachmentsExpected": "0", "Status": "", "ReviewState": "",
                    "DeviceID": row.get("deviceid", ""), "Edits": "0", "FormVersion": version})
        main.append(out)
        for n, age in enumerate(row.get("children", []), start=1):
            children.append({"child_age": str(age), "PARENT_KEY": key,
                             "KEY": f"{key}/children[{n}]"})
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{form_id}.csv", _csv(main))
        if children:
            archive.writestr(f"{form_id}-children.csv", _csv(children))
    return path


def _csv(rows: list[dict]) -> str:
    headers = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(map(str, value))
    return "" if value is None else str(value)
