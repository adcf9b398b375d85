"""Report kinds: frozen figures equal a fresh computation for the as-of date, a later order changes
nothing registered, the Ministry copy list of grant students' leave, graduates with their diplomas,
the command prints the same figures, and a report renders to PDF/A through the normal pipeline."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.models import DiplomaBookEntry, Document, EpvoNumber, Role
from records.selectors.reports import compute, latest_term
from records.services.document import document_transition
from records.services.reports import report_create
from records.services.signature import document_sign
from tests.records.academic.conftest import bulk, bulk_order, line, order, statement
from tests.records.monitoring.conftest import Law, enroll, enroll_law, student

D = dt.date


def today() -> dt.date:
    """The data of these tests is registered today, with effective dates in the past: their reports
    are of a past date as the registry stands today (`registered_by`)."""
    return timezone.localdate()


def register_report(users: dict[str, Any], document: Document) -> Document:
    """The report's route: the registrar submits, the vice-rector approves (renders), the rector signs."""
    bootstrap_pki(usernames={users[Role.RECTOR].username})
    for name, who in (
        ("submit", Role.REGISTRAR),
        ("approve", Role.VICE_RECTOR),
        ("start_signing", Role.REGISTRAR),
    ):
        document = document_transition(document=document, by=users[who], name=name)
    document_sign(
        document=document, by=users[Role.RECTOR], passphrase=demo_passphrase(users[Role.RECTOR].username)
    )
    document.refresh_from_db()
    assert document.state == "registered"
    return document


def test_a_registered_report_keeps_its_figures_and_equals_a_fresh_computation(
    staff: dict[str, Any], org: Any, law: Law, client: Client
) -> None:
    a, b = student(org), student(org)
    enroll(staff, org, a)
    enroll_law(staff, org, law, b)
    draft = report_create(
        by=staff[Role.REGISTRAR], report="contingent", as_of=D(2024, 10, 1), registered_by=today()
    )
    report = register_report(staff, draft)
    frozen = report.current_version.data
    assert frozen == compute("contingent", as_of=D(2024, 10, 1), registered_by=today())
    assert frozen["figures"]["students"] == 2 and frozen["figures"]["enrollment"] == 2
    pdf = report.current_version.pdf_blob if hasattr(report.current_version, "pdf_blob") else None
    assert report.registry_number.startswith("ОТЧ-")
    # a later order (a student enrolled in November) changes a fresh count for a later date, not the report
    late = student(org)
    enroll(staff, org, late, "2024-11-01")
    report.refresh_from_db()
    assert report.current_version.data == frozen
    assert compute("contingent", as_of=D(2024, 10, 1), registered_by=today()) == frozen
    later = compute("contingent", as_of=D(2024, 11, 2), registered_by=today())
    assert later["figures"]["students"] == 3 and later["projection_digest"] != frozen["projection_digest"]
    # the XLSX of the registered report carries the frozen tables
    client.force_login(staff[Role.RECTOR])
    response = client.get(f"/admin/monitoring/reports/{report.pk}/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("Образовательная программа", "Обучающиеся") and ("Итого", 2) in [
        r[:2] for r in rows
    ]
    del pdf


def test_contingent_figures_by_programme_year_funding_sex_language_citizenship(
    users: dict[str, Any], org: Any, law: Law
) -> None:
    kazakh = [student(org) for _ in range(2)]
    foreign = student(org, citizenship="RU")
    for person in [*kazakh, foreign]:
        enroll(users, org, person)
    enroll_law(users, org, law, student(org))
    leaver = student(org)
    enroll(users, org, leaver, "2023-09-01")
    bulk_order(
        users, org, "expulsion", order("expulsion", leaver, "2024-03-01", grounds="Собственное желание")
    )
    data = compute("contingent", as_of=D(2024, 10, 1), registered_by=today(), language="en")
    figures = data["figures"]
    assert (figures["students"], figures["state_grant"], figures["paid"], figures["foreign"]) == (4, 3, 1, 1)
    assert (figures["lang_kk"], figures["lang_ru"], figures["enrollment"], figures["expulsion"]) == (
        3,
        1,
        4,
        1,
    )
    by_programme = {row[0]: row[1] for row in data["tables"][0]["rows"]}
    assert by_programme == {f"{org.programme.code} {org.programme.name_en}": 3,
                            f"{law.programme.code} {law.programme.name_en}": 1, "Total": 4}  # fmt: skip
    assert data["tables"][1]["rows"][0][:2] == ["Year 1", 4]
    scoped = compute("contingent", as_of=D(2024, 10, 1), registered_by=today(), unit=org.other_faculty)
    assert scoped["figures"]["students"] == 1 and scoped["scope_code"] == org.other_faculty.code
    assert any("3-НК" in note for note in data["notes"])


