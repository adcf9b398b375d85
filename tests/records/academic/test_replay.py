"""`registry replay [--check]`: a rebuild gives the same rows; a hand-altered row is reported."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from records.models import Person, Role
from records.models.academic import GradeLine, Student, StudentGpa, StudentStatusEvent
from records.projections.replay import replay, snapshot
from records.services.document import document_transition
from tests.records.academic.conftest import bulk, bulk_order, enrollment, line, order, statement


@pytest.fixture
def history(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    a, b, c = students
    for person in students:
        bulk_order(users, org, "enrollment", enrollment(person, org))
    bulk_order(
        users,
        org,
        "academic_leave",
        order("academic_leave", b, "2025-02-01", leave_grounds="illness", end_date="2026-02-01"),
    )
    expel = bulk_order(users, org, "expulsion", order("expulsion", c, "2025-03-01", grounds="Неуспеваемость"))
    first = bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(a, 80, 80, 90), line(b, 60, 60, 30), line(c, 60, 60, 10)]),
    )
    bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(b, 60, 60, 75)], attempt_kind="retake", exam_date="2025-01-20"),
    )
    bulk(
        users,
        org,
        "grade_statement",
        statement(
            org,
            [line(a, 80, 80, 100)],
            attempt_kind="amendment",
            amends_number=first.registry_number,
            reason="Апелляция",
        ),
    )
    bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(a, 70, 70, 70)], discipline_code="PHY102", period=2, exam_date="2025-05-30"),
    )
    document_transition(document=expel, by=users[Role.RECTOR], name="revoke", reason="Отменён")


def test_replay_check_passes_on_untouched_tables(history: None) -> None:
    before = snapshot()
    assert sum(before["records.GradeLine"].values()) == 6
    assert Student.objects.filter(status="enrolled").count() == 2
    out = io.StringIO()
    call_command("registry", "replay", "--check", stdout=out)
    assert "match" in out.getvalue()
    assert snapshot() == before


def test_replay_rebuilds_identical_rows(history: None) -> None:
    before = snapshot()
    GradeLine.objects.all().delete()
    StudentGpa.objects.all().delete()
    StudentStatusEvent.objects.all().delete()
    Student.objects.all().delete()
    report = replay()
    assert report.documents == 8  # the revoked expulsion is not replayed
    assert snapshot() == before


@pytest.mark.parametrize("table", ["gpa", "student", "line", "extra_event"])
def test_replay_check_fails_after_a_hand_edit(history: None, table: str) -> None:
    if table == "gpa":
        StudentGpa.objects.filter(pk=StudentGpa.objects.order_by("pk").first().pk).update(
            cumulative_gpa=Decimal("4.00")
        )  # type: ignore[union-attr]
    elif table == "student":
        Student.objects.filter(status="on_leave").update(status="enrolled")
    elif table == "line":
        GradeLine.objects.filter(letter="FX").update(letter="A")
    else:
        event = StudentStatusEvent.objects.order_by("pk").first()
        assert event is not None
        StudentStatusEvent.objects.filter(pk=event.pk).delete()
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("registry", "replay", "--check", stdout=out)
    assert info.value.returncode == 1
    assert "row(s)" in out.getvalue()
    # --check changed nothing
    assert replay(check=True).differs


def test_replay_after_the_amended_statement_is_revoked(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    a = students[0]
    first = bulk(users, org, "grade_statement", statement(org, [line(a, 80, 80, 90)]))
    amendment = statement(
        org,
        [line(a, 80, 80, 100)],
        attempt_kind="amendment",
        amends_number=first.registry_number,
        reason="Апелляция",
    )
    bulk(users, org, "grade_statement", amendment)
    document_transition(document=first, by=users[Role.REGISTRAR], name="revoke", reason="Ошибка")
    assert [(x.letter, x.counts) for x in GradeLine.objects.filter(person=a)] == [("B+", True)]
    assert replay(check=True).differs is False


def test_replay_check_reports_the_differing_rows_themselves(history: None) -> None:
    """The check compares digests, then reads back the rows: the edited one as missing, the rebuilt one as unexpected."""
    GradeLine.objects.filter(letter="FX").update(letter="A")
    edited = snapshot()
    report = replay(check=True)
    letter = [f.attname for f in GradeLine._meta.concrete_fields if not f.primary_key].index("letter")
    assert [row[letter] for row in report.missing["records.GradeLine"]] == ["A"]
    assert [row[letter] for row in report.unexpected["records.GradeLine"]] == ["FX"]
    assert not any(report.missing[label] for label in report.missing if label != "records.GradeLine")
    assert report.rows["records.GradeLine"] == 6
    assert snapshot() == edited  # rolled back: the edited row is still there


def test_replay_reports_row_counts(history: None) -> None:
    """A plain replay reports the row counts and leaves the same rows as registration did."""
    before = snapshot()
    report = replay()
    assert report.rows == {label: sum(rows.values()) for label, rows in before.items()}
    assert snapshot() == before
