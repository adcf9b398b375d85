"""Journey 3 in a browser: the dean drafts an academic-leave order, picking the student by name."""

from __future__ import annotations

import re
from typing import Any

from records.models import Document, Role
from tests.browser.helpers import enrolled_student, other_faculty_group

ALIYA = {
    "last_name_ru": "Жумабаева",
    "first_name_ru": "Алия",
    "last_name_kk": "Жұмабаева",
    "first_name_kk": "Әлия",
    "last_name_en": "Zhumabayeva",
    "first_name_en": "Aliya",
}
OUTSIDER = {
    "last_name_ru": "Жумабеков",
    "first_name_ru": "Ерлан",
    "last_name_kk": "Жұмабеков",
    "first_name_kk": "Ерлан",
    "last_name_en": "Zhumabekov",
    "first_name_en": "Yerlan",
}


def test_the_dean_picks_a_student_by_name_and_options_are_words(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    aliya = enrolled_student(staff_users, org.group, org.faculty, **ALIYA)
    enrolled_student(staff_users, other_faculty_group(org), org.other_faculty, **OUTSIDER)
    browser.login_as(staff_users[Role.DEAN])
    browser.goto("/admin/registry/documents/new/?kind=student_order_academic_leave")
    page = browser.page
    labels = page.locator("label").all_inner_texts()
    assert not any(re.search(r"\b(iin|Student iin|Leave grounds)\b", t) for t in labels), labels
    student = page.get_by_role("combobox", name="Student")
    student.fill("Zhumab")
    page.wait_for_selector('[role="option"]')
    options = page.locator('[role="option"]').all_inner_texts()
    browser.shot("suggestions")
    assert len(options) == 1 and "Zhumabayeva" in options[0]  # the other faculty's student is not offered
    student.press("ArrowDown")
    student.press("Enter")
    assert aliya.iin in student.input_value()
    grounds = page.locator('select[name="data__leave_grounds"] option').all_inner_texts()
    assert "Illness" in grounds and "illness" not in grounds
    page.fill('input[name="data__effective_date"]', "2026-12-07")
    page.fill('input[name="data__end_date"]', "2027-08-31")
    page.select_option('select[name="data__leave_grounds"]', "illness")
    browser.shot("filled")
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_load_state()
    browser.shot("created")
    document = Document.objects.get(kind="student_order_academic_leave")
    assert document.current_version is not None
    assert document.current_version.data["student_iin"] == aliya.iin
    assert "Zhumabayeva" in document.title  # proposed from the kind and the student, not typed


def test_a_pydantic_error_reads_as_a_sentence_naming_the_field(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    enrolled_student(staff_users, org.group, org.faculty, **ALIYA)
    browser.login_as(staff_users[Role.DEAN])
    browser.goto("/admin/registry/documents/new/?kind=student_order_academic_leave")
    page = browser.page
    page.get_by_role("combobox", name="Student").fill("Zhumabayeva")
    page.fill('input[name="data__effective_date"]', "2026-12-07")
    page.fill('input[name="data__end_date"]', "2026-12-01")
    page.select_option('select[name="data__leave_grounds"]', "illness")
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_load_state()
    browser.shot("refused")
    text = page.locator("main").inner_text()
    assert "the leave must end after it starts" in text.lower() or "end after" in text.lower(), text
    assert "Value error" not in text and "String should" not in text
    assert not Document.objects.filter(kind="student_order_academic_leave").exists()
