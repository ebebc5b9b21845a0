"""XLSForm and submissions in (Kobo CSV, Kobo JSON, ODK CSV zip): minimised, linked,
idempotent, atomic; then aggregates with suppression and the discrepancy they feed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shopfloor.models import (
    Assessment,
    Facility,
    Finding,
    Source,
    Submission,
    SubmissionText,
    SurveyForm,
)
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.surveys.aggregates import survey_results, wilson
from tests import factories as f
from tests.surveys import fixtures as fx

OS_ID = "KH2019001AAAAA0"
UNKNOWN = "KH2019002BBBBB0"


@pytest.fixture
def form(ws, tmp_path):
    Facility.objects.filter(pk=ws.a.pk).update(os_id=OS_ID)
    path = fx.xlsform(tmp_path / "form.xlsx", factories=[(OS_ID, "Factory A"),
                                                         (UNKNOWN, "A factory we do not know")])
    report = run_import("xlsform", path, info=SourceInfo(organisation=ws.union))
    assert report.created == 1
    return SurveyForm.objects.get(organisation=ws.union)


def _answers(women_no=4, men_no=2, women=22, men=8, asked_yes=8):
    """30 workers at factory A: ``women_no`` women and ``men_no`` men were not paid the
    minimum wage; ``asked_yes`` were asked about the union."""
    rows = []
    for i in range(women + men):
        sex = "female" if i < women else "male"
        no = (i < women_no) if sex == "female" else (i - women < men_no)
        rows.append(fx.submission(i + 1, {
            "factory": OS_ID, "sex": sex, "worker_name": f"Worker Name {i}",
            "wages/paid_minimum": "no" if no else "yes", "wages/pay_usd": 200 + i,
            "wages/deductions": ["fine", "bonus_cut"] if i % 3 == 0 else ["none"],
            "union/asked_union": "yes" if i < asked_yes else "no",
            "anything_else": "The supervisor Mr Chan shouts" if i == 0 else "",
            "children": [3, 7] if i == 1 else [],
        }))
    return rows


def _import(kind, path, ws, **options):
    return run_import(kind, path, info=SourceInfo(organisation=ws.union),
                      form="test_survey", **options)


def test_the_xlsform_keeps_questions_and_knows_what_identifies(form):
    version = form.latest_version
    assert version.version == "2025010101" and set(version.languages) == {"en", "km"}
    q = {x.path: x for x in version.questions.all()}
    assert q["wages/paid_minimum"].criteria == "19" and q["wages/paid_minimum"].violation == "no"
    assert q["wages/paid_minimum"].labels["km"].startswith("តើអ្នកទទួលបាន")
    assert q["union/asked_union"].sensitive and q["factory"].is_facility and q["sex"].is_sex
    assert q["children/child_age"].repeat == "children"
    for identifying in ("deviceid", "phonenumber", "worker_name"):
        assert q[identifying].identifying, identifying
    assert not q["anything_else"].identifying and q["anything_else"].is_free_text


def test_kobo_csv_minimised_on_import(ws, form, tmp_path):
    path = fx.kobo_csv(_answers(), tmp_path / "kobo.csv")
    report = _import("kobo", path, ws)
    assert (report.rows_read, report.created, report.rejected) == (30, 30, [])
    assert set(fx.KOBO_IDENTIFYING) | {"worker_name"} <= set(report.dropped_columns)
    assert any("identifying columns dropped" in n for n in report.notes)
    stored = json.dumps(list(Submission.objects.values("answers", "sex", "instance_id")))
    for secret in ("PHONE0001", "+85512", "enumerator_srey", "Worker Name", "11.55"):
        assert secret not in stored, secret
    first = Submission.objects.get(instance_id=fx.submission(1, {})["meta/instanceID"])
    assert first.facility == ws.a and first.sex == "female"
    assert first.answers["wages/pay_usd"] == 200
    assert first.answers["wages/deductions"] == ["fine", "bonus_cut"]
    assert (first.period_start, first.period_end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert first.source.visibility == Source.Visibility.ORGANISATION
    assert first.source.organisation == ws.union
    # free text kept apart, restricted
    assert "anything_else" not in first.answers
    assert SubmissionText.objects.get().text == "The supervisor Mr Chan shouts"


def test_reimport_is_idempotent_and_incremental(ws, form, tmp_path):
    rows = _answers()
    path = fx.kobo_csv(rows, tmp_path / "kobo.csv")
    _import("kobo", path, ws)
    again = _import("kobo", path, ws)
    assert again.already_imported and Submission.objects.count() == 30
    more = rows + [fx.submission(100 + i, {"factory": OS_ID, "sex": "male",
                                           "wages/paid_minimum": "yes"}) for i in range(5)]
    later = _import("kobo", fx.kobo_json(more, tmp_path / "later.json"), ws)
    assert (later.created, later.unchanged) == (5, 30)
    odk = _import("odk", fx.odk_zip(more, tmp_path / "odk.zip"), ws)
    assert (odk.created, odk.unchanged, odk.rejected) == (0, 35, [])
    assert Submission.objects.count() == 35


def test_odk_zip_with_its_repeat_and_metadata_dropped(ws, form, tmp_path):
    report = _import("odk", fx.odk_zip(_answers(), tmp_path / "odk.zip"), ws)
    assert report.created == 30
    assert set(fx.ODK_IDENTIFYING) <= set(report.dropped_columns)
    second = Submission.objects.get(instance_id=fx.submission(2, {})["meta/instanceID"])
    assert second.answers["children"] == [{"children/child_age": 3},
                                          {"children/child_age": 7}]
    assert second.version.version == "2025010101"
    assert "SubmitterName" not in json.dumps(second.answers)


def test_kobo_json_nests_repeats(ws, form, tmp_path):
    _import("kobo", fx.kobo_json(_answers(), tmp_path / "k.json"), ws)
    second = Submission.objects.get(instance_id=fx.submission(2, {})["meta/instanceID"])
    assert second.answers["children"] == [{"children/child_age": 3},
                                          {"children/child_age": 7}]


def test_bad_rows_are_named_and_the_rest_imported(ws, form, tmp_path):
    rows = _answers()[:3]
    rows[1]["factory"] = UNKNOWN
    rows[2]["wages/pay_usd"] = "abc"
    report = _import("kobo", fx.kobo_csv(rows, tmp_path / "k.csv"), ws)
    assert report.created == 1
    reasons = dict(report.rejected)
    assert "not found" in reasons[3] and "pay_usd: 'abc' is not a number" in reasons[4]


def test_a_failed_import_changes_nothing(ws, form, tmp_path):
    sources = Source.objects.count()
    with pytest.raises(ImportFailed, match="no form"):
        run_import("kobo", fx.kobo_csv(_answers(), tmp_path / "k.csv"),
                   info=SourceInfo(organisation=ws.union), form="other_form")
    with pytest.raises(ImportFailed, match="not a ZIP"):
        _import("odk", fx.kobo_csv(_answers(), tmp_path / "k2.csv"), ws)
    with pytest.raises(ImportFailed, match="organisation"):
        run_import("kobo", fx.kobo_csv(_answers(), tmp_path / "k3.csv"), form="test_survey")
    assert Source.objects.count() == sources and not Submission.objects.exists()


def test_a_whole_file_for_one_factory_and_period(ws, form, tmp_path):
    rows = _answers()[:6]
    for row in rows:
        row.pop("factory")
    report = _import("kobo", fx.kobo_csv(rows, tmp_path / "k.csv"), ws,
                     facility=str(ws.b.pk), period="2024-H2")
    assert report.created == 6
    assert set(Submission.objects.values_list("facility", "period_start", "period_end")) == {
        (ws.b.pk, date(2024, 7, 1), date(2024, 12, 31))}


def test_aggregates_with_intervals_and_a_suppressed_cell_of_4(ws, form, tmp_path):
    _import("kobo", fx.kobo_csv(_answers(), tmp_path / "k.csv"), ws)
    results = survey_results(form, facility=ws.a)
    assert results.submissions == 30 and results.period == (date(2025, 1, 1), date(2025, 3, 31))
    paid = next(r for r in results.questions if r.question.path == "wages/paid_minimum")
    counts = {c.name: (c.count, c.share) for c in paid.choices}
    assert counts == {"yes": (24, 80.0), "no": (6, 20.0), "dont_know": (0, 0.0)}
    no = next(c for c in paid.choices if c.name == "no")
    low, high = wilson(6, 30)
    assert (no.low, no.high) == (round(100 * low, 1), round(100 * high, 1))
    assert (no.low, no.high) == (9.5, 37.3)  # Wilson 95 % for 6 of 30
    table = paid.by_sex
    assert table.cells[("no", "female")] is None  # the cell of 4 women
    assert table.kinds[("no", "female")] == "primary" and table.threshold == 5
    assert table.cells[("no", "male")] is None  # 2 men: small too
    assert table.cells[("yes", "female")] is None  # hidden so that 4 cannot be worked out
    assert not paid.shows_sex  # every count by sex would give the 4 away: no breakdown
    # a sensitive question: 8 is below 10
    asked = next(r for r in results.questions if r.question.path == "union/asked_union")
    assert {c.name: c.count for c in asked.choices}["yes"] is None
    assert asked.threshold == 10
    pay = next(r for r in results.questions if r.question.path == "wages/pay_usd")
    assert pay.median == 214.5 and pay.respondents == 30


def test_a_survey_result_contradicting_bfc_is_a_discrepancy(ws, form, tmp_path):
    from shopfloor.analysis.discrepancies import find_discrepancies

    source = f.source(publisher="Better Factories Cambodia", title="Transparency report")
    paid = f.criterion("19", text="Correctly paid minimum wages", src=source)
    union = f.criterion("12", text="No management interference with union", src=source)
    a = Assessment.objects.create(facility=ws.a, cycle=1, assessed_on=date(2024, 11, 1),
                                  source=source)
    for criterion in (paid, union):
        Finding.objects.create(assessment=a, criterion=criterion, status="compliant",
                               source=source)
    _import("kobo", fx.kobo_csv(_answers(), tmp_path / "k.csv"), ws)
    found = find_discrepancies([ws.a], user=ws.union_researcher, today=date(2025, 6, 1))
    survey = [d for d in found if d.rule.code == "compliant-vs-survey"]
    assert [d.criterion.code for d in survey] == ["19"]  # 12: 8 answers, under 10 (sensitive)
    assert survey[0].sentence() == (
        "BFC 2024: compliant on “Correctly paid minimum wages”; union: 6 of 30 surveyed "
        "workers answered “No” to “Were you paid at least the minimum wage last month?” "
        "since March 2025.")
    # the brand reads no union survey: no discrepancy from it
    assert not [d for d in find_discrepancies([ws.a], user=ws.brand, today=date(2025, 6, 1))
                if d.rule.code == "compliant-vs-survey"]
