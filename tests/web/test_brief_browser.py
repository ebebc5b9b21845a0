"""The factory brief on a phone, in Khmer: a union rep opens it from the workspace, it fits
360 px, a reference number leads to its source, and the PDF downloads.

Debian's Chromium through Playwright, against the live server; screenshots go to
tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.reports import briefdata as B
from tests.web.test_journeys import Journey
from tests.web.test_workspace_browser import PASSWORD, _km, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_reads_the_khmer_brief_on_a_phone_and_downloads_it(browser, live_server, ws):
    data = B.build(ws)
    ws.rep.set_password(PASSWORD)
    ws.rep.save()
    context, page = _sign_in(browser, live_server, ws.rep)
    journey = Journey(page, "km")
    try:
        page.goto(live_server.url + reverse("web:workspace_factory",
                                            args=[ws.union.pk, ws.a.pk]))
        page.locator(".brief-links a", has_text=_km("Factory brief")).first.tap()
        page.wait_for_url("**/brief/?union=*")
        assert page.locator("html").get_attribute("lang") == "km"
        union = page.locator("#union")
        assert B.ISSUE_KM in union.inner_text() and B.PROMISE_OVERDUE in union.inner_text()
        assert B.CRITERION_KM in page.locator("#findings").inner_text()
        journey.check("brief")

        # a value's reference number leads to its source in the appendix
        survey = next(c.number for c in _citations(ws) if c.source_id == data.survey.pk)
        page.locator(f"#wages a[href='#src-{survey}']").first.tap()
        page.wait_for_function(f"location.hash === '#src-{survey}'")
        assert "Worker wage survey 2024" in page.locator(f"#src-{survey}").inner_text()

        with page.expect_download() as download:
            page.locator(".brief-actions a[download]").tap()
        path = download.value.path()
        assert Path(path).read_bytes()[:5] == b"%PDF-"
        assert download.value.suggested_filename == f"factory-brief-{ws.a.pk}-km.pdf"
    finally:
        context.close()


def _citations(ws):
    from shopfloor.reports.brief import factory_brief

    return factory_brief(ws.a, user=ws.rep, union=ws.union, language="km").citations
