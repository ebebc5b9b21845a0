"""The fictional demo data: complete, deterministic, traceable, and only loaded on purpose."""

import csv
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count, Q
from django.test import RequestFactory

from shopfloor.demo import DEMO_LOGINS, is_valid_os_id, load_demo, os_id_checksum
from shopfloor.demo.data import MINIMUM_WAGE_KH, PROVINCES
from shopfloor.models import (
    Assessment,
    AuditEvent,
    Company,
    Criterion,
    Datapoint,
    Facility,
    FacilityRecord,
    Finding,
    Membership,
    Metric,
    Organisation,
    Relationship,
    Source,
)
from shopfloor.stats import model_counts
from tests import factories as f

pytestmark = pytest.mark.django_db

REFERENCE_CRITERIA = Path("/work/shared/data/reference/bfc_critical_issues_21.csv")
KHMER = range(0x1780, 0x1800)
AUDIT = "shopfloor.AuditEvent"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    summary = load_demo()
    assert summary is not None
    return summary


def _is_khmer(text: str) -> bool:
    return bool(text) and all(ord(c) in KHMER or c in " ()" for c in text)


def _snapshot() -> dict:
    """Everything a person would notice if the demo changed between two loads."""
    return {
        "facilities": sorted(Facility.objects.values_list(
            "name", "name_km", "os_id", "bfc_id", "province", "address", "lat", "lng",
            "is_closed")),
        "findings": sorted(Finding.objects.values_list(
            "assessment__facility__name", "assessment__cycle", "assessment__assessed_on",
            "criterion__code", "status")),
        "relationships": sorted(Relationship.objects.filter(kind="sources_from").values_list(
            "subject__name", "facility__name", "year_start", "year_end", "citation")),
        "datapoints": sorted(Datapoint.objects.values_list(
            "metric__code", "facility__name", "company__name", "country", "year",
            "value_number", "value_text", "verification"), key=str),
        "records": sorted(FacilityRecord.objects.values_list(
            "source__file_name", "row_number", "name", "facility__name", "decision",
            "match_score"), key=str),
    }


def _wipe() -> None:
    from shopfloor.demo.workspace import clear_demo_workspace

    clear_demo_workspace()
    Finding.objects.all().delete()
    Source.objects.all().delete()
    for model in (Facility, Company, Organisation, Criterion, Metric):
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    # The audit log is append-only: deleting everything else adds to it.
    assert all(n == 0 for label, n in model_counts().items() if label != AUDIT)


def _counts_but_audit() -> dict:
    return {label: n for label, n in model_counts().items() if label != AUDIT}


def test_every_model_has_rows(demo):
    counts = model_counts()
    assert [label for label, n in counts.items() if n == 0] == []
    assert demo["facilities"] == counts["shopfloor.Facility"] == 60
    assert demo["findings"] == counts["shopfloor.Finding"]
    assert demo["datapoints"] == counts["shopfloor.Datapoint"]
    assert "60 facilities" in str(demo)


def test_same_data_every_time():
    load_demo()
    first = _snapshot()
    _wipe()
    assert load_demo() is not None
    assert _snapshot() == first
    assert len(first["findings"]) > 2000 and len(first["datapoints"]) > 1000


def test_refuses_a_database_with_data_unless_forced():
    real = f.source(title="Our factories")
    assert load_demo() is None
    assert not Facility.objects.exists() and Source.objects.count() == 1
    assert load_demo(force=True) is not None
    assert Source.objects.filter(pk=real.pk, is_demo=False).exists()
    assert Facility.objects.count() == 60


def test_a_facility_alone_counts_as_data():
    Facility.objects.create(name="Somebody's Garment", country="KH")
    assert load_demo() is None
    assert Facility.objects.count() == 1


def test_forcing_replaces_an_earlier_demo_instead_of_duplicating_it(demo):
    before = _counts_but_audit()
    users = set(get_user_model().objects.values_list("pk", flat=True))
    assert load_demo(force=True) is not None
    assert _counts_but_audit() == before
    # ...while the log keeps the first load, the removal of its memberships, the second load
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 2
    assert set(get_user_model().objects.values_list("pk", flat=True)) == users


