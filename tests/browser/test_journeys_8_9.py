"""Journeys 8 and 9 of JOURNEYS.md walked in a browser, end to end, screenshots kept.

8 (Russian): the auditor signs in, opens a registered document's audit trail, the system-wide audit
  trail, verifies the hash chain there (intact), downloads the document's full verification report
  and opens the archive's long-term validation status.
9 (Kazakh): the methodologist uploads a template with a broken tag and is told which tag, uploads a
  fixed one, previews it with sample data and activates it; a document approved earlier keeps the
  template version it was frozen with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import expect

from doctemplates.models import TemplateVersion
from records.models import Document, Role
from tests.doctemplates.builders import make_docx
from tests.records.conftest import registered_doc
from tests.records.templates.conftest import approved_order, order_template


def _language(browser: Any, language: str) -> None:
    browser.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": browser.base_url}]
    )


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


def test_journey_8_the_auditor_checks_the_trail_the_chain_the_report_and_ltv(
    browser: Any, staff_users: dict[str, Any], org: Any, tmp_path: Path
) -> None:
    document = _registered_in_a_thread(staff_users, org)
    page = browser.page
    page.set_default_timeout(120_000)  # the verifier walks every signature: slow on a busy machine
    _language(browser, "ru")
    browser.login_as(staff_users[Role.AUDITOR])

    browser.goto(f"/admin/registry/documents/{document.pk}/")
    expect(page.locator("#doc-trail")).to_be_visible()
    expect(page.locator("#doc-trail")).to_have_text("Журнал аудита")
    browser.shot("document-trail")

    browser.goto("/admin/registry/audit/")
    expect(page.get_by_role("button", name="Проверить цепочку")).to_be_visible()
    browser.shot("system-trail")
    page.get_by_role("button", name="Проверить цепочку").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Цепочка аудита не нарушена")).to_be_visible()
    browser.shot("chain-intact")

    browser.goto(f"/admin/registry/documents/{document.pk}/")
    page.get_by_role("link", name="Отчёт о проверке").click()
    page.wait_for_load_state()
    expect(page.locator("[data-report-ok]")).to_have_attribute("data-report-ok", "1")
    assert document.registry_number in page.locator("main").inner_text()
    browser.shot("verification-report")
    with page.expect_download() as download_info:
        page.locator("a[href$='/verification/json/']").click()
    download = download_info.value
    assert download.suggested_filename == f"{document.registry_number}-verification.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    report = json.loads(saved.read_text(encoding="utf-8"))
    assert report["report"]["ok"] is True and report["registry"]["number"] == document.registry_number

    browser.goto("/admin/signing/ltv/")
    expect(page.locator("h1")).to_contain_text("Долгосрочная проверка")
    row = page.locator("tbody tr", has_text=document.registry_number)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="Отчёт о проверке")).to_be_visible()
    browser.shot("ltv")


def test_journey_9_the_methodologist_fixes_a_broken_tag_previews_and_activates(
    browser: Any, staff_users: dict[str, Any], org: Any, tmp_path: Path
) -> None:
    earlier = approved_order(staff_users, org, title="Earlier")
    frozen = earlier.current_version
    assert frozen is not None and frozen.template_version.startswith("default:")
    before = frozen.template_version

    page = browser.page
    page.set_default_timeout(180_000)  # the preview renders the PDF with LibreOffice: slow when busy
    _language(browser, "kk")
    browser.login_as(staff_users[Role.METHODOLOGIST])
    browser.goto("/admin/templates/")
    upload = page.locator("form[enctype='multipart/form-data']")

    broken = tmp_path / "broken.docx"
    broken.write_bytes(
        make_docx("Тема: {{ data.subject }}", "{{ data.student_iin ", "{{ signature_field('rector') }}")
    )
    upload.locator("select[name=kind]").select_option("internal_order")
    upload.locator("select[name=language]").select_option("ru")
    upload.locator("input[name=file]").set_input_files(str(broken))
    upload.locator("button[type=submit]").click()
    page.wait_for_load_state()
    problems = page.locator("[data-template-problems]")
    expect(problems).to_be_visible()
    text = problems.inner_text()
    browser.shot("broken-tag")
    assert "data.student_iin" in text, text
    assert not TemplateVersion.objects.exists()

    fixed = tmp_path / "fixed.docx"
    fixed.write_bytes(order_template("Жаңа үлгі"))
    upload = page.locator("form[enctype='multipart/form-data']")
    upload.locator("select[name=kind]").select_option("internal_order")
    upload.locator("select[name=language]").select_option("ru")
    upload.locator("input[name=file]").set_input_files(str(fixed))
    upload.locator("button[type=submit]").click()
    page.wait_for_load_state()
    version = TemplateVersion.objects.get()
    expect(page.locator("[data-activate]")).to_be_visible()
    preview = page.locator("iframe")
    expect(preview).to_have_attribute("src", f"/admin/templates/versions/{version.pk}/preview.pdf")
    pdf = page.request.get(browser.base_url + f"/admin/templates/versions/{version.pk}/preview.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    browser.shot("preview")

    page.locator("[data-activate]").click()
    page.wait_for_load_state()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    version.refresh_from_db()
    assert version.active
    browser.shot("activated")

    frozen.refresh_from_db()
    assert frozen.template_version == before
