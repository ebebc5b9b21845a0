"""``shopfloor reindex`` and ``shopfloor search``: the facility search from the command line."""

from __future__ import annotations

import time

import click

from shopfloor.cli import _django, cli


@cli.command()
def reindex() -> None:
    """Recompute every facility's search key (after an upgrade that changed how names are
    normalised, or after writing facilities outside Shopfloor). Keys already right are not
    written again.

        shopfloor reindex
    """
    _django()
    from django.db import transaction

    from shopfloor.models import Facility
    from shopfloor.search import refresh_search_keys

    started = time.perf_counter()
    with transaction.atomic():
        changed = refresh_search_keys()
    seconds = time.perf_counter() - started
    total = Facility.objects.count()
    click.echo(f"{changed:,} of {total:,} search keys updated in {seconds:.1f}s "
               f"({total / max(seconds, 1e-9):,.0f} facilities/s).")


@cli.command()
@click.argument("query", default="")
@click.option("--province", default="", help="Any spelling, Latin or Khmer.")
@click.option("--brand", default="", help="A company buying from the factory.")
@click.option("--limit", default=20, show_default=True)
def search(query: str, province: str, brand: str, limit: int) -> None:
    """Find facilities as the home page does (name in any script, misspelt, initials, ids).

        shopfloor search "shenzou" --province Kandal
    """
    _django()
    from shopfloor.search import search_facilities

    for fac in search_facilities(query, province, brand=brand)[:limit]:
        click.echo(f"{fac.pk}\t{fac.name}\t{fac.name_km}\t{fac.province}\t{fac.os_id or ''}")
