"""Wikirate answers, relationships and companies: the real files and Wikirate's own exports."""

import csv
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from shopfloor.models import Company, Datapoint, Facility, FacilityRecord, Metric, Relationship
from shopfloor.models import Source as SourceModel
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.sources.wikirate import card_name, hq_country, split_metric
from shopfloor.stats import model_counts

pytestmark = pytest.mark.django_db

WIKIRATE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "wikirate"
GAP = WIKIRATE / "wikirate_ccc_living_wage_gap_cambodia.csv"
PAID = WIKIRATE / "wikirate_ccc_living_wages_paid_score.csv"
FASHION = WIKIRATE / "wikirate_fashionchecker_brand_answers_2021.csv"
BRANDS = WIKIRATE / "wikirate_commons_has_brands_relationships.csv"
COMPANIES = WIKIRATE / "wikirate_apparel_100_companies.csv"
REAL = [GAP, PAID, FASHION, BRANDS, COMPANIES]

GAP_METRIC = "clean-clothes-campaign-living-wage-gap-actual-wages-as-of-living-wage-benchmark"
PAID_METRIC = "clean-clothes-campaign-living-wages-paid-score"


def delta(before, after):
    return {k.split(".")[1]: after[k] - before[k] for k in after if after[k] != before.get(k, 0)}


def imported(path, **kwargs):
    before = model_counts()
    report = run_import("wikirate", path, **kwargs)
    return report, delta(before, model_counts())


def assert_provenance(source_id):
    """Every fact of the import has its source and a citation."""
    dps = Datapoint.objects.filter(source_id=source_id)
    rels = Relationship.objects.filter(source_id=source_id)
    assert not dps.filter(citation="").exists()
    assert not rels.filter(citation="").exists()
    for model in (Datapoint, Relationship, FacilityRecord):
        assert not model.objects.filter(source__isnull=True).exists()
    for dp in dps.filter(company__isnull=False).select_related("company")[:50]:
        assert dp.company.sources.filter(pk=source_id).exists()


# ----------------------------------------------------------------- the real files
def test_the_real_files_are_there():
    for path in REAL:
        assert path.is_file(), path


def test_living_wage_gap_is_seven_cambodian_factories():
    report, changed = imported(GAP)
    assert changed == {"Source": 1, "Metric": 1, "Facility": 7, "FacilityRecord": 7,
                       "Datapoint": 7}
    assert (report.rows_read, report.created, report.rejected) == (7, 7, [])
    assert any("answers" in n and "value_pct_of_living_wage→value" in n for n in report.notes)
    assert any("(KH) assumed" in n for n in report.notes)
    metric = Metric.objects.get(code=GAP_METRIC)
    assert metric.name == "Living Wage Gap - Actual Wages as % of Living Wage Benchmark"
    assert (metric.subject, metric.topic) == (Metric.Subject.FACILITY, Metric.Topic.WAGES)
    assert (metric.value_type, metric.unit) == (Metric.ValueType.PERCENT, "%")
    assert set(Facility.objects.values_list("country", flat=True)) == {"KH"}
    dps = Datapoint.objects.filter(metric=metric)
    assert dps.count() == 7 and not dps.filter(facility__isnull=True).exists()
    assert not dps.filter(company__isnull=False).exists()
    assert Company.objects.count() == 0  # factories are not brands
    apple = dps.get(facility__name="APPLE APPAREL (CAMBODIA) CO., LTD")
    assert apple.value_number == Decimal("31.0080") and apple.year == 2023  # 31.008000000000003
    assert apple.citation == (
        "https://wikirate.org/Clean_Clothes_Campaign+Living_Wage_Gap_Actual_Wages_as_of_"
        "Living_Wage_Benchmark+APPLE_APPAREL_CAMBODIA_CO_LTD+2023")
    assert dps.get(facility__name__startswith="Tien Sung").year == 2021
    assert dps.get(facility__name__startswith="BERRY").value_number == Decimal("31.6830")
    assert_provenance(report.source_id)


