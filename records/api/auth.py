"""Who is calling: a bearer token (ApiToken) or the Django session with its CSRF check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from records.errors import RecordsError
from records.services.api_tokens import api_token_use

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key issued by `ApiToken.issue`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        """The token's user when the key is known and the user is active, else None."""
        key = token.strip()
        if not key or len(key) > 200:
            return None
        return api_token_use(key)


class SessionCsrfAuth(APIKeyCookie):
    """The signed-in session user; unsafe methods must carry the CSRF token like a form would.

    Unlike ninja's `SessionAuth`, the CSRF check runs only when a session user exists, so a
    request without any credentials gets 401 rather than a CSRF 403.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any | None:
        """The session user, after the CSRF check for unsafe methods."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in SAFE_METHODS and not exempt and check_csrf(request) is not None:
            raise RecordsError(
                "csrf_failed", _("The CSRF token is missing or wrong: reload the page and try again.")
            )
        return user

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        """Not used: `__call__` reads the user that Django's middleware attached."""
        return None


def api_auth() -> list[Any]:
    """The authentication chain of every endpoint: token first, then session."""
    return [TokenAuth(), SessionCsrfAuth()]
