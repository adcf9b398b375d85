"""Student body and movement from the spells projection: at any date, in the viewer's scope, at the edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from records.models import Role, StudentSpell
from records.projections.replay import replay
from records.selectors import monitoring as selectors
from tests.records.academic.conftest import bulk_order, order
from tests.records.monitoring.conftest import Law, enroll, enroll_law, student

D = dt.date


def counts(rows: list[selectors.Row]) -> dict[str, int]:
    return {row.label: row.values["count"] for row in rows}


def test_counts_at_a_date_by_faculty_follow_the_viewers_scope(
    users: dict[str, Any], org: Any, law: Law
) -> None:
    """The rector counts everyone; a dean only their faculty; nobody is counted before enrolment."""
    it_students = [student(org) for _ in range(2)]
    for person in it_students:
        enroll(users, org, person)
    enroll_law(users, org, law, student(org))
    on = D(2024, 10, 1)
    everyone = counts(selectors.student_body(users[Role.RECTOR], on=on, by="faculty"))
    assert everyone == {org.faculty.name: 2, org.other_faculty.name: 1}
    assert counts(selectors.student_body(users[Role.DEAN], on=on, by="faculty")) == {org.faculty.name: 2}
    assert counts(selectors.student_body(users["other_dean"], on=on, by="faculty")) == {
        org.other_faculty.name: 1
    }
    assert selectors.student_body(users[Role.RECTOR], on=D(2024, 8, 31), by="faculty") == []
    funding = counts(selectors.student_body(users[Role.RECTOR], on=on, by="funding"))
    assert funding == {"State grant": 2, "Paid": 1}
    language = counts(selectors.student_body(users[Role.RECTOR], on=on, by="language"))
    assert language == {"Kazakh": 2, "Russian": 1}


def test_a_dean_may_not_narrow_to_another_faculty(users: dict[str, Any], org: Any) -> None:
    with pytest.raises(selectors.MonitoringForbidden) as info:
        selectors.student_body(users[Role.DEAN], on=D(2024, 10, 1), unit=org.other_faculty)
    assert info.value.code == "unit_out_of_scope"
    for who in (users[Role.TEACHER], users[Role.ARCHIVIST], users[Role.STUDENT]):
        with pytest.raises(selectors.MonitoringForbidden):
            selectors.student_body(who, on=D(2024, 10, 1))


def test_leave_mid_term_moves_the_student_between_statuses_on_its_date(
    users: dict[str, Any], org: Any
) -> None:
    person = student(org)
    enroll(users, org, person)
    leave = order("academic_leave", person, "2024-11-01", leave_grounds="illness", end_date="2025-08-31")
    bulk_order(users, org, "academic_leave", leave)
    rector = users[Role.RECTOR]
    assert counts(selectors.student_body(rector, on=D(2024, 10, 31), by="status")) == {"Enrolled": 1}
    assert counts(selectors.student_body(rector, on=D(2024, 11, 1), by="status")) == {"On academic leave": 1}
    moved = selectors.movement(rector, date_from=D(2024, 9, 1), date_to=D(2025, 6, 30))
    assert {r.key: r.values["count"] for r in moved if r.values["count"]} == {
        "enrollment": 1,
        "academic_leave": 1,
    }
    x_labels, series = selectors.student_body_series(rector, on=D(2025, 2, 1), by="status", terms=3)
    assert x_labels == ["2023/24, semester 2", "2024/25, semester 1", "2024/25, semester 2"]
    assert dict(series) == {"Enrolled": [0, 1, 0], "On academic leave": [0, 0, 1]}


def test_transfer_between_faculties_is_out_for_one_dean_and_in_for_the_other(
    users: dict[str, Any], org: Any, law: Law
) -> None:
    person = student(org)
    enroll(users, org, person)
    data = order(
        "transfer", person, "2025-02-01", programme_code=law.programme.code, group_code=law.group.code
    )
    transfer = bulk_order(users, org, "transfer", data)
    period = {"date_from": D(2025, 1, 1), "date_to": D(2025, 6, 30)}

    def moved(user: Any) -> dict[str, int]:
        return {r.key: r.values["count"] for r in selectors.movement(user, **period) if r.values["count"]}

    assert moved(users[Role.DEAN]) == {"transfer_out": 1}
    assert moved(users["other_dean"]) == {"transfer_in": 1}
    assert moved(users[Role.RECTOR]) == {"transfer": 1}
    behind = selectors.movement_documents(users["other_dean"], **period, movement_key="transfer_in")
    assert [s.document_id for s in behind] == [transfer.pk]
    assert counts(selectors.student_body(users[Role.DEAN], on=D(2025, 1, 31))) == {org.faculty.name: 1}
    assert selectors.student_body(users[Role.DEAN], on=D(2025, 2, 1)) == []
    assert counts(selectors.student_body(users["other_dean"], on=D(2025, 2, 1))) == {
        org.other_faculty.name: 1
    }


def test_graduation_leaves_the_active_body_and_counts_as_graduated(users: dict[str, Any], org: Any) -> None:
    person = student(org)
    enroll(users, org, person)
    bulk_order(
        users, org, "final_attestation_admission", order("final_attestation_admission", person, "2028-05-01")
    )
    bulk_order(users, org, "graduation", order("graduation", person, "2028-06-30", degree_awarded="Бакалавр"))
    rector = users[Role.RECTOR]
    assert selectors.student_body(rector, on=D(2028, 7, 1)) == []
    graduated = selectors.student_body(rector, on=D(2028, 7, 1), by="status", statuses=("graduated",))
    assert counts(graduated) == {"Graduated": 1}
    moved = selectors.movement(rector, date_from=D(2028, 1, 1), date_to=D(2028, 12, 31))
    assert {r.key: r.values["count"] for r in moved if r.values["count"]} == {"graduation": 1}
    behind = selectors.students_behind(
        rector, on=D(2028, 7, 1), statuses=("graduated",), filters={"status": "graduated"}
    )
    assert [s.person_id for s in behind] == [person.pk]


def test_spells_are_rebuilt_by_replay_and_drill_down_matches_the_count(
    users: dict[str, Any], org: Any, law: Law
) -> None:
    people = [student(org) for _ in range(3)]
    for person in people:
        enroll(users, org, person)
    bulk_order(users, org, "expulsion", order("expulsion", people[0], "2025-01-10", grounds="Неуспеваемость"))
    before = sorted(
        StudentSpell.objects.values_list("person_id", "order_type", "valid_from", "valid_to", "status")
    )
    report = replay(check=True)
    assert not report.differs
    StudentSpell.objects.all().delete()
    replay()
    after = sorted(
        StudentSpell.objects.values_list("person_id", "order_type", "valid_from", "valid_to", "status")
    )
    assert after == before and len(after) == 4
    rector = users[Role.RECTOR]
    rows = selectors.student_body(rector, on=D(2025, 2, 1), by="sex")
    for row in rows:
        behind = selectors.students_behind(rector, on=D(2025, 2, 1), filters={"sex": row.key})
        assert behind.count() == row.values["count"]
    assert sum(r.values["count"] for r in rows) == 2
