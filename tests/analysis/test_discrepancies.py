"""The discrepancy finder on a factory with known BFC findings and union evidence."""

from datetime import date

import pytest
from django.utils import translation

from shopfloor.analysis.discrepancies import find_discrepancies
from shopfloor.evidence import cases
from shopfloor.evidence.workflow import create_issue, transition
from shopfloor.models import Assessment, Datapoint, Finding, Relationship
from tests import factories as f

TODAY = date(2025, 6, 30)
CRITERIA = {"12": "No management interference with union", "19": "Correctly paid minimum wages",
            "18": "Clean and sufficient drinking water", "6": "No sexual harassment",
            "8": "No discrimination against workers based on union membership"}
#: cycle → {criterion code: status}
FINDINGS = {
    1: {"12": "compliant", "19": "non_compliant", "18": "compliant", "6": "compliant",
        "8": "compliant"},
    2: {"12": "compliant", "19": "non_compliant", "18": "compliant", "6": "non_compliant",
        "8": "not_assessed"},
}


@pytest.fixture
def bfc(ws):
    """Two published BFC cycles of factory A (2023 and March 2024)."""
    source = f.source(publisher="Better Factories Cambodia", title="Transparency reports")
    criteria = {code: f.criterion(code, text=text, src=source) for code, text in CRITERIA.items()}
    for cycle, day in ((1, date(2023, 3, 1)), (2, date(2024, 3, 1))):
        a = Assessment.objects.create(facility=ws.a, cycle=cycle, assessed_on=day, source=source)
        for code, status in FINDINGS[cycle].items():
            Finding.objects.create(assessment=a, criterion=criteria[code], status=status,
                                   source=source, citation=f"cycle {cycle}, CI {code}")
    return criteria


def _issue(ws, topic, found, union=None, by=None, **kw):
    return create_issue(union or ws.union, ws.a, by=by or ws.rep, found_on=found,
                        title=f"{topic} {found}", topic=topic, **kw)


def _resolve(ws, issue, on):
    for status, note in (("raised", "PICC"), ("responded", "will fix"), ("resolved", "fixed")):
        transition(issue, status, by=ws.rep, on=on, note=note, today=TODAY)


def _keys(found):
    return [(d.rule.code, d.criterion.code if d.criterion else d.topic or d.company.name,
             len(d.issues), len(d.cases)) for d in found]


def test_exact_discrepancies_and_none_where_they_agree(ws, bfc):
    for day in (date(2024, 4, 10), date(2024, 6, 1), date(2024, 9, 1)):
        cases.create_case(ws.union, ws.a, by=ws.rep, kind="union_busting",
                          title="Leader dismissed", opened_on=day)
    _issue(ws, "wages", date(2024, 5, 1))          # BFC non-compliant too: they agree
    _issue(ws, "harassment", date(2024, 5, 1))     # BFC non-compliant in cycle 2: agree
    water = _issue(ws, "drinking_water", date(2023, 10, 1))
    _resolve(ws, water, date(2023, 12, 1))         # fixed before cycle 2: agrees with it
    _issue(ws, "heat_stress", date(2024, 4, 2))    # BFC publishes nothing on heat
    hot = _issue(ws, "ventilation", date(2024, 1, 5))
    _resolve(ws, hot, date(2024, 2, 1))            # resolved: no gap left

    found = find_discrepancies([ws.a], user=ws.rep, today=TODAY)
    assert _keys(found) == [("compliant-vs-union", "12", 0, 3),
                            ("not-published", "heat_stress", 1, 0)]
    contradiction = found[0]
    assert contradiction.finding.assessment.cycle == 2
    assert contradiction.since == date(2024, 4, 10)
    assert contradiction.sentence() == (
        "BFC 2024: compliant on “No management interference with union”; union: 3 "
        "documented cases since April 2024.")
    assert found[1].sentence() == ("BFC publishes no finding on heat stress; union: 1 "
                                   "documented issue since April 2024.")


def test_a_factory_whose_sides_agree_has_no_discrepancy(ws, bfc):
    _issue(ws, "wages", date(2024, 5, 1))
    _issue(ws, "harassment", date(2024, 5, 1))
    assert find_discrepancies([ws.a], user=ws.rep, today=TODAY) == []
    assert find_discrepancies([ws.b], user=ws.rep, today=TODAY) == []  # no findings, nothing


