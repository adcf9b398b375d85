"""Academic policy in force by date, working curriculum checks, final attestation protocol."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Document, Person, Role
from records.models.academic import GradeLine, Student, StudentGpa
from records.projections.policy import policy_book
from records.projections.replay import replay
from records.projections.students import state_on
from records.services.document import document_create, document_transition
from tests.records.academic.conftest import bulk, bulk_order, curriculum, enrollment, line, order, statement


def _policy(effective: str, fx_points: str = "0.5") -> dict[str, Any]:
    return {"effective_date": effective, "gpa": {"fx_points": fx_points}}


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        (_policy("2025-01-01"), True),
        ({"gpa": {"fx_points": "0.5"}}, False),
        (
            {"effective_date": "2025-01-01", "rating": {"admission_weight": "0.7", "exam_weight": "0.4"}},
            False,
        ),
        ({"effective_date": "2025-01-01", "unknown": 1}, False),
    ],
)
def test_policy_schema(data: dict[str, Any], ok: bool) -> None:
    kind = get_kind("academic_policy")
    if ok:
        assert kind.validate(data)["gpa"]["fx_points"] == "0.5"
    else:
        with pytest.raises(RecordsError):
            kind.validate(data)


def test_policy_applies_from_its_effective_date(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    a = students[0]
    bulk(users, org, "grade_statement", statement(org, [line(a, 60, 60, 30)]))  # FX in 2024/25-1
    spring = statement(org, [line(a, 60, 60, 40)], discipline_code="PHY102", period=2, exam_date="2025-05-30")
    bulk(users, org, "grade_statement", spring)  # FX in 2024/25-2
    gpas = {g.term_period: g for g in StudentGpa.objects.filter(person=a)}
    assert (gpas[1].term_gpa, gpas[2].term_gpa, gpas[2].policy_version) == (
        Decimal("0"),
        Decimal("0"),
        "default",
    )
    policy = bulk(users, org, "academic_policy", _policy("2025-01-01"))
    assert policy_book().at(dt.date(2024, 12, 31))[1] == "default"
    assert policy_book().at(dt.date(2025, 1, 1))[1] == str(policy.pk)
    gpas = {g.term_period: g for g in StudentGpa.objects.filter(person=a)}
    assert (gpas[1].term_gpa, gpas[1].policy_version) == (Decimal("0"), "default")
    assert (gpas[2].term_gpa, gpas[2].policy_version) == (Decimal("0.5"), str(policy.pk))
    assert gpas[2].cumulative_gpa == Decimal("0.5")  # the spring policy counts both FX for 0.5
    later = document_create(
        by=users[Role.TEACHER],
        kind="grade_statement",
        org_unit=org.department,
        title="x",
        data=statement(
            org, [line(a, 70, 70, 70)], discipline_code="CHE103", period=2, exam_date="2025-06-01"
        ),
    )
    assert later.current_version.data["policy_version"] == str(policy.pk)  # type: ignore[union-attr]
    assert replay(check=True).differs is False
    document_transition(document=policy, by=users[Role.RECTOR], name="revoke", reason="Ошибка")
    assert {g.policy_version for g in StudentGpa.objects.filter(person=a)} == {"default"}
    assert replay(check=True).differs is False


@pytest.mark.parametrize(
    ("mutate", "code", "needle"),
    [
        (lambda d: None, None, None),
        (lambda d: d["semesters"].pop(), "curriculum_breaks_policy", "240"),
        (lambda d: d["semesters"][2]["disciplines"][0].update(credits=3), "curriculum_breaks_policy", "D30"),
        (lambda d: d.update(programme_code="NOPE"), "unknown_programme", "NOPE"),
        (
            lambda d: d["semesters"][7]["disciplines"][5].update(control_form="exam"),
            "curriculum_breaks_policy",
            "",
        ),
        (lambda d: d["semesters"].reverse(), "bad_semesters", ""),
    ],
)
def test_curriculum_checked_against_policy(
    users: dict[str, Any], org: Any, mutate: Any, code: str | None, needle: str | None
) -> None:
    data = curriculum()
    mutate(data)
    create = lambda: document_create(  # noqa: E731
        by=users[Role.HEAD_OF_DEPARTMENT],
        kind="working_curriculum",
        org_unit=org.department,
        title="РУП",
        data=data,
    )
    if code is None:
        doc = create()
        assert doc.current_version.data["policy_version"] == "default"  # type: ignore[union-attr]
        return
    before = Document.objects.count()
    with pytest.raises(RecordsError) as info:
        create()
    assert info.value.code == code and (needle or "") in info.value.message
    assert Document.objects.count() == before


def _protocol(org: Any, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "form": "thesis_defence",
        "group_code": org.group.code,
        "academic_year": 2027,
        "date": "2028-06-10",
        "chair": "Председатель ГАК",
        "members": ["Член 1", "Член 2"],
        "lines": lines,
    }


def test_final_attestation_protocol(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    a, b, _c = students
    for person in (a, b):
        bulk_order(users, org, "enrollment", enrollment(person, org))
    bulk_order(
        users, org, "final_attestation_admission", order("final_attestation_admission", a, "2028-05-01")
    )
    with pytest.raises(RecordsError) as info:
        bulk(
            users,
            org,
            "final_attestation_protocol",
            _protocol(org, [{"student_iin": a.iin, "score": 90}, {"student_iin": b.iin, "score": 80}]),
        )
    assert "Line 2" in info.value.message and b.full_name() in info.value.message
    with pytest.raises(RecordsError) as info:
        bulk(users, org, "final_attestation_protocol", _protocol(org, [{"student_iin": a.iin, "score": 120}]))
    assert "Line 1" in info.value.message
    doc = bulk(
        users,
        org,
        "final_attestation_protocol",
        _protocol(org, [{"student_iin": a.iin, "score": 96, "topic": "Тема"}]),
    )
    fa = GradeLine.objects.get(document=doc)
    assert (fa.letter, fa.attempt_kind, fa.counts, fa.credits) == ("A", "final_attestation", True, 12)
    with pytest.raises(RecordsError):
        bulk(users, org, "final_attestation_protocol", _protocol(org, [{"student_iin": a.iin, "score": 70}]))
    honours = order("graduation", a, "2028-06-30", degree_awarded="Бакалавр", with_honours=True)
    with pytest.raises(RecordsError) as info:
        bulk_order(users, org, "graduation", honours)  # no course grades on record: no GPA
    assert info.value.code == "honours_refused" and a.iin in info.value.message
    bulk(users, org, "grade_statement", statement(org, [line(a, 90, 100, 100)]))
    bulk_order(users, org, "graduation", honours)
    # Graduated from the order's effective date (the row shows it from that day, the history already).
    record = state_on(a, dt.date(2028, 6, 30))
    assert (record.status, record.with_honours, record.degree_awarded) == ("graduated", True, "Бакалавр")
    assert Student.objects.get(person=a).status == "enrolled"
    assert replay(check=True).differs is False
