"""The XLSForms Shopfloor ships (``shopfloor/surveys/forms/``) load in KoboToolbox and ODK.

Each form is converted with pyxform, the converter both servers use, and must convert
without errors *and* without warnings. Its JSON form (``result._pyxform``) is then checked:
every text in English and Khmer, the ``shopfloor_*`` columns valid (criterion codes among
BFC's 21 critical issues, violations among the question's choices, one factory question,
at most one sex question), and no question that collects a name or a phone number.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from defusedxml import ElementTree
from pyxform.xls2xform import convert

from shopfloor.models import IssueTopic
from shopfloor.surveys.forms import IDENTIFYING_TYPES, SHIPPED_FORMS

EN, KM = "English (en)", "Khmer (km)"
#: form file → (form_id, kind, the least and the most number of questions)
FORMS = {
    "fair_work_monitor.xlsx": ("shopfloor_fair_work_monitor", "worker", 35, 45),
    "amplify_supplier_foa.xlsx": ("shopfloor_amplify_supplier_foa", "supplier", 25, 35),
}
#: BFC's 21 critical issues are numbered 1–21.
BFC_CODES = {str(n) for n in range(1, 22)}
#: Metadata rows the forms have (no label; Shopfloor drops the device id on import).
METADATA = {"start", "end", "today", "deviceid"}
#: Types that are not questions a respondent answers.
NOT_QUESTIONS = METADATA | {"note", "group", "repeat", "calculate"}
KNOWN_COLUMNS = {"shopfloor_facility", "shopfloor_sex", "shopfloor_criterion",
                 "shopfloor_violation", "shopfloor_sensitive", "shopfloor_topic",
                 "shopfloor_identifying"}
OS_ID = re.compile(r"^[A-Z]{2}\d{7}[A-Z0-9]{6}$")
KHMER = re.compile(r"[\u1780-\u17ff]")
NAME_OR_PHONE = re.compile(r"\b(name|phone|telephone|mobile|e-?mail|whatsapp|facebook)\b", re.I)
NAME_LIKE = re.compile(r"(^|_)(name|names|fullname|phone|mobile|tel|telephone|email|address|"
                       r"idcard|id_card|nid|whatsapp|facebook)($|_)")


@pytest.fixture(scope="module", params=sorted(FORMS))
def shipped(request):
    """(file name, pyxform result, warnings) of each shipped form."""
    path = SHIPPED_FORMS / request.param
    assert path.is_file(), f"{path} is missing"
    warnings: list[str] = []
    result = convert(path, warnings=warnings)
    return request.param, result, warnings


def _walk(children, parent=None):
    """Every element of the form (questions, notes, groups, repeats), depth first, with its
    parent group or repeat; not the bodyless ``meta`` group pyxform adds (instanceID)."""
    for child in children or ():
        if child.get("control", {}).get("bodyless"):
            continue
        yield child, parent
        if child.get("type") in ("group", "repeat"):
            yield from _walk(child.get("children"), child)


def _elements(result):
    return [node for node, _ in _walk(result._pyxform["children"])]


def _questions(result):
    return [n for n in _elements(result) if n.get("type") not in NOT_QUESTIONS]


def _shopfloor(node, column):
    return str(node.get(column, "")).strip()


def _by_name(result):
    return {n["name"]: n for n in _elements(result)}


def test_converts_without_errors_or_warnings(shipped):
    name, result, warnings = shipped
    assert warnings == [], f"{name}: pyxform warnings: {warnings}"
    assert result.warnings == []


def test_xform_is_xml_with_form_id_and_version(shipped):
    name, result, _ = shipped
    form_id = FORMS[name][0]
    root = ElementTree.fromstring(result.xform.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    instances = root.findall(".//{http://www.w3.org/2002/xforms}instance")
    assert instances, "no <instance> in the XForm"
    main = list(instances[0])[0]
    assert main.get("id") == form_id
    assert re.fullmatch(r"20\d{8}", main.get("version") or ""), main.get("version")
    assert result._pyxform["id_string"] == form_id
    assert result._pyxform["version"] == main.get("version")
    assert result._pyxform["default_language"] == EN
    # both languages reach the XForm's translations
    langs = {t.get("lang") for t in root.iter("{http://www.w3.org/2002/xforms}translation")}
    assert langs == {EN, KM}


def _texts(result):
    """(where, text dict) for every label, hint, constraint message and choice label."""
    for node in _elements(result):
        where = node.get("name")
        if node.get("type") not in METADATA:
            yield f"{where} label", node.get("label")
        if "hint" in node:
            yield f"{where} hint", node["hint"]
        message = node.get("bind", {}).get("jr:constraintMsg")
        if message is not None:
            yield f"{where} constraint message", message
        for choice in node.get("choices", []) or []:
            yield f"{where} choice {choice['name']}", choice.get("label")
    for list_name, items in result._pyxform.get("choices", {}).items():
        for choice in items:
            yield f"list {list_name} choice {choice['name']}", choice.get("label")


def test_every_text_is_in_english_and_khmer(shipped):
    name, result, _ = shipped
    texts = list(_texts(result))
    assert len(texts) > 100
    for where, text in texts:
        assert isinstance(text, dict), f"{name}: {where} is not translated: {text!r}"
        assert set(text) == {EN, KM}, f"{name}: {where} has languages {sorted(text)}"
        en, km = str(text[EN]).strip(), str(text[KM]).strip()
        assert en and km, f"{name}: {where} has an empty text"
        assert KHMER.search(km), f"{name}: {where}: Khmer text has no Khmer script: {km!r}"
        assert not KHMER.search(en), f"{name}: {where}: English text has Khmer in it"
        assert en != km


def test_metadata_rows(shipped):
    _, result, _ = shipped
    types = [n["type"] for n in result._pyxform["children"] if n["type"] in METADATA]
    assert sorted(types) == sorted(METADATA)


def test_question_count(shipped):
    name, result, _ = shipped
    _, _, least, most = FORMS[name]
    count = len(_questions(result))
    assert least <= count <= most, f"{name}: {count} questions"


def test_groups_repeats_and_question_types(shipped):
    name, result, _ = shipped
    top = result._pyxform["children"]
    groups = [n for n in top if n["type"] == "group" and n["name"] != "meta"]
    assert len(groups) >= 5
    types = {q["type"] for q in _questions(result)}
    assert {"select one", "select all that apply", "integer", "text"} <= types
    for q in _questions(result):
        if q["type"] == "integer":
            assert q.get("bind", {}).get("constraint"), f"{name}: {q['name']} has no bounds"
        if q["type"].startswith("select"):
            assert q.get("choices"), f"{name}: {q['name']} has no choices"


def test_shopfloor_columns_are_known_and_lower_case(shipped):
    name, result, _ = shipped
    for node in _elements(result):
        for key, value in node.items():
            if key.startswith("shopfloor_"):
                assert key in KNOWN_COLUMNS, f"{name}: {node['name']}: unknown column {key}"
                assert str(value) == str(value).strip().lower(), (node["name"], key, value)
                if key in ("shopfloor_facility", "shopfloor_sex", "shopfloor_sensitive"):
                    assert value == "yes", (node["name"], key, value)


def test_criteria_and_violations(shipped):
    name, result, _ = shipped
    tagged = 0
    for q in _elements(result):
        codes = _shopfloor(q, "shopfloor_criterion").split()
        violation = _shopfloor(q, "shopfloor_violation").split()
        assert bool(codes) == bool(violation), (
            f"{name}: {q['name']}: a criterion needs the answers that breach it, and back")
        if not codes:
            continue
        tagged += 1
        assert set(codes) <= BFC_CODES, f"{name}: {q['name']}: {codes} not in 1–21"
        assert len(set(codes)) == len(codes)
        assert q["type"] in ("select one", "select all that apply"), q["name"]
        names = {c["name"] for c in q["choices"]}
        assert set(violation) <= names, f"{name}: {q['name']}: {violation} not in {names}"
        assert set(violation) != names, f"{name}: {q['name']}: every answer is a breach"
    assert tagged >= 3


def test_topics(shipped):
    name, result, _ = shipped
    allowed = set(IssueTopic.values)
    for q in _elements(result):
        topic = _shopfloor(q, "shopfloor_topic")
        if topic:
            assert topic in allowed, f"{name}: {q['name']}: topic {topic!r}"
            assert " " not in topic


def test_one_facility_question_with_example_os_ids(shipped):
    name, result, _ = shipped
    facility = [q for q in _elements(result) if _shopfloor(q, "shopfloor_facility") == "yes"]
    assert len(facility) == 1, f"{name}: {[q['name'] for q in facility]}"
    question = facility[0]
    assert question["type"] == "select one"
    assert question["list_name"] == "factories"
    assert question.get("bind", {}).get("required") == "yes"
    choices = question["choices"]
    assert len(choices) == 3
    assert len({c["name"] for c in choices}) == 3
    for choice in choices:
        assert len(choice["name"]) == 15 and OS_ID.match(choice["name"]), choice["name"]
        assert choice["name"].startswith("KH")
        assert "Example" in choice["label"][EN], "ship clearly fictional factories only"


def test_sex_question(shipped):
    name, result, _ = shipped
    sex = [q for q in _elements(result) if _shopfloor(q, "shopfloor_sex") == "yes"]
    assert len(sex) <= 1, f"{name}: {[q['name'] for q in sex]}"
    for q in sex:
        assert q["type"] == "select one"
        names = {c["name"] for c in q["choices"]}
        assert {"female", "male"} <= names
    if FORMS[name][1] == "worker":
        assert len(sex) == 1
        assert sex[0]["list_name"] == "sex"
        assert [c["name"] for c in sex[0]["choices"]] == [
            "female", "male", "other", "prefer_not_to_say"]


def test_no_question_collects_names_or_phone_numbers(shipped):
    name, result, _ = shipped
    for node in _elements(result):
        kind = node.get("type")
        if kind == "deviceid":
            continue  # metadata; Shopfloor drops it on import
        assert kind not in IDENTIFYING_TYPES, f"{name}: {node['name']} is a {kind}"
        assert _shopfloor(node, "shopfloor_identifying") != "yes", node["name"]
        if kind in NOT_QUESTIONS:
            continue
        assert not NAME_LIKE.search(node["name"].lower()), f"{name}: {node['name']}"
        label = node["label"][EN]
        assert not NAME_OR_PHONE.search(label), f"{name}: {node['name']}: {label!r}"
    # the free-text questions tell people not to write names
    texts = [q for q in _questions(result) if q["type"] == "text"]
    assert texts
    for q in texts:
        assert "Do not write names" in q["label"][EN]
        assert q.get("bind", {}).get("required") != "yes"


def test_intro_says_the_survey_is_anonymous(shipped):
    name, result, _ = shipped
    intro = next(n for n in result._pyxform["children"] if n["type"] == "note")
    assert intro["name"] == "intro"
    text = intro["label"][EN].lower()
    assert "name" in text and "not" in text
    if FORMS[name][1] == "worker":
        assert "anonymous" in text and "phone number" in text and "union keeps" in text
        assert "អនាមិក" in intro["label"][KM]


# ---- the worker survey ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def worker():
    warnings: list[str] = []
    return convert(SHIPPED_FORMS / "fair_work_monitor.xlsx", warnings=warnings)


def test_worker_consent_gates_the_whole_survey(worker):
    top = worker._pyxform["children"]
    consent = next(n for n in top if n["name"] == "consent")
    assert consent["type"] == "select one"
    assert consent["bind"]["required"] == "yes"
    assert {c["name"] for c in consent["choices"]} == {"yes", "no"}
    names = [n["name"] for n in top]
    assert names.index("intro") < names.index("consent")
    groups = [n for n in top if n["type"] == "group" and n["name"] != "meta"]
    assert len(groups) >= 8
    for group in groups:
        assert group.get("bind", {}).get("relevant") == "${consent} = 'yes'", group["name"]
    # nothing the respondent answers sits outside a consent-gated group
    assert [n["name"] for n in top if n["type"] not in NOT_QUESTIONS] == ["consent"]


def test_worker_criteria_covered(worker):
    covered = {code for q in _elements(worker)
               for code in _shopfloor(q, "shopfloor_criterion").split()}
    assert {"19", "20", "21", "12", "8", "9", "6", "18", "15", "2"} <= covered


def test_worker_known_tags(worker):
    q = _by_name(worker)
    assert (_shopfloor(q["paid_minimum"], "shopfloor_criterion"),
            _shopfloor(q["paid_minimum"], "shopfloor_violation")) == ("19", "no")
    assert _shopfloor(q["overtime_paid_higher"], "shopfloor_criterion") == "20"
    assert _shopfloor(q["seniority_counted"], "shopfloor_criterion") == "21"
    assert _shopfloor(q["asked_about_union"], "shopfloor_violation") == "yes"
    assert _shopfloor(q["drinking_water"], "shopfloor_criterion") == "18"
    assert "2" in _shopfloor(q["overtime_voluntary"], "shopfloor_criterion").split()
    assert "2" in _shopfloor(q["free_to_leave"], "shopfloor_criterion").split()
    assert set(_shopfloor(q["sexual_harassment"], "shopfloor_violation").split()) == {
        "happened_to_me", "saw_it"}
    assert q["sexual_harassment"]["type"] == "select all that apply"
    topics = {_shopfloor(n, "shopfloor_topic") for n in _elements(worker)}
    assert {"heat_stress", "toilet_breaks", "verbal_abuse", "ventilation"} <= topics
    for name in ("too_hot", "toilet_limited", "shouting"):
        assert not _shopfloor(q[name], "shopfloor_criterion"), name


def test_worker_sensitive_questions(worker):
    q = _by_name(worker)
    for name in ("union_member", "asked_about_union", "union_members_worse",
                 "union_dismissal_threat", "sexual_harassment"):
        assert _shopfloor(q[name], "shopfloor_sensitive") == "yes", name
    for name in ("paid_minimum", "hours_last_week", "drinking_water"):
        assert _shopfloor(q[name], "shopfloor_sensitive") == "", name


def test_worker_deductions_repeat_and_bounds(worker):
    q = _by_name(worker)
    repeat = q["deductions"]
    assert repeat["type"] == "repeat"
    assert repeat["bind"]["relevant"] == "${had_deductions} = 'yes'"
    inside = {c["name"]: c for c in repeat["children"]}
    assert inside["deduction_kind"]["type"] == "select one"
    assert {"fine", "attendance_bonus_cut", "advance_repayment", "other"} == {
        c["name"] for c in inside["deduction_kind"]["choices"]}
    assert inside["deduction_usd"]["type"] == "integer"
    assert q["take_home_usd"]["bind"]["constraint"] == ". >= 0 and . <= 2000"
    assert q["hours_last_week"]["bind"]["constraint"] == ". >= 0 and . <= 100"
    assert q["overtime_voluntary"]["bind"]["relevant"] == "${did_overtime} = 'yes'"
    assert q["fdc_renewed"]["bind"]["relevant"] == "${contract} = 'fdc'"
    assert [c["name"] for c in q["contract"]["choices"]] == ["fdc", "udc", "dont_know"]


def test_worker_khmer_terms(worker):
    """The Khmer uses the terms unions use (see the brief)."""
    q = _by_name(worker)
    km = {name: node["label"][KM] for name, node in q.items() if "label" in node}
    assert "ប្រាក់ឈ្នួលអប្បបរមា" in km["paid_minimum"]
    assert "ម៉ោងបន្ថែម" in km["overtime_paid_higher"]
    assert "សហជីព" in km["union_member"]
    assert "ការបៀតបៀនផ្លូវភេទ" in km["sexual_harassment"]
    assert "ទឹកផឹកស្អាត" in km["drinking_water"]
    assert "ទ្វារចេញពេលមានអាសន្ន" in km["exits_unlocked"]
    assert "កង្ហារ" in km["fans_working"]
    assert "បេឡាជាតិរបបសន្តិសុខសង្គម" in km["nssf_card"]
    yes_no = {c["name"]: c["label"][KM] for c in q["drinking_water"]["choices"]}
    assert yes_no == {"yes": "បាទ/ចាស", "no": "ទេ", "dont_know": "មិនដឹង"}


# ---- the supplier questionnaire ------------------------------------------------------------


@pytest.fixture(scope="module")
def supplier():
    return convert(SHIPPED_FORMS / "amplify_supplier_foa.xlsx", warnings=[])


def test_supplier_dismissed_union_leaders(supplier):
    q = _by_name(supplier)
    dismissed = q["union_leaders_dismissed"]
    assert set(_shopfloor(dismissed, "shopfloor_criterion").split()) == {"8", "11"}
    assert _shopfloor(dismissed, "shopfloor_violation") == "yes"
    assert _shopfloor(dismissed, "shopfloor_sensitive") == "yes"
    count = q["union_leaders_dismissed_count"]
    assert count["type"] == "integer"
    assert count["bind"]["relevant"] == "${union_leaders_dismissed} = 'yes'"


def test_supplier_support_maps_to_the_five_routes(supplier):
    q = _by_name(supplier)
    support = q["support_wanted"]
    assert support["type"] == "select all that apply"
    labels = " ".join(c["label"][EN] for c in support["choices"])
    for route in "ABCDE":
        assert f"(route {route})" in labels
    assert _shopfloor(q["foa_policy"], "shopfloor_criterion") == "9"
    assert not any(_shopfloor(n, "shopfloor_sex") for n in _elements(supplier))
    functions = {c["name"] for c in q["respondent_function"]["choices"]}
    assert functions == {"hr", "compliance", "general_manager", "other"}


# ---- Shopfloor reads them, ODK Validate accepts them ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("file_name", sorted(FORMS))
def test_shopfloor_parses_the_shipped_form(file_name):
    from shopfloor.surveys.forms import parse_xlsform
    from tests import factories

    src = factories.source()
    for code in sorted(BFC_CODES, key=int):
        factories.criterion(code=code, src=src, text=f"Critical issue {code}")
    parsed = parse_xlsform((SHIPPED_FORMS / file_name).read_bytes(), file_name)
    assert parsed.form_id == FORMS[file_name][0]
    assert parsed.languages == ["en", "km"]
    assert [q["name"] for q in parsed.questions if q["identifying"]] == ["deviceid"]
    assert sum(q["is_facility"] for q in parsed.questions) == 1
    stored = [q for q in parsed.questions if q["stored"]]
    assert len(stored) >= FORMS[file_name][2]
    assert all(q["labels"].keys() == {"en", "km"} for q in stored)


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
@pytest.mark.parametrize("file_name", sorted(FORMS))
def test_odk_validate_accepts_the_form(file_name):
    warnings: list[str] = []
    convert(Path(SHIPPED_FORMS) / file_name, warnings=warnings, validate=True)
    assert warnings == []
