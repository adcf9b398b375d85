"""One backend-neutral contract suite, run against every backend of the ``backend`` fixture."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from search import analysis, vocabulary
from search.backends.base import DocumentError, PermissionScope, SearchBackend, SearchDocument, SearchQuery
from search.backends.elastic import WORDS_SUFFIX, ElasticsearchBackend
from search.backends.tantivy_backend import WORDS_FILE, TantivyBackend
from search.query import QueryError
from search.transliteration import latin_skeleton
from tests.search.conftest import corpus

ALL = PermissionScope.everything()


@pytest.fixture
def loaded(backend: SearchBackend) -> SearchBackend:
    assert backend.index(corpus()) == len(corpus())
    return backend


def ids(backend: SearchBackend, text: str = "", **kwargs) -> set[str]:
    kwargs.setdefault("scope", ALL)
    kwargs.setdefault("size", 100)
    return {hit.id for hit in backend.search(SearchQuery(text=text, **kwargs)).hits}


def test_index_count_and_ids(loaded: SearchBackend) -> None:
    assert loaded.count() == 12
    assert sorted(loaded.ids()) == sorted(d.id for d in corpus())
    assert loaded.healthy()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ҚАЗАҚСТАН", {"doc-01"}),  # case folding of Kazakh letters + suffix -дағы
        ("студент", {"doc-01", "doc-02", "doc-03"}),  # kk -тердің, ru -ов/-а
        ("студенттердің", {"doc-01", "doc-02", "doc-03"}),
        ("students", {"doc-04"}),
        ("приказы", {"doc-02", "doc-03"}),
        ("елка", {"doc-02"}),  # ё → е
        ("университет", {"doc-02", *[f"doc-{n:02d}" for n in range(6, 13)]}),  # ru -а, kk -тің
        ("running", {"doc-04"}),
        ("exams", {"doc-04", "doc-05"}),
        ("ахметов", {"doc-01"}),  # people
        ("AKHMETOV", {"doc-01"}),
        ("байжанов", {"doc-02", "doc-03"}),  # signers
        ("ВЕД-2026-000123", {"doc-01"}),  # registry number, punctuation kept as a phrase
        ("вед-2026-000123", {"doc-01"}),
        ("123-С", {"doc-02"}),
        ("exam review", {"doc-04", "doc-05"}),  # terms are ANDed
        ("exam nonexistentword", set()),
    ],
)
def test_text_matching(loaded: SearchBackend, text: str, expected: set[str]) -> None:
    """The same analysed terms are found by every backend."""
    assert ids(loaded, text) == expected


def test_phrase_requires_consecutive_terms(loaded: SearchBackend) -> None:
    assert ids(loaded, '"exam results"') == {"doc-04"}
    assert ids(loaded, '"results exam"') == set()
    assert ids(loaded, "results exam") == {"doc-04", "doc-05"}


CERTIFICATES = {f"doc-{n:02d}" for n in range(6, 13)}
# (prefix, what it finds): the union of what a term search of each indexed word starting with the
# prefix finds (the words, then their terms, are noted beside each row).
PREFIXES: list[tuple[str, set[str]]] = [
    # студенттердің (doc-01) -> студент, the term of the Russian студентов/студента too
    ("студенттерд*", {"doc-01", "doc-02", "doc-03"}),
    ("студ*", {"doc-01", "doc-02", "doc-03"}),
    ("transcr*", {"doc-04", "doc-05"}),  # transcript
    ("зачисл*", {"doc-02"}),  # зачислении, зачислить -> зачислен, зачисл
    ("универ*", {"doc-02", *CERTIFICATES}),  # университета, университеттің -> университет
    ("runn*", {"doc-04"}),  # running -> run (a term shorter than the prefix)
    ("ҚАЗАҚ*", {"doc-01"}),  # қазақстандағы -> the place name қазақстан
    ("казах*", set()),  # no indexed word starts so (a term search for «Казахстан» finds doc-01)
    ("students*", set()),  # no indexed word starts so (a term search for it finds doc-04)
    ("exam*", {"doc-04", "doc-05"}),  # exam -> exam; the Russian экзаменам is not exam*
    ("ахмет*", {"doc-01"}),  # the word in the body, and the person's name key
    ("akhm*", {"doc-01"}),  # the name key only (Akhmetov is in the meta field too)
    ("байж*", {"doc-02", "doc-03"}),  # a signer
    ("zzz*", set()),
]


@pytest.mark.parametrize(("text", "expected"), PREFIXES)
def test_prefix_expands_through_the_indexed_words(
    loaded: SearchBackend, text: str, expected: set[str]
) -> None:
    """A prefix finds what a term search of each indexed word starting with it finds."""
    assert ids(loaded, text) == expected


def test_prefix_is_the_union_of_its_words_term_searches(loaded: SearchBackend) -> None:
    """The contract itself, over every word of the corpus: a prefix finds what a term search of each
    word starting with it finds, and the documents naming a person whose name key starts with the
    prefix's Latin skeleton."""
    texts = [(doc.title, doc.meta_text, doc.body) for doc in corpus()]
    words = sorted({w for fields in texts for text in fields for w in analysis.words(text)})
    for prefix in ("ст", "ем", "re", "ex", "ве", "пр", "ан", "20", "tr", "от"):
        union = set().union(*(ids(loaded, w) for w in words if w.startswith(prefix)))
        skeleton = latin_skeleton(prefix)
        named = {
            d.id for d in corpus() if any(k.startswith(skeleton) for k in analysis.name_keys(d.names_text))
        }
        assert ids(loaded, f"{prefix}*") == union | named, prefix


