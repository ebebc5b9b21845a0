"""Broken files end with a clear message, a non-zero exit code and an unchanged database."""

import codecs
import json
import os

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.models import Source
from shopfloor.sources import ImportFailed, run_import
from shopfloor.stats import model_counts

pytestmark = pytest.mark.django_db

GOOD = "country,name,address,sector\nCAMBODIA,Golden Lotus Garment,Phnom Penh,Apparel\n"


def _cli_import(path, *args):
    before = model_counts()
    result = CliRunner().invoke(cli, ["import", "oshub", str(path), *args])
    assert model_counts() == before, "a failed import changed the database"
    return result


@pytest.fixture
def seeded(data_dir):
    """A database that already holds a real import, so 'unchanged' means something."""
    run_import("oshub", data_dir / "oshub/facility_lists/12.csv")


def _write(tmp_path, name, content, mode="w", **kw):
    path = tmp_path / name
    with open(path, mode, **kw) as fh:
        fh.write(content)
    return path


@pytest.mark.parametrize("name, content, message", [
    ("truncated.csv", GOOD + 'CAMBODIA,"Mekong Star Apparel,Kandal', "truncated"),
    ("truncated2.csv", GOOD + "CAMBODIA,Mekong Star", "truncated"),
    ("wrong-delimiter.csv", "country name address sector\nKH Golden Lotus PP Apparel\n",
     "missing required column"),
    ("mixed-delimiters.csv", "country,name,address,sector\nKH;Golden;PP;Apparel\n"
     "KH;Mekong;Kandal;Apparel\n", "no row has the header's 4 columns"),
    ("no-name.csv", "country,address,sector\nKH,Phnom Penh,Apparel\n",
     "missing required column(s) for name"),
    ("empty.csv", "", "empty"),
    ("bad.json", '[{"name": "x", ', "not valid JSON"),
])
def test_broken_text_files(seeded, tmp_path, name, content, message):
    result = _cli_import(_write(tmp_path, name, content))
    assert result.exit_code == 1
    assert "nothing was changed" in result.output
    assert message in result.output


def test_missing_column_message_lists_the_columns_found(tmp_path):
    path = _write(tmp_path, "x.csv", "Land,Fabrik\nKH,Golden Lotus\n")
    with pytest.raises(ImportFailed) as err:
        run_import("oshub", path)
    assert "Columns found: 'Land', 'Fabrik'" in str(err.value)
    assert "--map" in str(err.value)


def test_binary_garbage(seeded, tmp_path):
    path = _write(tmp_path, "garbage.csv", os.urandom(200_000), "wb")
    result = _cli_import(path)
    assert result.exit_code == 1
    assert "binary file" in result.output


def test_a_100_mb_file_of_junk(seeded, tmp_path):
    path = tmp_path / "junk.csv"
    with open(path, "wb") as fh:
        for _ in range(100):
            fh.write(os.urandom(1024 * 1024))
    result = _cli_import(path)
    assert result.exit_code == 1
    assert "binary file" in result.output


def test_a_file_over_the_size_limit(seeded, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = _write(tmp_path, "big.csv", GOOD + "KH,Other Garment,Kandal,Apparel\n" * 100)
    result = _cli_import(path)
    assert result.exit_code == 1
    assert "import limit" in result.output


def test_text_in_neither_utf8_nor_cp1252(seeded, tmp_path):
    path = _write(tmp_path, "x.csv", GOOD.encode() + b"KH,Caf\x81\x8d\xff,PP,Apparel\n", "wb")
    result = _cli_import(path)
    assert result.exit_code == 1
    assert "neither UTF-8 nor Windows-1252" in result.output


def test_a_bad_row_midway_rolls_back_nothing_else_but_is_reported(tmp_path):
    path = _write(tmp_path, "x.csv", GOOD + "Atlantis,Sunken Garment,Deep,Apparel\n"
                  "KH,Mekong Star Apparel,Kandal,Apparel\n")
    report = run_import("oshub", path)
    assert report.rejected == [(3, "country: 'Atlantis' is not a country name or ISO code")]
    assert (report.created, report.rows_read) == (2, 3)


def test_a_failure_after_rows_were_written_leaves_nothing(seeded, tmp_path):
    """Rows 2–3000 are fine and flushed in batches; the truncated end rolls all back."""
    rows = "".join(f"KH,Garment {i},Street {i},Apparel\n" for i in range(3000))
    path = _write(tmp_path, "x.csv", "country,name,address,sector\n" + rows + "KH,Trunc")
    before = model_counts()
    with pytest.raises(ImportFailed, match="truncated"):
        run_import("oshub", path)
    assert model_counts() == before


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b""), ("utf-16-le", b""),
    ("cp1252", b""),
])
def test_encodings_are_detected_and_text_survives(tmp_path, encoding, bom):
    name = "Café Ñandú Garment" if encoding == "cp1252" else "រោងចក្រកាត់ដេរ ផ្កាឈូក Café"
    content = f"country,name,address,sector\nCAMBODIA,{name},Phnom Penh,Apparel\n"
    path = _write(tmp_path, "x.csv", bom + content.encode(encoding), "wb")
    report = run_import("oshub", path)
    assert report.created == 1
    from shopfloor.models import FacilityRecord

    assert FacilityRecord.objects.get().name == name
    if encoding == "cp1252":
        assert any("cp1252" in n for n in report.notes)


def test_semicolon_and_tab_separated_files_are_read(tmp_path):
    for delimiter in (";", "\t"):
        path = _write(tmp_path, f"x{ord(delimiter)}.csv",
                      GOOD.replace(",", delimiter).replace("Golden", f"G{ord(delimiter)}"))
        report = run_import("oshub", path)
        assert report.created == 1, report.as_dict()


def test_dry_run_reports_but_writes_nothing(data_dir):
    before = model_counts()
    report = run_import("oshub", data_dir / "oshub/facility_lists/2.csv", dry_run=True)
    assert (report.created, report.unchanged, report.dry_run) == (78, 5, True)
    assert model_counts() == before
    assert not Source.objects.exists()


def test_cli_json_report(data_dir):
    result = CliRunner().invoke(cli, ["import", "oshub",
                                      str(data_dir / "oshub/facility_lists/12.csv"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["rows_read"] == 15 and report["created"] == 15
    assert report["source_id"] == Source.objects.get().pk
