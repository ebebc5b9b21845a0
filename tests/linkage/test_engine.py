"""The matcher on the demo registry: a union's list with Khmer names, abbreviations and typos
is matched to the right facilities, and decisions made once are never asked again."""

import csv

import pytest

from shopfloor.demo import load_demo
from shopfloor.linkage.decisions import confirm, make_new_facility, reject, review_queue
from shopfloor.linkage.engine import (
    AUTOMATIC,
    NEW,
    PENDING,
    UNMATCHED,
    Thresholds,
    link,
    match_records,
)
from shopfloor.linkage.records import RecordView as R
from shopfloor.models import Facility, FacilityRecord, Source
from shopfloor.sources import SourceInfo, run_import
from tests import factories

D = FacilityRecord.Decision

#: Rows a union writes, and the demo facility (by its English name) each one is.
UNION_LIST = [
    ("រោងចក្រកាត់ដេរ ផ្កាម្លិះ", "", "Jasmine Apparel (Cambodia) Co., Ltd."),     # Khmer
    ("ផ្កាឈូកមាស", "ភ្នំពេញ", "Golden Lotus Fashion Co., Ltd."),                  # Khmer, short
    ("គុជអង្គរ", "សែនសុខ ភ្នំពេញ", "Angkor Pearl Garment Co., Ltd."),              # Khmer, short
    ("Goldn Tigre Garment", "Doun Kaev, Takeo", "Golden Tiger Garment Co., Ltd."),  # typos
    ("FU SHEENG FASHON", "", "Fu Sheng Fashion Co., Ltd."),                        # typos, caps
    ("Kampuchea Star Garment Mfg.", "Meanchey", "Kampuchea Star Garment Manufacturing Co., Ltd."),
    ("Blue Sky Apparel Cambodia", "Dangkao, Phnom Penh", "Blue Sky Apparel (Cambodia) Co., Ltd."),
    ("Han Seong Knitting", "Peam Ro, Prey Veng", "Han Seong Knitting Factory Co., Ltd."),
    ("Chang Hong Textiles", "Svay Chrum", "Chang Hong Textile (Cambodia) Ltd."),
    ("Jin Yuan Gmt", "Kampong Tralach", "Jin Yuan Garment Co., Ltd."),             # abbreviation
]


def _write(path, rows, header=("Factory name", "Address")):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def demo(db):
    load_demo()


def _upload(tmp_path, name, rows):
    run_import("facility-list", _write(tmp_path / name, rows),
               info=SourceInfo(publisher="Test union (fictional)"))
    return Source.objects.latest("pk")


@pytest.mark.django_db
def test_union_list_with_khmer_abbreviations_and_typos_matches_the_right_facilities(
        demo, tmp_path):
    source = _upload(tmp_path, "our_factories.csv", [row[:2] for row in UNION_LIST])
    report = match_records(source=source)
    records = list(FacilityRecord.objects.filter(source=source).order_by("row_number"))
    assert len(records) == len(UNION_LIST)
    for rec, (_, _, expected) in zip(records, UNION_LIST, strict=True):
        assert rec.facility is not None and rec.facility.name == expected, rec.name
        assert rec.decision in (D.AUTOMATIC, D.PENDING)
    automatic = [r for r in records if r.decision == D.AUTOMATIC]
    assert len(automatic) >= 7, [(r.name, r.match_score) for r in records]
    assert report.created == 0 and Facility.objects.count() == 60  # a union list adds none
    matched = next(r for r in automatic if r.match_evidence.get("method") == "model")
    assert matched.match_evidence["candidates"][0]["facility_id"] == matched.facility_id
    assert matched.match_evidence["contributions"]  # what reviewers see


