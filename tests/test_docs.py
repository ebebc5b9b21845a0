"""Examples in the docs are real commands that work."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.stats import model_counts

ROOT = Path(__file__).resolve().parents[1]
_EXAMPLE = re.compile(r"^\s*(?:\.venv/bin/)?shopfloor (import \S+ \.\./shared/data/\S+.*)$",
                      re.MULTILINE)


def _examples() -> list[str]:
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        found += [m.group(1).split("#")[0].strip() for m in _EXAMPLE.finditer(page.read_text())]
    return found


def test_the_docs_have_import_examples():
    assert len(_examples()) >= 8


@pytest.mark.django_db
@pytest.mark.parametrize("command", _examples())
def test_import_example_runs(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)
    if "--dry-run" not in args:
        args.append("--dry-run")
    before = model_counts()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "rows read" in result.output and "rolled back (dry run)" in result.output
    assert model_counts() == before


def test_bfc_template_command(tmp_path):
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(cli, ["template", "bfc", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text().startswith("factory_name,bfc_id,os_id,country,cycle")
