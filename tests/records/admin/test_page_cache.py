"""Whole back-office pages from the cache (records/admin/pagecache.py): a repeat visit is served without
rendering, a change shows on the very next visit, one viewer's page is never another's, the CSRF token
is the requesting session's, flash messages are never cached, and reads are still recorded."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import translation
from wagtail.users.models import UserProfile

from records.demo.history import JOB_KIND
from records.labels import state_label
from records.lifecycle import State
from records.models import AccessEvent, Job, Role, RoleAssignment
from records.services.document import document_transition
from tests.records.admin.conftest import make_draft

LIST = "/admin/registry/documents/"


def get(client: Client, url: str) -> tuple[str, bool]:
    """The page and whether it was served from the cache (no template rendered for it)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), not response.templates


def test_a_cached_page_is_served_without_rendering_and_shows_a_change_at_once(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    make_draft(staff, org, title="Приказ первый")
    client.force_login(staff[Role.REGISTRAR])
    body, cached = get(client, LIST)
    assert "Приказ первый" in body and not cached
    again, cached = get(client, LIST)
    assert cached and "Приказ первый" in again
    make_draft(staff, org, title="Приказ второй")  # audited: the chain head moves
    body, cached = get(client, LIST)
    assert not cached and "Приказ второй" in body
    # The query string is part of the key.
    filtered, cached = get(client, LIST + "?q=второй")
    assert not cached and "Приказ первый" not in filtered


def test_another_user_never_gets_someone_elses_cached_page(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    make_draft(staff, org, title="Приказ о практике")
    client.force_login(staff[Role.REGISTRAR])
    get(client, LIST)
    get(client, "/admin/")
    client.force_login(staff["other_dean"])
    other, cached = get(client, LIST)
    assert not cached and "Приказ о практике" not in other
    home, cached = get(client, "/admin/")
    assert not cached and staff[Role.REGISTRAR].get_username() not in home


def test_a_cached_page_carries_the_requesting_sessions_csrf_token(staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org, title="Приказ о графике")
    first = Client(enforce_csrf_checks=True)
    first.force_login(staff[Role.REGISTRAR])
    body_first, _cached = get(first, LIST)
    second = Client(enforce_csrf_checks=True)  # the same user in another browser: another CSRF secret
    second.force_login(staff[Role.REGISTRAR])
    body, cached = get(second, LIST)
    assert cached
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    config_tokens = set(re.findall(r'"CSRF_TOKEN": "([^"]+)"', body))
    assert tokens and config_tokens == tokens  # one live token, in the forms and in Wagtail's config
    assert not tokens & set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body_first))
    response = second.post(LIST + "export/", {"format": "csv", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 200 and "Приказ о графике" in response.content.decode("utf-8-sig")


def test_flash_messages_are_shown_once_and_never_cached(client: Client, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.REGISTRAR])
    get(client, LIST)
    get(client, LIST)
    response = client.post(LIST + "export/", {"format": "nonsense"})  # flashes an error, redirects
    assert response.status_code == 302
    body, cached = get(client, LIST)
    assert not cached and "nonsense" in body
    body, cached = get(client, LIST)
    assert cached and "nonsense" not in body


def test_a_cached_document_page_still_records_each_read_and_shows_reads_and_transitions_at_once(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    document = make_draft(staff, org, title="Приказ о стипендии")  # by the dean
    url = f"/admin/registry/documents/{document.pk}/"
    client.force_login(staff[Role.DEAN])  # the author: reads the trail, their own views are not reads
    get(client, url)
    body, cached = get(client, url)
    assert cached and "registrar" not in body
    other = Client()
    other.force_login(staff[Role.REGISTRAR])
    get(other, url)
    get(other, url)
    assert AccessEvent.objects.filter(document=document).count() == 2  # each visit is recorded
    response = client.get(url)
    body = response.content.decode()
    assert "registrar" in body  # the new reads, at once: only the trail was rendered again
    assert {t.name for t in response.templates} == {
        "records/admin/_document_trail.html",
        "records/admin/_events.html",
    }
    with translation.override("en"):
        review = str(state_label(State.REVIEW))
    assert review not in body
    document_transition(document=document, name="submit", by=staff[Role.DEAN])
    body, cached = get(client, url)
    assert not cached and review in body


def test_the_cached_dashboard_shows_the_demo_history_progress_at_once(
    client: Client, staff: dict[str, Any]
) -> None:
    job = Job.objects.create(kind=JOB_KIND, state=Job.State.RUNNING, total=4, done=1)
    client.force_login(staff[Role.REGISTRAR])
    body, _cached = get(client, "/admin/")
    assert 'value="25"' in body
    body, cached = get(client, "/admin/")
    assert cached and 'value="25"' in body
    Job.objects.filter(pk=job.pk).update(done=3)  # no audited event, no updated_at
    body, cached = get(client, "/admin/")
    assert not cached and 'value="75"' in body


def test_a_revoked_role_and_a_permission_removed_from_a_group_show_at_once(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    make_draft(staff, org, title="Приказ о каникулах")
    registrar = staff[Role.REGISTRAR]
    group = Group.objects.create(name="Back office")
    access = Permission.objects.get(codename="access_admin")
    group.permissions.add(access)
    registrar.user_permissions.clear()
    registrar.groups.add(group)
    client.force_login(registrar)
    get(client, LIST)
    body, cached = get(client, LIST)
    assert cached and "Приказ о каникулах" in body
    # The role withdrawn: the next visit is refused (no staff role left), not the cached page.
    RoleAssignment.objects.filter(person__user=registrar).delete()
    assert client.get(LIST).status_code == 403
    # Back office access removed from the group: Wagtail sends the user to sign in.
    group.permissions.remove(access)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_changed_wagtail_profile_shows_on_the_next_visit(client: Client, staff: dict[str, Any]) -> None:
    registrar = staff[Role.REGISTRAR]
    client.force_login(registrar)
    get(client, LIST)
    body, cached = get(client, LIST)
    assert cached and "w-theme-dark" not in body
    profile = UserProfile.get_for_user(registrar)
    profile.theme = "dark"
    profile.save()  # not an audited event: it moves the authorization version
    body, cached = get(client, LIST)
    assert not cached and "w-theme-dark" in body
