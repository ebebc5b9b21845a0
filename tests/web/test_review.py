"""The review page: who may review, side by side with the evidence, decisions as POST forms;
watchlist pages and exports; merged facilities' old ids redirect."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shopfloor.access import can_review
from shopfloor.linkage.merge import merge
from shopfloor.models import (
    FacilityRecord,
    MatchDecision,
    Membership,
    Organisation,
    Watchlist,
)
from tests import factories

pytestmark = pytest.mark.django_db
D = FacilityRecord.Decision
User = get_user_model()


@pytest.fixture
def union():
    return Organisation.objects.create(name="Test Union", kind="federation")


@pytest.fixture
def setup(union):
    reg = factories.source(publisher="Open Data Org")
    facs = [factories.facility(reg, name=n, address="Phnom Penh")
            for n in ("Golden Lotus Garment", "Golden Lotus Knitting")]
    lst = factories.source(publisher=union.name, organisation=union, importer="facility-list")
    rec = FacilityRecord.objects.create(
        source=lst, row_number=2, name="Goldn Lotus Garmnt", address="Phnom Penh",
        country="KH", facility=facs[0], match_score=0.71, decision=D.PENDING,
        raw={"Factory name": "Goldn Lotus Garmnt", "Union members": "120"},
        match_evidence={"candidates": [{"facility_id": facs[0].pk, "score": 0.71},
                                       {"facility_id": facs[1].pk, "score": 0.55}],
                        "explain": [["address_partial_nospace", 1.9],
                                    ["name_ratio_nospace", 0.8]],
                        "features": {"name_token_set": 0.88}})
    return facs, rec


def _user(name, org=None, role=None, **kw):
    user = User.objects.create_user(name, password="pw", **kw)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def test_the_review_rule(union, setup):
    _, rec = setup
    other = Organisation.objects.create(name="Other", kind="federation")
    affiliate = Organisation.objects.create(name="Aff", kind="factory_union", parent=union)
    assert can_review(_user("staff", is_staff=True), rec.source)
    assert can_review(_user("res", union, "researcher"), rec.source)
    assert can_review(_user("adm", union, "admin"), rec.source)
    assert not can_review(_user("rep", union, "union_rep"), rec.source)
    assert not can_review(_user("brand", union, "brand_viewer"), rec.source)
    assert not can_review(_user("stranger", other, "researcher"), rec.source)
    assert can_review(_user("stranger2", other, "researcher"))  # some list, not this one
    assert not can_review(_user("aff", affiliate, "researcher"), rec.source)
    assert not can_review(_user("inactive", union, "admin", is_active=False), rec.source)


def test_login_required_and_forbidden_for_others(client, union, setup):
    _, rec = setup
    url = reverse("web:review_record", args=[rec.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(_user("rep", union, "union_rep"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("web:review")).status_code == 403
    response = client.post(reverse("web:review_decide", args=[rec.pk]), {"action": "confirm"})
    assert response.status_code == 403
    rec.refresh_from_db()
    assert rec.decision == D.PENDING


def test_side_by_side_with_evidence(client, union, setup, verified_login):
    facs, rec = setup
    verified_login(client, _user("res", union, "researcher"))
    queue = client.get(reverse("web:review")).content.decode()
    assert "Goldn Lotus Garmnt" in queue and "1 row waits" in queue
    html = client.get(reverse("web:review_record", args=[rec.pk])).content.decode()
    assert "Goldn Lotus Garmnt" in html and "Golden Lotus Garment" in html
    assert "address_partial_nospace" in html and "+1.90" in html and "0.71" in html
    assert html.count('name="csrfmiddlewaretoken"') >= 4  # language switch + 3 decisions
    for action in ("confirm", "reject", "new"):
        assert f'value="{action}"' in html


def test_confirm_reject_new_by_post(client, union, setup, verified_login):
    facs, rec = setup
    user = _user("res", union, "researcher")
    verified_login(client, user)
    decide = reverse("web:review_decide", args=[rec.pk])
    assert client.get(decide).status_code == 405  # decisions only by POST
    response = client.post(decide, {"action": "reject", "facility": facs[0].pk})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.facility, rec.decision) == (facs[1], D.PENDING)
    # A stale form (the record moved on) changes nothing.
    client.post(decide, {"action": "confirm", "facility": facs[0].pk})
    rec.refresh_from_db()
    assert rec.decision == D.PENDING
    client.post(decide, {"action": "confirm", "facility": facs[1].pk})
    rec.refresh_from_db()
    assert (rec.facility, rec.decision, rec.decided_by) == (facs[1], D.CONFIRMED, user)
    assert MatchDecision.objects.filter(decided_by=user).count() == 2
    page = client.get(reverse("web:review_record", args=[rec.pk])).content.decode()
    assert 'value="confirm"' not in page  # decided: no forms


def test_new_facility_by_post(client, union, setup, verified_login):
    _, rec = setup
    verified_login(client, _user("adm", union, "admin"))
    response = client.post(reverse("web:review_decide", args=[rec.pk]),
                           {"action": "new", "facility": rec.facility_id}, follow=True)
    rec.refresh_from_db()
    assert rec.decision == D.NEW and rec.facility.name == "Goldn Lotus Garmnt"
    assert "New facility created" in response.content.decode()


def test_csrf_is_enforced(union, setup, verified_login):
    from django.test import Client

    _, rec = setup
    client = Client(enforce_csrf_checks=True)
    verified_login(client, _user("res", union, "researcher"))
    response = client.post(reverse("web:review_decide", args=[rec.pk]),
                           {"action": "confirm", "facility": rec.facility_id})
    assert response.status_code == 403


def test_watchlist_page_and_export(client, union, setup, verified_login):
    _, rec = setup
    wl = Watchlist.objects.create(name="Ours", organisation=union, source=rec.source)
    url = reverse("web:watchlist", args=[wl.pk])
    client.force_login(_user("brand", union, "brand_viewer"))
    assert client.get(url).status_code == 403
    client.force_login(_user("rep", union, "union_rep"))
    html = client.get(url).content.decode()
    assert "Ours" in html and "1: 0 matched, 1 waiting for review, 0 not found" in html
    assert "Review 1 uncertain match" not in html  # a union rep does not review
    assert "Ours" in client.get(reverse("web:watchlists")).content.decode()
    response = client.get(reverse("web:watchlist_export", args=[wl.pk, "csv"]))
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["list_name"] == "Goldn Lotus Garmnt" and rows[0]["publisher"] == union.name
    verified_login(client, _user("res", union, "researcher"))
    assert "Review 1 uncertain match" in client.get(url).content.decode()


def test_merged_facility_redirects(client, setup):
    facs, _ = setup
    merge(facs[0], facs[1])
    response = client.get(reverse("web:facility", args=[facs[1].pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("web:facility", args=[facs[0].pk])


def test_a_researcher_signs_in_without_being_staff(client, union, setup):
    from tests.auth import totp_code, totp_device

    device = totp_device(_user("res", union, "researcher"))
    response = client.get(reverse("web:review"))
    assert response["Location"].startswith(reverse("web:login"))
    response = client.post(reverse("web:login"), {"username": "res", "password": "wrong",
                                                  "next": reverse("web:review")})
    assert "Wrong username or password" in response.content.decode()
    response = client.post(reverse("web:login"), {"username": "res", "password": "pw",
                                                  "next": reverse("web:review")})
    # A researcher's second step: the code from the authenticator app.
    assert response["Location"] == reverse("web:two_factor") + "?next=%2Freview%2F"
    response = client.post(response["Location"], {"code": totp_code(device)})
    assert response["Location"] == reverse("web:review")
    assert client.get(reverse("web:review")).status_code == 200


def test_footer_signs_in_and_out(client, union):
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("web:login") in home and reverse("web:watchlists") not in home
    client.force_login(_user("rep", union, "union_rep"))
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("web:watchlists") in home and reverse("web:logout") in home
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:watchlists")).status_code == 302
