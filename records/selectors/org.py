"""The org structure: units, programmes, groups and the people in roles (org data is not secret)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from records.models import OrgUnit, Person, RoleAssignment, StudyGroup
from records.permissions import may_create


def units_where_may_create(user: Any, kind_code: str) -> list[OrgUnit]:
    """Org units where `user` may draft a document of this kind (org units are not secret)."""
    return [unit for unit in OrgUnit.objects.order_by("path") if may_create(user, kind_code, unit)]


def org_units() -> QuerySet[OrgUnit]:
    """Every org unit, in tree order."""
    return OrgUnit.objects.order_by("path")


def org_unit_find(pk: Any) -> OrgUnit | None:
    """The org unit with this id, or None."""
    return OrgUnit.objects.filter(pk=pk).first()


def faculties_and_departments() -> QuerySet[OrgUnit]:
    """Faculties and departments, in tree order (the units a scholarship order may be limited to)."""
    return OrgUnit.objects.filter(kind__in=(OrgUnit.Kind.FACULTY, OrgUnit.Kind.DEPARTMENT)).order_by("path")


def org_is_empty() -> bool:
    """True before the org structure is seeded."""
    return not OrgUnit.objects.exists()


def role_assignments() -> QuerySet[RoleAssignment]:
    """Every role held, with the person's account and the unit (the demo prints its accounts)."""
    return RoleAssignment.objects.select_related("person__user", "org_unit").order_by("id")


def person_find_by_iin(iin: str) -> Person | None:
    """The person with this IIN, or None (an empty IIN names nobody)."""
    return Person.objects.filter(iin=iin).first() if iin else None


def person_of_user(user: Any) -> Person | None:
    """The person record of a signed-in account (None: the account is nobody's)."""
    return (
        Person.objects.select_related("group__programme")
        .filter(user_id=getattr(user, "pk", None) or 0)
        .first()
    )


def study_group_find(code: Any) -> StudyGroup | None:
    """The study group with this code, or None."""
    return StudyGroup.objects.select_related("programme").filter(code=code).first()


def user_find(username: str) -> Any | None:
    """The account with this username, or None (an operator's command acts as it)."""
    return get_user_model().objects.filter(username=username).first()


# What each row of the administrator's lists (records/admin/org.py) names besides itself.
_LIST_RELATED: dict[str, tuple[str, ...]] = {
    "orgunit": ("parent",),
    "programme": ("department",),
    "studygroup": ("programme",),
    "person": ("group",),
    "roleassignment": ("person", "org_unit"),
}


def org_admin_list(model: Any) -> QuerySet[Any]:
    """The rows of an org list (units, programmes, groups, people, roles) with what each row names,
    so a page costs the same queries whatever its number of rows."""
    return model._default_manager.select_related(*_LIST_RELATED.get(model._meta.model_name, ()))