def test_logins_and_roles(demo):
    roles = {}
    for username, password, description in DEMO_LOGINS:
        assert password == "shopfloor-demo" and description
        # With a request, as at the sign-in page (django-axes needs it for the lockout).
        user = authenticate(RequestFactory().post("/login/"), username=username,
                            password=password)
        assert user is not None, username
        roles[username] = user
    assert roles["admin"].is_superuser and roles["admin"].is_staff
    assert not any(u.is_staff for name, u in roles.items() if name != "admin")
    membership = {m.user.username: m for m in Membership.objects.select_related(
        "user", "organisation")}
    assert {name: m.role for name, m in membership.items()} == {
        "admin": "admin", "researcher": "researcher", "unionrep": "union_rep",
        "brand": "brand_viewer"}
    rep = membership["unionrep"]
    assert rep.organisation.kind == "factory_union"
    covered = set(rep.facilities.values_list("pk", flat=True))
    assert len(covered) == 2
    assert covered == set(rep.organisation.facilities.values_list("pk", flat=True))
    brand = membership["brand"].organisation
    assert brand.kind == "brand" and brand.company is not None
    # The union rep's factories supply the brand viewer's brand: the leverage story works.
    assert Relationship.objects.filter(subject=brand.company, facility__in=covered,
                                       year_end=2025).count() == 2


def test_every_fact_points_to_a_demo_source_with_a_citation(demo):
    sources = Source.objects.all()
    assert sources.count() >= 30
    for s in sources:
        assert s.is_demo and "fictional" in s.publisher and s.licence, s
        assert s.file_name.startswith("demo://") and s.published_on and s.retrieved_on, s
    for model in (FacilityRecord, Relationship, Datapoint, Finding, Assessment, Criterion):
        assert not model.objects.filter(source__is_demo=False).exists(), model
    for model in (Relationship, Datapoint, Finding):
        assert not model.objects.filter(citation="").exists(), model
    assert not FacilityRecord.objects.filter(row_number=None).exists()
    named = set(Company.sources.through.objects.values_list("company_id", "source_id"))
    for rel in Relationship.objects.all():
        assert (rel.subject_id, rel.source_id) in named, rel
    for dp in Datapoint.objects.exclude(company=None):
        assert (dp.company_id, dp.source_id) in named, dp
    assert not Company.objects.annotate(n=Count("sources")).filter(n=0).exists()
    brand_lists = Source.objects.filter(importer="brand-list")
    assert brand_lists.count() >= 15
    assert all(s.file_name.startswith("demo://brand-lists/") for s in brand_lists)


def test_facilities_are_cambodian_identified_and_described(demo):
    facilities = list(Facility.objects.all())
    assert {fac.country for fac in facilities} == {"KH"}
    boxes = {}
    for province, info in PROVINCES.items():
        lats = [d[1] for d in info["districts"]]
        lngs = [d[2] for d in info["districts"]]
        boxes[province] = (min(lats) - 0.05, max(lats) + 0.05, min(lngs) - 0.05,
                           max(lngs) + 0.05)
    for fac in facilities:
        lat0, lat1, lng0, lng1 = boxes[fac.province]
        assert lat0 <= fac.lat <= lat1 and lng0 <= fac.lng <= lng1, fac
        assert fac.address.endswith(fac.province), fac
    assert len({fac.province for fac in facilities}) >= 8
    os_ids = [fac.os_id for fac in facilities if fac.os_id]
    assert len(os_ids) >= 50 and all(is_valid_os_id(o) for o in os_ids)
    assert all(o.startswith("KH") for o in os_ids)
    assert sum(1 for fac in facilities if fac.bfc_id) >= 45
    khmer = [fac.name_km for fac in facilities if fac.name_km]
    assert 15 <= len(khmer) <= 30 and all(any(ord(c) in KHMER for c in n) for n in khmer)
    assert sum(1 for fac in facilities if fac.other_names) >= 20
    assert 2 <= sum(fac.is_closed for fac in facilities) <= 3
    matched = Facility.objects.filter(records__decision__in=["automatic", "confirmed"])
    assert matched.distinct().count() == len(facilities)
    assert not FacilityRecord.objects.filter(decision="confirmed", decided_by=None).exists()
    scores = FacilityRecord.objects.exclude(match_score=None).values_list(
        "match_score", flat=True)
    assert all(0 <= s <= 1 for s in scores)
    queue = FacilityRecord.objects.filter(decision="pending").exclude(facility=None)
    assert queue.count() >= 3
    assert all(0.5 <= r.match_score <= 0.8 for r in queue)
    assert all(r.raw for r in FacilityRecord.objects.all())


