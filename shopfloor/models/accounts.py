"""Credentials beyond the password: API tokens."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored; the token
    itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. 'research notebook'."))
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True,
                                editable=False)
    prefix = models.CharField(_("first characters"), max_length=8, editable=False,
                              help_text=_("Shown to tell tokens apart; not enough to use one."))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
