"""Tantivy specifics: several processes' worth of readers and writers on one directory."""

from __future__ import annotations

import json

import pytest

from search.backends.base import PermissionScope, SearchQuery
from search.backends.tantivy_backend import WORDS_FILE, TantivyBackend, index_size_bytes
from search.vocabulary import Expansion, WordFile
from tests.search.conftest import corpus

ALL = PermissionScope.everything()


def test_a_second_instance_sees_commits_and_rebuilds(tmp_path) -> None:
    """A reader (another worker) sees the writer's commits and a swapped generation."""
    writer, reader = TantivyBackend(tmp_path), TantivyBackend(tmp_path)
    assert reader.count() == 0
    writer.index(corpus()[:4])
    assert reader.count() == 4
    assert reader.search(SearchQuery(text="студент", scope=ALL)).total == 3
    writer.rebuild(corpus()[4:6])
    assert sorted(reader.ids()) == ["doc-05", "doc-06"]
    assert len(list(tmp_path.glob("gen-*"))) == 1
    reader.index(corpus()[6:7])  # any instance may write, one at a time
    assert writer.count() == 3
    assert index_size_bytes(tmp_path) > 0


def test_a_failed_rebuild_keeps_the_live_index(tmp_path) -> None:
    backend = TantivyBackend(tmp_path)
    backend.index(corpus())

    def broken():
        yield corpus()[0]
        raise RuntimeError("source failed midway")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert backend.count() == 12
    assert len(list(tmp_path.glob("gen-*"))) == 1


def test_the_vocabulary_is_a_file_per_generation_read_by_every_instance(tmp_path) -> None:
    """Words appended by one instance (another worker) expand the prefixes of another; a rebuild
    starts a fresh file; the documents no longer hold their surface words."""
    writer, reader = TantivyBackend(tmp_path), TantivyBackend(tmp_path)
    writer.index(corpus()[:2])
    assert {h.id for h in reader.search(SearchQuery(text="зачисл*", scope=ALL)).hits} == {"doc-02"}
    assert reader.search(SearchQuery(text="transcr*", scope=ALL)).total == 0
    writer.index(corpus()[3:5])
    assert {h.id for h in reader.search(SearchQuery(text="transcr*", scope=ALL)).hits} == {"doc-04", "doc-05"}
    generation = (tmp_path / "CURRENT").read_text()
    lines = (tmp_path / generation / WORDS_FILE).read_text().splitlines()
    assert "зачислении\tзачислен" in lines
    assert len(lines) == len(set(lines))  # a word is appended once
    assert "words" not in [
        field["name"] for field in json.loads((tmp_path / generation / "meta.json").read_text())["schema"]
    ]
    writer.rebuild(corpus()[3:4])
    assert reader.search(SearchQuery(text="зачисл*", scope=ALL)).total == 0
    assert reader.search(SearchQuery(text="transcr*", scope=ALL)).total == 1


def test_a_word_file_reads_complete_lines_only(tmp_path) -> None:
    """A reader never takes the half of a line another process is appending."""
    path = tmp_path / WORDS_FILE
    path.write_bytes("студенттердің\tстудент\nстуден".encode())
    words = WordFile(path)
    assert words.expand("студ") == Expansion("студ", ("студент",))
    with path.open("ab") as handle:
        handle.write("ттер\tстудент\nstudy\tstudi\n".encode())
    assert len(words.expand("студ").terms) == 1
    assert words.expand("stud") == Expansion("stud", ("studi",))
    assert len(words) == 3


def test_words_written_after_a_prefix_query_are_inserted_in_order(tmp_path) -> None:
    """A few words appended since the last look are inserted into the sorted words, many sorted
    again: either way the expansion is the one of a fresh reader."""
    path = tmp_path / WORDS_FILE
    path.write_text("".join(f"w{n:04d}\tt{n:04d}\n" for n in range(0, 3000, 2)))
    words = WordFile(path)
    assert len(words.expand("w0").terms) == 500
    for batch in (range(1, 40, 2), range(41, 3000, 2)):
        with path.open("a") as handle:
            handle.write("".join(f"w{n:04d}\tt{n:04d}\n" for n in reversed(batch)))
        for prefix in ("w0", "w00", "w1", "w29", "w3"):
            assert words.expand(prefix) == WordFile(path).expand(prefix), prefix
    assert len(words.expand("w").terms) == 3000
