"""XLSForms: a survey or questionnaire's definition (``survey``, ``choices``, ``settings``).

Read with pyxform, as KoboToolbox and ODK read it; each new ``version`` is kept. The form
belongs to the organisation that runs it.

    shopfloor import xlsform shopfloor/surveys/forms/fair_work_monitor.xlsx \\
        --organisation "Our union"
    shopfloor import xlsform shopfloor/surveys/forms/amplify_supplier_foa.xlsx \\
        --organisation "Tulpwear sourcing & CSR team" --option form_kind=supplier
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from shopfloor.models import Source, SurveyForm
from shopfloor.sources.base import Importer, file_sha256
from shopfloor.sources.errors import ImportFailed
from shopfloor.sources.report import ImportReport
from shopfloor.surveys.forms import FormError, import_xlsform


class _Rollback(Exception):
    pass


class XLSFormImporter(Importer):
    kind = "xlsform"
    description = "An XLSForm survey or questionnaire (.xlsx or .xls)"

    def run(self, path, *, dry_run: bool = False, progress=None) -> ImportReport:
        path = Path(path)
        report = ImportReport(kind=self.kind, file=path.name, dry_run=dry_run, format="XLSForm")
        if not path.is_file():
            raise ImportFailed(f"{path}: no such file")
        organisation = self.info.organisation
        if organisation is None:
            raise ImportFailed("say whose form this is: --organisation NAME")
        kind = self.options.get("form_kind", SurveyForm.Kind.WORKER)
        if kind not in SurveyForm.Kind.values:
            kinds = ", ".join(SurveyForm.Kind.values)
            raise ImportFailed(f"option form_kind: {kind!r}; kinds: {kinds}")
        sha = file_sha256(path)
        report.rows_read = 1
        try:
            with transaction.atomic():
                source = Source.objects.filter(sha256=sha, importer=self.kind,
                                               organisation=organisation).first()
                if source is None:
                    source = Source.objects.create(
                        publisher=self.info.publisher or organisation.name,
                        title=self.info.title or f"XLSForm {path.stem}", url=self.info.url,
                        file_name=path.name, sha256=sha, importer=self.kind,
                        retrieved_on=self.info.retrieved or dt.date.today(),
                        licence=self.info.licence or "", organisation=organisation,
                        visibility=Source.Visibility.ORGANISATION)
                version, created = import_xlsform(path.read_bytes(), organisation,
                                                  source=source, kind=kind,
                                                  file_name=path.name)
                report.source_id = source.pk
                if created:
                    report.created = 1
                    report.notes.append(
                        f"form {version.form.form_id} version {version.version}: "
                        f"{version.questions.filter(identifying=False).count()} questions, "
                        f"languages {', '.join(version.languages)}")
                else:
                    report.unchanged, report.already_imported = 1, True
                if dry_run:
                    raise _Rollback
        except FormError as exc:
            raise ImportFailed(str(exc)) from exc
        except _Rollback:
            report.source_id = None
        return report