def test_living_wages_paid_score_grades_brands():
    report, changed = imported(PAID)
    assert changed == {"Source": 1, "Metric": 1, "Company": 219, "Datapoint": 219}
    assert (report.rows_read, report.created, report.rejected) == (219, 219, [])
    metric = Metric.objects.get(code=PAID_METRIC)
    assert metric.name == "Living Wages Paid Score"
    assert (metric.subject, metric.topic, metric.value_type) == (
        Metric.Subject.COMPANY, Metric.Topic.WAGES, Metric.ValueType.CATEGORY)
    grades = Counter(Datapoint.objects.values_list("value_text", flat=True))
    assert grades == {"E": 214, "D": 5}
    assert not Datapoint.objects.filter(value_number__isnull=False).exists()
    puma = Datapoint.objects.get(company__name="Puma")
    assert (puma.value_text, puma.year) == ("D", 2024)
    # the answer id stays in the citation: it survives a renamed company
    assert puma.citation == ("https://wikirate.org/Clean_Clothes_Campaign+Living_Wages_Paid_"
                             "Score+Puma+2024; answer 20300458")
    assert "comments" in report.dropped_columns
    assert any("4 answers have comments" in n for n in report.notes)
    assert_provenance(report.source_id)


def test_fashionchecker_brand_answers():
    report, changed = imported(FASHION)
    assert changed == {"Source": 1, "Metric": 6, "Company": 265, "Datapoint": 1420}
    assert (report.rows_read, report.created, report.rejected) == (1420, 1420, [])
    metrics = {m.code: m for m in Metric.objects.all()}
    assert set(metrics) == {
        "clean-clothes-campaign-supply-chain-transparency-score",
        "clean-clothes-campaign-public-commitment-on-living-wage-combined",
        "clean-clothes-campaign-isolating-labour-cost-combined",
        "clean-clothes-campaign-living-wage-action-plan-combined",
        PAID_METRIC, "core-country"}
    score = metrics["clean-clothes-campaign-supply-chain-transparency-score"]
    assert (score.topic, score.value_type) == (Metric.Topic.TRANSPARENCY,
                                               Metric.ValueType.NUMBER)
    assert metrics["core-country"].topic == Metric.Topic.OTHER
    commitment = metrics["clean-clothes-campaign-public-commitment-on-living-wage-combined"]
    assert (commitment.topic, commitment.value_type) == (Metric.Topic.WAGES,
                                                         Metric.ValueType.CATEGORY)
    values = Counter(Datapoint.objects.filter(metric=commitment)
                     .values_list("value_text", flat=True))
    assert values == {"No": 183, "Yes": 64, "Partial": 18}
    numbers = Counter(Datapoint.objects.filter(metric=score)
                      .values_list("value_number", flat=True))
    assert numbers == {Decimal("0"): 144, Decimal("10"): 47, Decimal("7.5"): 40,
                       Decimal("5"): 19, Decimal("2.5"): 15}
    assert Counter(Datapoint.objects.filter(metric=score).values_list("year", flat=True)) == {
        2021: 253, 2019: 11, 2020: 1}
    oberalp = Datapoint.objects.get(metric=score, company__name="Oberalp SpA")
    assert oberalp.value_number == Decimal("7.5")
    # no answer URL in this file: Wikirate's page address is built from the names
    assert oberalp.citation == ("https://wikirate.org/Clean_Clothes_Campaign+Supply_Chain_"
                                "Transparency_Score+Oberalp_SpA+2021; answer V1873664")
    # Core+Country fills the headquarters of the brand
    assert Company.objects.filter(hq_country="").count() == 0
    assert Company.objects.get(name="Oberalp SpA").hq_country == "IT"
    assert_provenance(report.source_id)


