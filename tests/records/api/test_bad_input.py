"""Bad input to the API gets a 4xx JSON error naming the problem, changes nothing, and never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from records.models import AuditEvent, Document, Role, Version
from tests.records.api.conftest import DATA, TokenClient

HUGE = "9" * 30
D = "/api/v1/documents/{id}"

# (method, url, body (dict/list/str for raw), expected status, expected code)
CASES: list[tuple[str, str, Any, int, str]] = [
    ("get", "/api/v1/documents/abc", None, 422, "invalid_input"),
    ("get", "/api/v1/documents/0", None, 422, "invalid_input"),
    ("get", "/api/v1/documents/-5", None, 422, "invalid_input"),
    ("get", f"/api/v1/documents/{HUGE}", None, 422, "invalid_input"),
    ("get", "/api/v1/documents/1.5", None, 422, "invalid_input"),
    ("get", "/api/v1/documents/999999", None, 404, "not_found"),
    ("get", f"/api/v1/documents/{HUGE}/versions", None, 422, "invalid_input"),
    ("get", "/api/v1/documents/x/audit", None, 422, "invalid_input"),
    ("get", "/api/v1/documents/999999/transitions", None, 404, "not_found"),
    ("get", "/api/v1/documents?limit=100000", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?limit=201", None, 422, "invalid_input"),
    ("get", f"/api/v1/documents?limit={HUGE}", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?limit=0", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?limit=ten", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?offset=-1", None, 422, "invalid_input"),
    ("get", f"/api/v1/documents?offset={HUGE}", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?year=abc", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?year=100000", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?org_unit=abc", None, 422, "invalid_input"),
    ("get", f"/api/v1/documents?org_unit={HUGE}", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?state=bogus", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?kind=bogus", None, 400, "unknown_kind"),
    ("get", "/api/v1/documents?q=a%00b", None, 422, "invalid_input"),
    ("get", "/api/v1/documents?q=" + "x" * 201, None, 422, "invalid_input"),
    ("post", D + "/transitions/bogus", None, 400, "unknown_transition"),
    ("post", D + "/transitions/__init__", None, 400, "unknown_transition"),
    ("post", D + "/transitions/" + "x" * 60, None, 422, "invalid_input"),
    ("post", D + "/transitions/approve", None, 400, "transition_not_allowed"),
    ("post", D + "/transitions/reject", {"reason": "нет"}, 400, "transition_not_allowed"),
    ("post", D + "/transitions/submit", "{not json", 400, "malformed_request"),
    ("post", D + "/transitions/submit", {"reason": 5}, 422, "invalid_input"),
    ("post", D + "/transitions/submit", {"reason": "x" * 3000}, 422, "invalid_input"),
    ("post", D + "/transitions/submit", [1, 2], 422, "invalid_input"),
    ("post", D + "/transitions/submit", '"text"', 422, "invalid_input"),
    ("post", D + "/transitions/submit", {"reson": "typo"}, 422, "invalid_input"),
    ("post", "/api/v1/documents/999999/transitions/submit", None, 404, "not_found"),
    ("post", "/api/v1/documents", {}, 422, "invalid_input"),
    ("post", "/api/v1/documents", "{", 400, "malformed_request"),
    ("post", "/api/v1/documents", "[" * 100_000, 400, "malformed_request"),
    (
        "post",
        "/api/v1/documents",
        {"kind": "bogus", "org_unit": 1, "title": "T", "data": DATA},
        400,
        "unknown_kind",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": 999999, "title": "T", "data": DATA},
        400,
        "unknown_org_unit",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "x", "title": "T", "data": DATA},
        422,
        "invalid_input",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": HUGE, "title": "T", "data": DATA},
        422,
        "invalid_input",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "{faculty}", "title": "", "data": DATA},
        422,
        "invalid_input",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "{faculty}", "title": "   ", "data": DATA},
        400,
        "invalid_title",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "{faculty}", "title": "T", "data": "text"},
        422,
        "invalid_input",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "{faculty}", "title": "T", "data": {"subject": 5}},
        400,
        "invalid_data",
    ),
    (
        "post",
        "/api/v1/documents",
        {
            "kind": "internal_order",
            "org_unit": "{faculty}",
            "title": "T",
            "data": {**DATA, "effective_date": "soon"},
        },
        400,
        "invalid_data",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "{faculty}", "title": "T\x00", "data": DATA},
        422,
        "invalid_input",
    ),
    (
        "post",
        "/api/v1/documents",
        {"kind": "internal_order", "org_unit": "{faculty}", "title": "T", "data": {**DATA, "body": "a\x00"}},
        422,
        "invalid_input",
    ),
    ("patch", D, {}, 422, "invalid_input"),
    ("patch", D, {"lock_version": "x"}, 422, "invalid_input"),
    ("patch", D, {"lock_version": -1}, 422, "invalid_input"),
    ("patch", D, {"lock_version": 0, "data": {"subject": ""}}, 400, "invalid_data"),
    ("patch", D, {"lock_version": 0, "data": [1]}, 422, "invalid_input"),
    ("patch", D, {"lock_version": 7, "title": "Новое"}, 409, "concurrent_edit"),
    ("patch", D, "garbage", 400, "malformed_request"),
    ("patch", "/api/v1/documents/abc", {"lock_version": 0}, 422, "invalid_input"),
]


@pytest.mark.parametrize("method,url,body,status,code", CASES)
def test_bad_input_gets_a_clear_4xx_json_error_and_changes_nothing(
    api: Callable[[str], TokenClient],
    org: Any,
    draft: Document,
    method: str,
    url: str,
    body: Any,
    status: int,
    code: str,
) -> None:
    client = api(Role.DEAN)
    url = url.format(id=draft.pk)
    if isinstance(body, dict) and body.get("org_unit") == "{faculty}":
        body = {**body, "org_unit": org.faculty.pk}
    counts = (Document.objects.count(), Version.objects.count(), AuditEvent.objects.count())
    draft_before = Document.objects.values().get(pk=draft.pk)
    if method == "get":
        response = client.get(url)
    elif isinstance(body, str):
        response = getattr(client, method)(url, raw=body)
    else:
        response = getattr(client, method)(url, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if status == 422:
        assert error["detail"] and all(p["field"] and p["message"] for p in error["detail"])
    assert (Document.objects.count(), Version.objects.count(), AuditEvent.objects.count()) == counts
    assert Document.objects.values().get(pk=draft.pk) == draft_before


def test_a_validation_message_names_the_field(api: Callable[[str], TokenClient]) -> None:
    error = api(Role.DEAN).get("/api/v1/documents?limit=1000").json()
    assert "limit" in error["message"]
    assert error["detail"][0]["field"] == "limit"


def test_an_oversized_body_is_refused_as_json(api: Callable[[str], TokenClient], draft: Document) -> None:
    big = '{"reason": "' + "x" * (11 * 1024 * 1024) + '"}'
    response = api(Role.DEAN).post(f"/api/v1/documents/{draft.pk}/transitions/submit", raw=big)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_stale_state_from_the_lifecycle_becomes_a_409_json_error(rf: Any) -> None:
    from django_fsm import ConcurrentTransition

    from records.api.main import api

    response = api.on_exception(
        rf.post("/api/v1/documents/1/transitions/submit"), ConcurrentTransition("stale")
    )
    assert response.status_code == 409
    assert b'"code": "concurrent_edit"' in response.content
