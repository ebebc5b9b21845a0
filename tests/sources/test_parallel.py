"""Large files are parsed in a worker process and written in batches (in a writer thread on
PostgreSQL): the outcome must be exactly that of the plain, one-process import."""

import pytest
from django.db import connection

from shopfloor.models import Datapoint, Facility, FacilityRecord, Relationship, Source
from shopfloor.sources import ImportFailed, run_import
from shopfloor.sources import rows as rows_module
from shopfloor.sources import writer as writer_module
from shopfloor.sources.oshub import OpenSupplyHubImporter

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ("os_id,name,address,country_code,country_name,number_of_workers,parent_company,"
          "product_type,facility_type,processing_type,contributors,is_closed,lat,lng\n")


def _line(i: int) -> str:
    os_id = f"KH2019{i:03d}X1K87E"[:15]
    workers = ["1,234", "", "1001-5000", "12"][i % 4]
    parent = ["", f"Group {i % 7}"][i % 2]
    closed = ["False", "True", ""][i % 3]
    return (f'{os_id},"Garment {i % 50} Co., Ltd.","Street {i % 13}, Phnom Penh",KH,Cambodia,'
            f'"{workers}",{parent},Apparel,Final,Sewing,Brand,{closed},11.5,104.9\n')


def _file(tmp_path, name="list.csv"):
    lines = [_line(i) for i in range(1, 1200)]
    lines[10] = lines[10].replace("KH2019", "KH12")            # bad OS ID: rejected by parsing
    lines[20] = lines[20].replace("11.5,104.9", "191.5,104.9")  # rejected by the context
    lines[30] = "only,three,fields\n"                             # unreadable row
    lines[40] = lines[40].replace(',KH,', ',Atlantis,')         # unknown country
    path = tmp_path / name
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _state():
    return tuple(sorted(map(str, rows)) for rows in (
        Facility.objects.values_list("name", "address", "os_id", "is_closed", "lat"),
        FacilityRecord.objects.values_list("row_number", "facility__os_id", "raw", "decision"),
        Datapoint.objects.values_list("facility__os_id", "value_number", "value_text",
                                      "citation"),
        Relationship.objects.values_list("subject__name", "facility__os_id", "citation"),
    ))


def _summary(report):
    return (report.rows_read, report.created, report.updated, report.unchanged,
            report.rejected)


def _import(monkeypatch, path, *, worker: bool, background: bool, **kwargs):
    monkeypatch.setattr(OpenSupplyHubImporter, "worker_min_rows", 0 if worker else 10**9)
    monkeypatch.setattr(OpenSupplyHubImporter, "chunk_size", 100)
    monkeypatch.setattr(rows_module, "WORKER_CHUNK", 37)
    original = writer_module.BatchWriter.__init__

    def init(self, *, background_=background, **_):
        original(self, background=background_)

    monkeypatch.setattr(writer_module.BatchWriter, "__init__", init)
    return run_import("oshub", path, **kwargs)


def _clear():
    for model in (Relationship, Datapoint, FacilityRecord, Facility, Source):
        model.objects.all().delete()


def test_worker_and_writer_thread_change_nothing_in_the_outcome(tmp_path, monkeypatch):
    path = _file(tmp_path)
    outcomes = {}
    for worker, background in ((False, False), (True, False), (True, True), (False, True)):
        _clear()
        report = _import(monkeypatch, path, worker=worker, background=background,
                         dataset=f"test-{worker}-{background}")
        outcomes[worker, background] = (_summary(report), _state())
    first = outcomes[False, False]
    assert [n for n, _ in first[0][4]] == [12, 22, 32, 42]
    assert first[0][1] > 0 and first[0][2] + first[0][3] > 0, first[0][:4]
    for key, outcome in outcomes.items():
        assert outcome == first, key


def test_a_new_version_updates_the_same_way_with_the_worker(tmp_path, monkeypatch):
    path = _file(tmp_path)
    newer = tmp_path / "newer.csv"
    newer.write_text(path.read_text().replace('"1,234"', '"1,300"').replace(
        "Street 3,", "Street 33,"), encoding="utf-8")
    outcomes = []
    for worker, background in ((False, False), (True, True)):
        _clear()
        _import(monkeypatch, path, worker=False, background=False, dataset="v")
        report = _import(monkeypatch, newer, worker=worker, background=background,
                         dataset="v")
        outcomes.append((_summary(report), _state()))
    assert outcomes[0][0][2] > 0  # updated
    assert outcomes[0] == outcomes[1]


def test_a_truncated_file_fails_whole_with_the_worker(tmp_path, monkeypatch):
    path = _file(tmp_path)
    path.write_text(path.read_text() + "KH2019999X1K87E,Cut", encoding="utf-8")
    with pytest.raises(ImportFailed, match="truncated"):
        _import(monkeypatch, path, worker=True, background=True)
    assert not Facility.objects.exists() and not FacilityRecord.objects.exists()


def test_a_database_error_in_the_writer_rolls_everything_back(tmp_path, monkeypatch):
    path = _file(tmp_path)

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("shopfloor.sources.context.write_batch", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(monkeypatch, path, worker=True, background=True)
    assert not Facility.objects.exists()
    assert connection.in_atomic_block is False


def test_dry_run_with_the_worker_leaves_nothing(tmp_path, monkeypatch):
    report = _import(monkeypatch, _file(tmp_path), worker=True, background=True, dry_run=True)
    assert report.created > 0 and report.source_id is None
    assert not Facility.objects.exists() and not FacilityRecord.objects.exists()


def test_parse_row_may_not_query_the_database_in_the_worker(tmp_path, monkeypatch):
    def parse_row(self, row):
        Facility.objects.count()

    monkeypatch.setattr(OpenSupplyHubImporter, "parse_row", parse_row)
    with pytest.raises(RuntimeError, match="must not"):
        _import(monkeypatch, _file(tmp_path), worker=True, background=False)
    assert not Facility.objects.exists()
