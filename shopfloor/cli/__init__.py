"""The ``shopfloor`` command: a thin layer over the library.

Every command is a docstring with an example and a few library calls.
"""

from __future__ import annotations

import json
import os
import sys

import click


def _django() -> None:
    """Set Django up (commands import models only after this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopfloor.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shopfloor manage", *args])


@click.group()
@click.version_option(package_name="shopfloor")
def cli() -> None:
    """Shopfloor: evidence for trade unions in garment supply chains."""


@cli.command()
def migrate() -> None:
    """Create or update the database tables.

        shopfloor migrate
    """
    _django()
    _manage("migrate", "--no-input")


@cli.command()
@click.option("--force", is_flag=True, help="Load even if the database already has data.")
def demo(force: bool) -> None:
    """Load the fictional demo data (only into an empty database unless --force).

        shopfloor demo
    """
    _django()
    from shopfloor.demo import DEMO_LOGINS, load_demo

    result = load_demo(force=force)
    if result is None:
        click.echo("The database already has data; demo not loaded (use --force).")
        return
    click.echo(f"Loaded demo data: {result}")
    for username, password, role in DEMO_LOGINS:
        click.echo(f"  login {username} / {password}  ({role})")
    click.echo("  admin and researcher sign in with a second factor: at the first sign-in, scan "
               "the QR code with an authenticator app (Aegis, FreeOTP, Google Authenticator)")


@cli.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True)
def serve(addr: str) -> None:
    """Serve the web app (development server; use gunicorn shopfloor.wsgi in production).

        shopfloor serve --addr 127.0.0.1:8000
    """
    _django()
    click.echo(f"Shopfloor is at http://{addr}/")
    _manage("runserver", addr, "--noreload")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def stats(as_json: bool) -> None:
    """Count the rows of every model.

        shopfloor stats --json
    """
    _django()
    from shopfloor.stats import model_counts

    counts = model_counts()
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("model", "rows")
    for label, count in counts.items():
        table.add_row(label, f"{count:,}")
    Console().print(table)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def manage(ctx: click.Context) -> None:
    """Run any Django management command.

        shopfloor manage createsuperuser
    """
    _django()
    _manage(*ctx.args)


# Commands by noun, each module a thin layer over the library.
from shopfloor.cli import (  # noqa: E402,F401
    accounts,
    discrepancies,
    evaluation,
    exports,  # noqa: E402,F401  (adds to watchlists' `export` group)
    imports,
    leverage,
    matching,
    reports,
    retention,
    review,
    search,
    surveys,
    tokens,
    vault,
    watchlists,
)


def main() -> None:  # pragma: no cover - entry point for ``python -m shopfloor``
    cli(prog_name="shopfloor")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
