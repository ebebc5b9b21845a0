"""A researcher on a phone signs in (password, then the authenticator code), reviews an
uncertain match and confirms it, without JavaScript; the decision is remembered. Same
set-up as tests/web/test_browser.py."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from shopfloor.models import FacilityRecord, MatchDecision, Membership, Organisation
from tests import factories
from tests.auth import totp_code, totp_device
from tests.web.test_browser import _fits_the_screen, _shot, phone  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_on_a_phone_without_javascript(browser, live_server):  # noqa: F811
    union = Organisation.objects.create(name="Test Union", kind="federation")
    user = get_user_model().objects.create_user("res", password="pw")
    Membership.objects.create(user=user, organisation=union, role="researcher")
    device = totp_device(user)
    fac = factories.facility(name="Golden Lotus Garment", address="Phnom Penh",
                             name_km="រោងចក្រកាត់ដេរ ផ្កាឈូកមាស")
    lst = factories.source(organisation=union, importer="facility-list")
    rec = FacilityRecord.objects.create(
        source=lst, row_number=2, name="Goldn Lotus", address="Phnom Penh", country="KH",
        facility=fac, match_score=0.66, decision="pending", raw={"Factory name": "Goldn Lotus"},
        match_evidence={"features": {"name similarity": 0.8}})

    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/review/")
        page.fill("#id_username", "res")
        page.fill("#id_password", "pw")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/account/2fa/?next=*")  # a researcher's second step
        page.fill("#id_code", totp_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/review/")
        page.get_by_role("link", name="Goldn Lotus").click()
        page.wait_for_url(f"**/review/{rec.pk}/")
        compare = page.locator("table.compare")
        assert "Goldn Lotus" in compare.inner_text()
        assert "Golden Lotus Garment" in compare.inner_text()
        assert "name similarity" in page.locator("table.evidence").inner_text()
        assert _fits_the_screen(page)
        _shot(page, "phone-review-en")
        page.get_by_role("button", name="Yes, same factory").click()
        page.wait_for_url("**/review/")
        assert "Confirmed: Goldn Lotus is Golden Lotus Garment." in page.content()
        rec.refresh_from_db()
        assert rec.decision == "confirmed" and rec.decided_by == user
        assert MatchDecision.objects.filter(facility=fac, verdict="confirmed").exists()
        # In Khmer, the same page.
        page.goto(live_server.url + f"/review/{rec.pk}/")
        page.locator("form.lang button[value=km]").click()
        page.wait_for_url(f"**/review/{rec.pk}/")
        assert page.locator("h1").inner_text() == "តើនេះជារោងចក្រតែមួយឬ?"
        _shot(page, "phone-review-km")
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
