"""``shopfloor discrepancies``: where published findings and union evidence disagree.

The command runs as the system (whoever can run it can read the database), so it says
whose evidence it counts instead of asking who reads: ``--union NAME`` counts that union's
workspace records (a federation's name counts its affiliates' too), ``--all-unions`` every
union's. The published side is read from **public** sources only, as anyone can check it.
"""

from __future__ import annotations

import json
import sys

import click

from shopfloor.cli import _django, cli


@cli.command("discrepancies")
@click.option("--watchlist", "watchlist_name", default="", metavar="NAME",
              help="The factories on this watchlist (name or id).")
@click.option("--facility", "facility_ids", multiple=True, type=int, metavar="ID",
              help="This factory (repeatable).")
@click.option("--union", "union_name", default="", metavar="NAME",
              help="Count this union's evidence (a federation: with its affiliates').")
@click.option("--all-unions", is_flag=True, help="Count every union's evidence.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list (Discrepancy.as_dict(), union records included).")
def discrepancies(watchlist_name: str, facility_ids: tuple[int, ...], union_name: str,
                  all_unions: bool, as_json: bool) -> None:
    """List where the latest published BFC findings (and brands' published commitments)
    disagree with what unions documented, with both sides' sources.

    Without --watchlist or --facility: the factories the union organises in (--union),
    or every factory with union evidence (--all-unions). The run is in the audit log.

        shopfloor discrepancies --union "C.CAWDU"
        shopfloor discrepancies --watchlist "Our factories" --all-unions --json
    """
    _django()
    from shopfloor import audit
    from shopfloor.analysis.discrepancies import find_discrepancies
    from shopfloor.models import Facility, Organisation
    from shopfloor.reports import scope

    if bool(union_name) == all_unions:
        raise click.UsageError("say whose evidence to count: --union NAME or --all-unions")
    unions = None
    organisation = None
    if union_name:
        try:
            organisation = scope.find_organisation(union_name)
        except Organisation.DoesNotExist as exc:
            raise click.BadParameter(str(exc), param_hint="--union") from None
        unions = scope.union_and_affiliates(organisation)
    facilities: dict[int, Facility] = {}
    if watchlist_name:
        from shopfloor.cli.watchlists import _find

        facilities.update((f.pk, f) for f in scope.watchlist_facilities(_find(watchlist_name)))
    if facility_ids:
        found = {f.pk: f for f in Facility.objects.filter(pk__in=facility_ids)}
        missing = sorted(set(facility_ids) - set(found))
        if missing:
            raise click.BadParameter(f"no factory with id {', '.join(map(str, missing))}",
                                     param_hint="--facility")
        facilities.update(found)
    if not (watchlist_name or facility_ids):
        chosen = (scope.union_facilities(unions) if unions is not None
                  else scope.facilities_with_evidence())
        facilities.update((f.pk, f) for f in chosen)

    found = find_discrepancies(facilities.values(), user=None, all_evidence=True,
                               unions=unions)
    audit.record("export", organisation=organisation, what="discrepancies", via="cli",
                 format="json" if as_json else "text", facilities=len(facilities),
                 discrepancies=len(found),
                 unions=[u.name for u in unions] if unions is not None else "all")
    if as_json:
        data = [d.as_dict() for d in found]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    click.echo(f"{len(found)} discrepancies at {len(facilities)} factories "
               f"(evidence of {', '.join(u.name for u in unions) if unions else 'every union'};"
               " published side from public sources)")
    for lines in _blocks(found):
        click.echo("")
        for line in lines:
            click.echo(line)


def _blocks(found) -> list[list[str]]:
    """One block of lines per factory: its sentences, why, and both sides' sources."""
    blocks: dict[int, list[str]] = {}
    for d in found:
        fac = d.facility
        ids = ", ".join(x for x in (f"#{fac.pk}", fac.os_id and f"OS ID {fac.os_id}",
                                    fac.bfc_id and f"BFC {fac.bfc_id}") if x)
        lines = blocks.setdefault(fac.pk, [f"{fac.name} ({ids})"])
        data = d.as_dict()
        lines.append(f"  * {data['sentence']}")
        lines.append(f"    why: {d.rule.title} [{d.rule.code}]")
        if data["official"]:
            o, s = data["official"], data["official"]["source"]
            lines.append(f"    published: {o['programme']} cycle {o['cycle']}, {o['status']}"
                         f" — {_cite(s)}; {o['citation']}")
        if data["commitment"]:
            c, s = data["commitment"], data["commitment"]["source"]
            lines.append(f"    commitment: {c['metric']} = {c['value']} ({c['year']}) — "
                         f"{_cite(s)}")
        for r in data["union"].get("records", []):
            lines.append(f"    union: {r['publisher']}, {r['title']} — {r['location']} "
                         f"(recorded {r['retrieved_on']})")
        for e in data["union"]["other"]:
            lines.append(f"    union: {e.get('label', '')}")
    return list(blocks.values())


def _cite(source: dict) -> str:
    parts = [source.get("publisher"), f"“{source.get('title')}”",
             source.get("published_on") and f"published {source['published_on']}",
             source.get("location"), source.get("licence") and f"licence {source['licence']}"]
    return ", ".join(str(p) for p in parts if p)
