"""``shopfloor watchlist …`` and ``shopfloor export watchlist``."""

from __future__ import annotations

import json
import sys

import click

from shopfloor.cli import _django, cli


@cli.group()
def watchlist() -> None:
    """A union's own list of factories: upload, match, summarise."""


@watchlist.command("create")
@click.argument("name")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--organisation", default="", help="The union or NGO whose list it is.")
@click.option("--publisher", default="", help="Who published the list (default: the "
                                                "organisation).")
def create(name: str, path: str, organisation: str, publisher: str) -> None:
    """Upload a list, match every row to a known factory and keep it as a watchlist.

        shopfloor watchlist create "Our factories" our_factories.xlsx --organisation "C.CAWDU"
    """
    _django()
    from shopfloor.cli.imports import _organisation
    from shopfloor.sources import ImportFailed
    from shopfloor.watchlists import create_watchlist, summary_lines, watchlist_summary

    try:
        wl = create_watchlist(name, path, organisation=_organisation(organisation),
                              publisher=publisher)
    except ImportFailed as exc:
        click.echo(f"Upload failed, nothing was changed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Watchlist #{wl.pk} {wl.name!r} (source #{wl.source_id})")
    for line in summary_lines(watchlist_summary(wl))[:1]:
        click.echo(f"  {line}")
    click.echo(f"  review the uncertain rows: shopfloor review --source {wl.source_id}")


@watchlist.command("summary")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def summary(name: str, as_json: bool) -> None:
    """What is known about the factories on a watchlist.

        shopfloor watchlist summary "Our factories" --json
    """
    _django()
    from shopfloor.watchlists import summary_lines, watchlist_summary

    data = watchlist_summary(_find(name))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['watchlist']} — {data['source']['publisher']}: "
               f"{data['source']['title']}")
    for line in summary_lines(data):
        click.echo(f"  {line}")


@watchlist.command("list")
def list_() -> None:
    """Every watchlist with its rows.

        shopfloor watchlist list
    """
    _django()
    from shopfloor.models import Watchlist
    from shopfloor.watchlists import watchlist_counts

    counts = watchlist_counts()
    for wl in Watchlist.objects.select_related("organisation"):
        org = f" ({wl.organisation.name})" if wl.organisation else ""
        click.echo(f"#{wl.pk} {wl.name}{org}: {counts.get(wl.pk, 0)} rows, "
                   f"source #{wl.source_id}")


@cli.group()
def export() -> None:
    """Export evidence with the source of every value."""


@export.command("watchlist")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout, "
                                                             "except xlsx).")
def export_watchlist_command(name: str, fmt: str, out: str | None) -> None:
    """Everything connected to a watchlist's factories, each value with its publisher,
    title, URL or file, retrieval date, licence and citation.

        shopfloor export watchlist "Our factories" --format xlsx --out our_factories.xlsx
    """
    _django()
    from shopfloor.watchlists import export_watchlist

    data = export_watchlist(_find(name), fmt)
    if out:
        with open(out, "wb") as fh:
            fh.write(data)
        click.echo(f"Wrote {out} ({len(data):,} bytes)")
    elif fmt == "xlsx":
        raise click.UsageError("an xlsx export needs --out FILE")
    else:
        sys.stdout.buffer.write(data)


def _find(name: str):
    from shopfloor.models import Watchlist
    from shopfloor.watchlists import find_watchlist

    try:
        return find_watchlist(name)
    except (Watchlist.DoesNotExist, Watchlist.MultipleObjectsReturned) as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