def test_commons_has_brands_become_owns_brand_relationships():
    report, changed = imported(BRANDS)
    assert changed == {"Source": 1, "Company": 1106, "Relationship": 1115}
    assert (report.rows_read, report.created, report.unchanged, report.rejected) == (
        1629, 1115, 514, [])
    assert any("23 relationships of a company with itself" in n for n in report.notes)
    assert any("491 rows state a relationship already known" in n for n in report.notes)
    assert any("3 company names were recognised" in n for n in report.notes)
    rels = Relationship.objects.all()
    assert set(rels.values_list("kind", flat=True)) == {Relationship.Kind.OWNS_BRAND}
    assert not rels.filter(object_company__isnull=True).exists()
    assert not rels.filter(facility__isnull=False).exists()
    assert not any(r.subject_id == r.object_company_id for r in rels)
    lvmh = Company.objects.get(name="Louis Vuitton Malletier SA (LVMH)")
    assert lvmh.kind == Company.Kind.GROUP
    benefit = rels.get(subject=lvmh, object_company__name="Benefit Cosmetics")
    assert (benefit.year_start, benefit.year_end) == (2020, 2020)
    assert benefit.citation == "https://wikirate.org/~5788188"
    assert Company.objects.get(name="Benefit Cosmetics").kind == Company.Kind.BRAND
    # 120 rows: the same 60 brand-years in two snapshots
    assert lvmh.relationships.count() == 60
    # one Wikirate company id under two names is one company with an alias
    athleta = Company.objects.get(name__in=["Athleta", "Athleta, Inc."])
    assert {athleta.name, *athleta.aliases} == {"Athleta", "Athleta, Inc."}
    assert "value" in report.dropped_columns
    assert_provenance(report.source_id)


def test_apparel_companies_with_aliases_and_headquarters():
    report, changed = imported(COMPANIES)
    assert changed == {"Source": 1, "Company": 100}
    assert (report.rows_read, report.created, report.rejected) == (100, 100, [])
    assert any("read as Wikirate companies" in n for n in report.notes)
    assert set(report.dropped_columns) == {"open_corporates", "oar_id", "wikipedia", "sec_cik"}
    gap = Company.objects.get(name="Gap inc.")
    assert gap.hq_country == "US"  # "California (United States)"
    assert gap.aliases == ["Gap", "the gap inc.", "gapinc"]  # duplicates and the name dropped
    assert Company.objects.get(name="Puma").hq_country == "DE"
    hqs = Counter(Company.objects.values_list("hq_country", flat=True))
    assert hqs["US"] == 44 and hqs["CA"] == 4 and hqs["CN"] == 7 and hqs[""] == 0
    # "inc." is an alias of both JC Penney and Nordstrom in the file: not a name
    for name in ("JC Penney", "Nordstrom"):
        assert "inc." not in Company.objects.get(name=name).aliases
    assert set(Company.objects.values_list("sources", flat=True)) == {report.source_id}


def test_all_files_together_resolve_companies_by_alias():
    for path in REAL[::-1]:  # companies first, so their aliases are known
        report = run_import("wikirate", path)
        assert report.rejected == []
    counts = model_counts()
    assert counts["shopfloor.Company"] == 1226
    assert counts["shopfloor.Datapoint"] == 7 + 219 + 1420
    assert counts["shopfloor.Metric"] == 7
    assert counts["shopfloor.Relationship"] == 1107
    assert counts["shopfloor.Source"] == 5
    puma = Company.objects.get(name="Puma")
    assert Counter(puma.datapoints.values_list("metric__code", flat=True))[PAID_METRIC] == 2
    assert puma.sources.count() == 4


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_importing_the_same_file_again_changes_nothing(path):
    first = run_import("wikirate", path)
    counts = model_counts()
    again = run_import("wikirate", path)
    assert again.already_imported and again.source_id == first.source_id
    assert model_counts() == counts


@pytest.mark.parametrize("path", [GAP, BRANDS, COMPANIES], ids=lambda p: p.stem)
def test_dry_run_writes_nothing(path):
    counts = model_counts()
    report = run_import("wikirate", path, dry_run=True)
    assert report.dry_run and report.created > 0 and report.source_id is None
    assert model_counts() == counts


# ----------------------------------------------------------------- newer versions
def test_a_newer_gap_file_updates_the_changed_value_and_keeps_the_older_source(tmp_path):
    run_import("wikirate", GAP)
    with GAP.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["value_pct_of_living_wage"] = "35.5"
    newer = tmp_path / "wikirate_ccc_living_wage_gap_cambodia_2025-01.csv"
    with newer.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    counts = model_counts()
    report = run_import("wikirate", newer)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 6)
    after = model_counts()
    assert after["shopfloor.Datapoint"] == counts["shopfloor.Datapoint"] == 7
    assert after["shopfloor.Facility"] == 7
    assert after["shopfloor.Source"] == 2  # the older version stays, as history
    apple = Datapoint.objects.get(facility__name="APPLE APPAREL (CAMBODIA) CO., LTD")
    assert apple.value_number == Decimal("35.5") and apple.source_id == report.source_id
    others = Datapoint.objects.exclude(pk=apple.pk)
    assert others.exclude(source_id=report.source_id).count() == 6  # unchanged: older source


