"""Embedded backend: a tantivy index in a directory (the default, no server).

Layout of ``index_dir``: one sub-directory per generation (``gen-...``) and a ``CURRENT`` file naming
the live one; ``rebuild`` writes a new generation and swaps ``CURRENT`` atomically. Every write
(index, delete, rebuild) holds an exclusive ``fcntl`` lock on ``write.lock``, so one process writes
at a time; readers in any process notice a new commit or generation on their next search.

Prefix queries expand through the generation's vocabulary (``search.vocabulary``): a ``WORDS``
file beside the index, appended before each commit, read by every process that searches.

Pagination: tantivy-py has no ``search_after`` on composite keys, so the cursor is the offset in the
deterministic order (sort key, then document address) of the index snapshot. Following it visits
every hit once while the index does not change; a commit between pages can shift hits.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import tantivy
from django.utils.translation import gettext as _

from search.analysis import ANALYSIS_VERSION, analyze_document
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
from search.vocabulary import Expansion, WordFile

KEYWORD_FIELDS: tuple[str, ...] = (
    "kind",
    "state",
    "retention_class",
    "language",
    "number",
    "org_unit",
    "org_path",
    "signers",
    "subject_ids",
)
# Text fields of analysed terms, with their boosts (title > number and people > body).
TEXT_FIELDS: tuple[tuple[str, float], ...] = (("title", 3.0), ("meta", 2.0), ("body", 1.0))
# Name keys of the people a document names (search.transliteration), matched in any script.
NAMES_FIELD, NAMES_BOOST = "names", 2.0
WRITER_HEAP_BYTES = 128 * 1024 * 1024
REBUILD_THREADS = 2
COMMIT_EVERY = 50_000
LOCK_TIMEOUT_SECONDS = 30.0
# In each generation: the analysis version that wrote it (an index of another version is stale).
VERSION_FILE = "ANALYSIS_VERSION"
# Changes whenever the tantivy schema changes; written beside the analysis version, so an index of
# an older schema is rebuilt like one of an older analysis.
SCHEMA_VERSION = "2026-12-prefix-vocabulary"
# In each generation: the vocabulary of prefix queries (search.vocabulary.WordFile).
WORDS_FILE = "WORDS"
INDEX_VERSION = f"{ANALYSIS_VERSION}+{SCHEMA_VERSION}"


def build_schema() -> tantivy.Schema:
    """The tantivy schema of the search index."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    for name, _boost in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field(NAMES_FIELD, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=name not in {"org_path", "subject_ids"})
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("sort_date", indexed=True, fast=True)
    builder.add_bytes_field("source", stored=True, indexed=False)
    # The body's original text, apart from the JSON payload: JSON-escaping the longest string of a
    # document cost more than a tenth of the Python time per document.
    builder.add_bytes_field("source_body", stored=True, indexed=False)
    return builder.build()


@functools.cache
def _schema() -> tantivy.Schema:
    return build_schema()


def to_tantivy(doc: SearchDocument, vocabulary: WordFile | None = None) -> tantivy.Document:
    """The tantivy document of a search document (analysed text, keywords, sort keys, payload);
    its words are noted in ``vocabulary``."""
    doc.validate()
    if vocabulary is None:
        text = analyze_document(doc.title, doc.meta_text, doc.body, doc.names_text)
    else:
        text = analyze_document(doc.title, doc.meta_text, doc.body, doc.names_text, mark=vocabulary.mark)
        vocabulary.add(text.words)
    values: dict[str, Any] = {
        "id": doc.id,
        "title": text.title,
        "meta": text.meta,
        "body": text.body,
        NAMES_FIELD: text.names,
        "org_unit": list(doc.org_unit_path),
        "org_path": doc.org_path_prefixes,
        "signers": list(doc.signers),
        "subject_ids": list(doc.subject_ids),
        "sort_date": sort_timestamp(doc.date),
        # Compressed by tantivy's doc store (lz4 over blocks of documents, in its indexing threads):
        # zlib here took a fifth of the indexing time for an index about a quarter smaller.
        "source": json.dumps(
            {"id": doc.id, **doc.stored_fields()}, ensure_ascii=False, separators=(",", ":")
        ).encode(),
        "source_body": doc.body.encode(),
    }
    for name in ("kind", "state", "retention_class", "language", "number"):
        values[name] = getattr(doc, name)
    if doc.year is not None:
        values["year"] = doc.year
    # Empty keywords would show up as an empty facet value. from_dict: a third cheaper than keywords.
    return tantivy.Document.from_dict({k: v for k, v in values.items() if v not in ("", [])}, _schema())


