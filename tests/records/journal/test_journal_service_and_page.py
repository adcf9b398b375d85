"""Keeping a journal: cells saved with one audit event, bad input changes nothing, scope by unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from records.academics.errors import AcademicInputError
from records.errors import NotFoundOrForbidden, RecordsError
from records.models import AuditEvent, Journal, JournalMark, OrgUnit, Person, Role
from records.selectors.journal import journal_grid
from records.services.journal import JournalInputError, journal_add_class, journal_save_cells
from tests.factories import Org, make_staff


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_saving_cells_writes_only_what_changed_with_one_event(
    journal: Journal, staff: dict[str, Any], pupils: list[Person]
) -> None:
    teacher = staff["teacher"]
    first = journal_add_class(
        journal=journal, by=teacher, date=dt.date(2024, 9, 2), kind="practical", hours=2
    )
    midterm = journal_add_class(
        journal=journal, by=teacher, date=dt.date(2024, 10, 14), kind="practical", midterm=True
    )
    a, b, _c = pupils
    journal.refresh_from_db()
    before = AuditEvent.objects.count()
    journal_save_cells(
        journal=journal,
        by=teacher,
        lock_version=journal.lock_version,
        cells={
            (first.pk, a.pk): "90",
            (first.pk, b.pk): "н",
            (midterm.pk, a.pk): "70",
            (midterm.pk, b.pk): "",
        },
    )
    events = list(AuditEvent.objects.filter(id__gt=before))
    assert [e.action for e in events] == ["journal.edit"]
    assert events[0].changes["cells"] == {
        f"{first.pk}:{a.pk}": {"from": "", "to": "90"},
        f"{first.pk}:{b.pk}": {"from": "", "to": "н"},
        f"{midterm.pk}:{a.pk}": {"from": "", "to": "70"},
    }
    grid = journal_grid(journal=journal, user=teacher)
    row = next(r for r in grid.rows if r.student == a)
    assert (row.ratings.first.current, row.ratings.first.midterm, row.ratings.first.rating) == (90, 70, 80)
    b_row = next(r for r in grid.rows if r.student == b)
    assert b_row.ratings.first.rating == 0 and b_row.ratings.attendance_percent == 0


def test_a_bad_mark_anywhere_saves_nothing_and_names_the_cell(
    journal: Journal, staff: dict[str, Any], pupils: list[Person]
) -> None:
    teacher = staff["teacher"]
    lesson = journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 9, 2), kind="lecture")
    before = AuditEvent.objects.count()
    with pytest.raises(JournalInputError) as caught:
        journal_save_cells(
            journal=journal,
            by=teacher,
            lock_version=None,
            cells={(lesson.pk, pupils[0].pk): "95", (lesson.pk, pupils[1].pk): "150"},
        )
    assert caught.value.errors[0].student_id == pupils[1].pk
    assert "between 0 and 100" in caught.value.errors[0].message
    assert JournalMark.objects.count() == 0 and AuditEvent.objects.count() == before


def test_a_class_outside_the_term_or_of_bad_length_is_refused(
    journal: Journal, staff: dict[str, Any]
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(AcademicInputError) as caught:
        journal_add_class(journal=journal, by=staff["teacher"], date=dt.date(2025, 1, 20), kind="lecture")
    assert caught.value.code == "date_outside_term"
    with pytest.raises(RecordsError):
        journal_add_class(
            journal=journal, by=staff["teacher"], date=dt.date(2024, 9, 2), kind="lecture", hours="0.3"
        )
    assert journal.classes.count() == 0 and AuditEvent.objects.count() == before


def test_only_the_journals_teacher_writes(journal: Journal, staff: dict[str, Any]) -> None:
    with pytest.raises(NotFoundOrForbidden):
        journal_add_class(
            journal=journal, by=staff[Role.HEAD_OF_DEPARTMENT], date=dt.date(2024, 9, 2), kind="lecture"
        )


def test_page_teacher_edits_head_reads_other_departments_teacher_gets_404(
    org: Org, journal: Journal, staff: dict[str, Any], pupils: list[Person]
) -> None:
    teacher = staff["teacher"]
    lesson = journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 9, 2), kind="lecture")
    url = reverse("records_journal:journal", args=[journal.pk])
    page = _client(teacher).get(url)
    assert page.status_code == 200
    assert f'name="c-{lesson.pk}-{pupils[0].pk}"' in page.content.decode()
    head_page = _client(staff[Role.HEAD_OF_DEPARTMENT]).get(url)
    assert head_page.status_code == 200 and "readonly" in head_page.content.decode()

    other_department = OrgUnit.objects.create(
        code="dep-law",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=org.other_faculty,
        name_kk="x",
        name_ru="x",
        name_en="x",
    )
    outsider = make_staff("outsider_teacher", Role.TEACHER, other_department)
    outsider.user_permissions.add(*teacher.user_permissions.all())
    before = AuditEvent.objects.count()
    assert _client(outsider).get(url).status_code == 404
    assert _client(outsider).post(url, {f"c-{lesson.pk}-{pupils[0].pk}": "90"}).status_code == 404
    assert (
        _client(staff["head_of_department"]).post(url, {f"c-{lesson.pk}-{pupils[0].pk}": "90"}).status_code
        == 403
    )
    assert JournalMark.objects.count() == 0 and AuditEvent.objects.count() == before
    listing = _client(outsider).get(reverse("records_journal:list"))
    assert listing.status_code == 200 and str(journal.discipline_code) not in listing.content.decode()


def test_page_saves_without_script_and_one_cell_with_json(
    journal: Journal, staff: dict[str, Any], pupils: list[Person]
) -> None:
    teacher = staff["teacher"]
    lesson = journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 9, 2), kind="practical")
    journal.refresh_from_db()
    url = reverse("records_journal:journal", args=[journal.pk])
    client = _client(teacher)
    saved = client.post(url, {"lock_version": journal.lock_version, f"c-{lesson.pk}-{pupils[0].pk}": "88"})
    assert saved.status_code == 302
    answer = client.post(url, {f"c-{lesson.pk}-{pupils[1].pk}": "у"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer.json()["ratings"][str(pupils[0].pk)]["r1"] == "44"  # ТК 88, no midterm yet: (88 + 0) / 2
    refused = client.post(url, {f"c-{lesson.pk}-{pupils[2].pk}": "abc"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and f"c-{lesson.pk}-{pupils[2].pk}" in refused.json()["cells"]
    stale = client.post(url, {"lock_version": 0, f"c-{lesson.pk}-{pupils[2].pk}": "50"})
    assert stale.status_code == 409
    marks = {m.student_id: (m.attendance, m.mark) for m in JournalMark.objects.all()}
    assert marks == {pupils[0].pk: ("present", Decimal(88)), pupils[1].pk: ("excused", None)}


def test_adding_a_class_from_the_page_outside_the_term_shows_the_error(
    journal: Journal, staff: dict[str, Any]
) -> None:
    url = reverse("records_journal:add_class", args=[journal.pk])
    answer = _client(staff["teacher"]).post(url, {"date": "2025-03-01", "kind": "lecture", "hours": "2"})
    assert answer.status_code == 400 and "outside the term" in answer.content.decode()
    assert journal.classes.count() == 0


def test_hostile_posts_get_a_clear_answer_and_change_nothing(
    journal: Journal, staff: dict[str, Any], pupils: list[Person]
) -> None:
    lesson = journal_add_class(journal=journal, by=staff["teacher"], date=dt.date(2024, 9, 2), kind="lecture")
    client = _client(staff["teacher"])
    url = reverse("records_journal:journal", args=[journal.pk])
    before = AuditEvent.objects.count()
    answers = [
        client.post(url, {"lock_version": "abc", "c-99999-1": "90"}).status_code,
        client.post(url, {f"c-{lesson.pk}-{pupils[0].pk}": "9" * 5000}).status_code,
        client.post(
            reverse("records_journal:add_class", args=[journal.pk]),
            {"date": "not a date", "kind": "x", "hours": "nan"},
        ).status_code,
        client.post(reverse("records_journal:rating", args=[journal.pk, 3])).status_code,
    ]
    assert answers == [400, 400, 400, 400]
    assert AuditEvent.objects.count() == before and JournalMark.objects.count() == 0
