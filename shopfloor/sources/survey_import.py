"""What the survey importers share: a submissions file in, atomically, with a report.

Unlike the table importers (:mod:`.base`), a submissions file is keyed by each submission's
instance id: a later export holding old and new submissions adds only the new ones. The
file's SHA-256 is still recorded, and the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from shopfloor.models import Source, SurveyForm
from shopfloor.sources.base import Importer, file_sha256
from shopfloor.sources.errors import ImportFailed
from shopfloor.sources.report import ImportReport
from shopfloor.surveys import submissions


class _Rollback(Exception):
    pass


class SurveyImporter(Importer):
    """Base of the submission importers: subclasses implement :meth:`read`."""

    default_licence = "the organisation's own survey data (not published)"

    def read(self, path: Path) -> tuple[list[submissions.RawSubmission], list[str], str]:
        """The file's submissions, its column headers and a description of its format."""
        raise NotImplementedError

    def _organisation(self):
        organisation = self.info.organisation
        if organisation is None:
            raise ImportFailed("say whose survey this is: --organisation NAME")
        return organisation

    def _form(self, organisation) -> SurveyForm:
        forms = SurveyForm.objects.filter(organisation=organisation)
        wanted = self.options.get("form", "")
        if wanted:
            form = forms.filter(form_id=wanted).first()
            if form is None:
                known = ", ".join(forms.values_list("form_id", flat=True)) or "none"
                raise ImportFailed(f"{organisation} has no form {wanted!r} (its forms: {known}); "
                                   "import the XLSForm first: shopfloor import xlsform FILE")
            return form
        if forms.count() == 1:
            return forms.get()
        raise ImportFailed("say which form the submissions are of: --option form=FORM_ID")

    def run(self, path: str | Path, *, dry_run: bool = False,
            progress: Callable[[int, int], None] | None = None) -> ImportReport:
        path = Path(path)
        report = ImportReport(kind=self.kind, file=path.name, dry_run=dry_run)
        if not path.is_file():
            raise ImportFailed(f"{path}: no such file")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise ImportFailed(f"{path.name}: larger than the import limit (IMPORT_MAX_MB)")
        organisation = self._organisation()
        form = self._form(organisation)
        sha = file_sha256(path)
        known = Source.objects.filter(sha256=sha, importer=self.kind,
                                      organisation=organisation).first()
        if known:
            report.already_imported, report.source_id = True, known.pk
            return report
        facility = None
        if self.options.get("facility"):
            try:
                facility = submissions.FacilityResolver()(self.options["facility"])
            except Exception as exc:
                raise ImportFailed(f"option facility: {exc}") from exc
        period = (submissions.parse_period(self.options["period"])
                  if self.options.get("period") else None)
        raw, headers, report.format = self.read(path)
        try:
            with transaction.atomic():
                source = Source.objects.create(
                    publisher=self.info.publisher or organisation.name,
                    title=self.info.title or f"{form.title}: submissions ({path.name})",
                    url=self.info.url, file_name=path.name, sha256=sha,
                    retrieved_on=self.info.retrieved or dt.date.today(),
                    published_on=self.info.published,
                    licence=self.info.licence or self.default_licence, importer=self.kind,
                    dataset=f"{self.kind}:{organisation.pk}:{form.form_id}",
                    organisation=organisation, visibility=Source.Visibility.ORGANISATION)
                report.source_id = source.pk
                submissions.store_submissions(
                    raw, form=form, headers=headers, source=source, report=report,
                    facility=facility, period=period,
                    version_hint=self.options.get("version", ""))
                if dry_run:
                    raise _Rollback
        except _Rollback:
            report.source_id = None
        if report.dropped_columns:
            report.notes.append("identifying columns dropped before storing: "
                                + ", ".join(report.dropped_columns))
        return report
