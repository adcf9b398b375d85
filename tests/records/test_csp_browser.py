"""The back office, the portal and the verification pages still work in a real browser under the
Content-Security-Policy: Debian's Chromium (through Playwright) reports no violation, and Wagtail's
sidebar (a script-built menu) renders. A control shows a violation is caught when there is one.

The session is opened by code and handed to the browser (the sign-in form itself is covered by
test_front_door), and no page visited here writes an audit event: the flush that ends a live-server
test cannot delete from the append-only audit table."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from playwright.sync_api import expect

from records.models import Role
from tests.browser.conftest import allow_orm_beside_playwright

CHROMIUM = os.environ.get("RECTORATE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def page(live_server: Any, sqlite_flushable: Any) -> Iterator[Any]:
    """A Chromium page that collects every CSP violation and script error into `page.problems`."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run ./scripts/setup.sh test (installs `chromium`)")
    from playwright.sync_api import sync_playwright

    with allow_orm_beside_playwright(), sync_playwright() as playwright:  # its loop runs in this thread
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(locale="en-GB")
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        problems: list[str] = []
        tab.on(
            "console",
            lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        tab.on(  # a blocked or missing script or style shows as a failed response (favicon aside)
            "response",
            lambda response: (
                problems.append(f"{response.status} {response.url}")
                if response.status >= 400 and not response.url.endswith("/favicon.ico")
                else None
            ),
        )
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.problems = problems  # type: ignore[attr-defined]
        tab.base = live_server.url  # type: ignore[attr-defined]
        tab.ctx = context  # type: ignore[attr-defined]
        yield tab
        browser.close()


def _visit(page: Any, path: str) -> Any:
    response = page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    return response


def test_the_back_office_works_under_the_policy(page: Any, users: dict[str, Any]) -> None:
    registrar = users[Role.REGISTRAR]
    registrar.user_permissions.add(Permission.objects.get(codename="access_admin"))
    _visit(page, "/admin/login/")  # the sign-in page itself, before signing in
    client = Client()
    client.force_login(registrar)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.ctx.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": page.base}])
    _visit(page, "/admin/")
    page.wait_for_selector(".sidebar-menu-item", state="attached")  # built by Wagtail's scripts
    for path in (
        "/admin/registry/documents/",
        "/admin/registry/documents/new/?kind=internal_order",
        "/admin/signing/",
        "/admin/diplomas/",
        "/admin/scholarship/",
    ):
        _visit(page, path)
        assert page.locator(".sidebar-menu-item").count() > 0, path
    assert page.problems == []


def test_the_portal_and_verification_work_under_the_policy(page: Any, users: dict[str, Any]) -> None:
    for path in ("/portal/login/", "/verify/"):
        _visit(page, path)
    # The language switch (a script of ours, a static file) still submits on change.
    page.select_option("select[name=language]", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # no string evaluation under the CSP
    assert page.problems == []


def test_an_inline_script_is_reported_as_a_violation(page: Any) -> None:
    """The control: the collector does see a violation, so the tests above can fail."""
    _visit(page, "/verify/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.head.append(s); }"
    )
    page.wait_for_timeout(300)
    assert any("Content Security Policy" in problem for problem in page.problems)
    assert page.evaluate("() => window.x") is None
