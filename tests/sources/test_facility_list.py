"""A union's own factory list: Khmer names kept exactly, known factories linked, others pending."""

import csv

import openpyxl
import pytest

from shopfloor.models import Datapoint, Facility, FacilityRecord, Organisation, Source
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.stats import model_counts
from tests import factories

pytestmark = pytest.mark.django_db

ZWSP = "\u200b"  # Khmer text separates words with zero-width spaces; they must survive
HEADER = ["ឈ្មោះរោងចក្រ", "អាសយដ្ឋាន", "ខេត្ត", "ចំនួនសមាជិក"]
ROWS = [
    ["រោងចក្រកាត់ដេរ សុខា", "ភូមិត្រពាំងថ្លឹង សង្កាត់ចោមចៅ", "ភ្នំពេញ", "120"],
    [f"រោងចក្រកាត់ដេរ{ZWSP}ហ៊ុនដា", "", "កណ្ដាល", "១២០"],
    ["Golden Lotus Garment (រោងចក្រ ផ្កាឈូក)", "ផ្លូវជាតិលេខ ៤", "", ""],
]


@pytest.fixture
def union():
    return Organisation.objects.create(name="Test Garment Workers Union (fictional)",
                                       kind=Organisation.Kind.FEDERATION)


def _csv(tmp_path, encoding, header=HEADER, rows=ROWS, name=None):
    path = tmp_path / (name or f"our_factories_{encoding}.csv")
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _xlsx(tmp_path, header=HEADER, rows=ROWS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(c) if c.isascii() and c.isdigit() else (c or None) for c in row])
    path = tmp_path / "our_factories.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("fmt", ["utf-8", "utf-16", "xlsx"])
def test_khmer_names_survive_exactly(tmp_path, union, fmt):
    path = _xlsx(tmp_path) if fmt == "xlsx" else _csv(tmp_path, fmt)
    report = run_import("facility-list", path, info=SourceInfo(organisation=union))
    assert (report.rows_read, report.created, report.rejected) == (3, 3, [])
    src = Source.objects.get()
    assert src.organisation == union and src.publisher == union.name
    assert any("Cambodia (KH)" in n for n in report.notes)
    records = list(FacilityRecord.objects.filter(source=src).order_by("row_number"))
    assert [r.name for r in records] == [row[0] for row in ROWS]
    for rec, row in zip(records, ROWS, strict=True):
        raw = dict(zip(HEADER, row, strict=True))
        if fmt == "xlsx":  # a spreadsheet keeps numbers as numbers and blanks as None
            raw = {k: int(c) if c.isascii() and c.isdigit() else (c or None)
                   for k, c in raw.items()}
        assert rec.raw == raw
        assert rec.country == "KH" and rec.decision == "pending" and rec.facility is None
    assert records[0].address == "ភូមិត្រពាំងថ្លឹង សង្កាត់ចោមចៅ, ភ្នំពេញ"
    assert records[1].address == "កណ្ដាល"
    # a union list creates no facility and, without one, no datapoint
    assert not Facility.objects.exists() and not Datapoint.objects.exists()