def test_long_expansions_match_by_prefix_on_the_terms(
    loaded: SearchBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap of listed terms, the terms that start with the prefix are matched by a prefix
    query on the term fields and only the others are listed: the same documents here."""
    wanted = {text: ids(loaded, text) for text, _expected in PREFIXES}
    monkeypatch.setattr(vocabulary, "MAX_PREFIX_TERMS", 0)
    assert vocabulary.expansion("runn", ["run"]) == vocabulary.Expansion("runn", ("run",), overflow=True)
    assert {text: ids(loaded, text) for text, _expected in PREFIXES} == wanted


def test_the_vocabulary_outlives_deletions_until_a_rebuild(loaded: SearchBackend) -> None:
    """A deleted document's words stay in the vocabulary: they expand to what their terms match."""
    loaded.delete(["doc-01"])
    assert ids(loaded, "студенттерд*") == {"doc-02", "doc-03"}
    assert ids(loaded, "емтих*") == set()
    loaded.index([replace(corpus()[3], id="doc-13", title="Емтихан")])
    assert ids(loaded, "емтих*") == {"doc-13"}
    assert loaded.rebuild(iter(corpus()[1:])) == 11
    assert ids(loaded, "студенттерд*") == set()
    assert ids(loaded, "студент*") == {"doc-02", "doc-03"}


def test_a_rejected_batch_adds_no_words(backend: SearchBackend) -> None:
    backend.index(corpus()[1:3])
    with pytest.raises(DocumentError):
        backend.index([corpus()[0], SearchDocument(id="")])
    backend.index([replace(corpus()[3], id="doc-13", title="Студенттер")])
    assert ids(backend, "студенттерд*") == set()
    assert ids(backend, "студенттер*") == {"doc-02", "doc-03", "doc-13"}
    backend.index([corpus()[0]])  # the rejected document's words are noted when it is indexed again
    assert ids(backend, "студенттерд*") == {"doc-01", "doc-02", "doc-03", "doc-13"}


def test_empty_text_matches_everything_newest_first(loaded: SearchBackend) -> None:
    results = loaded.search(SearchQuery(text="", scope=ALL, size=100))
    assert results.total == 12
    assert [h.id for h in results.hits][:2] == ["doc-01", "doc-03"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": ["order"]}, {"doc-02", "doc-03"}),
        ({"kind": ["order", "transcript"]}, {"doc-02", "doc-03", "doc-04", "doc-05"}),
        ({"kind": ["order"], "state": ["revoked"]}, {"doc-03"}),
        ({"year": [2024]}, {"doc-04", "doc-05"}),
        ({"year": ["2026"]}, {"doc-01"}),
        ({"org_unit": ["dep-11", "dep-21"]}, {"doc-01", "doc-03"}),
        ({"signers": ["Registrar Brown"]}, {"doc-04", "doc-05"}),
        ({"subject_ids": ["student-1"]}, {"doc-01", "doc-05"}),
        ({"number": ["124-С"]}, {"doc-03"}),
        ({"kind": []}, set()),
    ],
)
def test_filters(loaded: SearchBackend, filters: dict, expected: set[str]) -> None:
    """Values of one field are ORed, fields are ANDed."""
    assert ids(loaded, "", filters=filters) == expected


def expected_facets(docs: list[SearchDocument], name: str) -> dict:
    counter: Counter = Counter()
    for doc in docs:
        if name == "org_unit":
            counter.update(doc.org_unit_path)
        elif name == "signers":
            counter.update(doc.signers)
        elif name == "year":
            counter[doc.year] += 1
        else:
            counter[getattr(doc, name)] += 1
    return dict(counter)


FACETS = ["kind", "org_unit", "year", "state", "signers", "retention_class", "language"]