def test_os_id_check_character():
    assert os_id_checksum("KH2019067X1K87") == "C"
    assert is_valid_os_id("KH2019067X1K87C")
    assert not is_valid_os_id("KH2019067X1K87E")  # one character off
    assert not is_valid_os_id("KH2019067X1K8")


def test_brands_come_and_go_and_share_suppliers(demo):
    brands = Company.objects.filter(kind__in=["brand", "retailer"])
    assert 20 <= brands.count() <= 30
    assert set(brands.values_list("hq_country", flat=True)) <= {
        "DE", "FR", "NL", "NO", "SE", "DK", "GB", "US", "JP", "BE", "ES"}
    assert not brands.filter(employees=None).exists()
    assert brands.exclude(aliases=[]).count() >= 15
    owns = Relationship.objects.filter(kind="owns_brand")
    assert owns.values("subject").distinct().count() == 3
    assert set(owns.values_list("subject__kind", flat=True)) == {"group"}
    sourcing = Relationship.objects.filter(kind="sources_from")
    assert {r.year_start for r in sourcing} >= {2016, 2020, 2025}
    assert all(2016 <= r.year_start <= r.year_end <= 2025 for r in sourcing)
    per_facility = Facility.objects.annotate(n=Count(
        "relationships__subject", filter=Q(relationships__kind="sources_from"), distinct=True))
    counts = Counter(per_facility.values_list("n", flat=True))
    assert min(counts) >= 1 and max(counts) <= 6 and len(counts) >= 4
    departed = [b for b in brands if not b.relationships.filter(year_end=2025).exists()]
    assert len(departed) >= 2  # brands that stopped sourcing in Cambodia
    # Closed factories have no buyers after they closed.
    for fac in Facility.objects.filter(is_closed=True):
        last = max(fac.relationships.filter(kind="sources_from").values_list(
            "year_end", flat=True))
        assert last < 2025


def test_bfc_findings_complete_and_realistic(demo):
    criteria = list(Criterion.objects.filter(programme="BFC"))
    assert [c.code for c in criteria] == [str(i) for i in range(1, 22)]
    assert all(_is_khmer(c.text_km) for c in criteria)
    assessments = Assessment.objects.annotate(
        n=Count("findings"), k=Count("findings__criterion", distinct=True))
    assert assessments.count() >= 100
    assert {(a.n, a.k) for a in assessments} == {(21, 21)}
    assert all(a.assessed_on.year == {1: 2022, 2: 2023, 3: 2024}[a.cycle] for a in assessments)
    assert set(assessments.values_list("cycle", flat=True)) == {1, 2, 3}
    assert not assessments.filter(facility__bfc_id=None).exists()
    with_bfc = Facility.objects.exclude(bfc_id=None)
    assert with_bfc.filter(assessments__isnull=False).distinct().count() >= 0.75 * len(with_bfc)
    assert Finding.objects.filter(status="not_assessed").count() >= 3

    def rate(cycle, codes):
        fs = Finding.objects.filter(assessment__cycle=cycle, criterion__code__in=codes)
        return fs.filter(status="non_compliant").count() / fs.count()

    for cycle in (1, 2, 3):
        assert 0.10 <= rate(cycle, [str(i) for i in range(14, 19)]) <= 0.35
        assert 0.10 <= rate(cycle, ["19", "20"]) <= 0.35
        assert 0.05 <= rate(cycle, [str(i) for i in range(8, 14)]) <= 0.15
    child = Finding.objects.filter(criterion__code="1")
    assert child.filter(status="non_compliant").count() <= 0.015 * child.count()

    issues = defaultdict(dict)
    for fac, cycle in Finding.objects.filter(status="non_compliant").values_list(
            "assessment__facility", "assessment__cycle"):
        issues[fac][cycle] = issues[fac].get(cycle, 0) + 1
    both = Assessment.objects.filter(cycle__in=[1, 3]).values("facility").annotate(
        n=Count("pk")).filter(n=2).values_list("facility", flat=True)
    change = [issues[fac].get(3, 0) - issues[fac].get(1, 0) for fac in both]
    assert sum(c < 0 for c in change) >= 5 and sum(c > 0 for c in change) >= 5


