"""Every URL of the app and every operation of the API, for every role, against an explicit
table of what each role may reach. A URL missing from the table fails the test: classify
it in EXPECTED (pages) or API_EXPECTED (API operations).

Roles: anonymous; a member without a role of union A; union A's rep for factory A; a brand
viewer whose brand buys from factory A; a researcher and an admin of union A's federation
(both past the second factor); staff (past the second factor); a disabled account.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shopfloor.models import (
    FacilityRecord,
    Membership,
    Organisation,
    Relationship,
    Source,
    Watchlist,
)
from tests import factories as f
from tests.auth import verified_login

pytestmark = pytest.mark.django_db
User = get_user_model()
V = Source.Visibility

ROLES = ("anonymous", "member", "union_rep", "brand_viewer", "researcher", "admin", "staff",
         "disabled")
OK, DENY, NO_GET, SAME = "ok", "deny", "no-get", "same"
#: A key of the path kwargs that is not a path parameter but the URL's query string.
QUERY = "?"


def _only(*roles) -> dict:
    return {role: OK if role in roles else DENY for role in ROLES}


EVERYONE = {role: OK for role in ROLES}
SIGNED_IN = _only("member", "union_rep", "brand_viewer", "researcher", "admin", "staff")
UNION_A = _only("member", "union_rep", "researcher", "admin", "staff")
POST_ONLY = {role: NO_GET for role in ROLES}
WORKSPACE_READERS = _only("union_rep", "researcher", "admin", "staff")
WORKSPACE_WRITERS = _only("union_rep", "staff")

#: URL name → [(case, path kwargs from the dataset, expected class per role)]
EXPECTED = {
    "set_language": [("", lambda d: {}, EVERYONE)],
    "admin:index": [("", lambda d: {}, _only("staff"))],
    "api:api-root": [("", lambda d: {}, {r: SAME for r in ROLES})],
    "api:openapi-json": [("", lambda d: {}, EVERYONE)],
    "api:openapi-view": [("", lambda d: {}, EVERYONE)],
    "web:home": [("", lambda d: {}, EVERYONE)],
    "web:facility": [("A", lambda d: {"pk": d.a.pk}, EVERYONE),
                     ("B", lambda d: {"pk": d.b.pk}, EVERYONE)],
    "web:facility_chart": [("A", lambda d: {"pk": d.a.pk, "name": "buyers"},
                            {r: SAME for r in ROLES})],
    # the factory brief: its published parts for anyone; asked with a union, the reader must
    # be signed in (and gets the union's part only as a workspace reader: tests/web/
    # test_brief_pages.py checks what each role gets)
    "web:facility_brief": [("A", lambda d: {"pk": d.a.pk}, EVERYONE),
                           ("A for union A", lambda d: {"pk": d.a.pk, QUERY: f"union={d.union.pk}"},
                            SIGNED_IN)],
    "web:facility_brief_pdf": [("A", lambda d: {"pk": d.a.pk}, EVERYONE),
                               ("A for union A",
                                lambda d: {"pk": d.a.pk, QUERY: f"union={d.union.pk}"},
                                SIGNED_IN)],
    "web:source": [
        ("public", lambda d: {"pk": d.public.pk}, EVERYONE),
        ("union A's list", lambda d: {"pk": d.union_list.pk}, UNION_A),
        ("other org's list", lambda d: {"pk": d.other_list.pk}, _only("staff")),
        ("named workers at A", lambda d: {"pk": d.names_a.pk},
         _only("union_rep", "staff")),  # the federation does not read an affiliate's names
    ],
    "web:companies": [("", lambda d: {}, EVERYONE)],
    "web:company": [("brand", lambda d: {"pk": d.brand_co.pk}, EVERYONE)],
    "web:login": [("", lambda d: {}, EVERYONE)],
    "web:logout": [("", lambda d: {}, POST_ONLY)],
    "web:two_factor": [("", lambda d: {}, SIGNED_IN)],
    "web:two_factor_enrol": [("", lambda d: {}, SIGNED_IN)],
    "web:sessions": [("", lambda d: {}, SIGNED_IN)],
    "web:sessions_end": [("", lambda d: {}, POST_ONLY)],
    "web:my_organisations": [("", lambda d: {}, _only("admin", "staff"))],
    "web:members": [("federation", lambda d: {"pk": d.fed.pk}, _only("admin", "staff")),
                    ("other org", lambda d: {"pk": d.other.pk}, _only("staff"))],
    "web:member_access": [("", lambda d: {"pk": d.fed.pk, "membership": d.res_m.pk},
                           POST_ONLY)],
    "web:audit": [("", lambda d: {}, _only("admin", "staff"))],
    "web:review": [("", lambda d: {}, _only("researcher", "admin", "staff"))],
    "web:review_record": [("union A's row", lambda d: {"pk": d.pending.pk},
                           _only("researcher", "admin", "staff")),
                          ("other org's row", lambda d: {"pk": d.other_pending.pk},
                           _only("staff"))],
    "web:review_decide": [("", lambda d: {"pk": d.pending.pk}, POST_ONLY)],
    "web:watchlists": [("", lambda d: {}, SIGNED_IN)],
    "web:watchlist": [("union A's", lambda d: {"pk": d.own_wl.pk}, UNION_A),
                      ("other org's", lambda d: {"pk": d.other_wl.pk}, _only("staff"))],
    # the union workspace: union A's own people (its rep at factory A) and its federation
    # read; the rep writes; brand viewers and plain members never reach a record
    "web:workspace": [("", lambda d: {}, SIGNED_IN)],
    "web:workspace_factory": [("union A at A", lambda d: {"org_pk": d.union.pk, "fac_pk": d.a.pk},
                               WORKSPACE_READERS),
                              ("union A at B", lambda d: {"org_pk": d.union.pk, "fac_pk": d.b.pk},
                               _only("researcher", "admin", "staff"))],
    "web:issue_new": [("", lambda d: {"org_pk": d.union.pk, "fac_pk": d.a.pk},
                       WORKSPACE_WRITERS)],
    "web:meeting_new": [("", lambda d: {"org_pk": d.union.pk, "fac_pk": d.a.pk},
                         WORKSPACE_WRITERS)],
    "web:case_new": [("", lambda d: {"org_pk": d.union.pk, "fac_pk": d.a.pk},
                      WORKSPACE_WRITERS)],
    "web:organising": [("", lambda d: {"org_pk": d.union.pk, "fac_pk": d.a.pk},
                        WORKSPACE_READERS)],
    "web:heat": [("", lambda d: {"org_pk": d.union.pk, "fac_pk": d.a.pk}, WORKSPACE_READERS)],
    "web:issue": [("", lambda d: {"pk": d.issue.pk}, WORKSPACE_READERS)],
    "web:issue_step": [("", lambda d: {"pk": d.issue.pk}, POST_ONLY)],
    "web:issue_attach": [("", lambda d: {"pk": d.issue.pk}, POST_ONLY)],
    "web:meeting": [("", lambda d: {"pk": d.meeting.pk}, WORKSPACE_READERS)],
    "web:meeting_record": [("", lambda d: {"pk": d.meeting.pk}, POST_ONLY)],
    "web:promise_add": [("", lambda d: {"pk": d.meeting.pk}, POST_ONLY)],
    "web:promise_close": [("", lambda d: {"pk": d.promise.pk}, POST_ONLY)],
    "web:case": [("", lambda d: {"pk": d.case.pk}, WORKSPACE_READERS)],
    # the buyer-leverage pack: the case's readers only (a brand viewer never, even of a buyer)
    "web:case_leverage": [("", lambda d: {"pk": d.case.pk}, WORKSPACE_READERS)],
    "web:case_leverage_zip": [("", lambda d: {"pk": d.case.pk}, WORKSPACE_READERS)],
    "web:case_update": [("", lambda d: {"pk": d.case.pk, "part": "outcome"}, POST_ONLY)],
    "web:outcome_confirm": [("", lambda d: {"pk": d.outcome.pk}, POST_ONLY)],
    "web:evidence_file": [
        ("thumbnail", lambda d: {"pk": d.photo.pk, "variant": "thumbnail"}, WORKSPACE_READERS),
        ("shared", lambda d: {"pk": d.photo.pk, "variant": "shared"}, WORKSPACE_READERS),
        # the original keeps its GPS: the owning union's admins and researchers only (the
        # federation's read the copies)
        ("original", lambda d: {"pk": d.photo.pk, "variant": "original"}, _only("staff")),
    ],
    # surveys: the union's form and results for its people; a brand viewer of a buyer of
    # factory A sees the (suppressed) results at A, never a submission
    "web:surveys": [("", lambda d: {}, SIGNED_IN)],
    "web:survey": [("", lambda d: {"pk": d.survey.pk}, WORKSPACE_READERS)],
    "web:survey_results": [("at A", lambda d: {"pk": d.survey.pk, "facility_pk": d.a.pk},
                            _only("member", "union_rep", "brand_viewer", "researcher",
                                  "admin", "staff"))],
    "web:survey_chart": [("at A", lambda d: {"pk": d.survey.pk, "facility_pk": d.a.pk,
                                             "question_pk": d.survey_question.pk},
                          _only("member", "union_rep", "brand_viewer", "researcher",
                                "admin", "staff"))],
    # the reader's own unions' evidence only: an empty page for those who read none
    "web:discrepancies": [("", lambda d: {}, SIGNED_IN)],
    # counts only, safe to publish; downloaded by those who may export the list
    "web:watchlist_shadow_report": [
        ("union A's", lambda d: {"pk": d.own_wl.pk, "fmt": "csv"},
         _only("union_rep", "researcher", "admin", "staff")),
        ("other org's", lambda d: {"pk": d.other_wl.pk, "fmt": "csv"}, _only("staff")),
    ],
    "web:watchlist_export": [
        ("union A's", lambda d: {"pk": d.own_wl.pk, "fmt": "csv"},
         _only("union_rep", "researcher", "admin", "staff")),  # members read, not download
        ("other org's", lambda d: {"pk": d.other_wl.pk, "fmt": "csv"}, _only("staff")),
    ],
}

#: API operation id (without the module prefix) → [(case, path parameters, expected)]
API_EXPECTED = {
    "list_facilities": [("", lambda d: {}, EVERYONE)],
    "get_facility": [("A", lambda d: {"facility_id": d.a.pk}, EVERYONE)],
    "list_findings": [("A", lambda d: {"facility_id": d.a.pk}, EVERYONE)],
    "list_relationships": [("A", lambda d: {"facility_id": d.a.pk}, EVERYONE)],
    "list_datapoints": [("A", lambda d: {"facility_id": d.a.pk}, EVERYONE)],
    "list_companies": [("", lambda d: {}, EVERYONE)],
    "get_company": [("brand", lambda d: {"company_id": d.brand_co.pk}, EVERYONE)],
    "list_suppliers": [("brand", lambda d: {"company_id": d.brand_co.pk}, EVERYONE)],
    "list_sources": [("", lambda d: {}, EVERYONE)],
    "get_source": [("public", lambda d: {"source_id": d.public.pk}, EVERYONE),
                   ("other org's list", lambda d: {"source_id": d.other_list.pk},
                    _only("staff")),
                   ("union A's list", lambda d: {"source_id": d.union_list.pk}, UNION_A)],
    "list_watchlists": [("", lambda d: {}, SIGNED_IN)],
    "get_watchlist": [("union A's", lambda d: {"watchlist_id": d.own_wl.pk}, UNION_A),
                      ("other org's", lambda d: {"watchlist_id": d.other_wl.pk},
                       _only("staff"))],
    "list_evidence": [("union A's", lambda d: {"watchlist_id": d.own_wl.pk}, UNION_A),
                      ("other org's", lambda d: {"watchlist_id": d.other_wl.pk},
                       _only("staff"))],
}


def _patterns(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


def _url_names() -> set[str]:
    """Every named URL of the project, but the admin's own pages (beyond its index) and the
    API operations (classified from the OpenAPI schema, in API_EXPECTED)."""
    names = set()
    api_operations = {f"api:{op}" for _, _, op in _api_operations()}
    for route, name in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "static/", "media/")) and name != "admin:index":
            continue
        if name in api_operations:
            continue
        assert name, f"unnamed URL {route!r}: name it and classify it in EXPECTED"
        names.add(name)
    return names


def _api_operations() -> list[tuple[str, str, str]]:
    try:
        from shopfloor.api import api
    except ImportError:  # pragma: no cover - before the API exists
        return []
    ops = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, op in methods.items():
            # "shopfloor_api_<router module>_<view function>" → the view function's name
            ops.append((method, path, op["operationId"].split("_", 3)[-1]))
    return ops


@pytest.fixture
def d(vault_root):
    d = SimpleNamespace()
    d.fed = Organisation.objects.create(name="Fed", kind="federation")
    d.union = Organisation.objects.create(name="Union A", kind="factory_union", parent=d.fed)
    d.other = Organisation.objects.create(name="Other fed", kind="federation")
    d.public = f.source(title="Open data")
    d.a, d.b = f.facility(d.public, name="Factory A"), f.facility(d.public, name="Factory B")
    d.union.facilities.add(d.a)
    d.brand_co = f.company(d.public, name="Brand X")
    d.brand_org = Organisation.objects.create(name="Brand X org", kind="brand",
                                              company=d.brand_co)
    Relationship.objects.create(subject=d.brand_co, kind="sources_from", facility=d.a,
                                source=d.public, citation="row 1")
    d.union_list = f.source(title="Union list", organisation=d.union,
                            visibility=V.ORGANISATION)
    d.other_list = f.source(title="Other list", organisation=d.other,
                            visibility=V.ORGANISATION)
    d.names_a = f.source(title="Named workers", organisation=d.union,
                         visibility=V.RESTRICTED)
    FacilityRecord.objects.create(source=d.names_a, row_number=1, name="Factory A",
                                  country="KH", facility=d.a, raw={"name": "A"})
    d.pending = FacilityRecord.objects.create(
        source=d.union_list, row_number=2, name="Factry A", country="KH", facility=d.a,
        match_score=0.7, decision=FacilityRecord.Decision.PENDING, raw={"name": "Factry A"})
    d.other_pending = FacilityRecord.objects.create(
        source=d.other_list, row_number=2, name="Factry B", country="KH", facility=d.b,
        match_score=0.7, decision=FacilityRecord.Decision.PENDING, raw={"name": "Factry B"})
    d.own_wl = Watchlist.objects.create(name="Ours", organisation=d.union, source=d.union_list)
    d.other_wl = Watchlist.objects.create(name="Theirs", organisation=d.other,
                                          source=d.other_list)

    from datetime import date

    from shopfloor.evidence import cases, meetings, vault, workflow
    from tests.evidence.files import jpeg_with_gps

    d.issue = workflow.create_issue(d.union, d.a, by=None, found_on=date(2025, 1, 2),
                                    title="No fans", topic="heat_stress")
    d.meeting = meetings.schedule(d.union, d.a, first=date(2025, 2, 1), by=None)[0]
    d.promise = meetings.add_promise(d.meeting, text="Fans", due_on=date(2025, 3, 1))
    d.case = cases.create_case(d.union, d.a, by=None, kind="dismissal", title="Fired",
                               opened_on=date(2025, 1, 5))
    d.outcome = cases.record_outcome(d.case, kind="reinstatement", workers=1,
                                     on=date(2025, 2, 1))
    import io

    d.photo, _ = vault.add_file(d.union, d.a, io.BytesIO(jpeg_with_gps()), by=None)
    vault.attach(d.photo, issue=d.issue, by=None)

    d.survey, d.survey_question = _survey(d)

    def user(name, org=None, role=None, **kw):
        u = User.objects.create_user(name, password="pw", **kw)
        m = Membership.objects.create(user=u, organisation=org, role=role) if org else None
        return u, m

    d.users = {"anonymous": None}
    d.users["member"], _ = user("member", d.union, "member")
    d.users["union_rep"], rep = user("rep", d.union, "union_rep")
    rep.facilities.set([d.a])
    d.users["brand_viewer"], _ = user("brand", d.brand_org, "brand_viewer")
    d.users["researcher"], d.res_m = user("researcher", d.fed, "researcher")
    d.users["admin"], _ = user("admin", d.fed, "admin")
    d.users["staff"], _ = user("staff", is_staff=True, is_superuser=True)
    d.users["disabled"], _ = user("disabled", d.union, "admin")
    return d


def _survey(d):
    """A worker survey of union A with 12 answers at factory A (enough to draw a chart)."""
    import tempfile
    from pathlib import Path

    from shopfloor.sources import SourceInfo, run_import
    from tests.surveys import fixtures as fx

    d.a.os_id = "KH2019001AAAAA0"
    d.a.save()
    with tempfile.TemporaryDirectory() as tmp:
        path = fx.xlsform(Path(tmp) / "form.xlsx", factories=[(d.a.os_id, "Factory A")])
        run_import("xlsform", path, info=SourceInfo(organisation=d.union))
        rows = [fx.submission(i, {"factory": d.a.os_id, "sex": "female",
                                  "wages/paid_minimum": "yes" if i % 2 else "no"})
                for i in range(1, 13)]
        run_import("kobo", fx.kobo_csv(rows, Path(tmp) / "k.csv"),
                   info=SourceInfo(organisation=d.union), form="test_survey")
    form = d.union.survey_forms.get()
    return form, form.latest_version.questions.get(path="wages/paid_minimum")


def _client(d, role) -> Client:
    client = Client()
    user = d.users[role]
    if role in ("researcher", "admin", "staff"):
        verified_login(client, user)
    elif user is not None:
        client.force_login(user)
    if role == "disabled":  # signed in, then switched off
        user.is_active = False
        user.save()
    return client


def _class(response) -> str:
    status, location = response.status_code, response.get("Location", "")
    if status in (401, 403, 404) or (status in (301, 302, 303) and "login" in location):
        return DENY
    if status == 405:
        return NO_GET
    if 200 <= status < 400:
        return OK
    return f"unexpected {status}"


def _check(results: dict, expected: dict, label: str, errors: list) -> None:
    if SAME in expected.values():
        if len(set(results.values())) != 1:
            errors.append(f"{label}: should answer every role alike, got {results}")
        return
    for role, status_class in results.items():
        want = expected[role]
        if want == NO_GET and status_class in (NO_GET, DENY):
            continue
        if status_class != want:
            errors.append(f"{label} as {role}: expected {want}, got {status_class}")


def test_every_url_is_classified():
    missing = sorted(_url_names() - set(EXPECTED))
    assert not missing, (f"URLs not in the access matrix: {missing}. Classify each in "
                         "tests/test_access_matrix.py EXPECTED (who may open it).")
    api_missing = sorted({op for _, _, op in _api_operations()} - set(API_EXPECTED))
    assert not api_missing, (f"API operations not in the access matrix: {api_missing}. "
                             "Classify each in API_EXPECTED.")


def test_pages_matrix(d):
    clients = {role: _client(d, role) for role in ROLES}
    errors = []
    for name in sorted(_url_names() & set(EXPECTED)):
        for case, kwargs, expected in EXPECTED[name]:
            kw = kwargs(d)
            query = kw.pop(QUERY, "")
            url = reverse(name, kwargs=kw or None) + (f"?{query}" if query else "")
            results = {}
            for role in ROLES:
                response = clients[role].get(url)
                results[role] = (_class(response) if SAME not in expected.values()
                                 else response.status_code)
            _check(results, expected, f"{name} [{case}] {url}", errors)
    assert not errors, "\n".join(errors)


def test_api_matrix(d):
    operations = _api_operations()
    if not operations:
        pytest.skip("shopfloor.api is not importable")
    clients = {role: _client(d, role) for role in ROLES}
    errors = []
    for method, path, op in operations:
        assert method == "get", f"{method} {path}: add write operations to the matrix"
        for case, params, expected in API_EXPECTED[op]:
            url = path.format(**params(d))
            results = {role: _class(clients[role].get(url)) for role in ROLES}
            _check(results, expected, f"API {op} [{case}] {url}", errors)
    assert not errors, "\n".join(errors)


# -- object-level cases, spelled out -----------------------------------------------------


def test_other_organisations_things_do_not_exist(d):
    for role in ("member", "union_rep", "researcher", "admin", "brand_viewer"):
        client = _client(d, role)
        assert client.get(reverse("web:source", args=[d.other_list.pk])).status_code == 404
        assert client.get(f"/api/sources/{d.other_list.pk}").status_code == 404
        assert client.get(f"/api/watchlists/{d.other_wl.pk}").status_code == 404
        # the page answers 403 or 404 (see the report: 404 for outsiders is wanted)
        assert client.get(reverse("web:watchlist", args=[d.other_wl.pk])).status_code in (
            403, 404)


def test_union_rep_reads_factory_a_evidence_not_b(d):
    from shopfloor.access import can_read_facility_evidence

    rep = d.users["union_rep"]
    assert can_read_facility_evidence(rep, d.a) and not can_read_facility_evidence(rep, d.b)
    named_b = f.source(title="Named at B", organisation=d.union, visibility=V.RESTRICTED)
    FacilityRecord.objects.create(source=named_b, row_number=1, name="Factory B",
                                  country="KH", facility=d.b, raw={})
    client = _client(d, "union_rep")
    assert client.get(reverse("web:source", args=[d.names_a.pk])).status_code == 200
    assert client.get(reverse("web:source", args=[named_b.pk])).status_code == 404


def test_brand_viewer_sees_only_its_suppliers_and_only_aggregates(d):
    from shopfloor.access import brand_facilities, can_read_facility_evidence, visible_sources

    brand = d.users["brand_viewer"]
    assert list(brand_facilities(brand)) == [d.a]
    assert not can_read_facility_evidence(brand, d.a)
    assert set(visible_sources(brand)) == set(Source.objects.filter(visibility=V.PUBLIC))
    client = _client(d, "brand_viewer")
    for source in (d.union_list, d.names_a):
        assert client.get(reverse("web:source", args=[source.pk])).status_code == 404
    assert client.get(reverse("web:watchlist", args=[d.own_wl.pk])).status_code in (403, 404)
