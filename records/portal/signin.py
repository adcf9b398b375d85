"""The front door: the portal's sign-in page and the page of a locked-out sign-in (both sign-ins).

Password guessing is throttled by django-axes (settings: AXES_*): after too many failures for one
user name or from one address the sign-in forms answer 429 with `lockout_response` until the
cool-off period has passed. Sign-ins and failures are audited by records.services.signin.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class PortalLoginView(LoginView):
    """/portal/login/: students sign in here (staff may too) and land on the portal."""

    template_name = "records/portal/login.html"
    redirect_authenticated_user = True
    next_page = "/portal/"


def lockout_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The answer to a sign-in while the account or the address is locked out: 429 with why and how long."""
    message = _(
        "Too many failed sign-in attempts for this account or from this address. Signing in is "
        "blocked for %(minutes)s minutes; try again later or ask the administrator to unblock it."
    ) % {"minutes": lockout_minutes()}
    back = "/portal/login/" if request.path.startswith("/portal/") else "/admin/login/"
    return render(
        request, "records/portal/locked_out.html", {"message": message, "back_url": back}, status=429
    )
