"""A scholarship order goes through its route (real rendering, a real rector signature) and only a
registered order yields its payment list; a second order for the same term and scope is refused."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from doctemplates.provenance import pdf_text
from records.errors import RecordsError
from records.kinds.scholarship_order import check_no_duplicate
from records.models import AuditEvent, Document, Role
from records.permissions import may
from records.selectors.document import document_current_pdf
from records.services.document import document_transition
from records.services.scholarship import (
    ScholarshipRequest,
    scholarship_order_create,
    scholarship_payment_export,
)
from signing import api as signing_api
from tests.conftest import walk_route
from tests.records.scholarship.conftest import Registry, earlier_order

TERM = ScholarshipRequest(academic_year=2025, semester=1)
TOTAL = 54205 + 3 * 47135


def through_route(users: dict[str, Any], document: Document) -> Document:
    """Submit (registrar), approve (vice-rector: four eyes), send for signing, sign as the rector."""
    return walk_route(users, document, approver=Role.VICE_RECTOR)


def test_the_registered_order_gives_its_payment_list(complete: Registry, users: dict[str, Any]) -> None:
    registrar = users[Role.REGISTRAR]
    document = scholarship_order_create(by=registrar, request=TERM)
    assert document.state == "draft" and document.org_unit == complete.org.university
    with pytest.raises(RecordsError) as refused:
        scholarship_payment_export(by=registrar, pk=document.pk, file_format="xlsx")
    assert refused.value.code == "order_not_registered"
    assert not AuditEvent.objects.filter(action="scholarship.payment_export").exists()

    document = through_route(users, document)
    assert document.state == "registered" and document.registry_number.startswith("Б-СТ-")
    pdf = document_current_pdf(document)
    report = signing_api.verify(pdf)
    assert report.ok, report.problems
    text = " ".join(pdf_text(pdf).split())
    assert complete.people["excellent"].full_name("ru") in text
    assert complete.people["paid"].iin not in text  # only the awarded are listed in the order

    content, content_type, name = scholarship_payment_export(by=registrar, pk=document.pk, file_format="xlsx")
    assert name.endswith(".xlsx") and "spreadsheetml" in content_type
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4 + 1  # header, four awarded students, the total
    iins = {row[2] for row in rows[1:-1]}
    awarded = {"excellent", "good", "medical", "freshman"}
    assert iins == {complete.people[key].iin for key in awarded}
    assert [row[0] for row in rows[1:-1]] == [1, 2, 3, 4]
    assert sum(row[5] for row in rows[1:-1]) == TOTAL and rows[-1][5] == TOTAL
    excellent = next(row for row in rows if row[2] == complete.people["excellent"].iin)
    assert excellent[5] == 54205

    content, _type, _name = scholarship_payment_export(by=registrar, pk=document.pk, file_format="csv")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(lines) == 6 and lines[-1][5] == str(TOTAL)
    events = AuditEvent.objects.filter(action="scholarship.payment_export", document=document)
    assert [e.changes["format"] for e in events.order_by("id")] == ["xlsx", "csv"]
    assert events.first().changes["total"] == TOTAL  # type: ignore[union-attr]


def test_a_second_order_for_the_term_is_refused_until_the_first_is_revoked(
    complete: Registry, users: dict[str, Any]
) -> None:
    registrar = users[Role.REGISTRAR]
    registered = earlier_order(complete, complete.people["good"], academic_year=2025, semester=1)
    with pytest.raises(RecordsError) as duplicate:
        scholarship_order_create(by=registrar, request=TERM)
    assert duplicate.value.code == "scholarship_order_exists"
    assert registered.registry_number in duplicate.value.message
    # A faculty's order overlaps the university-wide one: refused too.
    faculty_request = ScholarshipRequest(2025, 1, faculty=complete.org.faculty)
    with pytest.raises(RecordsError) as overlapping:
        scholarship_order_create(by=registrar, request=faculty_request)
    assert overlapping.value.code == "scholarship_order_exists"
    document_transition(document=registered, by=registrar, name="revoke", reason="Ошибка в списке")
    faculty = scholarship_order_create(by=registrar, request=faculty_request)
    assert faculty.state == "draft" and faculty.org_unit == complete.org.faculty
    for request in (TERM, faculty_request):  # a draft counts, and it covers part of the university
        with pytest.raises(RecordsError) as draft_exists:
            scholarship_order_create(by=registrar, request=request)
        assert draft_exists.value.code == "scholarship_order_exists"
    # A department of that faculty overlaps it; another faculty does not.
    department = ScholarshipRequest(2025, 1, faculty=complete.org.department)
    with pytest.raises(RecordsError) as within:
        scholarship_order_create(by=registrar, request=department)
    assert within.value.code == "scholarship_order_exists"
    from records.models import OrgUnit

    elsewhere = OrgUnit.objects.exclude(path__startswith=complete.org.faculty.path).filter(
        kind__in=(OrgUnit.Kind.FACULTY, OrgUnit.Kind.DEPARTMENT)
    )
    assert elsewhere.exists()
    for unit in elsewhere:
        check_no_duplicate(2025, 1, unit.code)
    check_no_duplicate(2025, 2, "")  # another term is free


@pytest.mark.parametrize("role", [Role.DEAN, Role.RECTOR, Role.TEACHER, Role.STUDENT])
def test_only_the_registrar_creates_an_order(complete: Registry, users: dict[str, Any], role: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RecordsError):
        scholarship_order_create(by=users[role], request=TERM)
    assert AuditEvent.objects.count() == before
    assert not Document.objects.filter(kind="scholarship_order", state="draft").exists()


ROUTE_TABLE = [
    # (action, role, allowed) on a university-wide order drafted by the registrar
    ("approve", Role.REGISTRAR, False),  # four eyes: not the author
    ("approve", Role.VICE_RECTOR, True),
    ("approve", Role.DEAN, False),  # a dean does not even see a university-wide order
    ("approve", Role.TEACHER, False),
    ("sign", Role.RECTOR, True),
    ("sign", Role.VICE_RECTOR, False),
    ("sign", Role.REGISTRAR, False),
    ("revoke", Role.RECTOR, True),
    ("revoke", Role.REGISTRAR, True),
    ("revoke", Role.VICE_RECTOR, False),
    ("view", Role.DEAN, False),
    ("view", "other_dean", False),
    ("view", Role.STUDENT, False),
    ("view", Role.RECTOR, True),
]


@pytest.mark.parametrize(("action", "role", "allowed"), ROUTE_TABLE)
def test_the_route_table_of_a_scholarship_order(
    complete: Registry, users: dict[str, Any], action: str, role: str, allowed: bool
) -> None:
    document = scholarship_order_create(by=users[Role.REGISTRAR], request=TERM)
    assert may(users[role], action, document) is allowed


def test_a_dean_sees_the_order_of_their_faculty(complete: Registry, users: dict[str, Any]) -> None:
    document = scholarship_order_create(
        by=users[Role.REGISTRAR], request=ScholarshipRequest(2025, 1, faculty=complete.org.faculty)
    )
    assert may(users[Role.DEAN], "view", document) and may(users[Role.DEAN], "approve", document)
    assert not may(users["other_dean"], "view", document)
