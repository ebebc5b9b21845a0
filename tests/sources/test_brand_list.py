"""Brand supplier lists: Nike's real export as it is, later versions, other brands' headings."""

import csv
from decimal import Decimal

import pytest

from shopfloor.models import Company, Datapoint, Facility, FacilityRecord, Relationship, Source
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.stats import model_counts

pytestmark = pytest.mark.django_db

NIKE = "brand_lists/nike_factory_list_2021-02.csv"
SOURCES_FROM = Relationship.Kind.SOURCES_FROM


@pytest.fixture
def nike(data_dir):
    return data_dir / NIKE


def _nike_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


def _write_rows(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _value(fac, code, year):
    return Datapoint.objects.get(facility=fac, metric__code=code, year=year).value_number


def test_nike_list_as_published(nike):
    report = run_import("brand-list", nike, brand="Nike")
    assert (report.rows_read, report.rejected) == (498, [])
    src = Source.objects.get()
    assert (src.publisher, src.importer, src.dataset) == ("Nike", "brand-list", "brand-list:nike")
    assert src.title == "Nike supplier list 2021"
    assert "year: 2021, from the file name" in report.notes

    records = FacilityRecord.objects.filter(source=src)
    assert records.count() == 498
    kh = records.filter(country="KH")
    assert kh.count() == 15 and Facility.objects.filter(country="KH").count() == 15
    nike_co = Company.objects.get(name="Nike")
    for rec in kh:
        assert rec.decision == "automatic"
        assert Relationship.objects.filter(subject=nike_co, kind=SOURCES_FROM,
                                           facility=rec.facility, year_start=2021,
                                           year_end=2021).count() == 1
    # ten rows repeat a name in the same country: eight at another address are other sites
    # (e.g. Chang Shin Vietnam), two at a compatible address are the same factory
    assert Facility.objects.count() == 496
    assert Relationship.objects.filter(subject=nike_co, kind=SOURCES_FROM).count() == 496
    assert Facility.objects.filter(name__istartswith="CHANG SHIN VIETNAM").count() == 2

    berry = Facility.objects.get(name="BERRY APPAREL CAMBODIA CO., LTD.")
    assert berry.address == "PHUM CHUMPOU VOIN, PHNOM PENH, 12405"
    assert berry.province == "PHNOM PENH"
    assert _value(berry, "workers_total", 2021) == 3145
    assert _value(berry, "line_workers", 2021) == 3000
    assert _value(berry, "workers_female_pct", 2021) == Decimal("91.0")
    assert _value(berry, "workers_migrant_pct", 2021) == 0  # a stated 0.0%, with workers
    assert berry.datapoints.get(metric__code="product_type").value == "APPAREL"
    assert berry.datapoints.get(metric__code="facility_type").value == "FINISHED GOODS"
    tai_wah = Company.objects.get(name="TAI WAH")
    assert tai_wah.kind == Company.Kind.SUPPLIER_GROUP
    assert set(tai_wah.relationships.filter(kind="owns_facility", facility__country="KH")
               .values_list("facility__name", flat=True)) == {
        "BERRY APPAREL CAMBODIA CO., LTD.", "OLIVE APPAREL CAMBODIA CO., LTD"}
    # "NO GROUP (AP)" is no group at all
    assert not Company.objects.filter(name__istartswith="no group").exists()

    # PPSEC states 0 workers and 0.0% female: not figures, so nothing is stored (never 0)
    ppsec = Facility.objects.get(name="PPSEC COMPANY LIMITED")
    assert not ppsec.datapoints.filter(metric__topic="demographics").exists()
    # a blank worker count (row 20) leaves no workers and no "0.0%" female datapoint
    baiksan = FacilityRecord.objects.get(source=src, row_number=20).facility
    assert not baiksan.datapoints.filter(metric__topic="demographics").exists()
    assert Datapoint.objects.filter(metric__code="workers_total").count() == 445
    # 110% migrant workers (row 171) is not stored; the row and its other values are
    assert any(n.startswith("row 171: workers_migrant_pct") for n in report.notes)
    honsin = FacilityRecord.objects.get(source=src, row_number=171).facility
    assert not honsin.datapoints.filter(metric__code="workers_migrant_pct").exists()
    assert _value(honsin, "workers_total", 2021) == 1054

    # "NIKE, Converse": Converse sources from the factory too, and Nike owns Converse
    converse = Company.objects.get(name="Converse")
    assert converse.relationships.filter(kind=SOURCES_FROM, year_start=2021).count() == 6
    assert Relationship.objects.filter(subject=nike_co, kind="owns_brand",
                                       object_company=converse).count() == 1
    subcons = FacilityRecord.objects.get(source=src, row_number=7).facility  # ALMAXTEX
    assert "Jade Textile Egypt" in subcons.datapoints.get(metric__code="subcontractors").value

    # every fact has this source and a citation to its row
    for model in (Datapoint, Relationship):
        assert not model.objects.exclude(source=src).exists()
        assert not model.objects.exclude(citation__startswith="row ").exists()
    assert set(src.companies.values_list("name", flat=True)) >= {"Nike", "Converse", "TAI WAH"}

    before = model_counts()
    again = run_import("brand-list", nike, brand="Nike")
    assert again.already_imported and model_counts() == before


def test_brand_from_the_column_and_publisher_from_its_heading(nike):
    report = run_import("brand-list", nike)
    assert not report.rejected
    src = Source.objects.get()
    assert src.publisher == "Nike, Inc." and src.dataset == "brand-list:nike_inc"
    assert Relationship.objects.filter(subject__name="NIKE", kind=SOURCES_FROM).count() == 496
    assert Relationship.objects.filter(subject__name="Converse", kind=SOURCES_FROM).count() == 6
    assert not Relationship.objects.filter(kind="owns_brand").exists()


def test_later_list_keeps_the_earlier_year(nike, tmp_path):
    run_import("brand-list", nike, brand="Nike")
    header, rows = _nike_rows(nike)
    rows = [r for r in rows if r["Factory Name"] != "KKN APPAREL CO., LTD"]
    for r in rows:
        if r["Factory Name"] == "BERRY APPAREL CAMBODIA CO., LTD.":
            r["Total Workers"] = "3300.0"
    later = _write_rows(tmp_path / "nike_factory_list_2022-03.csv", header, rows)

    report = run_import("brand-list", later, brand="Nike")
    assert report.rows_read == 497 and not report.rejected
    assert Facility.objects.count() == 496  # the same factories, none new
    nike_co = Company.objects.get(name="Nike")
    links = Relationship.objects.filter(subject=nike_co, kind=SOURCES_FROM)
    assert links.filter(year_start=2021).count() == 496
    assert links.filter(year_start=2022, year_end=2022).count() == 495
    kkn = Facility.objects.get(name="KKN APPAREL CO., LTD")
    assert list(links.filter(facility=kkn).values_list("year_start", flat=True)) == [2021]
    berry = Facility.objects.get(name="BERRY APPAREL CAMBODIA CO., LTD.")
    assert (_value(berry, "workers_total", 2021), _value(berry, "workers_total", 2022)) == (
        3145, 3300)
    assert Datapoint.objects.get(facility=berry, metric__code="workers_total",
                                 year=2022).source.file_name == later.name


def test_corrected_list_of_the_same_year_updates_its_values(nike, tmp_path):
    run_import("brand-list", nike, brand="Nike")
    first = Source.objects.get()
    before = model_counts()
    header, rows = _nike_rows(nike)
    for r in rows:
        if r["Factory Name"] == "BERRY APPAREL CAMBODIA CO., LTD.":
            r["Total Workers"] = "3150.0"
    fixed = _write_rows(tmp_path / "nike_corrected.csv", header, rows)

    report = run_import("brand-list", fixed, brand="Nike", year=2021)
    assert (report.updated, report.created, report.rejected) == (1, 0, [])
    berry = Facility.objects.get(name="BERRY APPAREL CAMBODIA CO., LTD.")
    point = Datapoint.objects.get(facility=berry, metric__code="workers_total")
    assert point.value_number == 3150 and point.source.file_name == "nike_corrected.csv"
    after = model_counts()
    # a new source and its 498 records; no fact doubled
    assert after["shopfloor.Source"] == before["shopfloor.Source"] + 1
    assert after["shopfloor.FacilityRecord"] == before["shopfloor.FacilityRecord"] + 498
    for model in ("Datapoint", "Relationship", "Facility", "Company"):
        assert after[f"shopfloor.{model}"] == before[f"shopfloor.{model}"]
    assert first.facility_records.count() == 498  # the older version stays


def test_dry_run_changes_nothing(nike):
    before = model_counts()
    report = run_import("brand-list", nike, brand="Nike", dry_run=True)
    assert report.dry_run and report.rows_read == 498 and report.created > 400
    assert model_counts() == before


OTHER = (
    "Supplier name,Address,City,Province,Country,Number of workers,Female workers %,"
    "Brand(s),Parent company,Product category\n"
    'Golden Lotus Garment Co. Ltd,"St 21, Pou Senchey",Phnom Penh,Phnom Penh,Cambodia,'
    '"1,234",81%,Acme; Beta,Lotus Group,Apparel\n'
    "Nowhere Factory,Road 1,Somewhere,,Atlantis,100,50%,Acme,Ghost Group,Apparel\n"
    ",Road 2,Phnom Penh,,Cambodia,100,50%,Acme,Ghost Group,Apparel\n"
    "Silver Thread,Road 3,Takeo,Takeo,KH,about 100,n/a,Beta,,Apparel\n"
    "Band Knit,Road 4,Kandal,Kandal,KH,1001-5000,,Acme,,Apparel\n"
)


def test_other_headings_several_brands_and_rejected_rows(tmp_path):
    path = tmp_path / "acme_suppliers.csv"
    path.write_text(OTHER, encoding="utf-8")
    report = run_import("brand-list", path, info=SourceInfo(publisher="Acme Group"),
                        year=2023)
    assert [n for n, _ in report.rejected] == [3, 4]
    assert "Atlantis" in report.rejected[0][1] and report.rejected[1][1] == "name is empty"
    assert not Company.objects.filter(name="Ghost Group").exists()  # nothing from bad rows

    lotus = Facility.objects.get(name="Golden Lotus Garment Co. Ltd")
    assert lotus.country == "KH" and lotus.address == "St 21, Pou Senchey, Phnom Penh"
    assert {r.subject.name for r in lotus.relationships.filter(kind=SOURCES_FROM,
                                                               year_start=2023)} == {"Acme",
                                                                                     "Beta"}
    assert _value(lotus, "workers_total", 2023) == 1234
    assert _value(lotus, "workers_female_pct", 2023) == 81
    assert lotus.datapoints.get(metric__code="product_type").value == "Apparel"
    assert Relationship.objects.get(subject__name="Lotus Group", kind="owns_facility",
                                    facility=lotus).citation == "row 2"
    # a worker count that is not a number is left out, not the factory
    silver = Facility.objects.get(name="Silver Thread")
    assert silver.relationships.filter(subject__name="Beta").exists()
    assert not silver.datapoints.filter(metric__topic="demographics").exists()
    assert any(n.startswith("row 5: workers_total: 'about 100' is not a number")
               for n in report.notes)
    band = Facility.objects.get(name="Band Knit")
    assert band.datapoints.get(metric__code="workers_band").value == "1001-5000"
    assert not band.datapoints.filter(metric__code="workers_total").exists()


def test_missing_required_column_names_it_and_lists_the_columns(tmp_path):
    path = tmp_path / "list_2022.csv"
    path.write_text("Supplier name,City,Number of workers\nGolden Lotus,Phnom Penh,10\n",
                    encoding="utf-8")
    before = model_counts()
    with pytest.raises(ImportFailed) as exc:
        run_import("brand-list", path, brand="Acme")
    message = str(exc.value)
    assert "country" in message and "'Supplier name', 'City', 'Number of workers'" in message
    assert model_counts() == before


def test_the_year_is_asked_for_when_nothing_gives_it(tmp_path):
    path = tmp_path / "acme_suppliers.csv"
    path.write_text("Factory,Country\nGolden Lotus,Cambodia\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="--year"):
        run_import("brand-list", path, brand="Acme")
    import datetime as dt

    run_import("brand-list", path, brand="Acme",
               info=SourceInfo(published=dt.date(2024, 6, 1)))
    assert Relationship.objects.get().year_start == 2024


def test_a_brand_is_required(tmp_path):
    path = tmp_path / "suppliers_2022.csv"
    path.write_text("Factory,Country\nGolden Lotus,Cambodia\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="--brand"):
        run_import("brand-list", path)


def test_other_columns_by_map(tmp_path):
    path = tmp_path / "acme_2022.csv"
    path.write_text("Werk,Land,Beschäftigte\nGolden Lotus,KH,250\nSilver Thread,Kambodscha,9\n",
                    encoding="utf-8")
    with pytest.raises(ImportFailed, match="Werk"):
        run_import("brand-list", path, brand="Acme")
    report = run_import("brand-list", path, brand="Acme",
                        column_map={"Werk": "name", "Land": "country",
                                    "Beschäftigte": "workers_total"})
    # "Kambodscha" is not a country name Shopfloor knows: the row says why
    assert report.rejected == [(3, "country: 'Kambodscha' is not a country name or ISO code")]
    assert _value(Facility.objects.get(name="Golden Lotus"), "workers_total", 2022) == 250
