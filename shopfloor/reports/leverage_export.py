"""The buyer-leverage pack as files: PDF, facts with provenance, letters, evidence.

:func:`leverage_zip` writes one ZIP:

* ``pack.pdf`` — the pack (:func:`pack_html` rendered by :func:`shopfloor.reports.pdf.render_pdf`,
  Khmer shaped and copyable);
* ``facts.csv`` — every fact in the pack, one row each, with its provenance (publisher,
  title, URL or file, published, retrieved, licence, citation or row);
* ``letters/<brand>.txt`` (English, for the brand) and ``letters/<brand>.km.txt`` (Khmer,
  the union's own copy);
* ``evidence/`` — the **shared copies** of the files attached to the case (and to its
  monitoring issue), never the originals, and ``evidence/manifest.csv``: each file's path,
  the SHA-256 of the shared copy (computed from the bytes in the ZIP, and whether it matches
  the one recorded when the copy was made), the original's SHA-256 recorded at upload
  (chain of custody: the original stays in the vault) and what metadata the copy lost;
* ``README.txt`` — what is in the pack.

A shared photo that still carries EXIF is refused (:class:`PackError`) rather than
shipped. The ZIP is built in memory and audited (``export``, what="leverage pack", with the
files' SHA-256s) before it is returned: nothing leaves without its trace.

>>> data = leverage_zip(pack, request=request)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from shopfloor import audit
from shopfloor.api.csv import cell
from shopfloor.evidence import media, vault
from shopfloor.evidence.media import METADATA_LABELS
from shopfloor.models import Source
from shopfloor.reports.leverage import LeveragePack
from shopfloor.reports.pdf import render_pdf

FACT_COLUMNS = ["section", "subject", "item", "value", "year", "note", "publisher", "title",
                "location", "published_on", "retrieved_on", "licence", "citation"]
MANIFEST_COLUMNS = ["path", "kind", "stage", "attached_to", "sha256_shared",
                    "shared_matches_record", "sha256_original", "original_in_pack",
                    "metadata_removed", "uploaded_on", "record"]
#: The pack's stylesheet on top of the print stylesheet.
PACK_CSS = """
.kicker { color: #57606a; text-transform: uppercase; font-size: 8pt; margin: 0; }
dl.identity { margin: 1mm 0 2mm; display: grid; grid-template-columns: 45mm 1fr;
  column-gap: 3mm; row-gap: 0.6mm; }
dl.identity dt { color: #57606a; }
dl.identity dd { margin: 0; }
th small, td small, h1 small { display: block; font-weight: 400; }
h4 { font-size: 9.5pt; margin: 3mm 0 1mm; }
.meta { color: #57606a; margin: 0 0 1mm; }
.values { padding-left: 4mm; margin: 0; } .values .year { font-weight: 600; padding-right: 1.5mm; }
.verdict-applies { color: #a40e26; font-weight: 600; }
.verdict-likely { color: #9a6700; font-weight: 600; }
.verdict-unknown, .verdict-not { color: #57606a; }
.letter { white-space: pre-wrap; font-size: 8.5pt; line-height: 1.5; border: 0.4pt solid #d0d7de;
  padding: 3mm; font-family: "Noto Sans", "DejaVu Sans", "Noto Sans Khmer", sans-serif; }
.letter:lang(km) { font-family: "Noto Sans Khmer", "Noto Sans", sans-serif; line-height: 1.8; }
.laws { margin: 0; padding-left: 4mm; } .laws li { margin-bottom: 1mm; }
.earlier { border-left: 1mm solid #d0d7de; padding-left: 3mm; }
.tag { background: #fff8c5; padding: 0.5mm 1.5mm; }
code { font-size: 7.5pt; word-break: break-all; }
"""


class PackError(RuntimeError):
    """The pack cannot be exported safely (a shared copy with metadata, a missing file)."""


def pack_html(pack: LeveragePack) -> str:
    """The pack as one HTML document, in the pack's language (what ``pack.pdf`` shows)."""
    with translation.override(pack.language):
        return render_to_string("shopfloor/reports/leverage_pack.html", {
            "pack": pack, "LANGUAGE_CODE": pack.language, "web": False})


def pack_pdf(pack: LeveragePack) -> bytes:
    return render_pdf(pack_html(pack), stylesheets=(PACK_CSS,))


# -- facts with provenance ----------------------------------------------------------------


def _source(source: Source, citation: str = "") -> dict:
    return {"publisher": source.publisher, "title": source.title,
            "location": source.location, "published_on": source.published_on,
            "retrieved_on": source.retrieved_on, "licence": source.licence,
            "citation": citation}


def _record(provenance: dict, citation: str = "") -> dict:
    return {"publisher": provenance["publisher"], "title": str(provenance["title"]),
            "location": provenance["location"], "published_on": "",
            "retrieved_on": provenance["retrieved_on"], "licence": provenance["licence"],
            "citation": citation or f"row {provenance['row']}"}


def _company_record(company) -> dict:
    names = "; ".join(f"{s.publisher}: {s.title}" for s in company.sources.all()
                      if s.visibility == Source.Visibility.PUBLIC)
    return {"publisher": "Shopfloor", "title": _("company record"),
            "location": f"shopfloor:company/{company.pk}", "published_on": "",
            "retrieved_on": "", "licence": "",
            "citation": _("named in: %(sources)s") % {"sources": names} if names else ""}


def fact_rows(pack: LeveragePack) -> list[dict]:
    """Every fact in the pack, one dict each (:data:`FACT_COLUMNS`), in the pack's
    language."""
    with translation.override(pack.language):
        return _fact_rows(pack)


def _fact_rows(pack: LeveragePack) -> list[dict]:
    rows: list[dict] = []

    def add(section, subject, item, value, year="", note="", **provenance):
        rows.append({"section": section, "subject": subject, "item": str(item),
                     "value": value, "year": year, "note": note, **provenance})

    facility, record = pack.facility, pack.record
    canonical = {"publisher": "Shopfloor", "title": _("facility record"),
                 "location": f"shopfloor:facility/{facility.pk}", "published_on": "",
                 "retrieved_on": "", "licence": "",
                 "citation": _("matched from the source rows listed as “described by”")}
    for item, value in ((_("name"), facility.name), (_("name in Khmer script"), facility.name_km),
                        (_("Open Supply Hub ID"), facility.os_id),
                        (_("Better Work / BFC ID"), facility.bfc_id),
                        (_("address"), facility.address), (_("province"), facility.province),
                        (_("country"), facility.country)):
        if value:
            add("facility", facility.name, item, value, **canonical)
    for rec in pack.facility_records:
        add("facility", facility.name, _("described by"), rec.name,
            **_source(rec.source, f"row {rec.row_number}"))

    prov = record.provenance
    what = _("case") if pack.kind == "case" else _("monitoring issue")
    add(pack.kind, what, _("what"), pack.what, pack.year, **_record(prov))
    add(pack.kind, what, _("date"), pack.date, pack.year, **_record(prov))
    add(pack.kind, what, _("status"), record.get_status_display(), **_record(prov))
    if pack.kind == "case" and record.closed_on:
        add(pack.kind, what, _("closed on"), record.closed_on, **_record(prov))
    if record.workers_female is not None:
        add(pack.kind, what, _("women affected"), record.workers_female, **_record(prov))
    if record.workers_male is not None:
        add(pack.kind, what, _("men affected"), record.workers_male, **_record(prov))
    for label, n in pack.union_role_labels:
        add(pack.kind, what, _("workers by union role"), n, note=label,
            **_record(prov, _("workers of the case")))
    for e in pack.escalations:
        add("escalation", what, e.get_body_display(),
            e.company.name if e.company else e.body_name, e.on.year, note=e.on.isoformat()
            + (f" · {e.reference}" if e.reference else ""),
            **_record(prov, f"escalation {e.pk}"))
    for o in pack.outcomes:
        value = (f"{o.amount} {o.currency}" if o.amount is not None else o.workers or "")
        note = o.on.isoformat()
        if o.workers and o.amount is not None:
            note += " · " + _("%(n)s workers") % {"n": o.workers}
        if o.confirmed_by_worker_on:
            note += " · " + _("confirmed by the worker on %(date)s") % {
                "date": o.confirmed_by_worker_on.isoformat()}
        add("outcome", what, o.get_kind_display(), value, o.on.year, note=note,
            **_record(prov, f"outcome {o.pk}"))

    for section, buyers in (("buyer", pack.buyers), ("earlier buyer", pack.earlier_buyers)):
        for buyer in buyers:
            _buyer_rows(add, section, buyer, facility)

    for pf in pack.files:
        f = pf.file
        add("evidence file", what, f.get_kind_display(), pf.path,
            f.created_at.date() if f.created_at else "",
            note=_("stage: %(stage)s; SHA-256 of the original: %(sha)s; removed from the "
                   "copy: %(removed)s") % {
                "stage": pf.stage_label, "sha": f.sha256,
                "removed": ", ".join(str(METADATA_LABELS.get(k, k))
                                     for k in f.removed_metadata) or "–"},
            **_record(f.provenance))
    return rows


def _buyer_rows(add, section: str, buyer, facility) -> None:
    name = buyer.company.name
    for rel in buyer.relationships:
        add(section, name, _("sources from"), facility.name, rel.period,
            **_source(rel.source, rel.citation))
    company = buyer.company
    if company.hq_country:
        add("company", name, _("headquarters country"), company.hq_country,
            **_company_record(company))
    if company.employees is not None:
        add("company", name, _("employees worldwide"), company.employees,
            **_company_record(company))
    for group, rel in buyer.owners:
        add("owner", name, _("owned by"), group.name, rel.period,
            note=_("headquarters %(country)s, %(n)s employees") % {
                "country": group.hq_country or "?", "n": group.employees or "?"},
            **_source(rel.source, rel.citation))
    for dp in buyer.commitments:
        value = dp.value_text or _number(dp.value_number)
        add("commitment", name, dp.metric.display_name, value, dp.year or "",
            note=dp.get_verification_display(), **_source(dp.source, dp.citation))
    for law in buyer.laws:
        add("law", name, law.law.name, law.label, note=law.sentence(),
            publisher=law.law.publisher, title=law.law.source_title,
            location=law.law.source_url, published_on=law.law.in_force_since or "",
            retrieved_on="", licence=_("official text"), citation=law.law.citation)


def _number(value: Decimal | None) -> str:
    """``60.0000`` → ``60``, ``78.5000`` → ``78.5`` (as the source gave it)."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def facts_csv(pack: LeveragePack) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in row.items()} for row in fact_rows(pack))
    return buf.getvalue().encode("utf-8-sig")  # BOM: spreadsheets then read Khmer correctly


# -- evidence -------------------------------------------------------------------------------


def _shared_copies(pack: LeveragePack) -> list[tuple[str, bytes, dict]]:
    """``(path, bytes, manifest row)`` of every file's shared copy; refuses a photo copy
    that still has EXIF."""
    out = []
    for pf in pack.files:
        f = pf.file
        try:
            with vault.read_variant(f, "shared") as stream:
                data = stream.read()
        except (FileNotFoundError, OSError) as e:
            raise PackError(_("The shared copy of evidence file %(n)s is missing from the "
                              "vault.") % {"n": f.pk}) from e
        if f.kind == f.Kind.PHOTO and media.has_exif(data):
            raise PackError(_("The shared copy of evidence file %(n)s still carries "
                              "metadata; it is not exported.") % {"n": f.pk})
        digest = hashlib.sha256(data).hexdigest()
        out.append((pf.path, data, {
            "path": pf.path, "kind": f.kind, "stage": pf.stage, "attached_to": pf.attached_to,
            "sha256_shared": digest,
            "shared_matches_record": ("yes" if digest == f.shared_sha256 else
                                      "no" if f.shared_sha256 else "not recorded"),
            "sha256_original": f.sha256, "original_in_pack": "no",
            "metadata_removed": "; ".join(f.removed_metadata) or "none found",
            "uploaded_on": f.created_at.date().isoformat() if f.created_at else "",
            "record": f.provenance["location"]}))
    return out


def _manifest(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue().encode("utf-8")


def _readme(pack: LeveragePack) -> str:
    with translation.override(pack.language):
        return render_to_string("shopfloor/reports/leverage_readme.txt", {"pack": pack})


def leverage_zip(pack: LeveragePack, *, request=None) -> bytes:
    """The pack as a ZIP (see the module docstring), audited as an export."""
    copies = _shared_copies(pack)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", _readme(pack))
        zf.writestr("pack.pdf", pack_pdf(pack))
        zf.writestr("facts.csv", facts_csv(pack))
        for buyer in pack.buyers:
            zf.writestr(f"letters/{buyer.slug}.txt", buyer.letters["en"])
            zf.writestr(f"letters/{buyer.slug}.km.txt", buyer.letters["km"])
        for path, data, _row in copies:
            zf.writestr(path, data)
        zf.writestr("evidence/manifest.csv", _manifest([row for *_rest, row in copies]))
    data = buf.getvalue()
    reader = pack.reader if getattr(pack.reader, "pk", None) is not None else None
    audit.record(
        "export", request=request, actor=reader if request is None else None,
        obj=pack.record, organisation=pack.organisation.pk,
        what="leverage pack", format="zip", language=pack.language,
        facility=pack.facility.pk, year=pack.year,
        brands=[b.company.name for b in pack.buyers],
        files=[{"file": pf.file.pk, "sha256_shared": row["sha256_shared"]}
               for pf, (_path, _data, row) in zip(pack.files, copies, strict=True)],
        sha256=hashlib.sha256(data).hexdigest(),
        reader="system" if reader is None else "user")
    return data
