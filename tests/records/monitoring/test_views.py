"""The monitoring pages: refused without a leadership role (no event), 200 with one, figures link to the
rows behind them, exports carry the same figures and leave one audit event."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from records.models import AuditEvent, Role
from tests.records.academic.conftest import bulk, line, statement
from tests.records.monitoring.conftest import Law, enroll, enroll_law, student

PAGES = [
    "/admin/monitoring/",
    "/admin/monitoring/movement/",
    "/admin/monitoring/results/",
    "/admin/monitoring/scholarships/",
    "/admin/monitoring/load/",
    "/admin/monitoring/reports/",
    "/admin/monitoring/students/list/",
    "/admin/monitoring/movement/list/",
    "/admin/monitoring/results/list/",
]


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def registry(staff: dict[str, Any], org: Any, law: Law) -> dict[str, Any]:
    people = [student(org) for _ in range(2)]
    for person in people:
        enroll(staff, org, person)
    enroll_law(staff, org, law, student(org))
    bulk(
        staff,
        org,
        "grade_statement",
        statement(org, [line(people[0], 95, 95, 95), line(people[1], 60, 60, 30)]),
    )
    return staff


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ARCHIVIST, Role.AUDITOR, Role.STUDENT])
def test_monitoring_no_permission(client: Client, registry: dict[str, Any], role: str) -> None:
    client.force_login(registry[role])
    start = last_id()
    for page in PAGES:
        assert client.get(page).status_code == 403, page
    assert client.post(PAGES[0], {"format": "xlsx"}).status_code == 403
    assert last_id() == start


@pytest.mark.parametrize(
    "role", [Role.RECTOR, Role.VICE_RECTOR, Role.DEAN, Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR]
)
def test_monitoring_with_access(client: Client, registry: dict[str, Any], role: str) -> None:
    client.force_login(registry[role])
    start = last_id()
    for page in PAGES:
        response = client.get(page, {"on": "2024-10-01", "date_from": "2024-09-01", "date_to": "2025-08-31"})
        assert response.status_code == 200, page
    assert last_id() == start


def test_a_dean_sees_the_faculty_and_is_refused_another(
    client: Client, registry: dict[str, Any], org: Any
) -> None:
    client.force_login(registry[Role.DEAN])
    page = client.get("/admin/monitoring/", {"on": "2024-10-01"}).content.decode()
    assert org.faculty.name in page and org.other_faculty.name not in page
    assert "<svg" in page
    refused = client.get("/admin/monitoring/", {"on": "2024-10-01", "unit": org.other_faculty.pk})
    # another faculty is not among the choices: the form drops it and the dean keeps their scope
    assert refused.status_code == 200 and org.other_faculty.name not in refused.content.decode()


def test_every_count_links_to_as_many_students(client: Client, registry: dict[str, Any], org: Any) -> None:
    client.force_login(registry[Role.RECTOR])
    response = client.get("/admin/monitoring/", {"on": "2024-10-01", "by": "faculty"})
    rows = response.context["rows"]
    assert {r.label: r.values["count"] for r in rows} == {org.faculty.name: 2, org.other_faculty.name: 1}
    for row in rows:
        listed = client.get(row.values["url"])
        assert listed.context["page"].paginator.count == row.values["count"]
        assert listed.content.decode().count("/admin/registry/documents/") >= row.values["count"]


def test_export_xlsx_and_csv_carry_the_page_figures(
    client: Client, registry: dict[str, Any], org: Any
) -> None:
    client.force_login(registry[Role.RECTOR])
    start = last_id()
    response = client.post("/admin/monitoring/", {"on": "2024-10-01", "by": "faculty", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values[org.faculty.name] == 2 and values[org.other_faculty.name] == 1 and values["Total"] == 3
    csv = client.post("/admin/monitoring/results/", {"term": "2024-1", "by": "group", "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert f"{org.group.code},2,50.0,50.0" in text
    events = AuditEvent.objects.filter(id__gt=start).order_by("id")
    assert [(e.action, e.changes["section"], e.changes["format"]) for e in events] == [
        ("monitoring.export", "students", "xlsx"),
        ("monitoring.export", "results", "csv"),
    ]
    assert client.post("/admin/monitoring/", {"format": "pdf"}).status_code == 403


def test_the_movement_page_lists_the_ministry_copies_of_grant_students_leave(
    client: Client, registry: dict[str, Any], org: Any
) -> None:
    from records.models import Student
    from tests.records.academic.conftest import bulk_order, order

    record = Student.objects.filter(group=org.group, funding="state_grant").select_related("person").first()
    assert record is not None
    grant = record.person
    leave = order("academic_leave", grant, "2024-11-01", leave_grounds="illness", end_date="2025-08-31")
    document = bulk_order(registry, org, "academic_leave", leave)
    client.force_login(registry[Role.DEAN])
    response = client.get("/admin/monitoring/movement/")  # the default period ends today: registered today
    assert [c["document_id"] for c in response.context["copies"]] == [document.pk]
    assert f"/admin/registry/documents/{document.pk}/" in response.content.decode()
    client.force_login(registry["other_dean"])
    assert client.get("/admin/monitoring/movement/").context["copies"] == []


def test_the_student_body_page_costs_the_same_queries_for_more_students(
    client: Client, registry: dict[str, Any], org: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(registry[Role.RECTOR])
    client.get("/admin/monitoring/", {"on": "2024-10-01", "by": "group"})  # warm the per-user caches
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/monitoring/", {"on": "2024-10-01", "by": "group"})
    warm = len(few)  # now: captured_queries is a slice of a bounded log that the enrolments overrun
    for _ in range(20):
        enroll(registry, org, student(org))
    # new people moved the authorization version: the viewer's entry is built again, then measured warm
    client.get("/admin/monitoring/", {"on": "2024-10-01", "by": "group"})
    with django_assert_max_num_queries(warm):
        client.get("/admin/monitoring/", {"on": "2024-10-01", "by": "group"})


def test_the_document_list_the_scholarship_orders_and_the_monitoring_share_one_filter_form(
    client: Client, registry: dict[str, Any]
) -> None:
    """One partial (records/_filter_form.html) renders the filters of the three lists: each form is a
    labelled GET search form whose Reset leads back to its own page."""
    client.force_login(registry[Role.REGISTRAR])
    for page, reset in (
        ("/admin/monitoring/results/", 'href="?"'),
        ("/admin/registry/documents/", 'href="/admin/registry/documents/"'),
        ("/admin/scholarship/", 'href="/admin/scholarship/"'),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "records/_filter_form.html" in [t.name for t in response.templates], page
        html = response.content.decode()
        assert html.count('role="search"') >= 1 and reset in html, page


@pytest.mark.parametrize(
    ("language", "caption"),
    [("kk", "GPA бөлінісі"), ("ru", "Распределение GPA"), ("en", "GPA distribution")],
)
def test_each_chart_has_a_visible_caption_in_the_page_language_and_a_print_layout(
    registry: dict[str, Any], language: str, caption: str
) -> None:
    """Charts are read and printed: each <figure> starts with its title as a <figcaption> in the
    interface language, and the print CSS keeps a chart on one page and hides the filters."""
    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    client.force_login(registry[Role.RECTOR])
    html = client.get("/admin/monitoring/results/").content.decode()
    figures = html.count("<figure>")
    assert figures == 2 and html.count("<figure><figcaption>") == figures
    assert f"<figcaption>{caption}, " in html
    assert "@media print" in html and "break-inside: avoid" in html and ".monitoring-filters" in html


@pytest.mark.parametrize(("language", "separator"), [("kk", ","), ("ru", ","), ("en", ".")])
def test_the_results_table_prints_the_figures_in_the_page_language_and_links_each(
    client: Client, registry: dict[str, Any], language: str, separator: str
) -> None:
    """Two results, one failed: 50 % absolute performance — "50,0" on a Kazakh or Russian page, "50.0" on
    an English one."""
    client.force_login(registry[Role.RECTOR])
    page = client.get(
        "/admin/monitoring/results/", {"term": "2024-1", "by": "group"}, HTTP_ACCEPT_LANGUAGE=language
    )
    [row, total] = page.context["display"]
    assert row["absolute"] == total["absolute"] == f"50{separator}0"
    html = page.content.decode()
    assert f">50{separator}0<" in html
    for measure in ("results", "session_fails", "debtors"):
        assert row["urls"][measure].replace("&", "&amp;") in html
        listed = client.get(row["urls"][measure])
        assert listed.status_code == 200 and listed.context["page"].paginator.count == int(row[measure])
