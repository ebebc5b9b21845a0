"""``shopfloor export shadow-report`` and ``shopfloor export open-data``.

Both are exports for publication, recorded in the audit log like every export.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from shopfloor.cli import _django
from shopfloor.cli.watchlists import export


@export.command("shadow-report")
@click.option("--watchlist", "watchlist_name", default="", metavar="NAME",
              help="The factories on this watchlist (name or id).")
@click.option("--union", "union_name", default="", metavar="NAME",
              help="Or the factories this union (a federation: with its affiliates) "
                   "organises in.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "html", "pdf"]),
              default="pdf", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Write here.")
@click.option("--title", default="", help="The report's title (default: from the list).")
@click.option("--language", type=click.Choice(["en", "km"]), default="en",
              show_default=True, help="Language of the sentences and the document.")
def shadow_report_command(watchlist_name: str, union_name: str, fmt: str, out: str,
                          title: str, language: str) -> None:
    """A shadow report safe to publish: discrepancies as counts and months, union
    evidence as suppressed aggregates, the published facts with their sources, and a
    methods note. Every union's evidence at the factories is counted; no record's title,
    note or worker ever appears.

        shopfloor export shadow-report --watchlist "Our factories" --format pdf --out shadow.pdf
        shopfloor export shadow-report --union "C.CAWDU" --format csv --out shadow.csv
    """
    _django()
    from django.utils import translation

    from shopfloor import audit
    from shopfloor.models import Organisation
    from shopfloor.reports import scope
    from shopfloor.reports.shadow import render, shadow_report

    if bool(watchlist_name) == bool(union_name):
        raise click.UsageError("say which factories: --watchlist NAME or --union NAME")
    watchlist = organisation = None
    if watchlist_name:
        from shopfloor.cli.watchlists import _find

        watchlist = _find(watchlist_name)
        organisation = watchlist.organisation
        facilities = list(scope.watchlist_facilities(watchlist))
        default_title = watchlist.name
    else:
        try:
            organisation = scope.find_organisation(union_name)
        except Organisation.DoesNotExist as exc:
            raise click.BadParameter(str(exc), param_hint="--union") from None
        facilities = list(scope.union_facilities(scope.union_and_affiliates(organisation)))
        default_title = organisation.name
    with translation.override(language):
        report = shadow_report(facilities, title=title or _default_title(default_title))
        data = render(report, fmt)
    _write_atomically(Path(out), data)
    audit.record("export", obj=watchlist or organisation, organisation=organisation,
                 what="shadow-report", via="cli", format=fmt, factories=len(facilities),
                 discrepancies=len(report.discrepancies))
    click.echo(f"Wrote {out} ({len(data):,} bytes): {len(report.discrepancies)} "
               f"discrepancies at {len(facilities)} factories")


def _default_title(name: str) -> str:
    from django.utils.translation import gettext as _

    return _("Shadow report: %(name)s") % {"name": name}


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in full or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@export.command("open-data")
@click.option("--out", required=True, type=click.Path(), metavar="DIR",
              help="A new (or empty) directory; with --zip, the ZIP file to write.")
@click.option("--zip", "as_zip", is_flag=True, help="Write one ZIP file instead.")
def open_data_command(out: str, as_zip: bool) -> None:
    """Every public fact, as Wikirate-compatible CSVs (wikirate/answers.csv,
    wikirate/relationships.csv) and a Frictionless Data Package (datapackage.json with
    sources, facilities, companies, relationships, datapoints, findings), each row with
    its source and licence. Never organisations' own sources, never union evidence.

        shopfloor export open-data --out var/open-data
        shopfloor export open-data --out var/open-data.zip --zip
    """
    _django()
    from shopfloor import audit
    from shopfloor.reports.opendata import write_open_data

    try:
        rows = write_open_data(out, zip=as_zip)
    except FileExistsError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    audit.record("export", what="open-data", via="cli", format="zip" if as_zip else "dir",
                 rows=rows)
    click.echo(f"Wrote {out}: " + ", ".join(f"{n:,} {name}" for name, n in rows.items()))
