"""``shopfloor brief``: writes the brief as the system, audited, or nothing at all."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.models import AuditEvent
from tests import factories as f
from tests.reports import briefdata as B

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(ws):
    return B.build(ws)


def _run(*args):
    return CliRunner().invoke(cli, ["brief", *args])


def test_a_khmer_pdf_with_the_unions_evidence(ws, data, tmp_path):
    out = tmp_path / "brief.pdf"
    result = _run(ws.a.os_id.lower(), "--lang", "km", "--out", str(out), "--union",
                  ws.union.name)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "Khmer, with the evidence of Union A" in result.output
    event = AuditEvent.objects.get(action="export")
    assert event.actor is None and event.organisation == ws.union
    assert {k: event.detail[k] for k in ("format", "what", "via", "union_evidence")} == {
        "format": "pdf", "what": "factory brief", "via": "command line",
        "union_evidence": True}


def test_html_without_a_union_is_published_data_only(ws, data, tmp_path):
    out = tmp_path / "brief.html"
    result = _run(str(ws.a.pk), "--out", str(out), "--html")
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>") and '<html lang="en">' in html
    assert "<style>" in html and "Brand X" in html
    assert 'id="union"' not in html and B.ISSUE_EN not in html and B.ISSUE_KM not in html
    assert AuditEvent.objects.get(action="export").detail["format"] == "html"


@pytest.mark.parametrize("args, message", [
    (["NOPE123", "--out", "{out}"], "no factory with id or OS ID 'NOPE123'"),
    (["{a}", "--out", "{out}", "--union", "Nobody"], "no organisation named 'Nobody'"),
    (["{a}", "--out", "{out}", "--union", "Rival union", "--lang", "fr"], "'fr' is not one of"),
    (["{a}", "--out", "{tmp}/missing/brief.pdf"], "no folder"),
])
def test_bad_input_is_refused_and_nothing_written(ws, data, tmp_path, args, message):
    out = tmp_path / "brief.pdf"
    args = [a.format(out=out, a=ws.a.pk, tmp=tmp_path) for a in args]
    result = _run(*args)
    assert result.exit_code == 2 and message in result.output
    assert not out.exists() and not AuditEvent.objects.filter(action="export").exists()


def test_a_union_that_does_not_organise_there_is_refused(ws, data, tmp_path):
    result = _run(str(ws.c.pk), "--out", str(tmp_path / "b.pdf"), "--union", ws.union.name)
    assert result.exit_code == 2 and "Union A does not organise at Factory C" in result.output
    # a federation organises through its affiliates
    result = _run(str(ws.a.pk), "--out", str(tmp_path / "b.pdf"), "--union", ws.fed.name)
    assert result.exit_code == 0, result.output


def test_a_factory_without_data(ws, tmp_path):
    bare = f.facility(ws.public, name="Nothing Known", os_id="KH2020001ABCDE1")
    result = _run(bare.os_id, "--lang", "km", "--out", str(tmp_path / "b.pdf"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
