"""``shopfloor leverage``: the buyer-leverage pack of a case, as a ZIP."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from shopfloor.cli import _django, cli


@cli.command()
@click.argument("record_id", metavar="CASE", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the ZIP.")
@click.option("--lang", "language", type=click.Choice(["km", "en"]), default="km",
              show_default=True, help="Language of pack.pdf (letters come in both).")
@click.option("--issue", is_flag=True, help="CASE is a monitoring issue's id, not a case's.")
def leverage(record_id: int, out: str, language: str, issue: bool) -> None:
    """Write the buyer-leverage pack of a case: the brands sourcing from the factory in the
    case's year, their commitments, the due-diligence laws that apply to them, a letter to
    each, and the shareable copies of the case's evidence files. Runs as the server (public
    sources and the union's and its federation's own); the export is audited.

        shopfloor leverage 12 --out leverage-case-12.zip --lang km
    """
    _django()
    from shopfloor.models import Case, MonitoringIssue
    from shopfloor.reports.leverage import (
        SYSTEM,
        leverage_pack,
        leverage_pack_for_issue,
        leverage_zip,
    )
    from shopfloor.reports.leverage_export import PackError

    target = Path(out)
    if not target.parent.is_dir():
        click.echo(f"No such folder: {target.parent}", err=True)
        sys.exit(1)
    model = MonitoringIssue if issue else Case
    record = model.objects.select_related("organisation", "facility").filter(
        pk=record_id).first()
    if record is None:
        click.echo(f"No {'monitoring issue' if issue else 'case'} with id {record_id}.",
                   err=True)
        sys.exit(1)
    build = leverage_pack_for_issue if issue else leverage_pack
    pack = build(record, user=SYSTEM, language=language)
    try:
        data = leverage_zip(pack)
    except PackError as e:
        click.echo(f"Not written: {e}", err=True)
        sys.exit(1)
    # write next to the target and rename: a reader never sees half a ZIP
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".leverage-",
                               suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    brands = ", ".join(b.company.name for b in pack.buyers) or "none"
    click.echo(f"{pack.facility.name}, {pack.what} on {pack.date:%Y-%m-%d}: "
               f"{len(pack.buyers)} brand(s) sourcing in {pack.year} ({brands}); "
               f"{len(pack.files)} evidence file(s).")
    if pack.earlier_buyers:
        click.echo(f"  known from the {pack.earlier_year} list only: "
                   + ", ".join(b.company.name for b in pack.earlier_buyers))
    click.echo(f"Wrote {target} ({len(data):,} bytes).")
