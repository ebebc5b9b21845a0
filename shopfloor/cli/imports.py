"""``shopfloor import`` and ``shopfloor template``: files in, with a report."""

from __future__ import annotations

import json
import sys

import click

from shopfloor.cli import _django, cli


@cli.command("import")
@click.argument("kind")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--source-title", default="", help="Title of the document (default: file name).")
@click.option("--publisher", default="", help="Who published it.")
@click.option("--url", default="", help="Where it was downloaded from.")
@click.option("--licence", default="", help="Its licence, e.g. CC-BY-4.0.")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--dataset", default="", help="Series this file is a version of.")
@click.option("--organisation", default="", help="Contributing organisation (by name).")
@click.option("--brand", default="", help="brand-list: the brand whose list this is.")
@click.option("--year", type=int,
              help="brand-list: the list's year; facility-list: the year of its counts.")
@click.option("--sheet", default=None, help="Excel: which sheet (default: the first).")
@click.option("--map", "mappings", multiple=True, metavar="COLUMN=FIELD",
              help="Read COLUMN as FIELD (repeatable).")
@click.option("--option", "extra_options", multiple=True, metavar="KEY=VALUE",
              help="Importer option, e.g. country=VN, wage_kind=living, level=facility.")
@click.option("--dry-run", is_flag=True, help="Show the report, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_(kind, path, source_title, publisher, url, licence, published, dataset,
            organisation, brand, year, sheet, mappings, extra_options, dry_run,
            as_json) -> None:
    """Import a file of KIND atomically: all rows or nothing, and a report.

        shopfloor import oshub ../shared/data/oshub/facility_lists/2.csv
        shopfloor import brand-list nike.csv --brand Nike --year 2021 --dry-run
    """
    _django()
    from shopfloor.sources import ImportFailed, SourceInfo, run_import

    column_map = {}
    for item in mappings:
        column, sep, field_name = item.rpartition("=")
        if not sep or not column:
            raise click.BadParameter(f"{item!r}: use COLUMN=FIELD", param_hint="--map")
        column_map[column] = field_name
    info = SourceInfo(title=source_title, publisher=publisher, url=url, licence=licence,
                      published=published.date() if published else None, dataset=dataset,
                      organisation=_organisation(organisation))
    options = {k: val for k, val in (("brand", brand), ("year", year), ("sheet", sheet)) if val}
    for item in extra_options:
        key, sep, val = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: use KEY=VALUE", param_hint="--option")
        options[key.strip()] = val.strip()
    try:
        with _progress() as progress:
            report = run_import(kind, path, info=info, column_map=column_map,
                                dry_run=dry_run, progress=progress, **options)
    except ImportFailed as exc:
        click.echo(f"Import failed, nothing was changed: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, default=str))
        return
    click.echo(report.summary())
    for note in report.notes:
        click.echo(f"  note: {note}")
    for number, reason in report.rejected[:200]:
        click.echo(f"  row {number}: {reason}")
    if len(report.rejected) > 200:
        click.echo(f"  ... and {len(report.rejected) - 200:,} more rejected rows (use --json)")


@cli.command()
@click.argument("kind", type=click.Choice(["bfc"]))
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def template(kind: str, out: str | None) -> None:
    """Print the CSV template for a kind that has no public export (BFC findings).

        shopfloor template bfc --out my_bfc_findings.csv
    """
    from importlib.resources import files

    text = (files("shopfloor.sources") / "templates" / f"{kind}_findings_template.csv"
            ).read_text(encoding="utf-8")
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        click.echo(f"Wrote {out}")
    else:
        click.echo(text, nl=False)


def _organisation(name: str):
    if not name:
        return None
    from shopfloor.models import Organisation

    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        raise click.BadParameter(f"no organisation named {name!r}", param_hint="--organisation")
    return org


class _progress:
    """A rich progress bar that appears only for files of a few thousand rows or more."""

    def __enter__(self):
        self._bar = None
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if max(done, total) < 5000:
                return
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task("importing", total=total or None)
        self._bar.update(self._task, completed=done, total=max(total, done))

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
        return False
