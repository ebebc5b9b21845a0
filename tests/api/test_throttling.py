"""The API's rate limit (settings.API_RATE_LIMIT)."""

from __future__ import annotations


def test_requests_over_the_limit_get_429_per_caller(client, data, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/sources").status_code == 200
    refused = client.get("/api/sources")
    assert refused.status_code == 429
    # another address has its own allowance
    assert client.get("/api/sources", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_limit_is_read_from_settings(client, data, settings):
    settings.API_RATE_LIMIT = "1000/m"
    assert all(client.get("/api/sources").status_code == 200 for _ in range(20))
