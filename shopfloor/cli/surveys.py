"""``shopfloor survey``: pull submissions from a KoboToolbox or ODK Central server."""

from __future__ import annotations

import sys

import click

from shopfloor.cli import _django, cli


@cli.group()
def survey() -> None:
    """Surveys collected with KoboToolbox or ODK."""


def _run(kind: str, path, url: str, organisation: str, form: str, period: str) -> None:
    from shopfloor.cli.imports import _organisation
    from shopfloor.sources import ImportFailed, SourceInfo, run_import

    options = {"form": form, **({"period": period} if period else {})}
    try:
        report = run_import(kind, path, info=SourceInfo(
            url=url, organisation=_organisation(organisation)), **options)
    except ImportFailed as exc:
        click.echo(f"Import failed, nothing was changed: {exc}", err=True)
        sys.exit(1)
    finally:
        path.unlink(missing_ok=True)
    click.echo(report.summary())
    for note in report.notes:
        click.echo(f"  note: {note}")
    for number, reason in report.rejected[:200]:
        click.echo(f"  submission {number}: {reason}")


@survey.command("pull-kobo")
@click.argument("asset_uid")
@click.option("--form", required=True, help="The form's id (its XLSForm form_id).")
@click.option("--organisation", required=True, help="Whose survey it is.")
@click.option("--period", default="", help="2025, 2025-Q1, 2025-H1 or FROM..TO")
def pull_kobo(asset_uid: str, form: str, organisation: str, period: str) -> None:
    """Add the new submissions of a KoboToolbox form (KOBO_SERVER_URL, KOBO_API_TOKEN):

        shopfloor survey pull-kobo aB3xYz --form fwm_worker_survey --organisation "Our union"
    """
    _django()
    from django.conf import settings

    from shopfloor.sources import ImportFailed
    from shopfloor.surveys.servers import pull_kobo as pull

    try:
        path = pull(asset_uid)
    except ImportFailed as exc:
        click.echo(f"Pull failed, nothing was changed: {exc}", err=True)
        sys.exit(1)
    _run("kobo", path, f"{settings.KOBO_SERVER_URL}/api/v2/assets/{asset_uid}/data/",
         organisation, form, period)


@survey.command("pull-odk")
@click.argument("form_id")
@click.option("--project", type=int, required=True, help="The ODK Central project id.")
@click.option("--organisation", required=True, help="Whose survey it is.")
@click.option("--period", default="", help="2025, 2025-Q1, 2025-H1 or FROM..TO")
def pull_odk(form_id: str, project: int, organisation: str, period: str) -> None:
    """Add the new submissions of an ODK Central form (ODK_CENTRAL_URL, _USERNAME, _PASSWORD):

        shopfloor survey pull-odk fwm_worker_survey --project 3 --organisation "Our union"
    """
    _django()
    from django.conf import settings

    from shopfloor.sources import ImportFailed
    from shopfloor.surveys.servers import pull_odk as pull

    try:
        path = pull(form_id, project=project)
    except ImportFailed as exc:
        click.echo(f"Pull failed, nothing was changed: {exc}", err=True)
        sys.exit(1)
    _run("odk", path, f"{settings.ODK_CENTRAL_URL}/v1/projects/{project}/forms/{form_id}",
         organisation, form_id, period)
