"""Session results of a term: the policy's definitions, FX then retake, empty groups, scope, drill-down."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from records.models import Role, StudyGroup
from records.selectors import monitoring as selectors
from tests.records.academic.conftest import bulk, line, statement
from tests.records.monitoring.conftest import enroll, student


def test_fx_then_retake_clears_the_debt_but_stays_counted_at_the_session(
    users: dict[str, Any], org: Any
) -> None:
    a, b, c = (student(org) for _ in range(3))
    for person in (a, b, c):
        enroll(users, org, person)
    # a: A (95), b: FX (exam 30), c: C (65)
    bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(a, 95, 95, 95), line(b, 60, 60, 30), line(c, 65, 65, 65)]),
    )
    rector = users[Role.RECTOR]
    before = selectors.session_results(rector, year=2024, period=1, by="group")
    (row,) = before.rows
    assert row.label == org.group.code
    assert (
        row.values["results"],
        row.values["session_fails"],
        row.values["open_fails"],
        row.values["debtors"],
    ) == (3, 1, 1, 1)
    assert row.values["absolute"] == Decimal("66.7") and row.values["quality"] == Decimal("33.3")
    assert "C+" in before.definitions.quality and "C" not in before.definitions.quality
    retake = statement(org, [line(b, 60, 60, 80)], attempt_kind="retake", exam_date="2025-01-20")
    bulk(users, org, "grade_statement", retake)
    after = selectors.session_results(rector, year=2024, period=1, by="group")
    (row,) = after.rows
    assert (
        row.values["results"],
        row.values["session_fails"],
        row.values["open_fails"],
        row.values["debtors"],
    ) == (3, 1, 0, 0)
    assert row.values["absolute"] == Decimal("100.0")
    assert after.total.values["students"] == 3 and after.total.values["gpa"] is not None
    behind = selectors.result_lines_behind(
        rector, year=2024, period=1, by="group", key=row.key, measure="session_fails"
    )
    assert [(x.person_id, x.letter) for x in behind] == [(b.pk, "FX")]
    by_discipline = selectors.session_results(rector, year=2024, period=1, by="discipline")
    assert [r.label for r in by_discipline.rows] == ["MAT101"]
    by_examiner = selectors.session_results(rector, year=2024, period=1, by="examiner")
    assert [(r.label, r.values["results"]) for r in by_examiner.rows] == [("Тестов Т.", 3)]
    assert sum(n for _label, n in after.gpa_bins) == 3


def test_an_empty_group_and_an_empty_term_give_no_rows_and_no_division_by_zero(
    users: dict[str, Any], org: Any
) -> None:
    StudyGroup.objects.create(code="IS-24-2", programme=org.programme, intake_year=2024, language="ru")
    rector = users[Role.RECTOR]
    empty = selectors.session_results(rector, year=2024, period=1, by="group")
    assert empty.rows == [] and empty.total.values["absolute"] is None and empty.total.values["gpa"] is None
    assert selectors.terms_with_results(rector) == []


def test_results_follow_the_scope(users: dict[str, Any], org: Any) -> None:
    a = student(org)
    enroll(users, org, a)
    bulk(users, org, "grade_statement", statement(org, [line(a, 95, 95, 95)]))
    mine = selectors.session_results(users[Role.DEAN], year=2024, period=1)
    theirs = selectors.session_results(users["other_dean"], year=2024, period=1)
    assert [r.values["results"] for r in mine.rows] == [1]
    assert theirs.rows == [] and theirs.total.values["results"] == 0
