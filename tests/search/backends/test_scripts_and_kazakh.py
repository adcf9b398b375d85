"""Names in any script and Kazakh queries, on every backend (the contract suite's ``backend`` fixture).

The corpus mirrors the demo's registry: grade statements that name their students only in the
spelling of the statement's language (Kazakh or Russian Cyrillic), orders whose subject is projected
in its three spellings, a certificate in English, and orders of 2024 and 2025 rendered from
trilingual templates.
"""

from __future__ import annotations

import pytest

from search.backends.base import PermissionScope, SearchBackend, SearchDocument, SearchQuery
from tests.search.conftest import at

ALL = PermissionScope.everything()
ORDER_NAMES = ["Бұйрық", "Приказ", "Order"]
HEADER = "Қазақстан Республикасы Ғылым және жоғары білім министрлігі. Демо университеті."
WITH_HEADER = {"order-2024-kk", "order-2024-ru", "order-2025", "statement-2024"}


def _doc(doc_id: str, **fields: object) -> SearchDocument:
    fields.setdefault("registered_at", at(2025, 3, 1))
    fields.setdefault("org_unit_path", ["univ", "fac-1"])
    fields.setdefault("state", "registered")
    return SearchDocument(id=doc_id, **fields)  # type: ignore[arg-type]


def corpus() -> list[SearchDocument]:
    return [
        _doc(
            "statement-kk",
            number="ВЕД-2025-000001",
            kind="grade_statement",
            title="Емтихан ведомосы: Информатика",
            body="Информатика 6B06101-24-KK Жұмабеков Ерлан Әбенова Дана Қасымов Асқар",
            people=["Жұмабеков Ерлан", "Әбенова Дана", "Қасымов Асқар", "Ахметов А. А."],
            labels=["Емтихан ведомосы", "Экзаменационная ведомость", "Exam grade statement"],
        ),
        _doc(
            "statement-ru",
            number="ВЕД-2025-000002",
            kind="grade_statement",
            title="Экзаменационная ведомость: Математика",
            body="Математика 6B06101-24-RU Жумабеков Ерлан Сарсенбаев Тимур Есенова Меруерт",
            people=["Жумабеков Ерлан", "Сарсенбаев Тимур", "Есенова Меруерт"],
        ),
        _doc(
            "order-leave",
            number="Б-ОС-2025-00003",
            kind="student_order_academic_leave",
            title="Академический отпуск: Жумабеков Ерлан",
            body="Предоставить академический отпуск.",
            people=["Жұмабеков Ерлан", "Жумабеков Ерлан", "Zhumabekov Yerlan"],
            labels=ORDER_NAMES,
        ),
        _doc(
            "certificate-en",
            number="CERT-2025-000004",
            kind="student_certificate",
            title="Certificate of study",
            body="Sarsenbayev Timur is a student of Demo University.",
            people=["Sarsenbayev Timur"],
        ),
        _doc(
            "order-2024-kk",
            number="Б-ОС-2024-00017",
            kind="student_order_enrollment",
            title="Оқуға қабылдау туралы бұйрық",
            body=f"{HEADER} БҰЙРЫҚ. Студенттер оқуға қабылдансын.",
            people=["Есенова Меруерт"],
            labels=ORDER_NAMES,
            registered_at=at(2024, 8, 25),
        ),
        _doc(
            "order-2024-ru",
            number="Б-ОС-2024-00018",
            kind="student_order_transfer",
            title="Приказ о переводе",
            # Rendered in Russian only: the country is "Казахстан", "бұйрық" comes from the kind's labels.
            body="Министерство науки и высшего образования Республики Казахстан. Демо-университет. "
            "ПРИКАЗ. Перевести студента на другую программу.",
            people=["Қасымов Асқар"],
            labels=ORDER_NAMES,
            registered_at=at(2024, 9, 2),
        ),
        _doc(
            "order-2025",
            number="Б-ОС-2025-00001",
            kind="student_order_enrollment",
            title="Оқуға қабылдау туралы бұйрық",
            body=f"{HEADER} БҰЙРЫҚ.",
            labels=ORDER_NAMES,
            registered_at=at(2025, 8, 25),
        ),
        _doc(
            "statement-2024",
            number="ВЕД-2024-000009",
            kind="grade_statement",
            title="Емтихан ведомосы",
            body=f"{HEADER} Қазақстан тарихы.",
            registered_at=at(2024, 12, 25),
        ),
        _doc(
            "university-kk",
            number="ІШ-2025-00001",
            kind="internal_order",
            title="Университеттің жаңа ережелері",
            body="Университет бұйрықтары мен ережелері.",
        ),
    ]


@pytest.fixture
def loaded(backend: SearchBackend) -> SearchBackend:
    assert backend.index(corpus()) == len(corpus())
    return backend


