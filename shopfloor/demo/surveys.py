"""The demo's surveys: the shipped worker survey run by the union rep's union at its first
factory last quarter (60 fictional respondents), and the shipped supplier questionnaire
answered by a few of the demo brand's suppliers. Answers are drawn from one seed with
plausible rates; every value is fictional."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from shopfloor.models import Source
from shopfloor.sources.report import ImportReport
from shopfloor.surveys.forms import SHIPPED_FORMS, import_xlsform
from shopfloor.surveys.submissions import RawSubmission, quarter_of, store_submissions

#: How often a breaching answer is given, by BFC criterion code (the rest answer fine).
BREACH_RATES = {"19": 0.18, "20": 0.35, "21": 0.25, "12": 0.2, "8": 0.12, "9": 0.15,
                "6": 0.1, "18": 0.3, "15": 0.08, "2": 0.3, "14": 0.2, "4": 0.03}


#: Fictional free-text answers (kept apart, restricted).
COMMENTS = ["The fans on our line stop every afternoon.",
            "We are told to stay late before shipments; overtime is not always paid.",
            "The water near the canteen tastes bad.",
            "Our supervisor counts toilet breaks.",
            "Please raise the heat at the next PICC meeting."]


def _source(organisation, title: str, file_name: str, day: dt.date) -> Source:
    return Source.objects.create(
        publisher=f"{organisation.name} (fictional demo)", title=title, file_name=file_name,
        published_on=day, retrieved_on=day, licence="CC0-1.0 (fictional demo)", importer="kobo",
        organisation=organisation, visibility=Source.Visibility.ORGANISATION, is_demo=True)


def _answer(rng: random.Random, question, sex: str):
    if question.is_sex:
        return sex
    if question.choices:
        names = [c["name"] for c in question.choices]
        breaching = question.violation.split()
        if question.criteria and breaching:
            rate = max(BREACH_RATES.get(c, 0.1) for c in question.criteria.split())
            fine = [n for n in names if n not in breaching and n not in (
                "dont_know", "prefer_not_to_say")] or names
            pick = rng.choice(breaching) if rng.random() < rate else rng.choice(fine[:1] or fine)
        else:
            pick = rng.choice(names)
        return [pick] if question.type == "select_multiple" else pick
    if question.type == "integer":
        return rng.randint(5, 60)
    if question.type == "decimal":
        return round(rng.uniform(1, 10), 1)
    return None


def _respondents(rng, version, n: int, day: dt.date, women_share=0.82) -> list[RawSubmission]:
    questions = [q for q in version.questions.filter(identifying=False) if not q.repeat]
    raw = []
    for i in range(n):
        sex = "female" if rng.random() < women_share else "male"
        values = {}
        for q in questions:
            if "consent" in q.path and q.choices:
                values[q.path] = "yes"
            elif q.is_facility:
                values[q.path] = q.choices[0]["name"] if q.choices else ""
            elif q.type == "text":
                if rng.random() < 0.15:
                    values[q.path] = rng.choice(COMMENTS)
            else:
                answer = _answer(rng, q, sex)
                if answer is not None:
                    values[q.path] = answer
        when = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=i % 20),
                                                       dt.time(12, 30)))
        values["meta/instanceID"] = f"uuid:{uuid.UUID(int=rng.getrandbits(128))}"
        values["_submission_time"] = when.isoformat()
        raw.append(RawSubmission(i + 2, values))
    return raw


def build_surveys(seed: int, union, facilities, brand_org, suppliers, today=None) -> dict:
    """Import the shipped forms for ``union`` and ``brand_org`` and their demo answers."""
    rng = random.Random(f"{seed}:surveys")
    today = today or timezone.localdate()
    counts = {}
    start, end = quarter_of(today - dt.timedelta(days=92))
    for org, file_name, kind, places, n in (
            (union, "fair_work_monitor.xlsx", "worker", facilities[:1], 60),
            (brand_org, "amplify_supplier_foa.xlsx", "supplier", suppliers[:4], 1)):
        if org is None or not places:
            continue
        data = (SHIPPED_FORMS / file_name).read_bytes()
        form_source = _source(org, f"XLSForm {file_name}", f"demo://forms/{file_name}", start)
        form_source.importer = "xlsform"
        form_source.save(update_fields=["importer"])
        version, _ = import_xlsform(data, org, source=form_source, kind=kind,
                                    file_name=file_name, is_demo=True)
        for facility in places:
            source = _source(org, f"{version.form.title}: demo submissions ({facility.name})",
                             f"demo://kobo/{version.form.form_id}-{facility.pk}.json", end)
            report = ImportReport(kind="kobo", file=source.file_name)
            raw = _respondents(rng, version, n, start + dt.timedelta(days=10))
            headers = list(dict.fromkeys(k for r in raw for k in r.values))
            store_submissions(raw, form=version.form, headers=headers, source=source,
                              report=report,
                              facility=facility, period=(start, end), is_demo=True)
            counts["survey submissions"] = counts.get("survey submissions", 0) + report.created
    return counts
