"""The teaching load's hours done as a projection (records.projections.teaching_done): its figures
equal the evidence computation the pages ran before it on a varied history (classes held and
planned, grade and rating statements, a final attestation protocol, a revocation, a term's end),
a class or statement shows at once, the page reads no journal, and the replay rebuilds it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from records.academics.teaching_load import CLASSROOM_KINDS, hours
from records.models import Person, Role, StudyGroup, TeachingAssignment
from records.models.monitoring import TermResultCell
from records.projections import teaching_done
from records.projections.base import in_force
from records.projections.replay import replay
from records.selectors import monitoring
from records.selectors.journal import classes_held
from records.selectors.teaching import (
    assignments_done,
    done_by_department,
    load_done,
    teacher_years,
    term_ended,
)
from records.services.document import document_transition
from records.services.journal import journal_add_class, journal_open, journal_remove_class
from tests.records.academic.conftest import bulk, bulk_order, enrollment, line, order, statement
from tests.records.teaching.conftest import YEAR, enrol, setup_load
from tests.records.teaching.test_execution import _held
from tests.records.teaching.test_load import _full_distribution

pytestmark = pytest.mark.django_db
ZERO = Decimal(0)
STATEMENT_KINDS = {"consultation", "exam", "midterm", "coursework", "practice"}
PROTOCOL_KINDS = {"thesis_supervision", "thesis_review", "commission"}


def _reference(year: int, term: int, today: dt.date) -> dict[int, Decimal]:
    """Each assignment's hours done by the evidence computation of stop 24 (records.selectors.teaching
    before the projection): the whole journal, the per-term results and the JSON of every registered
    rating statement and final attestation protocol, read again."""
    groups = dict(StudyGroup.objects.values_list("pk", "code"))
    held: dict[tuple[int, str, str, str], Decimal] = defaultdict(lambda: ZERO)
    for row in classes_held(year=year, semester=term):
        held[(row.teacher_id, row.discipline_code, groups.get(row.group_id, ""), row.kind)] += row.hours
    pairs = set(
        TermResultCell.objects.filter(term_year=year, term_period=term).values_list(
            "discipline_code", "group_code"
        )
    )
    protocols = set()
    for kind in ("final_attestation_protocol", "rating_statement"):
        for document in in_force([kind]).select_related("current_version"):
            data = document.current_version.data
            if (int(data.get("academic_year") or 0), int(data.get("period") or 0)) == (year, term):
                pairs.add((str(data.get("discipline_code", "")), str(data.get("group_code", ""))))
            if kind == "final_attestation_protocol" and data.get("academic_year") == year:
                protocols.add(str(data.get("group_code")))
    pairs = {(d, g) for d, g in pairs if d and g}
    done = {}
    for a in TeachingAssignment.objects.filter(academic_year=year, term=term):
        codes = [c.strip() for c in a.group_codes.split(",") if c.strip()]
        if a.kind in CLASSROOM_KINDS:
            value = min(
                a.hours, max(held.get((a.teacher_id, a.discipline_code, c, a.kind), ZERO) for c in codes)
            )
        elif a.kind in STATEMENT_KINDS:
            value = a.hours if any((a.discipline_code, c) in pairs for c in codes) else ZERO
        elif a.kind in PROTOCOL_KINDS:
            value = a.hours if any(c in protocols for c in codes) else ZERO
        else:
            value = a.hours if term_ended(year, term, today) else ZERO
        done[a.pk] = value
    return done


def _agree(org: Any, today: dt.date) -> dict[int, Decimal]:
    """Every read of the projection gives the reference figures; returns them (term 1)."""
    code = org.department.code
    expected_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    reference: dict[int, Decimal] = {}
    for term in (1, 2):
        reference_term = _reference(YEAR, term, today)
        reference |= reference_term
        rows = TeachingAssignment.objects.filter(pk__in=list(reference_term))
        by_kind: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
        for a in rows:
            by_kind[(a.teacher_id, a.kind)] += reference_term[a.pk]
            expected_year[a.teacher_id] += reference_term[a.pk]
        summary = load_done(org.department, YEAR, term, today=today)
        got = {(t.person_id, kind): value for t in summary.teachers for kind, value in t.done.items()}
        assert got == {key: hours(value) for key, value in by_kind.items()}
        assert done_by_department([org.department], YEAR, term, today=today)[code][1] == hours(
            sum(reference_term.values(), ZERO)
        )
        behind = {r.assignment.pk: r.done for r in assignments_done([code], YEAR, (term,), today=today)}
        assert behind == {pk: hours(value) for pk, value in reference_term.items()}
    years = {t.person_id: t.done for t in teacher_years([code], YEAR, (1, 2), today=today)}
    assert years == {person: hours(value) for person, value in expected_year.items()}
    return reference


def _rating(org: Any, code: str, student: Person) -> dict[str, Any]:
    return {
        "discipline_code": code, "discipline_name": code, "credits": 5, "group_code": org.group.code,
        "academic_year": YEAR, "period": 1, "control": 1, "date": f"{YEAR}-10-19", "teacher": "Тестов Т.",
        "lines": [{"student_iin": student.iin, "current": "80", "midterm": "90", "present": 10}],
    }  # fmt: skip


def test_the_projection_equals_the_evidence_computation_through_a_varied_term(users: Any, org: Any) -> None:
    tz = timezone.get_current_timezone()
    # Set up (signed through the route) today; then the term is lived in October of its year.
    # Admitted to the final attestation before the curriculum is registered (no debts to check then).
    student = enrol(org.group, 1)[0]
    bulk_order(users, org, "enrollment", enrollment(student, org))
    bulk_order(
        users,
        org,
        "final_attestation_admission",
        order("final_attestation_admission", student, f"{YEAR}-09-01"),
    )
    calculation = setup_load(users, org, students=20)
    teacher_user = users[Role.TEACHER]
    teacher = Person.objects.get(user=teacher_user)
    _distribution, first, second = _full_distribution(users, org, calculation, first=teacher)
    with time_machine.travel(dt.datetime(YEAR, 10, 1, 10, tzinfo=tz), tick=False) as traveller:
        journal = journal_open(
            by=teacher_user, department=org.department, group=org.group, discipline_code="D30",
            discipline_name="D30", academic_year=YEAR, period=1,
        )  # fmt: skip
        for day, length in ((15, 2), (22, 2), (29, "1.5")):
            journal_add_class(
                journal=journal, by=teacher_user, date=dt.date(YEAR, 9, day), kind="lecture", hours=length
            )
        planned_later = journal_add_class(
            journal=journal, by=teacher_user, date=dt.date(YEAR, 10, 15), kind="lecture", hours=4
        )  # dated after today: planned, not held yet
        _held(org, second, "D30", "practical", 20)  # more than assigned: capped
        _held(org, second, "D31", "practical", 2)
        today = dt.date(YEAR, 10, 1)
        reference = _agree(org, today)
        lecture = TeachingAssignment.objects.get(teacher=first, discipline_code="D30", kind="lecture", term=1)
        assert reference[lecture.pk] == Decimal("5.5")  # the class of 15 October does not count yet

        exam = bulk(
            users, org, "grade_statement",
            statement(org, [line(student, 80, 80, 80)], discipline_code="D30", academic_year=YEAR, period=1),
        )  # fmt: skip
        bulk(users, org, "rating_statement", _rating(org, "D31", student))
        bulk(
            users, org, "final_attestation_protocol",
            {"form": "comprehensive_exam", "discipline_code": "D32", "group_code": org.group.code,
             "academic_year": YEAR, "period": 1, "date": f"{YEAR}-09-30", "chair": "Председатель ГАК",
             "members": ["Член 1", "Член 2"], "lines": [{"student_iin": student.iin, "score": 90}]},
        )  # fmt: skip
        reference = _agree(org, today)
        done_kinds = {
            (a.discipline_code, a.kind)
            for a in TeachingAssignment.objects.filter(term=1)
            if reference[a.pk] and a.kind in STATEMENT_KINDS
        }
        assert {("D30", "exam"), ("D31", "midterm"), ("D32", "practice")} <= done_kinds  # one of each source

        document_transition(document=exam, by=users[Role.REGISTRAR], name="revoke", reason="Ошибка")
        reference = _agree(org, today)
        assert not any(
            reference[a.pk] for a in TeachingAssignment.objects.filter(discipline_code="D30", kind="exam")
        )

        traveller.move_to(dt.datetime(YEAR, 10, 20, 10, tzinfo=tz))  # the planned class's day has come
        reference = _agree(org, dt.date(YEAR, 10, 20))
        assert reference[lecture.pk] == Decimal("9.5")
        assert teaching_done.refresh_due() == 1  # the daily task stores it again
        _agree(org, dt.date(YEAR, 10, 20))
        journal_remove_class(journal=journal, by=teacher_user, class_id=planned_later.pk)
        assert _agree(org, dt.date(YEAR, 10, 20))[lecture.pk] == Decimal("5.5")

        _agree(org, dt.date(YEAR + 1, 2, 15))  # the autumn term has ended
        _agree(org, dt.date(YEAR + 1, 7, 15))  # and the spring
        assert replay(check=True).differs is False


def test_a_new_class_or_statement_shows_at_once_and_the_page_reads_no_journal(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=20)
    teacher_user = users[Role.TEACHER]
    teacher = Person.objects.get(user=teacher_user)
    _full_distribution(users, org, calculation, first=teacher)
    rector = users[Role.RECTOR]
    today = dt.date(YEAR, 12, 1)

    def done() -> Decimal:
        with CaptureQueriesContext(connection) as queries:
            load = monitoring.teaching_load(rector, year=YEAR, term=1, today=today)
        journal_reads = [q["sql"] for q in queries.captured_queries if "journalclass" in q["sql"].lower()]
        assert journal_reads == []  # summed from the projection, not from the journal
        return load.total.values["done"]

    before = done()
    journal = journal_open(
        by=teacher_user, department=org.department, group=org.group, discipline_code="D30",
        discipline_name="D30", academic_year=YEAR, period=1,
    )  # fmt: skip
    journal_add_class(journal=journal, by=teacher_user, date=dt.date(YEAR, 9, 15), kind="lecture", hours=2)
    assert done() == before + 2
    student = enrol(org.group, 1)[0]
    bulk_order(users, org, "enrollment", enrollment(student, org))
    bulk(
        users, org, "grade_statement",
        statement(org, [line(student, 80, 80, 80)], discipline_code="D31", academic_year=YEAR, period=1),
    )  # fmt: skip
    statement_hours = sum(
        a.hours
        for a in TeachingAssignment.objects.filter(discipline_code="D31", term=1, kind__in=STATEMENT_KINDS)
    )
    assert statement_hours > 0 and done() == before + 2 + statement_hours
    teaching_done.rebuild()  # what the replay stores agrees
    assert done() == before + 2 + statement_hours