def ids(backend: SearchBackend, text: str) -> set[str]:
    return {hit.id for hit in backend.search(SearchQuery(text=text, scope=ALL, size=100)).hits}


@pytest.mark.parametrize(
    ("cyrillic", "latin_spellings", "expected"),
    [
        (
            "Жұмабеков",
            ["Zhumabekov", "ZHUMABEKOV", "Jumabekov", "Jūmabekov"],
            {"statement-kk", "statement-ru", "order-leave"},
        ),
        ("Жумабеков", ["zhumabekov"], {"statement-kk", "statement-ru", "order-leave"}),
        ("Сарсенбаев", ["Sarsenbayev", "SARSENBAEV", "Särsenbaev"], {"statement-ru", "certificate-en"}),
        ("Сәрсенбаев", ["Sarsenbaev"], {"statement-ru", "certificate-en"}),
        ("Қасымов", ["Kassymov", "KASYMOV", "Qasymov"], {"statement-kk", "order-2024-ru"}),
        ("Есенова", ["Yessenova", "ESENOVA", "Esenova"], {"statement-ru", "order-2024-kk"}),
        ("Әбенова", ["Abenova", "Äbenova", "ABENOVA"], {"statement-kk"}),
        ("Ахметов", ["Akhmetov", "Ahmetov"], {"statement-kk"}),
    ],
)
def test_a_latin_surname_finds_the_same_documents_as_the_cyrillic_one(
    loaded: SearchBackend, cyrillic: str, latin_spellings: list[str], expected: set[str]
) -> None:
    """Statements name students in one Cyrillic spelling only; every spelling still finds them."""
    assert ids(loaded, cyrillic) == expected
    for latin in latin_spellings:
        assert ids(loaded, latin) == expected, latin


def test_a_full_name_in_latin_finds_the_person_as_a_phrase(loaded: SearchBackend) -> None:
    assert ids(loaded, '"Zhumabekov Yerlan"') == {"statement-kk", "statement-ru", "order-leave"}
    assert ids(loaded, "Yerlan Zhumabekov") == {"statement-kk", "statement-ru", "order-leave"}
    assert ids(loaded, "Jumab*") == {"statement-kk", "statement-ru", "order-leave"}


def test_name_keys_do_not_widen_ordinary_words(loaded: SearchBackend) -> None:
    """Transliteration applies to names only: a Latin spelling of an ordinary word finds nothing."""
    assert ids(loaded, "universitet") == set()
    assert ids(loaded, "buiryk") == set()


@pytest.mark.parametrize(
    "text", ["ҚАЗАҚСТАН 2024 бұйрық", "қазақстан 2024 БҰЙРЫҚ", "Қазақстанның 2024 бұйрықтары"]
)
def test_the_kazakh_query_finds_the_2024_orders(loaded: SearchBackend, text: str) -> None:
    """Orders of 2024, whichever language their title is in; not the 2025 order, not a statement."""
    assert ids(loaded, text) == {"order-2024-kk", "order-2024-ru"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("университеттен", {"university-kk", *WITH_HEADER}),  # ablative, and no Kazakh letter in it
        ("университет", {"university-kk", *WITH_HEADER}),  # -тің in the title, -і in the header
        ("бұйрықтар", {"order-2024-kk", "order-2024-ru", "order-2025", "order-leave", "university-kk"}),
        ("приказ", {"order-2024-kk", "order-2024-ru", "order-2025", "order-leave"}),  # kind labels
        ("ЕРЕЖЕЛЕР", {"university-kk"}),
    ],
)
def test_kazakh_forms_find_their_stem(loaded: SearchBackend, text: str, expected: set[str]) -> None:
    assert ids(loaded, text) == expected


def test_an_index_built_by_this_analysis_is_current(loaded: SearchBackend) -> None:
    assert loaded.is_current()


def test_an_elasticsearch_index_of_another_analysis_version_is_not_current(osmem_url: str) -> None:
    """Its terms would not meet today's query terms: ``search.sync.drain`` rebuilds it first."""
    import uuid

    from elasticsearch import Elasticsearch

    from search.backends.elastic import ElasticsearchBackend
    from tests.search.conftest import OpenSearchCompatNode

    client = Elasticsearch(osmem_url, node_class=OpenSearchCompatNode)
    backend = ElasticsearchBackend(client, alias=f"test-{uuid.uuid4().hex[:12]}")
    try:
        assert backend.is_current()  # no index yet
        backend.index(corpus()[:1])
        assert backend.is_current()
        name = next(iter(client.indices.get_alias(name=backend.alias).body))
        client.indices.put_mapping(index=name, body={"_meta": {"analysis": "an older analysis"}})
        assert not backend.is_current()
    finally:
        client.indices.delete(index=f"{backend.alias}-v*", ignore_unavailable=True, allow_no_indices=True)