def test_evidence_of_the_earlier_period_against_the_earlier_cycle_is_not_reused(ws, bfc):
    # found and resolved within cycle 1's period, while cycle 2 says compliant: cycle 2 is
    # the published finding, and the issue was closed before it began
    old = _issue(ws, "union_interference", date(2023, 5, 1))
    _resolve(ws, old, date(2023, 8, 1))
    assert find_discrepancies([ws.a], user=ws.rep, today=TODAY) == []
    # an issue found in 2023 and still open when cycle 2 was assessed: it counts
    _issue(ws, "union_interference", date(2023, 11, 1))
    found = find_discrepancies([ws.a], user=ws.rep, today=TODAY)
    assert _keys(found) == [("compliant-vs-union", "12", 1, 0)]


def test_an_issue_linked_to_a_criterion_counts_only_there(ws, bfc):
    _issue(ws, "other", date(2024, 5, 1), criterion=bfc["18"])
    assert _keys(find_discrepancies([ws.a], user=ws.rep, today=TODAY)) == [
        ("compliant-vs-union", "18", 1, 0)]


def test_only_evidence_the_reader_reads(ws, bfc):
    _issue(ws, "union_interference", date(2024, 5, 1), union=ws.rival, by=ws.rival_rep)
    assert find_discrepancies([ws.a], user=ws.rep, today=TODAY) == []
    assert find_discrepancies([ws.a], user=ws.brand, today=TODAY) == []
    assert _keys(find_discrepancies([ws.a], user=ws.rival_rep, today=TODAY)) == [
        ("compliant-vs-union", "12", 1, 0)]
    everyone = find_discrepancies([ws.a], all_evidence=True, today=TODAY)
    assert _keys(everyone) == [("compliant-vs-union", "12", 1, 0)]
    public = everyone[0].as_dict(records=False)
    assert public["union"]["issues"] == 1 and "records" not in public["union"]
    assert public["official"]["source"]["publisher"] == "Better Factories Cambodia"
    assert public["official"]["citation"] == "cycle 2, CI 12"


def test_a_brand_with_a_foa_policy_sourcing_from_a_factory_with_open_foa_cases(ws, bfc):
    cases.create_case(ws.union, ws.a, by=ws.rep, kind="union_busting", title="Founder fired",
                      opened_on=date(2025, 2, 1))
    policy = f.metric("has_foa_policy", topic="foa", value_type="category",
                      subject="company")
    other = f.company(ws.public, name="Brand Y")
    old = f.company(ws.public, name="Brand Z")
    for company, value in ((ws.brand_co, "Yes"), (other, "No"), (old, "Yes")):
        Datapoint.objects.create(metric=policy, company=company, year=2024, value_text=value,
                                 source=ws.public, citation="answer 1")
    Relationship.objects.filter(subject=ws.brand_co).update(year_start=2023, year_end=2025)
    Relationship.objects.create(subject=other, kind="sources_from", facility=ws.a,
                                source=ws.public, year_start=2025)
    Relationship.objects.create(subject=old, kind="sources_from", facility=ws.a,
                                source=ws.public, year_start=2018, year_end=2019)
    found = [d for d in find_discrepancies([ws.a], user=ws.rep, today=TODAY)
             if d.rule.kind == "commitment"]
    assert [(d.company.name, len(d.cases)) for d in found] == [("Brand X", 1)]
    assert found[0].commitment.value_text == "Yes"
    assert found[0].as_dict()["commitment"]["source"]["title"] == ws.public.title
    cases.close_case(found[0].cases[0], "settled", on=date(2025, 3, 1))
    assert not [d for d in find_discrepancies([ws.a], user=ws.rep, today=TODAY)
                if d.rule.kind == "commitment"]


def test_sentences_in_khmer(ws, bfc):
    bfc["12"].text_km = "គ្មានការជ្រៀតជ្រែកពីថ្នាក់គ្រប់គ្រងលើសហជីព"
    bfc["12"].save()
    cases.create_case(ws.union, ws.a, by=ws.rep, kind="union_busting", title="x",
                      opened_on=date(2024, 4, 10))
    with translation.override("km"):
        sentence = find_discrepancies([ws.a], user=ws.rep, today=TODAY)[0].sentence()
    assert "គ្មានការជ្រៀតជ្រែកពីថ្នាក់គ្រប់គ្រងលើសហជីព" in sentence and "BFC 2024" in sentence
