"""The department load calculation and its distribution through the one engine: traceable lines,
refusals at registration (an unassigned line, a teacher over the limit), the projections and replay,
the examiner and due statements the distribution drives, and the `load` command's JSON."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Document, LoadLineRow, Role, TeachingAssignment
from records.projections.replay import replay
from records.selectors.teaching import assigned_statements, examiner_for, load_plan
from records.services.document import document_create, document_transition
from records.services.teaching import distribution_assign
from tests.conftest import walk_route
from tests.factories import make_person
from tests.records.teaching.conftest import YEAR, position, register, setup_load

pytestmark = pytest.mark.django_db


def _lines(calculation: Document) -> dict[str, dict[str, Any]]:
    assert calculation.current_version is not None
    return {line["key"]: line for line in calculation.current_version.data["lines"]}


def test_a_load_line_is_traceable_to_its_curriculum_line_contingent_count_and_norm(
    users: Any, org: Any
) -> None:
    """Semester 3 of the test curriculum (intake 2024) is the autumn of 2025; 26 students (25 enrolled
    here plus the fixture's student) make two practical groups and two lab subgroups."""
    calculation = setup_load(users, org, students=25)
    curriculum = Document.objects.get(kind="working_curriculum")
    line = _lines(calculation)[f"1:D30:practical:{org.group.code}"]
    assert line["curriculum_id"] == curriculum.pk
    assert (line["curriculum_number"], line["curriculum_semester"]) == (curriculum.registry_number, 3)
    assert (line["students"], line["units"], line["norm_item"], line["norm_value"]) == (
        26,
        2,
        "practical_per_hour",
        "1",
    )
    assert Decimal(line["hours"]) == Decimal(30)
    assert calculation.current_version.data["norms_version"] == "default"
    row = LoadLineRow.objects.get(key=line["key"])
    assert (row.document_id, row.hours, row.students) == (calculation.pk, Decimal(30), 26)
    kinds = {line["kind"] for line in _lines(calculation).values()}
    assert {
        "lecture",
        "practical",
        "laboratory",
        "exam",
        "midterm",
        "consultation",
        "coursework",
        "practice",
    } <= kinds


def test_registered_norms_govern_the_next_calculation(users: Any, org: Any) -> None:
    norms = register(
        users, "load_norms", org.university, {"effective_date": f"{YEAR}-09-01", "group_max": 30}
    )
    calculation = setup_load(users, org, students=25)
    line = _lines(calculation)[f"1:D30:practical:{org.group.code}"]
    assert line["units"] == 1
    assert calculation.current_version.data["norms_version"] == norms.registry_number


def test_a_department_without_load_is_refused_with_a_clear_error(users: Any, org: Any) -> None:
    before = Document.objects.count()
    with pytest.raises(RecordsError) as refused:
        document_create(
            by=users[Role.HEAD_OF_DEPARTMENT],
            kind="load_calculation",
            org_unit=org.department,
            title="Расчёт",
            data={"academic_year": YEAR, "department_code": org.department.code},
        )
    assert refused.value.code == "no_load" and org.department.code in refused.value.message
    assert Document.objects.count() == before


def _draft_distribution(users: Any, org: Any, assignments: list[dict[str, Any]]) -> Document:
    return document_create(
        by=users[Role.HEAD_OF_DEPARTMENT],
        kind="load_distribution",
        org_unit=org.department,
        title="Распределение",
        data={"academic_year": YEAR, "department_code": org.department.code, "assignments": assignments},
    )


def test_an_unassigned_line_is_refused_when_the_distribution_is_sent_on(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=10)
    teacher = make_person()
    position(teacher, org.department)
    keys = sorted(_lines(calculation))
    draft = _draft_distribution(users, org, [{"line_key": k, "teacher_iin": teacher.iin} for k in keys[1:]])
    assert [u["line_key"] for u in draft.current_version.data["unassigned"]] == [keys[0]]
    events = AuditEvent.objects.count()
    with pytest.raises(RecordsError) as refused:
        document_transition(document=draft, by=users[Role.HEAD_OF_DEPARTMENT], name="submit")
    assert refused.value.code == "lines_unassigned" and keys[0] in refused.value.message
    assert Document.objects.get(pk=draft.pk).state == State.DRAFT
    assert AuditEvent.objects.count() == events


def test_a_teacher_over_680_hours_a_rate_is_refused_naming_the_teacher(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=26)
    half = make_person(last_name_ru="Половинкина")
    position(half, org.department, rate="0.25")  # 170 h
    keys = sorted(_lines(calculation))
    draft = _draft_distribution(users, org, [{"line_key": k, "teacher_iin": half.iin} for k in keys])
    assert Decimal(draft.current_version.data["assigned_total"]) > Decimal(170)
    with pytest.raises(RecordsError) as refused:
        document_transition(document=draft, by=users[Role.HEAD_OF_DEPARTMENT], name="submit")
    assert refused.value.code == "over_limit"
    assert "Половинкина" in refused.value.message and "170.00" in refused.value.message
    assert Document.objects.get(pk=draft.pk).state == State.DRAFT


def test_a_teacher_without_a_position_is_refused_at_drafting(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=10)
    stranger = make_person(last_name_ru="Посторонний")
    key = sorted(_lines(calculation))[0]
    with pytest.raises(RecordsError) as refused:
        _draft_distribution(users, org, [{"line_key": key, "teacher_iin": stranger.iin}])
    assert refused.value.code == "no_position" and "Посторонний" in refused.value.message


def _full_distribution(
    users: Any, org: Any, calculation: Document, first: Any = None
) -> tuple[Document, Any, Any]:
    """Lectures and exams to the first teacher, everything else to the second (a rate and a half in two
    positions); registered by its route."""
    first = first or make_person(last_name_ru="Лекторова")
    second = make_person(last_name_ru="Практиков")
    position(first, org.department)
    position(second, org.department)
    position(second, org.department, rate="0.5", kind="internal_part_time")  # 680 + 340 h
    draft = _draft_distribution(users, org, [])
    lines = _lines(calculation)
    draft = distribution_assign(
        by=users[Role.HEAD_OF_DEPARTMENT],
        document=draft,
        lock_version=draft.lock_version,
        assignments={
            key: (first if line["kind"] in ("lecture", "exam") else second).iin for key, line in lines.items()
        },
    )
    assert draft.current_version.data["unassigned"] == []
    return walk_route(users, draft, approver=Role.VICE_RECTOR), first, second


def test_the_registered_distribution_projects_balances_examiners_and_due_statements(
    users: Any, org: Any
) -> None:
    calculation = setup_load(users, org, students=20)
    distribution, first, second = _full_distribution(users, org, calculation)
    assert distribution.state == State.REGISTERED
    total = sum(Decimal(line["hours"]) for line in _lines(calculation).values())
    assert sum(TeachingAssignment.objects.values_list("hours", flat=True)) == total
    plan = load_plan(org.department, YEAR)
    assert plan.assigned == plan.total == total
    assert {t.iin: t.limit for t in plan.teachers} == {first.iin: Decimal(680), second.iin: Decimal(1020)}
    examiner = examiner_for(discipline_code="D30", group_code=org.group.code, year=YEAR, term=1)
    assert examiner == first
    assert (org.group.code, "D31") in (assigned_statements(person_id=second.pk, year=YEAR, term=1) or set())
    assert (org.group.code, "D30") not in (
        assigned_statements(person_id=second.pk, year=YEAR, term=1) or set()
    )
    assert assigned_statements(person_id=make_person().pk, year=YEAR, term=1) is None


def test_replay_rebuilds_the_load_lines_and_assignments_identically(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=20)
    _full_distribution(users, org, calculation)
    report = replay(check=True)
    assert not report.differs, (report.missing, report.unexpected)
    assert report.rows["records.LoadLineRow"] == len(_lines(calculation))
    assert report.rows["records.TeachingAssignment"] > 0


def test_revoking_the_latest_calculation_restores_the_one_before(users: Any, org: Any) -> None:
    first = setup_load(users, org, students=20)
    second = register(
        users,
        "load_calculation",
        org.department,
        {"academic_year": YEAR, "department_code": org.department.code},
    )
    assert set(LoadLineRow.objects.values_list("document_id", flat=True)) == {second.pk}
    document_transition(document=second, by=users[Role.RECTOR], name="revoke", reason="Ошибка в контингенте")
    assert set(LoadLineRow.objects.values_list("document_id", flat=True)) == {first.pk}
    assert not replay(check=True).differs


def test_the_load_command_prints_plan_and_done_as_json(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=20)
    _distribution, first, second = _full_distribution(users, org, calculation)
    out = io.StringIO()
    call_command(
        "load", "plan", "--department", org.department.code, "--year", str(YEAR), "--json", stdout=out
    )
    plan = json.loads(out.getvalue())
    assert plan["calculation"] == calculation.registry_number
    assert Decimal(plan["total"]) == sum(Decimal(v) for v in plan["by_kind"].values())
    assert Decimal(plan["assigned"]) == Decimal(plan["total"])
    assert sorted(t["iin"] for t in plan["teachers"]) == sorted([first.iin, second.iin])
    out = io.StringIO()
    call_command(
        "load",
        "done",
        "--department",
        org.department.code,
        "--year",
        str(YEAR),
        "--semester",
        "1",
        "--json",
        stdout=out,
    )
    done = json.loads(out.getvalue())
    assert done["semester"] == 1
    assert Decimal(done["assigned"]) == sum(
        Decimal(line["hours"]) for line in _lines(calculation).values() if line["term"] == 1
    )
    assert Decimal(done["done_total"]) == 0  # nothing held, examined or ended yet (today is before 2026)
