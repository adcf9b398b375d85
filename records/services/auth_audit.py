"""Who may sign in and what they may do, audited: Django's users, groups and permissions.

A user created with the staff or superuser flag, changes of a user's flags (active, staff,
superuser), of their groups and direct permissions, of a group's permissions, and the deletion of
users, groups and permissions append an event to the audit chain ("auth.*"), whoever makes them (Wagtail's user and group editors, a command, the shell): they
are caught by model signals, including Django's m2m signals. The actor is the signed-in user of the
Wagtail request that made the change (Wagtail's log context), else the system.

Each of these changes, and a change of roles, people, org units (scopes) or a Wagtail profile (the
interface language), also moves the authorization version (records/selectors/viewer.py): at once,
and again when the transaction commits. Per-user caches keyed by it (permissions, roles with scope,
the profile) and pages keyed by the chain head (records/admin/pagecache.py) never outlive a change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from wagtail.log_actions import get_active_log_context
from wagtail.users.models import UserProfile

from records.actors import SYSTEM
from records.models import OrgUnit, Person, RoleAssignment
from records.selectors.viewer import auth_version_bump
from records.services.audit import audit_record

FLAGS = ("is_active", "is_staff", "is_superuser")
_DISPATCH = "records.auth_audit"


def auth_changed() -> None:
    """Move the authorization version now and once more when the current transaction commits."""
    auth_version_bump()
    transaction.on_commit(auth_version_bump)


def _actor() -> Any:
    context = get_active_log_context()
    user = getattr(context, "user", None) if context is not None else None
    return user if getattr(user, "is_authenticated", False) else SYSTEM


def _record(action: str, object_type: str, object_id: Any, changes: dict[str, Any]) -> None:
    audit_record(actor=_actor(), action=action, object_type=object_type, object_id=object_id, changes=changes)
    auth_changed()


def _remember_flags(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._auth_flags = tuple(getattr(instance, flag) for flag in FLAGS)


def _user_saved(sender: Any, instance: Any, created: bool, update_fields: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        _remember_flags(sender, instance)
        return
    before = getattr(instance, "_auth_flags", None)
    after = tuple(getattr(instance, flag) for flag in FLAGS)
    if created and (instance.is_staff or instance.is_superuser):  # a plain new user may do nothing yet
        _record(
            "auth.user.create",
            "user",
            instance.pk,
            {"username": instance.get_username(), **dict(zip(FLAGS, after, strict=True))},
        )
    elif not created and before != after:
        changes = {
            flag: [old, new]
            for flag, old, new in zip(FLAGS, before or (None,) * 3, after, strict=True)
            if old != new
        }
        _record("auth.user.flags", "user", instance.pk, {"username": instance.get_username(), **changes})
    _remember_flags(sender, instance)


def _user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record("auth.user.delete", "user", instance.pk, {"username": instance.get_username()})


def _group_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record("auth.group.delete", "group", instance.pk, {"name": instance.name})


def _permission_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record("auth.permission.delete", "permission", instance.pk, {"codename": instance.codename})


def _names(model: Any, pks: Any) -> list[str]:
    if not pks:
        return []
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(str(u) for u in model.objects.filter(pk__in=pks))


# The field of each relation on its forward side (a user's groups and permissions, a group's permissions).
_FIELDS = {
    "user.groups": "groups",
    "user.permissions": "user_permissions",
    "group.permissions": "permissions",
}


def _m2m(relation: str) -> Any:
    """A handler of one many-to-many relation (either side of it) that records what was changed."""

    def changed(
        sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kwargs: Any
    ) -> None:
        if action == "pre_clear":  # what a clear removes, named before it is gone
            field = _FIELDS[relation]
            rows = model.objects.filter(**{field: instance}) if reverse else getattr(instance, field).all()
            instance._auth_cleared = _names(model, list(rows.values_list("pk", flat=True)))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        names = getattr(instance, "_auth_cleared", []) if action == "post_clear" else _names(model, pk_set)
        _record(
            f"auth.{relation}",
            type(instance)._meta.model_name or "",
            instance.pk,
            {"of": str(instance), "change": action.removeprefix("post_"), "items": names},
        )

    return changed


def _scope_changed(sender: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        auth_changed()


def connect() -> None:
    """Connect the handlers (records.apps.RecordsConfig.ready)."""
    user_model = get_user_model()
    post_init.connect(_remember_flags, sender=user_model, dispatch_uid=f"{_DISPATCH}.init")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=f"{_DISPATCH}.user")
    post_delete.connect(_user_deleted, sender=user_model, dispatch_uid=f"{_DISPATCH}.user_delete")
    post_delete.connect(_group_deleted, sender=Group, dispatch_uid=f"{_DISPATCH}.group_delete")
    post_delete.connect(_permission_deleted, sender=Permission, dispatch_uid=f"{_DISPATCH}.perm_delete")
    for relation, through in (
        ("user.groups", user_model.groups.through),
        ("user.permissions", user_model.user_permissions.through),
        ("group.permissions", Group.permissions.through),
    ):
        m2m_changed.connect(
            _m2m(relation), sender=through, weak=False, dispatch_uid=f"{_DISPATCH}.{relation}"
        )
    for model in (RoleAssignment, Person, OrgUnit, UserProfile):
        name = model._meta.label_lower
        post_save.connect(_scope_changed, sender=model, dispatch_uid=f"{_DISPATCH}.save.{name}")
        post_delete.connect(_scope_changed, sender=model, dispatch_uid=f"{_DISPATCH}.delete.{name}")
