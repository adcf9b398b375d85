"""The archivist's records-management pages in a browser, in Kazakh, Russian and English: the file
plan with its counts, the due list with the record under hold marked by its hold, and the holds page
(screenshots kept). Placing and lifting a hold through the page: tests/records/archive/test_pages.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from records.models import Role
from records.services.holds import hold_place
from tests.records.archive.conftest import due_orders, register_plan, series

HEADINGS = {
    "kk": ("Істер номенклатурасы", "Сақтау мерзімі өткендер", "Тыйымдар"),
    "ru": ("Номенклатура дел", "Истёк срок хранения", "Запреты на уничтожение"),
    "en": ("File plan", "Due for disposition", "Holds"),
}
SERIES_TITLE = {"kk": "Іс 01-05", "ru": "Дело 01-05", "en": "File 01-05"}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_archivist_reads_the_file_plan_the_due_list_and_the_holds(
    browser: Any, staff_users: dict[str, Any], org: Any, language: str
) -> None:
    register_plan(
        staff_users,
        org,
        "2000-01-01",
        [
            series("01-05", ["internal_order"]),
            series("01-01", ["academic_policy"], years=None, action="transfer"),
        ],
    )
    records = due_orders(staff_users, org, 3)
    hold_place(by=staff_users[Role.RECTOR], kind="legal", reason="Запрос суда (тест)", document=records[0])
    browser.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": browser.base_url}]
    )
    browser.login_as(staff_users[Role.ARCHIVIST])
    page = browser.page
    plan_title, due_title, holds_title = HEADINGS[language]

    browser.goto("/admin/archive/")
    expect(page.locator("h1")).to_contain_text(plan_title)
    row = page.locator("tr", has_text="01-05").first
    expect(row).to_contain_text(SERIES_TITLE[language])
    expect(row.get_by_role("link", name="3")).to_be_visible()  # the count opens its records
    browser.shot(f"file-plan-{language}")

    browser.goto("/admin/archive/due/")
    expect(page.locator("h1")).to_contain_text(due_title)
    for record in records:
        expect(page.locator("body")).to_contain_text(record.registry_number)
    held_row = page.locator("tr", has_text=records[0].registry_number)
    expect(held_row).to_contain_text("#")  # the hold that keeps it is named
    browser.shot(f"due-{language}")

    browser.goto("/admin/archive/holds/")
    expect(page.locator("h1")).to_contain_text(holds_title)
    expect(page.locator("body")).to_contain_text("Запрос суда (тест)")
    browser.shot(f"holds-{language}")
    # No English left on the Kazakh and Russian pages' headings and table headers.
    if language != "en":
        headers = " ".join(page.locator("th").all_inner_texts())
        assert not any(word in headers for word in ("Reason", "Scope", "Placed", "Lifted")), headers
