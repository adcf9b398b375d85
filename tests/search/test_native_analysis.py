"""The compiled analysis (search/_native.c) produces exactly the terms of the Python analysis."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from search import analysis
from search.analysis import analyze_document, analyze_fields_python, native_analyzer, normalize
from search.build_native import build, source_digest
from tests.search.conftest import corpus


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("_native", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SOURCE_SHA256 == source_digest()
    return module


@pytest.fixture(scope="module")
def fresh_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The extension built from today's source (what scripts/setup.sh runs), into a temporary directory."""
    return load(build(tmp_path_factory.mktemp("native")))


@pytest.fixture(scope="module")
def tiny_table_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The same source with a 16-slot word table: full after 8 words, cleared between calls."""
    return load(build(tmp_path_factory.mktemp("native-tiny"), defines={"TABLE_BITS": 4}))


def compiled(module: ModuleType):  # type: ignore[no-untyped-def]
    return lambda texts, mark=0: module.analyze_fields(texts, analysis._TERMS, analysis.term_for, mark)


def sample_texts() -> list[str]:
    texts = [
        "Бұйрық №12-С, 2024 жылғы «Қазақстандағы» студенттер (ВЕД-2026-000123).",
        "ПРИКАЗ о зачислении студентов; Ёлка, ёж — İstanbul ISTANBUL straße",
        "snake_case title:foo AND\u00a0bar\u2003baz\u200bqux x²+y³ ½ ٣٤ e\u0301te Ⅻ ⅻ",
        "emoji 🎓🎓 астрал 𝐀𝐁𝐂 𝟙𝟚 中文字 日本語 العربية",
        "",
        "   ...   ",
        "a",
        "Студенттердің студенттердің студенттердің",
    ]
    for doc in corpus():
        texts += [doc.title, doc.meta_text, doc.body]
    rng = random.Random(12)
    alphabet = "аәбғқңөұүһіёӘҒҚҢӨҰҮҺІЁaZ9İı_ .,-:\"'()*\u00a0\t\n\u2028²½\u0301🎓中"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    # Realistic prose: inflected Kazakh, Russian and English words, as the benchmark generates them.
    syllables = ["қа", "за", "ұл", "бі", "лі", "мек", "сту", "ден", "при", "stud", "exam", "ің", "тер"]
    endings = ["", "тар", "тердің", "дағы", "ами", "ов", "ation", "s", "ing", "нан", "ге"]
    for _ in range(500):
        words = [
            "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) + rng.choice(endings)
            for _ in range(rng.randint(1, 60))
        ]
        texts.append(" ".join(w.upper() if rng.random() < 0.1 else w for w in words))
    return texts


def assert_same(fields, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    for title, meta, body in zip(texts, texts[1:] + texts[:1], texts[2:] + texts[:2], strict=True):
        expected = analyze_document(title, meta, body, fields=analyze_fields_python)
        assert analyze_document(title, meta, body, fields=fields) == expected, (title, meta, body)


def test_compiled_analysis_gives_exactly_the_python_terms(fresh_module: ModuleType) -> None:
    fresh_module.clear_table()
    assert_same(compiled(fresh_module), sample_texts())
    # Again with every word already in the module's table (the hits path).
    assert_same(compiled(fresh_module), sample_texts())


def test_compiled_analysis_with_a_full_word_table(tiny_table_module: ModuleType) -> None:
    """Words beyond the table's room go through Python dictionaries; the output does not change."""
    assert_same(compiled(tiny_table_module), sample_texts())


def test_compiled_tokens_agree_on_every_code_point(fresh_module: ModuleType) -> None:
    """Every code point between letters: the compiled tokeniser splits exactly where Python does."""
    chunks = [
        "".join(
            f"{chr(code)}a{chr(code)}{chr(code)}b "
            for code in range(start, min(start + 512, sys.maxunicode + 1))
        )
        for start in range(0, sys.maxunicode + 1, 512)
    ]
    native = compiled(fresh_module)
    for chunk in chunks:
        text = normalize(chunk)
        assert native((text,)) == analyze_fields_python((text,)), repr(chunk[:20])