class TantivyBackend(SearchBackend):
    """The embedded search backend (see the module docstring)."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        self.schema = build_schema()
        self._local_lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._generation = ""
        self._meta_mtime = 0.0
        self._lock_depth = 0
        self._vocabularies: dict[str, WordFile] = {}

    # -- directory, generations and locking ---------------------------------------------------------

    def _current_path(self) -> Path:
        return self.index_dir / "CURRENT"

    def _read_current(self) -> str:
        try:
            return self._current_path().read_text().strip()
        except FileNotFoundError:
            return ""

    def _swap_current(self, generation: str) -> None:
        tmp = self.index_dir / f"CURRENT.{uuid.uuid4().hex}"
        tmp.write_text(generation)
        tmp.replace(self._current_path())

    def _new_generation(self) -> tuple[str, tantivy.Index]:
        generation = f"gen-{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        path = self.index_dir / generation
        path.mkdir(parents=True)
        (path / VERSION_FILE).write_text(INDEX_VERSION)
        return generation, tantivy.Index(self.schema, path=str(path), reuse=False)

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with self._local_lock:
            if self._lock_depth:  # re-entered by the same thread: the flock is already held
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            with self._flock():
                self._lock_depth = 1
                try:
                    yield
                finally:
                    self._lock_depth = 0

    @contextlib.contextmanager
    def _flock(self) -> Iterator[None]:
        with (self.index_dir / "write.lock").open("a") as handle:
            deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise BackendError(_("The search index is busy; try again later.")) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _vocabulary(self, generation: str) -> WordFile:
        """The vocabulary of a generation (one object per generation and backend, read incrementally)."""
        with self._local_lock:
            vocabulary = self._vocabularies.get(generation)
            if vocabulary is None:
                # Only the live generation's is kept: a swapped-out one is never read again.
                self._vocabularies = {generation: WordFile(self.index_dir / generation / WORDS_FILE)}
                vocabulary = self._vocabularies[generation]
            return vocabulary

    def _open(self) -> tantivy.Index:
        """The live index, reopened when another process swapped or committed."""
        with self._local_lock:
            generation = self._read_current()
            if not generation:
                with self._write_lock():
                    generation = self._read_current()
                    if not generation:
                        generation, _index = self._new_generation()
                        self._swap_current(generation)
            if generation != self._generation or self._index is None:
                try:
                    self._index = tantivy.Index(
                        self.schema, path=str(self.index_dir / generation), reuse=True
                    )
                except (OSError, ValueError) as exc:
                    raise BackendError(_("The search index cannot be opened.")) from exc
                self._generation = generation
                self._meta_mtime = 0.0
            meta = self.index_dir / generation / "meta.json"
            mtime = meta.stat().st_mtime if meta.exists() else 0.0
            if mtime != self._meta_mtime:
                self._index.reload()
                self._meta_mtime = mtime
            return self._index

    # -- writes -------------------------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents and commit."""
        with self._write_lock():
            index = self._open()
            count = self._write(index, self._vocabulary(self._generation), docs, replace=True)
            self._meta_mtime = 0.0
            return count

    def _write(
        self,
        index: tantivy.Index,
        vocabulary: WordFile,
        docs: Iterable[SearchDocument],
        *,
        replace: bool,
        threads: int = 1,
    ) -> int:
        try:
            writer = index.writer(WRITER_HEAP_BYTES, threads)
        except ValueError as exc:
            raise BackendError(_("The search index is busy; try again later.")) from exc
        count = 0
        vocabulary.refresh()  # the words other processes appended (the write lock is held)
        try:
            for doc in docs:
                tantivy_doc = to_tantivy(doc, vocabulary)
                if replace:
                    writer.delete_documents_by_term("id", doc.id)
                writer.add_document(tantivy_doc)
                count += 1
                if count % COMMIT_EVERY == 0:
                    vocabulary.flush()  # the words first: a committed document's words are known
                    writer.commit()
            vocabulary.flush()
            writer.commit()
        except BaseException:
            vocabulary.discard()
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        return count

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id and commit."""
        with self._write_lock():
            writer = self._open().writer(WRITER_HEAP_BYTES, 1)
            try:
                for doc_id in ids:
                    writer.delete_documents_by_term("id", doc_id)
                writer.commit()
            finally:
                writer.wait_merging_threads()
            self._meta_mtime = 0.0

    def rebuild(self, docs: Iterable[SearchDocument]) -> int:
        """Write a new generation from ``docs``, swap it in, then remove the old ones."""
        with self._write_lock():
            generation, index = self._new_generation()
            try:
                # Two indexing threads: tantivy indexes while Python analyses the next documents.
                count = self._write(
                    index,
                    WordFile(self.index_dir / generation / WORDS_FILE),
                    docs,
                    replace=False,
                    threads=REBUILD_THREADS,
                )
            except BaseException:
                shutil.rmtree(self.index_dir / generation, ignore_errors=True)
                raise
            self._swap_current(generation)
            for old in self.index_dir.glob("gen-*"):
                if old.name != generation:
                    # Readers of other processes keep their open files (POSIX unlink semantics).
                    shutil.rmtree(old, ignore_errors=True)
            return count

    # -- reads --------------------------------------------------------------------------------------

    def count(self) -> int:
        """Number of documents in the live generation."""
        return int(self._open().searcher().num_docs)

    def ids(self) -> Iterator[str]:
        """Every indexed id, in id order."""
        searcher = self._open().searcher()
        total = int(searcher.num_docs)
        if total == 0:
            return iter(())
        result = searcher.search(
            tantivy.Query.all_query(), total, order_by_field="id", order=tantivy.Order.Asc
        )
        return iter([str(key) for key, _address in result.hits])

    def is_current(self) -> bool:
        """True when there is no index yet or the live generation was written by this analysis."""
        generation = self._read_current()
        if not generation:
            return True
        try:
            return (self.index_dir / generation / VERSION_FILE).read_text().strip() == INDEX_VERSION
        except OSError:
            return False

    def healthy(self) -> bool:
        """True when the live generation opens and answers."""
        try:
            self._open().searcher()
        except (BackendError, OSError, ValueError):
            return False
        return True

    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query (see SearchBackend)."""
        parsed = query.validate()
        offset = self._offset(query.search_after)
        searcher = self._open().searcher()
        vocabulary = self._vocabulary(self._generation)
        expansions = {prefix: vocabulary.expand(prefix) for prefix in parsed.prefixes}
        if expansions:
            parsed = replace(parsed, expanded=frozenset(t for e in expansions.values() for t in e.terms))
        engine_query = self._engine_query(parsed, query, expansions)
        sort = "-date" if query.sort == "relevance" and parsed.is_empty else query.sort
        kwargs: dict[str, Any] = {}
        if sort in ("date", "-date"):
            kwargs = {
                "order_by_field": "sort_date",
                "order": tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc,
            }
        elif sort == "number":
            kwargs = {"order_by_field": "number", "order": tantivy.Order.Asc}
        try:
            result = searcher.search(engine_query, query.size, count=True, offset=offset, **kwargs)
            facets = self._facets(searcher, engine_query, query.facets)
        except ValueError as exc:
            raise BackendError(_("The search failed; try a simpler query.")) from exc
        hits = [self._hit(searcher, key, address, parsed, sort) for key, address in result.hits]
        total = int(getattr(result, "count", 0) or 0)
        following = offset + len(hits)
        next_cursor = encode_cursor({"o": following}) if hits and following < total else None
        return SearchResults(hits=hits, total=total, facets=facets, next_cursor=next_cursor, query=parsed)

    @staticmethod
    def _offset(cursor: str | None) -> int:
        if cursor is None:
            return 0
        payload = decode_cursor(cursor)
        if not isinstance(payload, dict) or not isinstance(payload.get("o"), int) or payload["o"] < 0:
            raise QueryError(_("The page cursor is invalid; start the search again."))
        return int(payload["o"])

    def _hit(
        self,
        searcher: tantivy.Searcher,
        key: Any,
        address: tantivy.DocAddress,
        parsed: ParsedQuery,
        sort: str,
    ) -> Hit:
        document = searcher.doc(address)
        payload = document.get_first("source")
        stored = json.loads(bytes(payload) if payload else b"{}")
        body_bytes = document.get_first("source_body")
        body = bytes(body_bytes).decode() if body_bytes else ""
        doc_id = stored.pop("id")
        snippet = best_snippet(body, parsed)
        return Hit(
            id=doc_id,
            score=float(key) if sort == "relevance" else None,
            fields=stored,
            title_html=highlight_all(stored.get("title", ""), parsed),
            snippets=[snippet] if snippet else [],
        )

    def _facets(
        self, searcher: tantivy.Searcher, engine_query: tantivy.Query, names: Iterable[str]
    ) -> dict[str, list[FacetCount]]:
        names = list(names)
        if not names:
            return {}
        spec = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in names}
        raw = searcher.aggregate(engine_query, spec)
        return {
            name: [FacetCount(bucket["key"], int(bucket["doc_count"])) for bucket in raw[name]["buckets"]]
            for name in names
        }

    # -- query building -----------------------------------------------------------------------------

    def _prefix_query(self, clause: Clause, expansion: Expansion) -> tantivy.Query:
        """Any of the expansion's terms in a text field, or the prefix of a name key."""
        should = tantivy.Occur.Should
        alternatives: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for name, _boost in TEXT_FIELDS:
            if expansion.terms:
                alternatives.append(
                    (should, tantivy.Query.term_set_query(self.schema, name, list(expansion.terms)))
                )
            if expansion.overflow:
                # Normalised tokens are letters and digits only, so they need no regex escaping.
                regex = tantivy.Query.regex_query(self.schema, name, expansion.prefix + ".*")
                alternatives.append((should, regex))
        for key in clause.names[:1]:
            if key:
                regex = tantivy.Query.regex_query(self.schema, NAMES_FIELD, key + ".*")
                alternatives.append((should, regex))
        if not alternatives:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query(alternatives)

    def _clause_query(self, clause: Clause, expansions: dict[str, Expansion]) -> tantivy.Query:
        if clause.kind == "prefix":
            return self._prefix_query(clause, expansions[clause.terms[0]])
        fields = [(name, boost, clause.terms) for name, boost in TEXT_FIELDS]
        if clause.names:
            fields.append((NAMES_FIELD, NAMES_BOOST, clause.names))
        alternatives = []
        for name, boost, terms in fields:
            if len(terms) > 1:
                field_query = tantivy.Query.phrase_query(self.schema, name, list(terms))
            else:
                field_query = tantivy.Query.term_query(self.schema, name, terms[0])
            alternatives.append(tantivy.Query.boost_query(field_query, boost))
        return tantivy.Query.disjunction_max_query(alternatives, 0.1)

    def _engine_query(
        self, parsed: ParsedQuery, query: SearchQuery, expansions: dict[str, Expansion]
    ) -> tantivy.Query:
        must = tantivy.Occur.Must
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = [
            (must, self._clause_query(c, expansions)) for c in parsed.clauses
        ]
        filters: list[tantivy.Query] = []
        for name, values in query.filters.items():
            filters.append(self._any_of(name, list(values)))
        scope = query.scope
        if not scope.all:
            allowed: list[tantivy.Query] = []
            if scope.org_unit_prefixes:
                allowed.append(tantivy.Query.term_set_query(self.schema, "org_path", scope.org_path_terms))
            if scope.subject_ids:
                allowed.append(
                    tantivy.Query.term_set_query(self.schema, "subject_ids", list(scope.subject_ids))
                )
            filters.append(
                tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in allowed])
                if allowed
                else tantivy.Query.empty_query()
            )
        parts.extend((must, tantivy.Query.const_score_query(f, 0.0)) for f in filters)
        if not parsed.clauses:
            parts.append((must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    def _any_of(self, name: str, values: list[str | int]) -> tantivy.Query:
        if not values:
            return tantivy.Query.empty_query()
        if name == "year":
            return tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "year", int(v)))
                    for v in values
                ]
            )
        field = "org_unit" if name == "org_unit" else name
        return tantivy.Query.term_set_query(self.schema, field, [str(v) for v in values])


def index_size_bytes(index_dir: Path | str) -> int:
    """Total size of the files of the live generation (for the benchmark and the status page)."""
    root = Path(index_dir)
    generation = (root / "CURRENT").read_text().strip()
    return sum(p.stat().st_size for p in (root / generation).rglob("*") if p.is_file())
