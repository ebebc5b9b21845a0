"""Open data: public facts only, a valid Data Package with the sources' licences, and a
Wikirate CSV that Shopfloor's own importer reads back to the same answers."""

import csv
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from frictionless import validate

from shopfloor.evidence.workflow import create_issue
from shopfloor.models import (
    Assessment,
    Company,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Metric,
    Relationship,
    Source,
)
from shopfloor.reports.opendata import licence_entry, licence_id, write_open_data
from shopfloor.sources import SourceInfo, run_import
from tests import factories as f

pytestmark = pytest.mark.django_db
V = Source.Visibility
WIKIRATE_GAP = "Clean Clothes Campaign+Living Wage Gap - Actual Wages as % of Living Wage"


@pytest.fixture
def data(ws):
    """Public facts about factory A and two brands, and facts that must never leave: a
    union's own list, a restricted source naming workers, union evidence."""
    d = ws
    d.osh = f.source(publisher="Open Supply Hub", title="OS Hub Cambodia",
                     url="https://opensupplyhub.org/facilities?countries=KH",
                     licence="CC-BY-SA-4.0", published_on=date(2024, 1, 5))
    d.wr = f.source(publisher="Wikirate", title="Living wage gap", licence="CC BY 4.0",
                    url="https://wikirate.org/Clean_Clothes_Campaign",
                    published_on=date(2024, 6, 1))
    d.newer = f.source(publisher="Wikirate", title="Living wage gap, later export",
                       licence="CC-BY-4.0", url="https://wikirate.org/x",
                       published_on=date(2025, 1, 1))
    d.nolicence = f.source(publisher="A brand", title="Supplier list 2023", licence="",
                           file_name="brand-2023.xlsx")
    d.secret_list = f.source(publisher="Union A", title="Our members' factories",
                             organisation=ws.union, visibility=V.ORGANISATION)
    d.names = f.source(publisher="Union A", title="Named workers", organisation=ws.union,
                       visibility=V.RESTRICTED)
    d.hidden = Facility.objects.create(name="Hidden Factory ZQX", country="KH")
    FacilityRecord.objects.create(source=d.secret_list, row_number=2, name=d.hidden.name,
                                  country="KH", facility=d.hidden, raw={},
                                  decision=FacilityRecord.Decision.CONFIRMED)
    FacilityRecord.objects.create(source=d.osh, row_number=2, name=ws.a.name, country="KH",
                                  facility=ws.a, raw={}, decision="automatic")
    workers = f.metric("workers_total", name="Workers (total)")
    gap = f.metric("clean-clothes-campaign-living-wage-gap-actual-wages-as-of-living-wage",
                   name="Living Wage Gap - Actual Wages as % of Living Wage",
                   topic="wages", value_type="percent", unit="%",
                   description=f"Wikirate metric {WIKIRATE_GAP!r}: https://wikirate.org/x")
    policy = f.metric("has_foa_policy", name="Has a freedom of association policy",
                      topic="foa", value_type="category", subject="company")
    wage = f.metric("minimum_wage_monthly", name="Minimum wage", subject="country",
                    topic="wages", value_type="money", unit="USD/month")
    dp = Datapoint.objects.create
    dp(metric=workers, facility=ws.a, year=2023, value_number=Decimal("1250"), source=d.osh,
       citation="row 2")
    dp(metric=gap, facility=ws.a, year=2023, value_number=Decimal("31.0080"), source=d.wr,
       citation="https://wikirate.org/a")
    dp(metric=gap, facility=ws.a, year=2023, value_number=Decimal("33.5"), source=d.newer,
       citation="https://wikirate.org/b")  # the same answer, published later: it wins
    dp(metric=policy, company=ws.brand_co, year=2024, value_text="Yes", source=d.wr,
       citation="https://wikirate.org/c")
    dp(metric=wage, country="KH", year=2024, value_number=Decimal("204"), source=d.osh)
    dp(metric=workers, facility=ws.b, year=2022, value_number=Decimal("480"),
       source=d.nolicence, citation="sheet 1 row 4")
    dp(metric=workers, facility=ws.a, year=2024, value_number=Decimal("777777"),
       source=d.names, citation="row 9")  # restricted: never exported
    dp(metric=workers, facility=d.hidden, year=2024, value_number=Decimal("666666"),
       source=d.secret_list)
    d.owner = Company.objects.create(name="Brand X Group")
    Relationship.objects.filter(subject=ws.brand_co).update(year_start=2021, year_end=2023)
    Relationship.objects.create(subject=d.owner, kind="owns_brand", object_company=ws.brand_co,
                                year_start=2020, source=d.wr,
                                citation="https://wikirate.org/~5788188")
    Relationship.objects.create(subject=ws.brand_co, kind="sources_from", facility=d.hidden,
                                source=d.secret_list, year_start=2024)
    crit = f.criterion("12", src=d.osh)
    a = Assessment.objects.create(facility=ws.a, cycle=1, assessed_on=date(2024, 3, 1),
                                  source=d.osh)
    Finding.objects.create(assessment=a, criterion=crit, status="compliant", source=d.osh,
                           citation="cycle 1")
    create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2024, 5, 1), title="ZQX issue",
                 topic="wages", description="ZQX description")
    return d


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_licence_ids():
    assert licence_id("CC BY 4.0") == "CC-BY-4.0"
    assert licence_id("CC0-1.0 (fictional demo)") == "CC0-1.0"
    assert licence_id("CC BY 3.0 IGO") is None  # not guessed as CC-BY-3.0
    assert licence_entry("") is None
    assert licence_entry("ODbL 1.0")["path"].startswith("https://opendatacommons.org/")
    assert licence_entry("Reuse with attribution") == {"title": "Reuse with attribution",
                                                       "path": "sources.csv"}