def test_facet_counts(loaded: SearchBackend) -> None:
    results = loaded.search(SearchQuery(text="студент", facets=FACETS, scope=ALL))
    matching = [d for d in corpus() if d.id in {"doc-01", "doc-02", "doc-03"}]
    for name in FACETS:
        assert {c.value: c.count for c in results.facets[name]} == expected_facets(matching, name), name


def in_fac_1_or_student_4(doc: SearchDocument) -> bool:
    return doc.org_unit_path[:2] == ["univ", "fac-1"] or "student-4" in doc.subject_ids


@pytest.mark.parametrize("text", ["", "студент", "exam"])
def test_scope_inside_the_query(loaded: SearchBackend, text: str) -> None:
    """Totals and facet counts of a scoped query never count a document outside the scope."""
    scope = PermissionScope.restricted(org_unit_prefixes=[["univ", "fac-1"]], subject_ids=["student-4"])
    results = loaded.search(SearchQuery(text=text, facets=FACETS, scope=scope, size=100))
    everything = {h.id for h in loaded.search(SearchQuery(text=text, scope=ALL, size=100)).hits}
    visible = [d for d in corpus() if d.id in everything and in_fac_1_or_student_4(d)]
    assert {h.id for h in results.hits} == {d.id for d in visible}
    assert results.total == len(visible)
    for name in FACETS:
        assert {c.value: c.count for c in results.facets[name]} == expected_facets(visible, name), name


def test_scope_prefix_is_a_path_prefix_not_a_substring(loaded: SearchBackend) -> None:
    assert ids(
        loaded, "", scope=PermissionScope.restricted(org_unit_prefixes=[["univ", "fac-1", "dep-11"]])
    ) == {"doc-01"}
    assert ids(loaded, "", scope=PermissionScope.restricted(org_unit_prefixes=[["fac-1"]])) == set()


def test_empty_scope_finds_nothing(loaded: SearchBackend) -> None:
    results = loaded.search(SearchQuery(text="", facets=["kind"], scope=PermissionScope.restricted()))
    assert results.total == 0
    assert results.hits == []
    assert results.facets["kind"] == []
    # The default scope of a SearchQuery is the empty one: forgetting the scope leaks nothing.
    assert loaded.search(SearchQuery(text="студент")).total == 0


def test_sort_orders(loaded: SearchBackend) -> None:
    def order(sort: str) -> list[str]:
        return [h.id for h in loaded.search(SearchQuery(text="", sort=sort, scope=ALL, size=100)).hits]

    by_date = sorted(corpus(), key=lambda d: d.registered_at)
    assert order("date") == [d.id for d in by_date]
    assert order("-date") == [d.id for d in reversed(by_date)]
    assert order("number") == [d.id for d in sorted(corpus(), key=lambda d: d.number)]


def test_relevance_prefers_title_matches(loaded: SearchBackend) -> None:
    hits = loaded.search(SearchQuery(text="transcript", scope=ALL)).hits
    assert {h.id for h in hits} == {"doc-04", "doc-05"}
    assert all(h.score is not None and h.score > 0 for h in hits)


@pytest.mark.parametrize("sort", ["relevance", "date", "-date", "number"])
@pytest.mark.parametrize("text", ["", "студент", "university OR анықтама"])
def test_search_after_covers_every_hit_once(loaded: SearchBackend, sort: str, text: str) -> None:
    query = SearchQuery(text=text, sort=sort, size=3, scope=ALL)
    first = loaded.search(replace(query, size=100))
    seen: list[str] = []
    cursor = None
    for _page in range(20):
        page = loaded.search(replace(query, search_after=cursor))
        assert page.total == first.total
        seen.extend(h.id for h in page.hits)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == first.total
    assert set(seen) == {h.id for h in first.hits}
    if sort != "relevance":
        assert seen == [h.id for h in first.hits]


def test_invalid_cursor_is_a_query_error(loaded: SearchBackend) -> None:
    with pytest.raises(QueryError, match="cursor"):
        loaded.search(SearchQuery(text="", scope=ALL, search_after="not a cursor!"))


def test_snippets_are_escaped_and_marked(loaded: SearchBackend) -> None:
    (hit,) = loaded.search(SearchQuery(text="елка", scope=ALL)).hits
    snippet = hit.snippets[0]
    assert "<mark>Ёлка</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    (hit,) = loaded.search(SearchQuery(text="ҚАЗАҚСТАН", scope=ALL)).hits
    assert hit.title_html.startswith("<mark>Қазақстандағы</mark>")
    assert hit.fields["number"] == "ВЕД-2026-000123"
    assert hit.fields["org_unit_path"] == ["univ", "fac-1", "dep-11"]


def test_reindex_replaces_and_delete_removes(loaded: SearchBackend) -> None:
    doc = replace(corpus()[0], title="Ведомость пересдачи")
    loaded.index([doc])
    assert loaded.count() == 12
    assert ids(loaded, "пересдача") == {"doc-01"}
    assert ids(loaded, "ҚАЗАҚСТАН") == set()
    loaded.delete(["doc-01", "no-such-doc"])
    assert loaded.count() == 11
    assert ids(loaded, "пересдача") == set()