def test_compiled_analysis_computes_missing_terms_while_the_cache_is_cleared(
    fresh_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terms the cache lacks come from term_for, also when filling it clears it mid-document."""
    monkeypatch.setattr(analysis, "_MAX_CACHED_TERMS", 7)
    analysis._TERMS.clear()
    fresh_module.clear_table()
    assert_same(compiled(fresh_module), sample_texts()[:300])
    analysis._TERMS.clear()


def test_a_call_entered_while_another_runs_leaves_the_word_table_alone(fresh_module: ModuleType) -> None:
    """term_for runs Python code, so another thread may call in meanwhile: both outputs stay exact."""
    inner: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    def term_for(word: str) -> str:
        texts = (f"{word} студенттердің {word}", "exam")
        inner.append((fresh_module.analyze_fields(texts, analysis._TERMS, analysis.term_for), texts))
        return analysis.term_for(word)

    fresh_module.clear_table()
    for title, meta, body in zip(*[iter(sample_texts()[:600])] * 3, strict=True):
        texts = (normalize(title), normalize(meta), normalize(body))
        assert fresh_module.analyze_fields(texts, {}, term_for) == analyze_fields_python(texts)
    assert inner
    for output, texts in inner:
        assert output == analyze_fields_python(texts)


def test_a_vocabulary_mark_lists_each_word_once(fresh_module: ModuleType) -> None:
    """Under one mark a word of the table is listed by the first call that meets it, never again
    (words outside the table always); the terms do not change; a new mark lists every word again."""
    fresh_module.clear_table()
    mark = fresh_module.new_mark()
    listed_before: set[str] = set()
    triples = list(zip(*[iter(normalize(t) for t in sample_texts())] * 3, strict=False))
    for texts in triples:
        *terms, listed = fresh_module.analyze_fields(texts, analysis._TERMS, analysis.term_for, mark)
        *expected_terms, every_word = analyze_fields_python(texts)
        assert terms == expected_terms
        assert listed == [w for w in every_word if w not in listed_before or not in_table(w)], texts
        listed_before.update(listed)
    texts = triples[0]
    assert fresh_module.analyze_fields(
        texts, analysis._TERMS, analysis.term_for, fresh_module.new_mark()
    ) == (analyze_fields_python(texts))
    assert fresh_module.analyze_fields(texts, analysis._TERMS, analysis.term_for) == analyze_fields_python(
        texts
    )
    with pytest.raises(ValueError):
        fresh_module.analyze_fields(texts, analysis._TERMS, analysis.term_for, 1 << 16)


def in_table(word: str) -> bool:
    return len(word) <= 20 and max(map(ord, word)) <= 0xFFFF


def test_compiled_analysis_rejects_what_is_not_text(fresh_module: ModuleType) -> None:
    with pytest.raises(TypeError):
        fresh_module.analyze_fields(("a", 1), analysis._TERMS, analysis.term_for)
    with pytest.raises(TypeError):
        fresh_module.analyze_fields(("ab",), {}, lambda word: 3)
    with pytest.raises(ZeroDivisionError):
        fresh_module.analyze_fields(("ab",), {}, lambda word: 1 / 0)


def test_a_stale_build_is_not_used(
    fresh_module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module built from another version of the source falls back to the Python analysis."""
    build(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("_native", None)
    assert native_analyzer("_native") is not None
    other = tmp_path / "_native_other.c"
    other.write_text("/* another version */")
    monkeypatch.setattr(analysis, "NATIVE_SOURCE", other)
    assert native_analyzer("_native") is None
    assert native_analyzer("search._no_such_module") is None
    sys.modules.pop("_native", None)


def test_the_compiled_analysis_is_built_and_in_use() -> None:
    """scripts/setup.sh builds search/_native.c; indexing then runs the compiled path."""
    assert analysis.analyze_fields is not analyze_fields_python, (
        "search/_native.c is not built or is stale: run scripts/setup.sh (search/build_native.py)"
    )
