"""Signing in and out, the second factor, signed-in sessions, and an organisation's members.

The rules live in :mod:`shopfloor.accounts` and :mod:`shopfloor.access`; these views only
show them. Everything works without JavaScript: every change is a POST form with a CSRF
token, and the enrolment QR code is an inline SVG.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required as _login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shopfloor import accounts, audit
from shopfloor.access import admin_organisations, can_manage_members
from shopfloor.models import Membership, Organisation

login_required = _login_required(login_url="web:login")
_LOGIN_TEMPLATE = "shopfloor/login.html"


# -- signing in and out ------------------------------------------------------------------


class _SignInForm(AuthenticationForm):
    """Django's form, but a member whose access was switched off gets the same answer as a
    wrong password (nothing tells a phone's new holder that the union noticed)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if accounts.is_cut_off(user):
            raise self.get_invalid_login_error()


def _safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


def _second_factor_url(user, next_url: str) -> str:
    name = ("web:two_factor" if accounts.totp_device(user) is not None
            else "web:two_factor_enrol")
    return reverse(name) + ("?" + urlencode({"next": next_url}) if next_url else "")


class _SignInView(auth_views.LoginView):
    template_name = _LOGIN_TEMPLATE
    form_class = _SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if accounts.over_rate("login", accounts.client_ip(request) or "-",
                              settings.LOGIN_RATE_LIMIT):
            return render(request, _LOGIN_TEMPLATE, {
                "form": self.get_form_class()(request), "throttled": True,
                "next": _safe_next(request)}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # signs in; the session gets a new key
        if accounts.requires_2fa(form.get_user()):
            return redirect(_second_factor_url(form.get_user(), self.get_success_url()))
        return response


login = _SignInView.as_view()
class _SignOutView(auth_views.LogoutView):
    """Sign out, and tell the browser to forget what this site stored on the device
    (drafts of workspace forms, see :mod:`shopfloor.web.drafts`)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response


logout = _SignOutView.as_view(next_page="web:home")


def locked_out(request, response=None, credentials=None) -> HttpResponse:
    """The answer to a sign-in while paused by django-axes (``AXES_LOCKOUT_CALLABLE``): the
    sign-in page with one message, the same whether the username exists or not."""
    return render(request, _LOGIN_TEMPLATE, {
        "form": _SignInForm(request), "locked": True,
        "minutes": settings.LOGIN_LOCKOUT_MINUTES, "next": _safe_next(request),
    }, status=429)


# -- the second factor -------------------------------------------------------------------


class _CodeForm(forms.Form):
    code = forms.CharField(max_length=12, strip=True)


def _finish(request) -> HttpResponse:
    return redirect(_safe_next(request, reverse("web:home")))


@never_cache
@login_required
def two_factor(request):
    """Enter the six-digit code from the authenticator app."""
    device = accounts.totp_device(request.user)
    if device is None:
        return redirect(_second_factor_url(request.user, _safe_next(request)))
    wrong = False
    if request.method == "POST":
        form = _CodeForm(request.POST)
        if form.is_valid() and accounts.verify_code(request, device,
                                                    form.cleaned_data["code"]):
            return _finish(request)
        wrong = True
    return render(request, "shopfloor/accounts/two_factor.html", {
        "next": _safe_next(request), "wrong": wrong,
    }, status=200 if not wrong else 400)


def _qr_svg(device) -> str:
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=5, border=2, title=_("QR code for your authenticator app"),
                         svgclass="qr", lineclass=None)


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def two_factor_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with
    a code. Only without a confirmed authenticator; replacing one is done by an admin
    (``shopfloor user reset-2fa``)."""
    if accounts.totp_device(request.user) is not None:
        return redirect(_second_factor_url(request.user, _safe_next(request)))
    device = accounts.start_enrolment(request.user)
    wrong = False
    if request.method == "POST":
        form = _CodeForm(request.POST)
        if form.is_valid() and accounts.verify_code(request, device, form.cleaned_data["code"],
                                                    enrolling=True):
            messages.success(request, _("Your authenticator app is set up. You will be asked "
                                        "for a code each time you sign in."))
            return _finish(request)
        wrong = True
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(request, "shopfloor/accounts/enrol.html", {
        "qr": mark_safe(_qr_svg(device)),  # noqa: S308  # nosec B308 B703 (segno SVG, no user input)
        "secret": _grouped(secret), "next": _safe_next(request), "wrong": wrong,
    }, status=200 if not wrong else 400)


# -- signed-in sessions ------------------------------------------------------------------


@never_cache
@login_required
def sessions(request):
    """Where you are signed in, with buttons to sign out elsewhere or everywhere."""
    current = request.session.get(accounts.SESSION_RECORD_KEY)
    return render(request, "shopfloor/accounts/sessions.html", {
        "sessions": accounts.sessions_of(request.user), "current": current,
    })


@login_required
@require_POST
def sessions_end(request):
    """End one session (``session``), every other one (``scope=others``) or all of them,
    this one included (``scope=all``)."""
    scope = request.POST.get("scope")
    key = request.session.session_key
    if scope == "all":
        ended = accounts.end_sessions(request.user)
        audit.record("sessions.ended", request=request, actor=request.user,
                              scope="all", sessions=ended)
        auth_logout(request)
        messages.success(request, _("You are signed out everywhere."))
        return redirect("web:login")
    if scope == "others":
        ended = accounts.end_sessions(request.user, except_key=key)
    elif request.POST.get("session", "").isdigit():
        pk = int(request.POST["session"])
        if pk == request.session.get(accounts.SESSION_RECORD_KEY):
            return HttpResponse(status=400)  # signing out here is the sign-out button
        ended = int(accounts.end_session(request.user, pk))
    else:
        return HttpResponse(status=400)
    audit.record("sessions.ended", request=request, actor=request.user,
                          scope=scope or "one", sessions=ended)
    messages.success(request, ngettext("Signed out of %(count)d other session.",
                                       "Signed out of %(count)d other sessions.", ended)
                     % {"count": ended})
    return redirect("web:sessions")


# -- an organisation's members -----------------------------------------------------------


def _managed(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
def my_organisations(request):
    """The organisations whose members you manage (straight to it if only one)."""
    organisations = list(admin_organisations(request.user))
    if not organisations:
        raise PermissionDenied
    if len(organisations) == 1:
        return redirect("web:members", pk=organisations[0].pk)
    return render(request, "shopfloor/accounts/organisations.html", {
        "organisations": organisations,
    })


@never_cache
@login_required
def members(request, pk: int):
    """An organisation's members with role, factories covered and whether they may sign
    in; organisation admins (and staff) only."""
    organisation = _managed(request, pk)
    return render(request, "shopfloor/accounts/members.html", {
        "organisation": organisation, "members": accounts.members_of(organisation),
    })


@login_required
@require_POST
def member_access(request, pk: int, membership: int):
    """Switch a member off (``action=disable``: sessions end, API tokens are revoked) or
    back on (``action=enable``)."""
    organisation = _managed(request, pk)
    member = get_object_or_404(Membership.objects.select_related("user"),
                               pk=membership, organisation=organisation)
    action = request.POST.get("action")
    name = member.user.get_username()
    if action == "disable":
        if member.user_id == request.user.pk:
            messages.error(request, _("You cannot switch off your own access."))
            return redirect("web:members", pk=organisation.pk)
        result = accounts.disable_member(member, by=request.user, request=request)
        messages.success(request, _(
            "%(name)s can no longer sign in to %(organisation)s. Sessions ended: "
            "%(sessions)d; API tokens revoked: %(tokens)d.") % {
                "name": name, "organisation": organisation.name,
                "sessions": result["sessions_ended"], "tokens": result["tokens_revoked"]})
    elif action == "enable":
        accounts.enable_member(member, by=request.user, request=request)
        messages.success(request, _("%(name)s has access again.") % {"name": name})
    else:
        return HttpResponse(status=400)
    return redirect("web:members", pk=organisation.pk)
