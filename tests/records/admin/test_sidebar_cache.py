"""The back office's sidebar is built once per user, roles, permissions and language, and a change of
any of them shows at once: the cache key is a fingerprint of what the sidebar decides from."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from records.admin import sidebar
from records.models import Person, Role, RoleAssignment


def sidebar_props(response: Any) -> str:
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match is not None, "no sidebar on the page"
    return json.dumps(json.loads(unescape(match.group(1))), ensure_ascii=False)


@pytest.fixture
def builds(monkeypatch: Any) -> list[int]:
    """How many times Wagtail's own tag built a sidebar (the real function, counted)."""
    sidebar.clear()
    calls: list[int] = []
    real = sidebar._render

    def counted(context: Any) -> Any:
        calls.append(1)
        return real(context)

    monkeypatch.setattr(sidebar, "_render", counted)
    return calls


def test_the_second_page_of_the_same_user_reuses_the_sidebar(
    client: Any, staff: dict[str, Any], builds: list[int]
) -> None:
    client.force_login(staff[Role.REGISTRAR])
    first = sidebar_props(client.get("/admin/registry/documents/"))
    second = sidebar_props(client.get("/admin/"))
    assert first == second and len(builds) == 1


def test_a_new_role_shows_its_items_at_once_and_a_removed_one_hides_them(
    client: Any, staff: dict[str, Any], org: Any, builds: list[int]
) -> None:
    registrar = staff[Role.REGISTRAR]
    client.force_login(registrar)
    assert "registry-audit" not in sidebar_props(client.get("/admin/registry/documents/"))
    grant = RoleAssignment.objects.create(
        person=Person.objects.get(user=registrar), role=Role.AUDITOR, org_unit=org.faculty
    )
    assert "registry-audit" in sidebar_props(client.get("/admin/registry/documents/"))
    grant.delete()
    assert "registry-audit" not in sidebar_props(client.get("/admin/registry/documents/"))
    assert len(builds) == 2  # the first sidebar came back from the cache when the grant went


def test_another_user_never_gets_someone_elses_sidebar(
    client: Any, staff: dict[str, Any], builds: list[int]
) -> None:
    client.force_login(staff[Role.AUDITOR])
    assert "registry-audit" in sidebar_props(client.get("/admin/"))
    client.force_login(staff[Role.REGISTRAR])
    assert "registry-audit" not in sidebar_props(client.get("/admin/"))


def test_a_django_permission_and_the_language_change_the_sidebar(
    client: Any, staff: dict[str, Any], builds: list[int]
) -> None:
    registrar = staff[Role.REGISTRAR]
    client.force_login(registrar)
    before = sidebar_props(client.get("/admin/"))
    registrar.user_permissions.add(Permission.objects.get(codename="view_user"))
    after = sidebar_props(client.get("/admin/"))
    assert after != before  # Wagtail's users item appears
    client.cookies["django_language"] = "kk"
    kk = sidebar_props(client.get("/admin/"))
    client.cookies["django_language"] = "en"
    en = sidebar_props(client.get("/admin/"))
    assert kk != en and "Documents" in en and "Documents" not in kk
