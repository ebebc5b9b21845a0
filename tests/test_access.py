"""The access rules (shopfloor.access), each predicate on real rows: roles, scopes, inactive
memberships and accounts, federations and their affiliates."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from shopfloor import access
from shopfloor.models import Membership, Organisation, Relationship, Source, Watchlist
from tests import factories as f

pytestmark = pytest.mark.django_db
User = get_user_model()
V = Source.Visibility


@pytest.fixture
def world():
    """A federation with an affiliated factory union at factory A, another federation, a
    brand organisation whose brand sources from A, and sources of every visibility."""
    w = type("World", (), {})()
    w.fed = Organisation.objects.create(name="Fed", kind="federation")
    w.union = Organisation.objects.create(name="Union A", kind="factory_union", parent=w.fed)
    w.other = Organisation.objects.create(name="Other fed", kind="federation")
    w.public = f.source(title="Open data")
    w.a, w.b = f.facility(w.public, name="Factory A"), f.facility(w.public, name="Factory B")
    w.union.facilities.add(w.a)
    w.brand_co = f.company(w.public, name="Tulpwear")
    w.brand_org = Organisation.objects.create(name="Tulpwear org", kind="brand",
                                              company=w.brand_co)
    Relationship.objects.create(subject=w.brand_co, kind="sources_from", facility=w.a,
                                source=w.public, citation="row 1")
    w.fed_list = f.source(title="Fed list", organisation=w.fed, visibility=V.ORGANISATION)
    w.union_list = f.source(title="Union list", organisation=w.union,
                            visibility=V.ORGANISATION)
    w.other_list = f.source(title="Other list", organisation=w.other,
                            visibility=V.ORGANISATION)
    w.names_a = f.source(title="Named workers A", organisation=w.union,
                         visibility=V.RESTRICTED)
    f.facility(w.names_a, name="A again").records.update(facility=w.a)
    w.names_fed = f.source(title="Named fed", organisation=w.fed, visibility=V.RESTRICTED)
    # a union-reported buyer: the brand viewer must not learn the union knows
    w.secret_buyer = f.source(title="Buyers seen", organisation=w.union,
                              visibility=V.ORGANISATION)
    Relationship.objects.create(subject=w.brand_co, kind="sources_from", facility=w.b,
                                source=w.secret_buyer, citation="row 2")
    return w


def _user(name, org=None, role=None, *, active=True, facilities=(), **kw):
    user = User.objects.create_user(name, password="pw", **kw)
    if org is not None:
        m = Membership.objects.create(user=user, organisation=org, role=role,
                                      is_active=active)
        m.facilities.set(facilities)
    return user


def _titles(qs):
    return set(qs.values_list("title", flat=True))


def test_visible_sources_by_role(world):
    w = world
    public = {"Open data"} | {s.title for s in Source.objects.filter(visibility=V.PUBLIC)}
    assert _titles(access.visible_sources(AnonymousUser())) == public
    staff = _user("staff", is_staff=True)
    assert _titles(access.visible_sources(staff)) == _titles(Source.objects.all())
    fed_admin = _user("fedadmin", w.fed, "admin")
    assert _titles(access.visible_sources(fed_admin)) == public | {
        "Fed list", "Union list", "Buyers seen", "Named fed"}  # not the union's named people
    union_res = _user("unionres", w.union, "researcher")
    assert _titles(access.visible_sources(union_res)) == public | {
        "Union list", "Buyers seen", "Named workers A"}  # not its federation's list
    rep = _user("rep", w.union, "union_rep", facilities=[w.a])
    assert _titles(access.visible_sources(rep)) == public | {
        "Union list", "Buyers seen", "Named workers A"}
    rep_b = _user("repb", w.union, "union_rep", facilities=[w.b])
    assert "Named workers A" not in _titles(access.visible_sources(rep_b))
    member = _user("member", w.union, "member")
    assert _titles(access.visible_sources(member)) == public | {"Union list", "Buyers seen"}
    brand = _user("brand", w.brand_org, "brand_viewer")
    assert _titles(access.visible_sources(brand)) == public
    for user in (staff, fed_admin, union_res, rep, rep_b, member, brand, AnonymousUser()):
        visible = set(access.visible_sources(user))
        for source in Source.objects.all():  # the object check and the queryset agree
            assert access.can_read_source(user, source) == (source in visible), (user, source)
            assert rules.has_perm("shopfloor.view_source", user, source) == (source in visible)


def test_inactive_membership_and_account_count_as_anonymous(world):
    w = world
    cut_off = _user("cut", w.union, "admin", active=False)
    disabled = _user("disabled", w.union, "admin", is_active=False)
    staff_off = _user("staffoff", is_staff=True, is_active=False)
    for user in (cut_off, disabled, staff_off):
        assert not access.can_read_source(user, w.union_list)
        assert not access.can_read_facility_evidence(user, w.a)
        assert not access.can_manage_members(user, w.union)
        assert not access.can_view_audit(user)
        assert not access.can_review(user)
        assert access.role_of(user) in ("anonymous", "signed_in")
    assert not access.can_export(disabled, "facilities")
    assert not access.can_export(staff_off, "facilities")
    assert access.role_of(disabled) == "anonymous" and access.role_of(cut_off) == "signed_in"
    wl = Watchlist.objects.create(name="L", organisation=w.union, source=w.union_list)
    assert not access.can_see_watchlist(cut_off, wl)
    assert wl not in access.visible_watchlists(cut_off)


def test_facility_evidence(world):
    w = world
    assert access.can_read_facility_evidence(_user("s", is_staff=True), w.b)
    rep = _user("rep", w.union, "union_rep", facilities=[w.a])
    assert access.can_read_facility_evidence(rep, w.a)
    assert not access.can_read_facility_evidence(rep, w.b)
    res = _user("res", w.union, "researcher")
    assert access.can_read_facility_evidence(res, w.a)
    assert not access.can_read_facility_evidence(res, w.b)
    fed_res = _user("fedres", w.fed, "researcher")  # through its affiliate
    assert access.can_read_facility_evidence(fed_res, w.a)
    assert not access.can_read_facility_evidence(_user("other", w.other, "admin"), w.a)
    assert not access.can_read_facility_evidence(_user("m", w.union, "member"), w.a)
    brand = _user("brand", w.brand_org, "brand_viewer")
    assert not access.can_read_facility_evidence(brand, w.a)
    assert not access.can_read_facility_evidence(AnonymousUser(), w.a)
    assert set(access.evidence_facilities(rep)) == {w.a}
    assert rules.has_perm("shopfloor.view_facility_evidence", rep, w.a)
    assert not rules.has_perm("shopfloor.view_facility_evidence", rep, w.b)


def test_brand_sees_only_its_suppliers_from_sources_it_may_read(world):
    w = world
    brand = _user("brand", w.brand_org, "brand_viewer")
    assert set(access.brand_facilities(brand)) == {w.a}  # B only from the union's report
    assert access.is_brand_supplier(brand, w.a) and not access.is_brand_supplier(brand, w.b)
    assert not access.brand_facilities(_user("r", w.union, "researcher")).exists()
    assert not access.brand_facilities(AnonymousUser()).exists()
    inactive = _user("gone", w.brand_org, "brand_viewer", active=False)
    assert not access.brand_facilities(inactive).exists()


def test_members_audit_export(world):
    w = world
    admin = _user("adm", w.union, "admin")
    assert access.can_manage_members(admin, w.union)
    assert not access.can_manage_members(admin, w.fed)
    assert not access.can_manage_members(_user("r", w.union, "researcher"), w.union)
    assert access.can_manage_members(_user("s", is_staff=True), w.other)
    assert access.can_view_audit(admin) and access.can_view_audit(admin, w.union)
    assert not access.can_view_audit(admin, w.other)
    assert not access.can_view_audit(_user("r2", w.union, "researcher"))
    assert rules.has_perm("shopfloor.manage_members", admin, w.union)
    assert rules.has_perm("shopfloor.view_audit", admin, w.union)
    assert set(access.admin_organisations(admin)) == {w.union}
    wl = Watchlist.objects.create(name="Ours", organisation=w.union, source=w.union_list)
    rep = _user("rep", w.union, "union_rep", facilities=[w.a])
    member = _user("mem", w.union, "member")
    fed_member = _user("fm", w.fed, "researcher")
    assert access.can_export(rep, wl) and access.can_export(fed_member, wl)
    assert access.can_see_watchlist(member, wl) and not access.can_export(member, wl)
    assert not access.can_export(_user("o", w.other, "admin"), wl)
    assert access.can_export(member, "facilities") and not access.can_export(member, "x")
    assert not access.can_export(AnonymousUser(), "facilities")
    assert access.can_export(admin, w.names_a) and not access.can_export(rep, w.names_a)
    assert rules.has_perm("shopfloor.export", rep, wl)


def test_watchlists_follow_federations(world):
    w = world
    wl = Watchlist.objects.create(name="Union's", organisation=w.union, source=w.union_list)
    fed_wl = Watchlist.objects.create(name="Fed's", organisation=w.fed, source=w.fed_list)
    fed_member = _user("fm", w.fed, "member")
    union_member = _user("um", w.union, "member")
    assert access.can_see_watchlist(fed_member, wl)  # a federation reads its affiliates'
    assert not access.can_see_watchlist(union_member, fed_wl)  # not the other way round
    assert set(access.visible_watchlists(fed_member)) == {wl, fed_wl}
    assert set(access.visible_watchlists(union_member)) == {wl}
    assert not access.can_see_watchlist(_user("b", w.union, "brand_viewer"), wl)


def test_review_rules_keep_their_meaning(world):
    w = world
    fed_res = _user("fr", w.fed, "researcher")
    assert access.can_review(fed_res, w.union_list)  # affiliate's list
    assert not access.can_review(fed_res, w.other_list)
    assert access.can_review(fed_res, w.public)
    assert w.union_list in access.reviewable_sources(fed_res)
    assert w.other_list not in access.reviewable_sources(fed_res)
    assert not access.can_review(_user("rep", w.fed, "union_rep"))
    cut = _user("cut", w.fed, "researcher", active=False)
    assert not access.can_review(cut) and not access.reviewable_sources(cut).exists()
    assert rules.has_perm("shopfloor.review_source", fed_res, w.union_list)


def test_role_of(world):
    w = world
    assert access.role_of(AnonymousUser()) == "anonymous"
    assert access.role_of(_user("s", is_staff=True)) == "staff"
    assert access.role_of(_user("nobody")) == "signed_in"
    two = _user("two", w.union, "union_rep")
    Membership.objects.create(user=two, organisation=w.fed, role="researcher")
    assert access.role_of(two) == "researcher"
    assert access.roles_of(two) == {w.union.pk: "union_rep", w.fed.pk: "researcher"}
