"""Authority follows the subject (DESIGN law 9): a document naming students, groups or programmes is
drafted and approved only by people whose scope covers every one of them, and owned by a unit that
covers them.

Table-driven: every kind that names subjects × the subject in or out of the actor's scope × the
back office and the API. The actor holds a creator role of the kind scoped below the university
(a teacher or head of the department, the dean or a faculty registrar of one faculty); the subject
out of scope belongs to a department of another faculty.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from records.errors import RecordsError
from records.kinds.base import all_kinds, get_kind
from records.kinds.student_order import kind_code
from records.models import (
    ApiToken,
    AuditEvent,
    Document,
    OrgUnit,
    Programme,
    Role,
    StudyGroup,
)
from records.services.document import (
    _document_insert,
    document_create,
    document_transition,
    document_update_draft,
)
from tests.factories import make_staff
from tests.records.drafts import (
    CASES,
    Side,
    _order,
    _register,
    _statement,
    _student,
)

NEW = "/admin/registry/documents/new/"


@pytest.fixture
def sides(org: Any) -> dict[str, Side]:
    """ "in": the actors' own faculty (fac-it / dep-cs); "out": a department of the other faculty."""
    dep_law = OrgUnit.objects.create(
        code="dep-law",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=org.other_faculty,
        name_kk="Құқық кафедрасы",
        name_ru="Кафедра права",
        name_en="Department of Law",
    )
    law = Programme.objects.create(
        code="6B04201",
        level=Programme.Level.BACHELOR,
        department=dep_law,
        name_kk="Құқықтану",
        name_ru="Юриспруденция",
        name_en="Law",
    )
    group = StudyGroup.objects.create(code="LAW-24-1", programme=law, intake_year=2024, language="ru")
    return {"in": Side(org.group, org.faculty), "out": Side(group, org.other_faculty)}


@pytest.fixture
def actors(users: dict[str, Any], org: Any) -> dict[str, Any]:
    """Users of `users` plus a registrar of one faculty, all with access to the back office."""
    actors = dict(users)
    actors["faculty_registrar"] = make_staff("faculty_registrar", Role.REGISTRAR, org.faculty)
    actors["faculty_archivist"] = make_staff("faculty_archivist", Role.ARCHIVIST, org.faculty)
    access = Permission.objects.get(codename="access_admin")
    for user in actors.values():
        user.user_permissions.add(access)
    return actors


def test_every_kind_that_names_subjects_is_in_the_table() -> None:
    """A new kind that names students, groups or programmes gets its row here."""
    assert {kind.code for kind in all_kinds() if kind.subjects is not None} == set(CASES)


def _form_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The back office's schema-generated form fields for `data`."""
    fields: dict[str, Any] = {}
    for name in get_kind(kind).schema.model_fields:
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if isinstance(value, bool):
            if value:
                fields[f"data__{name}"] = "on"
        elif isinstance(value, dict | list):
            fields[f"data__{name}"] = json.dumps(value, ensure_ascii=False)
        else:
            fields[f"data__{name}"] = str(value)
    return fields


def _draft_back_office(actor: Any, kind: str, unit: OrgUnit, data: dict[str, Any]) -> tuple[bool, str]:
    client = Client()
    client.force_login(actor)
    fields = {"org_unit": unit.pk, "title": "Документ", **_form_fields(kind, data)}
    response = client.post(f"{NEW}?kind={kind}", fields)
    if response.status_code == 302:
        return True, ""
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    assert message in response.content.decode().replace("&#x27;", "'")  # shown on the page
    return False, message


