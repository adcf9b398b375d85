"""Unit tests of the request bodies the Elasticsearch backend builds with elasticsearch.dsl."""

from __future__ import annotations

import pytest

from search import vocabulary
from search.backends.base import PermissionScope, SearchQuery, encode_cursor
from search.backends.elastic import (
    build_index,
    build_search,
    build_words_index,
    expansion_of,
    to_source,
    words_request,
)
from search.query import QueryError
from search.vocabulary import Expansion
from tests.search.conftest import corpus


def body(query: SearchQuery, expansions: dict[str, Expansion] | None = None) -> dict:
    return build_search(query.validate(), query, "records", expansions).to_dict()


def test_mapping_uses_whitespace_terms_and_keywords() -> None:
    index = build_index("records-v1").to_dict()
    # The server core's own analyser: a node without the analysis-common module has it.
    assert "analysis" not in index["settings"]
    properties = index["mappings"]["properties"]
    assert index["mappings"]["dynamic"] == "strict"
    for name in ("title", "meta", "body"):
        assert properties[name] == {"type": "text", "analyzer": "whitespace"}
    for name in ("kind", "state", "org_unit", "org_path", "signers", "subject_ids", "number", "id"):
        assert properties[name] == {"type": "keyword"}
    assert properties["year"] == {"type": "integer"}
    assert properties["sort_date"] == {"type": "long"}
    assert properties["stored"] == {"type": "object", "enabled": False}
    assert "words" not in properties  # prefixes expand through the vocabulary index
    words = build_words_index("records-v1-words").to_dict()["mappings"]
    assert words == {
        "dynamic": "strict",
        "properties": {"word": {"type": "keyword"}, "term": {"type": "keyword"}},
    }


def test_a_long_expansion_is_a_prefix_on_the_terms_and_the_other_terms() -> None:
    """Past the cap the vocabulary answer's second aggregation lists the terms not starting with it."""
    request = words_request("ст")
    assert request["query"] == {"prefix": {"word": "ст"}}
    assert request["aggs"]["others"]["terms"]["exclude"] == "ст.*"
    many = {
        "buckets": [{"key": f"ст{n:05d}", "doc_count": 1} for n in range(vocabulary.MAX_PREFIX_TERMS + 1)]
    }
    answer = {"aggregations": {"terms": many, "others": {"buckets": [{"key": "с", "doc_count": 1}]}}}
    expanded = expansion_of("ст", answer)
    assert expanded == Expansion("ст", ("с",), overflow=True)
    query = SearchQuery(text="ст*", scope=PermissionScope.everything())
    should = body(query, {"ст": expanded})["query"]["bool"]["must"][0]["bool"]["should"]
    assert should == [
        {"terms": {"title": ["с"]}},
        {"prefix": {"title": "ст"}},
        {"terms": {"meta": ["с"]}},
        {"prefix": {"meta": "ст"}},
        {"terms": {"body": ["с"]}},
        {"prefix": {"body": "ст"}},
        {"prefix": {"names": "st"}},
    ]


def test_source_holds_analysed_terms_and_path_prefixes() -> None:
    source = to_source(corpus()[0])
    assert source["title"].split()[0] == "қазақстан"
    assert source["names"] == "ahmetov erjan ahmetov erjan seitov a"
    assert source["org_path"] == ["univ", "univ/fac-1", "univ/fac-1/dep-11"]
    assert source["year"] == 2026
    assert source["stored"]["title"] == "Қазақстандағы студенттердің емтихан ведомосі"
    assert "ведомос" not in source["stored"]["body"]


def test_clauses_filters_scope_facets_sort_cursor() -> None:
    query = SearchQuery(
        text='"exam results" студенттердің transcr*',
        filters={"kind": ["order"], "year": ["2024"]},
        facets=["kind", "year"],
        sort="-date",
        size=5,
        search_after=encode_cursor([1_700_000_000, "doc-1"]),
        scope=PermissionScope.restricted(org_unit_prefixes=[["univ", "fac-1"]], subject_ids=["s-1"]),
    )
    expansions = {"transcr": Expansion("transcr", ("transcript",))}
    assert body(query, expansions) == {
        "query": {
            "bool": {
                "must": [
                    {
                        "dis_max": {
                            "queries": [
                                {"match_phrase": {"title": {"query": "exam result", "boost": 3.0}}},
                                {"match_phrase": {"meta": {"query": "exam result", "boost": 2.0}}},
                                {"match_phrase": {"body": {"query": "exam result", "boost": 1.0}}},
                                {"match_phrase": {"names": {"query": "eksam results", "boost": 2.0}}},
                            ],
                            "tie_breaker": 0.1,
                        }
                    },
                    {
                        "dis_max": {
                            "queries": [
                                {"term": {"title": {"value": "студент", "boost": 3.0}}},
                                {"term": {"meta": {"value": "студент", "boost": 2.0}}},
                                {"term": {"body": {"value": "студент", "boost": 1.0}}},
                                {"term": {"names": {"value": "studenterdin", "boost": 2.0}}},
                            ],
                            "tie_breaker": 0.1,
                        }
                    },
                    {
                        "bool": {
                            "should": [
                                {"terms": {"title": ["transcript"]}},
                                {"terms": {"meta": ["transcript"]}},
                                {"terms": {"body": ["transcript"]}},
                                {"prefix": {"names": "transcr"}},
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                ],
                "filter": [
                    {"terms": {"kind": ["order"]}},
                    {"terms": {"year": [2024]}},
                    {
                        "bool": {
                            "should": [
                                {"terms": {"org_path": ["univ/fac-1"]}},
                                {"terms": {"subject_ids": ["s-1"]}},
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                ],
            }
        },
        "aggs": {
            "kind": {"terms": {"field": "kind", "size": 50}},
            "year": {"terms": {"field": "year", "size": 50}},
        },
        "sort": [{"sort_date": "desc"}, {"id": "asc"}],
        "size": 6,
        "track_total_hits": True,
        "search_after": [1_700_000_000, "doc-1"],
        "_source": ["stored"],
    }


def test_empty_text_matches_all_newest_first_and_unrestricted_scope_adds_no_filter() -> None:
    result = body(SearchQuery(text="", scope=PermissionScope.everything()))
    assert result["query"] == {"bool": {"must": [{"match_all": {}}]}}
    assert result["sort"] == [{"sort_date": "desc"}, {"id": "asc"}]


def test_relevance_sort_breaks_ties_by_id() -> None:
    result = body(SearchQuery(text="exam", scope=PermissionScope.everything()))
    assert result["sort"] == ["_score", {"id": "asc"}]


def test_empty_scope_matches_none() -> None:
    result = body(SearchQuery(text="exam"))
    assert result["query"]["bool"]["filter"] == [{"match_none": {}}]


@pytest.mark.parametrize("cursor", ["%%%", encode_cursor({"o": 1}), encode_cursor([1, 2, 3])])
def test_bad_cursor(cursor: str) -> None:
    with pytest.raises(QueryError):
        body(SearchQuery(text="exam", search_after=cursor, scope=PermissionScope.everything()))
