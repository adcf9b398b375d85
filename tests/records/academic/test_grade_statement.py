"""Exam grade statements: computed columns, bad lines named, second statements, projection."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from records.errors import RecordsError
from records.models import Document, Person, Role
from records.models.academic import GradeLine, StudentGpa
from records.services.document import document_create, document_transition
from tests.factories import make_person
from tests.records.academic.conftest import bulk, curriculum, line, register, statement


def _create(users: dict[str, Any], org: Any, data: dict[str, Any]) -> Document:
    return document_create(
        by=users[Role.TEACHER], kind="grade_statement", org_unit=org.department, title="Ведомость", data=data
    )


def test_computed_columns_are_stored(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    a, b, c = students
    doc = _create(
        users, org, statement(org, [line(a, 90, 100, 95), line(b, 40, 50, None), line(c, 60, 60, 30)])
    )
    lines = doc.current_version.data["lines"]  # type: ignore[union-attr]
    assert doc.current_version.data["policy_version"] == "default"  # type: ignore[union-attr]
    assert (
        lines[0]["admission_rating"],
        lines[0]["final_percent"],
        lines[0]["letter"],
        lines[0]["points"],
    ) == (
        "95",
        "95",
        "A",
        "4.0",
    )
    # The statement is in Russian: the name as the Russian document writes it, whoever types it.
    assert lines[0]["traditional_mark"] == 5 and lines[0]["student_name"] == a.full_name("ru")
    assert lines[1]["admitted"] is False and lines[1]["letter"] == "" and lines[1]["not_admitted_reason"]
    assert (lines[2]["letter"], lines[2]["final_percent"]) == ("FX", "30")


@pytest.mark.parametrize(
    ("mutate", "code", "needle"),
    [
        (lambda s, o: s["lines"][1].update(exam=101), "bad_line", "Line 2"),
        (lambda s, o: s["lines"][0].update(rating1=-1), "bad_line", "Line 1"),
        (lambda s, o: s["lines"][1].update(rating1=10, rating2=10, exam=70), "bad_line", "Line 2"),
        (lambda s, o: s["lines"].append(dict(s["lines"][0])), "bad_line", "Line 3"),
        (lambda s, o: s["lines"][1].update(student_iin="000101599999"), "bad_line", "Line 2"),
        (lambda s, o: s.update(group_code="NO-SUCH"), "unknown_group", "NO-SUCH"),
        (lambda s, o: s.update(lines=[]), "invalid_data", "Lines"),
        (lambda s, o: s.update(attempt_kind="amendment"), "invalid_data", "amendment"),
        (
            lambda s, o: s.update(attempt_kind="amendment", amends_number="ВЕД-1", reason="Ошибка"),
            "amended_statement_missing",
            "ВЕД-1",
        ),
        (lambda s, o: s.update(attempt_kind="retake"), "retake_not_allowed", "Line 1"),
    ],
)
def test_bad_statements_are_refused(
    users: dict[str, Any], org: Any, students: list[Person], mutate: Any, code: str, needle: str
) -> None:
    a, b, _c = students
    data = statement(org, [line(a, 80, 80, 80), line(b, 70, 70, 70)])
    mutate(data, org)
    before = Document.objects.count()
    with pytest.raises(RecordsError) as info:
        _create(users, org, data)
    assert info.value.code == code
    assert needle in info.value.message
    assert Document.objects.count() == before


def test_student_of_another_group_is_named(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    stranger = make_person(kind=Person.Kind.STUDENT)
    with pytest.raises(RecordsError) as info:
        _create(users, org, statement(org, [line(students[0], 80, 80, 80), line(stranger, 80, 80, 80)]))
    assert "Line 2" in info.value.message and stranger.full_name() in info.value.message


def test_second_statement_retake_and_amendment(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    a, b, c = students
    first = bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(a, 80, 80, 90), line(b, 60, 60, 30), line(c, 60, 60, 10)]),
    )
    with pytest.raises(RecordsError) as info:
        _create(users, org, statement(org, [line(a, 80, 80, 95)]))
    assert info.value.code == "statement_exists" and first.registry_number in info.value.message
    with pytest.raises(RecordsError) as info:
        _create(users, org, statement(org, [line(b, 60, 60, 70), line(a, 80, 80, 95)], attempt_kind="retake"))
    assert info.value.code == "retake_not_allowed" and "Line 2" in info.value.message
    bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(b, 60, 60, 70)], attempt_kind="retake", exam_date="2025-01-20"),
    )
    b_lines = GradeLine.objects.filter(person=b).order_by("registered_at")
    assert [(x.letter, x.counts, x.is_retake) for x in b_lines] == [("FX", False, False), ("C-", True, True)]
    amendment = statement(
        org,
        [line(c, 60, 60, 55)],
        attempt_kind="amendment",
        amends_number=first.registry_number,
        reason="Ошибка подсчёта",
    )
    amend = bulk(users, org, "grade_statement", amendment)
    c_lines = GradeLine.objects.filter(person=c).order_by("registered_at")
    assert [(x.letter, x.in_effect, x.counts) for x in c_lines] == [("F", False, False), ("D+", True, True)]
    gpa = StudentGpa.objects.get(person=c)
    assert (gpa.term_gpa, gpa.cumulative_gpa, gpa.term_credits) == (Decimal("1.33"), Decimal("1.33"), 5)
    from records.projections.grades import unproject_statement

    unproject_statement(amend, amend.current_version)  # type: ignore[arg-type]
    assert StudentGpa.objects.get(person=c).term_gpa == Decimal("0.00")
    assert [x.in_effect for x in GradeLine.objects.filter(person=c)] == [True]


def test_registered_statement_projects_and_revocation_removes(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    a, b, _c = students
    doc = register(users, org, "grade_statement", statement(org, [line(a, 80, 90, 90), line(b, 50, 60, 40)]))
    rows = {g.person_id: g for g in GradeLine.objects.filter(document=doc)}
    assert (rows[a.pk].letter, rows[a.pk].points, rows[a.pk].policy_version) == (
        "B+",
        Decimal("3.33"),
        "default",
    )
    assert rows[b.pk].letter == "FX"
    gpa = StudentGpa.objects.get(person=a)
    assert (gpa.term_year, gpa.term_period, gpa.term_gpa, gpa.cumulative_gpa) == (
        2024,
        1,
        Decimal("3.33"),
        Decimal("3.33"),
    )
    document_transition(document=doc, by=users[Role.REGISTRAR], name="revoke", reason="Неверная группа")
    assert not GradeLine.objects.exists() and not StudentGpa.objects.exists()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"discipline_code": "D10"}, None),
        ({"discipline_code": "NOPE"}, "discipline_not_in_curriculum"),
        ({"discipline_code": "D20"}, "discipline_not_in_term"),
        ({"discipline_code": "D10", "credits": 6}, "credits_differ"),
        ({"discipline_code": "D20", "period": 3, "exam_date": "2025-07-10"}, None),
    ],
)
def test_statement_follows_the_registered_curriculum(
    users: dict[str, Any], org: Any, students: list[Person], extra: dict[str, Any], code: str | None
) -> None:
    data = statement(org, [line(students[0], 80, 80, 80)], **extra)
    _create(users, org, data)  # no curriculum registered yet: nothing to check against
    bulk(users, org, "working_curriculum", curriculum())
    data["academic_year"] = 2024
    if code is None:
        assert _create(users, org, data).current_version is not None
        return
    with pytest.raises(RecordsError) as info:
        _create(users, org, data)
    assert info.value.code == code and data["discipline_code"] in info.value.message
