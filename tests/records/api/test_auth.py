"""Authentication of the API: bearer tokens and the session (with CSRF for writes); else 401 JSON."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.utils.crypto import get_random_string

from records.lifecycle import State
from records.models import ApiToken, Document, Role

LIST = "/api/v1/documents"


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_a_valid_token_authenticates_and_records_its_last_use(users: dict[str, Any], draft: Document) -> None:
    token, key = ApiToken.issue(user=users[Role.DEAN], name="script")
    assert token.last_used_at is None
    response = Client().get(LIST, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [draft.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_without_credentials_the_api_answers_401_json(draft: Document) -> None:
    for method, url in [
        ("get", LIST),
        ("get", f"{LIST}/{draft.pk}"),
        ("post", f"{LIST}/{draft.pk}/transitions/submit"),
    ]:
        response = getattr(Client(), method)(url)
        assert_error(response, 401, "unauthenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_malformed_token_is_401(users: dict[str, Any]) -> None:
    ApiToken.issue(user=users[Role.DEAN], name="script")
    for header in ["Bearer wrong-key", "Bearer ", "Token abc", "Bearer " + "x" * 5000, "Basic Zm9vOmJhcg=="]:
        assert_error(Client().get(LIST, headers={"Authorization": header}), 401, "unauthenticated")


def test_the_token_of_a_deactivated_user_is_refused(users: dict[str, Any]) -> None:
    _token, key = ApiToken.issue(user=users[Role.DEAN], name="script")
    users[Role.DEAN].is_active = False
    users[Role.DEAN].save()
    assert_error(Client().get(LIST, headers={"Authorization": f"Bearer {key}"}), 401, "unauthenticated")


def test_token_writes_need_no_csrf_token(users: dict[str, Any], draft: Document) -> None:
    _token, key = ApiToken.issue(user=users[Role.DEAN], name="script")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{LIST}/{draft.pk}/transitions/submit",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.REVIEW


def test_the_session_of_the_back_office_authenticates_reads(users: dict[str, Any], draft: Document) -> None:
    client = Client()
    client.force_login(users[Role.DEAN])
    response = client.get(f"{LIST}/{draft.pk}")
    assert response.status_code == 200
    assert response.json()["title"] == draft.title


def test_a_session_write_without_the_csrf_token_is_refused_and_changes_nothing(
    users: dict[str, Any], draft: Document
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.DEAN])
    response = client.post(f"{LIST}/{draft.pk}/transitions/submit", content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_session_write_with_the_csrf_token_goes_through(users: dict[str, Any], draft: Document) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.DEAN])
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    response = client.post(
        f"{LIST}/{draft.pk}/transitions/submit",
        json.dumps({}),
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.state == State.REVIEW