def test_known_factories_are_linked_and_the_rest_wait(data_dir, tmp_path, union):
    run_import("oshub", data_dir / "oshub/facility_lists/11.csv")
    sabrina = Facility.objects.get(name="Sabrina (Cambodia) Garment Manufacturing Corp.")
    cpcg = Facility.objects.get(name="CPCG International Co. Ltd")
    lotus = factories.facility(name="Golden Lotus Garment Co., Ltd.",
                               name_km="រោងចក្រកាត់ដេរ ផ្កាឈូក")
    bfc = factories.facility(name="Silver Thread Apparel", bfc_id="BFC-1234")
    before = Facility.objects.count()

    path = _csv(tmp_path, "utf-8", name="federation_factories.csv",
                header=["Factory name", "Province", "BFC ID", "Union members", "Workers"],
                rows=[["Sabrina (Cambodia) Garment Manufacturing Corp.", "Kampong Speu", "",
                       "350", "4,300"],
                      ["CPCG International Co. Ltd", "", "", "", ""],
                      ["រោងចក្រកាត់ដេរ ផ្កាឈូក", "", "", "៨៥", ""],
                      ["រោងចក្រ ស៊ីលវើរ", "Takeo", "BFC-1234", "40", ""],
                      ["រោងចក្រកាត់ដេរ មិនស្គាល់", "Kandal", "", "75", "900"]])
    report = run_import("facility-list", path, info=SourceInfo(organisation=union))
    assert not report.rejected
    assert Facility.objects.count() == before  # nothing created
    recs = {r.row_number: r for r in FacilityRecord.objects.filter(source__file_name=path.name)}
    assert [recs[n].facility for n in (2, 3, 4, 5)] == [sabrina, cpcg, lotus, bfc]
    assert {recs[n].decision for n in (2, 3, 4, 5)} == {"automatic"}
    assert recs[6].decision == "pending" and recs[6].facility is None
    assert "4 rows linked to a known facility (same ID or exact name); 1 waiting for matching" \
        in report.notes

    src = Source.objects.get(file_name=path.name)
    members = {d.facility: d.value for d in Datapoint.objects.filter(
        source=src, metric__code="union_members")}
    assert members == {sabrina: 350, lotus: 85, bfc: 40}  # Khmer digits read; none pending
    assert Datapoint.objects.get(source=src, metric__code="workers_total").value == 4300
    assert not Datapoint.objects.filter(source=src).exclude(citation__startswith="row ").exists()
    # linked by its BFC ID, the factory gains its Khmer name and province where it had none
    bfc.refresh_from_db()
    assert (bfc.name_km, bfc.province) == ("រោងចក្រ ស៊ីលវើរ", "Takeo")

    counts = model_counts()
    again = run_import("facility-list", path, info=SourceInfo(organisation=union))
    assert again.already_imported and model_counts() == counts


def test_publisher_or_organisation_is_required(tmp_path):
    path = _csv(tmp_path, "utf-8")
    with pytest.raises(ImportFailed, match="--organisation"):
        run_import("facility-list", path)
    report = run_import("facility-list", path, info=SourceInfo(publisher="A union"))
    assert report.created == 3 and Source.objects.get().organisation is None


def test_bad_rows_are_rejected_with_reasons_and_dry_run(tmp_path, union):
    path = _csv(tmp_path, "utf-8", name="bad.csv",
                header=["name", "country", "os_id", "members"],
                rows=[["Good Factory", "Cambodia", "", "10"],
                      ["Bad ID Factory", "KH", "KH123", ""],
                      ["", "KH", "", ""],
                      ["Bad Count Factory", "KH", "", "many"],
                      ["Vietnamese Factory", "Viet Nam", "", ""],
                      ["Blank Country Factory", "", "", ""]])
    before = model_counts()
    dry = run_import("facility-list", path, info=SourceInfo(organisation=union), dry_run=True)
    assert dry.created == 3 and model_counts() == before
    report = run_import("facility-list", path, info=SourceInfo(organisation=union))
    assert report.rejected == [
        (3, "os_id 'KH123' is not a 15-character Open Supply Hub ID"),
        (4, "name is empty"),
        (5, "members: 'many' is not a number"),
    ]
    countries = dict(FacilityRecord.objects.values_list("name", "country"))
    assert countries == {"Good Factory": "KH", "Vietnamese Factory": "VN",
                         "Blank Country Factory": "KH"}
    assert "country blank, taken as KH: rows 7" in report.notes


def test_missing_name_column_lists_the_columns(tmp_path, union):
    path = _csv(tmp_path, "utf-8", name="no_names.csv", header=["ខេត្ត", "members"],
                rows=[["ភ្នំពេញ", "3"]])
    with pytest.raises(ImportFailed, match=r"name .*Columns found: 'ខេត្ត', 'members'"):
        run_import("facility-list", path, info=SourceInfo(organisation=union))
