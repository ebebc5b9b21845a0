"""``shopfloor user …`` and ``shopfloor member …``: sessions, the second factor, cutting a
member off. The same library calls as the web pages (:mod:`shopfloor.accounts`)."""

from __future__ import annotations

import click

from shopfloor.cli import _django, cli


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.BadParameter(f"no user called {username!r}", param_hint="USERNAME")
    return user


def _membership(username: str, organisation: str):
    from shopfloor.cli.imports import _organisation
    from shopfloor.models import Membership

    membership = Membership.objects.filter(
        user=_user(username), organisation=_organisation(organisation)).first()
    if membership is None:
        raise click.BadParameter(f"{username} is not a member of {organisation!r}",
                                 param_hint="--organisation")
    return membership


@cli.group()
def user() -> None:
    """A person's sign-in: end their sessions, reset their authenticator."""


@user.command("logout-everywhere")
@click.argument("username")
def logout_everywhere(username: str) -> None:
    """End every signed-in session of USERNAME at once.

        shopfloor user logout-everywhere unionrep
    """
    _django()
    from shopfloor import accounts, audit

    person = _user(username)
    ended = accounts.end_sessions(person)
    audit.record("sessions.ended", obj=person, scope="all", sessions=ended, via="cli")
    click.echo(f"Ended {ended} session(s) of {username}.")


@user.command("reset-2fa")
@click.argument("username")
def reset_2fa(username: str) -> None:
    """Remove USERNAME's authenticator app (a lost phone); they set it up again at the
    next sign-in. Their sessions end.

        shopfloor user reset-2fa researcher
    """
    _django()
    from shopfloor import accounts

    removed = accounts.reset_2fa(_user(username))
    click.echo(f"Removed {removed} authenticator(s) of {username}; sessions ended.")


@cli.group()
def member() -> None:
    """A person's membership of an organisation: switch it off or on."""


@member.command("disable")
@click.argument("username")
@click.option("--organisation", required=True, help="The organisation's name.")
def disable(username: str, organisation: str) -> None:
    """Cut USERNAME off from an organisation at once (a phone was seized): sessions end,
    API tokens are revoked unless they are active elsewhere.

        shopfloor member disable researcher --organisation "Mekong Garment Workers' Federation"
    """
    _django()
    from shopfloor import accounts

    result = accounts.disable_member(_membership(username, organisation))
    click.echo(f"{username} disabled in {organisation}: {result['sessions_ended']} "
               f"session(s) ended, {result['tokens_revoked']} API token(s) revoked.")


@member.command("enable")
@click.argument("username")
@click.option("--organisation", required=True, help="The organisation's name.")
def enable(username: str, organisation: str) -> None:
    """Let USERNAME back into an organisation (revoked API tokens stay revoked).

        shopfloor member enable researcher --organisation "Mekong Garment Workers' Federation"
    """
    _django()
    from shopfloor import accounts

    accounts.enable_member(_membership(username, organisation))
    click.echo(f"{username} enabled in {organisation}.")
