"""``shopfloor token …``: API tokens for scripts and notebooks."""

from __future__ import annotations

import click

from shopfloor.cli import _django, cli


@cli.group()
def token() -> None:
    """API tokens: create one for a user, list them, revoke one."""


@token.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. 'research notebook'.")
@click.option("--days", type=click.IntRange(min=1), help="Expire after this many days "
                                                         "(default: never).")
def create(username: str, name: str, days: int | None) -> None:
    """Create a token for USERNAME and print it once (only its hash is kept).

        shopfloor token create researcher --name "research notebook" --days 90
    """
    _django()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shopfloor.api.tokens import create_token

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.BadParameter(f"no user called {username!r}", param_hint="USERNAME")
    expires = timezone.now() + timedelta(days=days) if days else None
    row, secret = create_token(user, name, expires_at=expires)
    click.echo(f"Token #{row.pk} {row.name!r} for {user.username}"
               + (f", expires {expires:%Y-%m-%d}" if expires else ""))
    click.echo(secret)
    click.echo("Keep it secret; it is not shown again. Send it as "
               "'Authorization: Bearer <token>'.", err=True)


@token.command("list")
@click.argument("username", required=False)
def list_(username: str | None) -> None:
    """Every token (of USERNAME), newest first: id, name, prefix, state, last use.

        shopfloor token list researcher
    """
    _django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shopfloor.api.tokens import tokens_of

    user = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise click.BadParameter(f"no user called {username!r}", param_hint="USERNAME")
    now = timezone.now()
    for t in tokens_of(user):
        state = ("revoked" if t.revoked_at else
                 "expired" if t.expires_at and t.expires_at <= now else "active")
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
        click.echo(f"#{t.pk} {t.user.username} {t.name!r} {t.prefix}… {state}, "
                   f"created {t.created_at:%Y-%m-%d}, last used {used}")


@token.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke a token at once (by the id `shopfloor token list` shows).

        shopfloor token revoke 3
    """
    _django()
    from shopfloor.api.tokens import revoke as revoke_token
    from shopfloor.models import ApiToken

    try:
        row = revoke_token(token_id)
    except ApiToken.DoesNotExist:
        raise click.BadParameter(f"no token #{token_id}", param_hint="ID") from None
    click.echo(f"Revoked token #{row.pk} {row.name!r} of {row.user.username}")
