"""Open Supply Hub lists and downloads, read from the real files as they are."""

from decimal import Decimal

import pytest

from shopfloor.models import Datapoint, Facility, FacilityRecord, Relationship, Source
from shopfloor.sources import run_import
from shopfloor.stats import model_counts

pytestmark = pytest.mark.django_db

LISTS = "oshub/facility_lists"


def test_contributor_list(data_dir):
    report = run_import("oshub", data_dir / LISTS / "2.csv")
    assert (report.rows_read, report.created, report.unchanged, report.rejected) == (83, 78, 5, [])
    src = Source.objects.get()
    assert src.importer == "oshub" and len(src.sha256) == 64
    assert src.publisher == "Open Supply Hub" and src.licence
    rec = FacilityRecord.objects.get(source=src, row_number=2)
    assert rec.name == "WENZHOU JIETU(AOLUN) SHOES FACTORY" and rec.country == "CN"
    assert rec.raw["country"] == "CHINA" and rec.decision == "automatic"
    # five rows repeat a factory already listed (same name and address): merged, not doubled
    assert Facility.objects.count() == 78
    dup = Facility.objects.get(name="QUANZHOU XINXING FOOTWEAR CO., LTD")
    assert dup.records.count() == 2


def test_cambodian_facilities_across_all_lists(data_dir):
    for path in sorted((data_dir / LISTS).glob("*.csv")):
        run_import("oshub", path)
    assert FacilityRecord.objects.filter(country="KH").count() == 14
    assert Facility.objects.filter(country="KH").count() == 14


def test_csv_xlsx_and_xls_of_one_list_agree(data_dir):
    names = {}
    for ext in ("csv", "xlsx", "xls"):
        report = run_import("oshub", data_dir / LISTS / f"12.{ext}")
        assert report.rows_read == 15 and not report.rejected
        src = Source.objects.get(file_name=f"12.{ext}")
        names[ext] = sorted(src.facility_records.values_list("name", flat=True))
    assert names["csv"] == names["xlsx"] == names["xls"]
    # the second and third formats describe the same facilities: nothing new
    assert Facility.objects.count() == 15


def test_reimport_changes_nothing(data_dir):
    run_import("oshub", data_dir / LISTS / "15.csv")
    before = model_counts()
    again = run_import("oshub", data_dir / LISTS / "15.csv")
    assert again.already_imported and model_counts() == before


def test_geocoded_list_fills_coordinates(data_dir):
    run_import("oshub", data_dir / LISTS / "10.csv")
    assert not Facility.objects.exclude(lat=None).exists()
    report = run_import("oshub", data_dir / LISTS / "geocoded/10.csv")
    assert report.updated > 0 and report.created == 0
    fac = Facility.objects.get(name="Yi Chang Tai (Shenzhen) Garment Factory")
    assert (round(fac.lat, 5), round(fac.lng, 5)) == (22.62659, 114.14644)


def _download(tmp_path, rows, name="download.csv"):
    header = ("os_id,name,address,country_code,country_name,number_of_workers,"
              "parent_company,product_type,facility_type,processing_type,contributors,"
              "is_closed,lat,lng\n")
    path = tmp_path / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


ROW = ('KH2019067X1K87E,Golden Lotus Garment Co. Ltd,"St 21, Pou Senchey, Phnom Penh",KH,'
       'Cambodia,"{workers}",Lotus Group,Apparel,Final Product Assembly,Sewing,'
       'Brand A|Brand B,{closed},11.5449,104.8922\n')


def test_full_download_with_os_ids_and_new_version(tmp_path):
    first = _download(tmp_path, [ROW.format(workers="1,234", closed="False"),
                                 ROW.replace("KH2019067X1K87E", "KH2020001ABCDE1")
                                 .replace("Golden", "Silver").format(workers="", closed="")])
    report = run_import("oshub", first, dataset="oshub-download")
    assert report.created == 2 and not report.rejected
    fac = Facility.objects.get(os_id="KH2019067X1K87E")
    workers = Datapoint.objects.get(facility=fac, metric__code="workers_total")
    assert workers.value == 1234 and workers.citation == "row 2"
    # a blank worker count is missing, not zero
    silver = Facility.objects.get(os_id="KH2020001ABCDE1")
    assert not silver.datapoints.filter(metric__code="workers_total").exists()
    assert Relationship.objects.filter(facility=fac, kind="owns_facility",
                                       subject__name="Lotus Group").exists()

    newer = _download(tmp_path, [ROW.format(workers="1,300", closed="True")], "newer.csv")
    report = run_import("oshub", newer, dataset="oshub-download")
    assert (report.updated, report.created) == (1, 0)
    fac.refresh_from_db()
    assert fac.is_closed is True
    workers.refresh_from_db()
    assert workers.value_number == Decimal("1300")
    assert workers.source.file_name == "newer.csv"
    # the older version's facility record stays: history is kept
    assert fac.records.count() == 2


def test_bad_os_id_and_coordinates_are_rejected_by_row(tmp_path):
    path = _download(tmp_path, [
        ROW.replace("KH2019067X1K87E", "KH123").format(workers="10", closed=""),
        ROW.replace("11.5449", "191.5").format(workers="10", closed=""),
    ])
    report = run_import("oshub", path)
    assert [n for n, _ in report.rejected] == [2, 3]
    assert "os_id" in report.rejected[0][1] and "coordinates" in report.rejected[1][1]
    assert not Facility.objects.exists()


def test_a_fact_repeated_far_apart_about_a_new_facility_is_stored_once(tmp_path):
    """Rows are written in batches; a repeat 3,000 rows later still finds the first."""
    rows = [ROW.format(workers="500", closed="")]
    rows += [ROW.replace("KH2019067X1K87E", f"KH2020{i:04d}ABCD{i % 10}")
             .replace("Golden Lotus", f"Filler {i}").format(workers="", closed="")
             for i in range(1, 3001)]
    rows.append(ROW.format(workers="500", closed=""))
    report = run_import("oshub", _download(tmp_path, rows))
    assert not report.rejected and report.unchanged == 1
    fac = Facility.objects.get(os_id="KH2019067X1K87E")
    assert fac.datapoints.filter(metric__code="workers_total").count() == 1
    assert fac.relationships.filter(kind="owns_facility").count() == 1
