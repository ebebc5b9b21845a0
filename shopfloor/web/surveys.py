"""Survey pages: the forms a reader may open, a questionnaire in either language, and a
survey's results at one factory (aggregates with charts; never a submission).

Results are suppressed counts (:mod:`shopfloor.surveys.aggregates`); free-text answers are
listed only to the owning organisation's admins and researchers, and that read is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from shopfloor import audit
from shopfloor.access import (
    can_read_survey_texts,
    can_see_survey_results,
    visible_forms,
    workspace_q,
)
from shopfloor.models import Facility, Submission, SubmissionText, SurveyForm
from shopfloor.reports.charts import Chart, render_svg
from shopfloor.reports.survey_charts import question_chart
from shopfloor.surveys.aggregates import periods, question_result, survey_results
from shopfloor.surveys.forms import questionnaire
from shopfloor.web.review import login_required


def _form(request, pk: int):
    form = visible_forms(request.user).filter(pk=pk).first()
    if form is None:
        raise Http404
    return form


def _facilities(form, user) -> list[tuple[Facility, int]]:
    """Factories with submissions of the form whose results ``user`` may see."""
    rows = (Submission.objects.filter(form=form).values("facility")
            .annotate(n=Count("pk")).order_by())
    facilities = Facility.objects.in_bulk([r["facility"] for r in rows])
    return sorted(((facilities[r["facility"]], r["n"]) for r in rows
                   if can_see_survey_results(user, form, facilities[r["facility"]])),
                  key=lambda p: p[0].name)


@login_required
def survey_list(request):
    forms = list(visible_forms(request.user).annotate(n=Count("submissions")))
    return render(request, "shopfloor/surveys/list.html", {"forms": forms})


@login_required
def survey_detail(request, pk: int):
    """The questionnaire, in the reader's language, and where it has results."""
    form = _form(request, pk)
    version = form.latest_version
    return render(request, "shopfloor/surveys/form.html", {
        "form": form, "version": version,
        "sections": questionnaire(version) if version else [],
        "language": (get_language() or "en")[:2],
        "facilities": _facilities(form, request.user),
    })


def _period(request, form, facility):
    text = request.GET.get("period", "")
    if ".." in text:
        try:
            start, end = (dt.date.fromisoformat(p) for p in text.split("..", 1))
        except ValueError:
            raise Http404 from None
        return start, end
    available = periods(form, facility)
    return available[0] if available else None


def _scope(request, pk: int, facility_pk: int):
    """The form and factory of a results URL, if the reader may see those results (a brand
    viewer of a buyer may, without opening the questionnaire); else 404."""
    form = SurveyForm.objects.filter(pk=pk).select_related("organisation").first()
    facility = Facility.objects.filter(pk=facility_pk).first()
    if form is None or facility is None or not can_see_survey_results(
            request.user, form, facility):
        raise Http404
    return form, facility


@login_required
def survey_results_page(request, pk: int, facility_pk: int):
    """A survey's results at one factory for one period."""
    form, facility = _scope(request, pk, facility_pk)
    results = survey_results(form, facility=facility, period=_period(request, form, facility))
    texts = []
    if can_read_survey_texts(request.user, form):
        texts = list(SubmissionText.objects.filter(
            workspace_q(request.user, "submission__"), submission__form=form,
            submission__facility=facility,
            **({"submission__period_start": results.period[0],
                "submission__period_end": results.period[1]} if results.period else {}))
            .order_by("path", "pk"))
        if texts:
            audit.record("evidence.read", request=request, obj=form,
                         organisation=form.organisation_id, what="survey free text",
                         facility=facility.pk, answers=len(texts))
    charts = {}
    for r in results.questions:
        spec = question_chart(r)
        if spec is not None:
            charts[r.question.pk] = Chart(str(r.question.pk), spec)
    return render(request, "shopfloor/surveys/results.html", {
        "form": form, "facility": facility, "results": results, "charts": charts,
        "texts": texts, "period_param": (f"{results.period[0]}..{results.period[1]}"
                                         if results.period else ""),
    })


def _chart(request, pk, facility_pk, question_pk) -> Chart:
    cached = getattr(request, "_shopfloor_chart", None)
    if cached is not None:
        return cached
    form, facility = _scope(request, pk, facility_pk)
    version = form.latest_version
    question = version.questions.filter(pk=question_pk, identifying=False).first() if (
        version) else None
    if question is None:
        raise Http404
    period = _period(request, form, facility)
    subs = list(Submission.objects.filter(form=form, facility=facility, **(
        {"period_start": period[0], "period_end": period[1]} if period else {})).only(
        "answers", "sex"))
    spec = question_chart(question_result(question, subs))
    if spec is None:
        raise Http404
    request._shopfloor_chart = Chart(str(question.pk), spec)
    return request._shopfloor_chart


@login_required
@require_safe
@condition(etag_func=lambda request, **kw: _chart(request, **kw).version)
def survey_chart(request, pk: int, facility_pk: int, question_pk: int):
    """One question's bar chart as SVG (private: survey results are the union's)."""
    chart = _chart(request, pk, facility_pk, question_pk)
    response = HttpResponse(render_svg(chart.spec), content_type="image/svg+xml")
    patch_cache_control(response, private=True, max_age=300)
    return response
