"""Rendered parts of back-office pages cached per viewer and per what they show.

A fragment's key holds the viewer (user id, and every role with its scope: ``grants``), the language
and time zone it is rendered in, the audit chain head, and whatever else the page names (its query,
the document, the newest read of it). Every change a fragment could show — a document created,
edited, moved, a role granted or withdrawn — appends an audited event and so moves the chain head: a
cached fragment is never served after such a change, and one user's fragment is never another's
(their ids differ, and a changed scope gives a new key). Fragments are rendered without the request,
so they hold no CSRF token; a view puts live parts (forms, messages) around them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from records.permissions import grants
from records.selectors.audit import audit_chain_head

FRAGMENT_CACHE_SECONDS = 300
# Where a view puts the live CSRF field into a cached fragment (never produced by autoescaped data).
CSRF_SLOT = "<!--csrf-slot-->"


def sorted_query(request: HttpRequest) -> list[str]:
    """The request's query as key parts, in a fixed order (the same filters give the same key)."""
    return [json.dumps([name, values]) for name, values in sorted(request.GET.lists())]


def _chain_head(user: Any) -> str:
    """The chain head, read once per request (the request's user object carries it): a page and the
    fragments inside it are keyed by the same head, and a change after it was read moves the head,
    so nothing rendered later is ever served under a newer key."""
    head = getattr(user, "_rectorate_chain_head", None)
    if head is None:
        head = audit_chain_head()
        user._rectorate_chain_head = head
    return head


def fragment_key(name: str, user: Any, parts: Iterable[str] = ()) -> str:
    """The cache key of fragment `name` as `user` sees it now (one query: the chain head)."""
    scope = ",".join(sorted(f"{g.role}@{g.path}" for g in grants(user)))
    raw = json.dumps(
        (
            name,
            str(user.pk),
            scope,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            _chain_head(user),
            *parts,
        )
    )
    return f"fragment:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached_fragment(key: str, render: Callable[[], str]) -> SafeString:
    """The HTML cached under `key`, else `render()` (our own autoescaped template) cached there."""
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered from our own autoescaped templates


def fragment_get(key: str) -> Any:
    """What `fragment_set` cached under `key` (None: nothing, or expired)."""
    return cache.get(key)


def fragment_set(key: str, value: Any) -> None:
    """Cache `value` (a fragment and what the view needs beside it) under `key`."""
    cache.set(key, value, FRAGMENT_CACHE_SECONDS)
