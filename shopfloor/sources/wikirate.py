"""Wikirate (wikirate.org): metric answers, relationship answers and company lists.

One kind reads three shapes of file, told apart by their columns (CSV, XLSX or JSON):

* **answers** — Wikirate's answer export ``Answer Page, Metric, Company, Year, Value,
  Source Page`` (detailed: ``+ Answer ID, Original Source, Source Count, Comments``), its
  JSON (``metric, company, year, value, id, html_url, sources, comments``) and flattened
  files such as ``answer_id, metric, company, year, value, answer_url``. Each answer is a
  :class:`~shopfloor.models.Datapoint` of a metric named after Wikirate's
  ``Designer+Title``; brand-level metrics describe companies, factory-level ones (the Clean
  Clothes Campaign *Living Wage Gap*, or ``level="facility"``) describe facilities.
* **relationships** — ``Relationship Link, Metric, Subject Company, Object Company, Year,
  Value`` (or JSON with ``subject_company``/``object_company``): ``Commons+Has Brands``
  becomes ``owns_brand``, ``Supplied By``/``Supplier Of`` become ``sources_from``.
* **companies** — ``name, headquarters, aliases, ...``: companies with their aliases and
  headquarters country.

Wikirate identifies an answer by metric, company and year, so all Wikirate answer files are
one dataset (``wikirate:answers``): a newer export updates the values an older one gave.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import slugify

from shopfloor.models import Company, Metric, Relationship
from shopfloor.sources import values as v
from shopfloor.sources.base import Column, ImportContext, Importer, Row, header_key
from shopfloor.sources.errors import ImportFailed, RowRejected
from shopfloor.sources.report import Outcome

WIKIRATE = "https://wikirate.org"

ANSWER_FIELDS = {
    "metric": Column(("metric name", "metric_name", "name"), required=True,
                     help="Wikirate metric as Designer+Title"),
    "company": Column(("company name", "company_name"), required=True),
    "year": Column(("answer year",), required=True),
    "value": Column(("answer", "answer value", "value_pct_of_living_wage"), required=True),
    "answer_url": Column(("answer page", "answer url", "answer link", "html_url", "url",
                          "link")),
    "answer_id": Column(("answer id", "id")),
    "source_page": Column(("source page", "sources", "source", "source url", "source link")),
    "original_source": Column(("original source", "link to original source")),
    "source_count": Column(("source count",)),
    "comments": Column(("comment", "discussion")),
    "metric_id": Column(("metric id",)),
    "company_id": Column(("company id",)),
    "country": Column(("country code", "facility country")),
    "level": Column(("answer level", "subject level"),
                    help="facility or company: what the answer is about (Shopfloor's "
                         "open-data export writes it); the level option wins"),
}

RELATIONSHIP_FIELDS = {
    "metric": Column(("metric name", "metric_name", "name"), required=True,
                     help="relationship metric, e.g. Commons+Has Brands"),
    "subject_company": Column(("subject company", "subject_company(owner)", "subject"),
                              required=True),
    "object_company": Column(("object company", "object_company(brand)", "object"),
                             required=True),
    "year": Column(("answer year",)),
    "value": Column(("answer",)),
    "relationship_link": Column(("relationship link", "relationship page", "relationship url",
                                 "answer page", "html_url", "url", "link")),
    "relationship_id": Column(("relationship id", "answer id", "id")),
    "subject_company_id": Column(("subject company id",)),
    "object_company_id": Column(("object company id",)),
    "source_page": Column(("source page", "sources", "source")),
    "comments": Column(("comment", "discussion")),
}

COMPANY_FIELDS = {
    "name": Column(("company", "company name", "company_name"), required=True),
    "headquarters": Column(("headquarters location", "hq", "country")),
    "aliases": Column(("alias", "also known as")),
    "company_id": Column(("company id", "id", "wikirate id")),
    "link": Column(("company page", "html_url", "url")),
    "open_corporates": Column(("opencorporates", "open corporates")),
    "oar_id": Column(("oar id", "os_id", "os id")),
    "wikipedia": Column(()),
    "sec_cik": Column(("sec cik", "cik")),
}

SHAPES = {"answers": ANSWER_FIELDS, "relationships": RELATIONSHIP_FIELDS,
          "companies": COMPANY_FIELDS}

# Header names (as header_key gives them) that tell the shapes apart.
_RELATIONSHIP_KEYS = {"subject_company", "subject_company_owner", "object_company",
                      "object_company_brand", "relationship_link", "relationship_id",
                      "relationship_page"}
_ANSWER_KEYS = {"metric", "metric_name", "answer_page", "answer_url", "answer_id",
                "answer_link", "value"}
_COMPANY_KEYS = {"headquarters", "headquarters_location", "aliases", "alias",
                 "open_corporates", "oar_id", "sec_cik", "wikipedia"}

#: Fields read but not stored; their columns are listed in the report's dropped columns.
_NOT_STORED = {"comments", "source_count", "metric_id", "open_corporates", "oar_id",
               "wikipedia", "sec_cik", "link"}

#: Metrics about factories, not brands (matched in the metric code).
_FACILITY_METRICS = ("living-wage-gap",)
#: Factory metrics whose published answers are all Cambodian factories.
_CAMBODIAN_METRICS = ("clean-clothes-campaign-living-wage-gap",)

#: (words in the relationship metric's title, relationship kind, subject is the owner/buyer)
_RELATIONSHIP_KINDS = (
    ("has brand", Relationship.Kind.OWNS_BRAND, True),
    ("brand of", Relationship.Kind.OWNS_BRAND, False),
    ("supplied by", Relationship.Kind.SOURCES_FROM, True),
    ("supplier of", Relationship.Kind.SOURCES_FROM, False),
)

_TOPICS = (
    (("wage", "labour cost", "labor cost", "salary", "salaries"), Metric.Topic.WAGES),
    (("collective agreement", "cba"), Metric.Topic.CBA),
    (("union", "association", "bargaining"), Metric.Topic.FOA),
    (("transparen", "disclos"), Metric.Topic.TRANSPARENCY),
    (("health", "safety"), Metric.Topic.OSH),
)

_LEGAL_WORDS = {"co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd",
                "limited", "plc", "sa", "ag", "se", "gmbh", "group", "holding", "holdings",
                "the", "and"}
_HQ_METRICS = {"core-country", "core-headquarters-location"}
_MAX_NUMBER = Decimal(10) ** 12  # Datapoint.value_number: 16 digits, 4 decimal places
_FOUR_PLACES = Decimal("0.0001")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def card_name(text: str) -> str:
    """Wikirate's URL form of a name: ``"Gap inc."`` → ``"Gap_inc"``."""
    return re.sub(r"\W+", "_", text).strip("_")


