"""Whole back-office pages cached per viewer and per what they show (frame and body together).

About 7 ms of every admin page is Wagtail's frame (base templates, header, sidebar, breadcrumbs),
even when the page's own part comes from a fragment (records/admin/fragments.py). A page served from
here skips all rendering. The view still runs everything that must happen on each request before it
asks for the page: the admin access check, its own permission checks, and what it records (a read of
a document goes to the access log, a search is recorded). Only then is the cached page served.

The key (``fragment_key``) holds the viewer: user id, every role with its scope, language, time
zone; the audit chain head (every registry change, role change and, records/services/auth_audit.py,
every change of Django's users, groups and permissions appends an audited event and so moves it);
the full path with its query; the viewer's fingerprint (``sidebar_key``: name, e-mail, active/
staff/superuser flags, Django permissions, avatar); the authorization version (records/selectors/
viewer.py: users, groups, permissions, roles, scopes and Wagtail profiles); Wagtail's sidebar
cookie; and whatever else the view names (e.g. the newest read of a document, the search index
state). One user's page is never another's, and a page is never served after a change it could show.

Per request stays live: the CSRF token (every token the cached page carried for the viewer who
built it is replaced by a slot, and a fresh token for this request is put there); flash messages
(a request with messages waiting is never served from or stored in the cache). Only complete
200 responses are cached, for at most PAGE_CACHE_SECONDS (time-relative text such as "5 minutes
ago" is at most that old).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token  # type: ignore[attr-defined]

from records.admin.fragments import fragment_key
from records.admin.sidebar import sidebar_key
from records.selectors.viewer import auth_version

PAGE_CACHE_SECONDS = 60
# Where a cached page held its viewer's CSRF token (never produced by autoescaped data: no "<").
TOKEN_SLOT = "\x00csrf\x00"  # noqa: S105 - a placeholder, not a secret
# Where the document page's trail goes: it moves with every read, the rest of the page does not.
TRAIL_SLOT = "<!--trail-slot-->"
# A masked CSRF token: 64 characters of Django's alphabet, not inside a longer run of them.
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Response headers a view may set that belong to the page (middleware adds the rest every time).
_KEPT_HEADERS = ("Content-Type", "Cache-Control", "Content-Language", "Content-Security-Policy")


def _has_messages(request: HttpRequest) -> bool:
    storage = messages.get_messages(request)
    return bool(len(storage))  # counts without marking them read


def page_key(request: HttpRequest, name: str, parts: Iterable[str] = ()) -> str:
    user = request.user
    return fragment_key(
        f"page:{name}",
        user,
        [
            request.get_full_path(),
            sidebar_key(user),
            request.COOKIES.get("wagtail_sidebar_collapsed", "0"),
            auth_version(),  # moves with the Wagtail profile too (theme, dismissed banners)
            *parts,
        ],
    )


def _with_slots(request: HttpRequest, body: str) -> str:
    """`body` with every CSRF token of this request's secret replaced by TOKEN_SLOT."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body
    tokens = {t for t in _TOKEN.findall(body) if _unmask_cipher_token(t) == secret}
    for token in tokens:
        body = body.replace(token, TOKEN_SLOT)
    return body


def _filled(body: str, live: Mapping[str, str]) -> str:
    for slot, html in live.items():
        body = body.replace(slot, html, 1)
    return body


def cached_page(
    request: HttpRequest,
    name: str,
    parts: Iterable[str],
    render: Callable[[], HttpResponse],
    live: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The page `name` as this viewer sees it now: from the cache, else `render()` (cached when 200).

    `live`: slots the page was rendered with (e.g. `TRAIL_SLOT` for a part that changes more often
    than the page and is cached on its own key) and what goes into them on this request."""
    live = live or {}
    user = getattr(request, "user", None)
    if request.method != "GET" or user is None or not user.is_authenticated or _has_messages(request):
        response = render()
        if live and hasattr(response, "render"):
            response.render()
            response.content = _filled(response.content.decode(response.charset), live)
        return response
    key = page_key(request, name, parts)
    cached = cache.get(key)
    if cached is not None:
        body, headers = cached
        response = HttpResponse(_filled(body.replace(TOKEN_SLOT, get_token(request)), live))
        for header, value in headers.items():
            response[header] = value
        return response
    response = render()
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200 and not response.streaming:
        body = response.content.decode(response.charset)
        response.content = _filled(body, live)
        body = _with_slots(request, body)
        if _has_messages(request) or (TOKEN_SLOT not in body and "csrfmiddlewaretoken" in body):
            return response  # messages, or a token we could not recognise: never cached
        headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
        cache.set(key, (body, headers), PAGE_CACHE_SECONDS)
    return response
