"""Journey 1: upload our factories, see everything connected to them, export with sources."""

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.linkage.decisions import confirm, review_queue
from shopfloor.models import (
    Assessment,
    Datapoint,
    FacilityRecord,
    Finding,
    Metric,
    Organisation,
    Relationship,
    Watchlist,
)
from shopfloor.watchlists import create_watchlist, export_watchlist, watchlist_summary
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Two known factories with buyers, facts and a BFC cycle; a third nobody lists."""
    src = factories.source(publisher="Open Data Org", url="https://example.org/kh.csv")
    gl = factories.facility(src, name="Golden Lotus Garment Co., Ltd.", address="Phnom Penh",
                            name_km="រោងចក្រកាត់ដេរ ផ្កាឈូកមាស", bfc_id="BFC-1")
    mk = factories.facility(src, name="Mekong Knitwear", address="Kandal")
    other = factories.facility(src, name="Silver Crane Apparel", address="Takeo")
    brands = [factories.company(src, name=n) for n in ("Brand A", "Brand B", "Brand C")]
    for brand, fac, years in ((brands[0], gl, (2016, 2020)), (brands[1], gl, (2019, 2024)),
                              (brands[0], mk, (2021, 2025)), (brands[2], other, (2010, 2011))):
        Relationship.objects.create(subject=brand, kind="sources_from", facility=fac,
                                    source=src, year_start=years[0], year_end=years[1],
                                    citation="row 7")
    wage = factories.metric("avg_monthly_wage_usd", topic=Metric.Topic.WAGES)
    workers = factories.metric("workers_total")
    cases = factories.metric("foa_investigation_count", topic=Metric.Topic.FOA)
    Datapoint.objects.create(metric=wage, facility=gl, year=2024, value_number=250, source=src,
                             citation="row 3")
    Datapoint.objects.create(metric=workers, facility=mk, year=2024, value_number=900,
                             source=src)
    Datapoint.objects.create(metric=cases, facility=mk, year=2024, value_number=1, source=src)
    a = Assessment.objects.create(facility=gl, cycle=1, source=src)
    Finding.objects.create(assessment=a, criterion=factories.criterion("12", src),
                           status="non_compliant", source=src, citation="p. 4")
    return gl, mk, other


@pytest.fixture
def union():
    return Organisation.objects.create(name="Test Union (fictional)", kind="federation")


def _list(tmp_path, rows, name="ours.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Factory name", "Province", "Union members"])
        writer.writerows(rows)
    return path


ROWS = [["រោងចក្រកាត់ដេរ ផ្កាឈូកមាស", "Phnom Penh", "120"],
        ["MEKONG KNITWEAR", "Kandal", "80"],
        ["Nowhere Garment", "Takeo", "10"]]


def test_summary_counts_what_is_connected(tmp_path, registry, union):
    wl = create_watchlist("Our factories", _list(tmp_path, ROWS), organisation=union)
    assert wl.source.importer == "facility-list" and wl.source.organisation == union
    s = watchlist_summary(wl)
    assert s["rows"] == {"total": 3, "matched": 2, "pending": 0, "unmatched": 1}
    assert s["facilities"] == 2
    # Silver Crane's buyer is not counted: it is not on the list.
    assert s["relationships"] == {"count": 3, "brands": 2, "since": 2016, "until": 2025}
    assert s["datapoints"]["by_topic"] == {"demographics": 1, "foa": 3, "wages": 1}
    assert s["facilities_with_wage_data"] == 1
    assert s["bfc"] == {"facilities_assessed": 1, "assessments": 1, "findings": 1,
                        "non_compliant": 1}
    assert s["foa_investigations"] == 1


def test_exports_carry_the_source_of_every_value(tmp_path, registry, union, caplog):
    wl = create_watchlist("Our factories", _list(tmp_path, ROWS), organisation=union)
    caplog.set_level("INFO", logger="shopfloor.audit")
    rows = list(csv.DictReader(io.StringIO(export_watchlist(wl, "csv").decode("utf-8-sig"))))
    sections = [r["section"] for r in rows]
    assert sections.count("list") == 3 and sections.count("relationship") == 3
    assert sections.count("finding") == 1
    for row in rows:
        assert row["publisher"] and row["source_title"] and row["source_location"]
        assert row["citation"] or row["section"] == "datapoint"
    wage = next(r for r in rows if r["item"] == "avg monthly wage usd")
    assert (wage["value"], wage["publisher"], wage["source_location"], wage["licence"],
            wage["citation"], wage["list_row"]) == (
        "250", "Open Data Org", "https://example.org/kh.csv", "CC-BY-4.0", "row 3", "2")
    listed = next(r for r in rows if r["section"] == "list" and r["list_row"] == "2")
    assert listed["list_name"] == ROWS[0][0] and listed["publisher"] == union.name

    assert f"export watchlist={wl.pk} format=csv rows={len(rows)}" in caplog.text
    with pytest.raises(ValueError):
        export_watchlist(wl, "pdf")
    data = json.loads(export_watchlist(wl, "json"))
    assert data["summary"]["facilities"] == 2 and len(data["rows"]) == len(rows)
    book = openpyxl.load_workbook(io.BytesIO(export_watchlist(wl, "xlsx")))
    assert book["evidence"].max_row == len(rows) + 1
    assert "3 supply-chain relationships to 2 brands since 2016" in [
        c.value for c in book["summary"]["A"]]


def test_formulas_in_an_uploaded_list_stay_text(tmp_path, registry, union):
    wl = create_watchlist("Ours", _list(tmp_path, [["=HYPERLINK(\"x\")", "Takeo", ""]]),
                          organisation=union)
    text = export_watchlist(wl, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_reupload_reuses_confirmed_matches(tmp_path, registry, union):
    gl = registry[0]
    wl = create_watchlist("Ours", _list(tmp_path, [["Goldn Lotus Garmnt", "Phnom Penh", "5"]]),
                          organisation=union)
    rec = wl.source.facility_records.get()
    if rec.facility_id is None:  # without the probabilistic matcher: offer it by hand
        rec.facility = gl
        rec.save()
    if rec.decision == FacilityRecord.Decision.PENDING:
        confirm(rec, gl)
    later = _list(tmp_path, [["GOLDN LOTUS GARMNT", "Phnom Penh", "6"],
                             ["Mekong Knitwear", "Kandal", "7"]], name="ours-2025.csv")
    wl2 = create_watchlist("Ours", later, organisation=union)
    assert wl2.pk == wl.pk and wl2.source_id != rec.source_id
    assert Watchlist.objects.count() == 1
    assert review_queue(source=wl2.source).count() == 0
    assert watchlist_summary(wl2)["rows"]["matched"] == 2


def test_cli_create_summary_export(tmp_path, registry, union):
    runner = CliRunner()
    path = _list(tmp_path, ROWS)
    result = runner.invoke(cli, ["watchlist", "create", "Our factories", str(path),
                                 "--organisation", union.name])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["watchlist", "summary", "our factories", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"]["matched"] == 2
    result = runner.invoke(cli, ["watchlist", "summary", "Our factories"])
    assert "3 supply-chain relationships to 2 brands since 2016" in result.output
    out = tmp_path / "export.xlsx"
    result = runner.invoke(cli, ["export", "watchlist", "Our factories", "--format", "xlsx",
                                 "--out", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 1000
    result = runner.invoke(cli, ["export", "watchlist", "nope"])
    assert result.exit_code != 0 and "no watchlist" in result.output
