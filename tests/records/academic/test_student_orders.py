"""Orders on students: schemas, contradictions named by student, projection and its undoing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.kinds.student_order import kind_code
from records.models import Document, Person, Role
from records.models.academic import Student, StudentStatusEvent
from records.projections.students import state_on
from records.services.document import document_create, document_transition
from tests.records.academic.conftest import bulk_order, enrollment, order, register

IIN = "000101500011"
BASE = {"student_iin": IIN, "effective_date": "2025-02-01"}


@pytest.mark.parametrize(
    ("order_type", "data", "ok"),
    [
        ("enrollment", {**BASE, "programme_code": "P", "group_code": "G", "funding": "paid"}, True),
        ("enrollment", {**BASE, "programme_code": "P", "group_code": "G", "funding": "free"}, False),
        ("enrollment", {**BASE, "group_code": "G", "funding": "paid"}, False),
        (
            "enrollment",
            {**BASE, "student_iin": "123", "programme_code": "P", "group_code": "G", "funding": "paid"},
            False,
        ),
        ("transfer", {**BASE, "group_code": "G2"}, True),
        ("transfer", {**BASE}, False),
        ("academic_leave", {**BASE, "leave_grounds": "illness", "end_date": "2026-02-01"}, True),
        ("academic_leave", {**BASE, "leave_grounds": "illness", "end_date": "2025-01-01"}, False),
        ("academic_leave", {**BASE, "leave_grounds": "holiday", "end_date": "2026-02-01"}, False),
        ("return_from_leave", {**BASE}, True),
        ("expulsion", {**BASE, "grounds": "Академическая задолженность"}, True),
        ("expulsion", {**BASE}, False),
        ("reinstatement", {**BASE, "year_of_study": 2}, True),
        ("next_year", {**BASE}, True),
        ("next_year", {**BASE, "year_of_study": 1}, False),
        ("final_attestation_admission", {**BASE}, True),
        ("graduation", {**BASE, "degree_awarded": "Бакалавр информационных систем"}, True),
        ("graduation", {**BASE}, False),
    ],
)
def test_order_schemas(order_type: str, data: dict[str, Any], ok: bool) -> None:
    kind = get_kind(kind_code(order_type))
    if ok:
        assert kind.validate(data)["order_type"] == order_type
    else:
        with pytest.raises(RecordsError) as info:
            kind.validate(data)
        assert info.value.code == "invalid_data"


def test_history_and_contradictions_name_the_student(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    person = students[0]
    bulk_order(users, org, "enrollment", enrollment(person, org))
    bulk_order(
        users,
        org,
        "academic_leave",
        order("academic_leave", person, "2025-02-01", leave_grounds="illness", end_date="2026-02-01"),
    )
    record = Student.objects.get(person=person)
    assert (record.status, str(record.status_since), record.group_id) == (
        "on_leave",
        "2025-02-01",
        org.group.pk,
    )
    assert state_on(person, __import__("datetime").date(2025, 1, 1)).status == "enrolled"
    documents = Document.objects.count()
    cases = [
        (
            "academic_leave",
            order("academic_leave", person, "2025-03-01", leave_grounds="illness", end_date="2026-03-01"),
            "order_contradicts_state",
        ),
        ("enrollment", enrollment(person, org, "2025-03-01"), "order_contradicts_state"),
        ("return_from_leave", order("return_from_leave", person, "2025-01-15"), "order_out_of_sequence"),
        (
            "graduation",
            order("graduation", person, "2025-03-01", degree_awarded="Бакалавр"),
            "order_contradicts_state",
        ),
        (
            "transfer",
            order("transfer", person, "2025-03-01", group_code="NO-SUCH"),
            "order_contradicts_state",
        ),
    ]
    for order_type, data, code in cases:
        with pytest.raises(RecordsError) as info:
            document_create(
                by=users[Role.REGISTRAR],
                kind=kind_code(order_type),
                org_unit=org.faculty,
                title="x",
                data=data,
            )
        assert info.value.code == code, order_type
        assert person.iin in info.value.message and person.last_name_en in person.full_name("en")
    assert Document.objects.count() == documents


def test_expelling_a_graduate_is_refused(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    person = students[1]
    bulk_order(users, org, "enrollment", enrollment(person, org, "2021-09-01"))
    with pytest.raises(RecordsError) as info:
        bulk_order(
            users, org, "graduation", order("graduation", person, "2025-06-30", degree_awarded="Бакалавр")
        )
    assert info.value.code == "not_admitted_to_final_attestation"
    bulk_order(
        users, org, "final_attestation_admission", order("final_attestation_admission", person, "2025-05-01")
    )
    bulk_order(users, org, "graduation", order("graduation", person, "2025-06-30", degree_awarded="Бакалавр"))
    assert Student.objects.get(person=person).status == "graduated"
    with pytest.raises(RecordsError) as info:
        bulk_order(
            users, org, "expulsion", order("expulsion", person, "2025-07-01", grounds="Неуспеваемость")
        )
    assert info.value.code == "order_contradicts_state"
    assert person.iin in info.value.message
    assert StudentStatusEvent.objects.filter(person=person).count() == 3


def test_next_year_and_transfer_fold(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    person = students[2]
    bulk_order(users, org, "enrollment", enrollment(person, org, "2023-09-01"))
    bulk_order(users, org, "next_year", order("next_year", person, "2024-09-01"))
    bulk_order(users, org, "transfer", order("transfer", person, "2024-10-01", funding="paid"))
    record = Student.objects.get(person=person)
    assert (record.year_of_study, record.funding, record.status) == (2, "paid", "enrolled")


def test_registered_order_changes_status_and_revocation_undoes_it(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    person = students[0]
    enrolled = register(users, org, kind_code("enrollment"), enrollment(person, org))
    assert enrolled.subject_id == person.pk
    assert Student.objects.get(person=person).status == "enrolled"
    leave = register(
        users,
        org,
        kind_code("academic_leave"),
        order("academic_leave", person, "2025-02-01", leave_grounds="illness", end_date="2026-02-01"),
    )
    assert Student.objects.get(person=person).status == "on_leave"
    document_transition(document=leave, by=users[Role.RECTOR], name="revoke", reason="Ошибка в приказе")
    record = Student.objects.get(person=person)
    assert (record.status, str(record.status_since)) == ("enrolled", "2024-09-01")
    assert list(StudentStatusEvent.objects.filter(person=person).values_list("document_id", flat=True)) == [
        enrolled.pk
    ]


def test_submit_checks_again_against_what_was_registered_since(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    person = students[0]
    bulk_order(users, org, "enrollment", enrollment(person, org))
    leave = order("academic_leave", person, "2025-02-01", leave_grounds="illness", end_date="2026-02-01")
    draft = document_create(
        by=users[Role.REGISTRAR],
        kind=kind_code("academic_leave"),
        org_unit=org.faculty,
        title="x",
        data=leave,
    )
    bulk_order(users, org, "academic_leave", leave)  # someone else's leave order got registered first
    with pytest.raises(RecordsError) as info:
        document_transition(document=draft, by=users[Role.REGISTRAR], name="submit")
    assert info.value.code == "order_contradicts_state" and person.iin in info.value.message
    draft.refresh_from_db()
    assert draft.state == "draft" and not draft.current_version.frozen  # type: ignore[union-attr]


def test_next_year_needs_the_policy_gpa_and_no_open_fx(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    from tests.records.academic.conftest import bulk, line, statement

    good, weak, debtor = students
    for person in students:
        bulk_order(users, org, "enrollment", enrollment(person, org))
    bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(good, 90, 90, 90), line(weak, 60, 60, 55), line(debtor, 90, 90, 90)]),
    )
    spring = statement(
        org,
        [line(good, 80, 80, 80), line(weak, 55, 55, 50), line(debtor, 60, 60, 30)],
        discipline_code="PHY102",
        period=2,
        exam_date="2025-06-05",
    )
    bulk(users, org, "grade_statement", spring)
    bulk_order(users, org, "next_year", order("next_year", good, "2025-09-01"))
    assert Student.objects.get(person=good).year_of_study == 2
    for person, needle in ((weak, "below 1.80"), (debtor, "PHY102")):
        with pytest.raises(RecordsError) as info:
            bulk_order(users, org, "next_year", order("next_year", person, "2025-09-01"))
        assert info.value.code == "progression_refused"
        assert person.iin in info.value.message and needle in info.value.message


def test_admission_to_final_attestation_needs_every_discipline_passed(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    from tests.records.academic.conftest import bulk, curriculum, line, statement

    person = students[0]
    plan = curriculum()
    bulk(users, org, "working_curriculum", plan)
    bulk_order(users, org, "enrollment", enrollment(person, org, "2024-09-01"))
    admission = order("final_attestation_admission", person, "2028-05-20")
    with pytest.raises(RecordsError) as info:
        bulk_order(users, org, "final_attestation_admission", admission)
    assert info.value.code == "academic_debt" and person.iin in info.value.message
    assert "D11" in info.value.message and "D85" not in info.value.message  # D85 is the final attestation
    for semester in plan["semesters"]:
        number = semester["number"]
        year, period = 2024 + (number - 1) // 2, 1 + (number - 1) % 2
        exam_date = f"{year + 1}-01-10" if period == 1 else f"{year + 1}-06-05"
        for discipline in semester["disciplines"]:
            if discipline["control_form"] == "final_attestation" or discipline["code"] == "D83":
                continue
            bulk(
                users,
                org,
                "grade_statement",
                statement(
                    org,
                    [line(person, 90, 90, 90)],
                    discipline_code=discipline["code"],
                    discipline_name=discipline["name"],
                    academic_year=year,
                    period=period,
                    exam_date=exam_date,
                ),
            )
    with pytest.raises(RecordsError) as info:
        bulk_order(users, org, "final_attestation_admission", admission)
    assert info.value.message.endswith("D83.")  # the only debt left is named
    bulk(
        users,
        org,
        "grade_statement",
        statement(
            org,
            [line(person, 90, 90, 90)],
            discipline_code="D83",
            discipline_name="D83",
            academic_year=2027,
            period=2,
            exam_date="2028-06-05",
        ),
    )
    bulk_order(users, org, "final_attestation_admission", admission)
    # Registered now, in force from its effective date: the row shows it then, the history already does.
    assert not Student.objects.get(person=person).final_attestation_admitted
    assert state_on(person, dt.date(2028, 5, 20)).final_attestation_admitted
