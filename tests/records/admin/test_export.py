"""Export of the filtered list: same selector, CSV and XLSX, one "document.export" event."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from records.models import AuditEvent, Role
from tests.records.admin.conftest import events_after, last_event_id, make_draft

URL = "/admin/registry/documents/export/"


def test_without_admin_access_nothing_is_exported_or_recorded(
    client: Any, users: dict[str, Any], org: Any
) -> None:
    make_draft(users, org)
    before = last_event_id()
    client.force_login(users[Role.REGISTRAR])
    response = client.post(URL, {"format": "csv"})
    assert response.status_code == 302
    assert events_after(before) == []


def test_a_student_may_not_export(client: Any, staff: dict[str, Any], org: Any) -> None:
    before = last_event_id()
    client.force_login(staff[Role.STUDENT])
    assert client.post(URL, {"format": "csv"}).status_code == 403
    assert events_after(before) == []


def test_csv_export_holds_the_filtered_documents_and_records_one_event(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    make_draft(staff, org, title="Приказ об отпуске")
    make_draft(staff, org, title="=HYPERLINK(1) Приказ")
    make_draft(staff, org, title="Приказ о графике")
    before = last_event_id()
    client.force_login(staff[Role.REGISTRAR])
    response = client.post(URL, {"format": "csv", "q": "ПРИКАЗ"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row[1] for row in rows[1:]}
    assert titles == {"Приказ об отпуске", "'=HYPERLINK(1) Приказ", "Приказ о графике"}
    assert events_after(before) == ["document.export"]
    event = AuditEvent.objects.get(id__gt=before)
    assert event.actor == staff[Role.REGISTRAR]
    assert event.changes == {"format": "csv", "count": 3, "filters": {"q": "ПРИКАЗ"}}


def test_xlsx_export_respects_filters_and_visibility(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org, title="Приказ об отпуске")
    make_draft(staff, org, title="Приказ о графике")
    before = last_event_id()
    client.force_login(staff["other_dean"])  # another faculty: sees none of them
    response = client.post(URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1  # header only
    client.force_login(staff[Role.REGISTRAR])
    response = client.post(URL, {"format": "xlsx", "q": "отпуск"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert values[1][1] == "Приказ об отпуске"
    assert values[1][2] in {"Внутренний приказ", "Internal order", "Ішкі бұйрық"}
    assert events_after(before) == ["document.export", "document.export"]
    assert AuditEvent.objects.filter(id__gt=before).last().changes["count"] == 1


def test_an_unknown_format_is_refused_with_a_message_and_no_event(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    before = last_event_id()
    client.force_login(staff[Role.REGISTRAR])
    response = client.post(URL, {"format": "pdf"}, follow=True)
    assert response.status_code == 200
    assert "Unknown export format pdf." in response.content.decode()
    assert events_after(before) == []


def test_export_is_post_only(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.REGISTRAR])
    assert client.get(URL, {"format": "csv"}).status_code == 405
