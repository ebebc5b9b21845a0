"""Which human-rights due-diligence (HRDD) laws apply to a brand: declarative rules.

Each law is data (:class:`Law`: code, name, jurisdiction, in force since, thresholds in
plain words, the official text's URL, caveats) with one small rule that reads what
Shopfloor knows about a company (:class:`CompanyFacts`: headquarters country, employees
worldwide, and — when a source gives them — employees per country and turnover) and gives
a **verdict** with its **reasons** in plain words:

* ``applies`` — every condition of the law is met by figures in our data;
* ``likely applies`` — every condition we can check is met, but a figure the law counts is
  not in our data (employees in Germany, turnover): check it before citing the law;
* ``does not apply`` — a figure in our data rules it out (headquartered elsewhere, fewer
  employees worldwide than the law needs in one country), or no such law is in force;
* ``unknown`` — a figure the verdict turns on is missing (no headquarters country, no
  headcount, turnover in the EU for a non-EU company…).

A verdict is never stronger than the data: a worldwide headcount only ever shows that a
company is *too small* for a law counting employees in one country, never that it is big
enough there.

A brand owned by a group (``owns_brand``) is evaluated together with its owner group(s):
LkSG, the French law and the CSDDD put the duty on the parent company for the companies it
controls, so the group's data may be what counts. :func:`applicable_laws` evaluates the
brand and every owner up the chain and keeps, per law, the strongest verdict and whose data
gave it (``decided_by``, ``via`` the ownership relationship with its source).

The laws change: every rule's note says what to check, and the verdicts are a starting
point for a union's letter, not legal advice. docs/leverage.md lists the rules.

>>> for law in applicable_laws(Company.objects.get(name="Polar Trail")):  # doctest: +SKIP
...     print(law.law.code, law.verdict, law.sentence())
NO-TA likely likely applies: headquartered in Norway; 410 employees > 50, …
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from shopfloor.models import Company, Relationship, Source

APPLIES = "applies"
LIKELY = "likely"
NOT = "not"
UNKNOWN = "unknown"
#: Verdicts from strongest to weakest: a brand's verdict is the strongest of its own and
#: its owner groups'.
STRENGTH = (APPLIES, LIKELY, UNKNOWN, NOT)
VERDICT_LABELS = {
    APPLIES: gettext_lazy("applies"),
    LIKELY: gettext_lazy("likely applies"),
    NOT: gettext_lazy("does not apply"),
    UNKNOWN: gettext_lazy("unknown"),
}

#: The 27 member states of the European Union (ISO 3166-1 alpha-2).
EU_MEMBERS = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"})
#: How far up an ownership chain (group owns group owns brand) owners are looked for.
MAX_OWNER_DEPTH = 3


# -- reasons, rendered in the reader's language ------------------------------------------


class Reason:
    """One reason in plain words, translated when it is shown (so a pack can render the
    same verdict in English and Khmer). ``params`` may hold numbers (shown with the
    language's separators), country codes (:class:`Country`) or lazy strings.

    >>> str(Reason(gettext_noop("%(n)s employees worldwide"), n=12000))
    '12,000 employees worldwide'
    """

    def __init__(self, msgid: str, **params) -> None:
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        from shopfloor.web.templatetags.shopfloor_tags import number

        values = {k: number(v) if isinstance(v, (int, Decimal)) and not isinstance(v, bool)
                  else str(v) for k, v in self.params.items()}
        return _(self.msgid) % values

    def __repr__(self) -> str:
        return f"Reason({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Reason) and (self.msgid, self.params) == (
            other.msgid, other.params)

    __hash__ = None  # mutable params


class Country:
    """A country code shown as its name in the reader's language."""

    def __init__(self, code: str) -> None:
        self.code = (code or "").upper()

    def __str__(self) -> str:
        from shopfloor.web.templatetags.shopfloor_tags import country_name

        return country_name(self.code)

    def __repr__(self) -> str:
        return f"Country({self.code!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Country) and other.code == self.code

    __hash__ = None


def _date(value: dt.date) -> str:
    from django.utils import formats

    return formats.date_format(value, "DATE_FORMAT")


class _Date:
    def __init__(self, value: dt.date) -> None:
        self.value = value

    def __str__(self) -> str:
        return _date(self.value)


# -- what we know about a company ---------------------------------------------------------


@dataclass(frozen=True)
class CompanyFacts:
    """What the rules read about one company. Built from a :class:`Company` by
    :meth:`of`; tests and callers with better figures (employees in Germany from an annual
    report) pass them directly.

    >>> CompanyFacts("Nordwind Outdoor", hq_country="DE", employees=2900)  # doctest: +SKIP
    """

    name: str
    hq_country: str = ""
    #: Worldwide headcount, subsidiaries included (``Company.employees``).
    employees: int | None = None
    #: Employees per country (ISO code) where a source gives them.
    employees_in: Mapping[str, int] = field(default_factory=dict)
    #: Net worldwide turnover in EUR, and net turnover in the EU, when known.
    turnover_eur: Decimal | None = None
    eu_turnover_eur: Decimal | None = None

    @classmethod
    def of(cls, company: Company) -> CompanyFacts:
        return cls(name=company.name, hq_country=(company.hq_country or "").upper(),
                   employees=company.employees)


# -- the laws -------------------------------------------------------------------------------


Verdict = tuple[str, list[Reason]]


@dataclass(frozen=True)
class Law:
    """One due-diligence law, as data. ``rule(facts, on)`` gives the verdict for one
    company on a date; ``obligations_from`` is when its duties start to bind (``None``:
    never yet, the law is not in force)."""

    code: str
    name: str
    local_name: str
    jurisdiction: str  # ISO country code, or "EU"
    in_force_since: dt.date | None
    obligations_from: dt.date | None
    thresholds: str
    duty: str
    note: str
    publisher: str
    source_title: str
    source_url: str
    citation: str
    rule: Callable[[CompanyFacts, dt.date], Verdict] = field(compare=False, repr=False)

    def in_force(self, on: dt.date) -> bool:
        return self.in_force_since is not None and on >= self.in_force_since

    def binding(self, on: dt.date) -> bool:
        """Whether the law's duties bind companies on ``on`` (CSDDD: not before 2028)."""
        return self.obligations_from is not None and on >= self.obligations_from


def _hq(facts: CompanyFacts) -> Reason:
    return Reason(gettext_noop("headquartered in %(country)s"), country=Country(facts.hq_country))


def _lksg(facts: CompanyFacts, on: dt.date) -> Verdict:
    if on < dt.date(2023, 1, 1):
        return NOT, [Reason(gettext_noop("not yet in force (from 1 January 2023)"))]
    threshold = 3000 if on < dt.date(2024, 1, 1) else 1000
    in_de = facts.employees_in.get("DE")
    if in_de is not None:
        if in_de < threshold:
            return NOT, [Reason(gettext_noop("%(n)s employees in Germany < %(t)s"),
                                n=in_de, t=threshold)]
        met = Reason(gettext_noop("%(n)s employees in Germany ≥ %(t)s"), n=in_de, t=threshold)
        if facts.hq_country == "DE":
            return APPLIES, [_hq(facts), met]
        return LIKELY, [met, Reason(gettext_noop(
            "a company headquartered abroad is covered through a branch registered in "
            "Germany (not in our data)"))]
    if facts.employees is not None and facts.employees < threshold:
        return NOT, [Reason(gettext_noop("%(n)s employees worldwide < %(t)s, so fewer in "
                                         "Germany"), n=facts.employees, t=threshold)]
    if not facts.hq_country:
        return UNKNOWN, [Reason(gettext_noop("headquarters country not known"))]
    if facts.employees is None:
        return UNKNOWN, [_hq(facts), Reason(gettext_noop("number of employees not known"))]
    worldwide = Reason(gettext_noop("%(n)s employees worldwide ≥ %(t)s (employees in Germany "
                                    "not known)"), n=facts.employees, t=threshold)
    if facts.hq_country == "DE":
        return LIKELY, [_hq(facts), worldwide]
    return UNKNOWN, [_hq(facts), worldwide, Reason(gettext_noop(
        "covered only through a branch in Germany with at least %(t)s employees there (not in "
        "our data)"), t=threshold)]


def _vigilance(facts: CompanyFacts, on: dt.date) -> Verdict:
    world, in_fr = facts.employees, facts.employees_in.get("FR")
    if world is not None and world < 5000:
        return NOT, [Reason(gettext_noop("%(n)s employees worldwide < 5,000: below both "
                                         "thresholds"), n=world)]
    if not facts.hq_country:
        return UNKNOWN, [Reason(gettext_noop("headquarters country not known"))]
    if facts.hq_country != "FR":
        return NOT, [_hq(facts), Reason(gettext_noop(
            "the law covers companies registered in France (a French subsidiary meeting the "
            "thresholds itself would be covered)"))]
    if world is not None and world >= 10000:
        return APPLIES, [_hq(facts), Reason(gettext_noop(
            "%(n)s employees worldwide including subsidiaries ≥ 10,000"), n=world)]
    if in_fr is not None:
        if in_fr >= 5000:
            return APPLIES, [_hq(facts), Reason(gettext_noop(
                "%(n)s employees in France including subsidiaries ≥ 5,000"), n=in_fr)]
        if world is not None:
            return NOT, [_hq(facts), Reason(gettext_noop(
                "%(fr)s employees in France < 5,000 and %(n)s worldwide < 10,000"),
                fr=in_fr, n=world)]
    if world is None:
        return UNKNOWN, [_hq(facts), Reason(gettext_noop("number of employees not known"))]
    return LIKELY, [_hq(facts), Reason(gettext_noop(
        "%(n)s employees worldwide ≥ 5,000 but < 10,000 (employees in France, where 5,000 "
        "are needed, not known)"), n=world)]


def _transparency(facts: CompanyFacts, on: dt.date) -> Verdict:
    if on < dt.date(2022, 7, 1):
        return NOT, [Reason(gettext_noop("not yet in force (from 1 July 2022)"))]
    if not facts.hq_country:
        return UNKNOWN, [Reason(gettext_noop("headquarters country not known"))]
    if facts.hq_country != "NO":
        return UNKNOWN, [_hq(facts), Reason(gettext_noop(
            "a foreign larger enterprise is covered when it offers goods or services in "
            "Norway and is liable to tax there (not in our data)"))]
    if facts.employees is None:
        return UNKNOWN, [_hq(facts), Reason(gettext_noop(
            "number of employees, sales revenue and balance sheet not known"))]
    if facts.employees > 50:
        return LIKELY, [_hq(facts), Reason(gettext_noop(
            "%(n)s employees > 50, one of the three tests; a second is needed (sales "
            "revenue above NOK 70 million or a balance sheet above NOK 35 million, not in "
            "our data; the law counts full-time equivalents)"), n=facts.employees)]
    return UNKNOWN, [_hq(facts), Reason(gettext_noop(
        "%(n)s employees, not more than 50: covered only if sales revenue is above NOK 70 "
        "million and "
        "the balance sheet above NOK 35 million (not in our data)"), n=facts.employees)]


CSDDD_TURNOVER = Decimal(450_000_000)
CSDDD_FIRST_APPLICATION = dt.date(2028, 7, 26)


def _csddd(facts: CompanyFacts, on: dt.date) -> Verdict:
    reasons: list[Reason] = []
    if on < CSDDD_FIRST_APPLICATION:
        reasons.append(Reason(gettext_noop(
            "its duties apply in phases, to the first companies from %(date)s (as postponed "
            "in 2025): check the current text"), date=_Date(CSDDD_FIRST_APPLICATION)))
    if not facts.hq_country:
        return UNKNOWN, [Reason(gettext_noop("headquarters country not known"))]
    if facts.hq_country not in EU_MEMBERS:
        eu = facts.eu_turnover_eur
        if eu is None:
            return UNKNOWN, [_hq(facts), Reason(gettext_noop(
                "a company outside the EU is covered with a net turnover above EUR 450 "
                "million in the EU (not in our data)")), *reasons]
        if eu > CSDDD_TURNOVER:
            return APPLIES, [_hq(facts), Reason(gettext_noop(
                "net turnover in the EU above EUR 450 million")), *reasons]
        return NOT, [_hq(facts), Reason(gettext_noop(
            "net turnover in the EU not above EUR 450 million"))]
    if facts.employees is None:
        return UNKNOWN, [_hq(facts), Reason(gettext_noop("number of employees not known")),
                         *reasons]
    if facts.employees <= 1000:
        return NOT, [_hq(facts), Reason(gettext_noop(
            "%(n)s employees, not more than 1,000"), n=facts.employees)]
    staff = Reason(gettext_noop("%(n)s employees > 1,000"), n=facts.employees)
    if facts.turnover_eur is None:
        return LIKELY, [_hq(facts), staff, Reason(gettext_noop(
            "net worldwide turnover, which must be above EUR 450 million, not in our "
            "data")), *reasons]
    if facts.turnover_eur > CSDDD_TURNOVER:
        return APPLIES, [_hq(facts), staff, Reason(gettext_noop(
            "net worldwide turnover above EUR 450 million")), *reasons]
    return NOT, [_hq(facts), staff, Reason(gettext_noop(
        "net worldwide turnover not above EUR 450 million"))]


def _no_law_in_force(facts: CompanyFacts, on: dt.date) -> Verdict:
    return NOT, [Reason(gettext_noop(
        "no general mandatory human-rights due-diligence law is in force in the "
        "Netherlands: the Child Labour Due Diligence Act was adopted in 2019 but has not "
        "entered into force"))]


LAWS: list[Law] = [
    Law(
        code="DE-LkSG",
        name=gettext_lazy("German Supply Chain Due Diligence Act"),
        local_name="Lieferkettensorgfaltspflichtengesetz (LkSG)",
        jurisdiction="DE", in_force_since=dt.date(2023, 1, 1),
        obligations_from=dt.date(2023, 1, 1),
        thresholds=gettext_lazy(
            "Companies with their head office, principal place of business, administrative "
            "headquarters or registered seat in Germany, or a branch registered there, "
            "with at least 1,000 employees in Germany (3,000 in 2023). A parent company "
            "counts the employees in Germany of the group companies it controls."),
        duty=gettext_lazy(
            "to analyse the human-rights risks at its suppliers — disregard of freedom of "
            "association is one of them (§ 2) —, to take preventive and remedial measures "
            "and to run a complaints procedure (§§ 3–10)"),
        note=gettext_lazy(
            "Shopfloor knows employees worldwide, not in Germany: a German company with "
            "1,000 or more employees worldwide is only 'likely'. In 2025 the German "
            "government proposed to drop the reporting duty and to limit fines to serious "
            "violations: check the current text."),
        publisher="Bundesministerium der Justiz / Bundesamt für Justiz",
        source_title="Gesetz über die unternehmerischen Sorgfaltspflichten in Lieferketten "
                     "(BGBl. I 2021 S. 2959)",
        source_url="https://www.gesetze-im-internet.de/lksg/",
        citation="§ 1", rule=_lksg),
    Law(
        code="FR-DV",
        name=gettext_lazy("French Duty of Vigilance Law"),
        local_name="Loi n° 2017-399 relative au devoir de vigilance des sociétés mères et "
                   "des entreprises donneuses d'ordre",
        jurisdiction="FR", in_force_since=dt.date(2017, 3, 28),
        obligations_from=dt.date(2017, 3, 28),
        thresholds=gettext_lazy(
            "Companies registered in France that, at the close of two consecutive financial "
            "years, employ at least 5,000 people in France, or at least 10,000 worldwide, "
            "their direct and indirect subsidiaries included."),
        duty=gettext_lazy(
            "to draw up and implement a vigilance plan that identifies risks and prevents "
            "serious violations of human rights and fundamental freedoms resulting from "
            "the activities of its suppliers and subcontractors (Code de commerce, "
            "art. L. 225-102-4)"),
        note=gettext_lazy(
            "The law applies to sociétés anonymes and similar forms; the legal form and "
            "the two-year rule are not in our data. Employees in France are not in our "
            "data: between 5,000 and 10,000 worldwide the verdict is only 'likely'."),
        publisher="Légifrance (République française)",
        source_title="LOI n° 2017-399 du 27 mars 2017 (JORF n° 0074 du 28 mars 2017)",
        source_url="https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000034290626",
        citation="art. 1 (Code de commerce, art. L. 225-102-4)", rule=_vigilance),
    Law(
        code="NO-TA",
        name=gettext_lazy("Norwegian Transparency Act"),
        local_name="Lov om virksomheters åpenhet og arbeid med grunnleggende "
                   "menneskerettigheter og anstendige arbeidsforhold (åpenhetsloven)",
        jurisdiction="NO", in_force_since=dt.date(2022, 7, 1),
        obligations_from=dt.date(2022, 7, 1),
        thresholds=gettext_lazy(
            "Larger enterprises resident in Norway, and foreign larger enterprises that "
            "offer goods or services in Norway and are liable to tax there. Larger: covered "
            "by § 1-5 of the Accounting Act, or above two of these three on the balance "
            "sheet date: sales revenue NOK 70 million, balance sheet total NOK 35 million, "
            "an average of 50 full-time equivalent employees."),
        duty=gettext_lazy(
            "to carry out due diligence on fundamental human rights and decent working "
            "conditions in its supply chain, and to answer anyone's written request for "
            "information about how it handles actual and potential adverse impacts within "
            "three weeks (§ 6)"),
        note=gettext_lazy(
            "Revenue and balance sheet are not in our data, and the law counts full-time "
            "equivalents, not headcount: a Norwegian enterprise with more than 50 employees is "
            "only 'likely'. Whether a foreign enterprise sells in Norway and is liable to tax "
            "there is not in our data."),
        publisher="Lovdata",
        source_title="LOV-2021-06-18-99 (åpenhetsloven)",
        source_url="https://lovdata.no/dokument/NL/lov/2021-06-18-99",
        citation="§§ 2–3", rule=_transparency),
    Law(
        code="EU-CSDDD",
        name=gettext_lazy("EU Corporate Sustainability Due Diligence Directive"),
        local_name="Directive (EU) 2024/1760",
        jurisdiction="EU", in_force_since=dt.date(2024, 7, 25),
        obligations_from=CSDDD_FIRST_APPLICATION,
        thresholds=gettext_lazy(
            "As adopted in 2024: companies formed in an EU member state with more than "
            "1,000 employees and a net worldwide turnover above EUR 450 million (or the "
            "ultimate parent of a group reaching these figures), and companies formed "
            "outside the EU with a net turnover above EUR 450 million in the EU. Its duties "
            "apply in phases, the largest companies first."),
        duty=gettext_lazy(
            "to identify, prevent and bring to an end adverse human-rights impacts in its "
            "chain of activities, including at its suppliers, and to provide for remediation "
            "and a complaints procedure"),
        note=gettext_lazy(
            "The 2025–2026 'Omnibus' amendments changed the thresholds and dates: Directive "
            "(EU) 2025/794 postponed transposition to 26 July 2027 and the first application "
            "to 26 July 2028, and the simplification package proposed by the Commission on "
            "26 February 2025 changes the scope further. Check every verdict against the "
            "current text. Turnover is not in our data, so verdicts are at most 'likely'. "
            "The directive has EEA relevance: Norway, Iceland and Liechtenstein may take it "
            "over through the EEA Agreement."),
        publisher="EUR-Lex (Publications Office of the European Union)",
        source_title="Directive (EU) 2024/1760 of 13 June 2024 on corporate sustainability "
                     "due diligence",
        source_url="https://eur-lex.europa.eu/eli/dir/2024/1760/oj",
        citation="art. 2, art. 37", rule=_csddd),
    Law(
        code="NL-WZK",
        name=gettext_lazy("Dutch Child Labour Due Diligence Act (adopted, not in force)"),
        local_name="Wet zorgplicht kinderarbeid (Stb. 2019, 401; not in force)",
        jurisdiction="NL", in_force_since=None, obligations_from=None,
        thresholds=gettext_lazy(
            "None in force. The Child Labour Due Diligence Act (2019) would cover companies "
            "selling goods or services to Dutch end users, but it has not entered into "
            "force; a bill for a general law on responsible business conduct has not been "
            "adopted."),
        duty=gettext_lazy("none in force"),
        note=gettext_lazy(
            "Dutch brands are bound by the EU directive once it applies to them, and by the "
            "laws of other countries where they meet those laws' conditions."),
        publisher="Officiële bekendmakingen (Koninkrijk der Nederlanden)",
        source_title="Wet van 24 oktober 2019 (Wet zorgplicht kinderarbeid), Staatsblad "
                     "2019, 401",
        source_url="https://zoek.officielebekendmakingen.nl/stb-2019-401.html",
        citation="", rule=_no_law_in_force),
]
LAWS_BY_CODE = {law.code: law for law in LAWS}


# -- applying the rules ---------------------------------------------------------------------


@dataclass
class EntityVerdict:
    """One company's own verdict under one law: the brand itself, or an owner group
    (``via`` the ``owns_brand`` relationship that links it, with its source)."""

    company: Company | None
    facts: CompanyFacts
    verdict: str
    reasons: list[Reason]
    via: Relationship | None = None

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])


