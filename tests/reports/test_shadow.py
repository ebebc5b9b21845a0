"""The shadow report: safe to publish in every format.

The union records below carry distinctive words (``ZQX…``) in every field that names
something or someone; none of them may reach any format. A cell of 4 workers must show as
"<5", a case count as "<10", the same in CSV, JSON, HTML and PDF.
"""

import csv
import io
import json
import os
import re
import shutil
import subprocess

import pytest

from shopfloor.reports.shadow import count_label, render, shadow_report
from tests.reports.shadow_data import SECRET, TODAY, build

_NO_POPPLER = "pdftotext missing (apt-get install poppler-utils; `make test` does)"
if shutil.which("pdftotext") is None and os.environ.get("CI"):
    pytest.fail(_NO_POPPLER, pytrace=False)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason=_NO_POPPLER)


@pytest.fixture
def evidence(ws):
    return build(ws)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "shadow.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_count_labels():
    assert [count_label(n, 5) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


def test_the_report_counts_every_union_and_labels_small_counts(evidence):
    report = shadow_report([evidence.a, evidence.b], title="Our factories", today=TODAY)
    got = {(d["rule"], (d["criterion"] or {}).get("code") or d["topic"]):
           (d["union"]["issues"], d["union"]["cases"], d["union"]["since"])
           for d in report.discrepancies}
    assert got == {
        ("compliant-vs-union", "12"): ("0", "<10", "2024-04"),
        ("compliant-vs-union", "19"): ("<5", "0", "2024-06"),  # the rival union's issue
        ("not-published", "heat_stress"): ("<5", "0", "2024-05"),
        ("not-published", "toilet_breaks"): ("<5", "0", "2024-05"),
    }
    case = next(d for d in report.discrepancies if d["criterion"] and
                d["criterion"]["code"] == "12")
    # a hidden count takes the plural: "<10 documented case" would say it is one
    assert case["sentence"] == ("BFC 2024: compliant on “No management interference with "
                                "union”; union: <10 documented cases since April 2024.")
    assert "records" not in case["union"]
    assert case["official"]["source"]["publisher"] == "Better Factories Cambodia"
    assert case["official"]["citation"] == "cycle 2, CI 12"
    assert case["why"] and case["rule_title"]
    # the cell of 4 women is hidden, the men next to it too (the total would give it away)
    a = next(x for x in report.factories if x["facility"]["id"] == evidence.a.pk)
    assert a["workers_affected_by_open_issues"] == {"female": "<5", "male": "–"}
    assert a["workers_in_cases"] == {"female": "<10", "male": "0"}
    # the cross-factory tables, suppressed: one OSH issue, one wage issue at A
    table = report.issues_table
    keys = [c["key"] for c in table["columns"]]
    row_a = next(r for r in table["rows"] if r["facility"]["id"] == evidence.a.pk)
    assert dict(zip(keys, row_a["cells"], strict=True))["osh"] == "<5"
    assert report.cases_table["rows"][0]["cells"] == ["<10"]
    assert report.cases_table["total"] == "<10"
    assert [s["publisher"] for s in report.sources] == ["Better Factories Cambodia"]


@needs_poppler
def test_no_record_title_description_note_or_name_in_any_format(evidence, tmp_path):
    report = shadow_report([evidence.a, evidence.b], title="Our factories", today=TODAY)
    outputs = {fmt: render(report, fmt) for fmt in ("csv", "json", "html", "pdf")}
    texts = {fmt: data.decode("utf-8-sig") for fmt, data in outputs.items() if fmt != "pdf"}
    texts["pdf"] = _pdf_text(outputs["pdf"], tmp_path)
    for fmt, text in texts.items():
        assert SECRET not in text, f"{fmt} leaks a union record"
        assert "Sokha" not in text, f"{fmt} leaks a worker's name"
        assert "2024-04-10" not in text and "Apr. 10, 2024" not in text, (
            f"{fmt} gives the day of a case")
        assert "shopfloor:case/" not in text and "shopfloor:monitoringissue/" not in text
    # the labels are the same everywhere
    flat = {fmt: " ".join(text.split()) for fmt, text in texts.items()}
    for fmt in ("csv", "json", "html", "pdf"):
        assert "union: <10 documented cases since April 2024" in flat[fmt].replace(
            "&lt;", "<"), fmt
    rows = list(csv.DictReader(io.StringIO(texts["csv"])))
    by_code = {r["criterion_code"] or r["topic"]: r for r in rows}
    assert by_code["12"]["union_cases"] == "<10" and by_code["heat_stress"]["union_issues"] \
        == "<5"
    assert by_code["12"]["official_licence"] == "unknown"  # the source states none
    assert by_code["12"]["official_location"] == "https://betterwork.org/transparency"
    data = json.loads(texts["json"])
    assert data["methods"]["thresholds"]["cases"] == 10
    assert {r["code"] for r in data["methods"]["rules"]} >= {"compliant-vs-union",
                                                             "not-published"}
    assert "women <5, men –" in flat["pdf"]
    assert re.search(r"Shadow report generated on", flat["pdf"])
    assert outputs["pdf"].startswith(b"%PDF")


def test_evidence_is_counted_only_where_allowed(evidence):
    report = shadow_report([evidence.a, evidence.b], title="x", evidence_at=[evidence.b],
                           today=TODAY)
    assert {d["facility"]["id"] for d in report.discrepancies} == {evidence.b.pk}
    assert [x["facility"]["id"] for x in report.factories] == [evidence.b.pk]
    assert [r["facility"]["id"] for r in report.issues_table["rows"]] == [evidence.b.pk]
    assert report.cases_table["rows"] == []


def test_khmer_document(evidence):
    from django.utils import translation

    with translation.override("km"):
        html = render(shadow_report([evidence.a], title="របាយការណ៍ស្រមោល", today=TODAY),
                      "html").decode()
    assert '<html lang="km">' in html and "របាយការណ៍ស្រមោល" in html


def test_unknown_format(evidence):
    with pytest.raises(ValueError):
        render(shadow_report([evidence.a], title="x", today=TODAY), "docx")
