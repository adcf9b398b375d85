"""Every list and page costs the same number of queries whatever the number of rows it shows.

Each test measures a page at a small and a larger size of what it lists and asserts the counts
are equal (django_assert_num_queries with the count measured first), so an N+1 — a query per row,
in a view or evaluated in a template — fails here. The sizes differ by an order of magnitude.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.lifecycle import State
from records.models import ApiToken, Document, Job, Person, Role, Signature, Student
from records.selectors.viewer import auth_version_bump
from records.services.document import document_create, document_transition
from search.sync import drain
from tests.records.admin.test_list import bulk_documents
from tests.records.api.conftest import TokenClient
from tests.records.drafts import Side, _scholarship, _student

DATA = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}


def count_queries(get: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(queries.captured_queries), response


def assert_constant(
    get: Callable[[], Any], grow: Callable[[], None], django_assert_num_queries: Any
) -> tuple[Any, Any]:
    """The page's queries before and after `grow()` adds rows: the same number."""
    get()  # warm what a first visit creates (Wagtail's user profile, the session in the cache)
    # Both visits read the viewer's permissions, roles and profile (records/selectors/viewer.py): `grow`
    # may add people, roles or units, which moves the authorization version.
    auth_version_bump()
    small, first = count_queries(get)
    grow()
    auth_version_bump()
    with django_assert_num_queries(small):
        second = get()
    assert second.status_code == 200
    return first, second


def cold(client: Any, url: str) -> Any:
    """A visit with nothing cached (the dashboard panels, the portal record, the document list and
    trail are cached per chain head): what a first visit after a change costs."""
    cache.clear()
    return client.get(url)


def drafts(staff: dict[str, Any], org: Any, count: int, by: str = Role.DEAN) -> list[Document]:
    return [
        document_create(
            by=staff[by], kind="internal_order", org_unit=org.faculty, title=f"Приказ {i}", data=DATA
        )
        for i in range(count)
    ]


