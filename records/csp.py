"""The Content-Security-Policy of every page: the back office, the portal, verification and the API.

Scripts only from our own origin (no inline scripts, no eval); styles from our origin plus inline
style attributes, which the Wagtail admin sets from its scripts and templates; images also as data:
and blob: URIs (Wagtail's icons, generated previews); no plugins, no foreign frames, forms post only
to us. A page may set `response["Content-Security-Policy"]` itself to narrow it further.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def policy_header(policy: dict[str, list[str]] | None = None) -> str:
    """The header value of a policy (the settings' RECTORATE_CSP, else the default)."""
    policy = policy or getattr(settings, "RECTORATE_CSP", None) or DEFAULT_POLICY
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response that does not carry its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = policy_header()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response
