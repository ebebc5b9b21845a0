"""The buyer-leverage pack: exactly the brands whose relationship covers the case's year,
shared copies only (no EXIF, no originals), Khmer in the PDF, no worker names, audited."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from shopfloor.access import can_read_source
from shopfloor.demo import load_demo
from shopfloor.evidence import cases as case_lib
from shopfloor.evidence import media, vault
from shopfloor.evidence.storage import vault_storage
from shopfloor.models import (
    AuditEvent,
    Case,
    Company,
    EvidenceFile,
    MonitoringIssue,
    Organisation,
    Relationship,
    Source,
)
from shopfloor.reports.leverage import (
    SYSTEM,
    PackNotAllowed,
    leverage_pack,
    leverage_pack_for_issue,
    leverage_zip,
)
from shopfloor.reports.leverage_export import FACT_COLUMNS, PackError
from tests import factories as f
from tests.evidence.files import jpeg_with_gps

pytestmark = pytest.mark.django_db
User = get_user_model()
V = Source.Visibility
_NO_POPPLER = "pdftotext missing (apt-get install poppler-utils; `make test` does)"
if shutil.which("pdftotext") is None and os.environ.get("CI"):
    pytest.fail(_NO_POPPLER, pytrace=False)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason=_NO_POPPLER)


def _covers(rel: Relationship, year: int) -> bool:
    """The rule as the brief states it, written out again here (not the pack's code)."""
    start, end = rel.year_start, rel.year_end
    if start is not None and end is not None:
        return start <= year <= end
    single = start if start is not None else end
    return single == year


def _upload(record, data: bytes, **target):
    stored, _created = vault.add_file(record.organisation, record.facility, io.BytesIO(data),
                                      by=None, caption="Dismissal letter of Sok Dara")
    vault.attach(stored, by=None, **target)
    return stored


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.fixture
def demo(db):
    """The demo, its settled union-busting case (2025), more buyers around that year, and a
    GPS-tagged photo attached to the case."""
    load_demo()
    case = Case.objects.select_related("facility", "organisation").get(
        kind=Case.Kind.UNION_BUSTING, status=Case.Status.SETTLED, is_demo=True)
    assert case.opened_on.year == 2025 and case.facility.name_km
    rep = User.objects.get(username="unionrep")
    public = f.source(publisher="Brand lists", title="Buyers 2026")
    stranger = Organisation.objects.create(name="Another factory union", kind="factory_union")
    elsewhere = f.source(title="Another union's buyer report", visibility=V.ORGANISATION,
                         organisation=stranger)
    others = list(Company.objects.filter(kind="brand").exclude(name="Tulpwear")
                  .order_by("name")[:8])
    spans = [(2024, 2026), (2025, None), (None, 2025), (2021, 2023), (2026, 2026),
             (2024, 2024), (None, None)]
    for company, (start, end) in zip(others, spans, strict=False):
        Relationship.objects.create(subject=company, kind="sources_from",
                                    facility=case.facility, year_start=start, year_end=end,
                                    source=public, citation=f"row {company.pk}")
    hidden = others[len(spans)]  # covers 2025, but from a source the rep may not read
    Relationship.objects.create(subject=hidden, kind="sources_from", facility=case.facility,
                                year_start=2025, year_end=2025, source=elsewhere,
                                citation="row 9")
    photo = _upload(case, jpeg_with_gps(text="union notice board"), case=case)
    with vault.read_variant(photo, "original") as original:
        assert media.has_exif(original.read())
    return SimpleNamespace(case=case, rep=rep, photo=photo, hidden=hidden, others=others)


def test_the_pack_lists_exactly_the_brands_covering_the_case_date(demo):
    case, rep = demo.case, demo.rep
    year = case.opened_on.year
    expected = {rel.subject.name for rel in Relationship.objects.filter(
        kind="sources_from", facility=case.facility).select_related("subject", "source")
        if can_read_source(rep, rel.source) and _covers(rel, year)}
    pack = leverage_pack(case, user=rep, language="en")
    assert {b.company.name for b in pack.buyers} == expected
    assert len(expected) == 4  # Tulpwear 2019–2025 and three of the added spans
    assert demo.hidden.name not in expected
    for buyer in pack.buyers:
        assert buyer.relationships and all(_covers(r, year) for r in buyer.relationships)
        assert set(buyer.letters) == {"en", "km"}
    # the most recent list before the case (2024), only for brands not covering 2025
    assert pack.earlier_year == 2024
    earlier = {b.company.name for b in pack.earlier_buyers}
    assert earlier == {demo.others[5].name}
    assert not earlier & expected


def test_its_shareable_files_contain_no_exif_and_no_original(demo, tmp_path):
    case, rep = demo.case, demo.rep
    issue = MonitoringIssue.objects.filter(
        organisation=case.organisation, facility=case.facility, attachments__isnull=False
    ).distinct().first()
    case.issue = issue
    case.save(update_fields=["issue"])
    pack = leverage_pack(case, user=rep, language="en")
    files = {pf.file.pk for pf in pack.files}
    assert demo.photo.pk in files and len(files) > 1  # the case's photo and its issue's
    members = _zip(leverage_zip(pack))
    originals = set(EvidenceFile.objects.values_list("sha256", flat=True))
    evidence = {n: d for n, d in members.items()
                if n.startswith("evidence/") and n != "evidence/manifest.csv"}
    assert len(evidence) == len(files)
    for name, data in members.items():
        assert hashlib.sha256(data).hexdigest() not in originals, name
    for name, data in evidence.items():
        assert not media.has_exif(data), name
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif().get_ifd(0x8825), name  # no GPS
        assert b"Samsung" not in data and b"SM-A105F" not in data
    rows = list(csv.DictReader(io.StringIO(members["evidence/manifest.csv"].decode())))
    by_path = {r["path"]: r for r in rows}
    assert set(by_path) == set(evidence)
    for pf in pack.files:
        row = by_path[pf.path]
        assert row["sha256_original"] == pf.file.sha256
        assert row["sha256_shared"] == hashlib.sha256(evidence[pf.path]).hexdigest()
        assert row["shared_matches_record"] == "yes" and row["original_in_pack"] == "no"
    gps_row = by_path[next(pf.path for pf in pack.files if pf.file.pk == demo.photo.pk)]
    assert "GPS position" in gps_row["metadata_removed"]


@needs_poppler
def test_the_pdf_in_the_zip_renders_khmer(demo, tmp_path):
    pack = leverage_pack(demo.case, user=demo.rep, language="km")
    members = _zip(leverage_zip(pack))
    text = _pdftotext(members["pack.pdf"], tmp_path)
    khmer_name = demo.case.facility.name_km
    assert re.sub(r"\s", "", khmer_name) in re.sub(r"\s", "", text)
    assert khmer_name in text  # copied out intact (the /ActualText spans)
    assert demo.case.facility.name in text


def test_no_worker_name_title_or_note_reaches_the_pack(demo, tmp_path):
    case = demo.case
    case_lib.add_worker(case, sex="female", union_role="member", name="Sok Dara")
    case.title, case.description = "Sok Dara fired", "Chhim Vanna saw it"
    case.save(update_fields=["title", "description"])
    case_lib.escalate(case, body="other", on=case.opened_on, body_name="Lawyer",
                      note="Sok Dara's letter", reference="L-1")
    pack = leverage_pack(case, user=demo.rep, language="en")
    members = _zip(leverage_zip(pack))
    texts = [d.decode("utf-8", "replace") for n, d in members.items()
             if n.endswith((".txt", ".csv"))]
    if shutil.which("pdftotext"):
        texts.append(_pdftotext(members["pack.pdf"], tmp_path))
    for text in texts:
        for secret in ("Sok Dara", "Chhim Vanna", "Sok Dara fired"):
            assert secret not in text
    letter = pack.buyers[0].letters["en"]
    assert "Morning Star" in letter or pack.facility.name in letter
    assert "Dear " in letter and letter.rstrip().endswith(pack.organisation.name)
    assert "L-1" in letter  # the escalation's reference is evidence, not a name


def test_every_fact_has_its_provenance(demo):
    pack = leverage_pack(demo.case, user=demo.rep, language="en")
    members = _zip(leverage_zip(pack))
    rows = list(csv.DictReader(io.StringIO(members["facts.csv"].decode("utf-8-sig"))))
    assert list(rows[0]) == FACT_COLUMNS
    for row in rows:
        assert row["publisher"] and row["title"] and row["location"], row
    sourcing = [r for r in rows if r["section"] == "buyer"]
    assert {r["subject"] for r in sourcing} == {b.company.name for b in pack.buyers}
    tulp = next(r for r in sourcing if r["subject"] == "Tulpwear")
    assert tulp["title"] == "Tulpwear supplier list 2025 (fictional)"
    assert tulp["citation"].startswith("row ") and tulp["licence"]
    laws = [r for r in rows if r["section"] == "law"]
    assert {r["location"] for r in laws} >= {"https://eur-lex.europa.eu/eli/dir/2024/1760/oj"}
    assert any(r["section"] == "commitment" and r["subject"] == "Tulpwear" for r in rows)
    assert any(r["section"] == "outcome" and "640" in r["value"] for r in rows)


def test_every_export_is_audited(demo):
    pack = leverage_pack(demo.case, user=demo.rep, language="en")
    leverage_zip(pack)
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.detail["what"] == "leverage pack"
    assert event.object_type == "shopfloor.case" and event.object_id == str(demo.case.pk)
    assert event.actor == demo.rep
    attached = sorted(demo.case.attachments.values_list("file", flat=True))
    assert demo.photo.pk in attached
    assert sorted(entry["file"] for entry in event.detail["files"]) == attached
    assert set(event.detail["brands"]) == {b.company.name for b in pack.buyers}


def test_a_shared_copy_that_still_has_exif_is_not_exported(demo):
    photo = demo.photo
    with open(vault_storage().path(photo.shared.name), "wb") as fh:
        fh.write(jpeg_with_gps())  # the copy on disk was tampered with
    pack = leverage_pack(demo.case, user=demo.rep, language="en")
    before = AuditEvent.objects.filter(action="export").count()
    with pytest.raises(PackError):
        leverage_zip(pack)
    assert AuditEvent.objects.filter(action="export").count() == before


# -- with the small workspace of tests/conftest.py ------------------------------------------


@pytest.fixture
def case(ws):
    import datetime as dt

    return case_lib.create_case(ws.union, ws.a, by=ws.rep, kind="union_busting",
                                title="Founder dismissed", opened_on=dt.date(2024, 5, 2),
                                workers_female=1, workers_male=0)


def test_relationships_not_covering_the_date_or_from_unreadable_sources_are_left_out(ws, case):
    rival_list = f.source(title="Rival union's buyers", visibility=V.ORGANISATION,
                          organisation=ws.rival)
    union_list = f.source(title="Our buyers", visibility=V.ORGANISATION,
                          organisation=ws.union)
    fed_list = f.source(title="Federation's buyers", visibility=V.ORGANISATION,
                        organisation=ws.fed)
    brands = {name: f.company(ws.public, name=name) for name in
              ("Covering", "Old", "Rival's", "Ours", "Federation's", "Later")}
    for name, start, end, source in (("Covering", 2022, 2024, ws.public),
                                     ("Old", 2019, 2023, ws.public),
                                     ("Rival's", 2024, 2024, rival_list),
                                     ("Ours", 2024, None, union_list),
                                     ("Federation's", 2024, 2025, fed_list),
                                     ("Later", 2025, 2026, ws.public)):
        Relationship.objects.create(subject=brands[name], kind="sources_from", facility=ws.a,
                                    year_start=start, year_end=end, source=source)
    # ws's own "Brand X" relationship: year_start 2023 only, so 2023 — not 2024
    names = lambda pack: sorted(b.company.name for b in pack.buyers)  # noqa: E731
    assert names(leverage_pack(case, user=ws.rep)) == ["Covering", "Ours"]
    assert names(leverage_pack(case, user=ws.fed_researcher)) == ["Covering", "Federation's",
                                                                   "Ours"]
    assert names(leverage_pack(case, user=SYSTEM)) == ["Covering", "Federation's", "Ours"]
    assert names(leverage_pack(case, user=ws.staff)) == ["Covering", "Federation's", "Ours",
                                                         "Rival's"]
    earlier = leverage_pack(case, user=ws.rep)
    assert earlier.earlier_year == 2023
    assert sorted(b.company.name for b in earlier.earlier_buyers) == ["Brand X", "Old"]


def test_only_readers_of_the_union_workspace_build_a_pack(ws, case):
    for user in (ws.rep, ws.union_admin, ws.union_researcher, ws.fed_researcher, ws.staff):
        assert leverage_pack(case, user=user).record == case
    for user in (ws.brand, ws.rival_rep, ws.member, ws.outsider, None):
        with pytest.raises(PackNotAllowed):
            leverage_pack(case, user=user)


def test_a_pack_for_a_monitoring_issue(ws):
    import datetime as dt

    from shopfloor.evidence import workflow

    issue = workflow.create_issue(ws.union, ws.a, by=ws.rep, found_on=dt.date(2023, 8, 1),
                                  title="Union members watched", topic="union_interference",
                                  workers_female=12, workers_male=1)
    _upload(issue, jpeg_with_gps(), issue=issue)
    pack = leverage_pack_for_issue(issue, user=ws.rep, language="en")
    assert pack.kind == "issue" and pack.year == 2023
    assert [b.company.name for b in pack.buyers] == ["Brand X"]  # year_start 2023
    assert len(pack.files) == 1 and pack.files[0].attached_to == "issue"
    letter = pack.buyers[0].letters["en"]
    assert "12 women and 1 men" in letter and "Union members watched" not in letter
    with pytest.raises(PackNotAllowed):
        leverage_pack_for_issue(issue, user=ws.brand)


def test_a_pack_is_written_in_english_or_khmer_only(ws, case):
    with pytest.raises(ValueError):
        leverage_pack(case, user=ws.rep, language="fr")


def test_a_brand_the_case_was_taken_to_is_told_so(ws, case):
    import datetime as dt

    covering = f.company(ws.public, name="Lindqvist & Co")
    Relationship.objects.create(subject=covering, kind="sources_from", facility=ws.a,
                                year_start=2024, source=ws.public, citation="row 5")
    case_lib.escalate(case, body="buyer", on=dt.date(2024, 5, 20), body_name="lindqvist & co")
    pack = leverage_pack(case, user=ws.rep, language="en")
    [buyer] = pack.buyers
    assert [e.on for e in buyer.escalations] == [dt.date(2024, 5, 20)]
    assert "We first wrote to you about it on May 20, 2024." in buyer.letters["en"]
    assert "reinstate the dismissed workers" in buyer.letters["en"]  # the case is open