def test_a_newer_export_updates_a_brand_answer(tmp_path):
    header = "Answer Page,Metric,Company,Year,Value,Source Page\n"
    page = "https://wikirate.org/Clean_Clothes_Campaign+Living_Wages_Paid_Score+Acme_Brand+2024"
    old = tmp_path / "answers-2024-01.csv"
    old.write_text(header + f"{page},Clean Clothes Campaign+Living Wages Paid Score,"
                   "Acme Brand,2024,E,https://wikirate.org/Source-000000001\n")
    new = tmp_path / "answers-2024-06.csv"
    new.write_text(header + f"{page},Clean Clothes Campaign+Living Wages Paid Score,"
                   "Acme Brand,2024,D,https://wikirate.org/Source-000000002\n")
    first = run_import("wikirate", old)
    second = run_import("wikirate", new)
    assert (second.created, second.updated) == (0, 1)
    dp = Datapoint.objects.get()
    assert (dp.value_text, dp.source_id) == ("D", second.source_id)
    assert dp.citation == f"{page}; source: https://wikirate.org/Source-000000002"
    assert SourceModel.objects.filter(pk__in=[first.source_id, second.source_id]).count() == 2


# ----------------------------------------------------------------- Wikirate's own exports
def csv_text(*rows):
    return "".join(",".join(row) + "\n" for row in rows)


def page(*parts):
    return "https://wikirate.org/" + "+".join(parts)


CCC = "Clean Clothes Campaign"
SCORE, COMMIT = f"{CCC}+Supply Chain Transparency Score", f"{CCC}+Public Commitment on Living Wage"
ANSWERS = csv_text(
    ["Answer Page", "Metric", "Company", "Year", "Value", "Source Page"],
    [page("Clean_Clothes_Campaign", "Supply_Chain_Transparency_Score", "Acme_Brand", "2021"),
     SCORE, "Acme Brand", "2021", "7.5", page("Source-000101")],
    [page("Clean_Clothes_Campaign", "Supply_Chain_Transparency_Score", "Other_Co", "2021"),
     SCORE, "Other Co", "2021", "Unknown", page("Source-000102")],
    [page("Clean_Clothes_Campaign", "Public_Commitment_on_Living_Wage", "Acme_Brand", "2021"),
     COMMIT, "Acme Brand", "2021", "Yes", page("Source-000101")],
    [page("Clean_Clothes_Campaign", "Freedom_of_Association", "Acme_Brand", "2021"),
     f"{CCC}+Freedom of Association", "Acme Brand", "2021", "", ""],
)

FR = "Fashion Revolution+Transparency Index Score"
DETAILED = csv_text(
    ["Answer Page", "Metric", "Company", "Year", "Value", "Source Page", "Answer ID",
     "Original Source", "Source Count", "Comments"],
    [page("Fashion_Revolution", "Transparency_Index_Score", "Acme_Brand", "2023"), FR,
     "Acme Brand", "2023", '"1,234.5"', "", "123456", "https://acme.example/report.pdf", "1",
     '"p. 4, table 2"'],
    [page("Fashion_Revolution", "Transparency_Index_Score", "Other_Co", "2023"), FR,
     "Other Co", "2023", "12", page("Source-1") + " " + page("Source-2"), "123457", "", "2",
     ""],
)


def test_wikirate_answer_export_csv(tmp_path):
    path = tmp_path / "Answers.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    report, changed = imported(path)
    assert changed == {"Source": 1, "Metric": 2, "Company": 1, "Datapoint": 2}
    assert (report.rows_read, report.created, report.unchanged, report.rejected) == (4, 2, 2, [])
    assert any("2 rows without a value" in n for n in report.notes)
    acme = Company.objects.get(name="Acme Brand")
    score = acme.datapoints.get(metric__code="clean-clothes-campaign-supply-chain-"
                                             "transparency-score")
    assert score.value_number == Decimal("7.5")
    assert score.citation == ("https://wikirate.org/Clean_Clothes_Campaign+Supply_Chain_"
                              "Transparency_Score+Acme_Brand+2021; source: "
                              "https://wikirate.org/Source-000101")
    assert acme.datapoints.get(metric__topic=Metric.Topic.WAGES).value_text == "Yes"
    assert not Company.objects.filter(name="Other Co").exists()  # Unknown is not an answer
    assert not Metric.objects.filter(topic=Metric.Topic.FOA).exists()  # blank: skipped


