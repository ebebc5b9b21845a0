"""The due-diligence law rules at their thresholds, with missing data, and for a brand owned
by a group."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from shopfloor.analysis import hrdd
from shopfloor.analysis.hrdd import (
    APPLIES,
    LAWS,
    LIKELY,
    NOT,
    UNKNOWN,
    CompanyFacts,
    applicable_laws,
    assess,
)
from shopfloor.models import Relationship, Source
from tests import factories as f

ON = dt.date(2026, 6, 1)


def verdict(code: str, facts: CompanyFacts, on: dt.date = ON) -> tuple[str, str]:
    law = hrdd.LAWS_BY_CODE[code]
    result, reasons = law.rule(facts, on)
    return result, "; ".join(str(r) for r in reasons)


def test_every_law_is_data_with_an_official_source():
    assert {law.code for law in LAWS} >= {"DE-LkSG", "FR-DV", "NO-TA", "EU-CSDDD", "NL-WZK"}
    for law in LAWS:
        assert law.source_url.startswith("https://"), law.code
        assert law.name and law.local_name and law.thresholds and law.note and law.publisher
        assert law.jurisdiction in ("DE", "FR", "NO", "EU", "NL")
    csddd = hrdd.LAWS_BY_CODE["EU-CSDDD"]
    assert "Omnibus" in str(csddd.note) and "current text" in str(csddd.note)
    assert csddd.source_url == "https://eur-lex.europa.eu/eli/dir/2024/1760/oj"


# -- Germany: 1,000 employees in Germany from 2024, 3,000 in 2023 --------------------------


def test_lksg_counts_employees_in_germany_at_the_threshold():
    assert verdict("DE-LkSG", CompanyFacts("A", "DE", 5000, {"DE": 999}))[0] == NOT
    assert verdict("DE-LkSG", CompanyFacts("A", "DE", 5000, {"DE": 1000}))[0] == APPLIES
    # 2023: 3,000
    in_2023 = dt.date(2023, 6, 1)
    assert verdict("DE-LkSG", CompanyFacts("A", "DE", 5000, {"DE": 2999}), in_2023)[0] == NOT
    assert verdict("DE-LkSG", CompanyFacts("A", "DE", 5000, {"DE": 3000}), in_2023)[0] == \
        APPLIES
    assert verdict("DE-LkSG", CompanyFacts("A", "DE", 5000, {"DE": 3000}),
                   dt.date(2022, 6, 1))[0] == NOT  # not yet in force


def test_lksg_with_only_a_worldwide_headcount_is_never_more_than_likely():
    result, why = verdict("DE-LkSG", CompanyFacts("A", "DE", 12000))
    assert result == LIKELY
    assert why == ("headquartered in Germany; 12,000 employees worldwide ≥ 1,000 "
                   "(employees in Germany not known)")
    assert verdict("DE-LkSG", CompanyFacts("A", "DE", 1000))[0] == LIKELY
    # fewer than 1,000 in the whole world: fewer in Germany
    result, why = verdict("DE-LkSG", CompanyFacts("A", "DE", 999))
    assert result == NOT and "999 employees worldwide < 1,000" in why
    # a foreign company: only through a German branch, which we do not know of
    assert verdict("DE-LkSG", CompanyFacts("A", "US", 200000))[0] == UNKNOWN
    assert verdict("DE-LkSG", CompanyFacts("A", "US", 200000, {"DE": 1500}))[0] == LIKELY


# -- France: 5,000 in France or 10,000 worldwide, subsidiaries included --------------------


def test_vigilance_law_at_its_thresholds():
    assert verdict("FR-DV", CompanyFacts("A", "FR", 4999))[0] == NOT
    result, why = verdict("FR-DV", CompanyFacts("A", "FR", 5000))
    assert result == LIKELY and "employees in France" in why and "not known" in why
    assert verdict("FR-DV", CompanyFacts("A", "FR", 9999))[0] == LIKELY
    result, why = verdict("FR-DV", CompanyFacts("A", "FR", 10000))
    assert result == APPLIES and "10,000 employees worldwide" in why
    assert verdict("FR-DV", CompanyFacts("A", "FR", 6000, {"FR": 5000}))[0] == APPLIES
    assert verdict("FR-DV", CompanyFacts("A", "FR", 6000, {"FR": 4999}))[0] == NOT
    # registered elsewhere: not this law (its French subsidiary might be, on its own)
    assert verdict("FR-DV", CompanyFacts("A", "DE", 72000))[0] == NOT


# -- Norway: larger enterprises (two of three tests) ---------------------------------------


def test_transparency_act():
    assert verdict("NO-TA", CompanyFacts("A", "NO", 51))[0] == LIKELY
    assert verdict("NO-TA", CompanyFacts("A", "NO", 50))[0] == UNKNOWN  # "exceeds" 50
    assert verdict("NO-TA", CompanyFacts("A", "NO", None))[0] == UNKNOWN
    # abroad: only when it sells in Norway and is liable to tax there (not in our data)
    result, why = verdict("NO-TA", CompanyFacts("A", "SE", 14000))
    assert result == UNKNOWN and "liable to tax" in why
    assert verdict("NO-TA", CompanyFacts("A", "NO", 500), dt.date(2022, 6, 30))[0] == NOT


# -- the EU directive -------------------------------------------------------------------------


def test_csddd_without_turnover_is_at_most_likely_and_says_it_is_not_yet_applied():
    assert verdict("EU-CSDDD", CompanyFacts("A", "SE", 1000))[0] == NOT  # more than 1,000
    result, why = verdict("EU-CSDDD", CompanyFacts("A", "SE", 1001))
    assert result == LIKELY and "turnover" in why and "check the current text" in why
    assert verdict("EU-CSDDD", CompanyFacts("A", "SE", 1001, turnover_eur=500_000_000))[0] \
        == APPLIES
    assert verdict("EU-CSDDD", CompanyFacts("A", "SE", 1001, turnover_eur=450_000_000))[0] \
        == NOT
    assert verdict("EU-CSDDD", CompanyFacts("A", "US", 210000))[0] == UNKNOWN  # EU turnover
    assert verdict("EU-CSDDD", CompanyFacts("A", "NO", 5000))[0] == UNKNOWN  # not EU
    [law] = [a for a in applicable_laws(CompanyFacts("A", "SE", 14000), on=ON)
             if a.law.code == "EU-CSDDD"]
    assert law.pending and law.relevant  # in scope, duties not yet binding in 2026
    [later] = [a for a in applicable_laws(CompanyFacts("A", "SE", 14000),
                                          on=dt.date(2029, 1, 1)) if a.law.code == "EU-CSDDD"]
    assert not later.pending


def test_the_netherlands_has_no_law_in_force():
    result, why = verdict("NL-WZK", CompanyFacts("Tulpwear", "NL", 420))
    assert result == NOT and "no general mandatory" in why and "not entered into force" in why
    law = hrdd.LAWS_BY_CODE["NL-WZK"]
    assert law.in_force_since is None and not law.in_force(ON)


@pytest.mark.parametrize("facts, unknown", [
    (CompanyFacts("A"), {"DE-LkSG", "FR-DV", "NO-TA", "EU-CSDDD"}),
    (CompanyFacts("A", "", 5000), {"DE-LkSG", "FR-DV", "NO-TA", "EU-CSDDD"}),
    (CompanyFacts("A", "DE", None), {"DE-LkSG", "NO-TA", "EU-CSDDD"}),
    (CompanyFacts("A", "FR"), {"DE-LkSG", "FR-DV", "NO-TA", "EU-CSDDD"}),
    (CompanyFacts("A", "NO"), {"DE-LkSG", "NO-TA", "EU-CSDDD"}),
])
def test_missing_data_gives_unknown_never_a_guess(facts, unknown):
    got = {law.code: result for law, result, _reasons in assess(facts, on=ON)}
    assert {code for code, result in got.items() if result == UNKNOWN} == unknown
    # what is not unknown is ruled out by a fact we have (headquarters elsewhere, no law)
    assert {got[code] for code in set(got) - unknown} <= {NOT}


def test_reasons_are_translated_when_shown():
    result, reasons = hrdd.LAWS_BY_CODE["DE-LkSG"].rule(CompanyFacts("A", "DE", 12000), ON)
    english = str(reasons[0])
    with translation.override("km"):
        khmer = str(reasons[0])
    assert english == "headquartered in Germany"
    assert "អាល្លឺម៉ង់" in khmer  # the country's name in Khmer, whatever the sentence


# -- a brand owned by a group ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_small_brand_is_covered_through_its_owner_group():
    public = f.source()
    brand = f.company(public, name="Small Brand", hq_country="DE", employees=300)
    group = f.company(public, name="Big Group", kind="group", hq_country="DE",
                      employees=40000)
    rel = Relationship.objects.create(subject=group, kind="owns_brand", object_company=brand,
                                      year_start=2015, source=public, citation="row 4")
    laws = {a.law.code: a for a in applicable_laws(brand, on=ON)}
    lksg = laws["DE-LkSG"]
    assert lksg.verdict == LIKELY
    assert lksg.through_owner and lksg.decided_by.company == group
    assert lksg.decided_by.via == rel
    assert "through its owner group Big Group" in lksg.sentence()
    own = next(a for a in lksg.assessments if a.via is None)
    assert own.company == brand and own.verdict == NOT  # the brand alone: 300 < 1,000
    assert laws["FR-DV"].verdict == NOT


@pytest.mark.django_db
def test_ownership_counts_only_while_it_lasts_and_from_readable_sources():
    public = f.source()
    hidden = f.source(visibility=Source.Visibility.ORGANISATION)
    brand = f.company(public, name="Brand", hq_country="NL", employees=100)
    sold = f.company(public, name="Former Owner", kind="group", hq_country="FR",
                     employees=50000)
    secret = f.company(public, name="Secret Owner", kind="group", hq_country="FR",
                       employees=50000)
    Relationship.objects.create(subject=sold, kind="owns_brand", object_company=brand,
                                year_start=2010, year_end=2020, source=public)
    Relationship.objects.create(subject=secret, kind="owns_brand", object_company=brand,
                                year_start=2021, source=hidden)
    public_only = hrdd.Q(visibility=Source.Visibility.PUBLIC)
    assert hrdd.owners_of(brand, year=2026, visible=public_only) == []
    assert [g for g, _ in hrdd.owners_of(brand, year=2019, visible=public_only)] == [sold]
    assert [g for g, _ in hrdd.owners_of(brand, year=2026)] == [secret]
    laws = {a.law.code: a for a in applicable_laws(brand, on=ON, visible=public_only)}
    assert laws["FR-DV"].verdict == NOT


@pytest.mark.django_db
def test_owners_are_followed_up_the_chain():
    src = f.source()
    brand = f.company(src, name="Brand", hq_country="NO", employees=40)
    mid = f.company(src, name="Holding", kind="group", hq_country="NO", employees=10)
    top = f.company(src, name="Top", kind="group", hq_country="FR", employees=20000)
    Relationship.objects.create(subject=mid, kind="owns_brand", object_company=brand,
                                source=src)
    Relationship.objects.create(subject=top, kind="owns_brand", object_company=mid,
                                source=src)
    Relationship.objects.create(subject=brand, kind="owns_brand", object_company=top,
                                source=src)  # a loop in the data does not hang
    assert [g.name for g, _ in hrdd.owners_of(brand, year=2026)] == ["Holding", "Top"]
    laws = {a.law.code: a for a in applicable_laws(brand, on=ON)}
    assert laws["FR-DV"].verdict == APPLIES and laws["FR-DV"].decided_by.company == top
