"""Back office for the org structure and people (administrators): units, programmes, groups, people, roles.

Wagtail's snippet views do the forms; every create, edit and delete also writes an event to the
registry's audit chain. The model validators give the messages (IIN checksum, duplicate IIN).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from records.models import OrgUnit, Person, Programme, RoleAssignment, StudyGroup
from records.selectors.org import org_admin_list
from records.services.org import org_change_record


class OrgListViewSet(SnippetViewSet):
    """A list whose rows are read with what they name (records.selectors.org.org_admin_list)."""

    def get_queryset(self, request: HttpRequest) -> Any:
        return org_admin_list(self.model)


class OrgUnitViewSet(OrgListViewSet):
    model = OrgUnit
    icon = "site"
    menu_label = _("Org units")
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    form_fields = ["kind", "code", "parent", "name_kk", "name_ru", "name_en"]


class ProgrammeViewSet(OrgListViewSet):
    model = Programme
    icon = "folder-open-inverse"
    menu_label = _("Educational programmes")
    list_display = ["code", "name", "level", "department"]
    list_filter = ["level"]
    form_fields = ["code", "level", "department", "credits_total", "name_kk", "name_ru", "name_en"]


class StudyGroupViewSet(OrgListViewSet):
    model = StudyGroup
    icon = "group"
    menu_label = _("Study groups")
    list_display = ["code", "programme", "intake_year", "language"]
    list_filter = ["intake_year", "language"]
    form_fields = ["code", "programme", "intake_year", "language"]


class PersonViewSet(OrgListViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["__str__", "iin", "kind", "group"]
    list_filter = ["kind"]
    list_per_page = 50
    form_fields = [
        "kind", "iin", "user",
        "last_name_kk", "first_name_kk", "patronymic_kk",
        "last_name_ru", "first_name_ru", "patronymic_ru",
        "last_name_en", "first_name_en",
        "email", "phone", "group",
    ]  # fmt: skip


class RoleAssignmentViewSet(OrgListViewSet):
    model = RoleAssignment
    icon = "key"
    menu_label = _("Roles")
    list_display = ["person", "role", "org_unit"]
    list_filter = ["role"]
    form_fields = ["person", "role", "org_unit"]


class UniversityGroup(SnippetViewSetGroup):
    items = (OrgUnitViewSet, ProgrammeViewSet, StudyGroupViewSet, PersonViewSet, RoleAssignmentViewSet)
    menu_icon = "site"
    menu_label = _("University")
    menu_name = "university"
    menu_order = 900


# The org area: registered as snippets (records/wagtail_hooks.py), which also gives choosers.
area = UniversityGroup


@hooks.register("after_create_snippet")
def audit_snippet_create(request: HttpRequest, instance: Any) -> None:
    org_change_record(by=request.user, action="create", instances=instance)


@hooks.register("after_edit_snippet")
def audit_snippet_edit(request: HttpRequest, instance: Any) -> None:
    org_change_record(by=request.user, action="edit", instances=instance)


@hooks.register("before_delete_snippet")
def audit_snippet_delete(request: HttpRequest, instances: Any) -> None:
    if request.method == "POST":
        org_change_record(by=request.user, action="delete", instances=instances)