def test_wikirate_detailed_answer_export_csv(tmp_path):
    path = tmp_path / "Answers detailed.csv"
    path.write_text(DETAILED, encoding="utf-8")
    report, changed = imported(path)
    assert changed == {"Source": 1, "Metric": 1, "Company": 2, "Datapoint": 2}
    assert report.rejected == []
    assert "Comments" in report.dropped_columns and "Source Count" in report.dropped_columns
    metric = Metric.objects.get()
    assert (metric.code, metric.name, metric.topic, metric.value_type) == (
        "fashion-revolution-transparency-index-score", "Transparency Index Score",
        Metric.Topic.TRANSPARENCY, Metric.ValueType.NUMBER)
    acme = Datapoint.objects.get(company__name="Acme Brand")
    assert acme.value_number == Decimal("1234.5")
    # no source page: the original source is kept in the citation
    assert acme.citation == ("https://wikirate.org/Fashion_Revolution+Transparency_Index_Score+"
                             "Acme_Brand+2023; answer 123456; source: "
                             "https://acme.example/report.pdf")
    other = Datapoint.objects.get(company__name="Other Co")
    # two sources: the answer page lists them, the citation does not pick one
    assert other.citation == ("https://wikirate.org/Fashion_Revolution+Transparency_Index_"
                              "Score+Other_Co+2023; answer 123457")


def test_wikirate_json_answers_export(tmp_path):
    answers = [
        {"id": 20300458, "name": "Clean Clothes Campaign+Living Wages Paid Score+Puma+2024",
         "type": "Answer", "metric": "Clean Clothes Campaign+Living Wages Paid Score",
         "company": "Puma", "year": 2024, "value": "D", "comments": "p.80 ...",
         "url": "https://wikirate.org/~20300458.json",
         "html_url": "https://wikirate.org/Clean_Clothes_Campaign+Living_Wages_Paid_Score+"
                     "Puma+2024",
         "sources": [{"name": "Source-000106092",
                      "url": "https://wikirate.org/Source-000106092.json"}]},
        {"id": 20300459, "metric": "Clean Clothes Campaign+Supply Chain Transparency Score",
         "company": "Puma", "year": 2021, "value": 10.0,
         "url": "https://wikirate.org/~20300459.json", "sources": []},
        {"answer_id": 20300460, "metric": "Clean Clothes Campaign+Isolating Labour Cost",
         "company": "H&M", "year": "2021", "value": ["Yes", "ACT"]},
    ]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    report, changed = imported(path)
    assert report.format.startswith("JSON")
    assert changed == {"Source": 1, "Metric": 3, "Company": 2, "Datapoint": 3}
    assert report.rejected == []
    puma = Datapoint.objects.get(company__name="Puma", metric__code=PAID_METRIC)
    assert puma.value_text == "D"
    assert puma.citation == ("https://wikirate.org/Clean_Clothes_Campaign+Living_Wages_Paid_"
                             "Score+Puma+2024; answer 20300458; source: "
                             "https://wikirate.org/Source-000106092")
    score = Datapoint.objects.get(company__name="Puma", year=2021)
    assert score.value_number == Decimal("10")
    assert score.citation == "https://wikirate.org/~20300459"  # html_url missing: the API url
    hm = Datapoint.objects.get(company__name="H&M")
    assert hm.value_text == "Yes; ACT"
    assert hm.citation == "https://wikirate.org/~20300460"