def _page(url: str) -> str:
    """The human page for a Wikirate API URL (``...+2024.json`` → ``...+2024``)."""
    url = url.strip()
    if url.startswith(WIKIRATE) and url.endswith(".json"):
        url = url[: -len(".json")]
    return url


def _name_and_id(value) -> tuple[str, str]:
    """A company as a name, or as Wikirate's JSON object ``{"name": ..., "id": ...}``."""
    if isinstance(value, dict):
        return v.text(value.get("name")), v.text(value.get("id"))
    return v.text(value), ""


def split_metric(raw) -> tuple[str, str]:
    """``"Designer+Title"`` (or a card name ``Designer+Title+Company+Year``) → parts."""
    name = v.text(raw)
    designer, sep, rest = name.partition("+")
    if not sep:
        return "", name
    return designer.strip(), rest.split("+")[0].strip()


def hq_country(value) -> str:
    """ISO code of a Wikirate headquarters: ``"California (United States)"`` → ``"US"``,
    ``"Ontario, Canada"`` → ``"CA"``, ``"Hong Kong"`` → ``"HK"``; ``""`` when unknown.

    Wikirate writes a region with its country in parentheses, so the parentheses win.
    """
    raw = v.text(value)
    if not raw:
        return ""
    tries = re.findall(r"\(([^()]+)\)", raw)
    if "," in raw:
        tries.append(raw.rsplit(",", 1)[1])
    tries += [raw, re.split(r"[(,]", raw)[0]]
    for candidate in tries:
        try:
            return v.country_code(candidate.strip())
        except RowRejected:
            continue
    return ""