@pytest.mark.django_db
def test_reupload_after_confirm_and_reject_asks_nothing_again(demo, tmp_path):
    rows = [("Angkor Pearl Garment", "Sen Sok, Phnom Penh"),     # two units at one address
            ("Golden Lotus", "Phnom Penh"),                         # Fashion? Garment? unclear
            ("Diamond Star", ""),                                   # Fashion or Garment
            ("Sunrise Knitwear Cambodia", "Pou Senchey"),            # not in the registry
            ("Goldn Tigre Garment", "Doun Kaev, Takeo")]
    first = _upload(tmp_path, "list_2024.csv", rows)
    match_records(source=first)
    asked = list(review_queue(source=first))
    assert asked, "the ambiguous rows wait for a person"
    # A person answers every question: confirm the first, reject everything else until
    # no candidate is left, or make a new facility.
    for i, rec in enumerate(asked):
        if i == 0:
            confirm(rec, rec.facility)
            continue
        while rec.decision == D.PENDING and rec.facility is not None:
            reject(rec, rec.facility)
            rec.refresh_from_db()
        if i == 1:
            make_new_facility(rec)
    assert not review_queue(source=first).exists()
    before = {r.row_number: (r.facility_id, r.decision)
              for r in FacilityRecord.objects.filter(source=first)}

    # The next year's list: same rows (one re-ordered, other capitalisation) + a new one.
    later = [rows[2], rows[0], rows[1], rows[3], rows[4], ("Morning Star Co", "")]
    later = [(n.upper() if i == 2 else n, a) for i, (n, a) in enumerate(later)]
    second = _upload(tmp_path, "list_2025.csv", later)
    match_records(source=second)
    new_questions = [r for r in review_queue(source=second)
                     if r.name.casefold() != "morning star co"]
    assert new_questions == []
    after = {r.name.casefold(): (r.facility_id, r.decision)
             for r in FacilityRecord.objects.filter(source=second)}
    for row_number, (name, _) in enumerate(rows, start=2):
        fid, decision = before[row_number]
        if decision in (D.CONFIRMED, D.NEW):
            # The matcher reuses the decision; or the importer already linked the row by
            # the spelling the confirmation taught the facility.
            assert after[name.casefold()][0] == fid
            assert after[name.casefold()][1] in (D.CONFIRMED, D.AUTOMATIC)
    # Running the matcher again changes nothing and asks nothing.
    assert match_records(source=second).counts[PENDING] <= 1


@pytest.mark.django_db
def test_other_sources_create_one_facility_per_unknown_factory():
    src = factories.source(importer="brand-list")
    known = factories.facility(name="Golden Lotus Garment Co., Ltd.",
                               address="Pou Senchey, Phnom Penh", country="KH")
    for row, name in enumerate(["Golden Lotus Garment", "Kirirom Sportswear Ltd",
                                "KIRIROM SPORTSWEAR LTD"], start=1000):
        address = "Pou Senchey, Phnom Penh" if row == 1000 else "Kampot"
        FacilityRecord.objects.create(source=src, row_number=row, name=name, country="KH",
                                      address=address, decision=D.PENDING)
    report = match_records(source=src)
    recs = {r.row_number: r for r in FacilityRecord.objects.filter(source=src)}
    assert recs[1000].facility == known and recs[1000].decision == D.AUTOMATIC
    assert recs[1001].decision == recs[1002].decision == D.NEW
    assert recs[1001].facility_id == recs[1002].facility_id != known.pk
    assert report.created == 1 and report.counts[NEW] == 2
    assert "1 new" not in str(report) and "2 new facilities (1 created)" in str(report)


def test_link_core_identifiers_thresholds_and_ambiguity():
    registry = [R(1, "Golden Lotus Garment Co., Ltd.", "Pou Senchey, Phnom Penh", "KH",
                  os_id="KH2019ABCDEFG"),
                R(2, "Angkor Pearl Garment (Unit 1)", "Sen Sok, Phnom Penh", "KH"),
                R(3, "Angkor Pearl Garment (Unit 1) Co., Ltd.", "Sen Sok, Phnom Penh", "KH")]
    incoming = [R(10, "Something else entirely", "", "KH", os_id="kh2019abcdefg"),
                R(11, "Angkor Pearl Garment Unit 1", "Sen Sok", "KH"),
                R(12, "Zzyzx Holdings", "", "KH")]
    out = link(incoming, registry, create_new=False)
    assert (out[10].decision, out[10].facility_id, out[10].evidence["method"]) == (
        AUTOMATIC, 1, "identifier")
    # Two registry entries fit equally: a person decides (often a duplicate to merge).
    assert out[11].decision == PENDING and out[11].facility_id in (2, 3)
    assert out[12].decision == UNMATCHED and out[12].facility_id is None
    # A rejected identifier match is not forced again; thresholds are parameters.
    memo = type("Memo", (), {"confirmed": set(), "rejected": {1}})()
    out = link(incoming[:1], registry, remembered={10: memo}, thresholds=Thresholds(0.99, 0.98))
    assert out[10].facility_id != 1 and out[10].decision == NEW


