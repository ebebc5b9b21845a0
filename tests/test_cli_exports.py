"""``shopfloor discrepancies``, ``shopfloor export shadow-report`` and ``export open-data``."""

import json
import zipfile

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.models import AuditEvent
from tests.reports.shadow_data import SECRET, build, watchlist

pytestmark = pytest.mark.django_db


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_discrepancies_of_one_union(ws):
    build(ws)
    result = _run("discrepancies", "--union", "union a")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Factory A (#" in out
    assert ("BFC 2024: compliant on “No management interference with union”; union: 1 "
            "documented case since April 2024.") in out
    assert "why: Published as compliant, documented by the union" in out
    assert "published: BFC cycle 2, compliant — Better Factories Cambodia" in out
    assert "https://betterwork.org/transparency" in out
    assert f"union: Union A, {SECRET}-CASE-TITLE" in out  # the researcher's own records
    assert "WAGE-TITLE" not in out  # the rival union's evidence is not Union A's
    event = AuditEvent.objects.get(action="export", detail__what="discrepancies")
    assert event.detail["via"] == "cli" and event.organisation == ws.union


def test_a_federation_counts_its_affiliates_and_all_unions_everyone(ws):
    build(ws)
    fed = _run("discrepancies", "--union", "Federation", "--json")
    assert fed.exit_code == 0, fed.output
    rules = {(d["rule"], (d["criterion"] or {}).get("code")) for d in json.loads(fed.output)}
    assert ("compliant-vs-union", "12") in rules and ("compliant-vs-union", "19") not in rules
    everyone = json.loads(_run("discrepancies", "--all-unions", "--json").output)
    assert {d["facility"]["name"] for d in everyone} == {"Factory A", "Factory B"}
    wage = next(d for d in everyone if (d["criterion"] or {}).get("code") == "19")
    assert wage["union"]["issues"] == 1 and wage["union"]["records"][0]["title"].startswith(
        SECRET)  # --json is as_dict(): the records, for the researcher at the command line


def test_discrepancies_of_chosen_factories(ws):
    build(ws)
    wl = watchlist(ws)
    only_b = json.loads(_run("discrepancies", "--all-unions", "--facility", str(ws.b.pk),
                             "--json").output)
    assert {d["facility"]["name"] for d in only_b} == {"Factory B"}
    listed = json.loads(_run("discrepancies", "--all-unions", "--watchlist", wl.name,
                             "--json").output)
    assert {d["facility"]["name"] for d in listed} == {"Factory A", "Factory B"}


@pytest.mark.parametrize("args, message", [
    ((), "--union NAME or --all-unions"),
    (("--union", "X", "--all-unions"), "--union NAME or --all-unions"),
    (("--union", "Nobody"), "no organisation called 'Nobody'"),
    (("--all-unions", "--facility", "999999"), "no factory with id 999999"),
    (("--all-unions", "--watchlist", "Nope"), "no watchlist called 'Nope'"),
])
def test_discrepancies_bad_input(ws, args, message):
    result = CliRunner().invoke(cli, ["discrepancies", *args])
    assert result.exit_code == 2 and message in result.output
    assert not AuditEvent.objects.filter(action="export").exists()


def test_export_shadow_report(ws, tmp_path):
    build(ws)
    wl = watchlist(ws)
    for fmt in ("csv", "json", "pdf"):
        out = tmp_path / f"shadow.{fmt}"
        result = _run("export", "shadow-report", "--watchlist", wl.name, "--format", fmt,
                      "--out", str(out))
        assert result.exit_code == 0, result.output
        assert "discrepancies at 2 factories" in result.output
        assert SECRET.encode() not in out.read_bytes()
    assert (tmp_path / "shadow.pdf").read_bytes().startswith(b"%PDF")
    data = json.loads((tmp_path / "shadow.json").read_text())
    assert data["title"] == "Shadow report: Our factories"
    assert AuditEvent.objects.filter(action="export", detail__what="shadow-report").count() == 3
    by_union = tmp_path / "union.csv"
    assert _run("export", "shadow-report", "--union", "Union A", "--format", "csv", "--out",
                str(by_union), "--language", "km").exit_code == 0
    assert "<10" in by_union.read_text(encoding="utf-8-sig")
    both = CliRunner().invoke(cli, ["export", "shadow-report", "--union", "Union A",
                                    "--watchlist", wl.name, "--out", str(tmp_path / "x")])
    assert both.exit_code == 2 and not (tmp_path / "x").exists()


def test_export_open_data(ws, tmp_path):
    out = tmp_path / "open"
    result = _run("export", "open-data", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "datapackage.json").exists() and (out / "wikirate" / "answers.csv").exists()
    zipped = tmp_path / "open.zip"
    assert _run("export", "open-data", "--out", str(zipped), "--zip").exit_code == 0
    assert "datapackage.json" in zipfile.ZipFile(zipped).namelist()
    again = CliRunner().invoke(cli, ["export", "open-data", "--out", str(out)])
    assert again.exit_code == 2 and "exists" in again.output
    assert AuditEvent.objects.filter(action="export", detail__what="open-data").count() == 2
