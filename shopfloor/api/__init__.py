"""The JSON API (django-ninja), mounted at ``/api/``: OpenAPI docs at ``/api/docs``, the
schema at ``/api/openapi.json``. A thin layer over the library, like the pages and the CLI;
see docs/api.md."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import JSONRenderer

from shopfloor.api import companies, facilities, sources, watchlists
from shopfloor.api.throttling import ApiRateThrottle


class _Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Khmer stays readable


api = NinjaAPI(
    title="Shopfloor API",
    version="1",
    description="Factories, brands, compliance findings and datapoints, each value with the "
                "source it came from. Read-only. Lists take `limit`/`offset` and "
                "`format=csv`. Watchlists need `Authorization: Bearer <token>` "
                "(`shopfloor token create`).",
    urls_namespace="api",
    renderer=_Renderer(),
    throttle=[ApiRateThrottle()],
)
api.add_router("/facilities", facilities.router)
api.add_router("/companies", companies.router)
api.add_router("/sources", sources.router)
api.add_router("/watchlists", watchlists.router)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    response = api.create_response(request, {"detail": _(
        "Authentication required: send an API token as 'Authorization: Bearer <token>', "
        "or sign in.")}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = str(exc)
    if detail == "CSRF check Failed":  # ninja's session auth, on an unsafe request
        detail = _("CSRF check failed: send the CSRF token, or use an API token.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
