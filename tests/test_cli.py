"""The ``shopfloor`` command, in process and as a real subprocess."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from tests import factories as f


@pytest.mark.django_db
def test_stats_json_counts_every_model():
    f.facility()
    f.facility()
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["shopfloor.Facility"] == 2
    assert counts["shopfloor.FacilityRecord"] == 2
    assert counts["shopfloor.Datapoint"] == 0
    assert "auth.User" in counts


@pytest.mark.django_db
def test_stats_table_for_people():
    f.facility()
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 0
    assert "shopfloor.Facility" in result.output


def _shopfloor(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}"}
    env.pop("SECRET_KEY", None)
    return subprocess.run([sys.executable, "-m", "shopfloor", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_migrate_demo_stats_end_to_end(tmp_path):
    """What `make demo` runs, on a fresh SQLite file; every model ends up non-empty."""
    db = str(tmp_path / "demo.sqlite3")
    assert _shopfloor("migrate", db=db).returncode == 0
    demo = _shopfloor("demo", db=db)
    assert demo.returncode == 0, demo.stderr
    assert "shopfloor-demo" in demo.stdout  # the demo logins are printed
    counts = json.loads(_shopfloor("stats", "--json", db=db).stdout)
    empty = [label for label, n in counts.items() if n == 0]
    assert empty == []
    again = _shopfloor("demo", db=db)
    assert "already has data" in again.stdout
    assert json.loads(_shopfloor("stats", "--json", db=db).stdout) == counts


def test_manage_reaches_django_commands(tmp_path):
    run = _shopfloor("manage", "showmigrations", "shopfloor", db=str(tmp_path / "x.sqlite3"))
    assert run.returncode == 0, run.stderr
    assert "0001_initial" in run.stdout
