"""The audit log: who did what sensitive thing, when, and from where.

Call :func:`record` for every sensitive action (a restricted source read, an export, a
permission change...). Logins, failed logins, logouts and permission changes (memberships,
and the staff/superuser/active flags of users) are recorded here by signal receivers,
connected in :meth:`shopfloor.apps.ShopfloorConfig.ready`.

The log is append-only. Through the application an :class:`AuditEvent` cannot be changed
or deleted: the ``pre_save``/``pre_delete`` receivers below raise
:class:`AuditLogIsAppendOnly`. The only exception is :func:`purge_expired`, the retention
purge. On PostgreSQL a trigger (migration 0004) also refuses raw SQL ``UPDATE`` and
``DELETE`` unless the purge flag is set in the same transaction.

Recording fails closed: a database error while writing an event propagates to the caller
(inside ``ATOMIC_REQUESTS`` or an ``atomic`` block this undoes the action too), so an
action is never done without its trace.

Example::

    from shopfloor import audit
    audit.record("export", request=request, obj=watchlist, format="csv", rows=120)
"""

from __future__ import annotations

import contextvars
import datetime as dt
import ipaddress
import json
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from shopfloor.models import AuditEvent, Membership

#: Default retention of audit events, in days, when settings has no AUDIT_RETENTION_DAYS.
DEFAULT_RETENTION_DAYS = 730

#: Fields of a user whose change is a permission change.
USER_PERMISSION_FIELDS = ("is_active", "is_staff", "is_superuser")

_MAX_USER_AGENT = 300

_purging = contextvars.ContextVar("shopfloor_audit_purging", default=False)
_current_request = contextvars.ContextVar("shopfloor_audit_request", default=None)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when something tries to change or delete an audit event."""


# -- recording ---------------------------------------------------------------------------


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _json_safe(detail: dict) -> dict:
    """``detail`` as plain JSON (dates, decimals, UUIDs, lazy strings and models as text)."""
    return json.loads(json.dumps(detail, cls=_Encoder))


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or — only behind a trusted proxy
    (``settings.TRUST_X_FORWARDED_FOR``) — the last address of ``X-Forwarded-For``, the one
    the proxy itself saw (earlier ones are whatever the client claims)."""
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if forwarded:
            ip = _valid_ip(forwarded[-1])
            if ip:
                return ip
    return _valid_ip(meta.get("REMOTE_ADDR"))


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk)[:60]


def record(action: str, *, request=None, actor=None, obj=None, organisation=None,
           **detail) -> AuditEvent:
    """Write one audit event and return it.

    ``actor`` defaults to the signed-in user of ``request`` (or of the request being served,
    when :class:`AuditContextMiddleware` is installed); ``obj`` is stored as
    ``"app_label.model"`` and primary key; ``organisation`` is an organisation or its
    primary key; ``detail`` is stored as JSON (anything not JSON
    becomes text). Never put secrets (passwords, tokens) in ``detail``. Errors propagate.
    """
    if request is None:
        request = _current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    object_type, object_id = _object_ref(obj)
    user_agent = ""
    if request is not None:
        user_agent = (getattr(request, "META", {}) or {}).get("HTTP_USER_AGENT", "")
    org_field = {"organisation_id": organisation} if isinstance(organisation, int) else {
        "organisation": organisation}
    return AuditEvent.objects.create(
        action=action[:40],
        **org_field,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_username() if actor is not None else "")[:150],
        object_type=object_type,
        object_id=object_id,
        detail=_json_safe(detail),
        ip=client_ip(request),
        user_agent=user_agent[:_MAX_USER_AGENT],
    )


class AuditContextMiddleware:
    """Makes the current request known to :func:`record`, so that events recorded by signal
    receivers (e.g. a membership changed in the admin) name who did it and from where.
    Install it after ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


# -- reading -----------------------------------------------------------------------------


def _admin_organisations(user):
    return Membership.objects.filter(
        user=user, role=Membership.Role.ADMIN, is_active=True).values("organisation")


def visible_events(user) -> QuerySet[AuditEvent]:
    """The events ``user`` may read: staff all of them; an organisation admin the events
    about their organisation(s) and those by or about its members; everyone else none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AuditEvent.objects.none()
    if user.is_staff:
        return AuditEvent.objects.all()
    orgs = _admin_organisations(user)
    members = Membership.objects.filter(organisation__in=orgs).values("user")
    member_ids = [str(pk) for pk in members.values_list("user", flat=True)]
    user_type = f"{get_user_model()._meta.app_label}.{get_user_model()._meta.model_name}"
    return AuditEvent.objects.filter(
        Q(organisation__in=orgs) | Q(actor__in=members)
        | Q(object_type=user_type, object_id__in=member_ids)
    )


# -- retention ---------------------------------------------------------------------------


def retention_days() -> int:
    """How long audit events are kept (``settings.AUDIT_RETENTION_DAYS``, default 730)."""
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@contextmanager
def _purge_allowed(using: str):
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT set_config('shopfloor.audit_purge', 'on', true)")
        token = _purging.set(True)
        try:
            yield
        finally:
            _purging.reset(token)


