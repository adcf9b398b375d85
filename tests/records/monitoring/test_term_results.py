"""The per-term results projection (records.projections.term_results) behind the session results.

At each step of a term with its edges — an empty group, FX then a retake, a student going on leave
mid-term, a transfer between faculties mid-term, a revoked statement, a graduate's final attestation —
the session results read from the projection equal the same figures counted straight from the grade
lines (the reference below, written independently), for every breakdown and for the rector and a
dean; the tables kept up by registration equal a full rebuild, and `registry replay --check` is clean.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from records.models import (
    Document,
    GradeLine,
    Role,
    StudentGpa,
    StudyGroup,
    TermResultCell,
    TermStudentResult,
)
from records.projections.replay import replay
from records.projections.term_results import rebuild_term_results
from records.selectors import monitoring as selectors
from records.services.document import document_transition
from tests.records.academic.conftest import bulk, bulk_order, line, order, statement
from tests.records.monitoring.conftest import Law, enroll, enroll_law, student

TERM = {"year": 2024, "period": 1}
FAILING = ("FX", "F")


def _reference(user: Any, by: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Figures by key and the total, counted from GradeLine and StudentGpa in Python."""
    scope = selectors.monitoring_scope(user)
    catalog = selectors.Catalog.load()
    rules = selectors.definitions(TERM["year"], TERM["period"])
    lines = [
        x
        for x in GradeLine.objects.filter(term_year=2024, term_period=1, in_effect=True).select_related(
            "document"
        )
        if x.attempt_kind != "final_attestation"
        and (scope.group_codes is None or x.group_code in scope.group_codes)
    ]

    def key(x: GradeLine) -> str:
        if by == "discipline":
            return x.discipline_code
        if by == "examiner":
            return x.document.current_version.data.get("examiner", "")  # type: ignore[union-attr]
        group = catalog.group_by_code[x.group_code]
        return str(group.pk) if by == "group" else catalog.unit_key(by, group.programme_id)

    # Students and debtors are distinct within a group code (unit breakdowns), a discipline, or a statement.
    within = {"discipline": "discipline_code", "examiner": "document_id"}.get(by, "group_code")
    rows: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    students: dict[str, set[Any]] = defaultdict(set)
    debtors: dict[str, set[Any]] = defaultdict(set)
    for x in lines:
        row = rows[key(x)]
        if x.letter in FAILING and x.attempt_kind == "regular":
            row["session_fails"] += 1
        if x.counts:
            row["results"] += 1
            row["positive"] += x.letter in rules.positive
            row["good"] += x.letter in rules.quality
            row["open_fails"] += x.letter in FAILING
            students[key(x)].add((getattr(x, within), x.person_id))
            if x.letter in FAILING:
                debtors[key(x)].add((getattr(x, within), x.person_id))
    latest: dict[int, GradeLine] = {}
    for x in sorted(lines, key=lambda x: (x.registered_at, x.document_id)):
        latest[x.person_id] = x
    gpa = dict(StudentGpa.objects.filter(term_year=2024, term_period=1).values_list("person_id", "term_gpa"))
    gpas: dict[str, list[Decimal]] = defaultdict(list)
    for person, x in latest.items():
        if gpa.get(person) is not None and by not in ("discipline", "examiner"):
            gpas[key(x)].append(gpa[person])
    figures = {
        k: {
            "results": r["results"],
            "session_fails": r["session_fails"],
            "open_fails": r["open_fails"],
            "students": len(students[k]),
            "debtors": len(debtors[k]),
            "absolute": selectors._percent(r["positive"], r["results"]),
            "quality": selectors._percent(r["good"], r["results"]),
            "gpa": (sum(gpas[k]) / len(gpas[k])).quantize(Decimal("0.01")) if gpas[k] else None,
        }
        for k, r in rows.items()
    }
    all_gpas = [gpa[p] for p in latest if gpa.get(p) is not None]
    total = {
        "results": sum(r["results"] for r in rows.values()),
        "students": len(latest),
        "debtors": len({x.person_id for x in lines if x.counts and x.letter in FAILING}),
        "gpa": (sum(all_gpas) / len(all_gpas)).quantize(Decimal("0.01")) if all_gpas else None,
        "gpa_count": len(all_gpas),
    }
    return figures, total


NAMES = ("results", "session_fails", "open_fails", "students", "debtors", "absolute", "quality", "gpa")


def _check(users: dict[str, Any]) -> None:
    for viewer in (users[Role.RECTOR], users[Role.DEAN], users["other_dean"]):
        for by in selectors.RESULT_DIMENSIONS:
            got = selectors.session_results(viewer, **TERM, by=by)
            expected, total = _reference(viewer, by)
            figures = {r.key: {n: r.values[n] for n in NAMES} for r in got.rows}
            assert figures == expected, f"{by} {sorted(figures.items())} != {sorted(expected.items())}"
            assert {n: got.total.values[n] for n in ("results", "students", "debtors", "gpa")} == {
                n: total[n] for n in ("results", "students", "debtors", "gpa")
            }, by
            assert sum(n for _bin, n in got.gpa_bins) == total["gpa_count"]
    kept = _tables()
    rebuild_term_results()
    assert _tables() == kept  # kept up by each registration = rebuilt from scratch


