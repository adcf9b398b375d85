"""Scale-out backend: Elasticsearch through ``elasticsearch.dsl`` (the client's own DSL module).

The mapping and every query are built with the DSL; text fields hold the terms of
``search.analysis`` and use Elasticsearch's built-in ``whitespace`` analyser, so ES needs no language
plugin and finds exactly what the embedded backend finds. The live index ``<alias>-v<n>`` sits behind ``<alias>``;
``rebuild`` bulk-loads a new version and moves the alias atomically. Snippets come from
``search.snippets`` (the engine's highlighter would show stems).

Prefix queries expand through the vocabulary (``search.vocabulary``): an index ``<version>-words``
beside each index version (one document per word: the word and its term) behind the alias
``<alias>-words``, which ``rebuild`` moves together with ``<alias>``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import Index, Integer, Keyword, Long, Mapping, Object, Q, Search, Text
from elasticsearch.dsl.query import Query
from elasticsearch.dsl.response import Response

from search import vocabulary
from search.analysis import ANALYSIS_VERSION, analyze_document, term_for
from search.backends.base import (
    FACET_SIZE,
    BackendError,
    FacetCount,
    Hit,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchResults,
    decode_cursor,
    encode_cursor,
    sort_timestamp,
)
from search.query import Clause, ParsedQuery, QueryError
from search.snippets import best_snippet, highlight_all
from search.vocabulary import Expansion, expansion, keeps

DEFAULT_ALIAS = "rectorate-documents"
TEXT_FIELDS: tuple[tuple[str, float], ...] = (("title", 3.0), ("meta", 2.0), ("body", 1.0))
# The built-in analyser of the server core, not a custom analyser over the ``whitespace`` tokenizer:
# named tokenizers and filters live in the analysis-common module, which a bare node (server core plus
# netty4, the only parts on Maven Central) does not have. See engines/NOTES.md.
TERMS = "whitespace"
BULK_CHUNK = 500
# Changes whenever the mapping changes (with the analysis version, in the index's _meta).
SCHEMA_VERSION = "2026-12-prefix-vocabulary"
WORDS_SUFFIX = "-words"
_ENGINE_ERRORS = (ApiError, TransportError)


def build_mapping() -> Mapping:
    """The index mapping: analysed text, keywords for filters and facets, sort keys, a payload."""
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    mapping.meta("_meta", {"analysis": ANALYSIS_VERSION, "schema": SCHEMA_VERSION})
    mapping.field("id", Keyword())
    for name, _boost in TEXT_FIELDS:
        mapping.field(name, Text(analyzer=TERMS))
    mapping.field("names", Text(analyzer=TERMS))
    for name in ("kind", "state", "retention_class", "language", "number", "org_unit", "org_path"):
        mapping.field(name, Keyword())
    mapping.field("signers", Keyword())
    mapping.field("subject_ids", Keyword())
    mapping.field("year", Integer())
    mapping.field("sort_date", Long())
    mapping.field("stored", Object(enabled=False))
    return mapping


def build_words_index(name: str) -> Index:
    """The vocabulary index of one index version: a document per word (id: the word), with its term."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("word", Keyword())
    mapping.field("term", Keyword())
    index.mapping(mapping)
    return index


def build_index(name: str) -> Index:
    """The DSL Index (settings, analyser and mapping) of one index version."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.mapping(build_mapping())
    return index


def to_source(doc: SearchDocument) -> dict[str, Any]:
    """The ``_source`` of one search document."""
    return analyzed_source(doc)[0]


def analyzed_source(doc: SearchDocument) -> tuple[dict[str, Any], list[str]]:
    """The ``_source`` of one search document, and its distinct words (for the vocabulary)."""
    doc.validate()
    text = analyze_document(doc.title, doc.meta_text, doc.body, doc.names_text)
    return {
        "id": doc.id,
        "title": text.title,
        "meta": text.meta,
        "body": text.body,
        "names": text.names,
        "kind": doc.kind or None,
        "state": doc.state or None,
        "retention_class": doc.retention_class or None,
        "language": doc.language or None,
        "number": doc.number or None,
        "org_unit": list(doc.org_unit_path),
        "org_path": doc.org_path_prefixes,
        "signers": list(doc.signers),
        "subject_ids": list(doc.subject_ids),
        "year": doc.year,
        "sort_date": sort_timestamp(doc.date),
        "stored": doc.to_json(),
    }, text.words


def prefix_query(clause: Clause, expanded: Expansion) -> Query:
    """Any of the expansion's terms in a text field, or the prefix of a name key."""
    alternatives = []
    for name, _boost in TEXT_FIELDS:
        if expanded.terms:
            alternatives.append(Q("terms", **{name: list(expanded.terms)}))
        if expanded.overflow:
            alternatives.append(Q("prefix", **{name: expanded.prefix}))
    alternatives += [Q("prefix", names=n) for n in clause.names[:1] if n]
    if not alternatives:
        return Q("match_none")
    return Q("bool", should=alternatives, minimum_should_match=1)


