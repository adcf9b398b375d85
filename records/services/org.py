"""The org structure's audit: Wagtail's snippet views edit units, programmes, groups, people and roles;
each create, edit and delete is recorded here in the registry's audit chain."""

from __future__ import annotations

from typing import Any

from records.models import OrgUnit, Person, Programme, RoleAssignment, StudyGroup
from records.services.audit import audit_record


def org_change_record(*, by: Any, action: str, instances: Any) -> None:
    """One audit event per org object created, edited or deleted (`action`) by `by`."""
    objects = instances if isinstance(instances, list | tuple) else [instances]
    for obj in objects:
        if isinstance(obj, OrgUnit | Programme | StudyGroup | Person | RoleAssignment):
            audit_record(
                actor=by,
                action=f"{obj._meta.model_name}.{action}",
                object_type=obj._meta.model_name or "",
                object_id=obj.pk or "",
                changes={"repr": str(obj)},
            )
