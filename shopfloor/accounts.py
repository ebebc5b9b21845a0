"""Accounts beyond the password: signed-in sessions, two-factor sign-in, cutting a member
off. Used by the sign-in pages, :class:`shopfloor.web.middleware.AccountMiddleware` and the
``shopfloor user`` / ``shopfloor member`` commands alike.

Every sign-in is recorded as a :class:`UserSession` (by a ``user_logged_in`` receiver, so
the admin's sign-in and the test client's ``force_login`` count too); the session remembers
its row, and a session whose row is gone, idle too long or too old is ended at its next
request (:func:`check_session`). Ending sessions (:func:`end_sessions`) deletes both the
Django session and the row, so it takes effect at once.

Example::

    from shopfloor import accounts
    accounts.end_sessions(user)                      # "log out everywhere"
    accounts.disable_member(membership, by=admin)    # a phone was seized
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from shopfloor import audit
from shopfloor.models import ApiToken, Membership, UserSession

#: The session key under which a session remembers its :class:`UserSession` row.
SESSION_RECORD_KEY = "_shopfloor_session"
#: ``UserSession.last_seen_at`` is written at most this often per session.
TOUCH_EVERY = timedelta(minutes=1)
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request) -> str | None:
    """The client's address (behind a trusted proxy, the one the proxy saw); used for
    lockouts, rate limits, sessions and the audit log alike."""
    return audit.client_ip(request)


# -- sessions ----------------------------------------------------------------------------


def record_session(request, user) -> UserSession:
    """Record the (just signed-in) session of ``request`` as ``user``'s, and remember the
    row in the session."""
    if request.session.session_key is None:
        request.session.save()
    meta = getattr(request, "META", {}) or {}
    row, _ = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "ip": client_ip(request), "last_seen_at": timezone.now(),
                  "user_agent": meta.get("HTTP_USER_AGENT", "")[:300]})
    request.session[SESSION_RECORD_KEY] = row.pk
    return row


@receiver(user_logged_in, dispatch_uid="shopfloor_accounts_record_session")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        record_session(request, user)


@receiver(user_logged_out, dispatch_uid="shopfloor_accounts_forget_session")
def _on_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(user_locked_out, dispatch_uid="shopfloor_accounts_lockout")
def _on_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record("lockout", request=request, username=str(username or "")[:150],
                 minutes=settings.LOGIN_LOCKOUT_MINUTES)


def rotate_session(request) -> None:
    """Give the session a new key (after a privilege change such as two-factor
    verification), keeping its data and its :class:`UserSession` row."""
    request.session.cycle_key()
    pk = request.session.get(SESSION_RECORD_KEY)
    if pk is not None:
        UserSession.objects.filter(pk=pk).update(session_key=request.session.session_key)


def _session_store(key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def end_sessions(user, except_key: str | None = None) -> int:
    """End ``user``'s signed-in sessions (all but the one with ``except_key``, if given):
    the Django sessions are deleted and their records too. Returns how many were ended."""
    rows = UserSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    rows.delete()
    return len(keys)


def end_session(user, pk: int) -> bool:
    """End one of ``user``'s sessions by its record id; whether there was one."""
    row = UserSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        return False
    _session_store(row.session_key).delete()
    row.delete()
    return True


def sessions_of(user):
    """``user``'s signed-in sessions, newest first."""
    return UserSession.objects.filter(user=user).order_by("-last_seen_at", "-created_at")


def check_session(request) -> str | None:
    """Why the signed-in session of ``request`` must end (``"ended"``: signed out
    elsewhere or never recorded; ``"idle"``; ``"expired"``), or ``None`` if it may go on.
    Updates the record's ``last_seen_at`` (at most once a minute)."""
    pk = request.session.get(SESSION_RECORD_KEY)
    row = (UserSession.objects.filter(pk=pk, user_id=request.user.pk)
           .values("session_key", "created_at", "last_seen_at").first() if pk else None)
    if row is None:
        return "ended"
    now = timezone.now()
    if now - row["created_at"] > timedelta(hours=settings.SESSION_MAX_HOURS):
        return "expired"
    seen = row["last_seen_at"] or row["created_at"]
    if now - seen > timedelta(minutes=settings.SESSION_IDLE_MINUTES):
        return "idle"
    changes = {}
    if now - seen >= TOUCH_EVERY:
        changes["last_seen_at"] = now
    if request.session.session_key and row["session_key"] != request.session.session_key:
        changes["session_key"] = request.session.session_key  # rotated elsewhere
    if changes:
        UserSession.objects.filter(pk=pk).update(**changes)
    return None


def purge_session_records(days: int | None = None) -> int:
    """Delete records of sessions unused for ``days`` (default
    ``SESSION_RECORD_RETENTION_DAYS``, and never less than the longest session). Returns
    how many were deleted."""
    days = settings.SESSION_RECORD_RETENTION_DAYS if days is None else days
    age = max(timedelta(days=days), timedelta(hours=settings.SESSION_MAX_HOURS))
    cutoff = timezone.now() - age
    stale = UserSession.objects.filter(created_at__lt=cutoff).exclude(last_seen_at__gte=cutoff)
    return stale.delete()[0]


# -- who must use a second factor; who is cut off ----------------------------------------


