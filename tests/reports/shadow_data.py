"""Union evidence with a distinctive word (``ZQX``) in every field that names something or
someone, beside published BFC findings, for the shadow-report and discrepancy tests."""

from datetime import date

from shopfloor.evidence import cases, meetings
from shopfloor.evidence.workflow import create_issue, transition
from shopfloor.models import Assessment, FacilityRecord, Finding, Source, Watchlist
from tests import factories as f

TODAY = date(2025, 6, 30)
SECRET = "ZQX"


def build(ws):
    """Factory A: BFC 2024 compliant on 12 (union interference) and 19 (wages); the union's
    dismissal case and wage issue contradict them, a heat issue affecting 4 women and 40
    men is a gap. Everything that names something or someone says ZQX."""
    bfc = f.source(publisher="Better Factories Cambodia", title="Transparency reports",
                   url="https://betterwork.org/transparency", licence="")
    crit = {c: f.criterion(c, text=t, src=bfc) for c, t in (
        ("12", "No management interference with union"),
        ("19", "Correctly paid minimum wages"))}
    a = Assessment.objects.create(facility=ws.a, cycle=2, assessed_on=date(2024, 3, 1),
                                  source=bfc)
    for c in crit.values():
        Finding.objects.create(assessment=a, criterion=c, status="compliant", source=bfc,
                               citation=f"cycle 2, CI {c.code}")
    case = cases.create_case(ws.union, ws.a, by=ws.rep, kind="union_busting",
                             title=f"{SECRET}-CASE-TITLE Sokha fired",
                             description=f"{SECRET}-CASE-DESCRIPTION",
                             opened_on=date(2024, 4, 10), workers_female=1)
    cases.add_worker(case, sex="female", union_role="founder", name=f"{SECRET}-Chan Sokha")
    heat = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2024, 5, 2),
                        title=f"{SECRET}-HEAT-TITLE", topic="heat_stress",
                        description=f"{SECRET}-HEAT-DESCRIPTION", workers_female=4,
                        workers_male=40)
    transition(heat, "raised", by=ws.rep, on=date(2024, 5, 20), note=f"{SECRET}-NOTE",
               today=TODAY)
    create_issue(ws.rival, ws.a, by=ws.rival_rep, found_on=date(2024, 6, 1),
                 title=f"{SECRET}-WAGE-TITLE", topic="wages", criterion=crit["19"])
    meeting = meetings.schedule(ws.union, ws.a, first=date(2024, 7, 1), by=ws.rep)[0]
    meetings.add_promise(meeting, text=f"{SECRET}-PROMISE", due_on=date(2024, 9, 1))
    create_issue(ws.union, ws.b, by=ws.union_admin, found_on=date(2024, 5, 2),
                 title=f"{SECRET}-B-TITLE", topic="toilet_breaks")
    return ws


def watchlist(ws) -> Watchlist:
    """Union A's list of factories A and B."""
    source = f.source(title="Our list", organisation=ws.union,
                      visibility=Source.Visibility.ORGANISATION)
    for n, fac in enumerate((ws.a, ws.b), start=2):
        FacilityRecord.objects.create(source=source, row_number=n, name=fac.name,
                                      country="KH", facility=fac, raw={},
                                      decision=FacilityRecord.Decision.CONFIRMED)
    return Watchlist.objects.create(name="Our factories", organisation=ws.union,
                                    source=source)
