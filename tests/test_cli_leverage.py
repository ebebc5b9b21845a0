"""``shopfloor leverage``: the pack as a ZIP from the command line, as the server."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.evidence import cases as case_lib
from shopfloor.evidence import vault
from shopfloor.models import AuditEvent
from tests.evidence.files import jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ws):
    case = case_lib.create_case(ws.union, ws.a, by=ws.rep, kind="dismissal",
                                title="Fired", opened_on=dt.date(2023, 3, 1))
    stored, _ = vault.add_file(ws.union, ws.a, io.BytesIO(jpeg_with_gps()), by=ws.rep)
    vault.attach(stored, case=case, by=ws.rep)
    return case


def test_writes_the_zip_and_audits_it_as_the_system(case, tmp_path):
    out = tmp_path / "pack.zip"
    result = CliRunner().invoke(cli, ["leverage", str(case.pk), "--out", str(out),
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "1 brand(s) sourcing in 2023 (Brand X)" in result.output
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    assert {"pack.pdf", "facts.csv", "letters/brand-x.txt", "letters/brand-x.km.txt",
            "evidence/01-photo.jpg", "evidence/manifest.csv"} <= names
    event = AuditEvent.objects.get(action="export")
    assert event.actor is None and event.detail["reader"] == "system"
    assert event.detail["what"] == "leverage pack" and event.organisation_id == case.organisation_id
    assert not list(tmp_path.glob(".leverage-*"))  # no temporary file left behind


def test_bad_input_gets_a_clear_error_and_no_file(case, tmp_path):
    out = tmp_path / "pack.zip"
    result = CliRunner().invoke(cli, ["leverage", "999999", "--out", str(out)])
    assert result.exit_code == 1 and "No case with id 999999" in result.output
    result = CliRunner().invoke(cli, ["leverage", str(case.pk), "--out",
                                      str(tmp_path / "missing" / "pack.zip")])
    assert result.exit_code == 1 and "No such folder" in result.output
    result = CliRunner().invoke(cli, ["leverage", str(case.pk), "--out", str(out),
                                      "--lang", "fr"])
    assert result.exit_code == 2
    assert not out.exists() and not AuditEvent.objects.filter(action="export").exists()


def test_an_issue_pack(ws, tmp_path):
    from shopfloor.evidence import workflow

    issue = workflow.create_issue(ws.union, ws.a, by=ws.rep, found_on=dt.date(2023, 6, 1),
                                  title="Fans broken", topic="heat_stress")
    out = tmp_path / "issue.zip"
    result = CliRunner().invoke(cli, ["leverage", str(issue.pk), "--issue", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)