@dataclass(frozen=True)
class Standing:
    """What the account rules say about a signed-in user (one query)."""

    requires_2fa: bool
    cut_off: bool


def standing(user) -> Standing:
    """Whether ``user`` must use a second factor and whether they are cut off (every
    membership disabled, not staff)."""
    if user.is_staff or user.is_superuser:
        return Standing(requires_2fa=True, cut_off=False)
    rows = list(Membership.objects.filter(user=user).values_list("role", "is_active"))
    roles = set(getattr(settings, "REQUIRE_2FA_ROLES", ()))
    required = any(active and role in roles for role, active in rows)
    return Standing(
        requires_2fa=required or totp_device(user) is not None,
        cut_off=bool(rows) and not any(active for _role, active in rows),
    )


def requires_2fa(user) -> bool:
    """Whether ``user`` must verify a second factor after the password: staff and
    superusers, anyone with an active membership in a role of REQUIRE_2FA_ROLES, and
    anyone who set up an authenticator app of their own accord."""
    return user is not None and user.is_authenticated and standing(user).requires_2fa


def is_cut_off(user) -> bool:
    """Whether ``user`` belongs to organisations but every membership is disabled (staff
    never are)."""
    return user is not None and user.is_authenticated and standing(user).cut_off


# -- two-factor (TOTP) -------------------------------------------------------------------


def totp_device(user, *, confirmed: bool | None = True):
    """``user``'s authenticator-app device (confirmed, unconfirmed or either), or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-pk").first()


def start_enrolment(user):
    """The unconfirmed device the user is enrolling (made now if there is none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app",
                                           confirmed=False)
    return device


def verify_code(request, device, code: str, *, enrolling: bool = False) -> bool:
    """Check ``code`` against ``device`` for the signed-in user of ``request``. On success
    the device is confirmed (when enrolling), the session becomes verified under a new key,
    and it is audited; a wrong code is audited too."""
    import django_otp

    code = "".join(code.split())
    with transaction.atomic():
        ok = (device.user_id == request.user.pk and code.isdigit()
              and django_otp.verify_token(request.user, device.persistent_id, code) is not None)
    if not ok:
        audit.record("2fa.failed", request=request, obj=request.user, enrolling=enrolling)
        return False
    device.refresh_from_db()
    if enrolling and not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        type(device).objects.filter(user=device.user).exclude(pk=device.pk).delete()
        audit.record("2fa.enrolled", request=request, obj=request.user)
    rotate_session(request)
    django_otp.login(request, device)
    audit.record("2fa.verified", request=request, obj=request.user)
    return True


def reset_2fa(user, by=None) -> int:
    """Remove ``user``'s authenticator devices (a lost phone); they enrol again at the next
    sign-in. Their sessions end. Returns how many devices were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        ended = end_sessions(user)
        audit.record("2fa.reset", actor=by, obj=user, devices=removed, sessions_ended=ended)
    return removed


# -- cutting a member off ----------------------------------------------------------------


def revoke_tokens(user) -> int:
    """Revoke every usable API token of ``user``; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def disable_member(membership: Membership, by=None, *, request=None) -> dict:
    """Cut a member off at once (a phone was seized): the membership is disabled, every
    signed-in session of the person ends, and — unless they are still active in another
    organisation, or staff — their API tokens are revoked. Audited."""
    with transaction.atomic():
        membership.is_active = False
        membership.disabled_at = timezone.now()
        membership.save(update_fields=["is_active", "disabled_at"])
        user = membership.user
        elsewhere = user.is_staff or Membership.objects.filter(
            user=user, is_active=True).exists()
        result = {"sessions_ended": end_sessions(user),
                  "tokens_revoked": 0 if elsewhere else revoke_tokens(user)}
        audit.record("member.disabled", request=request, actor=by, obj=membership,
                     organisation=membership.organisation, user=user.get_username(),
                     **result)
    return result


def enable_member(membership: Membership, by=None, *, request=None) -> None:
    """Let a disabled member back in (revoked API tokens stay revoked). Audited."""
    with transaction.atomic():
        membership.is_active = True
        membership.disabled_at = None
        membership.save(update_fields=["is_active", "disabled_at"])
        audit.record("member.enabled", request=request, actor=by, obj=membership,
                     organisation=membership.organisation,
                     user=membership.user.get_username())


def members_of(organisation):
    """An organisation's memberships with their people and factory scope, by username."""
    return (Membership.objects.filter(organisation=organisation)
            .select_related("user").prefetch_related("facilities").order_by("user__username"))


# -- rate limits -------------------------------------------------------------------------


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/m"`` → ``(20, 60)``: requests allowed and the window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0]]


def over_rate(scope: str, key: str, rate: str) -> bool:
    """Count one request of ``key`` (e.g. an address) in ``scope`` and say whether it is
    over ``rate`` in the last window (a sliding window: no burst of twice the rate across a
    window's edge). The times live in Django's cache (per process with the default
    in-memory cache)."""
    allowed, seconds = parse_rate(rate)
    name = f"shopfloor-rate:{scope}:{key}"
    now = time.time()
    recent = [t for t in cache.get(name, []) if t > now - seconds]
    recent.append(now)
    cache.set(name, recent[-(allowed + 1):], seconds)
    return len(recent) > allowed
