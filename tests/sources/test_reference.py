"""Country reference tables: ITUC Global Rights Index ratings and minimum / living wages, from
the real files in ../shared/data/reference and small variants written here."""

from __future__ import annotations

import pytest

from shopfloor.models import Datapoint, Metric, Source
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.sources.errors import RowRejected
from shopfloor.sources.ituc import rating, years
from shopfloor.stats import model_counts

pytestmark = pytest.mark.django_db

#: cambodia_garment_minimum_wage.csv, typed out: USD per month by year.
GARMENT_MINIMUM_WAGE = {
    2013: 80, 2014: 100, 2015: 128, 2016: 140, 2017: 153, 2018: 170, 2019: 182, 2020: 190,
    2021: 192, 2022: 194, 2023: 200, 2024: 204, 2025: 208, 2026: 210,
}


@pytest.fixture
def ituc_file(data_dir):
    return data_dir / "reference" / "ituc_gri_cambodia.csv"


@pytest.fixture
def wage_file(data_dir):
    return data_dir / "reference" / "cambodia_garment_minimum_wage.csv"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_year(code, country="KH"):
    return {d.year: d for d in Datapoint.objects.filter(metric__code=code, country=country)}


def assert_traceable():
    for d in Datapoint.objects.select_related("source"):
        assert d.source.importer and d.source.publisher and d.citation.startswith("row ")
        assert d.verification == Datapoint.Verification.UNVERIFIED


# ------------------------------------------------------------------ ITUC
def test_ituc_real_file(ituc_file):
    report = run_import("ituc", ituc_file)
    # row 3's URL holds unquoted commas; row 4 is the range 2016-2025, "5 (each year)"
    assert (report.rows_read, report.created, report.rejected) == (3, 3, [])
    ratings = by_year("ituc_gri_rating")
    assert sorted(ratings) == list(range(2014, 2026))  # 12 datapoints
    assert Datapoint.objects.count() == 12
    assert {d.value for d in ratings.values()} == {"5"}
    metric = Metric.objects.get(code="ituc_gri_rating")
    assert (metric.topic, metric.value_type, metric.subject) == ("rights", "category", "country")
    assert ratings[2014].citation == (
        "row 2; status: verified; source: http://www.industriall-union.org/"
        "cambodia-among-the-worst-countries-on-the-new-ituc-global-rights-index")
    assert ratings[2015].citation.endswith(
        "source: http://www.refworld.org/category,COI,ITUC,,,557a9a1815,0.html")
    for year in range(2016, 2026):
        cite = ratings[year].citation
        assert cite.startswith("row 4 (2016–2025 expanded per year; rating given as "
                               "'5 (each year)'); status: NOT verified here")
    assert any("no country column" in n and "KH" in n for n in report.notes)
    assert any("row 4" in n and "unverified" in n for n in report.notes)
    assert_traceable()

    before = model_counts()
    again = run_import("ituc", ituc_file)
    assert again.already_imported and model_counts() == before


def test_ituc_dry_run_changes_nothing(ituc_file):
    before = model_counts()
    report = run_import("ituc", ituc_file, dry_run=True)
    assert report.created == 3 and report.source_id is None
    assert model_counts() == before


def test_ituc_table_with_countries_and_bad_rows(tmp_path):
    path = write(tmp_path, "gri.csv", "Country,Year,Rating\n"
                 "Cambodia,2024,5\n"            # 2
                 "Myanmar,2024,5+\n"             # 3
                 "VN,2023,4\n"                   # 4
                 "Bangladesh,2024,six\n"         # 5 bad rating
                 "Cambodia,2012,5\n"             # 6 before the first edition
                 "Cambodia,2024,4\n"             # 7 contradicts row 2
                 ",2024,3\n"                     # 8 no country
                 "Cambodia,2025-2023,5\n")       # 9 backwards range
    report = run_import("ituc", path)
    assert report.created == 3
    reasons = dict(report.rejected)
    assert sorted(reasons) == [5, 6, 7, 8, 9]
    assert reasons[5] == "rating 'six' is not an ITUC rating (1, 2, 3, 4, 5 or 5+)"
    assert "editions from 2014" in reasons[6]
    assert reasons[7] == "KH 2024 is rated 5 in row 2, 4 here"
    assert reasons[8] == "country is empty"
    assert "ends before it starts" in reasons[9]
    assert by_year("ituc_gri_rating", "MM")[2024].value == "5+"
    assert by_year("ituc_gri_rating", "VN")[2023].value == "4"
    assert not any("no country column" in n for n in report.notes)


def test_ituc_newer_version_updates_a_rating_and_keeps_history(tmp_path):
    info = SourceInfo(dataset="ituc-gri")
    v1 = run_import("ituc", write(tmp_path, "gri-2024.csv", "year,rating\n2023,5\n2024,5\n"),
                    info=info)
    v2 = run_import("ituc", write(tmp_path, "gri-2025.csv",
                                  "year,rating\n2023,5\n2024,4\n2025,5+\n"), info=info)
    assert (v2.created, v2.updated, v2.unchanged) == (1, 1, 1)
    ratings = by_year("ituc_gri_rating")
    assert ratings[2024].value == "4" and ratings[2024].source_id == v2.source_id
    assert ratings[2023].source_id == v1.source_id  # the older version still backs 2023
    assert ratings[2025].value == "5+"
    assert Datapoint.objects.count() == 3


@pytest.mark.parametrize("raw, expected", [
    ("5", ("5", "")), ("5+", ("5+", "")), ("5 +", ("5+", "")), (3.0, ("3", "")),
    ("5 (each year)", ("5", "each year"))])
def test_ituc_ratings(raw, expected):
    assert rating(raw) == expected


