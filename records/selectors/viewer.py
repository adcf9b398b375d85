"""What every request needs to know about its signed-in user, cached per user and authorization version.

Each admin request used to load the user's Django permissions (two queries), their roles with scope
(one) and their Wagtail profile (one: language, theme). They change only through Django's users,
groups and permissions, the org structure (roles, people, units) and the profile, and every such
change (records/services/auth_audit.py: model signals, the m2m changes of groups and permissions
included) moves the authorization version — once at once, and once more when its transaction
commits, so nothing read before the commit survives it. The entry's key holds the user id, the
version, and the flags read with the user row on every request (is_active, is_superuser), so a
change of those made around the signals still shows. Permission checks still run on every request;
only the rows they read come from here.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.core.cache import cache

AUTH_VERSION_KEY = "auth:version"
VIEWER_SECONDS = 60 * 60
_PROFILE = "wagtail_userprofile"
# What Django's ModelBackend and records.permissions.grants keep on the user object for the request.
_ATTRIBUTES = ("_user_perm_cache", "_group_perm_cache", "_rectorate_grants")


def auth_version() -> str:
    """The current authorization version (a fresh one when the cache lost it: every entry then misses)."""
    version = cache.get(AUTH_VERSION_KEY)
    if version is None:
        cache.add(AUTH_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(AUTH_VERSION_KEY) or "lost"
    return str(version)


def auth_version_bump() -> None:
    """A new authorization version: every cached viewer entry is stale from now on."""
    cache.set(AUTH_VERSION_KEY, uuid.uuid4().hex, None)


def _key(user: Any) -> str:
    return f"viewer:{user.pk}:{int(user.is_active)}{int(user.is_superuser)}:{auth_version()}"


def viewer_preload(user: Any) -> tuple[str, frozenset[str]]:
    """Put on `user` (the request's user object) what this version's entry holds of their permissions,
    grants and profile. Returns the entry's key and what it held, for `viewer_keep`."""
    if user is None or not getattr(user, "is_authenticated", False) or not hasattr(user, "_state"):
        return "", frozenset()
    key = _key(user)
    entry = cache.get(key) or {}
    for name, value in entry.items():
        if name == _PROFILE:
            if value is not None:
                value._state.fields_cache["user"] = user
            user._state.fields_cache[_PROFILE] = value
        else:
            setattr(user, name, value)
    if "_user_perm_cache" in entry and "_group_perm_cache" in entry:
        user._perm_cache = {*user._user_perm_cache, *user._group_perm_cache}
    return key, frozenset(entry)


def viewer_keep(user: Any, key: str, held: frozenset[str]) -> None:
    """Cache under `key` (read before the request read anything) what the request loaded of the
    user's permissions, grants and profile, when the entry lacked some of it."""
    if not key:
        return
    entry: dict[str, Any] = {name: getattr(user, name) for name in _ATTRIBUTES if hasattr(user, name)}
    if _PROFILE in user._state.fields_cache:
        profile = user._state.fields_cache[_PROFILE]
        if profile is not None:  # cached without the user it points back to
            profile = copy.copy(profile)
            profile._state = copy.copy(profile._state)
            profile._state.fields_cache = {}
        entry[_PROFILE] = profile
    if not set(entry) <= held:
        cache.set(key, entry, VIEWER_SECONDS)
