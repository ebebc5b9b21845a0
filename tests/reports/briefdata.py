"""A factory with something in every part of a factory brief, on top of the ``ws`` fixture
(tests/conftest.py): identity with a Khmer name, two BFC cycles against other factories,
wages with both benchmarks, a buyer with commitments, the union's issues, promises and next
meeting, a case contradicting a published finding, and another union's evidence at the same
factory that must never show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from shopfloor.evidence import cases, meetings
from shopfloor.evidence.workflow import create_issue, transition
from shopfloor.models import Assessment, Datapoint, Finding, Metric, Relationship
from tests import factories as f

NAME_KM = "រោងចក្រកាត់ដេរ ផ្កាយព្រឹក"
UNION_KM = "សហជីពសេរីកម្មករផ្កាយព្រឹក"
CRITERION_KM = "គ្មានការជ្រៀតជ្រែករបស់ថ្នាក់គ្រប់គ្រងលើសហជីព"
ISSUE_KM = "ប្រធានក្រុមស្រែកជេរប្រមាថកម្មករ"
ISSUE_EN = "Management asks who joined the union"
RESOLVED = "Fans repaired on line 4"
RIVAL_ISSUE = "Rival union's secret grievance"
PROMISE_OVERDUE = "Stop recording toilet breaks"
PROMISE_LATER = "Review the five contracts"


def build(ws) -> SimpleNamespace:
    today = timezone.localdate()
    d = SimpleNamespace(today=today)
    a = ws.a
    a.name_km, a.address, a.province = NAME_KM, "National Road 1, Km 24", "Svay Rieng"
    a.os_id, a.bfc_id = "KH2022128P91MF7", "BFC-0001"
    a.save()
    ws.union.name_km = UNION_KM
    ws.union.save()

    # BFC: two cycles at A, one at a peer factory in the same province
    d.bfc = f.source(publisher="Better Factories Cambodia", title="Transparency reports",
                     url="https://betterwork.org/transparency", licence="ILO terms")
    d.crit12 = f.criterion("12", src=d.bfc, text_km=CRITERION_KM)
    d.crit18 = f.criterion("18", src=d.bfc, text="Clean and sufficient drinking water")
    peer = f.facility(ws.public, name="Peer Garment", province="Svay Rieng")
    for fac, cycles in ((a, ((1, "2023-03-01", "compliant", "non_compliant"),
                             (2, "2024-03-01", "compliant", "compliant"))),
                        (peer, ((1, "2024-02-01", "non_compliant", "compliant"),))):
        for cycle, day, s12, s18 in cycles:
            assessment = Assessment.objects.create(
                facility=fac, cycle=cycle, assessed_on=dt.date.fromisoformat(day),
                source=d.bfc)
            for crit, status in ((d.crit12, s12), (d.crit18, s18)):
                Finding.objects.create(assessment=assessment, criterion=crit, status=status,
                                       source=d.bfc, citation=f"cycle {cycle}")

    # wages against the benchmarks, and the workforce
    d.survey = f.source(publisher="Wage survey", title="Worker wage survey 2024")
    d.benchmarks = f.source(publisher="Ministry of Labour", title="Minimum wage table")
    wage = f.metric("avg_monthly_wage_usd", topic=Metric.Topic.WAGES,
                    value_type=Metric.ValueType.MONEY, unit="USD/month", subject="facility")
    minimum = f.metric("minimum_wage_monthly", topic=Metric.Topic.WAGES,
                       value_type=Metric.ValueType.MONEY, unit="USD/month", subject="country")
    living = f.metric("living_wage_benchmark_monthly", topic=Metric.Topic.WAGES,
                      value_type=Metric.ValueType.MONEY, unit="USD/month", subject="country")
    Datapoint.objects.create(metric=wage, facility=a, year=2024, value_number=Decimal("219.95"),
                             source=d.survey, citation="row 3")
    Datapoint.objects.create(metric=minimum, country="KH", year=2024,
                             value_number=Decimal(204), source=d.benchmarks, citation="2024")
    Datapoint.objects.create(metric=living, country="KH", year=2024,
                             value_number=Decimal(423), source=d.benchmarks, citation="2024")
    Datapoint.objects.create(metric=f.metric("workers_total"), facility=a, year=2024,
                             value_number=1098, source=d.survey, citation="row 3")

    # the buyer (ws: Brand X sources from A since 2023) and its commitments
    d.brand_list = f.source(publisher="Brand X", title="Brand X supplier list 2025")
    Relationship.objects.create(subject=ws.brand_co, kind="sources_from", facility=a,
                                source=d.brand_list, citation="row 9", year_start=2025)
    d.scores = f.source(publisher="Wikirate", title="Brand commitments")
    foa = f.metric("has_foa_policy", topic=Metric.Topic.FOA, value_type="category",
                   subject="company")
    Datapoint.objects.create(metric=foa, company=ws.brand_co, year=today.year,
                             value_text="yes", source=d.scores, citation="answer 1")

    # the union's evidence at A
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    d.issue_km = create_issue(ws.union, a, by=ws.rep, found_on=ago(90), title=ISSUE_KM,
                              topic="verbal_abuse", workers_female=35, workers_male=4)
    d.issue_en = create_issue(ws.union, a, by=ws.rep, found_on=ago(80), title=ISSUE_EN,
                              topic="union_interference", criterion=d.crit12,
                              workers_female=14, workers_male=3)
    d.resolved = create_issue(ws.union, a, by=ws.rep, found_on=ago(200), title=RESOLVED,
                              topic="heat_stress")
    held = meetings.schedule(ws.union, a, first=ago(60), by=ws.rep)[0]
    meetings.record_meeting(held, held_on=ago(60), by=ws.rep, raised=[d.issue_km, d.resolved])
    for status, note in (("responded", "will fix"), ("resolved", "fixed")):
        transition(d.resolved, status, by=ws.rep, on=ago(55), note=note)
    d.promise_overdue = meetings.add_promise(held, text=PROMISE_OVERDUE, due_on=ago(30),
                                             issue=d.issue_km)
    d.promise_later = meetings.add_promise(held, text=PROMISE_LATER, due_on=today + dt.timedelta(
        days=30))
    d.next_meeting = meetings.schedule(ws.union, a, first=today + dt.timedelta(days=21),
                                       by=ws.rep)[0]
    d.case = cases.create_case(ws.union, a, by=ws.rep, kind="union_busting",
                               title="Founder dismissed", opened_on=ago(100))
    # another union at the same factory: never in Union A's brief
    d.rival_issue = create_issue(ws.rival, a, by=ws.rival_rep, found_on=ago(70),
                                 title=RIVAL_ISSUE, topic="drinking_water")
    return d