def test_rebuild_swaps_in_a_fresh_index(loaded: SearchBackend) -> None:
    fresh = [replace(d, id=f"new-{d.id}") for d in corpus()[:3]]
    assert loaded.rebuild(iter(fresh)) == 3
    assert sorted(loaded.ids()) == ["new-doc-01", "new-doc-02", "new-doc-03"]
    assert ids(loaded, "студент") == {"new-doc-01", "new-doc-02", "new-doc-03"}
    loaded.index(corpus()[3:4])  # writes after a rebuild go to the new index
    assert loaded.count() == 4


EVERYTHING = frozenset(f"doc-{n:02d}" for n in range(1, 13))
STUDENT = frozenset({"doc-01", "doc-02", "doc-03"})
# (hostile text, what it finds): the text's words ANDed (none left: everything, like an empty query).
BAD_TEXTS: list[tuple[str, frozenset[str] | str]] = [
    ('"unbalanced quote студент', frozenset()),  # loose words, ANDed: no document has all three
    ("title:foo AND (", frozenset()),
    ("*:*", EVERYTHING),
    ("\\", EVERYTHING),
    ("((((", EVERYTHING),
    ("студент" * 2000, frozenset()),  # one long word nobody wrote
    ("a " * 5000, "a"),  # a word repeated finds what the word finds once
    ("NOT OR AND", EVERYTHING),
    ('""', EVERYTHING),
    ("*", EVERYTHING),
    ("\x00\x01студент", STUDENT),  # control characters are dropped
    ("]}{[", EVERYTHING),
    ("/regex.*/", frozenset()),
    ("студ~2^3", frozenset()),
    ("exam*" * 50, frozenset()),
]


@pytest.mark.parametrize(("text", "expected"), BAD_TEXTS, ids=range(len(BAD_TEXTS)))
def test_hostile_text_never_raises_engine_errors(
    loaded: SearchBackend, text: str, expected: frozenset[str] | str
) -> None:
    """Query syntax of the engines is not passed through: a hostile text finds what its words find."""
    wanted = ids(loaded, expected) if isinstance(expected, str) else set(expected)
    if isinstance(expected, str):
        assert wanted, "the reference word must find something, or the row proves nothing"
    results = loaded.search(SearchQuery(text=text, facets=["kind"], scope=ALL, size=100))
    assert {hit.id for hit in results.hits} == wanted
    assert results.total == len(wanted)


def test_unbalanced_quote_reads_loose_words(loaded: SearchBackend) -> None:
    assert ids(loaded, '"exam review') == {"doc-04", "doc-05"}


@pytest.mark.parametrize(
    "doc",
    [
        SearchDocument(id=""),
        SearchDocument(id="x" * 201),
        SearchDocument(id="naive", registered_at=datetime(2024, 1, 1)),
        SearchDocument(id="extra", extra={"when": datetime(2024, 1, 1, tzinfo=UTC)}),
    ],
)
def test_bad_documents_are_rejected_and_change_nothing(backend: SearchBackend, doc: SearchDocument) -> None:
    backend.index(corpus()[:2])
    with pytest.raises(DocumentError):
        backend.index([corpus()[3], doc])
    assert sorted(backend.ids()) == ["doc-01", "doc-02"]


def test_a_prefix_marks_the_words_of_its_expansion(loaded: SearchBackend) -> None:
    """A document found through a word's term shows that term's words marked, like a term search."""
    hits = {h.id: h for h in loaded.search(SearchQuery(text="студенттерд*", scope=ALL)).hits}
    assert hits["doc-02"].title_html == "Приказ о зачислении <mark>студентов</mark>"
    assert "<mark>студенттердің</mark>" in hits["doc-01"].title_html


def test_an_index_without_a_vocabulary_gets_one_on_its_next_write(backend: SearchBackend) -> None:
    """An index written before the vocabulary existed (until the drain rebuilds it): its prefixes
    find only what was written since, never an engine error."""
    backend.index(corpus()[:2])
    if isinstance(backend, TantivyBackend):
        generation = (backend.index_dir / "CURRENT").read_text()
        (backend.index_dir / generation / WORDS_FILE).unlink()
        backend = TantivyBackend(backend.index_dir)
    else:
        assert isinstance(backend, ElasticsearchBackend)
        backend.client.indices.delete(index=f"{backend.alias}-v*{WORDS_SUFFIX}")
    assert ids(backend, "зачисл*") == set()
    backend.index(corpus()[3:4])
    assert ids(backend, "transcr*") == {"doc-04"}
