"""Bad input on the page and the API: sensible results or a clear 400 message, never a 500, never an engine error."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Role
from search.backends.base import encode_cursor
from tests.records.search.conftest import PAGE, Corpus, api_get, last_read_id, login, reads_after

PAST_END = "<past the end>"
# A cursor each backend itself would produce past its last hit: tantivy pages by offset, Elasticsearch
# by the sort values of the last hit (empty text sorts by date, newest first; then by id).
PAST_END_CURSORS = {
    "tantivy": encode_cursor({"o": 10_000}),
    "elasticsearch": encode_cursor([-(2**63), "\uffff"]),
}

# (query string, expected status, a fragment of the message for 400s)
CASES: list[tuple[dict[str, str], int, str]] = [
    ({"q": '"Қазақстандағы практика'}, 200, ""),  # unbalanced quote
    ({"q": "title:Юридический AND ("}, 200, ""),  # engine syntax is just words
    ({"q": "*:* OR body:/.*/ \\"}, 200, ""),
    ({"q": "a*"}, 200, ""),  # a prefix too short to expand
    ({"q": "Қазақстан " * 1000}, 200, ""),  # 10,000 characters
    ({"q": "x\x00y\x1b"}, 200, ""),
    ({"q": "", "cursor": PAST_END}, 200, ""),  # a page past the end (the backend's own cursor shape)
    ({"q": "x", "cursor": "not a cursor!!"}, 400, "cursor"),
    ({"q": "x", "cursor": encode_cursor({"o": -5})}, 400, "cursor"),
    ({"q": "x", "cursor": "A" * 5000}, 400, "cursor"),
    ({"q": "x", "size": "100000"}, 400, "page size"),
    ({"q": "x", "size": "0"}, 400, "page size"),
    ({"q": "x", "size": "many"}, 400, "page size"),
    ({"q": "x", "sort": "score; DROP"}, 400, "sort"),
    ({"q": "x", "year": "20x6"}, 400, "year"),
    ({"q": "x", "kind": "k" * 500}, 400, "kind"),
]


def _id(case: tuple[dict[str, str], int, str]) -> str:
    return ",".join(f"{k}={v[:12]!r}" for k, v in case[0].items())


def _backend_cursor(params: dict[str, str], backend: str) -> dict[str, str]:
    if params.get("cursor") == PAST_END:
        return {**params, "cursor": PAST_END_CURSORS[backend]}
    return params


@pytest.mark.parametrize("params,status,fragment", CASES, ids=[_id(c) for c in CASES])
def test_the_page_answers_bad_input_with_results_or_a_message(
    staff: dict[str, Any],
    corpus: Corpus,
    fresh_index: str,
    params: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    params = _backend_cursor(params, fresh_index)
    before = last_read_id()
    response = login(staff[Role.ARCHIVIST]).get(PAGE, params)
    assert response.status_code == status
    content = response.content.decode()
    assert "Traceback" not in content and "tantivy" not in content.lower()
    if status == 400:
        assert fragment in response.context["error"]
        assert 'role="alert"' in content
        assert reads_after(before) == []
    else:
        assert response.context["error"] == ""
        assert reads_after(before) == ["search.query"]


@pytest.mark.parametrize("params,status,fragment", CASES, ids=[_id(c) for c in CASES])
def test_the_api_answers_bad_input_with_results_or_a_400(
    staff: dict[str, Any],
    corpus: Corpus,
    fresh_index: str,
    params: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    params = _backend_cursor(params, fresh_index)
    before = last_read_id()
    response = api_get(staff[Role.ARCHIVIST], **params)
    assert response.status_code == status
    body = response.json()
    if status == 400:
        assert body["code"] == "invalid_query"
        assert fragment in body["message"]
        assert "tantivy" not in body["message"].lower()
        assert reads_after(before) == []
    else:
        assert isinstance(body["hits"], list)
        if params.get("cursor") == PAST_END_CURSORS[fresh_index]:
            assert body["hits"] == []
        assert reads_after(before) == ["search.query"]


def test_a_long_query_says_it_was_cut(staff: dict[str, Any], corpus: Corpus) -> None:
    body = api_get(staff[Role.ARCHIVIST], q="Қазақстандағы " * 800).json()
    assert body["truncated"] is True
    assert body["total"] == 3
    page = login(staff[Role.ARCHIVIST]).get(PAGE, {"q": "Қазақстандағы " * 800})
    assert page.context["results"].truncated


def test_an_unavailable_engine_is_a_clear_503_not_a_500(
    staff: dict[str, Any], corpus: Corpus, settings: Any
) -> None:
    settings.RECTORATE_SEARCH_BACKEND = "elasticsearch"
    settings.RECTORATE_ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    before = last_read_id()
    response = api_get(staff[Role.ARCHIVIST], q="x")
    assert response.status_code == 503
    assert response.json()["code"] == "search_unavailable"
    page = login(staff[Role.ARCHIVIST]).get(PAGE, {"q": "x"})
    assert page.status_code == 503
    assert page.context["error"]
    assert reads_after(before) == []


def test_an_empty_sort_means_relevance(staff: dict[str, Any], corpus: Corpus) -> None:
    body = api_get(staff[Role.ARCHIVIST], q="Қазақстан", sort="").json()
    assert body["total"] == 3
    assert all(isinstance(hit["score"], float) for hit in body["hits"])