def words_request(prefix: str) -> dict[str, Any]:
    """The vocabulary search of a prefix: the distinct terms of the words starting with it, and the
    terms among them that do not start with it (used when there are more than the cap)."""
    return {
        "size": 0,
        "query": {"prefix": {"word": prefix}},
        "aggs": {
            "terms": {"terms": {"field": "term", "size": vocabulary.MAX_PREFIX_TERMS + 1}},
            "others": {
                "terms": {"field": "term", "size": vocabulary.MAX_OTHER_TERMS, "exclude": f"{prefix}.*"}
            },
        },
    }


def expansion_of(prefix: str, body: dict[str, Any]) -> Expansion:
    """The expansion of a prefix from the answer to ``words_request``."""
    terms = [b["key"] for b in body["aggregations"]["terms"]["buckets"]]
    if len(terms) <= vocabulary.MAX_PREFIX_TERMS:
        return expansion(prefix, terms)
    others = sorted(b["key"] for b in body["aggregations"]["others"]["buckets"])
    return Expansion(prefix, tuple(others), overflow=True)


def clause_query(clause: Clause, expansions: dict[str, Expansion] | None = None) -> Query:
    """The DSL query of one parsed clause (a prefix clause needs its expansion)."""
    if clause.kind == "prefix":
        return prefix_query(clause, (expansions or {}).get(clause.terms[0], Expansion(clause.terms[0], ())))
    fields = [(name, boost, clause.terms) for name, boost in TEXT_FIELDS]
    if clause.names:
        fields.append(("names", 2.0, clause.names))  # name keys, in any script
    alternatives = []
    for name, boost, terms in fields:
        if len(terms) > 1:
            alternatives.append(Q("match_phrase", **{name: {"query": " ".join(terms), "boost": boost}}))
        else:
            alternatives.append(Q("term", **{name: {"value": terms[0], "boost": boost}}))
    return Q("dis_max", queries=alternatives, tie_breaker=0.1)


def scope_query(query: SearchQuery) -> Query | None:
    """The permission filter, or None for an unrestricted scope."""
    scope = query.scope
    if scope.all:
        return None
    allowed = []
    if scope.org_unit_prefixes:
        allowed.append(Q("terms", org_path=scope.org_path_terms))
    if scope.subject_ids:
        allowed.append(Q("terms", subject_ids=list(scope.subject_ids)))
    if not allowed:
        return Q("match_none")
    return Q("bool", should=allowed, minimum_should_match=1)


SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"id": "asc"}],
    "date": [{"sort_date": "asc"}, {"id": "asc"}],
    "-date": [{"sort_date": "desc"}, {"id": "asc"}],
    "number": [{"number": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
}


def build_search(
    parsed: ParsedQuery, query: SearchQuery, index: str, expansions: dict[str, Expansion] | None = None
) -> Search:
    """The DSL Search of a validated query (text clauses, filters and scope, sort, cursor, facets)."""
    filters: list[Query] = []
    for name, values in query.filters.items():
        values = [int(v) for v in values] if name == "year" else [str(v) for v in values]
        filters.append(Q("terms", **{name: values}))
    scope = scope_query(query)
    if scope is not None:
        filters.append(scope)
    must = [clause_query(c, expansions) for c in parsed.clauses] or [Q("match_all")]
    search = Search(index=index).query(Q("bool", must=must, filter=filters))
    sort = "-date" if query.sort == "relevance" and parsed.is_empty else query.sort
    search = search.sort(*SORTS[sort]).source(["stored"])
    # One hit more than the page tells whether a next page exists.
    search = search.extra(size=query.size + 1, track_total_hits=True)
    if query.search_after is not None:
        after = decode_cursor(query.search_after)
        if not isinstance(after, list) or len(after) != 2:
            raise QueryError(_("The page cursor is invalid; start the search again."))
        search = search.extra(search_after=after)
    for name in query.facets:
        search.aggs.bucket(name, "terms", field=name, size=FACET_SIZE)
    return search


def _error_type(answer: dict[str, Any]) -> str:
    error = answer.get("error")
    return str(error.get("type", "")) if isinstance(error, dict) else ""


class ElasticsearchBackend(SearchBackend):
    """Elasticsearch (or an OpenSearch-API server through a compatible transport)."""

    def __init__(self, client: Elasticsearch, alias: str = DEFAULT_ALIAS) -> None:
        self.client = client
        self.alias = alias
        self.words_alias = f"{alias}{WORDS_SUFFIX}"
        # Words this process knows are in the vocabulary index named (not sent to it again).
        self._known_words: tuple[str, set[str]] = ("", set())

    def _fail(self, exc: Exception) -> BackendError:
        return BackendError(_("The search engine is unavailable or refused the request."))

    def _indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _create_version(self) -> str:
        name = f"{self.alias}-v{time.time_ns()}"
        build_index(name).create(using=self.client)
        build_words_index(f"{name}{WORDS_SUFFIX}").create(using=self.client)
        return name

    def ensure_index(self) -> None:
        """Create the first index version and its alias when neither exists."""
        try:
            if not self._indices():
                name = self._create_version()
                self.client.indices.put_alias(index=f"{name}{WORDS_SUFFIX}", name=self.words_alias)
                self.client.indices.put_alias(index=name, name=self.alias)
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc

    def _bulk(self, actions: Iterable[dict[str, Any]], *, refresh: bool) -> int:
        ok, errors = helpers.bulk(
            self.client,
            actions,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            refresh=refresh,
            stats_only=False,
        )
        items = errors if isinstance(errors, list) else []
        # A delete of a missing id answers 404, the creation of a word already there 409: the
        # outcome the caller wanted.
        failures = [item for item in items if next(iter(item.values())).get("status") not in (404, 409)]
        if failures:
            raise BackendError(
                _("The search engine rejected %(count)s documents.") % {"count": len(failures)}
            )
        return int(ok)

    @staticmethod
    def _word_actions(index: str, words: Iterable[str]) -> Iterator[dict[str, Any]]:
        for word in words:
            yield {
                "_op_type": "create",
                "_index": index,
                "_id": word,
                "_source": {"word": word, "term": term_for(word)},
            }

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Bulk-index documents through the alias and refresh."""
        # Validate every document before sending any, so bad input changes nothing.
        analysed = [analyzed_source(d) for d in docs]
        sources = [source for source, _words in analysed]
        self.ensure_index()
        try:
            # Another process may have rebuilt: what this one knew was of the previous vocabulary.
            words_index = ",".join(self._words_indices())
            if not words_index:  # an index of an older schema (the drain rebuilds it): give it one
                words_index = f"{self.alias}-v{time.time_ns()}{WORDS_SUFFIX}"
                build_words_index(words_index).create(using=self.client)
                self.client.indices.put_alias(index=words_index, name=self.words_alias)
            if self._known_words[0] != words_index:
                self._known_words = (words_index, set())
            known = self._known_words[1]
            new_words = {w for _source, words in analysed for w in words if w not in known and keeps(w)}
            if new_words:  # the words first: an indexed document's words are always in the vocabulary
                self._bulk(self._word_actions(self.words_alias, sorted(new_words)), refresh=True)
                known.update(new_words)
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc
        actions = ({"_op_type": "index", "_index": self.alias, "_id": s["id"], "_source": s} for s in sources)
        try:
            return self._bulk(actions, refresh=True)
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc

    def delete(self, ids: Iterable[str]) -> None:
        """Bulk-delete documents by id; missing ids are ignored."""
        self.ensure_index()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": doc_id} for doc_id in ids)
        try:
            self._bulk(actions, refresh=True)
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc

    def rebuild(self, docs: Iterable[SearchDocument]) -> int:
        """Load a new index version, then move the alias to it in one request and drop the old ones."""
        try:
            old = self._indices()
            name = self._create_version()
            words_name = f"{name}{WORDS_SUFFIX}"
            every_word: set[str] = set()

            def actions() -> Iterator[dict[str, Any]]:
                for doc in docs:
                    source, words = analyzed_source(doc)
                    every_word.update(words)
                    yield {"_op_type": "index", "_index": name, "_id": doc.id, "_source": source}

            try:
                count = self._bulk(actions(), refresh=True)
                kept = sorted(w for w in every_word if keeps(w))
                self._bulk(self._word_actions(words_name, kept), refresh=True)
            except BaseException:
                self.client.indices.delete(index=f"{name},{words_name}", ignore_unavailable=True)
                raise
            moves: list[dict[str, Any]] = []
            for o in old:
                moves.append({"remove": {"index": o, "alias": self.alias}})
            for o in self._words_indices():
                moves.append({"remove": {"index": o, "alias": self.words_alias}})
            moves.append({"add": {"index": name, "alias": self.alias}})
            moves.append({"add": {"index": words_name, "alias": self.words_alias}})
            self.client.indices.update_aliases(actions=moves)
            self._known_words = (words_name, set(kept))
            for o in old:
                self.client.indices.delete(index=f"{o},{o}{WORDS_SUFFIX}", ignore_unavailable=True)
            return count
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc

    def _words_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.words_alias).body)
        except NotFoundError:
            return []

    def _expansions(self, parsed: ParsedQuery) -> dict[str, Expansion]:
        """The vocabulary expansion of each prefix of the query (one request for all of them)."""
        prefixes = list(dict.fromkeys(parsed.prefixes))
        if not prefixes:
            return {}
        searches: list[dict[str, Any]] = []
        for prefix in prefixes:
            searches += [{"index": self.words_alias}, words_request(prefix)]
        answers = self.client.msearch(searches=searches).body["responses"]
        expansions = {}
        for prefix, answer in zip(prefixes, answers, strict=True):
            if "error" not in answer:
                expansions[prefix] = expansion_of(prefix, answer)
            elif _error_type(answer) == "index_not_found_exception":
                # An index of an older schema until the drain rebuilds it: no words to expand to.
                expansions[prefix] = Expansion(prefix, ())
            else:
                raise BackendError(_("The search engine is unavailable or refused the request."))
        return expansions

    def count(self) -> int:
        """Number of documents behind the alias."""
        self.ensure_index()
        try:
            return int(self.client.count(index=self.alias)["count"])
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc

    def ids(self) -> Iterator[str]:
        """Every indexed id (scroll through the alias)."""
        self.ensure_index()
        try:
            hits = helpers.scan(self.client, index=self.alias, query={"_source": False}, size=1000)
            return iter(sorted(hit["_id"] for hit in hits))
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc

    def is_current(self) -> bool:
        """True when there is no index yet or the live one was built by this analysis version."""
        try:
            mappings = self.client.indices.get_mapping(index=self.alias).body
        except NotFoundError:
            return True
        except _ENGINE_ERRORS:
            return True  # an engine that does not answer is the drain's error to report, not a rebuild
        return all(
            m.get("mappings", {}).get("_meta", {}).get("analysis") == ANALYSIS_VERSION
            and m.get("mappings", {}).get("_meta", {}).get("schema") == SCHEMA_VERSION
            for m in mappings.values()
        )

    def healthy(self) -> bool:
        """True when the cluster answers and the alias exists."""
        try:
            return bool(self._indices())
        except _ENGINE_ERRORS:
            return False

    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query (see SearchBackend)."""
        parsed = query.validate()
        self.ensure_index()
        try:
            expansions = self._expansions(parsed)
            if expansions:
                parsed = replace(parsed, expanded=frozenset(t for e in expansions.values() for t in e.terms))
            search = build_search(parsed, query, self.alias, expansions)
            raw = self.client.search(index=self.alias, body=search.to_dict())
        except _ENGINE_ERRORS as exc:
            raise self._fail(exc) from exc
        response: Any = Response(search, raw.body)
        sort = "-date" if query.sort == "relevance" and parsed.is_empty else query.sort
        hits = []
        last_sort: list[Any] | None = None
        raw_hits = raw.body["hits"]["hits"]
        for raw_hit in raw_hits[: query.size]:
            stored = dict(raw_hit["_source"]["stored"])
            body = stored.pop("body", "")
            doc_id = stored.pop("id")
            snippet = best_snippet(body, parsed)
            hits.append(
                Hit(
                    id=doc_id,
                    score=float(raw_hit["_score"]) if sort == "relevance" and raw_hit.get("_score") else None,
                    fields=stored,
                    title_html=highlight_all(stored.get("title", ""), parsed),
                    snippets=[snippet] if snippet else [],
                )
            )
            last_sort = raw_hit.get("sort")
        total = int(response.hits.total.value)
        facets = {
            name: [
                FacetCount(b["key"], int(b["doc_count"])) for b in raw.body["aggregations"][name]["buckets"]
            ]
            for name in query.facets
        }
        next_cursor = encode_cursor(last_sort) if len(raw_hits) > query.size and last_sort else None
        return SearchResults(hits=hits, total=total, facets=facets, next_cursor=next_cursor, query=parsed)
