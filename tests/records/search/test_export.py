"""Export of the result list: all pages through the same selector, CSV and XLSX, one "search.export" event."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from records.models import AuditEvent, Role
from records.selectors.search import search_documents_for_export
from search.sync import drain
from tests.records.search.conftest import EXPORT, Corpus, draft, events_after, last_event_id, login


def test_a_student_may_not_export_and_nothing_is_recorded(staff: dict[str, Any], corpus: Corpus) -> None:
    before = last_event_id()
    response = login(staff[Role.STUDENT]).post(EXPORT, {"format": "csv", "q": "Қазақстан"})
    assert response.status_code == 403
    assert events_after(before) == []


def test_without_admin_access_nothing_is_exported(users: dict[str, Any], org: Any) -> None:
    before = last_event_id()
    response = login(users[Role.ARCHIVIST]).post(EXPORT, {"format": "csv"})
    assert response.status_code == 302
    assert events_after(before) == []


def test_export_is_post_only(staff: dict[str, Any], corpus: Corpus) -> None:
    before = last_event_id()
    assert login(staff[Role.ARCHIVIST]).get(EXPORT, {"format": "csv"}).status_code == 405
    assert events_after(before) == []


def test_csv_export_holds_every_page_of_the_results_and_records_one_event(
    staff: dict[str, Any], org: Any
) -> None:
    titles = {f"Приказ {n} о практике" for n in range(5)} | {"=HYPERLINK(1) практика"}
    for title in titles:
        draft(staff, Role.DEAN, org.faculty, title, "Қазақстандағы практика.")
    draft(staff, Role.DEAN, org.faculty, "Другое", "Ничего общего.")
    drain()
    before = last_event_id()
    response = login(staff[Role.ARCHIVIST]).post(EXPORT, {"format": "csv", "q": "ПРАКТИКА", "sort": "-date"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = {row[1] for row in rows[1:]}
    assert exported == (titles - {"=HYPERLINK(1) практика"}) | {"'=HYPERLINK(1) практика"}
    assert events_after(before) == ["search.export"]
    event = AuditEvent.objects.get(id__gt=before)
    assert event.actor == staff[Role.ARCHIVIST]
    assert event.changes == {
        "text": "ПРАКТИКА",
        "filters": {},
        "sort": "-date",
        "format": "csv",
        "count": 6,
        "capped": False,
    }


def test_the_export_walks_pages_and_stops_at_the_cap(staff: dict[str, Any], org: Any) -> None:
    for n in range(5):
        draft(staff, Role.DEAN, org.faculty, f"Приказ {n}", "Қазақстандағы практика.")
    drain()
    full = search_documents_for_export(user=staff[Role.ARCHIVIST], text="практика", sort="-date")
    assert len(full.documents) == 5 and not full.capped
    capped = search_documents_for_export(user=staff[Role.ARCHIVIST], text="практика", sort="-date", cap=3)
    assert [d.pk for d in capped.documents] == [d.pk for d in full.documents[:3]]
    assert capped.capped and capped.total == 5


def test_xlsx_export_respects_filters_and_scope(staff: dict[str, Any], corpus: Corpus, org: Any) -> None:
    before = last_event_id()
    response = login(staff["other_dean"]).post(EXPORT, {"format": "xlsx", "q": "Қазақстан"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[1] for row in values[1:]] == ["Юридический приказ"]
    response = login(staff[Role.ARCHIVIST]).post(
        EXPORT, {"format": "xlsx", "q": "Қазақстан", "org_unit": str(org.faculty.pk)}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert {row[1] for row in values[1:]} == {"Приказ о практике", "Ведомость кафедры"}
    assert events_after(before) == ["search.export", "search.export"]
    event = AuditEvent.objects.filter(id__gt=before).last()
    assert event.changes["count"] == 2
    assert event.changes["filters"] == {"org_unit": [str(org.faculty.pk)]}


def test_bad_export_requests_get_a_message_and_no_event(staff: dict[str, Any], corpus: Corpus) -> None:
    client = login(staff[Role.ARCHIVIST])
    before = last_event_id()
    for data in (
        {"format": "pdf", "q": "x"},
        {"format": "csv", "year": "abc"},
        {"format": "csv", "sort": "bogus"},
    ):
        response = client.post(EXPORT, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/search/")
    assert events_after(before) == []