def test_leave_of_a_grant_student_is_on_the_ministry_copy_list(
    users: dict[str, Any], org: Any, law: Law
) -> None:
    grant, paid = student(org), student(org)
    enroll(users, org, grant)
    enroll_law(users, org, law, paid)
    for person in (grant, paid):
        leave = order("academic_leave", person, "2024-11-01", leave_grounds="illness", end_date="2025-08-31")
        bulk_order(users, org, "academic_leave", leave)
    day = today()
    data = compute("movement", as_of=day, date_from=day - dt.timedelta(days=1))
    copies = data["tables"][1]["rows"]
    assert [row[4] for row in copies] == [grant.iin]
    registered = D.fromisoformat(copies[0][1])
    due = D.fromisoformat(copies[0][2])
    assert due > registered and due.weekday() < 5 and (due - registered).days in (3, 4, 5)
    period = compute("movement", as_of=D(2025, 6, 30), registered_by=today(), date_from=D(2024, 9, 1))
    assert period["figures"]["academic_leave"] == 2 and period["figures"]["enrollment"] == 2


def test_graduates_report_names_the_diploma(users: dict[str, Any], org: Any) -> None:
    person = student(org)
    enroll(users, org, person)
    bulk_order(
        users, org, "final_attestation_admission", order("final_attestation_admission", person, "2025-05-01")
    )
    graduation = order("graduation", person, "2025-06-30", degree_awarded="Бакалавр ИС", with_honours=False)
    DiplomaBookEntry.objects.create(
        series="ЖБ-Б",
        number=1234,
        graduate=person,
        issue_date=D(2025, 7, 5),
        created_by=users[Role.REGISTRAR],
    )
    registered = bulk_order(users, org, "graduation", graduation)
    EpvoNumber.objects.create(
        graduation_order=registered,
        graduate=person,
        number="KZ-2025-000123",
        entered_by=users[Role.REGISTRAR],
    )
    data = compute("graduates", as_of=D(2025, 12, 31), registered_by=today())
    (row,) = data["tables"][1]["rows"]
    assert (
        row[1] == person.iin
        and row[3] == "Бакалавр ИС"
        and row[5:]
        == ["ЖБ-Б", 1234, "2025-06-30", "2025-07-05", registered.registry_number, "KZ-2025-000123"]
    )
    assert data["figures"] == {"graduates": 1, "with_honours": 0}
    before = compute("graduates", as_of=D(2025, 7, 1), registered_by=today())
    assert before["tables"][1]["rows"][0][5:7] == ["", ""]


def test_session_results_report_and_the_command_print_the_same_figures(
    users: dict[str, Any], org: Any, capsys: Any
) -> None:
    a, b = student(org), student(org)
    for person in (a, b):
        enroll(users, org, person)
    bulk(users, org, "grade_statement", statement(org, [line(a, 95, 95, 95), line(b, 60, 60, 30)]))
    assert latest_term(D(2025, 3, 1)) == (2024, 1)
    data = compute("session_results", as_of=D(2025, 3, 1), registered_by=today())
    assert data["term"] == "2024-1"
    assert data["figures"]["results"] == 2 and data["figures"]["absolute"] == "50.0"
    call_command(
        "reports",
        "build",
        "session_results",
        "--as-of",
        "2025-03-01",
        "--registered-by",
        today().isoformat(),
        "--json",
    )
    assert json.loads(capsys.readouterr().out) == data
    call_command(
        "reports",
        "build",
        "contingent",
        "--as-of",
        "2024-10-01",
        "--scope",
        org.faculty.code,
        "--registered-by",
        today().isoformat(),
    )
    text = capsys.readouterr().out
    assert "Итого\t2\t2\t0" in text


def test_bad_input_to_the_command_and_the_service_is_refused_clearly(users: dict[str, Any], org: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no unit"):
        call_command("reports", "build", "contingent", "--as-of", "2024-10-01", "--scope", "nowhere")
    with pytest.raises(CommandError, match="Not a date"):
        call_command("reports", "build", "contingent", "--as-of", "1 October")
    with pytest.raises(RecordsError) as info:
        report_create(
            by=users[Role.TEACHER], report="contingent", as_of=D(2024, 10, 1), registered_by=today()
        )
    assert info.value.code == "forbidden"
    assert not Document.objects.filter(kind__startswith="report_").exists()
