"""XLSForms in: read a form with pyxform, keep each version, list its questions.

An XLSForm (``survey`` / ``choices`` / ``settings`` sheets, labels per language as
``label::English (en)`` and ``label::Khmer (km)``) is converted with pyxform — the converter
KoboToolbox and ODK use —, so a form that imports here loads there as it is. Shopfloor reads
a few extra columns of the ``survey`` sheet (pyxform passes unknown columns through):

``shopfloor_facility``  ``yes`` on the question naming the factory (its answer is an OS ID,
                        a BFC id or the factory's name)
``shopfloor_sex``       ``yes`` on the respondent's sex (choices ``female``, ``male``, …)
``shopfloor_criterion`` the BFC critical issue code(s) the question bears on
``shopfloor_violation`` the choice name(s) that mean the criterion was breached
``shopfloor_sensitive`` ``yes``: counts are suppressed below 10, not 5
``shopfloor_topic``     an issue topic (heat_stress, toilet_breaks, …)
``shopfloor_identifying`` ``yes``: never stored (also automatic for device ids, phone
                        numbers, user names, e-mail, locations, photos and text questions
                        named like a name or a phone number)

>>> version, created = import_xlsform("fair_work_monitor.xlsx", union, source=src)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from shopfloor.models import Criterion, Source, SurveyForm, SurveyFormVersion, SurveyQuestion

#: The directory of the forms Shopfloor ships.
SHIPPED_FORMS = Path(__file__).resolve().parent / "forms"

#: Metadata and question types that identify a person, a phone or a place: never stored.
IDENTIFYING_TYPES = frozenset({
    "deviceid", "imei", "phonenumber", "simserial", "subscriberid", "username", "email",
    "start-geopoint", "background-geopoint", "audit", "geopoint", "geotrace", "geoshape",
    "image", "audio", "video", "file", "background-audio",
})
#: Metadata columns the collection servers add that identify someone, by header.
IDENTIFYING_COLUMNS = frozenset({
    "deviceid", "imei", "phonenumber", "simserial", "subscriberid", "username", "email",
    "start-geopoint", "_submitted_by", "_geolocation", "_attachments", "submitterid",
    "submittername", "meta/deviceid", "meta/audit", "audit",
})
#: Text questions named like these are taken for names or phone numbers.
_NAME_LIKE = re.compile(r"(^|_)(name|names|fullname|full_name|phone|mobile|tel|telephone|"
                        r"email|e_mail|address|idcard|id_card|nid|whatsapp|facebook)($|_)")
#: pyxform type → the type Shopfloor stores (questions of other types are not kept).
_TYPES = {"select one": "select_one", "select all that apply": "select_multiple",
          "integer": "integer", "decimal": "decimal", "text": "text", "date": "date",
          "range": "range", "select one from file": "select_one"}
_YES = {"yes", "true", "1", "y"}


class FormError(ValueError):
    """An XLSForm that cannot be read; the message says where and why."""


def language_code(label: str) -> str:
    """``"Khmer (km)"`` → ``"km"``; ``"default"`` → ``""``."""
    match = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", label or "")
    return match.group(1).lower() if match else ("" if label in ("", "default") else label)


def _labels(value, default_code: str) -> dict[str, str]:
    if isinstance(value, dict):
        out = {}
        for lang, text in value.items():
            code = language_code(lang) or default_code
            out[code] = str(text)
        return out
    return {default_code: str(value)} if value else {}


@dataclass
class ParsedForm:
    form_id: str
    title: str
    version: str
    xform: str
    definition: dict
    languages: list[str]
    default_language: str
    questions: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _walk(children, prefix, groups, repeat, default_code, out):
    for child in children or ():
        kind, name = child.get("type", ""), child.get("name", "")
        path = f"{prefix}{name}"
        if kind in ("group", "repeat"):
            if name == "meta" and kind == "group":
                continue
            labels = dict(groups)
            labels[path] = _labels(child.get("label"), default_code)
            _walk(child.get("children"), f"{path}/", labels,
                  path if kind == "repeat" else repeat, default_code, out)
            continue
        extra = {k: str(v).strip().lower() for k, v in child.items()
                 if k.startswith("shopfloor_")}
        stored = _TYPES.get(kind)
        identifying = (kind in IDENTIFYING_TYPES or extra.get("shopfloor_identifying") in _YES
                       or (kind == "text" and bool(_NAME_LIKE.search(name.lower()))))
        out.append({
            "path": path, "name": name, "pyxform_type": kind, "type": stored or kind,
            "stored": stored is not None and not identifying, "identifying": identifying,
            "labels": _labels(child.get("label"), default_code),
            "list_name": child.get("list_name", "") or child.get("itemset", ""),
            "choices": [{"name": str(c.get("name")),
                         "labels": _labels(c.get("label"), default_code)}
                        for c in child.get("choices", []) or []],
            "group_labels": groups.get(path.rsplit("/", 1)[0], {}) if "/" in path else {},
            "repeat": repeat,
            "criteria": extra.get("shopfloor_criterion", ""),
            "violation": extra.get("shopfloor_violation", ""),
            "topic": extra.get("shopfloor_topic", ""),
            "sensitive": extra.get("shopfloor_sensitive") in _YES,
            "is_facility": extra.get("shopfloor_facility") in _YES,
            "is_sex": extra.get("shopfloor_sex") in _YES,
        })


def parse_xlsform(data: bytes, file_name: str = "form.xlsx") -> ParsedForm:
    """Read an XLSForm (bytes of an .xlsx/.xls file) with pyxform; :class:`FormError` when
    pyxform refuses it (its message names the sheet and row)."""
    from pyxform.xls2xform import convert

    suffix = Path(file_name).suffix.lower().lstrip(".") or "xlsx"
    if suffix not in ("xlsx", "xls"):
        raise FormError(f"{file_name}: an XLSForm is an .xlsx or .xls file")
    warnings: list[str] = []
    try:
        result = convert(xlsform=data, warnings=warnings, file_type=f".{suffix}")
    except Exception as exc:  # pyxform raises PyXFormError and plain errors alike
        raise FormError(f"{file_name}: not a valid XLSForm: {exc}") from exc
    definition = result._pyxform
    default_language = definition.get("default_language", "") or ""
    default_code = language_code(default_language) or "en"
    languages = sorted({language_code(lang) or default_code
                        for lang in _all_label_languages(definition)}) or [default_code]
    questions: list[dict] = []
    _walk(definition.get("children"), "", {}, "", default_code, questions)
    form_id = definition.get("id_string") or Path(file_name).stem
    version = str(definition.get("version") or "1")
    parsed = ParsedForm(form_id=form_id, title=str(definition.get("title") or form_id),
                        version=version, xform=result.xform, definition=definition,
                        languages=languages, default_language=default_code,
                        questions=questions, warnings=warnings)
    _check(parsed, file_name)
    return parsed


def _all_label_languages(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "hint") and isinstance(value, dict):
                found.update(value)
            else:
                found |= _all_label_languages(value)
    elif isinstance(node, list):
        for item in node:
            found |= _all_label_languages(item)
    return found


def _check(parsed: ParsedForm, file_name: str) -> None:
    facility = [q for q in parsed.questions if q["is_facility"]]
    if len(facility) > 1:
        raise FormError(f"{file_name}: only one question may have shopfloor_facility=yes "
                        f"({', '.join(q['path'] for q in facility)})")
    for q in parsed.questions:
        names = {c["name"] for c in q["choices"]}
        for choice in q["violation"].split():
            if choice not in names:
                raise FormError(f"{file_name}: {q['path']}: shopfloor_violation {choice!r} is "
                                f"not one of its choices ({', '.join(sorted(names))})")


def _check_criteria(parsed: ParsedForm, file_name: str) -> None:
    """Criterion codes must be BFC critical issues Shopfloor knows (when it knows any)."""
    codes = set(Criterion.objects.filter(programme="BFC").values_list("code", flat=True))
    for q in parsed.questions:
        for code in q["criteria"].split():
            if codes and code not in codes:
                raise FormError(f"{file_name}: {q['path']}: shopfloor_criterion {code!r} is not "
                                f"a BFC critical issue ({', '.join(sorted(codes, key=_num))})")


def _num(code: str):
    return (0, int(code)) if code.isdigit() else (1, code)


def import_xlsform(data: bytes, organisation, *, source: Source, kind: str = "worker",
                   file_name: str = "form.xlsx", is_demo: bool = False
                   ) -> tuple[SurveyFormVersion, bool]:
    """Keep a form version (and its form) for ``organisation``. The same version with the
    same content is not kept twice (``created`` false); the same version number with other
    content is refused: bump ``version`` in the ``settings`` sheet."""
    parsed = parse_xlsform(data, file_name)
    _check_criteria(parsed, file_name)
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        form, _ = SurveyForm.objects.get_or_create(
            organisation=organisation, form_id=parsed.form_id,
            defaults={"title": parsed.title, "kind": kind, "is_demo": is_demo})
        existing = form.versions.filter(version=parsed.version).first()
        if existing is not None:
            if existing.sha256 == sha:
                return existing, False
            raise FormError(f"{file_name}: version {parsed.version} of {parsed.form_id} was "
                            "already imported with other content; change the version in the "
                            "settings sheet")
        if form.title != parsed.title:
            form.title = parsed.title
            form.save(update_fields=["title"])
        version = SurveyFormVersion.objects.create(
            form=form, version=parsed.version, sha256=sha, definition=parsed.definition,
            xform=parsed.xform, languages=parsed.languages,
            default_language=parsed.default_language, source=source)
        SurveyQuestion.objects.bulk_create([SurveyQuestion(
            version=version, position=i, path=q["path"], name=q["name"], type=q["type"],
            labels=q["labels"], list_name=q["list_name"], choices=q["choices"],
            group_labels=q["group_labels"], repeat=q["repeat"], criteria=q["criteria"],
            violation=q["violation"], topic=q["topic"], sensitive=q["sensitive"],
            is_facility=q["is_facility"], is_sex=q["is_sex"], identifying=q["identifying"],
        ) for i, q in enumerate(parsed.questions) if q["stored"] or q["identifying"]])
    return version, True


@dataclass
class Section:
    """A group of questions of a form, for showing the questionnaire."""

    path: str
    labels: dict
    questions: list[SurveyQuestion]


def questionnaire(version: SurveyFormVersion) -> list[Section]:
    """The version's kept questions by section (group), in form order."""
    sections: list[Section] = []
    for q in version.questions.filter(identifying=False).order_by("position"):
        group = q.path.rsplit("/", 1)[0] if "/" in q.path else ""
        if not sections or sections[-1].path != group:
            sections.append(Section(group, q.group_labels, []))
        sections[-1].questions.append(q)
    return sections
