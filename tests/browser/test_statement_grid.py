"""The grade statement grid at 1280×800: every column on screen, amendment fields only where they belong,
the sidebar in the page's language.

Journey 1's grid, in Kazakh (the longest column headings), opened from the teacher's due list: the
"Traditional grade" column (the last) lies inside the viewport, and a regular statement does not
show the amendment's number and reason until the kind of statement is switched to an amendment.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from playwright.sync_api import expect

from records.models import Role
from records.projections.bulk import document_register_directly
from tests.browser.helpers import enrolled_student
from tests.records.academic.conftest import curriculum


def test_the_grid_fits_1280_and_amendment_fields_show_only_for_an_amendment(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    document_register_directly(
        by=staff_users[Role.REGISTRAR],
        kind="working_curriculum",
        org_unit=org.department,
        title="РУП",
        data=curriculum(),
    )
    names = {
        "last_name_kk": "Сәрсенбаева-Жақыпбекова",
        "first_name_kk": "Гүлнұр",
        "patronymic_kk": "Серікқызы",
        "last_name_ru": "Сарсенбаева-Жакыпбекова",
        "first_name_ru": "Гульнур",
        "patronymic_ru": "Сериковна",
    }
    for _ in range(2):
        enrolled_student(staff_users, org.group, org.faculty, **names)
    page = browser.page
    page.set_viewport_size({"width": 1280, "height": 800})
    browser.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "kk", "url": browser.base_url}]
    )
    browser.login_as(staff_users[Role.TEACHER])
    browser.goto("/admin/statements/")
    page.locator('tr[data-discipline="D51"]').get_by_role("link").click()
    page.wait_for_selector("#grade-statement")
    # The sidebar's script strings are Kazakh too (Wagtail ships no Kazakh catalog; ours has them).
    expect(page.locator("#wagtail-sidebar")).to_contain_text("Іздеу")
    assert "Search" not in page.locator("#wagtail-sidebar").inner_text()
    page.locator('input[name$="-rating1"]').first.fill("85")
    page.locator('input[name$="-rating2"]').first.fill("90")
    page.locator('input[name$="-exam"]').first.fill("95")
    # ↓ and Enter move down the column without stepping the number; ↑ moves back up.
    page.keyboard.press("ArrowDown")
    expect(page.locator('input[name="rows-1-exam"]')).to_be_focused()
    assert page.input_value('input[name="rows-0-exam"]') == "95"
    page.keyboard.press("ArrowUp")
    expect(page.locator('input[name="rows-0-exam"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('input[name="rows-1-exam"]')).to_be_focused()
    assert page.url.endswith("/admin/statements/new/") or "discipline=" in page.url  # not submitted
    # The computed mark (the widest cell of the last column) is in before the column is measured.
    expect(page.locator("td[data-col=traditional]").first).to_have_text(re.compile(r"\S"))
    page.locator("#grade-statement table").scroll_into_view_if_needed()
    browser.shot("grid-1280")
    width = page.viewport_size["width"]
    for selector in ("#grade-statement thead th:last-child", "td[data-col=traditional]"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling

    # A regular statement: no amendment number or reason; switching to an amendment shows them.
    amends, reason = page.locator('[name="amends_number"]'), page.locator('[name="reason"]')
    assert page.input_value('[name="attempt_kind"]') == "regular"
    assert not amends.is_visible() and not reason.is_visible()
    page.select_option('[name="attempt_kind"]', "amendment")
    assert amends.is_visible() and reason.is_visible()
    browser.shot("amendment")
    page.select_option('[name="attempt_kind"]', "retake")
    assert not amends.is_visible() and not reason.is_visible()
