"""The front door: password guessing is throttled and audited, every page carries a
Content-Security-Policy, no visitor ever sees a debug page, and bad input is a 4xx, never a 500."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from records.models import AuditEvent, Role
from records.portal.signin import lockout_minutes

ROOT = Path(__file__).resolve().parents[2]
SIGN_INS = {"admin": "/admin/login/", "portal": "/portal/login/"}
LIMIT = settings.AXES_FAILURE_LIMIT


def _sign_in(client: Client, where: str, username: str, password: str, *, address: str = "10.0.0.1") -> Any:
    return client.post(SIGN_INS[where], {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _actions(action: str) -> list[dict[str, Any]]:
    return list(AuditEvent.objects.filter(action=action).order_by("id").values_list("changes", flat=True))


@pytest.mark.parametrize("where", list(SIGN_INS))
def test_guessing_one_account_is_locked_out_and_audited(users: dict[str, Any], where: str) -> None:
    """30 wrong passwords then the right one all succeeded before; now the limit locks the account."""
    dean = users[Role.DEAN]
    client = Client()
    for attempt in range(LIMIT):
        response = _sign_in(client, where, dean.username, f"wrong-{attempt}")
        assert response.status_code in (200, 429)
    response = _sign_in(client, where, dean.username, "pw-" + dean.username)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed sign-in attempts" in body and f"{lockout_minutes()} minutes" in body
    assert not _signed_in(client)
    failed = _actions("auth.login_failed")
    assert len(failed) >= LIMIT and {f["username"] for f in failed} == {dean.username}
    assert failed[0]["ip"] == "10.0.0.1"
    lockouts = _actions("auth.lockout")
    assert lockouts and {e["username"] for e in lockouts} == {dean.username}
    assert _actions("auth.login") == []
    # The same account from another address is locked too (throttled by account).
    response = _sign_in(Client(), where, dean.username, "pw-" + dean.username, address="10.9.9.9")
    assert response.status_code == 429


def test_guessing_many_accounts_from_one_address_is_locked_out(users: dict[str, Any]) -> None:
    """Throttled by address: one address trying a password on many accounts."""
    names = [user.username for key, user in users.items() if key != Role.DEAN][:LIMIT]
    assert len(names) == LIMIT
    client = Client()
    for name in names:
        _sign_in(client, "admin", name, "Password1")
    dean = users[Role.DEAN]
    assert _sign_in(client, "admin", dean.username, "pw-" + dean.username).status_code == 429
    assert not _signed_in(client)
    other = Client()  # another address still gets in, and the sign-in is audited
    response = _sign_in(other, "admin", dean.username, "pw-" + dean.username, address="10.0.0.2")
    assert response.status_code == 302 and _signed_in(other)
    assert _actions("auth.login") == [{"username": dean.username, "ip": "10.0.0.2"}]


def test_a_successful_portal_sign_in_is_audited_and_lands_on_the_portal(users: dict[str, Any]) -> None:
    student = users[Role.STUDENT]
    client = Client()
    response = _sign_in(client, "portal", student.username, "pw-" + student.username, address="10.1.1.1")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert _actions("auth.login") == [{"username": student.username, "ip": "10.1.1.1"}]
    assert Client().get("/portal/")["Location"].startswith("/portal/login/")


@pytest.mark.parametrize(("language", "needle"), [("ru", "Слишком много"), ("kk", "Тым көп")])
def test_the_lockout_message_is_translated(users: dict[str, Any], language: str, needle: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for attempt in range(LIMIT + 1):
        response = _sign_in(client, "portal", "someone", f"wrong-{attempt}")
    assert response.status_code == 429
    assert needle in response.content.decode()


# --- Content-Security-Policy ----------------------------------------------------------------------


def _policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_kind_of_page_carries_the_policy(users: dict[str, Any], registered_doc: Any) -> None:
    staff = users[Role.REGISTRAR]
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    signed_in = Client()
    signed_in.force_login(staff)
    anonymous = Client()
    pages = [
        (anonymous, "/admin/login/"),
        (anonymous, "/portal/login/"),
        (anonymous, "/verify/"),
        (anonymous, f"/verify/{registered_doc.verification_code}/"),
        (anonymous, "/no-such-page/"),
        (anonymous, "/api/v1/documents"),
        (signed_in, "/admin/"),
        (signed_in, "/admin/registry/documents/"),
        (signed_in, f"/admin/registry/documents/{registered_doc.pk}/"),
        (signed_in, "/admin/signing/"),
        (signed_in, "/api/v1/openapi.json"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code < 500, url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], url  # no inline scripts, no eval
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"] and policy["form-action"] == ["'self'"], url


def test_our_templates_have_no_inline_scripts_or_handlers() -> None:
    """script-src 'self' blocks inline code: every script of ours is a static file."""
    offenders = []
    for template in (ROOT / "records" / "templates").rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{template.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: inline event handler")
        if "javascript:" in text:
            offenders.append(f"{template.name}: javascript: URL")
    assert offenders == []


# --- No debug pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/no-such-page/", "/admin/pages/", "/portal/nothing/", "/verify/x/y/z/"])
def test_a_404_is_plain_and_never_lists_url_patterns(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    for leak in ("URLconf", "api/v1/", "i18n/setlang", "^admin/", "Traceback", "DEBUG = True"):
        assert leak not in body


def test_a_500_is_plain(rf: Any) -> None:
    from records.portal.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body and "Traceback" not in body


@pytest.mark.parametrize("module", ["settings.dev", "settings.run", "settings.prod"])
def test_no_profile_that_visitors_reach_runs_debug(module: str, tmp_path: Path) -> None:
    """The demo (dev profile) and production never show Django's debug pages unless asked."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "RECTORATE_DEBUG"},
        "DJANGO_SETTINGS_MODULE": module,
        "DJANGO_SECRET_KEY": "k" * 60,
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db",
        "RECTORATE_DATA_DIR": str(tmp_path),
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- Bad input is a 4xx -----------------------------------------------------------------------------


def test_admin_pages_for_the_administrator_is_a_404_not_a_500(users: dict[str, Any]) -> None:
    """The registry has no CMS pages; the page explorer used to fail on a missing sites app."""
    administrator = users[Role.ADMINISTRATOR]
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(administrator)
    for url in ("/admin/pages/", "/admin/pages/1/", "/admin/pages/search/?q=x", "/admin/pages/add/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("year", "status"), [(1, 422), (1899, 422), (2201, 422), (1900, 200), (2026, 200)])
def test_the_document_list_refuses_years_out_of_range(users: dict[str, Any], year: int, status: int) -> None:
    client = Client()
    client.force_login(users[Role.REGISTRAR])
    response = client.get("/api/v1/documents", {"year": year})
    assert response.status_code == status
    if status == 422:
        assert response.json()["code"] == "invalid_input" and "year" in response.json()["message"]