def purge_expired(days: int | None = None, *, now: dt.datetime | None = None) -> int:
    """Delete audit events older than ``days`` (default :func:`retention_days`) and record
    that a purge happened. Returns how many events were deleted."""
    days = retention_days() if days is None else int(days)
    if days < 1:
        raise ValueError("the audit retention must be at least one day")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    using = router.db_for_write(AuditEvent)
    with _purge_allowed(using):
        deleted, _counts = AuditEvent.objects.using(using).filter(at__lt=cutoff).delete()
    if deleted:
        record("audit.purge", deleted=deleted, older_than_days=days,
               cutoff=cutoff.isoformat())
    return deleted


# -- append-only -------------------------------------------------------------------------


@receiver(pre_save, sender=AuditEvent, dispatch_uid="shopfloor_audit_no_update")
def _refuse_update(sender, instance, raw=False, **kwargs):
    if instance.pk is not None and not instance._state.adding:
        raise AuditLogIsAppendOnly("the audit log is append-only: events cannot be changed")
    if instance.pk is not None and AuditEvent.objects.filter(pk=instance.pk).exists():
        raise AuditLogIsAppendOnly("the audit log is append-only: events cannot be changed")


@receiver(pre_delete, sender=AuditEvent, dispatch_uid="shopfloor_audit_no_delete")
def _refuse_delete(sender, instance, **kwargs):
    if not _purging.get():
        raise AuditLogIsAppendOnly("the audit log is append-only: events cannot be deleted")


# -- authentication ----------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="shopfloor_audit_login")
def _logged_in(sender, request, user, **kwargs):
    record("login.success", request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="shopfloor_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    """A failed login, with the username tried (Django has already masked the password;
    only the username is read from ``credentials`` anyway)."""
    user_model = get_user_model()
    username = str(credentials.get(user_model.USERNAME_FIELD)
                   or credentials.get("username") or "")[:150]
    target = user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: username}).first() if username else None
    record("login.failure", request=request, actor=None, obj=target, username=username)


@receiver(user_logged_out, dispatch_uid="shopfloor_audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("logout", request=request, actor=user)


# -- permission changes ------------------------------------------------------------------


def _membership_state(m: Membership) -> dict:
    return {"user": m.user.get_username(), "role": m.role, "is_active": m.is_active}


@receiver(pre_save, sender=Membership, dispatch_uid="shopfloor_audit_membership_before")
def _membership_before(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if raw or instance.pk is None:
        return
    old = Membership.objects.filter(pk=instance.pk).select_related("user").first()
    instance._audit_before = _membership_state(old) if old else None


@receiver(post_save, sender=Membership, dispatch_uid="shopfloor_audit_membership_after")
def _membership_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    after = _membership_state(instance)
    if not created and before == after:
        return
    record("permission.change", obj=instance, organisation=instance.organisation,
           change="membership.created" if created else "membership.changed",
           before=before, after=after)


@receiver(post_delete, sender=Membership, dispatch_uid="shopfloor_audit_membership_deleted")
def _membership_deleted(sender, instance, **kwargs):
    record("permission.change", obj=instance, organisation=instance.organisation_id,
           change="membership.deleted",
           before={"user_id": instance.user_id, "role": instance.role,
                   "is_active": instance.is_active},
           after=None)


def _facility_scope(m: Membership) -> list[int]:
    return sorted(m.facilities.values_list("pk", flat=True))


@receiver(m2m_changed, sender=Membership.facilities.through,
          dispatch_uid="shopfloor_audit_membership_scope")
def _membership_scope(sender, instance, action, reverse, pk_set, **kwargs):
    memberships = ([instance] if not reverse else
                   list(Membership.objects.filter(pk__in=pk_set or ())))
    if action in ("pre_add", "pre_remove", "pre_clear"):
        for m in memberships:
            m._audit_scope_before = _facility_scope(m)
        if reverse and action == "pre_clear":
            instance._audit_reverse_clear = list(
                Membership.objects.filter(facilities=instance))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse and action == "post_clear":
        memberships = getattr(instance, "_audit_reverse_clear", [])
    for m in memberships:
        before = getattr(m, "_audit_scope_before", None)
        after = _facility_scope(m)
        if before == after:
            continue
        record("permission.change", obj=m, organisation=m.organisation,
               change="membership.facilities", user=m.user.get_username(),
               before=before, after=after)


_User = get_user_model()


@receiver(pre_save, sender=_User, dispatch_uid="shopfloor_audit_user_before")
def _user_before(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if raw or instance.pk is None:
        return
    instance._audit_before = (
        _User._default_manager.filter(pk=instance.pk).values(*USER_PERMISSION_FIELDS).first())


@receiver(post_save, sender=_User, dispatch_uid="shopfloor_audit_user_after")
def _user_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = {f: getattr(instance, f) for f in USER_PERMISSION_FIELDS}
    before = getattr(instance, "_audit_before", None)
    if created:
        if not (instance.is_staff or instance.is_superuser):
            return
    elif before is None or before == after:
        return
    record("permission.change", obj=instance,
           change="user.created" if created else "user.flags",
           user=instance.get_username(), before=before, after=after)
