"""The union workspace on a phone, in Khmer: a union rep records an issue with a photo,
raises it at a PICC meeting, records management's response and the resolution with an
"after" photo; a researcher of the same federation reads it; a brand viewer sees only the
aggregate. Then: a draft survives a dropped connection.

Debian's Chromium through Playwright, 360×740 touch screen, against the live server; every
step's screenshot goes to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import re

import pytest
from django.db import connections
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from shopfloor.models import EvidenceFile, IssueStatus, MonitoringIssue, PiccMeeting
from tests.auth import totp_code, totp_device
from tests.evidence.files import jpeg_with_gps
from tests.web.test_journeys import PHONE, Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long demo password"  # noqa: S105
TITLE_KM = "គ្មានកង្ហារនៅខ្សែដេរលេខ៤"
ISSUE_URL = re.compile(r"/issues/\d+/$")


def _km(message: str) -> str:
    with translation.override("km"):
        return gettext(message)


def _photo(name: str, colour) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_with_gps(colour=colour)}


def _sign_in(browser, live_server, user, *, device=None):
    """A Khmer phone signed in as ``user`` (with the authenticator code when needed)."""
    context = browser.new_context(**PHONE, locale="km-KH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/login/")
    page.locator("form.lang button[value=km]").tap()
    page.wait_for_function("document.documentElement.lang === 'km'")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").tap()
    if device is not None:
        page.wait_for_url("**/account/2fa/**")
        page.fill("#id_code", totp_code(device))
        page.locator("main form.login button[type=submit]").tap()
    page.wait_for_url(lambda url: "/login/" not in url and "/2fa/" not in url)
    return context, page


def _images_loaded(page, expected: int) -> int:
    """How many evidence thumbnails show (scrolled to, waited for up to 5 s)."""
    page.locator("#evidence").scroll_into_view_if_needed()
    script = ("Array.from(document.querySelectorAll('.files img'))"
              ".filter(i => i.complete && i.naturalWidth > 0).length")
    with contextlib.suppress(PlaywrightTimeout):  # the count below says what showed
        page.wait_for_function(f"{script} >= {expected}", timeout=5_000)
    return page.evaluate(script)


def test_issue_to_resolution_on_a_phone_in_khmer(browser, live_server, ws):
    for user in (ws.rep, ws.fed_researcher, ws.brand):
        user.set_password(PASSWORD)
        user.save()
    today = timezone.localdate().isoformat()
    context, page = _sign_in(browser, live_server, ws.rep)
    journey = Journey(page, "km")
    try:
        # The workspace: the rep's factory, then "record an issue".
        page.goto(live_server.url + "/workspace/")
        page.locator(f"a[href$='/workspace/{ws.union.pk}/{ws.a.pk}/']").tap()
        page.wait_for_url(f"**/workspace/{ws.union.pk}/{ws.a.pk}/")
        journey.check("workspace")
        page.get_by_role("link", name=_km("Record an issue")).tap()
        page.wait_for_url("**/issues/new/")
        page.select_option("#id_topic", "heat_stress")
        page.fill("#id_title", TITLE_KM)
        page.fill("#id_description", "៣៦ អង្សាសេ ម៉ោង ២ រសៀល")
        page.fill("#id_found_on", today)
        page.fill("#id_workers_female", "40")
        page.set_input_files("#id_photo", _photo("IMG_before.jpg", (200, 40, 40)))
        journey.check("issue-form")
        page.locator("form.form button.primary").tap()
        page.wait_for_url(ISSUE_URL)
        issue = MonitoringIssue.objects.get()
        assert page.locator("h1").inner_text() == TITLE_KM
        assert _images_loaded(page, 1) == 1
        assert _km("documented") in page.locator("main").inner_text()
        journey.check("issue-recorded")

        # Plan a PICC meeting for today; the issue is on its agenda.
        page.goto(live_server.url + f"/workspace/{ws.union.pk}/{ws.a.pk}/")
        page.get_by_role("link", name=_km("Plan a PICC meeting")).tap()
        page.wait_for_url("**/meetings/new/")
        page.fill("#id_first", today)
        page.locator("form.form button.primary").tap()
        page.wait_for_url(re.compile(r"/meetings/\d+/$"))
        meeting = PiccMeeting.objects.get()
        assert TITLE_KM in page.locator("#agenda").inner_text()
        journey.check("meeting-agenda")

        # After the meeting: it was held, the issue was raised.
        page.fill("#id_held_on", today)
        page.fill("#id_minutes", "ថ្នាក់គ្រប់គ្រងសន្យាទិញកង្ហារ")
        page.locator(f"#record input[value='{issue.pk}']").check()
        with page.expect_navigation():
            page.locator("#record button.primary").tap()
        issue.refresh_from_db()
        meeting.refresh_from_db()
        assert issue.status == IssueStatus.RAISED and meeting.status == "held"
        journey.check("meeting-held")

        # Management responded; then "resolved" without a note is refused, in Khmer.
        page.goto(live_server.url + f"/issues/{issue.pk}/")
        page.select_option("#id_to_status", "responded")
        page.fill("#id_note", "ថ្នាក់គ្រប់គ្រងនឹងដំឡើងកង្ហារ ២០")
        with page.expect_navigation():
            page.locator("#next button.primary").tap()
        page.select_option("#id_to_status", "resolved")
        with page.expect_navigation():
            page.locator("#next button.primary").tap()
        refusal = _km("Say what was fixed (a resolution note) before marking the issue "
                      "resolved.")
        assert refusal in page.locator("#next").inner_text()
        issue.refresh_from_db()
        assert issue.status == IssueStatus.RESPONDED
        journey.check("resolution-refused")

        # With the resolution note and an "after" photo.
        page.select_option("#id_to_status", "resolved")
        page.fill("#id_note", "បានដំឡើងកង្ហារ ២០ នៅខ្សែលេខ៤")
        page.set_input_files("#id_photo", _photo("IMG_after.jpg", (40, 200, 40)))
        with page.expect_navigation():
            page.locator("#next button.primary").tap()
        issue.refresh_from_db()
        assert issue.status == IssueStatus.RESOLVED
        assert list(issue.attachments.order_by("attached_at").values_list(
            "stage", flat=True)) == ["before", "after"]
        assert _images_loaded(page, 2) == 2
        history = page.locator("#history").inner_text()
        assert _km("resolved") in history and "បានដំឡើងកង្ហារ" in history
        journey.check("resolved")
    finally:
        context.close()

    # A researcher of the same federation reads it, photos included.
    device = totp_device(ws.fed_researcher)
    context, page = _sign_in(browser, live_server, ws.fed_researcher, device=device)
    journey = Journey(page, "km")
    try:
        page.goto(live_server.url + f"/issues/{issue.pk}/")
        assert page.locator("h1").inner_text() == TITLE_KM
        assert _images_loaded(page, 2) == 2
        assert page.locator("#next").count() == 0  # reads, does not write
        journey.check("researcher-reads")
    finally:
        context.close()

    # The brand viewer: the aggregate on the factory page, nothing of the issue itself.
    context, page = _sign_in(browser, live_server, ws.brand)
    journey = Journey(page, "km")
    try:
        page.goto(live_server.url + f"/facilities/{ws.a.pk}/")
        union = page.locator("#union")
        assert _km("Occupational safety and health") in union.inner_text()
        assert TITLE_KM not in page.content() and page.locator("#union a").count() == 0
        journey.check("brand-aggregate")
        response = page.goto(live_server.url + f"/issues/{issue.pk}/")
        assert response.status == 404
        stored = EvidenceFile.objects.order_by("pk").first()
        response = page.goto(live_server.url + f"/evidence/{stored.pk}/shared")
        assert response.status == 404
    finally:
        context.close()
        connections.close_all()


def test_a_draft_survives_a_dropped_connection(browser, live_server, ws):
    ws.rep.set_password(PASSWORD)
    ws.rep.save()
    context, page = _sign_in(browser, live_server, ws.rep)
    try:
        url = live_server.url + f"/workspace/{ws.union.pk}/{ws.a.pk}/issues/new/"
        page.goto(url)
        key = page.locator("#id_client_key").input_value()
        page.select_option("#id_topic", "toilet_breaks")
        page.fill("#id_title", "ការទៅបង្គន់ត្រូវបានរាប់")
        page.fill("#id_workers_female", "12")
        context.set_offline(True)  # the connection drops as the form is sent
        with pytest.raises(PlaywrightError):  # Chromium's own network error page
            page.locator("form.form button.primary").tap()
            page.wait_for_url(ISSUE_URL, timeout=3_000)
        context.set_offline(False)
        page.goto(url)  # opened again: the draft is put back, with the same one-time key
        assert page.locator("#id_title").input_value() == "ការទៅបង្គន់ត្រូវបានរាប់"
        assert page.locator("#id_workers_female").input_value() == "12"
        assert page.locator("#id_topic").input_value() == "toilet_breaks"
        assert page.locator("#id_client_key").input_value() == key
        assert page.locator(".draft-note").is_visible()
        page.locator("form.form button.primary").tap()
        page.wait_for_url(ISSUE_URL)
        assert MonitoringIssue.objects.filter(client_key=key).count() == 1
        page.goto(url)  # saved: the draft is gone
        assert page.locator("#id_title").input_value() == ""
        assert page.locator("#id_client_key").input_value() != key
    finally:
        context.close()
        connections.close_all()
