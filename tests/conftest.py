"""Test settings come from the environment, like everywhere else.

The suite runs on SQLite by default; CI runs it again with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopfloor.settings")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", '["testserver", "127.0.0.1", "localhost"]')
# The test client and the live server speak plain HTTP; HTTPS redirects are tested with
# settings built in tests/test_config.py.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (live_server), which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.conf import settings  # noqa: E402

settings.INSTALLED_APPS  # noqa: B018  (load settings now so pytest-django sets Django up)


from types import SimpleNamespace  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in rate limits count in Django's cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def verified_login():
    """``verified_login(client, user)``: sign in past the password and the second factor
    (see :mod:`tests.auth`)."""
    from tests.auth import verified_login as login

    return login


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's ``admin_client``, past the second factor staff must use."""
    from tests.auth import verified_login as login

    login(client, admin_user)
    return client


# -- the union workspace (tests/evidence, tests/web) ----------------------------------------
@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    """Evidence files (the vault, the demo's photos) go to a temporary directory, never to
    the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from shopfloor.evidence.storage import _vault_storage

    _vault_storage.cache_clear()
    yield settings.MEDIA_ROOT
    _vault_storage.cache_clear()


@pytest.fixture
def ws(db):
    """``ws.union`` organises at ``ws.a`` and ``ws.b``; ``ws.rival`` is another union at
    ``ws.a``; people: ``rep`` (union rep at A only), ``union_admin``, ``fed_researcher``
    (the federation's), ``rival_rep``, ``brand`` (viewer of a brand buying from A),
    ``member`` (plain member of the union), ``outsider``."""
    from django.contrib.auth import get_user_model

    from shopfloor.models import Membership, Organisation, Relationship
    from tests import factories as f

    User = get_user_model()
    w = SimpleNamespace()
    w.fed = Organisation.objects.create(name="Federation", kind="federation")
    w.union = Organisation.objects.create(name="Union A", kind="factory_union", parent=w.fed)
    w.rival = Organisation.objects.create(name="Rival union", kind="factory_union")
    w.public = f.source(title="Public list")
    w.a = f.facility(w.public, name="Factory A")
    w.b = f.facility(w.public, name="Factory B")
    w.c = f.facility(w.public, name="Factory C")
    w.union.facilities.set([w.a, w.b])
    w.rival.facilities.set([w.a])
    w.brand_co = f.company(w.public, name="Brand X")
    w.brand_org = Organisation.objects.create(name="Brand X org", kind="brand",
                                              company=w.brand_co)
    Relationship.objects.create(subject=w.brand_co, kind="sources_from", facility=w.a,
                                source=w.public, citation="row 2", year_start=2023)

    def person(name, org=None, role=None, facilities=()):
        user = User.objects.create_user(name)  # no password: hashing costs a second
        if org is not None:
            m = Membership.objects.create(user=user, organisation=org, role=role)
            m.facilities.set(facilities)
        return user

    w.rep = person("rep", w.union, "union_rep", [w.a])
    w.union_admin = person("union_admin", w.union, "admin")
    w.union_researcher = person("union_researcher", w.union, "researcher")
    w.fed_researcher = person("fed_researcher", w.fed, "researcher")
    w.rival_rep = person("rival_rep", w.rival, "union_rep", [w.a])
    w.brand = person("brand", w.brand_org, "brand_viewer")
    w.member = person("member", w.union, "member")
    w.outsider = person("outsider")
    w.staff = User.objects.create_user("staff", is_staff=True,
                                       is_superuser=True)
    return w
