"""The fictional union workspace of the demo: issues, PICC meetings, cases, membership,
an agreement, NSSF counts, heat readings and photos.

Everything is drawn from one seed. Its dates are counted back from the day it is loaded, so
that the demo always has an upcoming meeting, overdue promises and an agreement about to
expire (two loads on the same day are identical). Photos are drawn here, with a fictional
GPS position in their EXIF, so the vault shows what it removes from shared copies.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from shopfloor.demo.load import LAST_YEAR
from shopfloor.evidence import cases as case_lib
from shopfloor.evidence import meetings, vault, workflow
from shopfloor.evidence.meetings import add_months
from shopfloor.models import (
    CollectiveAgreement,
    Criterion,
    EvidenceFile,
    HeatReading,
    MembershipCount,
    MonitoringIssue,
    NssfCount,
    Organisation,
    PiccMeeting,
)

#: A fictional spot in Phnom Penh put in the demo photos' EXIF (removed from every copy).
DEMO_GPS = {1: "N", 2: (11.0, 32.0, 41.0), 3: "E", 4: (104.0, 50.0, 22.0)}


@dataclass(frozen=True)
class _Issue:
    topic: str
    criterion: str | None
    title: str
    description: str
    women: int | None
    men: int | None
    path: str  # "resolved", "promised", "escalated", "new", "partly"


#: Issues of the rep's union at its first factory (titles as union leaders write them).
ISSUES = [
    _Issue("heat_stress", None, "គ្មានកង្ហារនៅខ្សែដេរលេខ៤",
           "Line 4 has no working fans since the roof was repaired; workers measured 36 °C "
           "at 2 pm and two women fainted in one week.", 52, 6, "resolved"),
    _Issue("drinking_water", "18", "ទឹកផឹកមិនស្អាត",
           "The water tank near the canteen is not cleaned; the water smells and workers buy "
           "their own.", 310, 40, "resolved"),
    _Issue("toilet_breaks", None, "Toilet breaks counted and punished",
           "Line leaders write down every toilet break; more than two a day is deducted from "
           "the attendance bonus.", 120, 8, "promised"),
    _Issue("verbal_abuse", None, "ប្រធានក្រុមស្រែកជេរប្រមាថកម្មករ",
           "The supervisor of the finishing section insults workers who do not reach the "
           "target.", 35, 4, "escalated"),
    _Issue("union_interference", "12", "Management asks who joined the union",
           "HR called workers one by one after the union registered and asked whether they "
           "had joined.", 14, 3, "escalated"),
    _Issue("fdc_renewals", "21", "FDC contracts of union members not renewed",
           "Five members on fixed-duration contracts were told their contracts end this "
           "month; non-members were renewed.", 3, 2, "promised"),
    _Issue("overtime", "20", "Overtime paid at the normal rate",
           "Sunday overtime in March was paid at the normal hourly rate.", 200, 30, "partly"),
    _Issue("excessive_targets", None, "Production targets raised without notice",
           "The target for polo shirts went from 80 to 95 pieces an hour on line 2.", 45, 5,
           "new"),
]

#: Fewer issues for the other factory unions of the demo.
OTHER_ISSUES = [
    _Issue("ventilation", None, "ខ្យល់ក្តៅនៅផ្នែកអ៊ុត",
           "The ironing section has no extraction; steam and heat all afternoon.", 22, 3,
           "promised"),
    _Issue("safety", "15", "Emergency exit locked during the night shift",
           "The exit behind the cutting room was padlocked on two nights.", None, None,
           "resolved"),
    _Issue("wages", "19", "Piece rate below the minimum wage",
           "New workers on piece rate earned less than the minimum wage in their first month.",
           18, 1, "new"),
]

PROMISE_TEXTS = {
    "heat_stress": "Install 20 fans on line 4 and repair the roof vents",
    "drinking_water": "Clean the water tank every month and test the water",
    "toilet_breaks": "Stop recording toilet breaks and pay back the deducted bonuses",
    "fdc_renewals": "Review the five contracts and reply in writing",
    "ventilation": "Put extraction fans in the ironing section",
    "safety": "Keep every exit unlocked on all shifts",
    "overtime": "Pay the difference for Sunday overtime in March",
}


def _photo(rng: random.Random, caption: str, after: bool) -> bytes:
    """A drawn stand-in for a phone photo, with a fictional GPS position in its EXIF."""
    from PIL import Image, ImageDraw

    colour = (70, 150, 80) if after else (170, 70, 50)
    image = Image.new("RGB", (640, 480), (225, 225, 215))
    draw = ImageDraw.Draw(image)
    for i in range(6):  # a row of sewing machines
        x = 30 + i * 100
        draw.rectangle([x, 260, x + 70, 330], fill=(90, 90, 100))
        draw.rectangle([x + 10, 230, x + 60, 260], fill=(120, 120, 130))
    draw.rectangle([0, 0, 640, 60], fill=colour)
    draw.text((16, 20), f"{'AFTER' if after else 'BEFORE'}: {caption}", fill=(255, 255, 255))
    draw.text((16, 440), "Fictional demo photo", fill=(60, 60, 60))
    for _ in range(30):
        x, y = rng.randrange(640), rng.randrange(70, 220)
        draw.ellipse([x, y, x + 6, y + 6], fill=(200, 200, 190))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "DemoPhone", "DP-1"
    exif.get_ifd(0x8825).update(DEMO_GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


class WorkspaceBuilder:
    """Writes the demo workspace for the demo's factory unions."""

    def __init__(self, seed: int, unions: list[Organisation], rep, brands, today=None):
        self.rng = random.Random(f"{seed}:workspace")
        self.unions, self.rep, self.brands = unions, rep, brands
        self.today = today or timezone.localdate()
        self.criteria = {c.code: c for c in Criterion.objects.filter(programme="BFC")}
        self.counts: dict[str, int] = {}

    def _count(self, label: str, n: int = 1) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def run(self) -> dict[str, int]:
        first = self.unions[0]
        facilities = list(first.facilities.order_by("pk"))
        self._factory(first, facilities[0], ISSUES, rich=True)
        if len(facilities) > 1:
            self._factory(first, facilities[1], OTHER_ISSUES[:2], rich=False)
        for union in self.unions[1:]:
            for facility in union.facilities.order_by("pk")[:1]:
                self._factory(union, facility, self.rng.sample(OTHER_ISSUES, 2), rich=False)
        self.counts["evidence files"] = EvidenceFile.objects.filter(is_demo=True).count()
        return self.counts

    # -- one union at one factory ------------------------------------------------------
    def _factory(self, union, facility, issues: list[_Issue], *, rich: bool) -> None:
        by = self.rep if union == self.unions[0] else None
        # meetings every two months, the last five held, the next one three weeks away
        held = [add_months(self.today, -2 * k) - dt.timedelta(days=5) for k in (5, 4, 3, 2, 1)]
        planned = meetings.schedule(union, facility, first=held[0], count=len(held), by=by,
                                    is_demo=True)
        upcoming = meetings.schedule(union, facility,
                                     first=self.today + dt.timedelta(days=21), by=by,
                                     is_demo=True)[0]
        self._count("PICC meetings", len(planned) + 1)
        recorded = []
        for i, spec in enumerate(issues):
            found = held[0] - dt.timedelta(days=20 - i * 3) if spec.path != "new" else (
                held[-1] + dt.timedelta(days=7))
            issue = workflow.create_issue(
                union, facility, by=by, found_on=found, title=spec.title, topic=spec.topic,
                description=spec.description, criterion=self.criteria.get(spec.criterion),
                workers_female=spec.women, workers_male=spec.men, is_demo=True)
            self._count("monitoring issues")
            recorded.append((issue, spec))
            if rich and i < 4:
                self._attach_photo(issue, spec, after=False, on=found)
        for k, meeting in enumerate(planned):
            raised = [issue for issue, spec in recorded if spec.path != "new"
                      and (k == 0 or workflow.is_open(issue))]
            meetings.record_meeting(
                meeting, held_on=meeting.scheduled_for, by=by, today=self.today,
                minutes=("Union and management met with the BFC advisor. Each open issue was "
                         "read out; management answered on each." if raised else ""),
                raised=raised if k == 0 else [])
            for issue, spec in recorded:
                self._advance(issue, spec, k, meeting, by)
        meetings.agenda(upcoming)  # (computed on the page; nothing to store)
        if rich:
            self._cases(union, facility, by, held)
            self._organising(union, facility, by, counted_workforce=False)
            self._heat(union, facility, by, n=14)
        else:
            self._organising(union, facility, by, counted_workforce=True)
            self._heat(union, facility, by, n=3)

    def _advance(self, issue, spec: _Issue, k: int, meeting: PiccMeeting, by) -> None:
        """Move an issue along its path at the k-th meeting."""
        on = meeting.scheduled_for
        step = lambda status, note="", photo=False: self._step(  # noqa: E731
            issue, spec, status, on, note, meeting, by, photo)
        if spec.path == "new":
            return
        if k == 0:
            step("responded", "Management said it will look into it and answer at the next "
                              "meeting.")
            if spec.topic in PROMISE_TEXTS:
                meetings.add_promise(meeting, text=PROMISE_TEXTS[spec.topic],
                                     due_on=on + dt.timedelta(days=30), issue=issue)
        elif k == 1 and spec.path in ("resolved", "partly"):
            step("in_remediation", "Work started: the contractor came on Saturday.")
            for promise in issue.promises.filter(outcome="open"):
                meetings.close_promise(promise, "kept", on=on)
        elif k == 2 and spec.path == "resolved":
            step("resolved", "Fixed and checked by the union: " + {
                "heat_stress": "20 fans work on line 4; 31 °C measured at 2 pm.",
                "drinking_water": "tank cleaned, filter fitted, monthly test posted.",
                "safety": "every exit open on night shifts for a month.",
            }.get(spec.topic, "confirmed by the workers."), photo=True)
        elif k == 2 and spec.path == "partly":
            step("partly_resolved", "Half of the difference paid; night-shift workers still "
                                    "waiting.")
        elif k == 1 and spec.path == "escalated":
            step("unresolved", "Management denies it; the supervisor is still there.")
        elif k == 2 and spec.path == "escalated":
            step("escalated", "Reported to the federation and to the buyer's CSR team.")

    def _step(self, issue, spec, status, on, note, meeting, by, photo) -> None:
        if status not in workflow.allowed_moves(issue):
            return
        workflow.transition(issue, status, by=by, on=on, note=note, meeting=meeting,
                            today=self.today)
        if photo:
            self._attach_photo(issue, spec, after=True, on=on)

    def _attach_photo(self, issue, spec: _Issue, *, after: bool, on) -> None:
        data = _photo(self.rng, spec.topic.replace("_", " "), after)
        upload = io.BytesIO(data)
        upload.name = f"IMG_{on:%Y%m%d}_{self.rng.randrange(100000, 999999)}.jpg"
        stored, _created = vault.add_file(
            issue.organisation, issue.facility, upload, by=issue.created_by, is_demo=True,
            caption=("After: " if after else "Before: ") + spec.topic.replace("_", " "))
        vault.attach(stored, issue=issue, stage="after" if after else "before",
                     by=issue.created_by)

    # -- cases, organising, heat -------------------------------------------------------
    def _cases(self, union, facility, by, held: list[dt.date]) -> None:
        tulpwear = next((b.obj for b in self.brands if b.name == "Tulpwear"), None)
        # the union-busting case happened in the last year the demo's buyers' lists cover,
        # so a leverage pack for it names the brands sourcing from the factory then
        start = min(dt.date(LAST_YEAR, 3, 4), held[0])
        busting = case_lib.create_case(
            union, facility, by=by, kind="union_busting", is_demo=True,
            title="Union president and vice-president dismissed",
            description="Both were dismissed a week after the union's registration was "
                        "announced, for 'poor performance'. Neither had a warning before.",
            opened_on=start, workers_female=2, workers_male=0)
        for role in ("founder", "leader"):
            case_lib.add_worker(busting, sex="female", union_role=role, dismissed_on=start)
        for days, body, kw in ((4, "molvt", {"reference": "MoLVT complaint 88/DLD"}),
                               (18, "arbitration_council", {"reference": "AC 215/25"}),
                               (21, "buyer", {"company": tulpwear,
                                              "body_name": "" if tulpwear else "Tulpwear"}),
                               (25, "global_union", {"body_name": "IndustriALL"})):
            case_lib.escalate(busting, body=body, on=start + dt.timedelta(days=days), **kw)
        case_lib.record_outcome(busting, kind="reinstatement", workers=2,
                                on=start + dt.timedelta(days=60),
                                confirmed_by_worker_on=start + dt.timedelta(days=62))
        case_lib.record_outcome(busting, kind="back_pay", amount=Decimal("640.00"),
                                currency="USD", workers=2, on=start + dt.timedelta(days=75),
                                confirmed_by_worker_on=start + dt.timedelta(days=80))
        case_lib.close_case(busting, "settled", on=start + dt.timedelta(days=80))
        letter = io.BytesIO(_photo(self.rng, "dismissal letter", after=False))
        letter.name = f"IMG_{start:%Y%m%d}_letter.jpg"
        stored, _created = vault.add_file(union, facility, letter, by=by, is_demo=True,
                                          caption="Photo of the dismissal letter")
        vault.attach(stored, case=busting, stage="other", by=by)
        fdc = case_lib.create_case(
            union, facility, by=by, kind="fdc_non_renewal", is_demo=True,
            title="Five union members' contracts not renewed",
            opened_on=held[2], workers_female=3, workers_male=2)
        for sex in ("female", "female", "female", "male", "male"):
            case_lib.add_worker(fdc, sex=sex, union_role="member", dismissed_on=held[2])
        case_lib.escalate(fdc, body="bfc", on=held[2] + dt.timedelta(days=6),
                          note="Complaint to the BFC advisor before the next PICC.")
        bonus = case_lib.create_case(
            union, facility, by=by, kind="unpaid_wages", is_demo=True,
            title="Seniority bonus not paid after the new contracts",
            opened_on=held[3], workers_female=41, workers_male=7)
        case_lib.record_outcome(bonus, kind="compensation", amount=Decimal("1200000"),
                                currency="KHR", workers=12, on=held[4],
                                note="First twelve workers paid; the others are promised.")
        self._count("cases", 3)

    def _organising(self, union, facility, by, *, counted_workforce: bool) -> None:
        rng = self.rng
        workforce = rng.randrange(900, 2400)
        members = rng.randrange(120, 260)
        for quarter in range(8, -1, -1):
            on = add_months(self.today, -3 * quarter) - dt.timedelta(days=10)
            members += rng.randrange(10, 45)
            women = round(members * rng.uniform(0.78, 0.88))
            MembershipCount.objects.create(
                organisation=union, facility=facility, created_by=by, counted_on=on,
                members_female=women, members_male=members - women,
                dues_payers=round(members * rng.uniform(0.7, 0.85)),
                workforce=workforce if counted_workforce else None, is_demo=True)
            self._count("membership counts")
        if not counted_workforce:
            CollectiveAgreement.objects.create(
                organisation=union, facility=facility, created_by=by, is_demo=True,
                title="Collective agreement on heat, leave and the attendance bonus",
                signed_on=add_months(self.today, -22),
                expires_on=self.today + dt.timedelta(days=60),
                covered_female=round(workforce * 0.8), covered_male=round(workforce * 0.15),
                clauses=["heat", "gender", "wages", "grievance"],
                summary="Fans and cool drinking water on every line from March to June; "
                        "attendance bonus kept during maternity leave; a grievance procedure "
                        "with answers within seven days.")
            self._count("collective agreements")
        for months in (12, 1):
            enrolled = round(workforce * rng.uniform(0.6, 0.9))
            women = round(enrolled * 0.82)
            NssfCount.objects.create(
                organisation=union, facility=facility, created_by=by, is_demo=True,
                counted_on=add_months(self.today, -months), enrolled_female=women,
                enrolled_male=enrolled - women, workforce=workforce)
            self._count("NSSF counts")

    def _heat(self, union, facility, by, *, n: int) -> None:
        rng = self.rng
        places = ["sewing line 2", "sewing line 4", "ironing section", "cutting room",
                  "packing"]
        for i in range(n):
            day = add_months(self.today, -8) + dt.timedelta(days=i * 4)
            taken = timezone.make_aware(dt.datetime.combine(day, dt.time(13 + i % 3, 0)))
            HeatReading.objects.create(
                organisation=union, facility=facility, created_by=by, is_demo=True,
                taken_at=taken, place=places[i % len(places)],
                temperature_c=Decimal(str(round(rng.uniform(30.5, 37.5), 1))),
                humidity_pct=Decimal(str(round(rng.uniform(50, 78), 1))),
                instrument="Union thermometer-hygrometer (demo)")
            self._count("heat readings")


#: Workspace models holding demo rows, in the order they can be deleted.
DEMO_MODELS = (EvidenceFile, CollectiveAgreement, NssfCount, MembershipCount, HeatReading)


def clear_demo_workspace() -> None:
    """Delete the demo's workspace records (files from storage too)."""
    from shopfloor.models import Case, Submission, SurveyForm

    for model in (*DEMO_MODELS, Submission, Case, PiccMeeting, MonitoringIssue):
        model.objects.filter(is_demo=True).delete()
    SurveyForm.objects.filter(is_demo=True).delete()
