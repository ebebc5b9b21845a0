"""The union workspace pages over real HTTP (Django's test client): recording, reading,
who may, and what each role can reach of an evidence file."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from django.urls import reverse

from shopfloor.evidence import media
from shopfloor.models import (
    AuditEvent,
    Case,
    EvidenceFile,
    HeatReading,
    IssueStatus,
    MembershipCount,
    MonitoringIssue,
    PiccMeeting,
)
from tests.auth import ws_client
from tests.evidence.files import jpeg_with_gps

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vault_root")]




def _photo(data: bytes, name="IMG_0001.jpg"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _new_issue(client, ws, **extra):
    data = {"topic": "heat_stress", "title": "No fans on sewing line 4",
            "description": "It is 38 °C at 2 pm", "found_on": "2025-03-01",
            "workers_female": "40", "workers_male": "4", "client_key": str(uuid.uuid4()),
            **extra}
    return client.post(reverse("web:issue_new", args=[ws.union.pk, ws.a.pk]), data)


def test_a_rep_records_an_issue_with_a_photo(ws):
    rep = ws_client(ws, "rep")
    original = jpeg_with_gps()
    response = _new_issue(rep, ws, photo=_photo(original), caption="Line 4")
    issue = MonitoringIssue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:issue",
                                                                           args=[issue.pk])
    assert (issue.organisation, issue.facility, issue.created_by) == (ws.union, ws.a, ws.rep)
    assert issue.status == IssueStatus.DOCUMENTED and issue.workers_total == 44
    attachment = issue.attachments.get()
    assert attachment.stage == "before"
    assert attachment.file.sha256 == hashlib.sha256(original).hexdigest()
    page = rep.get(response["Location"]).content.decode()
    assert "No fans on sewing line 4" in page
    assert reverse("web:evidence_file", args=[attachment.file.pk, "thumbnail"]) in page
    # a rep sees the copies, not the original
    assert reverse("web:evidence_file", args=[attachment.file.pk, "original"]) not in page
    assert AuditEvent.objects.filter(action="evidence.read", object_id=str(issue.pk)).exists()


def test_the_same_form_sent_twice_records_once(ws):
    rep = ws_client(ws, "rep")
    key = str(uuid.uuid4())
    first = _new_issue(rep, ws, client_key=key)
    second = _new_issue(rep, ws, client_key=key)
    assert first["Location"] == second["Location"]
    assert MonitoringIssue.objects.count() == 1


def test_a_bad_upload_is_explained_and_nothing_is_kept(ws, settings):
    rep = ws_client(ws, "rep")
    response = _new_issue(rep, ws, photo=_photo(b"MZ" + b"\x00" * 400, "tool.exe"))
    assert response.status_code == 200
    assert "cannot be kept" in response.content.decode()
    assert not MonitoringIssue.objects.exists() and not EvidenceFile.objects.exists()
    settings.EVIDENCE_MAX_BYTES = 10_000
    response = _new_issue(rep, ws, photo=_photo(jpeg_with_gps(2000, 1500)))
    assert "larger than" in response.content.decode()
    assert not MonitoringIssue.objects.exists()


def _step(client, issue, **data):
    return client.post(reverse("web:issue_step", args=[issue.pk]), data)


def test_steps_through_the_web_and_no_resolution_without_a_note(ws):
    rep = ws_client(ws, "rep")
    _new_issue(rep, ws)
    issue = MonitoringIssue.objects.get()
    meeting = rep.post(reverse("web:meeting_new", args=[ws.union.pk, ws.a.pk]),
                       {"first": "2025-03-10", "count": "3"})
    assert PiccMeeting.objects.count() == 3
    picc = PiccMeeting.objects.order_by("scheduled_for").first()
    assert meeting["Location"] == reverse("web:meeting", args=[picc.pk])
    assert rep.get(meeting["Location"]).content.decode().count(issue.title) >= 1  # on the agenda
    rep.post(reverse("web:meeting_record", args=[picc.pk]),
             {"held_on": "2025-03-10", "minutes": "HR promised fans", "raised": [issue.pk]})
    issue.refresh_from_db()
    assert issue.status == "raised"
    assert _step(rep, issue, to_status="responded", on="2025-03-10", note="20 fans by April",
                 meeting=picc.pk).status_code == 302
    refused = _step(rep, issue, to_status="resolved", on="2025-04-01", note="")
    assert refused.status_code == 400 and "resolution note" in refused.content.decode()
    issue.refresh_from_db()
    assert issue.status == "responded"
    after = jpeg_with_gps(colour=(40, 200, 40))
    done = rep.post(reverse("web:issue_step", args=[issue.pk]), {
        "to_status": "resolved", "on": "2025-04-01", "note": "20 fans installed",
        "photo": _photo(after, "after.jpg")})
    assert done.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "resolved"
    assert list(issue.attachments.values_list("stage", flat=True)) == ["after"]


@pytest.mark.parametrize("who, status", [
    ("rep", 200), ("union_admin", 200), ("fed_researcher", 200), ("staff", 200),
    ("rival_rep", 404), ("brand", 404), ("member", 404), ("outsider", 404),
])
def test_who_reads_an_issue(ws, who, status):
    _new_issue(ws_client(ws, "rep"), ws)
    issue = MonitoringIssue.objects.get()
    assert ws_client(ws, who).get(reverse("web:issue", args=[issue.pk])).status_code == status


def test_readers_who_may_not_write_get_no_forms_and_403(ws):
    _new_issue(ws_client(ws, "rep"), ws)
    issue = MonitoringIssue.objects.get()
    researcher = ws_client(ws, "fed_researcher")
    page = researcher.get(reverse("web:issue", args=[issue.pk])).content.decode()
    assert "No fans on sewing line 4" in page and reverse("web:issue_step",
                                                          args=[issue.pk]) not in page
    assert _step(researcher, issue, to_status="raised", note="x").status_code == 403
    assert researcher.get(reverse("web:issue_new", args=[ws.union.pk, ws.a.pk])
                          ).status_code == 403
    anonymous = ws_client(ws, "anonymous").get(reverse("web:issue", args=[issue.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


ROLES = ("rep", "union_admin", "union_researcher", "fed_researcher", "rival_rep", "brand",
         "member", "outsider", "staff", "anonymous")


def test_no_copy_reachable_by_any_role_keeps_exif_only_the_restricted_original(ws):
    """Acceptance: upload a JPEG with GPS EXIF; every file any role can fetch — pages'
    images, the shared copy, the thumbnail — has no EXIF, except the original, which only
    the union's admins and researchers (and staff) reach, byte for byte as uploaded."""
    original = jpeg_with_gps(1600, 1200)
    _new_issue(ws_client(ws, "rep"), ws, photo=_photo(original))
    issue = MonitoringIssue.objects.get()
    stored = EvidenceFile.objects.get()
    assert stored.sha256 == hashlib.sha256(original).hexdigest()
    got_original = set()
    for who in ROLES:
        client = ws_client(ws, who)
        page = client.get(reverse("web:issue", args=[issue.pk]))
        for variant in ("thumbnail", "shared", "original"):
            response = client.get(reverse("web:evidence_file", args=[stored.pk, variant]))
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content)
            if variant == "original":
                got_original.add(who)
                assert body == original and media.has_exif(body)
                assert hashlib.sha256(body).hexdigest() == stored.sha256
                assert response["Content-Disposition"].startswith("attachment")
            else:
                assert not media.has_exif(body), (who, variant)
                assert b"Samsung" not in body and b"Srey Mom" not in body
                assert "private" in response["Cache-Control"]
        if page.status_code == 200:
            assert b"Srey Mom" not in page.content and b"SM-A105F" not in page.content
    assert got_original == {"union_admin", "union_researcher", "staff"}
    reads = AuditEvent.objects.filter(action="evidence.original", object_id=str(stored.pk))
    assert sorted(reads.values_list("actor_name", flat=True)) == ["staff", "union_admin",
                                                                   "union_researcher"]


