"""PICC schedule, agendas from open issues, overdue promises."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from shopfloor.evidence import meetings
from shopfloor.evidence.workflow import create_issue, transition
from shopfloor.models import IssueStatus, PiccMeeting, Promise

TODAY = date(2025, 12, 1)


def test_add_months_keeps_the_day_or_the_end_of_the_month():
    assert meetings.add_months(date(2025, 1, 15), 2) == date(2025, 3, 15)
    assert meetings.add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert meetings.add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)


def test_schedule_every_two_months_and_the_next_date(ws):
    planned = meetings.schedule(ws.union, ws.a, first=date(2025, 1, 15), count=3, by=ws.rep)
    assert [m.scheduled_for for m in planned] == [date(2025, 1, 15), date(2025, 3, 15),
                                                  date(2025, 5, 15)]
    assert meetings.next_meeting_date(ws.union, ws.a) == date(2025, 7, 15)
    # another union's meetings at the same factory do not count
    assert meetings.next_meeting_date(ws.rival, ws.a, today=TODAY) == TODAY
    with pytest.raises(ValidationError):
        meetings.schedule(ws.union, ws.a, first=date(2025, 1, 15), count=0, by=ws.rep)


@pytest.fixture
def three_issues(ws):
    heat = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 5), title="Heat",
                        topic="heat_stress")
    water = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 6),
                         title="Dirty water", topic="drinking_water")
    toilets = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 4, 1),
                           title="Toilet breaks counted", topic="toilet_breaks")
    return heat, water, toilets


def test_agenda_from_open_issues_with_overdue_promises_first(ws, three_issues):
    heat, water, toilets = three_issues
    jan, mar, may = meetings.schedule(ws.union, ws.a, first=date(2025, 1, 20), count=3,
                                      by=ws.rep)
    elsewhere = create_issue(ws.union, ws.b, by=ws.rep, found_on=date(2025, 1, 5),
                             title="At B", topic="wages")
    rival = create_issue(ws.rival, ws.a, by=ws.rival_rep, found_on=date(2025, 1, 5),
                         title="Rival's", topic="wages")
    assert [i.issue for i in meetings.agenda(jan).items] == [heat, water]  # not yet found: toilets

    meetings.record_meeting(jan, held_on=date(2025, 1, 20), by=ws.rep, minutes="ok",
                            raised=[heat, water], today=TODAY)
    heat.refresh_from_db()
    assert heat.status == IssueStatus.RAISED
    late = meetings.add_promise(jan, text="Install 20 fans", due_on=date(2025, 2, 28),
                                issue=heat)
    meetings.add_promise(jan, text="Clean the water tank", due_on=date(2025, 5, 30),
                         issue=water)
    loose = meetings.add_promise(jan, text="Share the overtime schedule",
                                 due_on=date(2025, 2, 1))
    kept = meetings.add_promise(jan, text="Repair exit door", due_on=date(2025, 2, 1))
    meetings.close_promise(kept, Promise.Outcome.KEPT, on=date(2025, 1, 30))

    agenda = meetings.agenda(mar)
    items = {i.issue: i for i in agenda.items}
    assert set(items) == {heat, water}  # toilets were found after March's meeting
    assert agenda.items[0].issue == heat and agenda.items[0].overdue
    assert not items[water].overdue and items[water].promises  # due later: listed, not flagged
    assert agenda.overdue_promises == [loose]
    assert set(agenda.overdue) == {late, loose}
    assert elsewhere not in items and rival not in items

    later = meetings.agenda(may)
    assert {i.issue for i in later.items} == {heat, water, toilets}


def test_resolved_issues_leave_the_agenda(ws, three_issues):
    heat, water, _ = three_issues
    meeting = meetings.schedule(ws.union, ws.a, first=date(2025, 2, 1), by=ws.rep)[0]
    transition(heat, IssueStatus.RAISED, by=ws.rep, on=date(2025, 1, 10), note="HR",
               today=TODAY)
    transition(heat, IssueStatus.RESPONDED, by=ws.rep, on=date(2025, 1, 11), note="ok",
               today=TODAY)
    transition(heat, IssueStatus.RESOLVED, by=ws.rep, on=date(2025, 1, 12), note="fans",
               today=TODAY)
    assert [i.issue for i in meetings.agenda(meeting).items] == [water]


def test_recording_a_meeting_raises_or_follows_up(ws, three_issues):
    heat, water, _ = three_issues
    transition(water, IssueStatus.RAISED, by=ws.rep, on=date(2025, 1, 10), note="HR",
               today=TODAY)
    transition(water, IssueStatus.RESPONDED, by=ws.rep, on=date(2025, 1, 11), note="soon",
               today=TODAY)
    meeting = meetings.schedule(ws.union, ws.a, first=date(2025, 3, 1), by=ws.rep)[0]
    events = meetings.record_meeting(meeting, held_on=date(2025, 3, 3), by=ws.rep,
                                     minutes="Both discussed", raised=[heat, water],
                                     today=TODAY)
    meeting.refresh_from_db()
    assert meeting.status == PiccMeeting.Status.HELD and meeting.held_on == date(2025, 3, 3)
    assert [(e.from_status, e.to_status) for e in events] == [
        ("documented", "raised"), ("responded", "responded")]
    assert all(e.meeting == meeting for e in events)


def test_a_meeting_is_not_held_in_the_future_and_promises_follow_it(ws):
    meeting = meetings.schedule(ws.union, ws.a, first=date(2025, 3, 1), by=ws.rep)[0]
    with pytest.raises(ValidationError):
        meetings.record_meeting(meeting, held_on=date(2026, 1, 1), by=ws.rep, today=TODAY)
    meeting.refresh_from_db()
    assert meeting.status == PiccMeeting.Status.SCHEDULED
    with pytest.raises(ValidationError):
        meetings.add_promise(meeting, text="x", due_on=date(2025, 2, 1))


def test_overdue_promises_of_one_union_at_one_factory(ws):
    meeting = meetings.schedule(ws.union, ws.a, first=date(2025, 3, 1), by=ws.rep)[0]
    due = meetings.add_promise(meeting, text="Fans", due_on=date(2025, 4, 1))
    meetings.add_promise(meeting, text="Later", due_on=date(2026, 4, 1))
    assert meetings.overdue_promises(ws.union, ws.a, on=TODAY) == [due]
    assert meetings.overdue_promises(ws.union, ws.a, on=date(2025, 4, 1)) == []
    assert meetings.overdue_promises(ws.rival, ws.a, on=TODAY) == []
    meetings.close_promise(due, Promise.Outcome.NOT_KEPT, on=date(2025, 4, 2))
    assert meetings.overdue_promises(ws.union, ws.a, on=TODAY) == []