def test_wikirate_relationship_export_csv_and_json(tmp_path):
    path = tmp_path / "Relationships.csv"
    path.write_text(
        "Relationship Link,Metric,Subject Company,Object Company,Year,Value\n"
        "https://wikirate.org/Commons+Has_Brands+Acme_Group+2022+Acme_Kids,Commons+Has Brands,"
        "Acme Group,Acme Kids,2022,\"Textiles, Clothing, Leather and Footwear\"\n"
        "https://wikirate.org/Commons+Supplied_By+Acme_Kids+2023+Golden_Lotus_Garment,"
        "Commons+Supplied By,Acme Kids,Golden Lotus Garment,2023,Tier 1 Supplier\n"
        "https://wikirate.org/Commons+Supplier_of+Phnom_Penh_Knit+2023+Acme_Group,"
        "Commons+Supplier of,Phnom Penh Knit,Acme Group,2023,Tier 1 Supplier\n"
        "https://wikirate.org/Commons+Is_Brand_of+Acme_Sport+2022+Acme_Group,"
        "Commons+Is Brand Of,Acme Sport,Acme Group,2022,\n"
        "https://wikirate.org/Commons+Has_Subsidiary+Acme_Group+2022+Acme_Ltd,"
        "Commons+Has Subsidiary,Acme Group,Acme Ltd,2022,\n",
        encoding="utf-8")
    report, changed = imported(path)
    assert changed == {"Source": 1, "Company": 5, "Relationship": 4}
    assert report.rejected == [(6, "relationship metric 'Has Subsidiary' is not one Shopfloor "
                                   "reads (Has Brands, Is Brand Of, Supplied By, Supplier Of)")]
    group = Company.objects.get(name="Acme Group")
    assert sorted((r.kind, r.object_company.name, r.year_start)
                  for r in group.relationships.all()) == [
        ("owns_brand", "Acme Kids", 2022), ("owns_brand", "Acme Sport", 2022),
        ("sources_from", "Phnom Penh Knit", 2023)]
    kids = Company.objects.get(name="Acme Kids").relationships.get()
    assert (kids.kind, kids.object_company.name) == ("sources_from", "Golden Lotus Garment")
    assert kids.object_company.kind == Company.Kind.SUPPLIER_GROUP
    assert kids.citation == ("https://wikirate.org/Commons+Supplied_By+Acme_Kids+2023+"
                             "Golden_Lotus_Garment")

    items = [{"id": 9001, "name": "Commons+Has Brands+Acme Group+2024+Acme Home",
              "metric": "Commons+Has Brands", "year": 2024, "value": "Commerce",
              "subject_company": {"name": "Acme Group", "id": 1},
              "object_company": {"name": "Acme Home", "id": 2},
              "url": "https://wikirate.org/~9001.json"},
             {"id": 9002, "name": "Commons+Has Brands+Acme Group+2024+Acme Outdoor",
              "year": 2024, "subject_company": "Acme Group",
              "object_company": "Acme Outdoor", "html_url": "https://wikirate.org/~9002"}]
    path = tmp_path / "relationships.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    report, changed = imported(path)
    assert changed == {"Source": 1, "Company": 2, "Relationship": 2}, report.rejected
    home = Relationship.objects.get(object_company__name="Acme Home")
    assert (home.subject.name, home.kind, home.year_start) == ("Acme Group", "owns_brand", 2024)
    assert home.citation == "https://wikirate.org/~9001"


# ----------------------------------------------------------------- problems
def test_a_missing_required_column_lists_the_columns_found(tmp_path):
    path = tmp_path / "Answers.csv"
    path.write_text("Answer Page,Metric,Company,Year,Source Page\n"
                    "https://wikirate.org/x,A+B,Acme,2021,\n", encoding="utf-8")
    counts = model_counts()
    with pytest.raises(ImportFailed) as exc:
        run_import("wikirate", path)
    message = str(exc.value)
    assert "missing required column(s) for value" in message
    assert ("Columns found: 'Answer Page', 'Metric', 'Company', 'Year', 'Source Page'"
            in message)
    assert model_counts() == counts

    path = tmp_path / "Relationships.csv"
    path.write_text("Relationship Link,Metric,Subject Company,Year\nx,Commons+Has Brands,A,1\n")
    with pytest.raises(ImportFailed, match="object_company.*Columns found: 'Relationship Link'"):
        run_import("wikirate", path)


