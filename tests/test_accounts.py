"""The account rules as a library and as commands: who needs a second factor, ending
sessions, cutting a member off, resetting an authenticator, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shopfloor import accounts
from shopfloor.api.tokens import create_token
from shopfloor.cli import cli
from shopfloor.models import ApiToken, AuditEvent, Membership, Organisation, UserSession
from tests.auth import totp_device

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def orgs():
    return (Organisation.objects.create(name="Union A", kind="federation"),
            Organisation.objects.create(name="Union B", kind="factory_union"))


def _member(name, org, role, **kw):
    user = User.objects.filter(username=name).first() or User.objects.create_user(name, **kw)
    return Membership.objects.create(user=user, organisation=org, role=role)


def test_who_needs_a_second_factor(orgs, settings):
    a, b = orgs
    assert accounts.requires_2fa(User.objects.create_user("staff", is_staff=True))
    assert accounts.requires_2fa(User.objects.create_user("root", is_superuser=True))
    assert accounts.requires_2fa(_member("adm", a, "admin").user)
    assert accounts.requires_2fa(_member("res", a, "researcher").user)
    for role in ("union_rep", "brand_viewer", "member"):
        assert not accounts.requires_2fa(_member(role, a, role).user)
    assert not accounts.requires_2fa(User.objects.create_user("loner"))
    # A disabled researcher membership does not count; another active role does.
    both = _member("both", a, "researcher")
    _member("both", b, "union_rep")
    assert accounts.requires_2fa(both.user)
    Membership.objects.filter(pk=both.pk).update(is_active=False)
    assert not accounts.requires_2fa(both.user)
    # Configurable; and anyone who set up an authenticator must use it.
    settings.REQUIRE_2FA_ROLES = ("admin", "researcher", "union_rep")
    assert accounts.requires_2fa(User.objects.get(username="union_rep"))
    settings.REQUIRE_2FA_ROLES = ("admin",)
    rep = User.objects.get(username="union_rep")
    assert not accounts.requires_2fa(rep)
    totp_device(rep)
    assert accounts.requires_2fa(rep)


def test_cut_off_only_when_every_membership_is_disabled(orgs):
    a, b = orgs
    one = _member("one", a, "union_rep")
    _member("one", b, "member")
    assert not accounts.is_cut_off(one.user)
    accounts.disable_member(one)
    assert not accounts.is_cut_off(one.user)
    accounts.disable_member(Membership.objects.get(user=one.user, organisation=b))
    assert accounts.is_cut_off(one.user)
    assert not accounts.is_cut_off(User.objects.create_user("no-org"))
    staff = _member("staff", a, "member", is_staff=True)
    accounts.disable_member(staff)
    assert not accounts.is_cut_off(staff.user)


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_end_sessions_everywhere_or_elsewhere(orgs):
    user = _member("rep", orgs[0], "union_rep").user
    first, second, third = (_signed_in_client(user) for _ in range(3))
    assert UserSession.objects.filter(user=user).count() == 3
    keep = second.session.session_key
    assert accounts.end_sessions(user, except_key=keep) == 2
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) \
        == [keep]
    assert first.get("/watchlists/").status_code == 302
    assert second.get("/watchlists/").status_code == 200
    assert accounts.end_sessions(user) == 1
    assert second.get("/watchlists/").status_code == 302
    assert third.get("/watchlists/").status_code == 302


def test_disable_revokes_tokens_only_without_another_active_membership(orgs):
    a, b = orgs
    in_two = _member("two", a, "researcher")
    _member("two", b, "union_rep")
    create_token(in_two.user, "notebook")
    _signed_in_client(in_two.user)
    result = accounts.disable_member(in_two)
    assert result == {"sessions_ended": 1, "tokens_revoked": 0}
    assert ApiToken.objects.get(user=in_two.user).revoked_at is None
    event = AuditEvent.objects.get(action="member.disabled")
    assert event.organisation_id == a.pk and event.detail["user"] == "two"
    result = accounts.disable_member(Membership.objects.get(user=in_two.user, organisation=b))
    assert result["tokens_revoked"] == 1
    assert ApiToken.objects.get(user=in_two.user).revoked_at is not None
    accounts.enable_member(in_two)
    in_two.refresh_from_db()
    assert in_two.is_active and in_two.disabled_at is None
    assert ApiToken.objects.get(user=in_two.user).revoked_at is not None  # stays revoked


def test_purge_old_session_records(orgs, settings):
    user = _member("rep", orgs[0], "union_rep").user
    _signed_in_client(user)
    _signed_in_client(user)
    old = timezone.now() - timedelta(days=settings.SESSION_RECORD_RETENTION_DAYS + 1)
    first = UserSession.objects.filter(user=user).first()
    UserSession.objects.filter(pk=first.pk).update(created_at=old, last_seen_at=old)
    assert accounts.purge_session_records() == 1
    assert UserSession.objects.filter(user=user).count() == 1


def test_rates():
    assert accounts.parse_rate("120/m") == (120, 60)
    assert accounts.parse_rate("5/h") == (5, 3600)
    assert [accounts.over_rate("t", "1.2.3.4", "2/m") for _ in range(3)] == [
        False, False, True]
    assert not accounts.over_rate("t", "5.6.7.8", "2/m")


# -- commands ----------------------------------------------------------------------------


def test_cli_logout_everywhere(orgs):
    user = _member("rep", orgs[0], "union_rep").user
    phone = _signed_in_client(user)
    result = CliRunner().invoke(cli, ["user", "logout-everywhere", "rep"])
    assert result.exit_code == 0, result.output
    assert "Ended 1 session(s) of rep." in result.output
    assert phone.get("/watchlists/").status_code == 302
    assert AuditEvent.objects.filter(action="sessions.ended", detail__via="cli").exists()
    assert CliRunner().invoke(cli, ["user", "logout-everywhere", "nobody"]).exit_code != 0


def test_cli_member_disable_and_enable(orgs):
    membership = _member("rep", orgs[0], "union_rep")
    create_token(membership.user, "phone")
    phone = _signed_in_client(membership.user)
    result = CliRunner().invoke(cli, ["member", "disable", "rep", "--organisation", "union a"])
    assert result.exit_code == 0, result.output
    assert "1 session(s) ended, 1 API token(s) revoked" in result.output
    membership.refresh_from_db()
    assert not membership.is_active
    assert phone.get("/watchlists/").status_code == 302
    result = CliRunner().invoke(cli, ["member", "enable", "rep", "--organisation", "Union A"])
    assert result.exit_code == 0
    membership.refresh_from_db()
    assert membership.is_active
    wrong = CliRunner().invoke(cli, ["member", "disable", "rep", "--organisation", "Union B"])
    assert wrong.exit_code != 0 and "not a member" in wrong.output


def test_cli_reset_2fa(orgs):
    user = _member("res", orgs[0], "researcher").user
    totp_device(user)
    result = CliRunner().invoke(cli, ["user", "reset-2fa", "res"])
    assert result.exit_code == 0, result.output
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="2fa.reset").exists()
