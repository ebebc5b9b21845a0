"""``shopfloor vault verify``: the chain of custody of evidence files."""

from __future__ import annotations

import sys

import click

from shopfloor.cli import _django, cli


@cli.group()
def vault() -> None:
    """The evidence vault (originals kept with their SHA-256)."""


@vault.command()
@click.option("--organisation", default=None, help="Only this union's files (its name).")
def verify(organisation: str | None) -> None:
    """Recompute every original's SHA-256 and compare it with the one recorded at upload;
    exit 1 if any original changed or is missing:

        shopfloor vault verify --organisation "Morning Star Free Workers' Union"
    """
    _django()
    from rich.progress import track

    from shopfloor import audit
    from shopfloor.evidence.vault import verify as verify_file
    from shopfloor.models import EvidenceFile

    files = EvidenceFile.objects.select_related("organisation").order_by("pk")
    if organisation:
        files = files.filter(organisation__name=organisation)
    bad = [f for f in track(list(files), description="checking", disable=files.count() < 50,
                            transient=True) if not verify_file(f)]
    audit.record("vault.verify", files=files.count(), failed=[f.pk for f in bad],
                 organisation_name=organisation or "")
    for f in bad:
        click.echo(f"CHANGED OR MISSING: file {f.pk} of {f.organisation} "
                   f"(recorded SHA-256 {f.sha256})")
    click.echo(f"{files.count() - len(bad)} of {files.count()} originals match their "
               "recorded SHA-256.")
    if bad:
        sys.exit(1)
