"""Submissions in: minimise, link to a factory and a period, store once per instance id.

The importers (:mod:`shopfloor.sources.kobo`, :mod:`shopfloor.sources.odk`) turn their file
formats into :class:`RawSubmission` objects; :func:`store_submissions` does the rest, in the
caller's transaction:

* **minimisation first**: columns of identifying metadata (device ids, phone numbers, user
  names, e-mail, locations, photos, the collection server's submitter fields) and of
  questions marked or recognised as identifying are dropped before anything is stored, and
  the report lists them; so are columns the form does not know;
* each submission is linked to a factory (the form's ``shopfloor_facility`` question, or a
  factory given for the whole file) and a period (given for the file, or the calendar
  quarter it was submitted in);
* a submission already stored (same form, same instance id) is left as it is: importing a
  later export adds only the new ones, importing the same one twice changes nothing;
* free-text answers go to :class:`~shopfloor.models.SubmissionText` (restricted); the rest
  are checked against their question's type (a row with a bad value is rejected with the
  question and the reason).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from shopfloor.models import Facility, Submission, SubmissionText, SurveyForm
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import ImportReport
from shopfloor.surveys.forms import IDENTIFYING_COLUMNS

#: Columns every server adds that are kept out of the answers (not identifying).
SERVER_COLUMNS = frozenset({
    "_id", "_uuid", "_submission_time", "__version__", "_index", "_parent_index",
    "_parent_table_name", "_validation_status", "_notes", "_status", "_tags", "_xform_id",
    "_xform_id_string", "formhub/uuid", "meta/instanceid", "meta/deprecatedid",
    "meta/instancename", "meta/rootuuid", "submissiondate", "key", "parent_key",
    "attachmentspresent", "attachmentsexpected", "reviewstate", "edits", "formversion",
    "start", "end", "today", "instanceid", "_media_all_received", "_total_media",
    "_attachments_count", "meta-instanceid", "meta-deprecatedid", "meta-instancename",
})
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_NONE = {"", "n/a", "na", "null", "none"}


@dataclass
class RawSubmission:
    """One submission as a file gives it: columns by header, and repeat rows."""

    row_number: int
    values: dict[str, object]
    repeats: dict[str, list[dict[str, object]]] = field(default_factory=dict)


def normalise_instance_id(value) -> str:
    text = str(value or "").strip()
    return f"uuid:{text}" if _UUID.match(text) else text


def _key(header: str) -> str:
    """A header as a comparable path: ``group-question`` / ``group.question`` →
    ``group/question``, lower case."""
    return re.sub(r"[-.:]", "/", str(header).strip()).lower()


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2025``, ``2025-Q1``, ``2025-H2``, ``2025-03`` or ``2025-01-01..2025-06-30``."""
    text = (text or "").strip()
    try:
        if ".." in text:
            start, end = (dt.date.fromisoformat(p.strip()) for p in text.split("..", 1))
        elif re.fullmatch(r"\d{4}", text):
            start, end = dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
        elif m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
            year, q = int(m.group(1)), int(m.group(2))
            start = dt.date(year, 3 * q - 2, 1)
            end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
                   ) - dt.timedelta(days=1)
        elif m := re.fullmatch(r"(\d{4})-[Hh]([12])", text):
            year, h = int(m.group(1)), int(m.group(2))
            start, end = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if h == 1 else (
                dt.date(year, 7, 1), dt.date(year, 12, 31))
        elif m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            start = dt.date(int(m.group(1)), int(m.group(2)), 1)
            end = (dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
                   - dt.timedelta(days=1))
        else:
            raise ValueError(text)
    except ValueError as exc:
        raise ImportFailed(f"period {text!r}: use 2025, 2025-Q1, 2025-H1, 2025-03 or "
                           "2025-01-01..2025-06-30") from exc
    if end < start:
        raise ImportFailed(f"period {text!r} ends before it starts")
    return start, end


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _datetime(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed, dt.UTC)


