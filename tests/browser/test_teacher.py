"""Journeys 1 and 2 in a browser: the teacher finds the statement due this term, fills the grid by
keyboard, submits; the head of department rejects it with a reason; the teacher sees why and fixes
it, and the new version names the teacher."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from records.models import Document, Role
from records.projections.bulk import document_register_directly
from tests.browser.helpers import enrolled_student
from tests.records.academic.conftest import curriculum


def test_the_teacher_opens_the_due_statement_and_a_rejection_comes_back_with_its_reason(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    document_register_directly(
        by=staff_users[Role.REGISTRAR],
        kind="working_curriculum",
        org_unit=org.department,
        title="РУП",
        data=curriculum(),
    )
    people = [enrolled_student(staff_users, org.group, org.faculty) for _ in range(2)]
    teacher, head = staff_users[Role.TEACHER], staff_users[Role.HEAD_OF_DEPARTMENT]
    browser.login_as(teacher)
    page = browser.page
    page.get_by_role("link", name="Grade statements").first.click()
    page.wait_for_selector("[data-statements-due]")
    browser.shot("due")
    # Today is in the autumn term of 2026/27: group IS-24-1 (intake 2024) is in semester 5.
    row = page.locator('tr[data-discipline="D51"]')
    assert "Not started" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_selector("#grade-statement")
    assert page.input_value('[name="discipline_code"]') == "D51"
    assert page.get_attribute('[name="discipline_code"]', "readonly") is not None
    assert page.input_value('[name="credits"]') == "5"
    first = page.locator('input[name$="-rating1"]').first
    first.focus()
    for value in ("80", "90", "85", "70", "75", "60", "55", "65", "50"):  # three rows, tab by tab
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    # A locator wait, not wait_for_function: its polling evaluates a string, which the CSP refuses.
    expect(page.locator("td[data-col=letter]").first).to_have_text(re.compile(r"\S"))
    browser.shot("typed")
    assert "хорошо" not in page.locator("#grade-statement").inner_text()  # English page, English words
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    document = Document.objects.get(kind="grade_statement")
    page.locator('[data-transition="submit"]').click()
    page.wait_for_load_state()

    browser.context.clear_cookies()
    browser.login_as(head)
    browser.goto(f"/admin/registry/documents/{document.pk}/transition/reject/")
    page.fill('textarea[name="reason"]', "Рейтинг 2 у второго студента указан неверно")
    page.get_by_role("button").filter(has_text="Reject").first.click()
    page.wait_for_load_state()

    browser.context.clear_cookies()
    browser.login_as(teacher)
    browser.goto("/admin/")
    browser.shot("dashboard-rejected")
    assert (
        "Рейтинг 2 у второго студента указан неверно" in page.locator("[data-rejection]").first.inner_text()
    )
    browser.goto(f"/admin/registry/documents/{document.pk}/")
    assert "Рейтинг 2 у второго студента указан неверно" in page.locator("[data-rejection]").inner_text()
    browser.goto(f"/admin/statements/{document.pk}/edit/")
    page.fill('input[name="rows-1-rating2"]', "72")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    browser.shot("version-2")
    newest = page.locator("[data-version-author]").first.inner_text()
    assert newest == teacher.username, newest  # "Version 2 — head" would be wrong: the teacher wrote it
    assert len(people) == 2
