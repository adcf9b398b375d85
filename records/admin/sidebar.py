"""The back office's sidebar, built once per user, roles and language instead of on every page.

Wagtail's ``{% sidebar_props %}`` asks every menu item and search area whether it is shown to the
user (a permission rule each), then serialises the menu (telepath): several milliseconds of every
admin page. What it produces depends only on who the user is (name, e-mail, avatar, active and
superuser flags), what they may do (their role grants with scope, their Django permissions) and the
interface language. The cache key is a fingerprint of exactly those, read from what the request
has already loaded (``records.permissions.grants`` and Django's permission cache on the user), so
a change of roles, permissions, name or language gives another key: nothing to invalidate, nothing
stale to serve. The cache is per process and bounded (least recently used entries go first).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags

from records.permissions import grants

SIZE = 512  # entries per process (about 10 KB each)

_render = wagtailadmin_tags.sidebar_props  # Wagtail's own tag function
_lock = threading.Lock()
_cache: OrderedDict[str, str] = OrderedDict()


def sidebar_key(user: Any) -> str:
    """A fingerprint of everything the sidebar shows or decides from, for this user now."""
    profile = getattr(user, "wagtail_userprofile", None)
    superuser = bool(getattr(user, "is_superuser", False))
    parts = (
        user.pk,
        user.get_username(),
        getattr(user, "first_name", ""),
        getattr(user, "email", ""),
        bool(user.is_active),
        bool(getattr(user, "is_staff", False)),
        superuser,
        sorted((g.role, g.path) for g in grants(user)),
        # A superuser has every permission (and the rules look at the flag); listing them costs a query.
        [] if superuser else sorted(user.get_all_permissions()),
        str(getattr(profile, "avatar", "") or "") if profile is not None else "",
        get_language() or "",
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_sidebar_props(context: Any) -> SafeString:
    """Wagtail's ``sidebar_props`` for this user, from the per-process cache when already built."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return _render(context)  # type: ignore[no-any-return]
    key = sidebar_key(user)
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
    if html is None:
        html = str(_render(context))
        with _lock:
            _cache[key] = html
            while len(_cache) > SIZE:
                _cache.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - Wagtail's own json_script output, escaped when it was built


def install() -> None:
    """Serve ``{% sidebar_props %}`` (Wagtail's base admin template) through the cache."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(cached_sidebar_props)


def clear() -> None:
    with _lock:
        _cache.clear()
