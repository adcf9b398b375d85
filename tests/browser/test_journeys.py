"""Journeys 2, 4, 6 and 7 of JOURNEYS.md walked in a browser, end to end, screenshots kept.

2 (Russian): the head of department finds the submitted statement waiting for them and approves it,
  the registrar sends it for signing, examiner → head → registrar sign on the sign page with their
  passphrases; it is registered and the students' grades and GPA exist at once.
4 (English): the rector selects every order waiting, enters the passphrase once, watches the progress
  bar reach 100 %; every order is registered.
6 (Kazakh, on a phone): a third party opens the QR link: authentic, in force, signed by whom and when,
  no IIN; an altered copy uploaded is said to be changed after signing.
7 (Kazakh): the archivist searches "ҚАЗАҚСТАН 2024 бұйрық", narrows by a facet, opens an order and
  sees its versions and audit trail, exports the list to XLSX, and finds a student by a Latin-letter
  surname in lower case.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import expect

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.lifecycle import State
from records.models import Document, Person, Role
from records.models.academic import GradeLine, StudentGpa
from records.projections.bulk import document_register_directly
from records.selectors.document import document_current_pdf
from records.services.document import document_create, document_transition
from search.sync import drain
from tests.browser.helpers import enrolled_student
from tests.engines import configured_search_backend
from tests.factories import make_person
from tests.records.conftest import registered_doc
from tests.records.signing.conftest import waiting_for_rector
from tests.records.test_verification import _doctored

PHONE = {"width": 390, "height": 844}


def _language(browser: Any, language: str) -> None:
    browser.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": browser.base_url}]
    )


def _sign_out(browser: Any) -> None:
    browser.context.clear_cookies()


def _enrolled_2024(users: dict[str, Any], org: Any, **names: Any) -> Any:
    """A student enrolled by an order of 1 September 2024, titled by its kind (as the demo's are)."""
    person = make_person(kind=Person.Kind.STUDENT, group=org.group, **names)
    document_register_directly(
        by=users[Role.REGISTRAR],
        kind="student_order_enrollment",
        org_unit=org.faculty,
        title="",
        data={
            "student_iin": person.iin,
            "effective_date": "2024-09-01",
            "programme_code": org.programme.code,
            "group_code": org.group.code,
            "funding": "state_grant",
        },
        subject=person,
    )
    return person


def test_journey_2_head_approves_registrar_closes_route_signs_grades_change(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    teacher, head, registrar = (
        staff_users[r] for r in (Role.TEACHER, Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR)
    )
    bootstrap_pki(usernames={teacher.username, head.username, registrar.username})
    a, b = (enrolled_student(staff_users, org.group, org.faculty) for _ in range(2))
    data = {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "credits": 5,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": 1,
        "exam_date": "2025-01-10",
        "examiner": "Тестов Т.",
        "lines": [
            {"student_iin": a.iin, "rating1": 80, "rating2": 90, "exam": 90},
            {"student_iin": b.iin, "rating1": 70, "rating2": 75, "exam": 60},
        ],
    }
    document = document_create(
        by=teacher, kind="grade_statement", org_unit=org.department, title="Ведомость MAT101", data=data
    )
    document = document_transition(document=document, by=teacher, name="submit")
    assert not GradeLine.objects.filter(document=document).exists()
    page = browser.page
    page.set_default_timeout(180_000)  # approving renders the PDF with LibreOffice: slow on a busy machine
    _language(browser, "ru")

    browser.login_as(head)
    browser.goto("/admin/")
    waiting = page.locator("a", has_text=document.title).first
    expect(waiting).to_be_visible()
    browser.shot("head-waiting")
    waiting.click()
    page.wait_for_load_state()
    page.locator('[data-transition="approve"]').click()
    page.wait_for_load_state()
    document.refresh_from_db()
    assert document.state == State.APPROVED

    _sign_out(browser)
    _language(browser, "ru")
    browser.login_as(registrar)
    browser.goto(f"/admin/registry/documents/{document.pk}/")
    page.locator('[data-transition="start_signing"]').click()
    page.wait_for_load_state()
    document.refresh_from_db()
    assert document.state == State.SIGNING

    for signer in (teacher, head, registrar):  # the route's order: examiner, head, registrar
        _sign_out(browser)
        _language(browser, "ru")
        browser.login_as(signer)
        browser.goto(f"/admin/registry/documents/{document.pk}/")
        page.locator("[data-sign-link]").click()
        page.fill("#id_passphrase", demo_passphrase(signer.username))
        browser.shot(f"sign-{signer.username}")
        page.get_by_role("button", name="Подписать", exact=True).click()
        page.wait_for_load_state()
        expect(page.locator("[data-sign-link]")).to_have_count(0)  # back on the document: signed
    document.refresh_from_db()
    assert document.state == State.REGISTERED
    browser.shot("registered")
    assert (
        "Зарегистрирован" in page.locator("main").inner_text() or document.registry_number in page.content()
    )
    letters = dict(GradeLine.objects.filter(document=document).values_list("person_id", "letter"))
    assert letters[a.pk] == "B+" and letters[b.pk]
    assert StudentGpa.objects.get(person=a).cumulative_gpa > 0


def test_journey_4_the_rector_signs_a_batch_with_one_passphrase_and_a_progress_bar(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    rector = staff_users[Role.RECTOR]
    bootstrap_pki(usernames={rector.username})
    orders = [waiting_for_rector(staff_users, org, title=f"Приказ {i}") for i in range(3)]
    page = browser.page
    browser.login_as(rector)
    browser.goto("/admin/signing/")
    page.locator("[data-select-all]").check()
    for order in orders:
        expect(page.locator(f'input[name="documents"][value="{order.pk}"]')).to_be_checked()
    page.fill("#id_passphrase", demo_passphrase(rector.username))
    browser.shot("to-sign")
    page.get_by_role("button", name="Sign selected").click()
    page.wait_for_selector("#batch-bar")
    expect(page.locator("#batch-bar")).to_have_attribute("value", "100", timeout=180_000)
    browser.shot("batch-done")
    for order in orders:
        order.refresh_from_db()
        assert order.state == State.REGISTERED


def _registered_in_a_thread(users: dict[str, Any], org: Any) -> Document:
    """The `registered_doc` of tests/records/conftest.py, signed in a thread of its own: signing runs
    its own event loop, which cannot start in this thread while Playwright's runs here."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def make() -> Document:
        try:
            return registered_doc.__wrapped__(users, org)  # type: ignore[attr-defined]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()


def test_journey_6_a_third_party_verifies_on_a_phone_and_a_doctored_copy_is_caught(
    browser: Any, users: dict[str, Any], org: Any, tmp_path: Path
) -> None:
    registered_doc = _registered_in_a_thread(users, org)
    page = browser.page
    page.set_viewport_size(PHONE)
    _language(browser, "kk")
    browser.goto(f"/verify/{registered_doc.verification_code}/")  # where the QR code leads
    text = page.locator("body").inner_text()
    browser.shot("verify-phone")
    assert registered_doc.registry_number in text
    assert "Түпнұсқа" in text or "түпнұсқа" in text, text  # authentic
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert registered_doc.title not in text
    doctored = tmp_path / "doctored.pdf"
    doctored.write_bytes(_doctored(document_current_pdf(registered_doc)))
    browser.goto("/verify/")
    page.set_input_files('input[type="file"]', str(doctored))
    page.locator("main form button[type=submit], form[enctype] button[type=submit]").first.click()
    page.wait_for_load_state()
    browser.shot("doctored-phone")
    result = page.locator("body").inner_text()
    assert "қол қойылғаннан кейін" in result or "өзгертілген" in result, result
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_journey_7_the_archivist_searches_narrows_opens_and_exports(
    browser: Any, staff_users: dict[str, Any], org: Any, settings: Any, tmp_path: Path
) -> None:
    with configured_search_backend("tantivy", settings, tmp_path):
        names = {"last_name_ru": "Жумабеков", "last_name_kk": "Жұмабеков", "last_name_en": "Zhumabekov"}
        person = _enrolled_2024(staff_users, org, **names)
        _enrolled_2024(staff_users, org)
        assert drain().ok
        page = browser.page
        _language(browser, "kk")
        browser.login_as(staff_users[Role.ARCHIVIST])
        browser.goto("/admin/search/")
        page.fill("#id_q", "ҚАЗАҚСТАН 2024 бұйрық")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        hits = page.locator("[data-hit]")
        expect(hits).to_have_count(2)
        browser.shot("search")
        facet = page.locator('[data-facet="kind"] a').first
        facet.click()
        page.wait_for_load_state()
        expect(page.locator("[data-hit]")).to_have_count(2)
        with page.expect_download() as download_info:
            page.locator('form[action$="/export/"] button[value="xlsx"]').click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        saved = tmp_path / "export.xlsx"
        download.save_as(saved)
        from openpyxl import load_workbook

        rows = list(load_workbook(io.BytesIO(saved.read_bytes())).active.iter_rows(values_only=True))
        assert len(rows) == 3  # the header and both orders
        page.locator("[data-hit] a").first.click()
        page.wait_for_load_state()
        detail = page.locator("main").inner_text()
        browser.shot("record")
        assert page.locator("[data-version-author]").count() >= 1
        assert page.locator("#doc-trail").is_visible()
        assert re.search(r"Б-ОС-\d{4}-\d+", detail)

        browser.goto("/admin/search/")
        page.fill("#id_q", "zhumabekov")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        found = page.locator("[data-hit]")
        expect(found).to_have_count(1)
        owner = Document.objects.get(pk=int(found.first.get_attribute("data-hit") or 0))
        assert owner.subject == person


def test_journey_5_the_student_portal_on_a_phone_titles_in_the_readers_language(
    browser: Any, users: dict[str, Any], org: Any
) -> None:
    student = users[Role.STUDENT]
    person = Person.objects.get(user=student)
    document_register_directly(
        by=users[Role.REGISTRAR],
        kind="student_order_enrollment",
        org_unit=org.faculty,
        title="",
        data={
            "student_iin": person.iin,
            "effective_date": "2024-09-01",
            "programme_code": org.programme.code,
            "group_code": org.group.code,
            "funding": "state_grant",
        },
        subject=person,
    )
    page = browser.page
    page.set_viewport_size(PHONE)
    _language(browser, "kk")
    student.set_password("browser-pw")
    student.save(update_fields=["password"])
    browser.goto("/portal/login/")
    page.fill("input[name=username]", student.username)
    page.fill("input[name=password]", "browser-pw")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Оқуға қабылдау туралы бұйрық: " + person.full_name("kk"))).to_be_visible()
    browser.shot("portal-phone")
    assert "Приказ о зачислении" not in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
