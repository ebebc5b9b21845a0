"""The factory brief: what it holds for whom, its sources, its queries, its PDF in Khmer."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shopfloor.models import Datapoint, Relationship, Source
from shopfloor.reports.brief import (
    BriefError,
    brief_html,
    brief_language,
    brief_pdf,
    factory_brief,
)
from tests import factories as f
from tests.reports import briefdata as B
from tests.reports.test_pdf import _NO_POPPLER, needs_poppler

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
UNION_PARTS = (B.ISSUE_KM, B.ISSUE_EN, B.PROMISE_OVERDUE, B.PROMISE_LATER, 'id="union"',
               'id="discrepancies"')


@pytest.fixture
def data(ws):
    return B.build(ws)


def _refs(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="#src-(\d+)"', html)}


def _entries(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li id="src-(\d+)"', html)]


def _squash(text: str) -> str:
    return "".join(text.split())


# -- who sees what ------------------------------------------------------------------------


def test_a_workspace_reader_gets_the_unions_part(ws, data):
    brief = factory_brief(ws.a, user=ws.rep, union=ws.union, today=data.today)
    assert brief.produced_for == ws.union
    # raised at the PICC before newly documented
    assert [i.title for i in brief.union.open_issues] == [B.ISSUE_KM, B.ISSUE_EN]
    assert [p.text for p in brief.union.overdue] == [B.PROMISE_OVERDUE]
    assert [p.text for p in brief.union.not_yet_due] == [B.PROMISE_LATER]
    assert brief.union.next_meeting == data.next_meeting
    html = brief_html(brief)
    for text in (*UNION_PARTS, ws.union.name, translation.gettext("Open issues"),
                 translation.gettext("Next PICC meeting")):
        assert text in html
    assert B.RESOLVED not in html  # resolved: not an open issue
    # workers affected by sex, the status with its date, the criterion
    assert "women 35, men 4" in html and "Management interference" not in html
    assert "No management interference with union" in html


def test_the_union_part_is_left_out_for_everyone_else(ws, data):
    for reader in (None, ws.brand, ws.rival_rep, ws.member, ws.outsider):
        brief = factory_brief(ws.a, user=reader, union=ws.union)
        assert brief.union is None and brief.produced_for is None
        assert brief.discrepancies == []
        html = brief_html(brief)
        for text in (*UNION_PARTS, B.RIVAL_ISSUE, ws.union.name, B.UNION_KM,
                     translation.gettext("Union evidence")):
            assert text not in html, (reader, text)
        # the published parts are all there
        assert "Brand X" in html and "Clean and sufficient drinking water" in html
        assert "219.95 USD/month" in html
        assert "shopfloor:" not in html  # no union record in the sources


def test_only_the_named_unions_evidence_even_for_staff(ws, data):
    brief = factory_brief(ws.a, user=ws.staff, union=ws.union, today=data.today)
    html = brief_html(brief)
    assert B.RIVAL_ISSUE not in html
    # the rival's open water issue contradicts BFC's "compliant" on 18: not in this brief
    rules = [(d.rule.code, d.criterion.code if d.criterion else d.topic or d.company.name)
             for d in brief.discrepancies]
    assert rules == [("compliant-vs-union", "12"), ("not-published", "verbal_abuse"),
                     ("foa-policy-vs-open-cases", "Brand X")]
    assert all(r.organisation_id == ws.union.pk
               for d in brief.discrepancies for r in [*d.issues, *d.cases])
    assert factory_brief(ws.a, user=ws.staff, union=ws.rival).union.open_issues[0].title == (
        B.RIVAL_ISSUE)


def test_the_system_includes_the_named_union_and_reads_published_sources_only(ws, data):
    own_list = f.source(title="Union A's own list", organisation=ws.union,
                        visibility=Source.Visibility.ORGANISATION)
    Relationship.objects.create(subject=ws.brand_co, kind="sources_from", facility=ws.a,
                                source=own_list, citation="row 1", year_start=2020)
    brief = factory_brief(ws.a, union=ws.union, as_system=True, today=data.today)
    assert brief.union is not None and len(brief.discrepancies) == 3
    assert own_list.pk not in {c.source_id for c in brief.citations}
    assert factory_brief(ws.a, union=ws.union).union is None  # not as the system: public


def test_the_language(ws, data, settings):
    with translation.override("km"):
        assert brief_language() == "km"
        assert factory_brief(ws.a, language="en").language == "en"
    assert brief_language("km-KH") == "km"
    with pytest.raises(BriefError):
        brief_language("fr")
    html = brief_html(factory_brief(ws.a, user=ws.rep, union=ws.union, language="km"))
    assert 'lang="km"' in html and B.CRITERION_KM in html
    with translation.override("km"):
        assert translation.gettext("Compliance findings") in html
        assert translation.gettext("Open issues") in html


# -- sources ------------------------------------------------------------------------------


@pytest.mark.parametrize("for_pdf", [False, True])
def test_the_appendix_lists_every_source_cited_and_only_those(ws, data, for_pdf):
    brief = factory_brief(ws.a, user=ws.rep, union=ws.union, today=data.today)
    html = brief_html(brief, for_pdf=for_pdf)
    entries = _entries(html)
    assert entries == list(range(1, len(brief.citations) + 1))
    assert _refs(html) == set(entries)  # every entry is cited, every citation has an entry
    cited = {c.source_id for c in brief.citations if c.source_id}
    assert cited == {ws.public.pk, data.bfc.pk, data.survey.pk, data.benchmarks.pk,
                     data.brand_list.pk, data.scores.pk}
    records = {c.location for c in brief.citations if c.union_record}
    expected = {f"shopfloor:monitoringissue/{i.pk}" for i in (data.issue_km, data.issue_en)}
    expected |= {f"shopfloor:piccmeeting/{data.promise_overdue.meeting_id}",
                 f"shopfloor:piccmeeting/{data.next_meeting.pk}", f"shopfloor:case/{data.case.pk}"}
    assert records == expected
    # each value points to its source: the wage to the survey, the minimum to the table
    survey = next(c.number for c in brief.citations if c.source_id == data.survey.pk)
    table = next(c.number for c in brief.citations if c.source_id == data.benchmarks.pk)
    assert re.search(rf'219[.,]95 USD/month</strong><sup class="ref">\[<a href="#src-{survey}"',
                     html)
    assert re.search(rf'204 USD/month<sup class="ref">\[<a href="#src-{table}"', html)
    assert "https://betterwork.org/transparency" in html and "ILO terms" in html


def test_the_sources_of_a_public_brief_are_the_facility_pages(ws, data):
    from shopfloor.facilities import facility_profile

    brief = factory_brief(ws.a)
    cited = {c.source_id for c in brief.citations}
    assert cited == {s.pk for s in facility_profile(ws.a).sources} | {data.scores.pk}


# -- robustness and cost ------------------------------------------------------------------


def test_a_factory_without_data_still_renders(ws):
    bare = f.facility(ws.public, name="Nothing Known Garment")
    for reader, union in ((None, None), (ws.staff, ws.union)):
        brief = factory_brief(bare, user=reader, union=union, language="km")
        assert brief.buyers == [] and not brief.profile.findings and not brief.profile.wages
        html = brief_html(brief)
        assert "Nothing Known Garment" in html
        with translation.override("km"):
            assert translation.gettext("No published assessment of this factory yet.") in html
            assert translation.gettext("No wage data for this factory yet.") in html
    assert brief_pdf(factory_brief(bare, language="en")).startswith(b"%PDF")


def _queries(ws) -> int:
    with CaptureQueriesContext(connection) as ctx:
        factory_brief(ws.a, user=ws.rep, union=ws.union)
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries(ws, data):
    from django.core.cache import cache

    cache.clear()
    few = _queries(ws)
    # more of everything: buyers with commitments, issues, promises, findings
    from shopfloor.evidence.workflow import create_issue

    for n in range(4):
        brand = f.company(ws.public, name=f"More Brand {n}")
        Relationship.objects.create(subject=brand, kind="sources_from", facility=ws.a,
                                    source=f.source(), citation="r", year_start=2024)
        Datapoint.objects.create(metric=f.metric("transparency_score", subject="company"),
                                 company=brand, year=2024, value_number=40 + n,
                                 source=f.source(), citation="r")
        create_issue(ws.union, ws.a, by=ws.rep, found_on=data.today, title=f"Issue {n}",
                     topic="overtime")
    cache.clear()
    assert _queries(ws) == few <= 26  # 26: the survey discrepancy rule reads submissions


# -- the PDF in Khmer (issue 8's acceptance) ------------------------------------------------


@pytest.fixture
def demo_brief(db):
    from django.contrib.auth import get_user_model

    from shopfloor.demo import load_demo
    from shopfloor.models import Membership

    load_demo()
    rep = get_user_model().objects.get(username="unionrep")
    union = Membership.objects.get(user=rep).organisation
    facility = union.facilities.order_by("pk").first()
    return factory_brief(facility, user=rep, union=union, language="km")


@needs_poppler
def test_a_khmer_brief_prints_with_its_khmer_intact(demo_brief, tmp_path, caplog):
    pdf = brief_pdf(demo_brief)
    # every Khmer character had a glyph (WeasyPrint warns of each it draws as a box)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    path = tmp_path / "brief-km.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    # in drawing order: the lines of a table cell one after the other
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         check=True, text=True).stdout
    facility, union = demo_brief.facility, demo_brief.produced_for
    assert facility.name_km in text  # copied out as written, not as the glyphs' characters
    assert union.name_km in text
    with translation.override("km"):
        for heading in ("Compliance findings", "Wages", "Buyers", "Sources", "Open issues",
                        "Next PICC meeting", "Union evidence"):
            assert translation.gettext(heading) in text, heading
    khmer_issues = [i.title for i in demo_brief.union.open_issues
                    if any("\u1780" <= c <= "\u17ff" for c in i.title)]
    assert khmer_issues and all(title in text for title in khmer_issues)
    criteria = [row.criterion.text_km for t in demo_brief.profile.findings for row in t.rows]
    assert len(criteria) == 21 and all(criteria)
    squashed = _squash(raw)  # a long criterion wraps inside its cell
    assert all(_squash(km) in squashed for km in criteria)
    assert all(f"{c.publisher}" in text for c in demo_brief.citations
               if c.publisher.isascii() and len(c.publisher) < 40)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert "Noto-Sans-Khmer" in fonts
    # page 1 as a picture, to look at (tests/artifacts is git-ignored)
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1",
                        "-singlefile", str(path), str(ARTIFACTS / "brief-km-page1")],
                       check=True)
        assert (ARTIFACTS / "brief-km-page1.png").stat().st_size > 10_000
    else:  # pragma: no cover
        pytest.skip(_NO_POPPLER)


@needs_poppler
def test_charts_with_khmer_labels_go_in_as_pictures_drawn_with_a_khmer_font(demo_brief):
    html = brief_html(demo_brief, for_pdf=True)
    assert html.count('src="data:image/png;base64,') == 3  # Khmer labels: drawn by resvg
    english = factory_brief(demo_brief.facility, language="en")
    html = brief_html(english, for_pdf=True)
    assert html.count('src="data:image/svg+xml;base64,') == 3  # Latin labels: vector
    assert "href=\"/" not in html  # no links into the app in a standalone document
