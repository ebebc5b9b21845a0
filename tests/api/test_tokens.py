"""API tokens: the library, the command, and authentication on the watchlist endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone
from ninja.security import django_auth

from shopfloor.api import tokens
from shopfloor.cli import cli
from shopfloor.models import ApiToken, Membership
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_only_the_hash_is_stored(union):
    row, secret = tokens.create_token(union.member, "notebook")
    assert secret.startswith("sf_") and len(secret) > 40
    row.refresh_from_db()
    assert row.key_hash == tokens.hash_token(secret) != secret
    assert row.prefix == secret[:8]
    assert secret not in {v for v in ApiToken.objects.values_list("key_hash", "prefix", "name")
                          for v in v}
    assert tokens.authenticate(secret) == union.member


def test_watchlists_need_authentication(client, union):
    response = client.get("/api/watchlists")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]
    assert client.get(f"/api/watchlists/{union.watchlist.pk}").status_code == 401
    assert client.get("/api/watchlists", **bearer("sf_" + "x" * 43)).status_code == 401
    assert client.get("/api/watchlists", HTTP_AUTHORIZATION="Basic dXNlcjpwdw==").status_code \
        == 401


def test_a_token_reads_its_users_watchlists(client, union):
    body = client.get("/api/watchlists", **bearer(union.token)).json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Our factories" and body["items"][0]["rows"] == 3
    detail = client.get(f"/api/watchlists/{union.watchlist.pk}", **bearer(union.token)).json()
    assert detail["summary"]["rows"] == {"total": 3, "matched": 2, "pending": 0,
                                         "unmatched": 1}
    assert detail["summary"]["facilities"] == 2


def test_another_unions_watchlist_does_not_exist_for_you(client, union):
    assert client.get("/api/watchlists", **bearer(union.outsider_token)).json()["count"] == 0
    for path in ("", "/evidence"):
        response = client.get(f"/api/watchlists/{union.watchlist.pk}{path}",
                              **bearer(union.outsider_token))
        assert response.status_code == 404


def test_revoked_expired_and_inactive_are_refused(client, union):
    row, secret = tokens.create_token(union.member, "to revoke")
    assert client.get("/api/watchlists", **bearer(secret)).status_code == 200
    tokens.revoke(row)
    assert client.get("/api/watchlists", **bearer(secret)).status_code == 401

    row, secret = tokens.create_token(union.member, "expired",
                                      expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/watchlists", **bearer(secret)).status_code == 401

    union.member.is_active = False
    union.member.save()
    assert client.get("/api/watchlists", **bearer(union.token)).status_code == 401


def test_a_member_cut_off_loses_the_api_at_once(client, union):
    Membership.objects.filter(user=union.member).update(is_active=False,
                                                        disabled_at=timezone.now())
    assert client.get("/api/watchlists", **bearer(union.token)).status_code == 401


def test_a_wrong_token_is_refused_on_public_data_too(client, data):
    assert client.get("/api/facilities", **bearer("sf_" + "y" * 43)).status_code == 401
    assert client.get("/api/facilities").status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(client, union):
    row = ApiToken.objects.get(key_hash=tokens.hash_token(union.token))
    assert row.last_used_at is None
    client.get("/api/watchlists", **bearer(union.token))
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    client.get("/api/watchlists", **bearer(union.token))
    row.refresh_from_db()
    assert row.last_used_at == first
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/watchlists", **bearer(union.token))
    row.refresh_from_db()
    assert row.last_used_at > first - timedelta(minutes=2)


def test_a_signed_in_browser_session_counts(client, union):
    from django.contrib.auth import get_user_model

    plain = get_user_model().objects.create_user("sokha")  # a member: no second factor needed
    Membership.objects.create(user=plain, organisation=union.fed, role="member")
    client.force_login(plain)
    assert client.get("/api/watchlists").json()["count"] == 1
    assert django_auth.csrf  # unsafe methods on a session must carry the CSRF token


def test_token_commands(union):
    runner = CliRunner()
    result = runner.invoke(cli, ["token", "create", "vanna", "--name", "notebook", "--days",
                                 "30"])
    assert result.exit_code == 0, result.output
    secret = next(line for line in result.output.splitlines() if line.startswith("sf_"))
    assert tokens.authenticate(secret) == union.member
    row = ApiToken.objects.get(key_hash=tokens.hash_token(secret))
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)

    listed = runner.invoke(cli, ["token", "list", "vanna"])
    assert listed.exit_code == 0
    assert f"#{row.pk} vanna 'notebook' {row.prefix}… active" in listed.output
    assert secret not in listed.output

    revoked = runner.invoke(cli, ["token", "revoke", str(row.pk)])
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    assert tokens.authenticate(secret) is None
    assert "revoked" in runner.invoke(cli, ["token", "list"]).output
    assert runner.invoke(cli, ["token", "create", "nobody", "--name", "x"]).exit_code == 2
    assert runner.invoke(cli, ["token", "revoke", "999999"]).exit_code == 2
