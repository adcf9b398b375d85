"""The safe user-query parser and request validation."""

from __future__ import annotations

import pytest

from search.backends.base import PermissionScope, SearchQuery
from search.query import MAX_CLAUSES, MAX_QUERY_CHARS, Clause, QueryError, parse_query


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("", ()),
        ("   ", ()),
        ("студенттердің", (Clause("term", ("студент",)),)),
        ('"exam results" review', (Clause("phrase", ("exam", "result")), Clause("term", ("review",)))),
        ("экзам*", (Clause("prefix", ("экзам",)),)),
        ("Ё*", (Clause("term", ("е",)),)),  # one-letter prefixes are plain terms
        ("ВЕД-2026-000123", (Clause("phrase", ("вед", "2026", "000123")),)),
        ('"unbalanced exam', (Clause("term", ("unbalanc",)), Clause("term", ("exam",)))),
        ("title:foo AND (", (Clause("phrase", ("titl", "foo")),)),
        ("*:*", ()),
        ("\\", ()),
        ("NOT OR AND", ()),
        ('""', ()),
        ("exam exam EXAM", (Clause("term", ("exam",)),)),
        ("\x00студент\x07", (Clause("term", ("студент",)),)),
    ],
)
def test_parse(text: str, clauses: tuple) -> None:
    assert [(c.kind, c.terms) for c in parse_query(text).clauses] == [(c.kind, c.terms) for c in clauses]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Akhmetova", [("ahmetov",)]),
        ("Ахметова Айгерим", [("ahmetov",), ("aigerim",)]),
        ('"Жұмабеков Ерлан"', [("jumabekov", "erlan")]),
        ("Жұмаб*", [("jumab",)]),  # a prefix keeps its Latin skeleton, no final-vowel cut
    ],
)
def test_clauses_carry_name_keys(text: str, names: list[tuple[str, ...]]) -> None:
    assert [c.names for c in parse_query(text).clauses] == names


def test_long_query_is_truncated_and_says_so() -> None:
    parsed = parse_query("ab " * 5000)
    assert parsed.truncated
    assert MAX_QUERY_CHARS - 3 <= len(parsed.text) <= MAX_QUERY_CHARS


def test_a_word_cut_by_the_limit_is_not_searched() -> None:
    """The limit falls inside a word: that half word is dropped, not required of every hit."""
    parsed = parse_query("Қазақстандағы " * 800)
    assert parsed.truncated
    assert set(parsed.text.split()) == {"Қазақстандағы"}
    assert len(parsed.clauses) == 1


def test_too_many_clauses_are_dropped() -> None:
    parsed = parse_query(" ".join(f"word{n}" for n in range(MAX_CLAUSES + 5)))
    assert len(parsed.clauses) == MAX_CLAUSES
    assert parsed.dropped == 5


def test_non_string_text() -> None:
    with pytest.raises(QueryError, match="string"):
        parse_query(None)  # type: ignore[arg-type]


ALL = PermissionScope.everything()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (SearchQuery(sort="title", scope=ALL), "Unknown sort"),
        (SearchQuery(size=0, scope=ALL), "page size"),
        (SearchQuery(size=1000, scope=ALL), "page size"),
        (SearchQuery(filters={"password": ["x"]}, scope=ALL), "Cannot filter on password"),
        (SearchQuery(filters={"kind": "order"}, scope=ALL), "list of values"),
        (SearchQuery(filters={"year": ["last year"]}, scope=ALL), "whole years"),
        (SearchQuery(facets=["body"], scope=ALL), "Cannot count facet body"),
        (SearchQuery(scope=None), "permission scope"),  # type: ignore[arg-type]
    ],
)
def test_invalid_requests(query: SearchQuery, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        query.validate()
