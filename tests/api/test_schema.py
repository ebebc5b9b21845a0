"""Property-based tests of the whole API from its own OpenAPI schema (schemathesis): every
operation, with generated parameters (huge numbers, odd Unicode, NUL bytes), must answer
without a server error and as its schema says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db


from django.core.wsgi import get_wsgi_application  # noqa: E402

from shopfloor.api import api  # noqa: E402

_django = get_wsgi_application()


def _app(environ, start_response):
    """The Django WSGI app, reached over HTTPS as in production (no redirect)."""
    environ["wsgi.url_scheme"] = "https"
    return _django(environ, start_response)


# Loaded when the module is collected (schemathesis' lazy fixture loader does not work with
# pytest 9); the schema is the one /api/openapi.json serves.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = _app


@pytest.fixture
def token(union):
    """A small seeded database (three facilities, findings, sources, a watchlist) and a
    token of the researcher who may read the watchlist."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction (PostgreSQL would lose the seeded data).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield union.token
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, token):
    # identity: the in-process WSGI client does not unpack gzip
    case.call_and_validate(headers={"Authorization": f"Bearer {token}",
                                    "Accept-Encoding": "identity"})


def test_schema_is_served_with_docs(client):
    body = client.get("/api/openapi.json").json()
    assert body["info"]["title"] == "Shopfloor API"
    assert {"/api/facilities", "/api/facilities/{facility_id}", "/api/sources/{source_id}",
            "/api/companies", "/api/watchlists/{watchlist_id}/evidence"} <= set(body["paths"])
    assert "text/csv" in body["paths"]["/api/facilities"]["get"]["responses"]["200"]["content"]
    assert client.get("/api/docs").status_code == 200
