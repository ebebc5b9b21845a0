"""``shopfloor brief``: a factory brief as a PDF (or HTML) file, a thin layer over
:mod:`shopfloor.reports.brief`.

The command runs as the system, not as a person: it reads published sources only, and a
union's evidence only when ``--union`` names that union. Every brief written is in the audit
log (``export``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from shopfloor.cli import _django, cli


def _facility(ref: str):
    """A facility by id or Open Supply Hub ID (a merged duplicate resolves to the factory it
    was merged into)."""
    from shopfloor.linkage.merge import resolve
    from shopfloor.models import Facility

    ref = ref.strip()
    found = (Facility.objects.filter(pk=int(ref)).first() if ref.isdigit()
             else Facility.objects.filter(os_id__iexact=ref).first())
    if found is None:
        raise click.BadParameter(f"no factory with id or OS ID {ref!r}", param_hint="FACILITY")
    return resolve(found.pk) if found.merged_into_id else found


def _union(name: str, facility):
    """The organisation named ``name`` (or its Khmer name), which must organise at the
    factory (itself or through its affiliates)."""
    from django.db.models import Q

    from shopfloor.models import Organisation

    matches = list(Organisation.objects.filter(Q(name=name) | Q(name_km=name))[:2])
    if len(matches) != 1:
        raise click.BadParameter(
            f"no organisation named {name!r}" if not matches
            else f"several organisations are named {name!r}", param_hint="--union")
    union = matches[0]
    organises = Organisation.objects.filter(
        Q(pk=union.pk) & (Q(facilities=facility) | Q(affiliates__facilities=facility))).exists()
    if not organises:
        raise click.BadParameter(f"{union.name} does not organise at {facility.name}",
                                 param_hint="--union")
    return union


def _write_atomically(path: Path, content: bytes) -> None:
    """Write the whole file or nothing (a temporary file in the same folder, renamed)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@cli.command("brief")
@click.argument("facility")
@click.option("--lang", type=click.Choice(["km", "en"]), default="en", show_default=True,
              help="The language of the brief.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write (PDF, or HTML with --html).")
@click.option("--union", "union_name", default=None,
              help="Include this union's evidence (its name): open issues, PICC promises, "
                   "the next meeting, discrepancies. Without it: published data only.")
@click.option("--html", "as_html", is_flag=True,
              help="Write the brief as one HTML file instead of a PDF.")
def brief(facility: str, lang: str, out: str, union_name: str | None, as_html: bool) -> None:
    """Write the factory brief of FACILITY (an id or an OS ID) for a PICC meeting or a
    bargaining round:

    \b
        shopfloor brief KH2022128P91MF7 --lang km --out brief.pdf \\
            --union "Morning Star Free Workers' Union"
    """
    _django()
    from django.db import transaction

    from shopfloor import audit
    from shopfloor.reports.brief import brief_html, brief_pdf, factory_brief

    target = Path(out)
    if not target.parent.is_dir():
        raise click.BadParameter(f"no folder {str(target.parent)!r}", param_hint="--out")
    fac = _facility(facility)
    union = _union(union_name, fac) if union_name else None
    made = factory_brief(fac, union=union, as_system=True, language=lang)
    content = brief_html(made, for_pdf=True).encode() if as_html else brief_pdf(made)
    fmt = "html" if as_html else "pdf"
    # the trace and the file together: no file without its audit event, and no event for a
    # file that could not be written
    with transaction.atomic():
        audit.record("export", obj=fac, organisation=union, format=fmt, what="factory brief",
                     via="command line", language=lang,
                     union_evidence=made.has_union_evidence, bytes=len(content))
        _write_atomically(target, content)
    evidence = f"with the evidence of {union.name}" if union else "published data only"
    click.echo(f"Wrote {target} ({len(content):,} bytes): factory brief of {fac.name}, "
               f"{'Khmer' if lang == 'km' else 'English'}, {evidence}, "
               f"{len(made.citations)} sources cited.")