@dataclass
class LawApplicability:
    """A law's verdict for a brand: the strongest of the brand's own and its owner
    groups', with whose data decided it, and every entity's verdict."""

    law: Law
    verdict: str
    decided_by: EntityVerdict
    assessments: list[EntityVerdict]
    on: dt.date

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def reasons(self) -> list[Reason]:
        return self.decided_by.reasons

    @property
    def through_owner(self) -> bool:
        return self.decided_by.via is not None

    @property
    def pending(self) -> bool:
        """In scope, but the duties do not bind yet on the date (the CSDDD before 2028)."""
        return self.verdict in (APPLIES, LIKELY) and not self.law.binding(self.on)

    @property
    def relevant(self) -> bool:
        """Applies or likely applies: worth citing (after checking)."""
        return self.verdict in (APPLIES, LIKELY)

    def sentence(self) -> str:
        """"likely applies — through its owner group X: headquartered in …; …"."""
        reasons = "; ".join(str(r) for r in self.reasons)
        if self.through_owner:
            return _("%(verdict)s — through its owner group %(group)s: %(reasons)s") % {
                "verdict": self.label, "group": self.decided_by.facts.name,
                "reasons": reasons}
        return _("%(verdict)s: %(reasons)s") % {"verdict": self.label, "reasons": reasons}