def test_dashboard_queries_do_not_grow_with_the_waiting_documents(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    for document in drafts(staff, org, 2):
        document_transition(document=document, by=staff[Role.DEAN], name="submit")
    client.force_login(staff[Role.RECTOR])

    def grow() -> None:
        for document in drafts(staff, org, 20):
            document_transition(document=document, by=staff[Role.DEAN], name="submit")

    _first, second = assert_constant(lambda: cold(client, "/admin/"), grow, django_assert_num_queries)
    assert "Приказ 19" in second.content.decode()


def test_document_list_queries_do_not_grow_with_the_rows(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    bulk_documents(staff, org, 3)
    client.force_login(staff[Role.REGISTRAR])
    first, second = assert_constant(
        lambda: cold(client, "/admin/registry/documents/"),
        lambda: bulk_documents(staff, org, 40),
        django_assert_num_queries,
    )
    assert len(first.context["rows"]) == 3 and len(second.context["rows"]) == 43


def test_document_page_queries_do_not_grow_with_versions_and_events(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    document = drafts(staff, org, 1)[0]
    client.force_login(staff[Role.DEAN])
    url = f"/admin/registry/documents/{document.pk}/"

    def grow() -> None:
        nonlocal document
        for _round in range(4):  # each round: a new draft version and more audit events
            document = document_transition(document=document, by=staff[Role.DEAN], name="submit")
            document = document_transition(
                document=document, by=staff[Role.RECTOR], name="reject", reason="Исправить"
            )

    first, second = assert_constant(lambda: cold(client, url), grow, django_assert_num_queries)
    assert len(second.context["trail"]) >= len(first.context["trail"]) + 8


def test_search_page_queries_do_not_grow_with_the_hits(
    client: Any,
    staff: dict[str, Any],
    org: Any,
    django_assert_num_queries: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.RECTORATE_SEARCH_BACKEND = "tantivy"
    settings.RECTORATE_SEARCH_INDEX_DIR = tmp_path / "index"
    drafts(staff, org, 2)
    assert drain().ok
    client.force_login(staff[Role.DEAN])

    def grow() -> None:
        drafts(staff, org, 25)
        assert drain().ok

    first, second = assert_constant(
        lambda: cold(client, "/admin/search/?q=графике"), grow, django_assert_num_queries
    )
    assert len(second.context["results"].hits) > len(first.context["results"].hits)


def test_portal_queries_do_not_grow_with_the_students_documents(
    client: Any, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    from records.projections.bulk import document_register_directly

    student_user = users[Role.STUDENT]
    person = Person.objects.get(user=student_user)
    Student.objects.get_or_create(
        person=person, defaults={"status": "enrolled", "programme": org.programme, "group": org.group}
    )
    client.force_login(student_user)

    def documents(count: int) -> None:
        for i in range(count):
            document_register_directly(
                by=users[Role.REGISTRAR],
                kind="internal_order",
                org_unit=org.faculty,
                title=f"Справка {i}",
                data=DATA,
                subject=person,
            )

    documents(1)
    first, second = assert_constant(
        lambda: cold(client, "/portal/"), lambda: documents(12), django_assert_num_queries
    )
    assert len(second.context["documents"]) == len(first.context["documents"]) + 12


def test_public_verification_page_queries_do_not_grow_with_the_signatures(
    client: Any, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    from records.projections.bulk import document_register_directly

    document = document_register_directly(
        by=users[Role.REGISTRAR], kind="internal_order", org_unit=org.faculty, title="Приказ", data=DATA
    )
    assert document.state == State.REGISTERED

    made = 0

    def signatures(count: int) -> None:
        nonlocal made
        for i in range(made, made + count):
            Signature.objects.create(
                document=document,
                version=document.current_version,
                role=Role.REGISTRAR,
                signer=users[Role.REGISTRAR],
                step=str(i),
                revision=i + 1,
                signer_name=f"Подписант {i}",
                certificate_sha256=f"{i:064x}",
                signed_at=document.registered_at,
                pdf_blob_id=None,
            )
        made += count

    signatures(1)
    url = f"/verify/{document.verification_code}/"
    _first, second = assert_constant(
        lambda: client.get(url), lambda: signatures(6), django_assert_num_queries
    )
    assert len(second.context["result"].signers) == 7


def _versions_and_events(staff: dict[str, Any], document: Document, rounds: int) -> Document:
    """Each round: submitted and sent back, so one more draft version and two more audit events."""
    for _round in range(rounds):
        document = document_transition(document=document, by=staff[Role.DEAN], name="submit")
        document = document_transition(document=document, by=staff[Role.RECTOR], name="reject", reason="Ещё")
    return document


@pytest.mark.parametrize("suffix", ["", "/versions", "/audit", "/transitions"])
def test_api_document_detail_queries_do_not_grow_with_versions_and_events(
    staff: dict[str, Any], org: Any, django_assert_num_queries: Any, suffix: str
) -> None:
    """The API's document, its versions, its trail and its transitions: a fixed number of queries."""
    document = _versions_and_events(staff, drafts(staff, org, 1)[0], 1)
    _token, secret = ApiToken.issue(user=staff[Role.DEAN], name="query counts")
    api = TokenClient(secret)
    url = f"/api/v1/documents/{document.pk}{suffix}"

    first, second = assert_constant(
        lambda: api.get(url), lambda: _versions_and_events(staff, document, 4), django_assert_num_queries
    )
    if suffix in ("/versions", "/audit"):  # lists that grew with the rounds
        assert len(second.json()) >= len(first.json()) + 4


def test_api_search_queries_do_not_grow_with_the_hits(
    staff: dict[str, Any], org: Any, django_assert_num_queries: Any, settings: Any, tmp_path: Path
) -> None:
    settings.RECTORATE_SEARCH_BACKEND = "tantivy"
    settings.RECTORATE_SEARCH_INDEX_DIR = tmp_path / "index"
    drafts(staff, org, 2)
    assert drain().ok
    _token, secret = ApiToken.issue(user=staff[Role.DEAN], name="query counts")
    api = TokenClient(secret)

    def grow() -> None:
        drafts(staff, org, 25)
        assert drain().ok

    first, second = assert_constant(
        lambda: api.get("/api/v1/search", q="графике", size=50), grow, django_assert_num_queries
    )
    assert len(first.json()["hits"]) == 2 and len(second.json()["hits"]) == 27


def test_scholarship_orders_page_queries_do_not_grow_with_the_orders(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    side = Side(org.group, org.faculty)

    def orders(count: int) -> None:
        for _i in range(count):
            person = _student(staff, side)
            document_create(
                by=staff[Role.REGISTRAR],
                kind="scholarship_order",
                org_unit=org.faculty,
                title="Стипендия",
                data=_scholarship(person, side, org.faculty.code),
            )

    orders(1)
    client.force_login(staff[Role.REGISTRAR])
    first, second = assert_constant(
        lambda: client.get("/admin/scholarship/"), lambda: orders(8), django_assert_num_queries
    )
    assert len(first.context["rows"]) == 1 and len(second.context["rows"]) == 9


def assert_same(
    get_small: Callable[[], Any], get_large: Callable[[], Any], django_assert_num_queries: Any
) -> None:
    """Two pages of the same view, one showing few rows and one many: the same number of queries."""
    get_small()
    get_large()  # warm both (first visits create profile and session rows)
    small, _response = count_queries(get_small)
    with django_assert_num_queries(small):
        assert get_large().status_code == 200


def test_ltv_page_queries_do_not_grow_with_the_registered_documents(
    client: Any, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    from records.projections.bulk import document_register_directly

    def registered(count: int) -> None:
        for i in range(count):
            document_register_directly(
                by=users[Role.REGISTRAR],
                kind="internal_order",
                org_unit=org.faculty,
                title=f"П{i}",
                data=DATA,
            )

    registered(1)
    client.force_login(users[Role.AUDITOR])
    users[Role.AUDITOR].user_permissions.add(Permission.objects.get(codename="access_admin"))
    first, second = assert_constant(
        lambda: client.get("/admin/signing/ltv/"), lambda: registered(10), django_assert_num_queries
    )
    assert len(first.context["rows"]) == 1 and len(second.context["rows"]) == 11


def test_batch_signing_page_queries_do_not_grow_with_the_failures(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The batch page lists the documents that failed, each with its reason and link."""
    rector = staff[Role.RECTOR]
    job = Job.objects.create(kind="batch_sign", created_by=rector, state=Job.State.FAILED)

    def fail(count: int) -> None:
        for document in drafts(staff, org, count):
            job.results[str(document.pk)] = "Не подписан"
        job.save(update_fields=["results"])

    fail(1)
    client.force_login(rector)
    first, second = assert_constant(
        lambda: client.get(f"/admin/signing/batch/{job.pk}/"), lambda: fail(10), django_assert_num_queries
    )
    assert len(first.context["failures"]) == 1 and len(second.context["failures"]) == 11


def test_scholarship_order_page_queries_do_not_grow_with_the_awarded(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    side = Side(org.group, org.faculty)

    def order(awarded: int) -> Document:
        people = [_student(staff, side) for _i in range(awarded)]
        data = _scholarship(people[0], side, org.faculty.code)
        data["awarded"] = [{**data["awarded"][0], "iin": p.iin, "name": p.full_name()} for p in people]
        data["total_amount"] = 41_000 * awarded
        return document_create(
            by=staff[Role.REGISTRAR], kind="scholarship_order", org_unit=org.faculty, title="С", data=data
        )

    one, many = order(1), order(12)
    client.force_login(staff[Role.REGISTRAR])
    assert_same(
        lambda: client.get(f"/admin/scholarship/{one.pk}/"),
        lambda: client.get(f"/admin/scholarship/{many.pk}/"),
        django_assert_num_queries,
    )
    assert client.get(f"/admin/scholarship/{many.pk}/").content.decode().count("41") >= 12


def test_diploma_book_queries_do_not_grow_with_the_entries(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    from tests.records.diplomas.test_refusals import _diploma_entry

    numbers = iter(range(1, 100))

    def entries(count: int) -> None:
        for _i in range(count):
            _diploma_entry(staff, org, number=next(numbers))

    entries(1)
    client.force_login(staff[Role.REGISTRAR])
    first, second = assert_constant(
        lambda: client.get("/admin/diplomas/book/"), lambda: entries(10), django_assert_num_queries
    )
    assert (
        len(first.context["page_obj"].object_list) == 1 and len(second.context["page_obj"].object_list) == 11
    )


def test_template_pages_queries_do_not_grow_with_the_versions(
    client: Any, staff: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """The templates page (every kind and language with its active version) and one slot's history."""
    from tests.records.templates.conftest import order_template, upload_post

    client.force_login(staff[Role.ADMINISTRATOR])
    uploaded = iter(range(100))

    def upload(count: int) -> None:
        for _i in range(count):
            marker = f"Вариант {next(uploaded)}"
            for language in ("ru", "kk"):
                assert upload_post(client, order_template(marker), language=language).status_code == 302
        client.get("/admin/templates/")  # shows (and so clears) the uploads' messages kept in the session

    upload(1)
    history = "/admin/templates/kinds/internal_order/ru/"
    first, second = assert_constant(lambda: client.get(history), lambda: upload(5), django_assert_num_queries)
    assert len(first.context["versions"]) == 1 and len(second.context["versions"]) == 6
    assert_constant(lambda: client.get("/admin/templates/"), lambda: upload(3), django_assert_num_queries)


def test_statements_due_page_queries_do_not_grow_with_the_groups(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The teacher's start page: every discipline of this term in every group of a registered curriculum."""
    from records.models import StudyGroup
    from records.projections.bulk import document_register_directly
    from tests.records.academic.conftest import curriculum

    client.force_login(staff[Role.TEACHER])
    term = client.get("/admin/statements/").context["term"]
    document_register_directly(
        by=staff[Role.REGISTRAR],
        kind="working_curriculum",
        org_unit=org.department,
        title="РУП",
        data={**curriculum(), "intake_year": term.year},
    )
    made = iter(range(1, 100))

    def groups(count: int) -> None:
        for _i in range(count):
            StudyGroup.objects.create(
                code=f"IS-{term.year % 100}-{next(made)}", programme=org.programme, intake_year=term.year
            )

    groups(1)
    first, second = assert_constant(
        lambda: client.get("/admin/statements/"), lambda: groups(5), django_assert_num_queries
    )
    per_group = len(first.context["rows"])
    assert per_group >= 5 and len(second.context["rows"]) == 6 * per_group


def graduation_order(staff: dict[str, Any], org: Any, effective_date: str = "") -> dict[str, Any]:
    """A graduation order registered in bulk for a new admitted student of the test group; its data."""
    from records.projections.bulk import document_register_directly
    from tests.records.drafts import CASES

    kind = "student_order_graduation"
    data = CASES[kind].data(staff, Side(org.group, org.faculty), org)[0]
    data["effective_date"] = effective_date or data["effective_date"]
    document_register_directly(
        by=staff[Role.REGISTRAR], kind=kind, org_unit=org.faculty, title="В", data=data
    )
    return data


def test_diplomas_page_queries_do_not_grow_with_the_cohorts(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The diplomas page lists graduation cohorts (group and date of the graduation orders)."""
    import datetime as dt

    days = iter(range(100))

    def cohorts(count: int) -> None:
        for _i in range(count):
            graduation_order(staff, org, (dt.date(2026, 6, 1) + dt.timedelta(days=next(days))).isoformat())

    cohorts(1)
    client.force_login(staff[Role.REGISTRAR])
    first, second = assert_constant(
        lambda: client.get("/admin/diplomas/"), lambda: cohorts(6), django_assert_num_queries
    )
    assert len(first.context["cohorts"]) == 1 and len(second.context["cohorts"]) == 7


def test_cohort_preview_queries_do_not_grow_with_the_graduates(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The preview of one cohort: each graduate with their transcript, honours and refusal reasons."""
    date = ""

    def graduates(count: int) -> None:
        nonlocal date
        for _i in range(count):
            date = graduation_order(staff, org)["effective_date"]

    graduates(1)
    client.force_login(staff[Role.REGISTRAR])
    url = f"/admin/diplomas/cohort/?group={org.group.code}&date={date}"
    first, second = assert_constant(lambda: client.get(url), lambda: graduates(6), django_assert_num_queries)
    assert len(first.context["preview"].graduates) == 1 and len(second.context["preview"].graduates) == 7


def test_signing_pages_queries_do_not_grow_with_the_signatures(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """A grade statement's verification report (signatures read from its PDF) after one signature and two."""
    from records.demo.pki import bootstrap_pki, demo_passphrase
    from records.services.signature import document_sign
    from tests.conftest import walk_route
    from tests.records.drafts import CASES

    data = CASES["grade_statement"].data(staff, Side(org.group, org.faculty), org)[0]
    document = document_create(
        by=staff[Role.TEACHER], kind="grade_statement", org_unit=org.department, title="В", data=data
    )
    document = walk_route(staff, document, approver=Role.HEAD_OF_DEPARTMENT, until=State.SIGNING)
    teacher, head = staff[Role.TEACHER], staff[Role.HEAD_OF_DEPARTMENT]
    bootstrap_pki(usernames={teacher.username, head.username})
    document_sign(document=document, by=teacher, passphrase=demo_passphrase(teacher.username))
    client.force_login(staff[Role.REGISTRAR])

    def second_signature() -> None:
        document_sign(document=document, by=head, passphrase=demo_passphrase(head.username))

    report = f"/admin/signing/documents/{document.pk}/verification/"
    first, second = assert_constant(lambda: client.get(report), second_signature, django_assert_num_queries)
    assert len(second.context["report"]["signatures"]) == len(first.context["report"]["signatures"]) + 1


def test_diploma_batch_page_queries_do_not_grow_with_the_entries(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """A diploma batch's page lists every book entry it made with the states of its two documents."""
    from tests.records.diplomas.test_refusals import _diploma_entry

    data = graduation_order(staff, org)
    job = Job.objects.create(
        kind="diploma_batch",
        created_by=staff[Role.REGISTRAR],
        state=Job.State.DONE,
        params={"group_code": org.group.code, "date": data["effective_date"]},
    )
    numbers = iter(range(1, 100))

    def entries(count: int) -> None:
        for _i in range(count):
            entry = _diploma_entry(staff, org, number=next(numbers))
            entry.batch = job
            entry.save(update_fields=["batch"])

    entries(1)
    client.force_login(staff[Role.REGISTRAR])
    url = f"/admin/diplomas/batch/{job.pk}/"
    first, second = assert_constant(lambda: client.get(url), lambda: entries(8), django_assert_num_queries)
    assert len(first.context["rows"]) == 1 and len(second.context["rows"]) == 9


def test_statement_editor_queries_do_not_grow_with_the_lines(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The grid of a draft grade statement: one line per student of the group."""
    from tests.records.drafts import _statement

    side = Side(org.group, org.faculty)

    def statement(students: int, code: str) -> Document:
        people = [_student(staff, side) for _i in range(students)]
        data = _statement(people[0], side)
        data["discipline_code"] = code
        data["lines"] = [{**data["lines"][0], "student_iin": person.iin} for person in people]
        return document_create(
            by=staff[Role.TEACHER], kind="grade_statement", org_unit=org.department, title=code, data=data
        )

    small, large = statement(1, "MAT101"), statement(8, "PHY101")
    client.force_login(staff[Role.TEACHER])
    assert_same(
        lambda: client.get(f"/admin/statements/{small.pk}/edit/"),
        lambda: client.get(f"/admin/statements/{large.pk}/edit/"),
        django_assert_num_queries,
    )
    assert client.get(f"/admin/statements/{small.pk}/edit/").context["rows_count"] == 1
    assert client.get(f"/admin/statements/{large.pk}/edit/").context["rows_count"] == 8


def test_student_lookup_queries_do_not_grow_with_the_matches(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The back office's student picker answers with every match's name, group and IIN."""
    side = Side(org.group, org.faculty)

    def students(count: int) -> None:
        for _i in range(count):
            _student(staff, side)

    students(1)
    client.force_login(staff[Role.DEAN])
    url = "/admin/registry/students/lookup/?kind=student_order_expulsion&q=Тест"
    first, second = assert_constant(lambda: client.get(url), lambda: students(9), django_assert_num_queries)
    assert len(second.json()["results"]) == len(first.json()["results"]) + 9


def test_portal_queries_do_not_grow_with_the_students_grades(
    client: Any, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The student's home page shows their transcript: one line per registered grade."""
    from records.kinds.student_order import kind_code
    from records.projections.bulk import document_register_directly
    from tests.records.drafts import ORDER_DATA, _register, _statement

    side = Side(org.group, org.faculty)
    person = Person.objects.get(user=users[Role.STUDENT])
    _register(users, side, kind_code("enrollment"), ORDER_DATA["enrollment"][1](person, side))
    disciplines = iter(range(1, 100))

    def grades(count: int) -> None:
        for _i in range(count):
            data = {**_statement(person, side), "discipline_code": f"D{next(disciplines):02d}"}
            document_register_directly(
                by=users[Role.REGISTRAR],
                kind="grade_statement",
                org_unit=org.department,
                title="В",
                data=data,
            )

    grades(1)
    client.force_login(users[Role.STUDENT])
    first, second = assert_constant(
        lambda: cold(client, "/portal/"), lambda: grades(8), django_assert_num_queries
    )
    assert first.context["transcript"] is not None
    # a transcript cell starts with the discipline code (random codes elsewhere on the page may hold "D0")
    assert second.content.decode().count("<td>D0") == first.content.decode().count("<td>D0") + 8


@pytest.mark.parametrize(
    "model",
    ["orgunit", "programme", "studygroup", "person", "roleassignment"],
)
def test_university_lists_queries_do_not_grow_with_the_rows(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any, model: str
) -> None:
    """The administrator's lists of units, programmes, groups, people and roles (each row names its
    parent, department, programme, group or person and unit)."""
    from records.models import OrgUnit, Programme, RoleAssignment, StudyGroup
    from tests.factories import make_person

    made = iter(range(1, 1000))

    def rows(count: int) -> None:
        for _i in range(count):
            n = next(made)
            department = OrgUnit.objects.create(
                code=f"dep-q{n}", kind="department", parent=org.faculty, name_kk="К", name_ru="К", name_en="D"
            )
            programme = Programme.objects.create(
                code=f"6B99{n:03d}",
                level="bachelor",
                department=department,
                name_kk="П",
                name_ru="П",
                name_en="P",
            )
            group = StudyGroup.objects.create(code=f"Q-{n}", programme=programme, intake_year=2024)
            person = make_person(kind="student", group=group)
            RoleAssignment.objects.create(person=person, role=Role.HEAD_OF_DEPARTMENT, org_unit=department)

    rows(1)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", "root@example.kz", "pw"))
    url = f"/admin/snippets/records/{model}/"
    first, second = assert_constant(lambda: client.get(url), lambda: rows(8), django_assert_num_queries)
    rows_before, rows_after = (r.context["page_obj"].paginator.count for r in (first, second))
    assert rows_after == rows_before + 8 and len(second.context["object_list"]) > len(
        first.context["object_list"]
    )