@pytest.mark.parametrize("raw", ["0", "6", "5++", "about 5", ""])
def test_ituc_bad_ratings(raw):
    with pytest.raises(RowRejected):
        rating(raw)


def test_ituc_year_ranges():
    assert years("2016-2025") == list(range(2016, 2026))
    assert years("2016 – 2018") == [2016, 2017, 2018]
    assert years(2015) == [2015]


# ------------------------------------------------------------------ minimum wage
def test_minimum_wage_real_file(wage_file):
    report = run_import("min-wage", wage_file)
    assert (report.rows_read, report.created, report.rejected) == (14, 14, [])
    wages = by_year("minimum_wage_monthly")
    assert {y: d.value for y, d in wages.items()} == GARMENT_MINIMUM_WAGE
    assert Datapoint.objects.count() == 14
    metric = Metric.objects.get(code="minimum_wage_monthly")
    assert (metric.unit, metric.topic, metric.value_type, metric.subject) == (
        "USD/month", "wages", "money", "country")
    assert wages[2013].citation.startswith("row 2; status: inferred: $75 base + $5 health")
    assert wages[2013].citation.endswith("source: http://financecate.com/?p=3153 (AP reprint)")
    assert wages[2016].citation == (
        "row 5; status: verified; source: https://wageindicator.org/salary/minimum-wage/"
        "minimum-wages-news/cambodias-garment-sector-minimum-wage-raised-to-140-november-26-2015")
    assert wages[2022].citation == (
        "row 11; status: not verified in this session (widely reported; $192 + $2)")
    notes = " | ".join(report.notes)
    assert "amounts are in USD" in notes and "for KH" in notes and "garment sector" in notes
    assert "row 11" in notes  # the file's own "not verified" is pointed out
    assert_traceable()

    before = model_counts()
    assert run_import("min-wage", wage_file).already_imported
    assert model_counts() == before


def test_minimum_wage_dry_run_changes_nothing(wage_file):
    before = model_counts()
    report = run_import("min-wage", wage_file, dry_run=True)
    assert report.created == 14 and report.source_id is None
    assert model_counts() == before


def test_minimum_wage_newer_version_updates_and_keeps_history(tmp_path, wage_file):
    info = SourceInfo(dataset="kh-garment-minimum-wage")
    v1 = run_import("min-wage", wage_file, info=info)
    corrected = wage_file.read_text(encoding="utf-8").replace("2022,194,", "2022,195,")
    v2 = run_import("min-wage", write(tmp_path, "wage-v2.csv", corrected), info=info)
    assert (v2.created, v2.updated, v2.unchanged) == (0, 1, 13)
    wages = by_year("minimum_wage_monthly")
    assert wages[2022].value == 195 and wages[2022].source_id == v2.source_id
    assert Datapoint.objects.filter(source_id=v1.source_id).count() == 13
    assert Datapoint.objects.count() == 14


def test_generic_wage_table_with_currencies_sectors_and_living_wages(tmp_path):
    path = write(tmp_path, "wages.csv", "country,year,amount,currency,sector,kind,source\n"
                 "Cambodia,2024,204,USD,Garment & Footwear,minimum,https://example.org/a\n"
                 "Viet Nam,2024,\"4,960,000\",VND,garment,minimum,\n"
                 "Cambodia,2024,\"836,400\",riel,,minimum,\n"
                 "Cambodia,2024,252,USD,footwear,minimum,\n"
                 "Cambodia,2024,\"$588\",$,garment,living wage,https://example.org/lw\n"
                 "Cambodia,2023,,USD,garment,minimum,\n"          # 7 no amount
                 "Cambodia,2023,-5,USD,garment,minimum,\n"        # 8 negative
                 "Cambodia,2023,200,Shells,garment,minimum,\n"    # 9 unknown currency
                 "Cambodia,2023,200,USD,garment,maximum,\n"       # 10 unknown kind
                 "Cambodia,2024,205,USD,garment,minimum,\n")      # 11 contradicts row 2
    report = run_import("min-wage", path)
    assert report.created == 5
    reasons = dict(report.rejected)
    assert sorted(reasons) == [7, 8, 9, 10, 11]
    assert reasons[7] == "amount is empty"
    assert "not a positive amount" in reasons[8]
    assert "Shells" in reasons[9]
    assert "neither minimum nor living" in reasons[10]
    assert reasons[11] == "minimum_wage_monthly for KH 2024 is 204 in row 2, 205 here"
    assert by_year("minimum_wage_monthly")[2024].value == 204
    assert by_year("minimum_wage_monthly_vnd", "VN")[2024].value == 4960000
    assert by_year("minimum_wage_monthly_khr")[2024].value == 836400
    assert by_year("minimum_wage_monthly_footwear")[2024].value == 252
    assert by_year("living_wage_benchmark_monthly")[2024].value == 588
    units = dict(Metric.objects.values_list("code", "unit"))
    assert units["minimum_wage_monthly_khr"] == "KHR/month"
    assert units["living_wage_benchmark_monthly"] == "USD/month"
    assert_traceable()


def test_living_wage_option_and_missing_currency(tmp_path):
    path = write(tmp_path, "lw.csv", "year,amount,currency\n2024,588,USD\n")
    report = run_import("min-wage", path, wage_kind="living")
    assert report.created == 1
    assert by_year("living_wage_benchmark_monthly")[2024].value == 588
    with pytest.raises(ImportFailed, match="say which currency"):
        run_import("min-wage", write(tmp_path, "nocur.csv", "year,amount\n2024,204\n"))
    with pytest.raises(ImportFailed, match="does not look monthly"):
        run_import("min-wage", write(tmp_path, "daily.csv", "year,usd_per_day\n2024,7\n"),
                   column_map={"usd_per_day": "amount"})
    assert Source.objects.count() == 1
