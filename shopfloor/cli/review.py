"""``shopfloor review`` and ``shopfloor merge-duplicates``: people decide."""

from __future__ import annotations

import sys

import click

from shopfloor.cli import _django, cli

KEYS = {"c": "confirm", "r": "reject", "n": "new facility", "s": "skip", "q": "quit"}


@cli.command()
@click.option("--source", "source_id", type=int, help="Only the records of this source.")
@click.option("--user", "username", default="",
              help="Decide as this user (recorded with each decision; must be allowed to "
                   "review).")
def review(source_id: int | None, username: str) -> None:
    """Review uncertain matches one at a time: c confirm, r reject, n new facility, s skip,
    q quit. Decisions are remembered: a re-upload never asks the same question again.

        shopfloor review --source 12 --user researcher
    """
    _django()
    from shopfloor.access import can_review, reviewable_sources
    from shopfloor.linkage import decisions
    from shopfloor.models import Source

    user = _user(username) if username else None
    source = Source.objects.filter(pk=source_id).first() if source_id else None
    if source_id and source is None:
        raise click.BadParameter(f"no source #{source_id}", param_hint="--source")
    if user is not None and not can_review(user, source):
        click.echo(f"{user.username} may not review these matches (staff, or an admin or "
                   "researcher of the list's organisation, may).", err=True)
        sys.exit(1)
    skipped: set[int] = set()
    done = 0
    while True:
        queue = decisions.review_queue(source).exclude(pk__in=skipped)
        if user is not None:
            queue = queue.filter(source__in=reviewable_sources(user))
        record = queue.first()
        if record is None:
            click.echo(f"Nothing left to review ({done} decided, {len(skipped)} skipped).")
            return
        _show(record, queue.count())
        key = click.prompt("c confirm · r reject · n new facility · s skip · q quit",
                           type=click.Choice(list(KEYS)), show_choices=False)
        if key == "q":
            click.echo(f"Stopped ({done} decided).")
            return
        if key == "s":
            skipped.add(record.pk)
            continue
        if key == "c":
            decisions.confirm(record, record.facility, user)
        elif key == "r":
            decisions.reject(record, record.facility, user)
        else:
            fac = decisions.make_new_facility(record, user)
            click.echo(f"  new facility #{fac.pk} {fac.name}")
        done += 1


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.BadParameter(f"no user {username!r}", param_hint="--user")
    return user


def _show(record, remaining: int) -> None:
    """Both records side by side, the score and the evidence for it."""
    from rich.console import Console
    from rich.table import Table

    from shopfloor.linkage.decisions import evidence_rows

    fac = record.facility
    score = "—" if record.match_score is None else f"{record.match_score:.2f}"
    table = Table(title=f"{remaining} to review · score {score}", show_lines=False)
    table.add_column("")
    table.add_column(f"row {record.row_number} of source #{record.source_id}")
    table.add_column(f"facility #{fac.pk}")
    pairs = [
        ("name", record.name, fac.name),
        ("other names", "", ", ".join(n for n in fac.all_names[1:])),
        ("address", record.address, fac.address),
        ("country", record.country, fac.country),
        ("OS ID", record.os_id, fac.os_id or ""),
        ("BFC ID", record.bfc_id, fac.bfc_id or ""),
    ]
    for label, left, right in pairs:
        if left or right:
            table.add_row(label, left, right)
    for label, value in evidence_rows(record):
        table.add_row(f"[dim]{label}[/dim]", "", f"[dim]{value}[/dim]")
    Console().print(table)


@cli.command("merge-duplicates")
@click.option("--dry-run", is_flag=True, help="List the duplicates, merge nothing.")
def merge_duplicates(dry_run: bool) -> None:
    """Find exact duplicates in the registry (same OS ID or BFC ID, or the same name in a
    country at a compatible address) and merge each into one facility; old ids keep
    resolving to it.

        shopfloor merge-duplicates --dry-run
    """
    _django()
    from shopfloor.linkage.merge import merge_duplicates as run

    groups = run(dry_run=dry_run)
    for group in groups:
        dups = ", ".join(f"#{f.pk} {f.name}" for f in group.duplicates)
        click.echo(f"#{group.keep.pk} {group.keep.name} ← {dups} ({'; '.join(group.reasons)})")
    n = sum(len(g.duplicates) for g in groups)
    verb = "would be merged (dry run)" if dry_run else "merged"
    click.echo(f"{n} duplicate facilit{'y' if n == 1 else 'ies'} {verb}.")