def test_the_brand_sees_the_aggregate_on_the_factory_page_only(ws):
    rep = ws_client(ws, "rep")
    _new_issue(rep, ws)
    _new_issue(rep, ws, title="Exit door locked", topic="safety", workers_female="3",
               workers_male="1")
    brand = ws_client(ws, "brand")
    page = brand.get(reverse("web:facility", args=[ws.a.pk])).content.decode()
    assert "Union evidence" in page and "Occupational safety and health" in page
    assert "No fans on sewing line 4" not in page and "Exit door locked" not in page
    assert reverse("web:workspace_factory", args=[ws.union.pk, ws.a.pk]) not in page
    assert brand.get(reverse("web:workspace_factory", args=[ws.union.pk, ws.a.pk])
                     ).status_code == 404
    public = ws_client(ws, "anonymous").get(reverse("web:facility", args=[ws.a.pk])).content
    assert b"Union evidence" not in public
    researcher_page = ws_client(ws, "fed_researcher").get(
        reverse("web:facility", args=[ws.a.pk])).content.decode()
    assert reverse("web:workspace_factory", args=[ws.union.pk, ws.a.pk]) in researcher_page


def test_case_outcomes_and_totals_per_currency(ws):
    rep = ws_client(ws, "rep")
    response = rep.post(reverse("web:case_new", args=[ws.union.pk, ws.a.pk]), {
        "kind": "union_busting", "title": "Union founders dismissed",
        "opened_on": "2025-03-04", "workers_female": "2", "client_key": str(uuid.uuid4())})
    case = Case.objects.get()
    assert response["Location"] == reverse("web:case", args=[case.pk])

    def update(part, **data):
        return rep.post(reverse("web:case_update", args=[case.pk, part]),
                        {f"{part}-{k}": v for k, v in data.items()})

    assert update("worker", union_role="founder", sex="female").status_code == 302
    assert update("escalation", body="buyer", company=ws.brand_co.pk,
                  on="2025-03-20").status_code == 302
    assert update("outcome", kind="compensation", amount="1200", currency="USD",
                  on="2025-05-01").status_code == 302
    assert update("outcome", kind="compensation", amount="800000", currency="KHR",
                  on="2025-05-02").status_code == 302
    bad = update("outcome", kind="compensation", amount="5", currency="", on="2025-05-02")
    assert bad.status_code == 400
    page = rep.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "1,200" in page and "800,000" in page and "KHR" in page
    assert case.outcomes.count() == 2
    assert update("close", status="settled", on="2025-06-01").status_code == 302
    case.refresh_from_db()
    assert case.status == "settled"


