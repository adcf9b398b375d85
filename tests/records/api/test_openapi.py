"""The OpenAPI schema and docs of /api/v1/ load and describe every endpoint."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_the_openapi_schema_lists_the_paths_and_both_auth_schemes(db: object) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Electronic Rectorate API"
    assert schema["info"]["version"] == "1"
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/archive/due",
        "/api/v1/archive/holds",
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/versions",
        "/api/v1/documents/{document_id}/audit",
        "/api/v1/documents/{document_id}/transitions",
        "/api/v1/documents/{document_id}/transitions/{name}",
        "/api/v1/kinds",
        "/api/v1/search",
    }
    assert set(paths["/api/v1/documents"]) == {"get", "post"}
    assert set(paths["/api/v1/documents/{document_id}"]) == {"get", "patch"}
    list_params = {p["name"] for p in paths["/api/v1/documents"]["get"]["parameters"]}
    assert {"kind", "state", "org_unit", "year", "q", "limit", "offset"} <= list_params
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert "409" in paths["/api/v1/documents/{document_id}"]["patch"]["responses"]


def test_the_docs_page_loads_and_urls_reverse_in_the_api_namespace(db: object) -> None:
    assert reverse("api-v1:openapi-json") == "/api/v1/openapi.json"
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
