"""Better Factories Cambodia: the 21 critical issues from the real file, the findings template,
findings over cycles, updates from a newer version, and rows refused with their reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from shopfloor.models import Assessment, Criterion, Facility, FacilityRecord, Finding, Source
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.sources.bfc import TEMPLATE, criterion_code, finding_status
from shopfloor.sources.errors import RowRejected
from shopfloor.stats import model_counts
from tests import factories

pytestmark = pytest.mark.django_db

C, NC, NA = "compliant", "non_compliant", "not_assessed"
HEADER = ("factory_name,bfc_id,os_id,country,cycle,assessment_date,criterion_code,status,"
          "detail,source_url\n")

#: The file's 21 critical issues, typed out here so that a changed file or parser fails.
CRITICAL_ISSUES = {
    "1": ("Fundamental Rights", "No unremediated child labour"),
    "2": ("Fundamental Rights", "No forced labour (Freedom of movement)"),
    "3": ("Fundamental Rights", "No discrimination against workers"),
    "4": ("Fundamental Rights", "No dismissal of pregnant workers"),
    "5": ("Fundamental Rights", "No dismissal of workers during maternity leave"),
    "6": ("Fundamental Rights", "No sexual harassment"),
    "7": ("Fundamental Rights", "Equal pay for men and women"),
    "8": ("Fundamental Rights", "No discrimination against workers based on union membership"),
    "9": ("Fundamental Rights", "Workers join and form unions freely"),
    "10": ("Fundamental Rights", "No control of union by employer"),
    "11": ("Fundamental Rights", "Job is not dependent on union membership"),
    "12": ("Fundamental Rights", "No management interference with union"),
    "13": ("Fundamental Rights", "Workers are free not to join union"),
    "14": ("OSH/Emergency", "Regular emergency evacuation drills (every 6 months)"),
    "15": ("OSH/Emergency", "Emergency exit doors are unlocked during working hours"),
    "16": ("OSH/Emergency", "Emergency exit doors are sufficient"),
    "17": ("OSH/Emergency", "Dangerous machine parts have safety guards (not needle guards)"),
    "18": ("OSH/Emergency", "Clean and sufficient drinking water"),
    "19": ("Wages", "Correctly paid minimum wages"),
    "20": ("Wages", "Correctly paid overtime wages (ordinary overtime hours)"),
    "21": ("Contracts", "Bonuses, allowances, leaves count entire employment period"),
}


@pytest.fixture
def issues_file(data_dir):
    return data_dir / "reference" / "bfc_critical_issues_21.csv"


@pytest.fixture
def criteria(issues_file):
    report = run_import("bfc", issues_file)
    assert report.created == 21 and not report.rejected
    return {c.code: c for c in Criterion.objects.all()}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def statuses(factory_name):
    """{(cycle, criterion code): status} of one factory."""
    return {(f.assessment.cycle, f.criterion.code): f.status
            for f in Finding.objects.filter(assessment__facility__name=factory_name)
            .select_related("assessment", "criterion")}


# ------------------------------------------------------------------ criteria
def test_the_21_critical_issues_with_their_exact_texts(issues_file):
    report = run_import("bfc", issues_file)
    assert (report.rows_read, report.created, report.updated, report.rejected) == (21, 21, 0, [])
    got = {c.code: (c.cluster, c.text) for c in Criterion.objects.filter(programme="BFC")}
    assert got == CRITICAL_ISSUES
    source = Source.objects.get(pk=report.source_id)
    assert source.importer == "bfc" and source.file_name == "bfc_critical_issues_21.csv"
    assert set(Criterion.objects.values_list("source", flat=True)) == {source.pk}
    # no findings, no facilities from a criteria list
    assert not Facility.objects.exists() and not Assessment.objects.exists()

    before = model_counts()
    again = run_import("bfc", issues_file)
    assert again.already_imported and again.source_id == source.pk
    assert model_counts() == before


def test_a_newer_criteria_list_updates_texts_and_adds_khmer(tmp_path, criteria):
    old_source = criteria["1"].source
    newer = write(tmp_path, "critical_issues_v2.csv",
                  "no,category,critical_issue,text_km\n"
                  "1,Fundamental Rights,No child labour (remediated or not),គ្មានពលកម្មកុមារ\n"
                  "2,Fundamental Rights,No forced labour (Freedom of movement),\n"
                  "022,Contracts,Written contracts,\n")
    report = run_import("bfc", newer)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    one, two = Criterion.objects.get(code="1"), Criterion.objects.get(code="2")
    assert one.text == "No child labour (remediated or not)" and one.text_km == "គ្មានពលកម្មកុមារ"
    assert one.source_id == report.source_id  # the text now comes from the newer list
    assert two.source == old_source  # unchanged criteria keep their source
    assert Criterion.objects.get(code="22").text == "Written contracts"  # "022" → "22"
    assert Criterion.objects.count() == 22

    # a later list without Khmer keeps the Khmer text
    run_import("bfc", write(tmp_path, "v3.csv", "no,category,critical_issue\n"
                            "1,Fundamental Rights,No child labour (remediated or not)\n"))
    assert Criterion.objects.get(code="1").text_km == "គ្មានពលកម្មកុមារ"


def test_a_criteria_list_states_one_code_once(tmp_path):
    report = run_import("bfc", write(tmp_path, "dup.csv", "no,category,critical_issue\n"
                                     "1,A,First text\n1,A,First text\n1,A,Other text\n,A,x\n"))
    assert report.created == 1 and report.unchanged == 1
    assert report.rejected == [(4, "criterion 1 is already given differently in row 2"),
                               (5, "the criterion number (no) is empty")]
    assert Criterion.objects.get().text == "First text"


# ------------------------------------------------------------------ template
def test_the_shipped_template_imports(criteria):
    assert TEMPLATE.is_file()
    report = run_import("bfc", TEMPLATE)
    assert (report.rows_read, report.created, report.rejected) == (3, 3, [])
    source = Source.objects.get(pk=report.source_id)
    assert source.is_demo  # fictional example rows only: never real evidence
    assert any("fictional" in n for n in report.notes)

    one = Facility.objects.get(bfc_id="EXAMPLE-0001")
    two = Facility.objects.get(bfc_id="EXAMPLE-0002")
    assert one.country == two.country == "KH"
    assert [(a.facility, a.cycle, a.assessed_on, a.source_id)
            for a in Assessment.objects.order_by("facility__bfc_id")] == [
        (one, 1, dt.date(2024, 3, 15), source.pk), (two, 2, dt.date(2024, 6, 30), source.pk)]
    assert statuses(one.name) == {(1, "9"): C, (1, "15"): NC}
    assert statuses(two.name) == {(2, "19"): NA}
    locked = Finding.objects.get(criterion__code="15")
    assert locked.detail.startswith("Fictional example")
    assert locked.citation == "row 3; https://example.org/fictional-bfc-report/EXAMPLE-0001"
    assert Finding.objects.get(criterion__code="19").citation == "row 4"
    assert all(f.source_id == source.pk and f.citation for f in Finding.objects.all())
    # one facility record per factory, not one per finding
    assert FacilityRecord.objects.filter(source=source).count() == 2


def test_findings_need_the_criteria_first():
    report = run_import("bfc", TEMPLATE)
    assert report.created == 0 and len(report.rejected) == 3
    number, reason = report.rejected[0]
    assert number == 2
    assert "criterion_code '9' is not a known BFC criterion" in reason
    assert "bfc_critical_issues_21.csv" in reason
    # the rejected rows left nothing behind
    assert not Facility.objects.exists() and not FacilityRecord.objects.exists()
    assert not Assessment.objects.exists()


# ------------------------------------------------------------------ findings
TWO_FACTORIES = HEADER + (
    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,1,2022-05-10,9,Non-Compliant,Union registration "
    "refused,https://example.org/bfc/1001/1\n"
    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,1,2022-05-10,12,non_compliant,,\n"
    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,1,2022-05-10,15,Compliant,,\n"
    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,2,2023-06-01,9,yes,,\n"
    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,2,2023-06-01,12,NC,Interference continues,\n"
    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,Cycle 2,,15,no,Exit locked,\n"
    "Mekong Apparel,BFC-2002,KH2019067X1K87E,Cambodia,1,12/03/2022,9,COMPLIANT,,\n"
    "Mekong Apparel,BFC-2002,KH2019067X1K87E,Cambodia,1,12/03/2022,19,N/A,,\n"
    "Mekong Apparel,BFC-2002,KH2019067X1K87E,Cambodia,2,2023-03-01,9,compliant,,\n"
    "Mekong Apparel,BFC-2002,KH2019067X1K87E,Cambodia,2,2023-03-01,19,not assessed,,\n"
)


def test_findings_of_two_factories_over_two_cycles(tmp_path, criteria):
    # Mekong Apparel is already known from Open Supply Hub under another spelling
    known = factories.facility(name="MEKONG APPAREL (CAMBODIA) CO., LTD.",
                               os_id="KH2019067X1K87E")
    report = run_import("bfc", write(tmp_path, "findings.csv", TWO_FACTORIES))
    assert (report.rows_read, report.created, report.rejected) == (10, 10, [])

    assert statuses("Golden Lotus Garment Co. Ltd") == {
        (1, "9"): NC, (1, "12"): NC, (1, "15"): C,
        (2, "9"): C, (2, "12"): NC, (2, "15"): NC}
    assert statuses(known.name) == {(1, "9"): C, (1, "19"): NA, (2, "9"): C, (2, "19"): NA}
    known.refresh_from_db()
    assert known.bfc_id == "BFC-2002"  # the BFC ID is learnt for the known facility
    assert Facility.objects.count() == 2
    golden = Facility.objects.get(bfc_id="BFC-1001")
    assert [(a.cycle, a.assessed_on) for a in golden.assessments.order_by("cycle")] == [
        (1, dt.date(2022, 5, 10)), (2, dt.date(2023, 6, 1))]
    assert known.assessments.get(cycle=1).assessed_on == dt.date(2022, 3, 12)
    first = Finding.objects.get(assessment__facility=golden, assessment__cycle=1,
                                criterion__code="9")
    assert first.detail == "Union registration refused"
    assert first.citation == "row 2; https://example.org/bfc/1001/1"
    assert Finding.objects.filter(citation="").count() == 0


def test_a_newer_version_updates_findings_and_keeps_history(tmp_path, criteria):
    info = SourceInfo(dataset="bfc-transparency-portal")
    v1 = run_import("bfc", write(tmp_path, "portal-2023.csv", TWO_FACTORIES), info=info)
    corrected = TWO_FACTORIES.replace("9,yes,,", "9,no,Union leader dismissed,")
    v2 = run_import("bfc", write(tmp_path, "portal-2024.csv", corrected), info=info)
    assert (v2.created, v2.updated, v2.unchanged, v2.rejected) == (0, 1, 9, [])
    changed = Finding.objects.get(assessment__facility__bfc_id="BFC-1001",
                                  assessment__cycle=2, criterion__code="9")
    assert (changed.status, changed.detail, changed.source_id) == (
        NC, "Union leader dismissed", v2.source_id)
    assert changed.citation == "row 5"
    # history: the first version still backs everything it said that did not change
    assert Finding.objects.filter(source_id=v1.source_id).count() == 9
    assert Assessment.objects.filter(source_id=v1.source_id).count() == 4
    assert Source.objects.filter(dataset="bfc-transparency-portal").count() == 2

    # another dataset contradicting a finding is refused, not silently overwritten
    other = run_import("bfc", write(tmp_path, "union-notes.csv", HEADER +
                                    "Golden Lotus Garment Co. Ltd,BFC-1001,,KH,2,,9,yes,,\n"))
    assert other.created == 0 and len(other.rejected) == 1
    number, reason = other.rejected[0]
    assert number == 2
    assert "already recorded as non_compliant" in reason
    assert "--dataset 'bfc-transparency-portal'" in reason
    assert changed.__class__.objects.get(pk=changed.pk).status == NC


def test_reimport_and_the_same_findings_again_change_nothing(tmp_path, criteria):
    path = write(tmp_path, "findings.csv", TWO_FACTORIES)
    info = SourceInfo(dataset="bfc-portal")
    run_import("bfc", path, info=info)
    before = model_counts()
    again = run_import("bfc", path, info=info)
    assert again.already_imported and model_counts() == before

    # the same content in a new file of the same dataset: all unchanged, a new Source only
    same = run_import("bfc", write(tmp_path, "findings-copy.csv", TWO_FACTORIES + "\n"),
                      info=info)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 10)
    after = model_counts()
    assert after["shopfloor.Finding"] == before["shopfloor.Finding"] == 10
    assert after["shopfloor.Assessment"] == before["shopfloor.Assessment"] == 4
    assert after["shopfloor.Facility"] == before["shopfloor.Facility"]


def test_dry_run_changes_nothing(tmp_path, criteria):
    before = model_counts()
    report = run_import("bfc", write(tmp_path, "findings.csv", TWO_FACTORIES), dry_run=True)
    assert report.created == 10 and report.source_id is None
    assert model_counts() == before


def test_bad_rows_are_rejected_with_row_and_reason(tmp_path, criteria):
    rows = HEADER + (
        "Golden Lotus,BFC-1,,KH,1,2022-05-10,9,maybe,,\n"             # 2 bad status
        "Golden Lotus,BFC-1,,KH,1,2022-05-10,99,compliant,,\n"        # 3 unknown criterion
        "Golden Lotus,BFC-1,,KH,1,2022-05-10,9,compliant,,\n"         # 4 fine
        "Golden Lotus,BFC-1,,KH,1,2022-05-10,9,non-compliant,,\n"     # 5 contradicts row 4
        "Golden Lotus,BFC-1,,KH,1,2022-05-10,9,Compliant,,\n"         # 6 same again: fine
        "Golden Lotus,BFC-1,,KH,1,2022-06-01,12,compliant,,\n"        # 7 other date, same cycle
        "Golden Lotus,BFC-1,,KH,0,2022-05-10,12,compliant,,\n"        # 8 cycle 0
        "Golden Lotus,BFC-1,,KH,1,10 May,12,compliant,,\n"            # 9 bad date
        "Nowhere Garment,BFC-9,,KH,1,2022-05-10,9,,,\n"               # 10 empty status
        "Nowhere Garment,BFC-9,,Atlantis,1,2022-05-10,9,yes,,\n"      # 11 bad country
        "Nowhere Garment,BFC-9,SHORT,KH,1,2022-05-10,9,yes,,\n"       # 12 bad OS ID
        "Nowhere Garment,BFC-9,,KH,1,2022-05-10,9,yes,,www.bfc\n"     # 13 not a URL
        ",BFC-9,,KH,1,2022-05-10,9,yes,,\n"                           # 14 no name
    )
    report = run_import("bfc", write(tmp_path, "bad.csv", rows))
    assert (report.created, report.unchanged) == (1, 1)
    reasons = dict(report.rejected)
    assert sorted(reasons) == [2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14]
    assert reasons[2].startswith("status 'maybe' is not a finding status")
    assert "compliant, non-compliant or not assessed" in reasons[2]
    assert reasons[3].startswith("criterion_code '99' is not a known BFC criterion (21 loaded)")
    assert reasons[5] == ("criterion 9 of cycle 1 at 'Golden Lotus' is non_compliant here but "
                          "compliant in row 4")
    assert "differs from 2022-05-10 given in row 4" in reasons[7]
    assert "cycle '0'" in reasons[8]
    assert "is not a date" in reasons[9]
    assert reasons[10].startswith("status is empty")
    assert "Atlantis" in reasons[11]
    assert "15-character" in reasons[12]
    assert "not a web address" in reasons[13]
    assert reasons[14] == "factory_name is empty"
    # rejected rows left nothing: no facility, record, assessment for "Nowhere Garment"
    assert list(Facility.objects.values_list("name", flat=True)) == ["Golden Lotus"]
    assert FacilityRecord.objects.count() == 1
    assert Assessment.objects.count() == Finding.objects.count() == 1


def test_a_file_that_is_neither_shape_fails_clearly(tmp_path):
    path = write(tmp_path, "odd.csv", "factory,score\nA,3\n")
    with pytest.raises(ImportFailed, match="not a BFC file.*Columns found: 'factory', 'score'"):
        run_import("bfc", path)
    path = write(tmp_path, "nocycle.csv", "factory_name,criterion_code,status\nA,9,yes\n")
    with pytest.raises(ImportFailed, match="findings table but has no column for cycle"):
        run_import("bfc", path)
    assert not Source.objects.exists()


@pytest.mark.parametrize("raw, expected", [
    ("Compliant", C), ("compliant", C), ("YES", C), ("y", C), ("True", C),
    ("Non-Compliant", NC), ("non_compliant", NC), ("NON COMPLIANT", NC), ("Noncompliant", NC),
    ("not compliant", NC), ("NC", NC), ("no", NC), ("false", NC),
    ("Not assessed", NA), ("not_assessed", NA), ("N/A", NA), ("not applicable", NA),
])
def test_status_spellings(raw, expected):
    assert finding_status(raw) == expected


@pytest.mark.parametrize("raw", ["", "maybe", "unknown", "partly compliant", "1"])
def test_unclear_statuses_are_refused(raw):
    with pytest.raises(RowRejected):
        finding_status(raw)


@pytest.mark.parametrize("raw, expected", [
    ("1", "1"), ("01", "1"), (1, "1"), (1.0, "1"), ("#12", "12"), ("chi.1", "CHI.1")])
def test_criterion_codes(raw, expected):
    assert criterion_code(raw) == expected


def test_contradicting_ids_and_dates_from_another_dataset(tmp_path, criteria):
    factories.facility(name="Golden Lotus Garment", bfc_id="BFC-1001")
    run_import("bfc", write(tmp_path, "portal.csv", HEADER +
                            "Golden Lotus Garment,BFC-1001,,KH,1,2022-05-10,9,yes,,\n"))
    report = run_import("bfc", write(tmp_path, "other.csv", HEADER +
                                     "Golden Lotus Garment,BFC-7777,,KH,1,2022-05-10,9,yes,,\n"
                                     "Golden Lotus Garment,,,KH,1,2022-05-11,12,no,,\n"))
    assert report.rejected == [(2, "bfc_id BFC-7777 contradicts the facility 'Golden Lotus "
                                   "Garment' found for this row, whose BFC ID is BFC-1001")]
    assert report.created == 1  # criterion 12 is new; the date of cycle 1 is kept
    assert Assessment.objects.get().assessed_on == dt.date(2022, 5, 10)
    assert any("row 3" in n and "kept 2022-05-10" in n for n in report.notes)
    assert not Facility.objects.filter(bfc_id="BFC-7777").exists()
