"""Tantivy specifics: several processes' worth of readers and writers on one directory."""

from __future__ import annotations

import pytest

from search.backends.base import PermissionScope, SearchQuery
from search.backends.tantivy_backend import TantivyBackend, index_size_bytes
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
