"""The account rules, applied to every request (see :mod:`shopfloor.accounts`).

For a signed-in session, in this order:

1. a session ended elsewhere ("log out everywhere", a member disabled), idle longer than
   ``SESSION_IDLE_MINUTES`` or older than ``SESSION_MAX_HOURS`` is signed out;
2. a person whose memberships are all disabled is signed out (staff never are);
3. a person who must use a second factor (:func:`shopfloor.accounts.requires_2fa`) and has
   not entered a code in this session is sent to the code page — or to enrolment, without
   an authenticator yet — before anything else; the API answers 403.

Pages answer with a redirect to the sign-in page, the API (``/api/``) with JSON. Requests
larger than ``UPLOAD_MAX_BYTES`` are refused with 413 before they are read, and every
response gets the ``Permissions-Policy`` header.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shopfloor import accounts

_API_PREFIX = "/api/"
#: Pages an unverified (second factor pending) session may still reach, by URL name.
_OPEN_TO_UNVERIFIED = ("web:login", "web:logout", "web:two_factor", "web:two_factor_enrol")


def _is_api(request) -> bool:
    return request.path_info.startswith(_API_PREFIX)


def _signed_out_message(reason: str) -> str:
    if reason == "disabled":
        return _("Your access has been switched off by your organisation.")
    if reason in ("idle", "expired"):
        return _("You were signed out after a while, to keep your account safe. Sign in "
                 "again.")
    return _("You were signed out. Sign in again.")


def _next_query(request) -> str:
    if request.method != "GET" or _is_api(request):
        return ""
    return "?" + urlencode({"next": request.get_full_path()})


def _too_large(request) -> HttpResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if length <= settings.UPLOAD_MAX_BYTES:
        return None
    text = _("The upload is too large: at most %(mb)d MB.") % {
        "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
    if _is_api(request):
        return JsonResponse({"detail": text}, status=413)
    return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")


def _exempt(request) -> bool:
    path = request.path_info
    if path.startswith((settings.STATIC_URL, "/i18n/")):
        return True
    return any(path == reverse(name) for name in _OPEN_TO_UNVERIFIED)


def _sign_out(request, reason: str) -> HttpResponse:
    logout(request)
    text = _signed_out_message(reason)
    if _is_api(request):
        return JsonResponse({"detail": text}, status=401 if reason != "disabled" else 403)
    messages.info(request, text)
    return redirect(reverse("web:login") + _next_query(request))


def _second_factor(request) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _(
            "Two-factor sign-in required: enter the code from your authenticator app on the "
            "website first, or use an API token.")}, status=403)
    has_device = accounts.totp_device(request.user) is not None
    name = "web:two_factor" if has_device else "web:two_factor_enrol"
    return redirect(reverse(name) + _next_query(request))


class AccountMiddleware:
    """Install after ``OTPMiddleware`` and ``MessageMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = _too_large(request) or self._check(request) or self.get_response(request)
        if getattr(settings, "PERMISSIONS_POLICY", ""):
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _check(request) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        reason = accounts.check_session(request)
        if reason is not None:
            return _sign_out(request, reason)
        standing = accounts.standing(user)
        if standing.cut_off:
            return _sign_out(request, "disabled")
        verified = getattr(user, "is_verified", None)
        if standing.requires_2fa and not (verified and verified()) and not _exempt(request):
            return _second_factor(request)
        return None
