"""Acceptance: the shipped XLSForms in, fixture submissions of the shipped worker survey in
Kobo CSV, Kobo JSON and ODK CSV-zip form, identifying columns dropped, aggregates, a cell
of 4 suppressed, idempotent re-import; and the supplier questionnaire for a brand."""

from __future__ import annotations

import json

import pytest

from shopfloor.models import Facility, Organisation, Submission, SurveyForm
from shopfloor.sources import SourceInfo, run_import
from shopfloor.surveys.aggregates import survey_results
from shopfloor.surveys.forms import SHIPPED_FORMS
from tests.surveys import fixtures as fx

WORKER = SHIPPED_FORMS / "fair_work_monitor.xlsx"
SUPPLIER = SHIPPED_FORMS / "amplify_supplier_foa.xlsx"


def _answer(question, i: int):
    """A plausible answer of question ``question`` for respondent ``i``."""
    if question.choices:
        names = [c["name"] for c in question.choices]
        pick = names[i % len(names)]
        return [pick] if question.type == "select_multiple" else pick
    if question.type == "integer":
        return 10 + i % 30
    if question.type == "decimal":
        return 1.5
    if question.type == "date":
        return "2025-02-01"
    return ""


def _rows(form: SurveyForm, facility_answer: str, *, n=30, women=22, women_no=4):
    questions = [q for q in form.latest_version.questions.filter(identifying=False)
                 if not q.repeat]
    rows = []
    for i in range(n):
        answers = {q.path: _answer(q, i) for q in questions}
        for q in questions:
            if q.is_facility:
                answers[q.path] = facility_answer
            if q.is_sex:
                answers[q.path] = "female" if i < women else "male"
            if q.criteria == "19":
                answers[q.path] = "no" if i < women_no else "yes"
            if q.type == "text":
                answers[q.path] = "Mr Chan, line 4, shouts" if i == 0 else ""
        # the form's own consent question (relevant for the rest) says yes
        for q in questions:
            if "consent" in q.path and q.choices:
                answers[q.path] = "yes"
        rows.append(fx.submission(i + 1, answers))
    return rows


@pytest.fixture
def worker_form(ws):
    report = run_import("xlsform", WORKER, info=SourceInfo(organisation=ws.union))
    assert report.created == 1 and not report.rejected
    form = SurveyForm.objects.get(organisation=ws.union)
    factory = form.latest_version.questions.get(is_facility=True)
    Facility.objects.filter(pk=ws.a.pk).update(os_id=factory.choices[0]["name"])
    return form, factory.choices[0]["name"]


@pytest.mark.parametrize("make, kind", [(fx.kobo_csv, "kobo"), (fx.kobo_json, "kobo"),
                                        (None, "odk")])
def test_the_worker_survey_in_every_format(ws, worker_form, tmp_path, make, kind):
    form, os_id = worker_form
    rows = _rows(form, os_id)
    if kind == "odk":
        path = fx.odk_zip(rows, tmp_path / "s.csv.zip", form_id=form.form_id,
                          version=form.latest_version.version)
        identifying = set(fx.ODK_IDENTIFYING)
    else:
        path = make(rows, tmp_path / f"s.{'json' if make is fx.kobo_json else 'csv'}")
        identifying = {"deviceid", "_submitted_by", "_geolocation"}
    report = run_import(kind, path, info=SourceInfo(organisation=ws.union), form=form.form_id)
    assert (report.created, report.rejected) == (30, []), report.rejected[:3]
    assert identifying <= set(report.dropped_columns), report.dropped_columns
    stored = json.dumps(list(Submission.objects.values("answers")))
    for secret in ("PHONE0001", "+85512", "enumerator_srey", "Mr Chan", "11.55"):
        assert secret not in stored, secret
    assert {s.facility_id for s in Submission.objects.all()} == {ws.a.pk}

    results = survey_results(form, facility=ws.a)
    paid = next(r for r in results.questions if r.question.criteria == "19")
    choices = {c.name: c for c in paid.choices}
    assert choices["no"].count is None  # 4 said no: a cell of 4, hidden ("<5")
    assert choices["no"].hidden_kind == "primary" and choices["no"].share is None
    # with the total (30) shown, "yes" (26) would give the 4 away: hidden to protect it
    assert choices["yes"].count is None and choices["yes"].hidden_kind == "complementary"
    assert paid.respondents == 30
    assert paid.by_sex.cells[("no", "female")] is None

    again = run_import(kind, path, info=SourceInfo(organisation=ws.union), form=form.form_id)
    assert again.already_imported and Submission.objects.count() == 30


def test_counts_large_enough_are_shown_with_their_share(ws, worker_form, tmp_path):
    form, os_id = worker_form
    run_import("kobo", fx.kobo_csv(_rows(form, os_id, women_no=6), tmp_path / "a.csv"),
               info=SourceInfo(organisation=ws.union), form=form.form_id)
    paid = next(r for r in survey_results(form, facility=ws.a).questions
                if r.question.criteria == "19")
    choices = {c.name: (c.count, c.share) for c in paid.choices}
    assert choices["no"] == (6, 20.0) and choices["yes"] == (24, 80.0)


def test_one_respondent_in_three_formats_is_stored_once(ws, worker_form, tmp_path):
    form, os_id = worker_form
    rows = _rows(form, os_id, n=12)
    info = SourceInfo(organisation=ws.union)
    run_import("kobo", fx.kobo_csv(rows, tmp_path / "a.csv"), info=info, form=form.form_id)
    run_import("kobo", fx.kobo_json(rows, tmp_path / "b.json"), info=info, form=form.form_id)
    odk = run_import("odk", fx.odk_zip(rows, tmp_path / "c.zip", form_id=form.form_id,
                                       version=form.latest_version.version),
                     info=info, form=form.form_id)
    assert (odk.created, odk.unchanged) == (0, 12) and Submission.objects.count() == 12


def test_the_supplier_questionnaire_belongs_to_the_brand(ws, tmp_path):
    brand_org = Organisation.objects.get(name="Brand X org")
    report = run_import("xlsform", SUPPLIER, info=SourceInfo(organisation=brand_org),
                        form_kind="supplier")
    assert report.created == 1
    form = SurveyForm.objects.get(organisation=brand_org)
    assert form.kind == "supplier" and set(form.latest_version.languages) == {"en", "km"}
    factory = form.latest_version.questions.get(is_facility=True)
    Facility.objects.filter(pk=ws.a.pk).update(os_id=factory.choices[0]["name"])
    rows = _rows(form, factory.choices[0]["name"], n=6)
    result = run_import("kobo", fx.kobo_csv(rows, tmp_path / "q.csv"),
                        info=SourceInfo(organisation=brand_org), form=form.form_id)
    assert result.created == 6
    from shopfloor.access import can_read_form, can_see_survey_results

    assert can_read_form(ws.brand, form) and can_see_survey_results(ws.brand, form, ws.a)
    assert not can_read_form(ws.rep, form)


