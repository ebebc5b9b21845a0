"""Better Factories Cambodia / Better Work: the critical-issue criteria and per-factory findings.

One kind, two shapes, told apart by their columns:

* **Criteria** (``no, category, critical_issue`` [, ``text_km``]): the questions BFC publishes
  per factory, e.g. ``../shared/data/reference/bfc_critical_issues_21.csv``. Each row is a
  :class:`~shopfloor.models.Criterion` of the programme (default ``BFC``); a newer version of
  the list updates the texts.
* **Findings** (``factory_name, cycle, criterion_code, status`` [, ``bfc_id, os_id, country,
  assessment_date, detail, source_url, programme``]): one row per factory × cycle × criterion,
  as a researcher copies it from the BFC transparency site (there is no machine-readable
  export). The shipped template ``templates/bfc_findings_template.csv`` shows the format.
  Each factory is resolved to a facility, each factory × cycle is an
  :class:`~shopfloor.models.Assessment`, each row a :class:`~shopfloor.models.Finding`.

Statuses: ``compliant`` (also ``C``, ``yes``, ``true``, ``OK``), ``non-compliant`` (also
``non_compliant``, ``Non-Compliant``, ``not compliant``, ``NC``, ``no``, ``false``) and
``not assessed`` (also ``not_assessed``, ``N/A``, ``not applicable``). ``yes``/``no`` answer
the question "is the factory compliant?".

Every value of a row is checked before anything is written, so a rejected row leaves nothing
behind. A criterion code that is not loaded is rejected: import the criteria list first.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from shopfloor.models import Assessment, Criterion, Facility, Finding
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import Outcome
from shopfloor.sources.tables import join_url_overflow

#: The findings format, ready to fill in (header + fictional example rows).
TEMPLATE = Path(__file__).resolve().parent / "templates" / "bfc_findings_template.csv"

#: Rows whose BFC ID starts with this are the template's fictional examples.
EXAMPLE_PREFIX = "EXAMPLE-"

_C, _NC, _NA = (Finding.Status.COMPLIANT, Finding.Status.NON_COMPLIANT,
                Finding.Status.NOT_ASSESSED)
_STATUS = {
    **dict.fromkeys(("compliant", "c", "yes", "y", "true", "complies", "in compliance", "ok",
                     "pass"), _C),
    **dict.fromkeys(("non compliant", "noncompliant", "not compliant", "nc", "no", "n", "false",
                     "non compliance", "noncompliance", "fail", "violation"), _NC),
    **dict.fromkeys(("not assessed", "notassessed", "na", "n a", "not applicable",
                     "not checked"), _NA),
}
_STATUS_HELP = ("use compliant, non-compliant or not assessed (also accepted: yes = compliant, "
                "no = non-compliant, NC, N/A = not assessed)")
_CYCLE = re.compile(r"^(?:cycle|c)?\s*#?\s*(\d+)$", re.IGNORECASE)
_CRITERIA_COLUMNS = "no, category, critical_issue"
_FINDINGS_COLUMNS = "factory_name, cycle, criterion_code, status"


def finding_status(value) -> str:
    """``"Non-Compliant"``, ``"non_compliant"``, ``"NC"``, ``"no"`` → ``"non_compliant"``."""
    raw = v.text(value)
    if not raw or raw in {"-", "–"}:
        raise RowRejected(f"status is empty: {_STATUS_HELP}")
    key = " ".join(re.findall(r"[a-z]+", raw.casefold()))
    if key not in _STATUS:
        raise RowRejected(f"status {raw!r} is not a finding status: {_STATUS_HELP}")
    return _STATUS[key]


def criterion_code(value) -> str:
    """``"01"``, ``1``, ``1.0``, ``"#1"`` → ``"1"``; other codes are kept, upper-cased."""
    raw = v.text(value).lstrip("#").strip()
    if re.fullmatch(r"\d+(\.0+)?", raw):
        return str(int(float(raw)))
    return raw.upper()


def cycle_number(value) -> int:
    raw = v.text(value)
    match = _CYCLE.match(raw)
    if not raw:
        raise RowRejected("cycle is empty")
    if not match or not 1 <= int(match.group(1)) <= 999:
        raise RowRejected(f"cycle {raw!r} is not an assessment cycle number (1, 2, 3 ...)")
    return int(match.group(1))


class BFCImporter(Importer):
    kind = "bfc"
    description = "Better Factories Cambodia / Better Work criteria or per-factory findings"
    default_publisher = "Better Factories Cambodia (ILO/IFC Better Work)"
    fields = {
        "programme": Column(("program", "bw_programme")),
        "code": Column(("criterion_code", "no", "number", "criterion_no", "issue_no", "ci_no"),
                       help="criterion number, e.g. 1–21 for BFC's critical issues"),
        # criteria lists
        "text": Column(("critical_issue", "criterion_text", "question", "issue")),
        "cluster": Column(("category", "cluster_name")),
        "text_km": Column(("critical_issue_km", "text_khmer", "khmer", "criterion_km")),
        # findings
        "factory_name": Column(("factory", "facility_name", "facility", "name")),
        "bfc_id": Column(("bfc id", "better_work_id", "bw_id", "factory_id")),
        "os_id": Column(("os id", "oar_id")),
        "country": Column(("country_code",)),
        "cycle": Column(("assessment_cycle", "cycle_no")),
        "assessment_date": Column(("assessed_on", "date", "assessment date", "visit_date",
                                   "report_date")),
        "status": Column(("finding", "compliance", "result", "compliance_status")),
        "detail": Column(("details", "finding_detail", "note", "notes", "comment")),
        "source_url": Column(("url", "link", "source")),
    }

    # ---------------------------------------------------------------- shape
    def map_columns(self, table):
        mapping = super().map_columns(table)
        found = ", ".join(repr(c) for c in table.columns)
        if "status" in mapping:
            self.shape, needed = "findings", ("factory_name", "cycle", "code")
        elif "text" in mapping:
            self.shape, needed = "criteria", ("code",)
        else:
            raise ImportFailed(
                f"{table.path.name}: not a BFC file. A criteria list needs the columns "
                f"{_CRITERIA_COLUMNS}; a findings table needs {_FINDINGS_COLUMNS} (see the "
                f"template {TEMPLATE.name}). Columns found: {found}. "
                f"Name them with --map COLUMN=FIELD.")
        missing = [n for n in needed if n not in mapping]
        if missing:
            names = {"code": "criterion_code" if self.shape == "findings" else "no"}
            raise ImportFailed(
                f"{table.path.name}: this looks like a BFC {self.shape} table but has no "
                f"column for {', '.join(names.get(n, n) for n in missing)}. "
                f"Columns found: {found}. Name them with --map COLUMN=FIELD.")
        self.mapped = mapping
        return mapping

    def default_title(self, path: Path, table) -> str:
        return path.stem

    def begin(self, ctx: ImportContext, table) -> None:
        if self.shape == "findings":
            join_url_overflow(table, self.mapped.get("source_url"), ctx.report.notes)
        self.default_programme = (v.text(self.options.get("programme")) or "BFC").upper()
        self.criteria = {(c.programme, c.code.upper()): c for c in Criterion.objects.all()}
        self.seen_criteria: dict[tuple[str, str], tuple[int, tuple]] = {}
        # findings
        try:
            self.default_country = v.country_code(self.options.get("country") or "KH")
        except RowRejected as exc:
            raise ImportFailed(f"option country: {exc}") from exc
        if self.shape == "findings" and "country" not in self.mapped:
            ctx.report.notes.append(
                f"no country column: every factory is taken to be in {self.default_country}")
        self.resolved: dict[tuple, Facility] = {}
        self.assessments: dict[tuple, Assessment | None] = {}
        self.findings: dict[int, dict[int, Finding]] = {}
        self.seen_findings: dict[tuple, tuple[str, int]] = {}
        self.seen_dates: dict[tuple, tuple[dt.date, int]] = {}
        self.example_rows: list[int] = []

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        if self.shape == "criteria":
            return self._criterion(row, ctx)
        if row.text("bfc_id").upper().startswith(EXAMPLE_PREFIX):
            self.example_rows.append(row.number)
        return self._finding(row, ctx)

    def finish(self, ctx: ImportContext) -> None:
        if self.shape != "findings" or not self.example_rows:
            return
        if len(self.example_rows) == ctx.report.rows_read:
            ctx.source.is_demo = True
            ctx.source.save(update_fields=["is_demo"])
            ctx.report.notes.append(
                "every row is a fictional template example (BFC ID EXAMPLE-…): the source is "
                "marked as demo data")
        else:
            rows = ", ".join(str(n) for n in self.example_rows[:20])
            ctx.report.notes.append(
                f"rows {rows} are the template's fictional examples (BFC ID EXAMPLE-…); "
                "delete them from the file and import it again as a newer version")

    def _programme(self, row: Row) -> str:
        programme = row.text("programme").upper() or self.default_programme
        if len(programme) > 40:
            raise RowRejected(f"programme {programme!r} is longer than 40 characters")
        return programme

    # ---------------------------------------------------------------- criteria
    def _criterion(self, row: Row, ctx: ImportContext) -> Outcome:
        programme = self._programme(row)
        code = criterion_code(row.get("code"))
        text, cluster, text_km = row.text("text"), row.text("cluster"), row.text("text_km")
        if not code:
            raise RowRejected("the criterion number (no) is empty")
        if not text:
            raise RowRejected(f"criterion {code}: the text (critical_issue) is empty")
        for name, value, limit in (("no", code, 40), ("critical_issue", text, 300),
                                   ("category", cluster, 100), ("text_km", text_km, 300)):
            if len(value) > limit:
                raise RowRejected(f"{name} is longer than {limit} characters")
        key = (programme, code)
        stated = (text, cluster, text_km)
        if key in self.seen_criteria:
            first, before = self.seen_criteria[key]
            if before != stated:
                raise RowRejected(f"criterion {code} is already given differently in row {first}")
            return Outcome.UNCHANGED
        self.seen_criteria[key] = (row.number, stated)

        crit = self.criteria.get((programme, code.upper()))
        if crit is None:
            crit = Criterion.objects.create(programme=programme, code=code, cluster=cluster,
                                            text=text, text_km=text_km, source=ctx.source)
            self.criteria[(programme, code.upper())] = crit
            return Outcome.CREATED
        changes = {"text": text, "cluster": cluster}
        if text_km:  # a list without Khmer keeps the Khmer texts already known
            changes["text_km"] = text_km
        changed = [f for f, val in changes.items() if getattr(crit, f) != val]
        if not changed:
            return Outcome.UNCHANGED
        for f in changed:
            setattr(crit, f, changes[f])
        crit.source = ctx.source
        crit.save(update_fields=[*changed, "source"])
        return Outcome.UPDATED

    # ---------------------------------------------------------------- findings
    def _finding(self, row: Row, ctx: ImportContext) -> Outcome:
        # 1. every value, before anything is written
        programme = self._programme(row)
        code = criterion_code(row.get("code"))
        if not code:
            raise RowRejected("criterion_code is empty")
        crit = self.criteria.get((programme, code.upper()))
        if crit is None:
            known = sum(1 for p, _ in self.criteria if p == programme)
            raise RowRejected(
                f"criterion_code {code!r} is not a known {programme} criterion "
                f"({known} loaded); import the criteria first, e.g. "
                "`shopfloor import bfc ../shared/data/reference/bfc_critical_issues_21.csv`")
        status = finding_status(row.text("status"))
        cycle = cycle_number(row.get("cycle"))
        assessed_on = v.date(row.get("assessment_date"), field="assessment_date")
        name = row.text("factory_name")
        if not name:
            raise RowRejected("factory_name is empty")
        country = (v.country_code(row.get("country")) if row.get("country")
                   else self.default_country)
        bfc_id = row.text("bfc_id").upper()
        os_id = row.text("os_id").upper()
        if len(bfc_id) > 40:
            raise RowRejected(f"bfc_id {bfc_id!r} is longer than 40 characters")
        if os_id and len(os_id) != 15:
            raise RowRejected(f"os_id {os_id!r} is not a 15-character Open Supply Hub ID")
        detail = row.text("detail")
        url = row.text("source_url")
        if url and not re.match(r"https?://", url, re.IGNORECASE):
            raise RowRejected(f"source_url {url!r} is not a web address (http:// or https://)")
        citation = f"row {row.number}; {url}" if url else f"row {row.number}"
        if len(citation) > 300:
            citation = f"row {row.number}"
            ctx.report.notes.append(f"row {row.number}: source_url too long for the citation")

        # 2. the facility as it would resolve, and conflicts with what is known
        ident = (name.casefold(), country, bfc_id, os_id)
        fac = self.resolved.get(ident) or ctx.facilities.find(
            name=name, country=country, os_id=os_id, bfc_id=bfc_id)
        if fac is not None:
            if bfc_id and fac.bfc_id and fac.bfc_id.upper() != bfc_id:
                raise RowRejected(f"bfc_id {bfc_id} contradicts the facility {fac.name!r} "
                                  f"found for this row, whose BFC ID is {fac.bfc_id}")
            if os_id and fac.os_id and fac.os_id.upper() != os_id:
                raise RowRejected(f"os_id {os_id} contradicts the facility {fac.name!r} "
                                  f"found for this row, whose OS ID is {fac.os_id}")
        akey = (fac.pk if fac is not None else ident, programme, cycle)
        fkey = (*akey, crit.pk)
        if fkey in self.seen_findings:
            before, first = self.seen_findings[fkey]
            if before != status:
                raise RowRejected(
                    f"criterion {code} of cycle {cycle} at {name!r} is {status} here but "
                    f"{before} in row {first}")
            return Outcome.UNCHANGED
        if assessed_on and akey in self.seen_dates:
            before_date, first = self.seen_dates[akey]
            if before_date != assessed_on:
                raise RowRejected(
                    f"assessment_date {assessed_on} differs from {before_date} given in row "
                    f"{first} for cycle {cycle} at {name!r}")
        assessment = self._known_assessment(fac, programme, cycle)
        old = self.findings.get(assessment.pk, {}).get(crit.pk) if assessment else None
        if (old is not None and old.status != status
                and old.source.dataset != ctx.source.dataset):
            raise RowRejected(
                f"criterion {code} of cycle {cycle} at {name!r} is already recorded as "
                f"{old.status} by source #{old.source_id} ({old.source.title!r}), another "
                f"dataset; to correct it, import this file as a newer version of that dataset "
                f"(--dataset {old.source.dataset!r})")

        # 3. writes
        outcomes = []
        if ident in self.resolved:
            fac = self.resolved[ident]
        else:
            learn_os_id = fac is not None and os_id and not fac.os_id
            fac, outcome = ctx.facility_record(
                row, name=name, country=country, os_id=os_id, bfc_id=bfc_id,
                fill={"os_id": os_id} if learn_os_id else None)
            outcomes.append(outcome)
            if fac.pk is None:
                ctx.flush()
            elif bfc_id and not fac.bfc_id:
                Facility.objects.filter(pk=fac.pk).update(bfc_id=bfc_id)
                fac.bfc_id = bfc_id
                ctx.facilities.add(fac)
                outcomes.append(Outcome.UPDATED)
            self.resolved[ident] = fac
        akey = (fac.pk, programme, cycle)
        self.seen_findings[(*akey, crit.pk)] = (status, row.number)
        if assessed_on and akey not in self.seen_dates:
            self.seen_dates[akey] = (assessed_on, row.number)

        assessment, outcome = self._assessment(ctx, row, fac, programme, cycle, assessed_on)
        outcomes.append(outcome)
        outcomes.append(self._write_finding(ctx, assessment, crit, status, detail, citation))
        return max(outcomes)

    def _known_assessment(self, fac: Facility | None, programme: str,
                          cycle: int) -> Assessment | None:
        if fac is None or fac.pk is None:
            return None
        key = (fac.pk, programme, cycle)
        if key not in self.assessments:
            found = (Assessment.objects.select_related("source")
                     .filter(facility_id=fac.pk, programme=programme, cycle=cycle).first())
            self.assessments[key] = found
            if found is not None:
                self.findings[found.pk] = {
                    f.criterion_id: f
                    for f in Finding.objects.select_related("source").filter(assessment=found)}
        return self.assessments[key]

    def _assessment(self, ctx: ImportContext, row: Row, fac: Facility, programme: str,
                    cycle: int, assessed_on: dt.date | None) -> tuple[Assessment, Outcome]:
        assessment = self._known_assessment(fac, programme, cycle)
        if assessment is None:
            assessment = Assessment.objects.create(
                facility=fac, programme=programme, cycle=cycle, assessed_on=assessed_on,
                source=ctx.source)
            self.assessments[(fac.pk, programme, cycle)] = assessment
            self.findings[assessment.pk] = {}
            return assessment, Outcome.CREATED
        if not assessed_on or assessment.assessed_on == assessed_on:
            return assessment, Outcome.UNCHANGED
        if (assessment.assessed_on is None or assessment.source_id == ctx.source.pk
                or assessment.source.dataset == ctx.source.dataset):
            assessment.assessed_on = assessed_on
            assessment.save(update_fields=["assessed_on"])
            return assessment, Outcome.UPDATED
        ctx.report.notes.append(
            f"row {row.number}: {fac.name} cycle {cycle} is dated {assessment.assessed_on} by "
            f"source #{assessment.source_id}; this file says {assessed_on}; kept "
            f"{assessment.assessed_on}")
        return assessment, Outcome.UNCHANGED

    def _write_finding(self, ctx: ImportContext, assessment: Assessment, crit: Criterion,
                       status: str, detail: str, citation: str) -> Outcome:
        known = self.findings.setdefault(assessment.pk, {})
        old = known.get(crit.pk)
        if old is None:
            known[crit.pk] = Finding.objects.create(
                assessment=assessment, criterion=crit, status=status, detail=detail,
                source=ctx.source, citation=citation)
            return Outcome.CREATED
        if (old.status, old.detail) == (status, detail):
            return Outcome.UNCHANGED
        if old.source.dataset != ctx.source.dataset:
            return Outcome.UNCHANGED  # same status from another dataset; its detail is kept
        old.status, old.detail, old.source, old.citation = status, detail, ctx.source, citation
        old.save(update_fields=["status", "detail", "source", "citation"])
        return Outcome.UPDATED