@pytest.mark.django_db
def test_match_command_reports_counts_and_refuses_unknown_sources():
    import json

    from click.testing import CliRunner

    from shopfloor.cli import cli

    src = factories.source(importer="facility-list")
    known = factories.facility(name="Silver Crane Apparel Co., Ltd.", address="Takeo")
    FacilityRecord.objects.create(source=src, row_number=2, name="Silver Crane Aparel",
                                  address="Takeo", country="KH", decision=D.PENDING)
    result = CliRunner().invoke(cli, ["match", "--source", str(src.pk), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert (counts["records"], counts["engine"], counts["created"]) == (1, "duckdb", 0)
    assert FacilityRecord.objects.get(source=src).facility == known
    result = CliRunner().invoke(cli, ["match", "--source", "999999"])
    assert result.exit_code != 0 and "No source with id 999999" in result.output


def test_link_decides_the_same_in_one_chunk_or_several():
    registry = [R(1, "Golden Lotus Garment Co., Ltd.", "Pou Senchey, Phnom Penh", "KH"),
                R(2, "Angkor Pearl Garment (Unit 1)", "Sen Sok, Phnom Penh", "KH"),
                R(3, "Angkor Pearl Garment (Unit 1) Co., Ltd.", "Sen Sok, Phnom Penh", "KH"),
                R(4, "Fu Sheng Fashion Co., Ltd.", "Chbar Ampov, Phnom Penh", "KH",
                  os_id="KH2019FUSHENG"),
                R(5, "Jin Yuan Garment Co., Ltd.", "Kampong Tralach", "KH"),
                R(6, "Blue Sky Apparel (Cambodia) Co., Ltd.", "Dangkao, Phnom Penh", "KH")]
    incoming = [R(10, "Goldn Lotus Garment", "Pou Senchey", "KH"),
                R(11, "Angkor Pearl Garment Unit 1", "Sen Sok", "KH"),
                R(12, "FU SHEENG FASHON", "", "KH"),
                R(13, "Anything", "", "KH", os_id="kh2019fusheng"),
                R(14, "Jin Yuan Gmt", "Kampong Tralach", "KH"),
                R(15, "Apparel Blue Sky", "", "KH"),
                R(16, "Zzyzx Holdings", "", "KH")]
    whole = link(incoming, registry, create_new=False, chunk_size=len(incoming))
    assert {o.decision for o in whole.values()} >= {AUTOMATIC, UNMATCHED}
    for size in (1, 3):
        assert link(incoming, registry, create_new=False, chunk_size=size) == whole


def test_a_clear_best_by_score_is_automatic_and_the_margin_follows_the_threshold():
    """A name without an address that the scorer finds likely but not certain is matched
    when splink ranks its facility first and the scorer gives it auto / (1 - auto) times
    the odds of every other candidate; a stricter automatic threshold asks a person."""
    registry = [R(7, "Jin Yuan Garment Co., Ltd.", "Kampong Tralach", "KH"),
                R(8, "Jin Yuan Knitting Co., Ltd.", "Kampot", "KH"),
                R(4, "Golden Lotus Garment Co., Ltd.", "Pou Senchey, Phnom Penh", "KH"),
                R(5, "Golden Lotus Fashion Co., Ltd.", "Sen Sok, Phnom Penh", "KH")]
    incoming = [R(13, "Jin Yuan Gmt", "", "KH"), R(11, "Golden Lotus", "", "KH")]
    out = link(incoming, registry, create_new=False)
    jin = out[13]
    best, runner_up = jin.evidence["candidates"][:2]
    assert best["facility_id"] == 7 and best["splink_weight"] > runner_up["splink_weight"]
    assert 0.5 <= best["score"] < 0.8
    odds = [c["score"] / (1 - c["score"]) for c in (best, runner_up)]
    assert 4 <= odds[0] / odds[1] < 9
    assert (jin.decision, jin.facility_id, jin.evidence["rule"]) == (
        AUTOMATIC, 7, "clear best by score")
    # Two facilities the row fits equally: a person decides.
    assert out[11].decision == PENDING and "rule" not in out[11].evidence
    # At 0.9 the best must have 9 times the runner-up's odds: not met, so a person decides.
    strict = link(incoming[:1], registry, create_new=False, thresholds=Thresholds(0.9, 0.5))
    assert strict[13].decision == PENDING and strict[13].facility_id == 7