def _source_urls(value) -> list[str]:
    """Source pages of an answer: a URL, several, a ``Source-000…`` name, or JSON objects."""
    items = value if isinstance(value, list) else [value]
    urls: list[str] = []
    for item in items:
        if isinstance(item, dict):
            url = v.text(item.get("html_url") or item.get("url") or item.get("link"))
            if not url and v.text(item.get("name")):
                url = f"{WIKIRATE}/{card_name(v.text(item['name']))}"
            if url:
                urls.append(_page(url))
            continue
        for token in re.split(r"[\s;,]+", v.text(item)):
            if token.startswith(("http://", "https://")):
                urls.append(_page(token))
            elif re.fullmatch(r"Source-\d+", token):
                urls.append(f"{WIKIRATE}/{token}")
    return list(dict.fromkeys(urls))


def _value(raw) -> Decimal | str | None:
    """An answer's value: a number rounded to 4 places, text, or None when blank."""
    if isinstance(raw, list):
        parts = [v.text(p) for p in raw if not v.is_missing(p)]
        return "; ".join(parts) or None
    if isinstance(raw, dict):
        raise RowRejected(f"value: {v.text(raw)[:80]!r} is not a value")
    if v.is_missing(raw):
        return None
    try:
        number = v.number(raw)
    except RowRejected:
        return v.text(raw)
    if number is None:
        return None
    number = number.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
    if abs(number) >= _MAX_NUMBER:
        raise RowRejected(f"value: {v.text(raw)!r} is too large to store")
    return number


def _topic(text: str) -> str:
    lowered = text.casefold()
    for words, topic in _TOPICS:
        if any(re.search(rf"\b{re.escape(w)}", lowered) for w in words):
            return topic
    return Metric.Topic.OTHER


def _fit(*parts: str, limit: int = 300) -> str:
    """Join citation parts, dropping trailing ones that do not fit the field."""
    out = ""
    for i, part in enumerate(p for p in parts if p):
        candidate = part if i == 0 else f"{out}; {part}"
        if len(candidate) > limit:
            break
        out = candidate
    return out or parts[0][:limit]


def _first(row: Row, field: str, *raw_keys: str):
    """The field's value, or else the first of the raw keys given (JSON items vary)."""
    value = row.get(field)
    if value is not None:
        return value
    for key in raw_keys:
        value = row.raw.get(key)
        if not v.is_missing(value) and not isinstance(value, dict | list):
            return value
    return None


def _metric_of(row: Row):
    """The metric, or else the ``Designer+Title`` at the start of a JSON card name."""
    value = row.get("metric")
    if isinstance(value, dict):
        value = value.get("name")
    if v.is_missing(value) and "+" in v.text(row.raw.get("name")):
        value = row.raw.get("name")
    return value


def _is_legal_form(alias: str) -> bool:
    words = re.findall(r"\w+", alias.casefold())
    return not words or all(w in _LEGAL_WORDS for w in words)


