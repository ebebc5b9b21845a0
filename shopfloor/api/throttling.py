"""The API's rate limit: ``settings.API_RATE_LIMIT`` requests per token, or per address for
anonymous callers, counted in Django's cache (so per process unless the cache is shared).
Over the limit the API answers 429 with ``Retry-After``."""

from __future__ import annotations

from django.conf import settings
from ninja.throttling import AuthRateThrottle


class ApiRateThrottle(AuthRateThrottle):
    scope = "api"

    def __init__(self) -> None:  # the rate is read per request, so settings can change it
        self.rate = None

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
