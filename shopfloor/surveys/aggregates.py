"""Survey results per factory and period: counts, shares with confidence intervals,
by sex where the cells allow, small cells suppressed.

For a choice question: how many respondents gave each answer (for a select-multiple, how
many ticked it), the share of those who answered the question, and its 95 % Wilson score
interval. Counts go through :func:`shopfloor.privacy.suppress` (fewer than 5 hidden, fewer
than 10 for questions marked ``shopfloor_sensitive``, with complementary suppression so
that no hidden count can be worked out from the total); a hidden count hides its share too.
The breakdown by sex is a table suppressed as a whole (:func:`shopfloor.privacy.
suppress_table`) and is offered only when at least one of its counts can be shown. For a
number question: the median and the mean, when enough people answered.

>>> r = survey_results(form, facility=factory)  # doctest: +SKIP
>>> [(c.label, c.count, c.share) for c in r.questions[0].choices]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field

from django.utils.translation import get_language

from shopfloor import privacy
from shopfloor.models import Submission, SurveyForm, SurveyQuestion

#: Sexes shown as columns of the breakdown, in this order (others are counted in totals).
SEXES = ("female", "male")
#: z for a 95 % interval.
Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion, as (low, high) between 0 and 1."""
    if n <= 0:
        return (0.0, 0.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class ChoiceResult:
    name: str
    label: str
    count: int | None  # None: hidden
    share: float | None  # percent, one decimal
    low: float | None
    high: float | None
    hidden_kind: str = ""  # "primary" (small) or "complementary"


@dataclass
class QuestionResult:
    question: SurveyQuestion
    label: str
    respondents: int | None  # None: hidden
    threshold: int
    choices: list[ChoiceResult] = field(default_factory=list)
    line: privacy.Suppressed | None = None
    by_sex: privacy.SuppressedTable | None = None
    median: float | None = None
    mean: float | None = None

    @property
    def shows_sex(self) -> bool:
        """Whether the breakdown by sex has anything to show."""
        if self.by_sex is None:
            return False
        return any(v is not None and v > 0 for v in self.by_sex.cells.values())


@dataclass
class SurveyResults:
    form: SurveyForm
    facility: object
    period: tuple[dt.date, dt.date] | None
    submissions: int
    questions: list[QuestionResult]
    periods: list[tuple[dt.date, dt.date]]


def _language() -> str:
    return (get_language() or "en")[:2]


def _values(answers: dict, question: SurveyQuestion) -> list:
    if question.repeat:
        rows = answers.get(question.repeat, []) or []
        return [row[question.path] for row in rows if question.path in row]
    return [answers[question.path]] if question.path in answers else []


def question_result(question: SurveyQuestion, submissions: list[Submission]
                    ) -> QuestionResult:
    """One question's result over ``submissions`` (see the module docstring)."""
    lang = _language()
    threshold = privacy.threshold_for(sensitive=question.sensitive)
    result = QuestionResult(question, question.label(lang), None, threshold)
    answered = [(s, _values(s.answers, question)) for s in submissions]
    answered = [(s, v) for s, v in answered if v]
    if question.type in ("integer", "decimal", "range"):
        numbers = [float(x) for _, vals in answered for x in vals]
        result.respondents = len(numbers) if len(numbers) >= threshold else None
        if len(numbers) >= threshold:
            result.median = round(statistics.median(numbers), 1)
            result.mean = round(statistics.fmean(numbers), 1)
        return result
    names = [c["name"] for c in question.choices]
    counts = dict.fromkeys(names, 0)
    table = {name: dict.fromkeys(SEXES, 0) for name in names}
    for submission, values in answered:
        chosen = set()
        for value in values:
            chosen |= set(value if isinstance(value, list) else [value])
        for name in chosen:
            counts[name] = counts.get(name, 0) + 1
            if submission.sex in SEXES:
                table.setdefault(name, dict.fromkeys(SEXES, 0))[submission.sex] += 1
    n = len(answered)
    total = n if question.type != "select_multiple" else None
    line = privacy.suppress(counts, total=total, sensitive=question.sensitive)
    result.line = line
    result.respondents = n if (n == 0 or n >= threshold) else None
    for name in counts:
        shown = line.get(name)
        share = low = high = None
        if shown is not None and n and result.respondents is not None:
            share = round(100 * shown / n, 1)
            lo, hi = wilson(shown, n)
            low, high = round(100 * lo, 1), round(100 * hi, 1)
        result.choices.append(ChoiceResult(
            name, question.choice_label(name, lang), shown, share, low, high,
            "primary" if name in line.primary else (
                "complementary" if name in line.complementary else "")))
    if any(sum(row.values()) for row in table.values()):
        result.by_sex = privacy.suppress_table(table, sensitive=question.sensitive,
                                               margins=question.type != "select_multiple")
    return result


def periods(form: SurveyForm, facility) -> list[tuple[dt.date, dt.date]]:
    """The periods the form has submissions for at the factory, newest first."""
    rows = (Submission.objects.filter(form=form, facility=facility)
            .values_list("period_start", "period_end").distinct()
            .order_by("-period_start", "-period_end"))
    return list(rows)


def survey_results(form: SurveyForm, *, facility, period: tuple[dt.date, dt.date] | None = None
                   ) -> SurveyResults:
    """Every counted question of the form's latest version, over the factory's submissions
    in ``period`` (the newest period when none is given)."""
    available = periods(form, facility)
    if period is None and available:
        period = available[0]
    submissions = list(Submission.objects.filter(form=form, facility=facility)
                       .filter(**({"period_start": period[0], "period_end": period[1]}
                                  if period else {})).only("answers", "sex"))
    version = form.latest_version
    questions = [q for q in version.questions.filter(identifying=False).order_by("position")
                 if q.type in ("select_one", "select_multiple", "integer", "decimal", "range")
                 and not q.is_facility] if version else []
    return SurveyResults(form, facility, period, len(submissions),
                         [question_result(q, submissions) for q in questions], available)
