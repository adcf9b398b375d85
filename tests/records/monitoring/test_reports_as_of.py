"""A registered report is exact for its as-of date: an order or a statement registered the next day —
even one dated on or before that date — or a document revoked the next day does not change a fresh
computation for the date (`reports build KIND --as-of D`), while it does change one for the next day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from records.errors import RecordsError
from records.models import AuditEvent, DiplomaBookEntry, Document, EpvoNumber, EpvoNumberEntry, Role
from records.selectors.reports import compute
from records.services.document import document_transition
from records.services.epvo import epvo_numbers_enter
from records.services.reports import report_create
from tests.records.academic.conftest import bulk, bulk_order, line, order, statement
from tests.records.monitoring.conftest import enroll, student
from tests.records.monitoring.test_reports import register_report


@contextmanager
def next_day() -> Iterator[dt.date]:
    """The clock a day ahead (registrations in the block are dated after today)."""
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=True):
        yield timezone.localdate()


def registered(users: dict[str, Any], report: str, **request: Any) -> dict[str, Any]:
    """A report drafted, approved (rendered) and signed by the rector as of today; its frozen data."""
    document = register_report(users, report_create(by=users[Role.REGISTRAR], report=report, **request))
    assert document.current_version is not None
    return dict(document.current_version.data)


def built(capsys: Any, report: str, as_of: dt.date, *extra: str) -> dict[str, Any]:
    """What `reports build KIND --as-of D --json` prints."""
    capsys.readouterr()
    call_command("reports", "build", report, "--as-of", as_of.isoformat(), *extra, "--json")
    return dict(json.loads(capsys.readouterr().out))


def test_contingent_ignores_a_later_back_dated_expulsion_and_a_later_revocation(
    users: dict[str, Any], org: Any, capsys: Any
) -> None:
    today = timezone.localdate()
    a, b, c = student(org), student(org), student(org)
    for person in (a, b):
        enroll(users, org, person)
    late_enrollment = bulk_order(users, org, "enrollment", {**order("enrollment", c, "2024-09-01"),
        "programme_code": org.programme.code, "group_code": org.group.code, "year_of_study": 1,
        "funding": "paid"})  # fmt: skip
    frozen = registered(users, "contingent", as_of=today)
    assert frozen["figures"]["students"] == 3 and frozen["figures"]["paid"] == 1
    with next_day() as tomorrow:
        expel = order(
            "expulsion", a, (today - dt.timedelta(days=10)).isoformat(), grounds="Собственное желание"
        )
        bulk_order(users, org, "expulsion", expel)
        document_transition(document=late_enrollment, by=users[Role.RECTOR], name="revoke", reason="Ошибка")
        assert compute("contingent", as_of=today) == frozen
        assert built(capsys, "contingent", today) == frozen
        after = compute("contingent", as_of=tomorrow)
    assert (after["figures"]["students"], after["figures"]["paid"]) == (1, 0)
    assert f"на конец дня {today.isoformat()}" in frozen["notes"][0]


def test_a_registry_date_before_the_as_of_date_is_refused(users: dict[str, Any], org: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(RecordsError) as info:
        compute("contingent", as_of=dt.date(2024, 10, 1), registered_by=dt.date(2024, 9, 30))
    assert info.value.code == "registered_before_as_of"
    with pytest.raises(CommandError, match="2024-09-30"):
        call_command(
            "reports", "build", "contingent", "--as-of", "2024-10-01", "--registered-by", "2024-09-30"
        )
    assert not Document.objects.filter(kind__startswith="report_").exists()


def test_movement_ignores_a_later_back_dated_order(users: dict[str, Any], org: Any, capsys: Any) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=60)
    a, b = student(org), student(org)
    for person in (a, b):
        enroll(users, org, person)
    leave = order("academic_leave", a, (today - dt.timedelta(days=30)).isoformat(), leave_grounds="illness",
                  end_date=(today + dt.timedelta(days=200)).isoformat())  # fmt: skip
    bulk_order(users, org, "academic_leave", leave)
    frozen = registered(users, "movement", as_of=today, date_from=start)
    assert frozen["figures"]["academic_leave"] == 1 and frozen["figures"]["expulsion"] == 0
    with next_day() as tomorrow:
        expel = order(
            "expulsion", b, (today - dt.timedelta(days=5)).isoformat(), grounds="Собственное желание"
        )
        bulk_order(users, org, "expulsion", expel)
        assert compute("movement", as_of=today, date_from=start) == frozen
        assert built(capsys, "movement", today, "--from", start.isoformat()) == frozen
        after = compute("movement", as_of=tomorrow, date_from=start)
    assert after["figures"]["expulsion"] == 1


def test_session_results_ignore_a_later_retake_and_a_later_revoked_statement(
    users: dict[str, Any], org: Any, capsys: Any
) -> None:
    today = timezone.localdate()
    a, b = student(org), student(org)
    for person in (a, b):
        enroll(users, org, person)
    bulk(users, org, "grade_statement", statement(org, [line(a, 95, 95, 95), line(b, 60, 60, 30)]))
    physics = bulk(users, org, "grade_statement", statement(
        org, [line(a, 90, 90, 90), line(b, 90, 90, 90)], discipline_code="PHY101", discipline_name="Физика"))  # fmt: skip
    frozen = registered(users, "session_results", as_of=today, term=(2024, 1))
    figures = frozen["figures"]
    assert (figures["results"], figures["absolute"], figures["open_fails"], figures["debtors"]) == (
        4,
        "75.0",
        1,
        1,
    )
    with next_day() as tomorrow:
        retake = statement(org, [line(b, 60, 60, 80)], attempt_kind="retake", exam_date="2025-01-24")
        bulk(users, org, "grade_statement", retake)
        document_transition(document=physics, by=users[Role.REGISTRAR], name="revoke", reason="Ошибка")
        assert compute("session_results", as_of=today, term=(2024, 1)) == frozen
        assert built(capsys, "session_results", today, "--term", "2024-1") == frozen
        after = compute("session_results", as_of=tomorrow, term=(2024, 1))
    assert (after["figures"]["results"], after["figures"]["absolute"], after["figures"]["debtors"]) == (
        2,
        "100.0",
        0,
    )
    # The rewinding left no trace: the live projection still shows the retake and the revocation.
    assert compute("session_results", as_of=tomorrow, term=(2024, 1)) == after


def test_graduates_ignore_a_later_back_dated_graduation(users: dict[str, Any], org: Any, capsys: Any) -> None:
    today = timezone.localdate()
    graduation_day = dt.date(today.year, 1, 1).isoformat()
    a, b = student(org), student(org)
    for person in (a, b):
        enroll(users, org, person, "2021-09-01")
        bulk_order(users, org, "final_attestation_admission",
                   order("final_attestation_admission", person, f"{today.year - 1}-12-20"))  # fmt: skip
    graduation = bulk_order(
        users, org, "graduation", order("graduation", a, graduation_day, degree_awarded="Бакалавр")
    )
    frozen = registered(users, "graduates", as_of=today)
    assert frozen["figures"]["graduates"] == 1
    with next_day() as tomorrow:
        bulk_order(
            users, org, "graduation", order("graduation", b, graduation_day, degree_awarded="Бакалавр")
        )
        # The diploma entered in the book and its ЕПВО number, the next day, dated back to today.
        DiplomaBookEntry.objects.create(
            series="ЖБ-Б", number=77, graduate=a, issue_date=today, created_by=users[Role.REGISTRAR]
        )
        EpvoNumber.objects.create(
            graduation_order=graduation, graduate=a, number="KZ-77", entered_by=users[Role.REGISTRAR]
        )
        assert compute("graduates", as_of=today) == frozen
        assert built(capsys, "graduates", today) == frozen
        after = compute("graduates", as_of=tomorrow)
    assert after["figures"]["graduates"] == 2
    assert ["ЖБ-Б", 77] in [row[5:7] for row in after["tables"][1]["rows"]]
    assert "KZ-77" in [row[-1] for row in after["tables"][1]["rows"]]
    assert Document.objects.filter(kind="report_graduates", state="registered").count() == 1


def test_graduates_keep_the_epvo_number_of_their_day_when_it_is_corrected_later(
    users: dict[str, Any], org: Any
) -> None:
    """A number entered on day 1 and corrected on day 2: day 1's recomputation still shows the first,
    day 2's the correction; both entries are kept and the correction is audited."""
    today = timezone.localdate()
    graduation_day = dt.date(today.year, 1, 1)
    a = student(org)
    enroll(users, org, a, "2021-09-01")
    bulk_order(users, org, "final_attestation_admission",
               order("final_attestation_admission", a, f"{today.year - 1}-12-20"))  # fmt: skip
    graduation = bulk_order(
        users,
        org,
        "graduation",
        order("graduation", a, graduation_day.isoformat(), degree_awarded="Бакалавр"),
    )
    registrar = users[Role.REGISTRAR]
    cohort = {"by": registrar, "group_code": org.group.code, "date": graduation_day.isoformat()}
    assert epvo_numbers_enter(**cohort, numbers={a.pk: "KZ-0001"}) == 1
    frozen = registered(users, "graduates", as_of=today)
    assert "KZ-0001" in [row[-1] for row in frozen["tables"][1]["rows"]]
    with next_day() as tomorrow:
        assert epvo_numbers_enter(**cohort, numbers={a.pk: "KZ-0002"}) == 1
        assert compute("graduates", as_of=today) == frozen
        after = compute("graduates", as_of=tomorrow)
    assert [row[-1] for row in after["tables"][1]["rows"]] == ["KZ-0002"]
    assert list(
        EpvoNumberEntry.objects.filter(graduation_order=graduation).values_list("number", flat=True)
    ) == [
        "KZ-0001",
        "KZ-0002",
    ]
    corrections = AuditEvent.objects.filter(action="diploma.epvo_number", document=graduation).order_by("id")
    assert [e.changes["number"] for e in corrections] == [
        {"from": "", "to": "KZ-0001"},
        {"from": "KZ-0001", "to": "KZ-0002"},
    ]
