"""Fixtures for the API tests: the web dataset, a union with a watchlist, users with tokens."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture(autouse=True)
def _english_over_plain_http(settings):
    settings.LANGUAGE_CODE = "en"
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP


@pytest.fixture
def data(db):
    """Three facilities; the first with buyers, facts and two BFC cycles
    (see :mod:`tests.web.dataset`)."""
    from tests.web.dataset import build

    return build()


def _user(username: str, **kw):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username, f"{username}@example.org", None,
                                                **kw)


@pytest.fixture
def union(data):
    """A federation whose researcher keeps a watchlist of Sun Rise and Golden Thread, and a
    member of another union who may not see it."""
    from shopfloor.api.tokens import create_token
    from shopfloor.models import FacilityRecord, Membership, Organisation, Source, Watchlist

    fed = Organisation.objects.create(name="Test Federation", kind="federation")
    other = Organisation.objects.create(name="Other Union", kind="factory_union")
    member = _user("vanna")
    Membership.objects.create(user=member, organisation=fed, role="researcher")
    outsider = _user("dara")
    Membership.objects.create(user=outsider, organisation=other, role="researcher")
    src = Source.objects.create(publisher="Test Federation", title="Our factories",
                                file_name="ours.csv", organisation=fed,
                                importer="facility-list")
    for row, fac in [(2, data.sun), (3, data.golden)]:
        FacilityRecord.objects.create(source=src, row_number=row, name=fac.name.upper(),
                                      country="KH", facility=fac, match_score=0.97,
                                      decision=FacilityRecord.Decision.AUTOMATIC)
    FacilityRecord.objects.create(source=src, row_number=4, name="=HYPERLINK(\"x\")",
                                  country="KH", decision=FacilityRecord.Decision.PENDING)
    watchlist = Watchlist.objects.create(name="Our factories", organisation=fed, source=src,
                                         created_by=member)
    return SimpleNamespace(fed=fed, other=other, member=member, outsider=outsider,
                           source=src, watchlist=watchlist,
                           token=create_token(member, "tests")[1],
                           outsider_token=create_token(outsider, "tests")[1])


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