def test_membership_counts_show_progress_to_mrs(ws):
    admin = ws_client(ws, "union_admin")
    url = reverse("web:organising", args=[ws.union.pk, ws.a.pk])
    response = admin.post(url, {"form": "membership", "membership-counted_on": "2025-06-01",
                                "membership-members_female": "250",
                                "membership-members_male": "30",
                                "membership-dues_payers": "270",
                                "membership-workforce": "1000"})
    assert response.status_code == 302 and MembershipCount.objects.count() == 1
    page = admin.get(url).content.decode()
    assert "30 more dues payers needed" in page
    refused = admin.post(url, {"form": "membership", "membership-counted_on": "2025-06-01",
                               "membership-members_female": "1",
                               "membership-members_male": "1",
                               "membership-dues_payers": "5"})
    assert refused.status_code == 200 and "more dues payers than members" in (
        refused.content.decode())
    assert MembershipCount.objects.count() == 1
    assert ws_client(ws, "fed_researcher").post(url, {"form": "nssf"}).status_code == 403


def test_a_hot_reading_is_flagged(ws):
    rep = ws_client(ws, "rep")
    url = reverse("web:heat", args=[ws.union.pk, ws.a.pk])
    response = rep.post(url, {"taken_at": "2025-04-01T14:00", "place": "sewing line 4",
                              "temperature_c": "34.5", "humidity_pct": "70",
                              "client_key": str(uuid.uuid4())}, follow=True)
    assert HeatReading.objects.count() == 1
    page = response.content.decode()
    assert "Heat index" in page and "danger" in page


def test_signing_out_clears_the_phones_drafts(ws):
    rep = ws_client(ws, "rep")
    response = rep.post(reverse("web:logout"))
    assert response["Clear-Site-Data"] == '"storage"'


def test_a_saved_form_tells_the_next_page_to_forget_its_draft(ws):
    rep = ws_client(ws, "rep")
    response = _new_issue(rep, ws)
    page = rep.get(response["Location"]).content.decode()
    assert f'data-clear-drafts="issue-{ws.union.pk}-{ws.a.pk}"' in page
    assert "data-clear-drafts" not in rep.get(response["Location"]).content.decode()


def test_index_lists_the_reps_factories(ws):
    rep = ws_client(ws, "rep")
    _new_issue(rep, ws)
    page = rep.get(reverse("web:workspace")).content.decode()
    assert "Factory A" in page and "1 open issue" in page and "Factory B" not in page
    assert "Factory A" not in ws_client(ws, "brand").get(reverse("web:workspace")).content.decode()
