"""Signing in, over real HTTP: lockout and throttling, the second factor, sessions that can
be ended from elsewhere, members cut off at once, CSRF and the security headers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shopfloor.api.tokens import create_token
from shopfloor.models import ApiToken, AuditEvent, Membership, Organisation, UserSession
from tests.auth import totp_code, totp_device

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct horse battery"
LOGIN = "/login/"


@pytest.fixture
def union():
    return Organisation.objects.create(name="Test Union", kind="federation")


@pytest.fixture(autouse=True)
def _no_otp_throttle_delay(settings):
    """django-otp makes a second attempt after a wrong code wait a second; not here."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _user(name, org=None, role=None, **kw):
    user = User.objects.create_user(name, password=PASSWORD, **kw)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _actions(action):
    return AuditEvent.objects.filter(action=action)


# -- passwords ---------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgraded(client, union):
    assert _user("new").password.startswith("argon2$")
    old = _user("old", union, "union_rep")
    old.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    old.save()
    assert _sign_in(client, "old").status_code == 302
    old.refresh_from_db()
    assert old.password.startswith("argon2$")


def test_password_policy():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short", "123456789012345", "password12345"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("shopfloor-demo")  # the demo password: 14 characters


# -- lockout and throttling --------------------------------------------------------------


def test_lockout_after_the_failure_limit_then_expiry(client, union, settings):
    _user("rep", union, "union_rep")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "rep", "wrong password")
        assert response.status_code == 200
        assert "Wrong username or password" in response.content.decode()
    response = _sign_in(client, "rep", "wrong password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed attempts" in html and "30 minutes" in html
    assert _actions("lockout").filter(detail__username="rep").exists()
    # The right password does not help while paused.
    response = _sign_in(client, "rep")
    assert response.status_code == 429 and not _signed_in(client)
    # Another address is not paused for this username.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _sign_in(other, "rep").status_code == 302
    # When the pause is over, the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _sign_in(client, "rep").status_code == 302 and _signed_in(client)


def test_lockout_message_does_not_tell_whether_the_username_exists(client, union, settings):
    _user("rep", union, "union_rep")
    answers = []
    for username in ("rep", "nobody-by-this-name"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = _sign_in(client, username, "wrong password")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        answers.append((response.status_code, html.replace(username, "USERNAME")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_sign_in_attempts_are_throttled_per_address(client, union, settings):
    settings.LOGIN_RATE_LIMIT = "3/m"
    _user("rep", union, "union_rep")
    for name in ("a", "b", "c"):
        assert _sign_in(client, name, "wrong password").status_code == 200
    response = _sign_in(client, "rep")
    assert response.status_code == 429 and not _signed_in(client)
    assert "Too many sign-in attempts from this network" in response.content.decode()


# -- the second factor -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["researcher", "admin", "staff"])
def test_second_factor_required_before_anything_else(client, union, role):
    user = (_user("s", is_staff=True) if role == "staff" else _user("u", union, role))
    client.force_login(user)
    response = client.get(reverse("web:watchlists"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:two_factor_enrol") + "?next=%2Fwatchlists%2F"
    api = client.get("/api/facilities")
    assert api.status_code == 403 and "Two-factor" in api.json()["detail"]
    totp_device(user)
    response = client.get(reverse("web:home"))
    assert response["Location"] == reverse("web:two_factor") + "?next=%2F"
    # Signing out and switching language still work.
    assert client.post(reverse("set_language"), {"language": "km"}).status_code == 302


@pytest.mark.parametrize("role", ["union_rep", "brand_viewer", "member"])
def test_no_second_factor_for_other_roles(client, union, role):
    client.force_login(_user("u", union, role))
    assert client.get(reverse("web:watchlists")).status_code == 200
    assert client.get("/api/facilities").status_code == 200


def test_enrol_with_qr_code_then_confirm_with_a_real_code(client, union):
    user = _user("res", union, "researcher")
    response = _sign_in(client, "res", next="/watchlists/")
    assert response["Location"] == reverse("web:two_factor_enrol") + "?next=%2Fwatchlists%2F"
    page = client.get(response["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert "<svg" in html and "<script" not in html and "style=" not in html
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html  # typed by hand if scanning fails
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    # A wrong code is refused and recorded.
    wrong = client.post(response["Location"], {"code": "000000" if totp_code(device) != "000000"
                                               else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert _actions("2fa.failed").filter(actor=user).count() == 1
    assert client.get("/watchlists/").status_code == 302
    before = client.session.session_key
    done = client.post(response["Location"], {"code": totp_code(device)})
    assert done["Location"] == "/watchlists/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != before  # a new key once verified
    assert UserSession.objects.get(user=user).session_key == client.session.session_key
    assert client.get("/watchlists/").status_code == 200
    assert _actions("2fa.enrolled").filter(actor=user).exists()
    assert _actions("2fa.verified").filter(actor=user).exists()


def test_verify_with_a_code_and_a_used_code_is_not_accepted_twice(client, union):
    user = _user("adm", union, "admin")
    device = totp_device(user)
    response = _sign_in(client, "adm")
    assert response["Location"] == reverse("web:two_factor") + "?next=%2F"
    assert client.post(reverse("web:two_factor"), {"code": "12345"}).status_code == 400
    assert _actions("2fa.failed").filter(actor=user).exists()
    code = totp_code(device)
    response = client.post(reverse("web:two_factor"), {"code": code})
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:watchlists")).status_code == 200
    other = Client()
    _sign_in(other, "adm")
    assert other.post(reverse("web:two_factor"), {"code": code}).status_code == 400
    assert other.get(reverse("web:watchlists")).status_code == 302


def test_verify_page_redirects_next_only_to_this_site(client, union):
    device = totp_device(_user("adm", union, "admin"))
    _sign_in(client, "adm")
    response = client.post(reverse("web:two_factor") + "?next=https://evil.example/",
                           {"code": totp_code(device)})
    assert response["Location"] == reverse("web:home")


def test_voluntary_second_factor_is_then_required(client, union):
    user = _user("rep", union, "union_rep")
    client.force_login(user)
    assert client.get(reverse("web:two_factor_enrol")).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("web:two_factor_enrol"), {"code": totp_code(device)})
    fresh = Client()
    fresh.force_login(user)
    assert fresh.get(reverse("web:watchlists"))["Location"].startswith(
        reverse("web:two_factor"))


# -- sessions ----------------------------------------------------------------------------


def test_sign_in_is_recorded_and_last_seen_written_at_most_once_a_minute(client, union):
    user = _user("rep", union, "union_rep")
    _sign_in(client, "rep", HTTP_USER_AGENT="PhoneBrowser/1.0")
    row = UserSession.objects.get(user=user)
    assert row.session_key == client.session.session_key and row.ip == "127.0.0.1"
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=5))
    client.get(reverse("web:home"))
    row.refresh_from_db()
    seen = row.last_seen_at
    assert timezone.now() - seen < timedelta(seconds=30)
    client.get(reverse("web:home"))
    row.refresh_from_db()
    assert row.last_seen_at == seen


def test_sign_out_elsewhere_and_everywhere(union):
    user = _user("rep", union, "union_rep")
    phone, laptop = Client(), Client()
    _sign_in(phone, "rep")
    _sign_in(laptop, "rep")
    page = laptop.get(reverse("web:sessions")).content.decode()
    assert page.count("this device") == 1 and "Sign out everywhere else" in page
    response = laptop.post(reverse("web:sessions_end"), {"scope": "others"})
    assert response.status_code == 302
    assert phone.get(reverse("web:watchlists")).status_code == 302  # signed out
    assert laptop.get(reverse("web:watchlists")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1
    laptop.post(reverse("web:sessions_end"), {"scope": "all"})
    assert laptop.get(reverse("web:watchlists")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()
    assert _actions("sessions.ended").filter(actor=user).count() == 2


def test_end_one_session(union):
    user = _user("rep", union, "union_rep")
    phone, laptop = Client(), Client()
    _sign_in(phone, "rep")
    _sign_in(laptop, "rep")
    row = UserSession.objects.get(session_key=phone.session.session_key)
    laptop.post(reverse("web:sessions_end"), {"session": row.pk})
    assert phone.get(reverse("web:watchlists")).status_code == 302
    assert laptop.get(reverse("web:watchlists")).status_code == 200
    own = UserSession.objects.get(user=user)
    assert laptop.post(reverse("web:sessions_end"), {"session": own.pk}).status_code == 400


def test_idle_and_old_sessions_end(client, union, settings):
    user = _user("rep", union, "union_rep")
    _sign_in(client, "rep")
    UserSession.objects.update(
        last_seen_at=timezone.now() - timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
    response = client.get(reverse("web:watchlists"))
    assert response["Location"].startswith(LOGIN) and not _signed_in(client)
    _sign_in(client, "rep")
    UserSession.objects.filter(user=user).update(
        created_at=timezone.now() - timedelta(hours=settings.SESSION_MAX_HOURS, minutes=1))
    assert client.get(reverse("web:watchlists"))["Location"].startswith(LOGIN)


def test_sign_out_removes_the_session_record(client, union):
    user = _user("rep", union, "union_rep")
    _sign_in(client, "rep")
    client.post(reverse("web:logout"))
    assert not UserSession.objects.filter(user=user).exists()


# -- cutting a member off ----------------------------------------------------------------


def test_admin_disables_a_member_at_once(union, verified_login):
    admin = _user("adm", union, "admin")
    rep = _user("rep", union, "union_rep")
    membership = rep.memberships.get()
    _token, secret = create_token(rep, "phone")
    phone = Client()
    _sign_in(phone, "rep")
    assert phone.get(reverse("web:watchlists")).status_code == 200
    assert phone.get("/api/watchlists", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code \
        == 200

    office = Client()
    verified_login(office, admin)
    page = office.get(reverse("web:members", args=[union.pk])).content.decode()
    assert "rep" in page and "union representative" in page and 'value="disable"' in page
    response = office.post(reverse("web:member_access", args=[union.pk, membership.pk]),
                           {"action": "disable"}, follow=True)
    assert "Sessions ended: 1; API tokens revoked: 1." in response.content.decode()
    membership.refresh_from_db()
    assert not membership.is_active and membership.disabled_at is not None
    assert phone.get(reverse("web:watchlists")).status_code == 302
    assert ApiToken.objects.get(user=rep).revoked_at is not None
    assert phone.get("/api/watchlists", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code \
        == 401
    # Signing in again is refused with the usual answer.
    response = _sign_in(phone, "rep")
    assert "Wrong username or password" in response.content.decode()
    assert _actions("member.disabled").filter(actor=admin, organisation=union).exists()
    # And back on.
    office.post(reverse("web:member_access", args=[union.pk, membership.pk]),
                {"action": "enable"})
    membership.refresh_from_db()
    assert membership.is_active and membership.disabled_at is None
    assert _sign_in(phone, "rep").status_code == 302
    assert _actions("member.enabled").filter(actor=admin).exists()


def test_a_disabled_membership_stops_an_open_session(client, union):
    rep = _user("rep", union, "union_rep")
    _sign_in(client, "rep")
    Membership.objects.filter(user=rep).update(is_active=False)  # e.g. changed in the admin
    response = client.get(reverse("web:watchlists"))
    assert response.status_code == 302 and not _signed_in(client)
    assert client.get("/api/watchlists").status_code == 401


def test_only_admins_and_staff_see_members(client, union, verified_login):
    other = Organisation.objects.create(name="Other", kind="federation")
    url = reverse("web:members", args=[union.pk])
    assert client.get(url)["Location"].startswith(LOGIN)
    for user in (_user("res", union, "researcher"), _user("rep", union, "union_rep"),
                 _user("adm2", other, "admin")):
        verified_login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url + "1/", {"action": "disable"}).status_code in (403, 404)
    verified_login(client, _user("staff", is_staff=True))
    assert client.get(url).status_code == 200
    admin = _user("adm", union, "admin")
    verified_login(client, admin)
    assert client.get(url).status_code == 200
    assert client.get(reverse("web:my_organisations"))["Location"] == url
    assert reverse("web:my_organisations") in client.get(reverse("web:home")).content.decode()
    own = admin.memberships.get()
    client.post(reverse("web:member_access", args=[union.pk, own.pk]), {"action": "disable"})
    own.refresh_from_db()
    assert own.is_active  # not oneself


# -- CSRF, headers, sizes ----------------------------------------------------------------


def test_csrf_is_required_for_sign_in_and_session_changes(union):
    _user("rep", union, "union_rep")
    strict = Client(enforce_csrf_checks=True)
    assert _sign_in(strict, "rep").status_code == 403
    strict.force_login(User.objects.get(username="rep"))
    assert strict.post(reverse("web:sessions_end"), {"scope": "all"}).status_code == 403
    assert strict.post(reverse("web:logout")).status_code == 403


@pytest.mark.parametrize("url", ["/", LOGIN, "/brands/"])
def test_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "img-src 'self' data:", "object-src 'none'", "base-uri 'self'",
                      "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_cookies_are_http_only_and_secure_outside_debug(client, union):
    _user("rep", union, "union_rep")
    client.get(LOGIN)
    response = _sign_in(client, "rep")
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["secure"]


def test_oversized_requests_are_refused(client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = client.post(LOGIN, {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert client.post("/api/facilities", data="x" * 2000,
                       content_type="text/plain").status_code == 413
