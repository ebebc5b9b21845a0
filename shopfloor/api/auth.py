"""Who is asking, and which sources they may read.

Who: an API token (``Authorization: Bearer sf_…``) or a signed-in browser session (whose
unsafe requests must carry a CSRF token, as ninja's session auth checks). Public data
(facilities, companies, sources) needs neither; watchlists need one of them.

Which sources: :mod:`shopfloor.access` decides, from a source's ``visibility``, who reads
the facts that came from it. Facts from a source the reader may not read are left out of
every answer, as if they were not there. Downloads (CSV) follow ``access.can_export``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, django_auth

from shopfloor import audit
from shopfloor.access import can_export, sources_q, visible_sources
from shopfloor.api import tokens
from shopfloor.models import Source

Visibility = Source.Visibility


class TokenAuth(HttpBearer):
    """A bearer token made with ``shopfloor token create``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = tokens.authenticate(token.strip())
        if user is not None:
            request.user = user
        return user


#: For operations on non-public data: a token, else the browser session.
authenticated = [TokenAuth(), django_auth]


def user_of(request: HttpRequest):
    """The user of a request: the token's (a wrong token is refused with 401, also on
    public operations), else the session's (possibly anonymous)."""
    if getattr(request, "auth", None) is not None:
        return request.auth
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = tokens.authenticate(token.strip())
        if user is None:
            raise AuthenticationError
        request.auth = request.user = user
        return user
    return request.user


@dataclass
class Reader:
    """Which sources one user may read, by the rule of :func:`shopfloor.access.visible_sources`,
    asked once per request (one query for a signed-in user, none for anonymous or staff)."""

    user: object = None
    staff: bool = False
    readable: set[int] = field(default_factory=set)
    request: HttpRequest | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> Reader:
        user = user_of(request)
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user, request=request)
        if user.is_staff:
            return cls(user, staff=True, request=request)
        return cls(user, readable=set(visible_sources(user).values_list("pk", flat=True)),
                   request=request)

    def can_read(self, source: Source) -> bool:
        return self.can_read_id(source.pk, source.visibility)

    def can_read_id(self, source_id: int, visibility: str) -> bool:
        return self.staff or visibility == Visibility.PUBLIC or source_id in self.readable

    def sources_q(self, prefix: str = "") -> Q:
        """A filter for querysets: rows whose source (at ``prefix``) this reader may read."""
        return sources_q(self.user, prefix)

    def require_export(self, what) -> None:
        """Refuse a bulk download (CSV) the access rules do not allow: 401 for anonymous,
        403 for a signed-in user who may read but not download."""
        if self.user is None or not self.user.is_authenticated:
            raise AuthenticationError
        if not can_export(self.user, what):
            raise HttpError(403, _("You may read this but not download it."))
        path = self.request.get_full_path()[:500] if self.request is not None else ""
        if isinstance(what, Model):
            audit.record("export", request=self.request, actor=self.user, obj=what,
                         format="csv", via="api", path=path)
        else:
            audit.record("export", request=self.request, actor=self.user, what=str(what),
                         format="csv", via="api", path=path)
