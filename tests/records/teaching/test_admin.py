"""The teaching-load area of the back office: scope pairs (no permission: 403/404 and no event; with
access: 200 and exactly the expected events), the distribution editor, staff positions, done vs plan,
and the query counts of the lists (no N+1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import Document, OrgUnit, Person, Role, StaffPosition
from records.services.document import document_create
from tests.factories import make_person
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.teaching.conftest import YEAR, position, setup_load

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, org: Any, year: int = YEAR) -> str:
    return reverse(f"records_teaching:{name}", args=[org.department.code, year])


@pytest.mark.parametrize("name", ["department", "lines", "distribute", "positions", "done"])
def test_a_department_page_no_permission(staff: dict[str, Any], org: Any, name: str) -> None:
    """Another faculty's dean gets 404 (the department is not told apart from a missing one); a teacher
    without a leadership role gets 403; neither writes an event."""
    setup_load(staff, org, students=5)
    before = last_event_id()
    assert client_for(staff["other_dean"]).get(url(name, org)).status_code == 404
    assert client_for(staff[Role.TEACHER]).get(url(name, org)).status_code == 403
    assert client_for(staff[Role.TEACHER]).get(reverse("records_teaching:index")).status_code == 403
    assert events_after(before) == []


@pytest.mark.parametrize("who", [Role.HEAD_OF_DEPARTMENT, Role.DEAN, Role.VICE_RECTOR, Role.RECTOR])
@pytest.mark.parametrize("name", ["department", "lines", "distribute", "positions", "done"])
def test_a_department_page_with_access(staff: dict[str, Any], org: Any, who: str, name: str) -> None:
    setup_load(staff, org, students=5)
    before = last_event_id()
    response = client_for(staff[who]).get(url(name, org))
    assert response.status_code == 200
    assert org.department.name in response.content.decode()
    assert events_after(before) == []


def test_the_index_shows_only_the_departments_in_scope(staff: dict[str, Any], org: Any) -> None:
    other = OrgUnit.objects.create(
        code="dep-law",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=org.other_faculty,
        name_kk="Құқық",
        name_ru="Право",
        name_en="Law",
    )
    setup_load(staff, org, students=5)
    head = client_for(staff[Role.HEAD_OF_DEPARTMENT]).get(reverse("records_teaching:index") + f"?year={YEAR}")
    rector = client_for(staff[Role.RECTOR]).get(reverse("records_teaching:index") + f"?year={YEAR}")
    assert org.department.name_en in head.content.decode() and other.name_en not in head.content.decode()
    assert org.department.name_en in rector.content.decode() and other.name_en in rector.content.decode()


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_queries_whatever_their_length(staff: dict[str, Any], org: Any) -> None:
    """The index over 1 or 6 departments, the lines page with 10 or 50 lines, the editor likewise."""
    setup_load(staff, org, students=5)
    rector = client_for(staff[Role.RECTOR])
    index = reverse("records_teaching:index") + f"?year={YEAR}"
    rector.get(index)  # the first admin page builds the user's Wagtail profile and cached sidebar
    one = _queries(rector, index)
    for n in range(5):
        OrgUnit.objects.create(
            code=f"dep-x{n}",
            kind=OrgUnit.Kind.DEPARTMENT,
            parent=org.faculty,
            name_kk="x",
            name_ru="x",
            name_en="x",
        )
    rector.get(index)  # new units moved the authorization version (scopes): the viewer's entry is built again
    assert _queries(rector, index) == one
    teacher = make_person()
    position(teacher, org.department)
    document_create(
        by=staff[Role.HEAD_OF_DEPARTMENT],
        kind="load_distribution",
        org_unit=org.department,
        title="Распределение",
        data={"academic_year": YEAR, "department_code": org.department.code, "assignments": []},
    )
    head = client_for(staff[Role.HEAD_OF_DEPARTMENT])
    head.get(url("lines", org))  # warm, as above
    for name in ("lines", "distribute"):
        few = _queries(head, url(name, org) + "?kind=exam")
        many = _queries(head, url(name, org))
        assert few == many, name


def test_the_editor_assigns_lines_and_shows_the_balance(staff: dict[str, Any], org: Any) -> None:
    calculation = setup_load(staff, org, students=5)
    teacher = make_person(last_name_ru="Учителева", last_name_en="Teacherova")
    position(teacher, org.department)
    head = client_for(staff[Role.HEAD_OF_DEPARTMENT])
    assert head.post(url("department", org), {"what": "distribution"}).status_code == 302
    draft = Document.objects.get(kind="load_distribution")
    keys = [line["key"] for line in calculation.current_version.data["lines"] if line["kind"] == "exam"]
    before = last_event_id()
    response = head.post(
        url("distribute", org) + "?kind=exam",
        {"lock_version": draft.lock_version, "line": keys, **{f"teacher-{k}": teacher.iin for k in keys}},
    )
    assert response.status_code == 302
    assert events_after(before) == ["document.edit"]
    draft.refresh_from_db()
    data = draft.current_version.data
    assert {a["line_key"] for a in data["assignments"]} == set(keys)
    (balance,) = data["balances"]
    assert Decimal(balance["assigned"]) == sum(
        Decimal(line["hours"]) for line in calculation.current_version.data["lines"] if line["kind"] == "exam"
    )
    page = head.get(url("distribute", org)).content.decode()
    # the data keeps the document's (Russian) name; the page shows the reader's language
    assert balance["teacher_name"].startswith("Учителева")
    assert "Teacherova" in page and "Учителева" not in page and balance["assigned"] in page
    head.cookies["django_language"] = "ru"
    assert "Учителева" in head.get(url("distribute", org)).content.decode()


def test_staff_positions_are_edited_by_the_head_with_an_event_and_refused_to_a_teacher(
    staff: dict[str, Any], org: Any
) -> None:
    setup_load(staff, org, students=5)
    person = Person.objects.get(user=staff[Role.TEACHER])
    form = {"person": person.pk, "kind": "internal_part_time", "rate": "0.5", "contracted_hours": ""}
    before = last_event_id()
    assert client_for(staff[Role.TEACHER]).post(url("positions", org), form).status_code == 403
    assert client_for(staff[Role.DEAN]).post(url("positions", org), form).status_code == 403
    assert events_after(before) == [] and not StaffPosition.objects.exists()
    assert client_for(staff[Role.HEAD_OF_DEPARTMENT]).post(url("positions", org), form).status_code == 302
    assert events_after(before) == ["staff_position.save"]
    saved = StaffPosition.objects.get()
    assert (saved.person, saved.rate, saved.academic_year) == (person, Decimal("0.5"), YEAR)
    refused = client_for(staff[Role.HEAD_OF_DEPARTMENT]).post(
        url("positions", org), {**form, "kind": "hourly", "rate": "0"}
    )
    assert refused.status_code == 200 and "contracted hours" in refused.content.decode()
    assert StaffPosition.objects.count() == 1


def test_the_execution_report_is_drafted_from_done_vs_plan(staff: dict[str, Any], org: Any) -> None:
    setup_load(staff, org, students=5)
    before = last_event_id()
    response = client_for(staff[Role.HEAD_OF_DEPARTMENT]).post(url("done", org), {"term": "1"})
    assert response.status_code == 302
    report = Document.objects.get(kind="load_execution_report")
    assert report.current_version.data["semester"] == 1
    assert events_after(before) == ["document.create"]
