"""API tokens: only the SHA-256 of the token is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for the JSON API, bound to a user and their roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rectorate_api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(cls, *, user: object, name: str) -> tuple[ApiToken, str]:
        """Create a token; the clear key is returned once and never stored."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_sha256=hashlib.sha256(key.encode()).hexdigest())
        return token, key

    @classmethod
    def lookup(cls, key: str) -> ApiToken | None:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return cls.objects.select_related("user").filter(key_sha256=digest).first()
