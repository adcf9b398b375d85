"""A student's status changes on the order's effective date, not on its registration.

An academic leave registered today with effect in three days leaves the student enrolled (a pending
change the portal announces); a certificate issued today says "обучается"; when the day comes the
daily task applies it (once, audited, by the system), and a replay gives the same rows on any day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from records.demo.pki import bootstrap_pki
from records.models import AuditEvent, Person
from records.models.academic import Student, StudentStatusEvent
from records.projections.replay import replay
from records.projections.students import pending_changes
from records.services.certificates import certificate_request
from records.services.students import apply_due_status_changes
from records.tasks import apply_due_status_changes_daily
from tests.factories import make_person
from tests.records.academic.conftest import bulk_order, enrollment, order


@pytest.fixture
def on_leave_soon(users: dict[str, Any], org: Any) -> tuple[Person, dt.date]:
    """A student enrolled in 2024 with an academic leave registered today, effective in three days."""
    person = make_person(kind=Person.Kind.STUDENT, username="leave_student", group=org.group)
    bulk_order(users, org, "enrollment", enrollment(person, org, "2024-09-01"))
    starts = timezone.localdate() + dt.timedelta(days=3)
    leave = order(
        "academic_leave",
        person,
        starts.isoformat(),
        leave_grounds="illness",
        end_date=(starts + dt.timedelta(days=200)).isoformat(),
    )
    bulk_order(users, org, "academic_leave", leave)
    return person, starts


def _move_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def test_a_registered_leave_changes_nothing_before_its_effective_date(
    on_leave_soon: tuple[Person, dt.date],
) -> None:
    person, starts = on_leave_soon
    student = Student.objects.get(person=person)
    assert student.status == "enrolled"
    event = StudentStatusEvent.objects.get(person=person, order_type="academic_leave")
    assert event.in_force is False and event.status == "on_leave"  # pending, and what it will do
    assert [e.effective_date for e in pending_changes(person)] == [starts]
    assert not replay(check=True).differs


def test_a_certificate_issued_before_the_leave_says_the_student_studies(
    on_leave_soon: tuple[Person, dt.date],
) -> None:
    person, _starts = on_leave_soon
    bootstrap_pki(usernames=set())
    document = certificate_request(by=person.user, purpose="military", language="ru")
    assert document.current_version.data["status"] == "обучается"


def test_the_daily_task_applies_the_leave_on_its_day_once_and_replay_agrees(
    on_leave_soon: tuple[Person, dt.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    person, starts = on_leave_soon
    _move_clock(monkeypatch, starts - dt.timedelta(days=1))
    assert apply_due_status_changes() == 0
    assert Student.objects.get(person=person).status == "enrolled"
    _move_clock(monkeypatch, starts)
    result = apply_due_status_changes_daily.enqueue()  # the worker's daily run (at once in tests)
    assert result.return_value["students"] == 1
    student = Student.objects.get(person=person)
    assert (student.status, student.status_since) == ("on_leave", starts)
    assert StudentStatusEvent.objects.get(person=person, order_type="academic_leave").in_force is True
    assert AuditEvent.objects.filter(action="students.status_due_applied", actor=None).count() == 1
    assert apply_due_status_changes() == 0  # idempotent: nothing more that day
    assert AuditEvent.objects.filter(action="students.status_due_applied").count() == 1
    assert pending_changes(person) == []
    assert not replay(check=True).differs


def test_a_check_on_the_effective_day_catches_up_first_then_matches(
    on_leave_soon: tuple[Person, dt.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    person, starts = on_leave_soon
    _move_clock(monkeypatch, starts + dt.timedelta(days=1))
    assert not replay(check=True).differs
    assert Student.objects.get(person=person).status == "on_leave"


def test_the_portal_announces_the_pending_leave(
    client: Any, on_leave_soon: tuple[Person, dt.date], users: dict[str, Any]
) -> None:
    person, starts = on_leave_soon
    client.force_login(person.user)
    page = client.get("/portal/").content.decode()
    assert "Enrolled" in page and "data-pending" in page
    from django.utils import formats

    assert formats.date_format(starts, "DATE_FORMAT") in page
    assert "On academic leave (Academic leave order Б-ОС-" in page  # what comes, and which order
