"""Django's users, groups and permissions are audited (records/services/auth_audit.py), and the per-user
cache of permissions, roles and profile (records/selectors/viewer.py) shows every such change at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from records.models import AuditEvent, Role, RoleAssignment

LIST = "/admin/registry/documents/"
# The tables a warm request no longer reads: permissions, roles with scope, the Wagtail profile.
CACHED_TABLES = ("auth_permission", "records_roleassignment", "wagtailusers_userprofile")


def events_since(last: int, prefix: str = "auth.") -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=last, action__startswith=prefix).order_by("id"))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def tables_read(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, " ".join(q["sql"] for q in queries.captured_queries)


def back_office_member(staff: dict[str, Any]) -> tuple[Any, Group, Permission]:
    registrar = staff[Role.REGISTRAR]
    group = Group.objects.create(name="Back office")
    access = Permission.objects.get(codename="access_admin")
    group.permissions.add(access)
    registrar.user_permissions.clear()
    registrar.groups.add(group)
    return registrar, group, access


def test_a_warm_request_reads_no_permissions_roles_or_profile(client: Client, staff: dict[str, Any]) -> None:
    registrar, _group, _access = back_office_member(staff)
    client.force_login(registrar)
    status, cold = tables_read(client, LIST)
    assert status == 200 and all(table in cold for table in CACHED_TABLES)
    status, warm = tables_read(client, LIST)
    assert status == 200 and not any(table in warm for table in CACHED_TABLES)


def test_group_and_permission_changes_are_audited_and_take_effect_at_once(
    client: Client, staff: dict[str, Any]
) -> None:
    registrar, group, access = back_office_member(staff)
    client.force_login(registrar)
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200  # from the per-user cache
    before = last_id()
    group.permissions.remove(access)
    assert client.get("/admin/").status_code == 302  # sent to sign in: no back-office access now
    (event,) = events_since(before)
    assert event.action == "auth.group.permissions" and event.object_id == str(group.pk)
    assert event.changes["change"] == "remove" and event.changes["items"] == ["wagtailadmin.access_admin"]
    group.permissions.add(access)
    assert client.get(LIST).status_code == 200
    before = last_id()
    group.user_set.remove(registrar)  # the reverse side of the relation
    assert client.get("/admin/").status_code == 302
    (event,) = events_since(before)
    assert event.action == "auth.user.groups" and event.changes["change"] == "remove"
    before = last_id()
    registrar.user_permissions.add(access)
    assert client.get(LIST).status_code == 200
    registrar.user_permissions.clear()
    assert client.get("/admin/").status_code == 302
    actions = [(e.action, e.changes["change"], e.changes["items"]) for e in events_since(before)]
    assert actions == [
        ("auth.user.permissions", "add", ["wagtailadmin.access_admin"]),
        ("auth.user.permissions", "clear", ["wagtailadmin.access_admin"]),
    ]


def test_user_flags_are_audited_and_a_revoked_role_shows_at_once(
    client: Client, staff: dict[str, Any]
) -> None:
    registrar, _group, _access = back_office_member(staff)
    client.force_login(registrar)
    assert client.get(LIST).status_code == 200
    before = last_id()
    registrar.is_superuser = True
    registrar.save()
    (event,) = events_since(before)
    assert event.action == "auth.user.flags" and event.changes["is_superuser"] == [False, True]
    registrar.is_superuser = False
    registrar.save()
    registrar.save()  # nothing changed: no event
    assert [e.changes["is_superuser"] for e in events_since(before)] == [[False, True], [True, False]]
    assert client.get(LIST).status_code == 200
    RoleAssignment.objects.filter(person__user=registrar).delete()
    assert client.get(LIST).status_code == 403  # no staff role left: not the cached roles


def test_a_changed_interface_language_shows_at_once(client: Client, staff: dict[str, Any]) -> None:
    registrar, _group, _access = back_office_member(staff)
    client.force_login(registrar)
    client.get(LIST)
    assert '<html lang="en"' in client.get(LIST).content.decode()
    profile = UserProfile.get_for_user(registrar)
    profile.preferred_language = "kk"
    profile.save()
    assert '<html lang="kk"' in client.get(LIST).content.decode()
