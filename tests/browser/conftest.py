"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from the system (scripts/setup.sh installs `chromium` in the test profile);
Playwright's own browser download is never used. Without Chromium the tests FAIL: a browser test
that cannot get its browser has not shown anything. Screenshots go to a temporary directory
(RECTORATE_SCREENSHOT_DIR to keep them), named by test and step.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

CHROMIUM = os.environ.get("RECTORATE_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by the test
# itself (fixtures, assertions) are synchronous and safe there. DJANGO_ALLOW_ASYNC_UNSAFE is set only
# while a browser runs (see `allow_orm_beside_playwright`): set for the whole process, it would leak
# into the subprocesses of other tests (`check --deploy` refuses it).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@contextlib.contextmanager
def allow_orm_beside_playwright() -> Iterator[None]:
    """Let the test thread use the ORM while Playwright's loop runs in it; restore on exit."""
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    wanted = os.environ.get("RECTORATE_SCREENSHOT_DIR")
    path = Path(wanted) if wanted else Path(tempfile.mkdtemp(prefix="rectorate-screens-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test module (the system's, never a downloaded one).

    Per module, not per session: Playwright's sync API keeps an event loop running in the test
    thread while it is started, and the tests that run after the browser modules (asyncio.run in
    the job crash tests, the CSP tests' own Playwright) must not find it still running."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run ./scripts/setup.sh test (installs `chromium`)")
    from playwright.sync_api import sync_playwright

    with allow_orm_beside_playwright(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


class Browser:
    """A page of one browser context, with the live server's address and a screenshot helper."""

    def __init__(self, context: Any, base_url: str, shots: Path, test_name: str) -> None:
        self.context = context
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.base_url = base_url
        self.shots = shots
        self.test_name = test_name
        self.taken: list[Path] = []

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def login_as(self, user: Any) -> None:
        """Sign in through the real sign-in form (password set here)."""
        user.set_password("browser-pw")
        user.save(update_fields=["password"])
        self.goto("/admin/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", "browser-pw")
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def shot(self, step: str) -> Path:
        path = self.shots / f"{self.test_name}-{len(self.taken):02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


def _append_only_migrations() -> list[Any]:
    """The migrations that install append-only triggers (audit events, access events, ...), in order."""
    folder = Path(__file__).resolve().parents[2] / "records" / "migrations"
    found = []
    for path in sorted(folder.glob("0*.py")):
        if "append-only" in path.read_text(encoding="utf-8"):
            module = importlib.import_module(f"records.migrations.{path.stem}")
            if all(
                hasattr(module, name) for name in ("SQLITE", "SQLITE_REVERSE", "POSTGRES", "POSTGRES_REVERSE")
            ):
                found.append(module)
    return found


def _audit_triggers(create: bool) -> None:
    """Create (or drop) the append-only triggers as their migrations do: created in migration order,
    dropped in reverse (a later trigger may use an earlier migration's function)."""
    from django.db import connection

    vendor = "POSTGRES" if connection.vendor == "postgresql" else "SQLITE"
    migrations = _append_only_migrations()
    with connection.cursor() as cursor:
        for migration in migrations if create else reversed(migrations):
            if create and vendor == "POSTGRES":
                cursor.execute(migration.POSTGRES_REVERSE[0])  # the trigger, so that it can be made again
            for sql in getattr(migration, vendor if create else vendor + "_REVERSE"):
                cursor.execute(sql)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Iterator[None]:
    """A live-server test ends with a flush of every table, which the audit triggers refuse: the
    `browser` fixture drops them before the flush, and they are put back once it is done, so the
    tests after this one run against an append-only audit table again."""
    yield
    if nextitem is not None and "browser" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _audit_triggers(create=True)


@pytest.fixture
def browser(chromium: Any, live_server: Any, screenshot_dir: Path, request: Any) -> Iterator[Browser]:
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    yield Browser(context, live_server.url, screenshot_dir, request.node.name)
    context.close()
    _audit_triggers(create=False)  # the flush that ends a live-server test deletes audit events


@pytest.fixture
def staff_users(users: dict[str, Any]) -> dict[str, Any]:
    """The `users` fixture with Wagtail's admin access for every staff member."""
    access = Permission.objects.get(codename="access_admin")
    for key, user in users.items():
        if key != "student":
            user.user_permissions.add(access)
    return users
