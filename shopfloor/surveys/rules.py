"""The discrepancy rule for survey results: a published "compliant" while the union's own
survey in the same period says otherwise.

Registered with :func:`shopfloor.analysis.discrepancies.register_rule` when the app starts.
A question counts when its ``shopfloor_criterion`` names the criterion and
``shopfloor_violation`` the answers that breach it. It is flagged when, among the
respondents at the factory whose survey period overlaps the finding's period, at least
:data:`MIN_SHARE` answered a breaching answer *and* their number is large enough to be
shown (5, or 10 for a sensitive question — the same threshold as everywhere, so the
discrepancy never reveals a suppressed count).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy, ngettext

from shopfloor import privacy
from shopfloor.access import workspace_q
from shopfloor.analysis import discrepancies as d
from shopfloor.models import Finding, Submission, SurveyForm, SurveyQuestion
from shopfloor.surveys.aggregates import _values

#: The least share of respondents giving a breaching answer that is flagged.
MIN_SHARE = 0.10


def _survey_contradicts(ctx) -> list[d.Discrepancy]:
    facility_ids = [f.pk for f in ctx.facilities]
    visible = Q() if ctx.all_evidence else workspace_q(ctx.user)
    submissions = list(Submission.objects.filter(
        visible, facility_id__in=facility_ids, form__kind=SurveyForm.Kind.WORKER)
        .select_related("form", "source", "organisation"))
    if not submissions:
        return []
    questions = list(SurveyQuestion.objects.filter(
        version__submissions__in=[s.pk for s in submissions]).exclude(criteria="")
        .exclude(violation="").distinct())
    out = []
    for facility in ctx.facilities:
        mine = [s for s in submissions if s.facility_id == facility.pk]
        for finding, begin, end in ctx.findings.get(facility.pk, {}).values():
            if finding.status != Finding.Status.COMPLIANT or not mine:
                continue
            code = finding.criterion.code
            evidence = []
            for question in questions:
                if code not in question.criteria.split():
                    continue
                during = [s for s in mine if s.version_id == question.version_id
                          and s.period_start <= end and s.period_end >= begin]
                answered = [(s, vals) for s in during if (vals := _values(s.answers, question))]
                breaching = {v for v in question.violation.split()}
                hits = [s for s, vals in answered
                        if breaching & {x for v in vals for x in (v if isinstance(v, list)
                                                                   else [v])}]
                n, k = len(answered), len(hits)
                if not n or k < privacy.threshold_for(sensitive=question.sensitive) or (
                        k / n < MIN_SHARE):
                    continue
                dates = [s.submitted_at.date() for s in hits if s.submitted_at]
                evidence.append({
                    "kind": "survey", "form": question.version.form.title,
                    "question": question.path, "breaching": k, "respondents": n,
                    "since": min(dates) if dates else min(s.period_start for s in hits),
                    "label": ngettext(
                        "%(k)d of %(n)d surveyed worker answered “%(answer)s” to “%(q)s”",
                        "%(k)d of %(n)d surveyed workers answered “%(answer)s” to “%(q)s”",
                        n) % {"k": k, "n": n, "q": question.label(_lang()),
                              "answer": " / ".join(question.choice_label(v, _lang())
                                                   for v in question.violation.split())},
                    "sources": sorted({s.source.title for s in hits}),
                })
            if evidence:
                out.append(d.Discrepancy(RULE, facility, finding.criterion, finding,
                                         other_evidence=evidence))
    return out


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "en")[:2]


RULE = d.Rule(
    "compliant-vs-survey", "contradiction",
    gettext_lazy("Published as compliant, contradicted by a worker survey"),
    # xgettext:no-python-format
    gettext_lazy("The factory's latest published assessment found it compliant on a critical "
                 "issue, while at least 10 % of the workers surveyed at the factory in the "
                 "same period gave an answer the survey marks as breaching it — and enough of "
                 "them (5, or 10 for a sensitive question) for the count to be shown."),
    _survey_contradicts,
)


def register() -> None:
    d.register_rule(RULE)
