"""Journal → rating statements РК1/РК2 → exam statement: the ratings that count come from the registry."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from records.models import GradeLine, Journal, Person, Role
from records.selectors.journal import rating_statement_ratings
from records.services.document import document_create
from records.services.journal import journal_add_class, journal_draft_rating_statement, journal_save_cells
from tests.conftest import walk_route
from tests.factories import Org


def test_journal_to_registered_rating_statements_to_exam_statement(
    org: Org, journal: Journal, staff: dict[str, Any], pupils: list[Person]
) -> None:
    teacher = staff["teacher"]
    a, b, _c = pupils
    week1 = journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 9, 3), kind="practical")
    rk1 = journal_add_class(
        journal=journal, by=teacher, date=dt.date(2024, 10, 15), kind="practical", midterm=True
    )
    week9 = journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 10, 29), kind="laboratory")
    rk2 = journal_add_class(
        journal=journal, by=teacher, date=dt.date(2024, 12, 10), kind="practical", midterm=True
    )
    journal_save_cells(
        journal=journal,
        by=teacher,
        lock_version=None,
        cells={
            (week1.pk, a.pk): "90",
            (rk1.pk, a.pk): "80",
            (week9.pk, a.pk): "70",
            (rk2.pk, a.pk): "61",
            (week1.pk, b.pk): "н",
            (rk1.pk, b.pk): "60",
            (week9.pk, b.pk): "у",
            (rk2.pk, b.pk): "50",
        },
    )
    first = journal_draft_rating_statement(journal=journal, by=teacher, control=1)
    lines = {line["student_iin"]: line for line in first.current_version.data["lines"]}
    assert (lines[a.iin]["current"], lines[a.iin]["midterm"], lines[a.iin]["rating"]) == ("90", "80", "85")
    assert (lines[b.iin]["current"], lines[b.iin]["rating"], lines[b.iin]["absent"]) == ("0", "30", 1)
    assert first.current_version.data["date"] == "2024-10-19"
    walk_route(staff, first, approver=Role.HEAD_OF_DEPARTMENT)
    second = journal_draft_rating_statement(journal=journal, by=teacher, control=2)
    walk_route(staff, second, approver=Role.HEAD_OF_DEPARTMENT)

    assert rating_statement_ratings(
        discipline_code="ICT1", group_code=org.group.code, academic_year=2024, period=1
    ) == {
        1: {
            a.iin: Decimal(85),
            b.iin: Decimal(30),
            pupils[2].iin: Decimal(0),
            staff["student"].person.iin: Decimal(0),
        },
        2: {
            a.iin: Decimal(66),
            b.iin: Decimal(25),
            pupils[2].iin: Decimal(0),
            staff["student"].person.iin: Decimal(0),
        },
    }

    # The exam statement's ratings are typed wrong on purpose: the registered ones count.
    statement = document_create(
        by=teacher,
        kind="grade_statement",
        org_unit=org.department,
        title="Ведомость",
        data={
            "discipline_code": "ICT1",
            "discipline_name": "Информатика",
            "credits": 5,
            "group_code": org.group.code,
            "academic_year": 2024,
            "period": 1,
            "exam_date": "2025-01-10",
            "examiner": "Тестов Т.",
            "lines": [{"student_iin": a.iin, "rating1": "10", "rating2": "10", "exam": "90"}],
        },
    )
    line = statement.current_version.data["lines"][0]
    # Р1 = 85; Р2 = (70 + 61) / 2 = 65.5 → 66; admission (85 + 66) / 2 = 75.5 → 76; final 0.6·76 + 0.4·90 = 81.6 → 82
    assert (line["rating1"], line["rating2"], line["admission_rating"], line["final_percent"]) == (
        "85",
        "66",
        "76",
        "82",
    )
    # The editor shows the registered ratings read-only instead of offering to type them.
    client = Client()
    client.force_login(teacher)
    page = client.get(reverse("records_statements:edit", args=[statement.pk]))
    assert page.status_code == 200
    rating_inputs = re.findall(r'<input[^>]*name="rows-0-rating[12]"[^>]*>', page.content.decode())
    assert len(rating_inputs) == 2
    assert all("readonly" in tag for tag in rating_inputs), rating_inputs
    assert 'value="85"' in rating_inputs[0] and 'value="66"' in rating_inputs[1]
    exam_input = re.search(r'<input[^>]*name="rows-0-exam"[^>]*>', page.content.decode())
    assert exam_input is not None and "readonly" not in exam_input.group(0)
    walk_route(staff, statement, approver=Role.HEAD_OF_DEPARTMENT)
    assert GradeLine.objects.get(person=a, discipline_code="ICT1").admission_rating == Decimal(76)
    call_command("registry", "replay", "--check")
