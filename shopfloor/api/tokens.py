"""API tokens: create, revoke, authenticate. Only the SHA-256 of a token is stored.

A token is ``sf_`` followed by 43 URL-safe characters; it is shown once, when it is created,
and sent as ``Authorization: Bearer sf_…``.

>>> token, secret = create_token(user, "research notebook", expires_at=None)  # doctest: +SKIP
>>> authenticate(secret) == user  # doctest: +SKIP
True
>>> revoke(token)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from shopfloor.models import ApiToken

PREFIX = "sf_"
#: ``last_used_at`` is written at most this often per token, to spare writes.
TOUCH_EVERY = timedelta(minutes=1)
_SHAPE = re.compile(r"sf_[A-Za-z0-9_-]{20,100}")


def hash_token(secret: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the stored row and the secret (shown only now)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], key_hash=hash_token(secret),
                                    prefix=secret[:8], expires_at=expires_at)
    return token, secret


def revoke(token: ApiToken | int) -> ApiToken:
    """Revoke a token (by row or id); revoking twice keeps the first date."""
    if not isinstance(token, ApiToken):
        token = ApiToken.objects.get(pk=token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def usable_tokens() -> QuerySet[ApiToken]:
    """Tokens neither revoked nor expired."""
    return ApiToken.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def tokens_of(user=None) -> QuerySet[ApiToken]:
    """Every token (of ``user``, if given), newest first, with its user."""
    tokens = ApiToken.objects.select_related("user")
    return tokens.filter(user=user) if user is not None else tokens


def authenticate(secret: str):
    """The active user a token belongs to, or ``None`` for an unknown, revoked or expired
    token, an inactive user, or a member cut off in some organisation (one query). Records
    when the token was used (at most once a minute)."""
    if not secret or not _SHAPE.fullmatch(secret):
        return None
    token = (usable_tokens().select_related("user")
             .filter(key_hash=hash_token(secret), user__is_active=True)
             .exclude(user__memberships__is_active=False).first())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