def _tables() -> list[Any]:
    cells = TermResultCell.objects.order_by().values_list(
        "term_year", "term_period", "group_code", "discipline_code", "document_id", "examiner", "positive", "good",
        "open_fails",
        "results", "students", "debtors", "session_fails",
    )  # fmt: skip
    groups = TermStudentResult.objects.order_by().values_list(
        "person_id",
        "term_year",
        "term_period",
        "group_code",
        "counted",
        "debtor",
        "last_registered",
        "last_document_id",
    )
    return sorted(map(repr, cells)) + sorted(map(repr, groups))


def test_session_results_from_the_projection_equal_a_count_of_the_grade_lines_at_every_edge(
    users: dict[str, Any], org: Any, law: Law
) -> None:
    StudyGroup.objects.create(
        code="IS-24-9", programme=org.programme, intake_year=2024, language="ru"
    )  # empty
    a, b, c, d = (student(org) for _ in range(4))
    for person in (a, b, c, d):
        enroll(users, org, person)
    e = student(org)
    enroll_law(users, org, law, e)
    _check(users)  # nothing registered: no rows, nothing to divide by
    assert selectors.terms_with_results(users[Role.RECTOR]) == []

    physics = statement(
        org, [line(a, 90, 90, 90), line(b, 70, 70, 70), line(c, 80, 80, 40), line(d, 60, 60, 20)],
        discipline_code="PHY101", discipline_name="Физика", exam_date="2024-12-20", examiner="Физиков Ф.",
    )  # fmt: skip
    bulk(users, org, "grade_statement", physics)
    _check(users)
    # c goes on leave mid-term (after the physics exam): the results registered stay counted.
    leave = order("academic_leave", c, "2025-01-01", leave_grounds="illness", end_date="2025-08-31")
    bulk_order(users, org, "academic_leave", leave)
    maths = statement(org, [line(a, 95, 95, 95), line(b, 60, 60, 30), line(d, 65, 65, 65)])
    bulk(users, org, "grade_statement", maths)
    law_maths = statement(
        org, [line(e, 85, 85, 85)], group_code=law.group.code, examiner="Правов П.", exam_date="2025-01-11"
    )
    law_statement = bulk(users, org, "grade_statement", law_maths)
    _check(users)
    # b: FX at the session, then a retake: the debt clears, the session's FX stays counted.
    retake = statement(org, [line(b, 60, 60, 80)], attempt_kind="retake", exam_date="2025-01-20")
    bulk(users, org, "grade_statement", retake)
    _check(users)
    # d moves to the other faculty mid-term and sits an exam of the same term there: d's physics F
    # stays with the old group, and d is a member of the new group for the term (the latest result).
    move = order("transfer", d, "2025-01-15", programme_code=law.programme.code, group_code=law.group.code)
    bulk_order(users, org, "transfer", move)
    history = statement(
        org, [line(d, 70, 70, 70), line(e, 50, 50, 10)], group_code=law.group.code, discipline_code="HIS101",
        discipline_name="История", examiner="Правов П.", exam_date="2025-01-25",
    )  # fmt: skip
    bulk(users, org, "grade_statement", history)
    _check(users)
    rector = selectors.session_results(users[Role.RECTOR], **TERM, by="faculty")
    assert rector.total.values["students"] == 5 and rector.total.values["debtors"] == 3  # c, d (F), e (FX)
    other = selectors.session_results(users["other_dean"], **TERM, by="group")
    assert [(r.label, r.values["debtors"]) for r in other.rows] == [(law.group.code, 1)]
    # A revoked statement leaves the figures as if it had never been registered.
    document_transition(document=law_statement, by=users[Role.REGISTRAR], name="revoke", reason="Ошибка")
    _check(users)
    assert Document.objects.get(pk=law_statement.pk).state == "revoked"
    assert not TermResultCell.objects.filter(document=law_statement).exists()
    assert replay(check=True).differs is False


def test_final_attestation_is_not_a_session_result(users: dict[str, Any], org: Any) -> None:
    a = student(org)
    enroll(users, org, a)
    bulk_order(
        users, org, "final_attestation_admission", order("final_attestation_admission", a, "2028-05-01")
    )
    protocol = {
        "form": "thesis_defence", "group_code": org.group.code, "academic_year": 2027, "date": "2028-06-10",
        "chair": "Председатель ГАК", "members": ["Член 1", "Член 2"], "lines": [{"student_iin": a.iin, "score": 96}],
    }  # fmt: skip
    bulk(users, org, "final_attestation_protocol", protocol)
    bulk(users, org, "grade_statement", statement(org, [line(a, 90, 100, 100)]))
    bulk_order(users, org, "graduation", order("graduation", a, "2028-06-30", degree_awarded="Бакалавр"))
    assert GradeLine.objects.filter(attempt_kind="final_attestation").count() == 1
    assert selectors.terms_with_results(users[Role.RECTOR]) == [(2024, 1)]
    assert not TermResultCell.objects.filter(term_year=2027).exists()
    _check(users)
