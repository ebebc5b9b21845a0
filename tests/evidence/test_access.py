"""Who reads and writes a union's workspace (deny unless granted)."""

from datetime import date

import pytest

from shopfloor import access
from shopfloor.evidence.workflow import create_issue
from shopfloor.models import MonitoringIssue


@pytest.fixture
def issues(ws):
    return {
        "union at A": create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 1),
                                   title="A", topic="wages"),
        "union at B": create_issue(ws.union, ws.b, by=ws.union_admin,
                                   found_on=date(2025, 1, 1), title="B", topic="wages"),
        "rival at A": create_issue(ws.rival, ws.a, by=ws.rival_rep, found_on=date(2025, 1, 1),
                                   title="R", topic="wages"),
    }


READS = {
    "rep": {"union at A"},
    "union_admin": {"union at A", "union at B"},
    "union_researcher": {"union at A", "union at B"},
    "fed_researcher": {"union at A", "union at B"},
    "rival_rep": {"rival at A"},
    "brand": set(),
    "member": set(),
    "outsider": set(),
    "staff": {"union at A", "union at B", "rival at A"},
}


@pytest.mark.parametrize("who", sorted(READS))
def test_reading(ws, issues, who):
    user = getattr(ws, who)
    visible = set(MonitoringIssue.objects.filter(access.workspace_q(user)))
    assert visible == {issues[k] for k in READS[who]}
    for key, issue in issues.items():
        assert access.can_read_record(user, issue) is (key in READS[who]), key


#: (owner: 0 the union, 1 the rival union, 2 the federation; factory)
WRITES = {
    "rep": {(0, "a")},
    "union_admin": {(0, "a"), (0, "b")},
    "union_researcher": {(0, "a"), (0, "b")},
    # the federation reads its union's records but does not write them; it keeps its own
    # records at the factories its unions organise in
    "fed_researcher": {(2, "a"), (2, "b")},
    "rival_rep": {(1, "a")},
    "brand": set(), "member": set(), "outsider": set(),
}


@pytest.mark.parametrize("who", sorted(WRITES))
def test_writing(ws, who):
    user = getattr(ws, who)
    unions, factories = (ws.union, ws.rival, ws.fed), {"a": ws.a, "b": ws.b, "c": ws.c}
    for u, union in enumerate(unions):
        for key, factory in factories.items():
            assert access.can_write_workspace(user, union, factory) is (
                (u, key) in WRITES[who]), (union, key)
    pairs = {(unions.index(o), next(k for k, v in factories.items() if v == f))
             for o, f in access.writable_workspaces(user)}
    assert pairs == WRITES[who]


def test_a_disabled_membership_reads_nothing(ws, issues):
    ws.rep.memberships.update(is_active=False)
    assert not MonitoringIssue.objects.filter(access.workspace_q(ws.rep)).exists()
    assert not access.can_read_record(ws.rep, issues["union at A"])
    ws.union_admin.is_active = False
    ws.union_admin.save()
    assert not access.can_write_workspace(ws.union_admin, ws.union, ws.a)


def test_originals_only_for_the_unions_admins_and_researchers(ws):
    class File:
        organisation_id = ws.union.pk

    allowed = {u for u in ("union_admin", "union_researcher", "staff")}
    for who in ("rep", "union_admin", "union_researcher", "fed_researcher", "rival_rep",
                "brand", "member", "outsider", "staff"):
        assert access.can_read_original(getattr(ws, who), File) is (who in allowed), who


def test_aggregates_for_the_brand_of_a_supplier_not_the_public(ws):
    from django.contrib.auth.models import AnonymousUser

    assert access.can_see_workspace_aggregates(ws.brand, ws.a)
    assert not access.can_see_workspace_aggregates(ws.brand, ws.b)  # not its supplier
    assert access.can_see_workspace_aggregates(ws.member, ws.a)
    assert not access.can_see_workspace_aggregates(AnonymousUser(), ws.a)
    assert not access.can_see_workspace_aggregates(ws.outsider, ws.a)