def test_the_package_is_valid_and_public_only(data, tmp_path):
    out = tmp_path / "open-data"
    rows = write_open_data(out)
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((out / "datapackage.json").read_text())
    assert [r["name"] for r in package["resources"]] == [
        "sources", "facilities", "companies", "relationships", "datapoints", "findings",
        "wikirate-answers", "wikirate-relationships"]
    every = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    for never in ("ZQX", "777777", "666666", "Our members' factories", "Named workers"):
        assert never not in every
    sources = {int(s["id"]): s for s in _read(out / "sources.csv")}
    assert set(sources) == set(Source.objects.filter(visibility=V.PUBLIC)
                               .values_list("pk", flat=True))
    assert {int(x["id"]) for x in _read(out / "facilities.csv")} == {data.a.pk, data.b.pk,
                                                                    data.c.pk}
    assert rows["datapoints"] == 6  # the two values of one answer both
    keys = {r["name"]: r["schema"] for r in package["resources"]}
    assert keys["datapoints"]["primaryKey"] == ["id"]
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["id"]}} \
        in keys["datapoints"]["foreignKeys"]
    types = {fld["name"]: fld["type"] for fld in keys["datapoints"]["fields"]}
    assert types["value_number"] == "number" and types["year"] == "integer"


def test_the_validator_catches_a_broken_foreign_key(data, tmp_path):
    """The check above is real: a row pointing to no source fails it."""
    out = tmp_path / "open-data"
    write_open_data(out)
    with open(out / "findings.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [999999, data.a.pk, "BFC", 9, "", "1", "x", "", "", "compliant", "", 999999, ""])
    report = validate(str(out / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


def test_licences_are_carried_over_and_unknown_ones_said_so(data, tmp_path):
    out = tmp_path / "open-data"
    write_open_data(out)
    package = json.loads((out / "datapackage.json").read_text())
    names = [lic.get("name") for lic in package["licenses"]]
    assert names == ["CC-BY-4.0", "CC-BY-SA-4.0"]  # every distinct one, none made up
    assert package["x-shopfloor-licence-unknown"]["source_ids"] == [data.nolicence.pk]
    res = {r["name"]: r for r in package["resources"]}
    assert [lic["name"] for lic in res["findings"]["licenses"]] == ["CC-BY-SA-4.0"]
    assert "state no licence: 1" in res["datapoints"]["description"]
    assert "state no licence" not in res["findings"]["description"]
    sources = {int(s["id"]): s for s in _read(out / "sources.csv")}
    assert sources[data.nolicence.pk]["licence"] == ""
    assert sources[data.nolicence.pk]["licence_known"] == "false"
    assert sources[data.wr.pk]["licence"] == "CC BY 4.0"  # as the source states it
    assert sources[data.wr.pk]["licence_id"] == "CC-BY-4.0"
    # every row names its source
    for row in _read(out / "datapoints.csv"):
        assert int(row["source_id"]) in sources


def test_a_zip_package_validates(data, tmp_path):
    out = tmp_path / "open-data.zip"
    write_open_data(out, zip=True)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert {"datapackage.json", "datapoints.csv", "wikirate/answers.csv"} <= names
        archive.extractall(tmp_path / "unzipped")
    report = validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert not list(tmp_path.glob(".open-data*"))  # no temporary leftovers


def test_nothing_is_overwritten_or_half_written(data, tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError):
        write_open_data(out)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert not list(tmp_path.glob(".open-data*"))


def test_wikirate_answers_one_per_metric_company_and_year(data, tmp_path):
    out = tmp_path / "open-data"
    write_open_data(out)
    answers = _read(out / "wikirate" / "answers.csv")
    assert list(answers[0])[:5] == ["Metric", "Company", "Year", "Value", "Source Page"]
    got = {(a["Metric"], a["Company"], a["Year"]): a for a in answers}
    gap = got[(WIKIRATE_GAP, data.a.name, "2023")]
    assert gap["Value"] == "33.5" and gap["Level"] == "facility"  # the later source wins
    assert gap["Source Page"] == "https://wikirate.org/x" and gap["Licence"] == "CC-BY-4.0"
    assert got[("Shopfloor+Has a freedom of association policy", "Brand X", "2024")][
        "Value"] == "Yes"
    assert got[("Shopfloor+Workers (total)", data.a.name, "2023")]["Value"] == "1250"
    assert not [a for a in answers if a["Metric"] == "Shopfloor+Minimum wage"]  # country
    rels = _read(out / "wikirate" / "relationships.csv")
    assert list(rels[0])[:6] == ["Relationship Link", "Metric", "Subject Company",
                                 "Object Company", "Year", "Value"]
    supplied = sorted(r["Year"] for r in rels if r["Metric"] == "Commons+Supplied By")
    assert supplied == ["2021", "2022", "2023"]  # one answer per year
    owns = [r for r in rels if r["Metric"] == "Commons+Has Brands"]
    assert [(r["Subject Company"], r["Object Company"], r["Relationship Link"]) for r in owns] \
        == [("Brand X Group", "Brand X", "https://wikirate.org/~5788188")]


def _answers(path) -> set[tuple]:
    return {(a["Metric"], a["Company"], a["Year"], a["Value"], a["Level"], a["Country"])
            for a in _read(path)}


def _relationships(path) -> set[tuple]:
    return {(r["Metric"], r["Subject Company"], r["Object Company"], r["Year"])
            for r in _read(path)}


def test_the_wikirate_csv_round_trips_through_the_importer(data, tmp_path):
    first = tmp_path / "first"
    write_open_data(first)
    # an empty database: nothing of the first one is left
    from shopfloor.models import Case, Criterion, MonitoringIssue, Organisation

    Finding.objects.all().delete()
    Criterion.objects.all().delete()
    MonitoringIssue.objects.all().delete()
    Case.objects.all().delete()
    Organisation.objects.all().delete()
    Source.objects.all().delete()
    Facility.objects.all().delete()
    Company.objects.all().delete()
    Metric.objects.all().delete()
    assert not Datapoint.objects.exists() and not Facility.objects.exists()

    info = SourceInfo(publisher="Shopfloor open data", title="answers",
                      licence="CC-BY-4.0")
    report = run_import("wikirate", first / "wikirate" / "answers.csv", info=info)
    assert not report.rejected, report.rejected
    report = run_import("wikirate", first / "wikirate" / "relationships.csv",
                        info=SourceInfo(publisher="Shopfloor open data",
                                        title="relationships", licence="CC-BY-4.0"))
    assert not report.rejected, report.rejected
    # factory answers landed on factories, brand answers on companies
    assert Datapoint.objects.filter(facility__isnull=False).count() == 3
    assert Datapoint.objects.filter(company__isnull=False).count() == 1
    assert Facility.objects.get(name=data.a.name).country == "KH"

    second = tmp_path / "second"
    write_open_data(second)
    assert _answers(second / "wikirate" / "answers.csv") == _answers(
        first / "wikirate" / "answers.csv")
    assert _relationships(second / "wikirate" / "relationships.csv") == _relationships(
        first / "wikirate" / "relationships.csv")