def test_bad_rows_are_rejected_with_their_numbers_and_the_rest_imported(tmp_path):
    path = tmp_path / "Answers.csv"
    path.write_text(
        "Answer Page,Metric,Company,Year,Value\n"
        ",Clean Clothes Campaign+Living Wages Paid Score,Acme,2024,E\n"
        ",Clean Clothes Campaign+Living Wages Paid Score,Bad Year Co,20x4,E\n"
        ",Clean Clothes Campaign+Living Wages Paid Score,,2024,E\n"
        ",,Acme,2024,E\n"
        ",Clean Clothes Campaign+Living Wages Paid Score,Beta,2024\n"
        ",Clean Clothes Campaign+Revenue,Acme,2024,123456789012345\n", encoding="utf-8")
    report, changed = imported(path)
    assert report.rejected == [
        (3, "year: '20x4' is not a number"),
        (4, "company is empty"),
        (5, "metric is empty"),
        (6, "has 4 fields, the header has 5"),
        (7, "value: '123456789012345' is too large to store"),
    ]
    assert changed == {"Source": 1, "Metric": 1, "Company": 1, "Datapoint": 1}
    assert not Company.objects.filter(name="Bad Year Co").exists()
    dp = Datapoint.objects.get()
    assert dp.citation == ("https://wikirate.org/Clean_Clothes_Campaign+Living_Wages_Paid_"
                           "Score+Acme+2024")


def test_factory_answers_take_the_country_from_a_column_or_the_option(tmp_path):
    path = tmp_path / "factories.csv"
    path.write_text(
        "Metric,Company,Year,Value,Country\n"
        "Acme Audits+Overtime Hours,Golden Lotus Garment Co. Ltd,2023,12,Cambodia\n"
        "Acme Audits+Overtime Hours,Saigon Stitch,2023,9,Viet Nam\n"
        "Acme Audits+Overtime Hours,Nowhere Knit,2023,3,\n", encoding="utf-8")
    report, changed = imported(path, level="facility")
    assert changed == {"Source": 1, "Metric": 1, "Facility": 2, "FacilityRecord": 2,
                       "Datapoint": 2}
    assert report.rejected == [(4, "a factory answer needs its country: add a country column "
                                   "or pass country=KH")]
    assert dict(Facility.objects.values_list("name", "country")) == {
        "Golden Lotus Garment Co. Ltd": "KH", "Saigon Stitch": "VN"}
    assert Metric.objects.get().subject == Metric.Subject.FACILITY

    other = tmp_path / "factories-2.csv"
    other.write_text("Metric,Company,Year,Value\n"
                     'Acme Audits+Overtime Hours,"GOLDEN LOTUS GARMENT (CAMBODIA) CO.,LTD",2024,'
                     "10\n", encoding="utf-8")
    report = run_import("wikirate", other, country="KH", info=SourceInfo(dataset="audits"))
    assert report.rejected == [] and report.created == 1
    assert Facility.objects.count() == 2  # the same factory, matched by its name in KH
    assert Datapoint.objects.filter(facility__name__startswith="Golden Lotus").count() == 2


def test_options_are_checked():
    with pytest.raises(ImportFailed, match="level='factory'"):
        run_import("wikirate", GAP, level="factory")
    with pytest.raises(ImportFailed, match="shape='rows'"):
        run_import("wikirate", GAP, shape="rows")
    with pytest.raises(ImportFailed, match="country='Atlantis'"):
        run_import("wikirate", GAP, country="Atlantis")


def test_level_company_keeps_the_gap_answers_on_companies():
    report = run_import("wikirate", GAP, level="company")
    assert report.created == 7
    assert Facility.objects.count() == 0 and Company.objects.count() == 7
    assert Metric.objects.get().subject == Metric.Subject.COMPANY


# ----------------------------------------------------------------- helpers
@pytest.mark.parametrize("raw, code", [
    ("California (United States)", "US"), ("Ontario, Canada", "CA"), ("Hong Kong", "HK"),
    ("Georgia (United States)", "US"), ("Shanghai (China)", "CN"), ("Germany", "DE"),
    ("Korea, Republic of", "KR"), ("", ""), ("Atlantis", ""),
])
def test_headquarters_country(raw, code):
    assert hq_country(raw) == code


def test_names_as_wikirate_writes_them():
    assert card_name("APPLE APPAREL (CAMBODIA) CO., LTD") == "APPLE_APPAREL_CAMBODIA_CO_LTD"
    assert card_name("H&M") == "H_M"
    assert split_metric("Commons+Has Brands+Acme+2020+Kids") == ("Commons", "Has Brands")
    assert split_metric("Overtime") == ("", "Overtime")
