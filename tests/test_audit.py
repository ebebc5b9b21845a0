"""The audit log: every sensitive action leaves an entry; entries cannot be changed or
deleted except by the retention purge; who reads which entries; the page and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from shopfloor import audit
from shopfloor.models import AuditEvent, Membership, Organisation, Source, UserSession, Watchlist
from tests import factories as f
from tests.auth import verified_login

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def union():
    return Organisation.objects.create(name="Union", kind="factory_union")


def _events(action):
    return AuditEvent.objects.filter(action=action)


def test_record_fields(rf, union):
    user = User.objects.create_user("vanna")
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="x" * 500,
                     HTTP_X_FORWARDED_FOR="6.6.6.6")
    request.user = user
    src = f.source()
    event = audit.record("export", request=request, obj=src, organisation=union,
                         when=dt.date(2025, 1, 2), n=3)
    event.refresh_from_db()
    assert (event.actor, event.actor_name, event.organisation) == (user, "vanna", union)
    assert (event.object_type, event.object_id) == ("shopfloor.source", str(src.pk))
    assert event.ip == "10.1.2.3"  # the forwarded header is not trusted by default
    assert len(event.user_agent) == 300
    assert event.detail == {"when": "2025-01-02", "n": 3}


def test_forwarded_for_only_behind_a_trusted_proxy(rf, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 8.8.4.4")
    assert audit.client_ip(request) == "8.8.4.4"  # what the proxy saw, not what was claimed
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")
    assert audit.client_ip(request) == "127.0.0.1"


def test_login_success_failure_logout(client):
    User.objects.create_user("sokha", password="right-horse-battery")
    client.post(reverse("web:login"), {"username": "sokha", "password": "wrong-secret"})
    failure = _events("login.failure").get()
    assert failure.detail == {"username": "sokha"} and failure.actor is None
    assert "wrong-secret" not in str(failure.detail) and failure.object_type == "auth.user"
    client.post(reverse("web:login"), {"username": "sokha", "password": "right-horse-battery"})
    assert _events("login.success").get().actor_name == "sokha"
    client.post(reverse("web:logout"))
    assert _events("logout").get().actor_name == "sokha"
    assert not AuditEvent.objects.filter(detail__icontains="right-horse").exists()


def test_permission_changes(union):
    a, b = f.facility(), f.facility()
    user = User.objects.create_user("rep")
    m = Membership.objects.create(user=user, organisation=union, role="member")
    created = _events("permission.change").get()
    assert created.detail["change"] == "membership.created"
    assert created.detail["after"]["role"] == "member" and created.organisation == union
    m.role = "union_rep"
    m.save()
    changed = _events("permission.change").filter(detail__change="membership.changed").get()
    assert (changed.detail["before"]["role"], changed.detail["after"]["role"]) == (
        "member", "union_rep")
    m.facilities.add(a)
    m.facilities.set([b])
    scopes = [e.detail for e in _events("permission.change").filter(
        detail__change="membership.facilities").order_by("pk")]
    assert [(s["before"], s["after"]) for s in scopes] == [
        ([], [a.pk]), ([a.pk], []), ([], [b.pk])]  # set() = remove, then add
    m.is_active = False
    m.save()
    assert _events("permission.change").filter(
        detail__after__is_active=False).exists()
    m.save()  # nothing changed: nothing recorded
    before = _events("permission.change").count()
    m.save()
    assert _events("permission.change").count() == before
    m.delete()
    assert _events("permission.change").filter(detail__change="membership.deleted").exists()
    user.is_staff = True
    user.save()
    flags = _events("permission.change").get(detail__change="user.flags")
    assert flags.detail["before"]["is_staff"] is False and flags.detail["after"]["is_staff"]


def test_append_only(union):
    event = audit.record("export", organisation=union)
    event.action = "nothing"
    with pytest.raises(audit.AuditLogIsAppendOnly), transaction.atomic():
        event.save()
    with pytest.raises(audit.AuditLogIsAppendOnly), transaction.atomic():
        event.delete()
    with pytest.raises(audit.AuditLogIsAppendOnly), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(audit.AuditLogIsAppendOnly), transaction.atomic():
        AuditEvent(pk=event.pk, action="forged").save()
    assert AuditEvent.objects.get(pk=event.pk).action == "export"


@pytest.mark.postgres
def test_postgres_trigger_refuses_raw_sql(union):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    from django.db import DatabaseError

    event = audit.record("export", organisation=union)
    for sql in ("UPDATE shopfloor_auditevent SET action = 'x' WHERE id = %s",
                "DELETE FROM shopfloor_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "export"


def _old_event(action: str, days: int) -> int:
    """An event written ``days`` ago (INSERT is allowed, even on PostgreSQL)."""
    at = timezone.now() - dt.timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO shopfloor_auditevent (at, actor_name, action, object_type, "
            "object_id, detail, user_agent) VALUES (%s, '', %s, '', '', '{}', '')",
            [at, action])
    return AuditEvent.objects.get(action=action).pk


def test_purge_deletes_only_old_events():
    _old_event("old", 800)
    kept = _old_event("kept", 700)
    recent = audit.record("recent")
    assert audit.purge_expired(days=730) == 1
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "kept", "recent", "audit.purge"}
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.detail["deleted"] == 1 and purge.detail["older_than_days"] == 730
    assert {kept, recent.pk} <= set(AuditEvent.objects.values_list("pk", flat=True))
    assert audit.purge_expired(days=730) == 0
    with pytest.raises(ValueError):
        audit.purge_expired(days=0)
    # the purge's permission ends with it
    with pytest.raises(audit.AuditLogIsAppendOnly), transaction.atomic():
        AuditEvent.objects.filter(pk=kept).delete()


def test_visible_events(union):
    other = Organisation.objects.create(name="Other", kind="federation")
    admin = User.objects.create_user("adm")
    Membership.objects.create(user=admin, organisation=union, role="admin")
    member = User.objects.create_user("mem")
    Membership.objects.create(user=member, organisation=union, role="member")
    stranger = User.objects.create_user("stranger")
    Membership.objects.create(user=stranger, organisation=other, role="member")
    ours = audit.record("export", actor=member)
    theirs = audit.record("export", actor=stranger)
    about_ours = audit.record("login.failure", obj=member, username="mem")
    visible = set(audit.visible_events(admin))
    assert {ours, about_ours} <= visible and theirs not in visible
    assert not audit.visible_events(member).exists()
    staff = User.objects.create_user("s", is_staff=True)
    assert theirs in audit.visible_events(staff)


def _restricted(union):
    src = f.source(title="Named workers", organisation=union,
                   visibility=Source.Visibility.RESTRICTED)
    return src


def test_restricted_read_and_export_are_recorded(client, union):
    src = _restricted(union)
    researcher = User.objects.create_user("res")
    Membership.objects.create(user=researcher, organisation=union, role="researcher")
    verified_login(client, researcher)
    assert client.get(reverse("web:source", args=[src.pk])).status_code == 200
    read = _events("evidence.read").get()
    assert (read.actor, read.object_id, read.organisation) == (researcher, str(src.pk), union)
    public = f.source()
    client.get(reverse("web:source", args=[public.pk]))
    assert _events("evidence.read").count() == 1  # public reads are not evidence reads
    listed = f.source(organisation=union, visibility=Source.Visibility.ORGANISATION)
    wl = Watchlist.objects.create(name="Ours", organisation=union, source=listed)
    response = client.get(reverse("web:watchlist_export", args=[wl.pk, "csv"]))
    assert response.status_code == 200
    export = _events("export").get()
    assert export.detail == {"what": "watchlist", "format": "csv"}
    assert export.object_type == "shopfloor.watchlist"


def test_audit_page(client, union):
    admin = User.objects.create_user("adm")
    Membership.objects.create(user=admin, organisation=union, role="admin")
    url = reverse("web:audit")
    assert client.get(url)["Location"].startswith(reverse("web:login"))
    member = User.objects.create_user("mem")
    Membership.objects.create(user=member, organisation=union, role="member")
    client.force_login(member)
    assert client.get(url).status_code == 403
    verified_login(client, admin)
    for i in range(60):
        audit.record("export", actor=member, n=i)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Audit log" in html and html.count("<tr>") == 51  # header + 50 rows
    assert _events("audit.view").filter(actor=admin).count() == 1
    filtered = client.get(url, {"action": "permission.change", "user": ""}).content.decode()
    assert "membership.created" in filtered and "export" not in filtered.split("<tbody>")[1]
    assert client.post(url).status_code == 405  # read-only
    later = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "No entries match" in client.get(url, {"since": later}).content.decode()


def test_purge_command_removes_old_sessions_and_events(settings):
    from django.contrib.sessions.backends.db import SessionStore

    from shopfloor.retention import purge_sessions

    user = User.objects.create_user("u")
    old = UserSession.objects.create(user=user, session_key="a" * 32)
    UserSession.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=100))
    fresh = UserSession.objects.create(user=user, session_key="b" * 32)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    store = SessionStore()
    store.set_expiry(-10)
    store.create()
    sessions, records = purge_sessions()
    assert records == 1 and sessions >= 1
    assert list(UserSession.objects.all()) == [fresh]
