"""The journal grid, filled with the keyboard: arrow keys and Enter move, a cell is saved when left
(no page reload), the ratings follow, a bad mark is flagged and not saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from playwright.sync_api import expect

from records.models import JournalMark, Person, Role
from records.services.journal import journal_add_class, journal_open
from tests.factories import make_person


def test_filling_the_journal_with_the_keyboard(browser: Any, staff_users: dict[str, Any], org: Any) -> None:
    teacher = staff_users[Role.TEACHER]
    pupils = []
    for n in range(3):
        person = make_person(kind=Person.Kind.STUDENT, last_name_ru=f"Ученик{n}", first_name_ru="Тест")
        person.group = org.group
        person.save()
        pupils.append(person)
    journal = journal_open(
        by=teacher,
        department=org.department,
        group=org.group,
        discipline_code="ICT1",
        discipline_name="Информатика",
        academic_year=2024,
        period=1,
        students=pupils,
    )
    first = journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 9, 3), kind="practical")
    journal_add_class(journal=journal, by=teacher, date=dt.date(2024, 10, 15), kind="practical", midterm=True)
    page = browser.page
    page.set_viewport_size({"width": 1280, "height": 800})
    browser.login_as(teacher)
    browser.goto(f"/admin/journals/{journal.pk}/")
    page.wait_for_selector("#journal-grid")
    page.evaluate("window.__notReloaded = true")

    top_left = page.locator('input[data-r="0"][data-c="0"]')
    top_left.click()
    page.keyboard.type("90")
    page.keyboard.press("ArrowRight")  # to the midterm control of the first student
    page.keyboard.type("80")
    page.keyboard.press("ArrowDown")  # the second student's midterm
    page.keyboard.type("н")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("у")
    page.keyboard.press("Enter")  # the third student's first class
    page.keyboard.type("150")
    page.keyboard.press("Tab")

    first_row = page.locator(f'tr[data-student="{pupils[0].pk}"]')
    expect(first_row.locator('[data-col="r1"]')).to_have_text("85")  # (90 + 80) / 2
    bad = page.locator('input[data-r="2"][data-c="0"]')
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#journal-status")).to_contain_text("100")
    assert page.evaluate("window.__notReloaded") is True  # saved without reloading the page
    browser.shot("journal-keyboard")

    marks = {(m.student_id, m.journal_class_id): (m.attendance, m.mark) for m in JournalMark.objects.all()}
    assert marks[(pupils[0].pk, first.pk)] == ("present", Decimal(90))
    assert marks[(pupils[1].pk, first.pk)] == ("excused", None)
    assert (pupils[2].pk, first.pk) not in marks  # 150 was refused, nothing stored
    assert len(marks) == 4