class FacilityResolver:
    """A factory from an answer: its id, OS ID, BFC id or exact name (any case)."""

    def __init__(self):
        self._cache: dict[str, Facility | None] = {}

    def __call__(self, value) -> Facility:
        text = str(value or "").strip()
        if text not in self._cache:
            qs = Facility.objects.filter(merged_into__isnull=True)
            match = None
            if text:
                q = Q(os_id__iexact=text) | Q(bfc_id__iexact=text) | Q(name__iexact=text) | Q(
                    name_km=text)
                if text.isdigit():
                    q |= Q(pk=int(text))
                found = list(qs.filter(q)[:2])
                match = found[0] if len(found) == 1 else None
            self._cache[text] = match
        facility = self._cache[text]
        if facility is None:
            raise RowRejected(f"factory {text!r} not found (give its OS ID, BFC id or exact "
                              "name)" if text else "no factory given")
        return facility


@dataclass
class _Columns:
    """How the file's headers map to the version's questions."""

    by_header: dict[str, object]  # header → question (or None: server column)
    dropped_identifying: list[str]
    dropped_unknown: list[str]
    multiple_parts: dict[str, tuple[object, str]]  # "q/choice" header → (question, choice)


def _map_columns(headers: Iterable[str], questions: list) -> _Columns:
    by_path = {q.path.lower(): q for q in questions}
    by_name: dict[str, list] = {}
    for q in questions:
        by_name.setdefault(q.name.lower(), []).append(q)
    mapped, identifying, unknown, parts = {}, [], [], {}
    for header in headers:
        key = _key(header)
        last = key.rsplit("/", 1)[-1]
        question = by_path.get(key) or (by_name[last][0] if len(by_name.get(last, [])) == 1
                                        and key.count("/") == 0 else None)
        if question is None and "/" in key:  # a select_multiple's one-choice column
            head, _, choice = key.rpartition("/")
            parent = by_path.get(head) or (by_name[head.rsplit("/", 1)[-1]][0]
                                           if len(by_name.get(head.rsplit("/", 1)[-1], [])) == 1
                                           else None)
            if parent is not None and parent.type == "select_multiple" and any(
                    c["name"].lower() == choice for c in parent.choices):
                if parent.identifying:
                    identifying.append(header)
                else:
                    parts[header] = (parent, choice)
                continue
        if question is not None:
            if question.identifying:
                identifying.append(header)
            else:
                mapped[header] = question
        elif key in IDENTIFYING_COLUMNS or last in IDENTIFYING_COLUMNS:
            identifying.append(header)
        elif key in SERVER_COLUMNS or last in SERVER_COLUMNS or key.startswith("_"):
            mapped[header] = None
        else:
            unknown.append(header)
    return _Columns(mapped, identifying, unknown, parts)