@pytest.mark.skipif(not REFERENCE_CRITERIA.exists(), reason="reference data not present")
def test_criteria_text_is_bfcs_own(demo):
    with REFERENCE_CRITERIA.open(encoding="utf-8") as fh:
        reference = [(r["no"], r["category"], r["critical_issue"]) for r in csv.DictReader(fh)]
    assert list(Criterion.objects.values_list("code", "cluster", "text")) == reference


def test_missing_is_missing_never_zero(demo):
    assert not Datapoint.objects.filter(value_number=0).exists()
    wages = Datapoint.objects.filter(metric__code="avg_monthly_wage_usd")
    with_wages = set(wages.values_list("facility", flat=True))
    all_facilities = set(Facility.objects.values_list("pk", flat=True))
    assert 0.3 * len(all_facilities) <= len(with_wages) < len(all_facilities)
    assert not wages.values("facility", "year").annotate(n=Count("pk")).filter(n__gt=1)
    assert wages.values("year").distinct().count() >= 5
    for metric in ("workers_total", "workers_female_pct", "cba_coverage_pct"):
        assert Facility.objects.exclude(datapoints__metric__code=metric).exists(), metric
    # Coverage is only reported where an agreement is in force, from the same survey row.
    yes = set(Datapoint.objects.filter(metric__code="has_cba", value_text="yes").values_list(
        "facility", "year", "citation"))
    coverage = set(Datapoint.objects.filter(metric__code="cba_coverage_pct").values_list(
        "facility", "year", "citation"))
    assert coverage and coverage <= yes
    minimum = dict(Datapoint.objects.filter(metric__code="minimum_wage_monthly", country="KH")
                   .values_list("year", "value_number"))
    assert minimum == {y: Decimal(v) for y, v in MINIMUM_WAGE_KH.items()}
    assert Datapoint.objects.filter(metric__code="living_wage_benchmark_monthly").exists()
    for code in ("transparency_score", "living_wage_grade", "has_foa_policy",
                 "publishes_supplier_list"):
        assert Datapoint.objects.filter(metric__code=code, company__isnull=False).exists()
    grades = set(Datapoint.objects.filter(metric__code="living_wage_grade").values_list(
        "value_text", flat=True))
    assert grades <= set("ABCDE") and len(grades) >= 3
    verification = Counter(Datapoint.objects.values_list("verification", flat=True))
    assert verification["unverified"] > verification["community"] > verification["steward"]
    assert 1 <= verification["disputed"] <= 3


def test_organisations(demo):
    orgs = Organisation.objects.all()
    assert all(o.is_demo for o in orgs)
    kinds = Counter(orgs.values_list("kind", flat=True))
    assert kinds == {"federation": 2, "factory_union": 6, "ngo": 1, "brand": 2}
    assert all(_is_khmer(o.name_km) for o in orgs.filter(kind="federation"))
    for union in orgs.filter(kind="factory_union"):
        assert union.parent.kind == "federation" and union.facilities.exists(), union
    assert orgs.filter(kind="factory_union").values("parent").distinct().count() == 2
    assert not orgs.filter(kind="brand", company=None).exists()


def test_union_data_is_for_the_union_and_the_demo_leaves_a_trace(demo):
    contributed = Source.objects.exclude(organisation=None)
    unions = contributed.filter(organisation__kind__in=["federation", "factory_union"])
    assert unions.count() >= 4
    assert set(unions.values_list("visibility", flat=True)) == {"organisation"}
    assert not Source.objects.filter(organisation=None).exclude(visibility="public").exists()
    event = AuditEvent.objects.get(action="demo.loaded")
    assert event.detail["sources"] == demo["sources"] and event.actor is None
    session = get_user_model().objects.get(username="unionrep").login_sessions.get()
    assert session.ip == "203.0.113.24"