def assess(facts: CompanyFacts, *, on: dt.date | None = None,
           laws: list[Law] | None = None) -> list[tuple[Law, str, list[Reason]]]:
    """Every law's verdict for one company's own facts (no owner groups)."""
    on = on or timezone.localdate()
    return [(law, *law.rule(facts, on)) for law in (laws or LAWS)]


def _covers(rel: Relationship, year: int) -> bool:
    """An ownership holds in ``year``: from its start (or always) to its end (or still)."""
    return (rel.year_start is None or rel.year_start <= year) and (
        rel.year_end is None or rel.year_end >= year)


def owners_of(company: Company, *, year: int, visible: Q | None = None
              ) -> list[tuple[Company, Relationship]]:
    """The groups that own ``company`` in ``year`` (``owns_brand``, from sources matching
    ``visible``, a filter on :class:`Source`), nearest first, up the chain."""
    found: list[tuple[Company, Relationship]] = []
    seen, frontier = {company.pk}, [company.pk]
    for _depth in range(MAX_OWNER_DEPTH):
        rels = Relationship.objects.filter(kind=Relationship.Kind.OWNS_BRAND,
                                           object_company_id__in=frontier)
        if visible is not None:
            rels = rels.filter(source_id__in=Source.objects.filter(visible).values("pk"))
        frontier = []
        for rel in rels.select_related("subject", "source").order_by("subject__name", "pk"):
            if rel.subject_id in seen or not _covers(rel, year):
                continue
            seen.add(rel.subject_id)
            frontier.append(rel.subject_id)
            found.append((rel.subject, rel))
        if not frontier:
            break
    return found


def applicable_laws(company: Company | CompanyFacts, *, on: dt.date | None = None,
                    visible: Q | None = None, owners: list | None = None,
                    laws: list[Law] | None = None) -> list[LawApplicability]:
    """Each law's verdict for ``company`` on ``on`` (default: today), evaluating the brand
    and its owner groups (``owners_of``; pass ``owners`` to reuse a lookup). ``visible``
    limits the ownership relationships to sources the reader may read."""
    on = on or timezone.localdate()
    if isinstance(company, CompanyFacts):
        entities = [(None, company, None)]
    else:
        if owners is None:
            owners = owners_of(company, year=on.year, visible=visible)
        entities = [(company, CompanyFacts.of(company), None)] + [
            (group, CompanyFacts.of(group), rel) for group, rel in owners]
    out = []
    for law in laws or LAWS:
        assessments = [EntityVerdict(obj, facts, *law.rule(facts, on), via=rel)
                       for obj, facts, rel in entities]
        best = min(assessments, key=lambda a: STRENGTH.index(a.verdict))
        out.append(LawApplicability(law, best.verdict, best, assessments, on))
    return out