class WikirateImporter(Importer):
    kind = "wikirate"
    description = "Wikirate answers, relationship answers or companies (CSV, XLSX or JSON)"
    default_publisher = "Wikirate"
    default_licence = "CC-BY-4.0"
    fields = ANSWER_FIELDS  # the answers shape; map_columns picks the shape per file

    # ---------------------------------------------------------------- columns
    def map_columns(self, table):
        shape, why = self._detect_shape(table)
        self.shape = shape
        self.fields = SHAPES[shape]
        if shape == "answers":
            self._map_value_column(table)
        self.mapped = super().map_columns(table)
        self.shape_note = (f"read as Wikirate {shape} ({why}); columns used: "
                           + ", ".join(f"{c}→{f}" for f, c in self.mapped.items()))
        if not self.info.dataset:
            self.info = dataclasses.replace(self.info, dataset=f"wikirate:{shape}")
        return self.mapped

    def _detect_shape(self, table) -> tuple[str, str]:
        forced = v.text(self.options.get("shape")).casefold()
        if forced:
            if forced not in SHAPES:
                raise ImportFailed(f"shape={forced!r}: use one of {', '.join(SHAPES)}")
            return forced, "shape given"
        keys = {header_key(c) for c in table.columns}
        keys |= set(self.column_map.values())
        for shape, markers in (("relationships", _RELATIONSHIP_KEYS),
                               ("answers", _ANSWER_KEYS), ("companies", _COMPANY_KEYS)):
            found = sorted(keys & markers)
            if found:
                return shape, f"columns {', '.join(found)}"
        if any(k.startswith("value") for k in keys):
            return "answers", "a value column"
        return "answers", "no relationship or company columns"

    def _map_value_column(self, table) -> None:
        """A flattened file may name its value ``value_pct_of_living_wage`` and the like."""
        keys = {header_key(c): c for c in table.columns}
        aliases = {header_key(a) for a in ("value", *ANSWER_FIELDS["value"].aliases)}
        if "value" in self.column_map.values() or aliases & keys.keys():
            return
        candidates = [c for k, c in keys.items() if k.startswith("value_")]
        if len(candidates) == 1:
            self.column_map = {**self.column_map, candidates[0]: "value"}

    # ---------------------------------------------------------------- run
    def begin(self, ctx: ImportContext, table) -> None:
        ctx.report.notes.append(self.shape_note)
        dropped = [c for c in table.columns if c not in self.mapped.values()]
        not_stored = _NOT_STORED | ({"value"} if self.shape == "relationships" else set())
        dropped += [self.mapped[f] for f in sorted(not_stored) if f in self.mapped]
        ctx.report.dropped_columns.extend(dropped)
        level = v.text(self.options.get("level")).casefold()
        if level and level not in ("facility", "company", "brand"):
            raise ImportFailed(f"level={level!r}: use facility or company")
        self.level = level
        country = self.options.get("country")
        try:
            self.country = v.country_code(country) if country else ""
        except RowRejected as exc:
            raise ImportFailed(f"country={country!r}: {exc}") from exc
        self.unit_hint = "%" if re.search(r"pct|percent",
                                          header_key(self.mapped.get("value", ""))) else ""
        self.counts = dict.fromkeys(
            ("blank", "comments", "assumed_kh", "self", "merged", "aliases_skipped",
             "hq_filled", "facility_answers", "repeated"), 0)
        self.hq_unknown: list[str] = []
        self.metrics: dict[str, Metric] = {}
        self.levels: dict[str, bool] = {}
        self.by_name: dict[str, Company] = {}
        self.by_wikirate_id: dict[str, Company] = {}
        self.db_names: set[str] = set()
        for name, aliases in Company.objects.values_list("name", "aliases"):
            self.db_names.update(_key(n) for n in (name, *(aliases or [])))

    def import_row(self, row: Row, ctx: ImportContext) -> Outcome:
        if self.shape == "relationships":
            return self._relationship_row(row, ctx)
        if self.shape == "companies":
            return self._company_row(row, ctx)
        return self._answer_row(row, ctx)

    def finish(self, ctx: ImportContext) -> None:
        c, notes = self.counts, ctx.report.notes
        if c["blank"]:
            notes.append(f"{c['blank']} rows without a value (blank or 'Unknown') were "
                         "skipped: a missing answer is not stored")
        if c["comments"]:
            notes.append(f"{c['comments']} answers have comments (evidence quotes) that are "
                         "not stored; they are on the cited answer pages")
        if c["facility_answers"]:
            notes.append(f"{c['facility_answers']} answers are about factories and were "
                         "stored for facilities, not companies")
        if c["assumed_kh"]:
            notes.append(f"{c['assumed_kh']} factory answers have no country column: "
                         "Cambodia (KH) assumed, as the Clean Clothes Campaign living wage gap "
                         "answers are Cambodian factories (give a country column, or the country "
                         "option, to change it)")
        if c["self"]:
            notes.append(f"{c['self']} relationships of a company with itself were skipped")
        if c["repeated"]:
            notes.append(f"{c['repeated']} rows state a relationship already known from "
                         "this file (e.g. the same answer in two snapshots) or this dataset")
        if c["merged"]:
            notes.append(f"{c['merged']} company names were recognised as the same Wikirate "
                         "company (same company id) and kept as aliases")
        if c["aliases_skipped"]:
            notes.append(f"{c['aliases_skipped']} aliases were not added because they are "
                         "a legal form only or name another company")
        if self.hq_unknown:
            notes.append(f"{len(self.hq_unknown)} headquarters are not a known country and "
                         f"were left empty: {', '.join(self.hq_unknown[:5])}")
        if c["hq_filled"]:
            notes.append(f"headquarters country filled for {c['hq_filled']} companies")
        if self.shape == "relationships" and "value" in self.mapped:
            notes.append("the relationship value (the brand's sector) is not stored")

    # ---------------------------------------------------------------- companies
    def _company(self, ctx: ImportContext, name: str, wikirate_id: str = "",
                 **defaults) -> tuple[Company, bool]:
        """The company by name (or by Wikirate id within this file); True if created."""
        key = _key(name)
        if not key:
            raise RowRejected("company name is empty")
        comp = self.by_name.get(key)
        created = False
        if comp is None and wikirate_id and key not in self.db_names:
            comp = self.by_wikirate_id.get(wikirate_id)
            if comp is not None:
                self._add_aliases(comp, [name])
                self.counts["merged"] += 1
        if comp is None:
            created = key not in self.db_names
            comp = ctx.company(name, **defaults)
        self.by_name[key] = comp
        if wikirate_id:
            self.by_wikirate_id.setdefault(wikirate_id, comp)
        return comp, created

    def _add_aliases(self, comp: Company, names: list[str]) -> bool:
        known = {_key(comp.name), *(_key(a) for a in comp.aliases or [])}
        new = []
        for name in names:
            key = _key(name)
            if not key or key in known:
                continue
            other = self.by_name.get(key)
            if _is_legal_form(name) or (other is not None and other.pk != comp.pk) or (
                    other is None and key in self.db_names):
                self.counts["aliases_skipped"] += 1
                continue
            new.append(" ".join(name.split()))
            known.add(key)
        if not new:
            return False
        comp.aliases = [*(comp.aliases or []), *new]
        Company.objects.filter(pk=comp.pk).update(aliases=comp.aliases)
        return True

    def _fill_hq(self, comp: Company, country: str) -> bool:
        if not country or comp.hq_country:
            return False
        comp.hq_country = country
        Company.objects.filter(pk=comp.pk).update(hq_country=country)
        self.counts["hq_filled"] += 1
        return True

    def _company_row(self, row: Row, ctx: ImportContext) -> Outcome:
        name = row.text("name")
        if not name:
            raise RowRejected("name is empty")
        hq_raw = row.text("headquarters")
        hq = hq_country(hq_raw)
        raw_aliases = row.get("aliases")
        if isinstance(raw_aliases, list):
            aliases = [v.text(a) for a in raw_aliases]
        else:
            aliases = [a.strip() for a in re.split(r"[;\n]", v.text(raw_aliases))]
        aliases = [a for a in aliases if a]
        comp, created = self._company(ctx, name, row.text("company_id"),
                                      kind=Company.Kind.BRAND, hq_country=hq)
        changed = self._add_aliases(comp, aliases)
        changed = self._fill_hq(comp, hq) or changed
        if hq_raw and not hq:
            self.hq_unknown.append(f"row {row.number} {hq_raw!r}")
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if changed else Outcome.UNCHANGED

    # ---------------------------------------------------------------- answers
    def _metric_spec(self, raw_metric, row_level: str = "") -> tuple[str, str, str, bool]:
        """(code, designer, title, facility-level) of a metric, without creating it: the
        level option, else the row's level column, else a known metric's subject, else
        the metric's name decides."""
        designer, title = split_metric(raw_metric)
        if not title:
            raise RowRejected("metric is empty")
        full = f"{designer}+{title}" if designer else title
        code = slugify(full.replace("+", " "))[:120].strip("-")
        if not code:
            raise RowRejected(f"metric {full!r} has no letters or digits")
        if code not in self.levels:
            level = self.level or (row_level if row_level in ("facility", "company",
                                                              "brand") else "")
            if level:
                facility_level = level == "facility"
            else:
                known = Metric.objects.filter(code=code).values_list("subject", flat=True)
                facility_level = (known[0] == Metric.Subject.FACILITY if known
                                  else any(m in code for m in _FACILITY_METRICS))
            self.levels[code] = facility_level
        return code, designer, title, self.levels[code]

    def _metric(self, ctx: ImportContext, code: str, designer: str, title: str,
                facility_level: bool, value) -> Metric:
        if code in self.metrics:
            return self.metrics[code]
        full = f"{designer}+{title}" if designer else title
        if isinstance(value, Decimal):
            percent = bool(self.unit_hint) or "%" in title or "percent" in title.casefold()
            value_type = Metric.ValueType.PERCENT if percent else Metric.ValueType.NUMBER
            unit = "%" if percent else ""
        else:
            value_type = (Metric.ValueType.CATEGORY if len(value) <= 100
                          else Metric.ValueType.TEXT)
            unit = ""
        page = f": {WIKIRATE}/{card_name(designer)}+{card_name(title)}" if designer else ""
        self.metrics[code] = ctx.metric(
            code, name=title[:300], topic=_topic(full), unit=unit, value_type=value_type,
            subject=Metric.Subject.FACILITY if facility_level else Metric.Subject.COMPANY,
            description=f"Wikirate metric {full!r}{page}")
        return self.metrics[code]

    def _answer_citation(self, row: Row, designer: str, title: str, company: str,
                         year: int) -> str:
        url = _page(v.text(_first(row, "answer_url", "html_url", "url")))
        answer_id = v.text(_first(row, "answer_id", "id"))
        if not url and answer_id.isdigit():
            url = f"{WIKIRATE}/~{answer_id}"
        if not url:
            metric = "+".join(card_name(p) for p in (designer, title) if p)
            url = f"{WIKIRATE}/{metric}+{card_name(company)}+{year}"
        ident = f"answer {answer_id}" if answer_id and answer_id not in url else ""
        sources = _source_urls(row.get("source_page"))
        if not sources:
            sources = _source_urls(row.get("original_source"))
        source = f"source: {sources[0]}" if len(sources) == 1 else ""
        return _fit(url, ident, source)

    def _answer_row(self, row: Row, ctx: ImportContext) -> Outcome:
        value = _value(row.get("value"))
        if value is None:
            self.counts["blank"] += 1
            return Outcome.UNCHANGED
        raw_metric = _metric_of(row)
        company, company_id = _name_and_id(row.get("company"))
        company_id = company_id or row.text("company_id")
        if not company:
            raise RowRejected("company is empty")
        year = v.year(row.get("year"))
        if year is None:
            raise RowRejected("year is empty")
        code, designer, title, facility_level = self._metric_spec(
            raw_metric, row.text("level").casefold())
        citation = self._answer_citation(row, designer, title, company, year)
        country = self._facility_country(row, code) if facility_level else ""
        metric = self._metric(ctx, code, designer, title, facility_level, value)
        if row.text("comments"):
            self.counts["comments"] += 1
        if facility_level:
            facility, outcome = ctx.facility_record(row, name=company, country=country)
            self.counts["facility_answers"] += 1
            return max(outcome, ctx.datapoint(metric, value=value, year=year,
                                              facility=facility, citation=citation))
        comp, created = self._company(ctx, company, company_id, kind=Company.Kind.BRAND)
        outcome = ctx.datapoint(metric, value=value, year=year, company=comp,
                                citation=citation)
        if metric.code in _HQ_METRICS and isinstance(value, str):
            self._fill_hq(comp, hq_country(value))
        return max(outcome, Outcome.CREATED if created else Outcome.UNCHANGED)

    def _facility_country(self, row: Row, code: str) -> str:
        if row.get("country") is not None:
            return v.country_code(row.get("country"))
        if self.country:
            return self.country
        if any(code.startswith(m) for m in _CAMBODIAN_METRICS):
            self.counts["assumed_kh"] += 1
            return "KH"
        raise RowRejected("a factory answer needs its country: add a country column "
                          "or pass country=KH")

    # ---------------------------------------------------------------- relationships
    def _relationship_row(self, row: Row, ctx: ImportContext) -> Outcome:
        designer, title = split_metric(_metric_of(row))
        if not title:
            raise RowRejected("metric is empty")
        lowered = title.casefold()
        found = next(((kind, forward) for words, kind, forward in _RELATIONSHIP_KINDS
                      if words in lowered), None)
        if found is None:
            raise RowRejected(
                f"relationship metric {title!r} is not one Shopfloor reads (Has Brands, "
                "Is Brand Of, Supplied By, Supplier Of)")
        kind, forward = found
        subject, subject_id = _name_and_id(row.get("subject_company"))
        obj, object_id = _name_and_id(row.get("object_company"))
        subject_id = subject_id or row.text("subject_company_id")
        object_id = object_id or row.text("object_company_id")
        if not subject:
            raise RowRejected("subject company is empty")
        if not obj:
            raise RowRejected("object company is empty")
        year = v.year(row.get("year"))
        link = _page(v.text(_first(row, "relationship_link", "html_url", "url")))
        rel_id = v.text(_first(row, "relationship_id", "id"))
        if not link and rel_id.isdigit():
            link = f"{WIKIRATE}/~{rel_id}"
        citation = _fit(link or f"row {row.number}",
                        f"relationship {rel_id}" if rel_id and rel_id not in link else "")
        if not forward:
            subject, subject_id, obj, object_id = obj, object_id, subject, subject_id
        if kind == Relationship.Kind.OWNS_BRAND:
            subject_kind, object_kind = Company.Kind.GROUP, Company.Kind.BRAND
        else:
            subject_kind, object_kind = Company.Kind.BRAND, Company.Kind.SUPPLIER_GROUP
        if _key(subject) == _key(obj) or (subject_id and subject_id == object_id):
            self.counts["self"] += 1
            return Outcome.UNCHANGED
        owner, owner_new = self._company(ctx, subject, subject_id, kind=subject_kind)
        other, other_new = self._company(ctx, obj, object_id, kind=object_kind)
        if owner.pk == other.pk:
            self.counts["self"] += 1
            return Outcome.UNCHANGED
        outcome = ctx.relationship(owner, kind, object_company=other, year_start=year,
                                   year_end=year, citation=citation)
        if outcome is Outcome.UNCHANGED:
            self.counts["repeated"] += 1
        return max(outcome, Outcome.CREATED if owner_new or other_new else Outcome.UNCHANGED)
