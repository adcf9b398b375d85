"""What a person sees at the door of the back office, in a real browser."""

from __future__ import annotations

from typing import Any

from records.models import Role


def test_the_sign_in_page_names_the_rectorate_not_wagtail(browser: Any) -> None:
    browser.goto("/admin/login/")
    heading = browser.page.locator("h1").inner_text()
    browser.shot("sign-in")
    assert "Electronic Rectorate" in heading
    assert "Wagtail" not in heading


def test_a_student_signing_in_at_admin_lands_on_the_portal(browser: Any, staff_users: dict[str, Any]) -> None:
    browser.login_as(staff_users[Role.STUDENT])
    browser.goto("/admin/")
    browser.shot("student-admin")
    assert browser.page.url.endswith("/portal/")
    assert "permission" not in browser.page.content().lower()


def test_the_auditor_sees_no_new_document_and_one_search(browser: Any, staff_users: dict[str, Any]) -> None:
    browser.login_as(staff_users[Role.AUDITOR])
    browser.goto("/admin/")
    browser.page.wait_for_selector("[data-wagtail-sidebar], #wagtail-sidebar, aside", state="attached")
    browser.shot("auditor-dashboard")
    menu = browser.page.locator("aside, #wagtail-sidebar").first.inner_text()
    assert "New document" not in menu
    assert "Audit trail" in menu
    assert "Search the registry" not in menu  # one search: the sidebar box


def test_the_dean_sees_new_document(browser: Any, staff_users: dict[str, Any]) -> None:
    browser.login_as(staff_users[Role.DEAN])
    browser.goto("/admin/")
    browser.page.wait_for_selector("text=New document")
    assert browser.page.locator("text=New document").count() >= 1