def _draft_api(actor: Any, kind: str, unit: OrgUnit, data: dict[str, Any]) -> tuple[bool, str]:
    _token, key = ApiToken.issue(user=actor, name="scope test")
    body = {"kind": kind, "org_unit": unit.pk, "title": "Документ", "data": data}
    response = Client().post(
        "/api/v1/documents",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    if response.status_code == 201:
        return True, ""
    assert response.status_code == 403, (response.status_code, response.content)
    answer = response.json()
    assert answer["code"] == "subject_out_of_scope"
    return False, answer["message"]


PATHS = {"back_office": _draft_back_office, "api": _draft_api}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("where", ["in", "out"])
@pytest.mark.parametrize("kind", list(CASES))
def test_drafting_follows_the_subject(
    actors: dict[str, Any], org: Any, sides: dict[str, Side], kind: str, where: str, path: str
) -> None:
    """In scope: the draft is created. Out of scope: refused, naming whom and why, nothing written."""
    case = CASES[kind]
    data, name = case.data(actors, sides[where], org)
    documents, events = Document.objects.count(), AuditEvent.objects.count()
    created, message = PATHS[path](actors[case.actor], kind, case.unit(org), data)
    if where == "in":
        assert created, f"{kind} in scope was refused"
        assert Document.objects.count() == documents + 1
        return
    assert not created
    if "No student with this IIN is within your scope." in message:
        # The back office's IIN field (journeys) refuses an out-of-scope IIN before the service, and
        # deliberately does not reveal whose it is; the service's message names them (the API path).
        assert path == "back_office"
    else:
        assert name in message and "outside your scope" in message
    assert (Document.objects.count(), AuditEvent.objects.count()) == (documents, events)


def _draft_as_registrar(
    actors: dict[str, Any], org: Any, kind: str, unit: OrgUnit, data: dict[str, Any]
) -> Document:
    return document_create(by=actors[Role.REGISTRAR], kind=kind, org_unit=unit, title=kind, data=data)


def test_the_issue_reproduction_teacher_statement_for_another_faculty(
    actors: dict[str, Any], org: Any, sides: dict[str, Side]
) -> None:
    """The teacher of dep-cs drafting a statement for a group of the law faculty is refused by the service."""
    person = _student(actors, sides["out"])
    with pytest.raises(RecordsError) as info:
        document_create(
            by=actors[Role.TEACHER],
            kind="grade_statement",
            org_unit=org.department,
            title="Ведомость",
            data=_statement(person, sides["out"]),
        )
    assert info.value.code == "subject_out_of_scope"
    assert "group LAW-24-1" in info.value.message and "outside your scope" in info.value.message
    # A statement naming the teacher's own group but a student of the other faculty names the student.
    inside = _student(actors, sides["in"])
    data = _statement(inside, sides["in"])
    data["lines"].append({"student_iin": person.iin, "rating1": "80", "rating2": "80", "exam": "80"})
    with pytest.raises(RecordsError) as info:
        document_create(
            by=actors[Role.TEACHER], kind="grade_statement", org_unit=org.department, title="В", data=data
        )
    assert info.value.code == "subject_out_of_scope" and person.full_name() in info.value.message


def test_the_owning_unit_must_cover_the_subject(
    actors: dict[str, Any], org: Any, sides: dict[str, Side]
) -> None:
    """Even the university registrar cannot file an expulsion of a law student under the IT faculty,
    where the student's own dean would not see it."""
    person = _student(actors, sides["out"])
    data = _order(person, "2025-02-01", grounds="Неуспеваемость")
    with pytest.raises(RecordsError) as info:
        _draft_as_registrar(actors, org, kind_code("expulsion"), org.faculty, data)
    assert info.value.code == "subject_outside_unit"
    assert person.full_name() in info.value.message and org.faculty.name in info.value.message
    doc = _draft_as_registrar(actors, org, kind_code("expulsion"), org.other_faculty, data)
    assert doc.org_unit == org.other_faculty


def test_editing_a_draft_to_name_an_outsider_is_refused(
    actors: dict[str, Any], org: Any, sides: dict[str, Side]
) -> None:
    inside = _student(actors, sides["in"])
    outside = _student(actors, sides["out"])
    dean = actors[Role.DEAN]
    doc = document_create(
        by=dean,
        kind=kind_code("expulsion"),
        org_unit=org.faculty,
        title="Отчисление",
        data=_order(inside, "2025-02-01", grounds="Неуспеваемость"),
    )
    with pytest.raises(RecordsError) as info:
        document_update_draft(
            document=doc,
            by=dean,
            lock_version=doc.lock_version,
            data=_order(outside, "2025-02-01", grounds="Неуспеваемость"),
        )
    assert info.value.code == "subject_out_of_scope" and outside.full_name() in info.value.message
    doc.refresh_from_db()
    assert doc.current_version.data["student_iin"] == inside.iin


def test_approval_checks_the_subjects_again(actors: dict[str, Any], org: Any, sides: dict[str, Side]) -> None:
    """A student transferred to another faculty after the order was drafted: the approver of the old
    faculty is refused, naming the student, and the order stays in review."""
    person = _student(actors, sides["in"])
    doc = document_create(
        by=actors[Role.REGISTRAR],
        kind=kind_code("academic_leave"),
        org_unit=org.faculty,
        title="Академический отпуск",
        data=_order(person, "2025-03-01", leave_grounds="illness", end_date="2026-02-01"),
    )
    doc = document_transition(document=doc, by=actors[Role.REGISTRAR], name="submit")
    _register(
        actors,
        sides["in"],
        kind_code("transfer"),
        _order(
            person,
            "2025-02-01",
            group_code=sides["out"].group.code,
            programme_code=sides["out"].group.programme.code,
        ),
    )
    with pytest.raises(RecordsError) as info:
        document_transition(document=doc, by=actors[Role.DEAN], name="approve")
    assert info.value.code == "subject_out_of_scope"
    assert person.full_name() in info.value.message
    doc.refresh_from_db()
    assert doc.state == "review" and not doc.registry_number
    # The vice-rector (the whole university) approving it is refused too: the order's unit is the
    # old faculty, where the student's new dean would not see it.
    with pytest.raises(RecordsError) as info:
        document_transition(document=doc, by=actors[Role.VICE_RECTOR], name="approve")
    assert info.value.code == "subject_outside_unit"


def test_approval_through_the_api_is_refused_with_403(
    actors: dict[str, Any], org: Any, sides: dict[str, Side]
) -> None:
    """A draft that names an outsider (filed before the rule existed) cannot be approved by the dean."""
    outside = _student(actors, sides["out"])
    data = _order(outside, "2025-02-01", grounds="Неуспеваемость")
    doc = _document_insert(
        by=actors["faculty_registrar"],
        kind=kind_code("expulsion"),
        org_unit=org.faculty,
        title="Old",
        data=data,
    )
    Document.objects.filter(pk=doc.pk).update(state="review")
    doc.refresh_from_db()
    _token, key = ApiToken.issue(user=actors[Role.DEAN], name="approve")
    events = AuditEvent.objects.count()
    response = Client().post(
        f"/api/v1/documents/{doc.pk}/transitions/approve",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "subject_out_of_scope"
    assert outside.full_name() in response.json()["message"]
    assert AuditEvent.objects.count() == events
    assert Document.objects.get(pk=doc.pk).state == "review"
