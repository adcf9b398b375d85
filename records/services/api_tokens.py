"""API tokens in use: a bearer key names its user, and the token remembers when it was last used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from records.models import ApiToken

# `last_used_at` is refreshed at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_token_use(key: str) -> Any | None:
    """The active user whose token has this key (None: unknown key or inactive user); notes the use."""
    api_token = ApiToken.lookup(key)
    if api_token is None or not api_token.user.is_active:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
