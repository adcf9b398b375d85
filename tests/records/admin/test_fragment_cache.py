"""The cached parts of the document list and the document page (records/admin/fragments.py): a repeat
visit reuses them, a change shows on the very next visit, and one user's part is never another's."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from records.admin.documents import TRAIL_READS
from records.models import AccessEvent, Role
from records.services.audit import access_record
from tests.records.admin.conftest import make_draft

LIST = "/admin/registry/documents/"


def visit(client: Client, url: str, **params: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_cached_list_shows_a_new_document_at_once_and_never_another_users_list(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    make_draft(staff, org, title="Приказ первый")
    client.force_login(staff[Role.REGISTRAR])
    body, cold = visit(client, LIST)
    assert "Приказ первый" in body
    again, warm = visit(client, LIST)
    assert "Приказ первый" in again and warm < cold  # served from the cache: no list queries
    make_draft(staff, org, title="Приказ второй")  # audited: the chain head moves
    body, _queries = visit(client, LIST)
    assert "Приказ второй" in body and "Приказ первый" in body
    # The same URL and query for a dean of another faculty: not the registrar's cached list.
    client.force_login(staff["other_dean"])
    other, _queries = visit(client, LIST)
    assert "Приказ первый" not in other and "Приказ второй" not in other
    # A filter is part of the key: the filtered list is not the unfiltered one.
    client.force_login(staff[Role.REGISTRAR])
    filtered, _queries = visit(client, LIST, q="второй")
    assert "Приказ второй" in filtered and "Приказ первый" not in filtered


def test_the_export_form_of_a_cached_list_carries_a_live_csrf_token(staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org, title="Приказ о практике")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff[Role.REGISTRAR])
    visit(client, LIST)
    body, _queries = visit(client, LIST)  # from the cache
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert tokens, "the export form lost its CSRF field"
    response = client.post(
        "/admin/registry/documents/export/", {"format": "csv", "csrfmiddlewaretoken": tokens[-1]}
    )
    assert response.status_code == 200 and "Приказ о практике" in response.content.decode("utf-8-sig")
    forged = client.post(
        "/admin/registry/documents/export/", {"format": "csv", "csrfmiddlewaretoken": "x" * 64}
    )
    assert forged.status_code == 403


def reads_shown(body: str) -> int:
    return body.count('data-read="1"')


def test_the_cached_trail_shows_a_new_read_at_once_and_only_to_who_may_read_it(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    document = make_draft(staff, org, title="Приказ о графике")
    url = f"/admin/registry/documents/{document.pk}/"
    client.force_login(staff[Role.AUDITOR])
    body, _queries = visit(client, url)
    assert reads_shown(body) == 1 and "document.create" in body  # the auditor's own view
    client.force_login(staff[Role.REGISTRAR])
    visit(client, url)
    client.force_login(staff[Role.AUDITOR])
    body, _queries = visit(client, url)
    assert reads_shown(body) == 3  # the registrar's read and the auditor's second one, at once
    assert "registrar" in body
    # The dean of another faculty may not see the document at all, cached trail or not.
    client.force_login(staff["other_dean"])
    assert client.get(url).status_code == 404


def test_the_trail_shows_the_newest_reads_and_all_on_request(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    document = make_draft(staff, org, title="Приказ о стипендии")
    for _ in range(TRAIL_READS + 5):
        access_record(actor=staff[Role.REGISTRAR], action="document.view", document=document)
    client.force_login(staff[Role.AUDITOR])
    url = f"/admin/registry/documents/{document.pk}/"
    body, _queries = visit(client, url)
    total = AccessEvent.objects.filter(document=document).count()
    assert total == TRAIL_READS + 6  # with the auditor's own view
    assert reads_shown(body) == TRAIL_READS and "data-more-reads" in body
    assert "document.create" in body  # every event is still shown
    everything, _queries = visit(client, url, reads="all")
    # Every read, this visit's own too, and no note.
    assert reads_shown(everything) == total + 1 and "data-more-reads" not in everything
