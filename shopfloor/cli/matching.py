"""``shopfloor match``: link facility records to the registry."""

from __future__ import annotations

import json

import click

from shopfloor.cli import _django, cli


@cli.command()
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True, help="spark needs the extra: pip install 'shopfloor[spark]'.")
@click.option("--source", "source_id", type=int, help="Only the records of this source.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def match(engine: str, source_id: int | None, as_json: bool) -> None:
    """Match the records waiting for it: automatic match (score ≥ MATCH_AUTO_THRESHOLD),
    review (≥ MATCH_REVIEW_THRESHOLD), else a new facility (unmatched for a union's list).
    Earlier confirm/reject decisions are reused.

        shopfloor match --source 12
    """
    _django()
    from shopfloor.linkage.engine import match_records
    from shopfloor.models import Source

    source = None
    if source_id is not None:
        source = Source.objects.filter(pk=source_id).first()
        if source is None:
            raise click.ClickException(f"No source with id {source_id} (see shopfloor stats).")
    try:
        report = match_records(source=source, engine=engine)
    except RuntimeError as exc:  # the Spark engine without pyspark
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else str(report))
