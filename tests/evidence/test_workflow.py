"""The status workflow of monitoring issues."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError

from shopfloor.evidence import workflow
from shopfloor.evidence.meetings import schedule
from shopfloor.evidence.workflow import WorkflowError, create_issue, transition
from shopfloor.models import IssueEvent, IssueStatus, MonitoringIssue

S = IssueStatus
TODAY = date(2025, 6, 30)


@pytest.fixture
def issue(ws):
    return create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 10),
                        title="No fans on sewing line 4", topic="heat_stress",
                        workers_female=40, workers_male=5)


def _history(issue):
    return list(issue.events.values_list("from_status", "to_status"))


def test_a_new_issue_is_documented_with_its_first_step(issue):
    assert issue.status == S.DOCUMENTED and issue.status_on == date(2025, 1, 10)
    assert _history(issue) == [("", S.DOCUMENTED)]
    assert issue.workers_total == 45


def test_the_whole_way_to_resolved(ws, issue):
    picc = schedule(ws.union, ws.a, first=date(2025, 2, 5), by=ws.rep)[0]
    transition(issue, S.RAISED, by=ws.rep, meeting=picc, today=TODAY)
    assert issue.status_on == date(2025, 2, 5)  # the meeting's date by default
    transition(issue, S.RESPONDED, by=ws.rep, on=date(2025, 2, 5),
               note="Management will buy 20 fans", today=TODAY)
    transition(issue, S.IN_REMEDIATION, by=ws.rep, on=date(2025, 3, 1), today=TODAY)
    transition(issue, S.RESOLVED, by=ws.rep, on=date(2025, 4, 2),
               note="20 fans installed on line 4; temperature down 3 °C", today=TODAY)
    issue.refresh_from_db()
    assert issue.status == S.RESOLVED and not workflow.is_open(issue)
    assert _history(issue) == [("", S.DOCUMENTED), (S.DOCUMENTED, S.RAISED),
                               (S.RAISED, S.RESPONDED), (S.RESPONDED, S.IN_REMEDIATION),
                               (S.IN_REMEDIATION, S.RESOLVED)]
    assert issue.events.get(to_status=S.RAISED).meeting == picc


@pytest.mark.parametrize("target", [S.RESOLVED, S.PARTLY_RESOLVED, S.IN_REMEDIATION,
                                    S.RESPONDED])
def test_no_skipping_from_documented(ws, issue, target):
    with pytest.raises(WorkflowError):
        transition(issue, target, by=ws.rep, on=date(2025, 2, 1), note="fixed", today=TODAY)
    issue.refresh_from_db()
    assert issue.status == S.DOCUMENTED and issue.events.count() == 1


def _to_responded(ws, issue):
    transition(issue, S.RAISED, by=ws.rep, on=date(2025, 2, 5), note="raised with HR",
               today=TODAY)
    transition(issue, S.RESPONDED, by=ws.rep, on=date(2025, 2, 6), note="will fix",
               today=TODAY)


@pytest.mark.parametrize("target", [S.RESOLVED, S.PARTLY_RESOLVED])
@pytest.mark.parametrize("note", ["", "   "])
def test_no_resolution_without_a_resolution_note(ws, issue, target, note):
    _to_responded(ws, issue)
    with pytest.raises(WorkflowError) as error:
        transition(issue, target, by=ws.rep, on=date(2025, 3, 1), note=note, today=TODAY)
    assert "resolution note" in str(error.value)
    issue.refresh_from_db()
    assert issue.status == S.RESPONDED and issue.events.count() == 3


def test_a_resolution_note_is_enough(ws, issue):
    _to_responded(ws, issue)
    event = transition(issue, S.RESOLVED, by=ws.rep, on=date(2025, 3, 1),
                       note="  Drinking water tank cleaned  ", today=TODAY)
    assert event.note == "Drinking water tank cleaned"


def test_dates_go_forward_and_not_into_the_future(ws, issue):
    with pytest.raises(WorkflowError):  # before it was found
        transition(issue, S.RAISED, by=ws.rep, on=date(2025, 1, 9), note="x", today=TODAY)
    with pytest.raises(WorkflowError):  # future
        transition(issue, S.RAISED, by=ws.rep, on=TODAY + timedelta(days=1), note="x",
                   today=TODAY)
    transition(issue, S.RAISED, by=ws.rep, on=date(2025, 3, 1), note="x", today=TODAY)
    with pytest.raises(WorkflowError):  # before the last step
        transition(issue, S.RESPONDED, by=ws.rep, on=date(2025, 2, 28), note="y",
                   today=TODAY)


def test_raising_needs_a_meeting_or_a_note(ws, issue):
    with pytest.raises(WorkflowError):
        transition(issue, S.RAISED, by=ws.rep, on=date(2025, 2, 1), today=TODAY)


def test_a_meeting_of_another_factory_or_union_is_refused(ws, issue):
    elsewhere = schedule(ws.union, ws.b, first=date(2025, 2, 1), by=ws.rep)[0]
    rivals = schedule(ws.rival, ws.a, first=date(2025, 2, 1), by=ws.rival_rep)[0]
    for meeting in (elsewhere, rivals):
        with pytest.raises(WorkflowError):
            transition(issue, S.RAISED, by=ws.rep, meeting=meeting, today=TODAY)


def test_a_follow_up_needs_a_note_and_keeps_the_status(ws, issue):
    with pytest.raises(WorkflowError):
        transition(issue, S.DOCUMENTED, by=ws.rep, on=date(2025, 1, 20), today=TODAY)
    transition(issue, S.DOCUMENTED, by=ws.rep, on=date(2025, 1, 20),
               note="Two more workers fainted", today=TODAY)
    assert issue.status == S.DOCUMENTED and issue.events.count() == 2


def test_resolved_can_only_be_reopened(ws, issue):
    _to_responded(ws, issue)
    transition(issue, S.RESOLVED, by=ws.rep, on=date(2025, 3, 1), note="done", today=TODAY)
    assert workflow.allowed_moves(issue) == (S.DOCUMENTED,)
    with pytest.raises(WorkflowError):
        transition(issue, S.ESCALATED, by=ws.rep, on=date(2025, 3, 2), note="x", today=TODAY)
    with pytest.raises(WorkflowError):  # reopening needs a reason
        transition(issue, S.DOCUMENTED, by=ws.rep, on=date(2025, 3, 2), today=TODAY)
    transition(issue, S.DOCUMENTED, by=ws.rep, on=date(2025, 5, 2),
               note="The fans were taken away again", today=TODAY)
    assert workflow.is_open(issue)


def test_every_status_has_moves_and_every_move_is_a_status():
    for status, moves in workflow.TRANSITIONS.items():
        assert moves and status not in moves
        assert set(moves) <= set(S.values)
    assert set(workflow.TRANSITIONS) == set(S.values)


def test_history_is_append_only(issue):
    event = issue.events.get()
    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert IssueEvent.objects.get(pk=event.pk).note == ""


def test_a_form_sent_twice_records_one_issue(ws):
    import uuid

    key = uuid.uuid4()
    first = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 1), title="x",
                         topic="wages", client_key=key)
    again = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 1), title="x",
                         topic="wages", client_key=key)
    assert first.pk == again.pk and MonitoringIssue.objects.count() == 1


def test_the_database_refuses_an_unknown_status(issue):
    with pytest.raises(IntegrityError):
        MonitoringIssue.objects.filter(pk=issue.pk).update(status="fixed")