def _convert(question, value):
    """An answer as stored, or None when empty; RowRejected when it does not fit."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = "" if value is None else str(value).strip()
    if text.lower() in _NONE:
        return None
    kind = question.type
    try:
        if kind == "integer":
            number = float(text)
            if number != int(number):
                raise ValueError
            return int(number)
        if kind in ("decimal", "range"):
            return float(text)
        if kind == "date":
            return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise RowRejected(f"{question.path}: {text!r} is not a "
                          f"{'date' if kind == 'date' else 'number'}") from None
    if kind == "select_multiple":
        names = text.split()
        known = {c["name"] for c in question.choices}
        bad = [n for n in names if known and n not in known]
        if bad:
            raise RowRejected(f"{question.path}: {', '.join(bad)} not among its choices")
        return names
    if kind == "select_one":
        known = {c["name"] for c in question.choices}
        if known and text not in known:
            raise RowRejected(f"{question.path}: {text!r} is not one of its choices")
        return text
    return text


def _find(values: dict, *names: str):
    lowered = {_key(k): v for k, v in values.items()}
    for name in names:
        if lowered.get(name) not in (None, ""):
            return lowered[name]
    return None


def store_submissions(raw: Iterable[RawSubmission], *, form: SurveyForm, headers: list[str],
                      source, report: ImportReport, facility: Facility | None = None,
                      period: tuple[dt.date, dt.date] | None = None,
                      version_hint: str = "", by=None, is_demo: bool = False) -> None:
    """Store the new submissions of ``raw`` (see the module docstring). Rows that cannot be
    stored are rejected in ``report`` with their reason."""
    versions = {v.version: v for v in form.versions.all()}
    if not versions:
        raise ImportFailed(f"form {form.form_id!r} has no version: import its XLSForm first")
    latest = form.latest_version
    questions = {v.pk: list(v.questions.all()) for v in versions.values()}
    columns = {v.pk: _map_columns(headers, questions[v.pk]) for v in versions.values()}
    first = columns[latest.pk]
    report.dropped_columns = sorted(set(first.dropped_identifying))
    if first.dropped_unknown:
        report.notes.append("columns not in the form, dropped: "
                            + ", ".join(first.dropped_unknown[:20]))
    known = set(Submission.objects.filter(form=form).values_list("instance_id", flat=True))
    seen: set[str] = set()
    resolve = FacilityResolver()
    for item in raw:
        report.rows_read += 1
        try:
            version = _version(item, versions, version_hint) or latest
            cols = columns[version.pk]
            instance = normalise_instance_id(_find(item.values, "meta/instanceid", "_uuid",
                                                   "instanceid", "key"))
            if not instance:
                raise RowRejected("no instance id (meta/instanceID, _uuid or KEY)")
            if instance in seen:
                raise RowRejected(f"{instance} appears twice in this file")
            seen.add(instance)
            if instance in known:
                report.unchanged += 1
                continue
            answers, texts, sex, factory_answer = _answers(item, cols, questions[version.pk])
            fac = facility or resolve(factory_answer)
            submitted = _datetime(_find(item.values, "_submission_time", "submissiondate",
                                        "end", "today"))
            start, end = period or quarter_of((submitted or timezone.now()).date())
        except RowRejected as exc:
            report.reject(item.row_number, str(exc))
            continue
        sub = Submission.objects.create(
            organisation=form.organisation, facility=fac, created_by=by, form=form,
            version=version, instance_id=instance, submitted_at=submitted,
            period_start=start, period_end=end, sex=sex, answers=answers, source=source,
            row_number=item.row_number, is_demo=is_demo)
        SubmissionText.objects.bulk_create(
            [SubmissionText(submission=sub, path=p, text=t) for p, t in texts])
        report.created += 1


def _version(item: RawSubmission, versions: dict, hint: str):
    value = _find(item.values, "formversion", "__version__", "_version")
    for candidate in (str(value or ""), hint):
        if candidate and candidate in versions:
            return versions[candidate]
    return None


def _answers(item: RawSubmission, cols: _Columns, questions: list):
    answers: dict[str, object] = {}
    texts: list[tuple[str, str]] = []
    sex, factory = "", None
    parts: dict[str, list[str]] = {}
    for header, value in item.values.items():
        if header in cols.multiple_parts:
            question, choice = cols.multiple_parts[header]
            if str(value).strip() in ("1", "True", "true"):
                parts.setdefault(question.path, []).append(choice)
            continue
        question = cols.by_header.get(header)
        if question is None:
            continue
        if question.repeat:
            continue
        converted = _convert(question, value)
        if converted is None:
            continue
        if question.is_facility:
            factory = converted
        if question.is_sex:
            sex = str(converted)
        if question.is_free_text and not question.is_facility:
            texts.append((question.path, str(converted)))
        else:
            answers[question.path] = converted
    for path, chosen in parts.items():
        answers.setdefault(path, chosen)
    by_path = {q.path: q for q in questions}
    for repeat_path, rows in item.repeats.items():
        kept = []
        for row in rows:
            entry = {}
            for header, value in row.items():
                key = _key(header)
                question = by_path.get(key) or next(
                    (q for q in questions if q.repeat and q.name.lower() == key.rsplit("/", 1)[-1]
                     and q.repeat.lower() == repeat_path.lower()), None)
                if question is None or question.identifying:
                    continue
                converted = _convert(question, value)
                if converted is not None and not question.is_free_text:
                    entry[question.path] = converted
            if entry:
                kept.append(entry)
        if kept:
            answers[repeat_path] = kept
    return answers, texts, sex, factory
