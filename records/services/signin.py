"""Sign-ins are evidence: every password sign-in through a form, every failure and every lock-out
is an audit event (auth.login, auth.login_failed, auth.lockout) with the user name and address.

Django's auth signals are the only place all sign-in forms (the back office's, the portal's) meet,
so these are receivers, connected once in records.apps. Sessions opened by code (tests'
force_login, no HTTP method) are not sign-ins and are not recorded.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from records.services.audit import audit_record

MAX_USERNAME = 150


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", "") or request.META.get("REMOTE_ADDR", ""))


def _by_form(request: HttpRequest | None) -> bool:
    return request is not None and request.method == "POST"


def signin_succeeded(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    """Receiver of user_logged_in: auth.login by the user, with the address."""
    if not _by_form(request):
        return
    audit_record(
        actor=user,
        action="auth.login",
        object_type="user",
        object_id=user.pk,
        changes={"username": user.get_username(), "ip": _address(request)},
    )


def signin_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Receiver of user_login_failed: auth.login_failed with the user name tried (never the password)."""
    if not _by_form(request):
        return
    username = str(credentials.get("username", ""))[:MAX_USERNAME]
    audit_record(
        actor=None,
        action="auth.login_failed",
        object_type="user",
        object_id=username,
        changes={"username": username, "ip": _address(request)},
    )


def signin_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str = "", ip_address: str = "", **kwargs: Any
) -> None:
    """Receiver of django-axes' user_locked_out: auth.lockout naming the user name and address."""
    username = str(username or "")[:MAX_USERNAME]
    audit_record(
        actor=None,
        action="auth.lockout",
        object_type="user",
        object_id=username,
        changes={"username": username, "ip": str(ip_address or _address(request))},
    )


def connect() -> None:
    """Connect the receivers (records.apps.RecordsConfig.ready)."""
    # Called from AppConfig.ready: axes' and auth's signal modules import models (app registry).
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(signin_succeeded, dispatch_uid="records.signin.login")
    user_login_failed.connect(signin_failed, dispatch_uid="records.signin.failed")
    user_locked_out.connect(signin_locked_out, dispatch_uid="records.signin.lockout")
