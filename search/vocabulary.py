"""The vocabulary of prefix queries: the surface words indexed since the last rebuild, with their terms.

A prefix query ``студенттерд*`` expands through it: the indexed words starting with the prefix ->
their terms -> a term-set query on the stemmed fields (title, meta, body). It finds the union of what
a term search of each matching word finds, so it is consistent with term search (a search for
«студенттердің» already finds the Russian «студентов» documents, which share the term «студент»).
The index itself no longer holds the surface words of each document, which halved tantivy's CPU per
document.

Both backends keep the vocabulary apart from the documents and only ever add to it: a word stays in it
after the documents that had it are deleted or changed. Such a stale word expands to a term that
matches nothing or other documents with that term, as a term search for it would; ``rebuild``
starts a fresh vocabulary. Each backend stores it in its own way (``TantivyBackend``: a ``WORDS``
file per index generation; ``ElasticsearchBackend``: an index beside each index version), and both
expand a prefix with ``expansion`` below, so they find the same documents.

An expansion is capped: past ``MAX_PREFIX_TERMS`` distinct terms (a prefix of two letters in a
large registry), the terms that start with the prefix are matched by one prefix query on the
term fields instead of being listed, and only the terms that do not (a stem shorter than the
prefix, a place name spelled otherwise) are listed, up to ``MAX_OTHER_TERMS``.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from search.analysis import new_mark, term_for

# Distinct terms listed in one prefix query (tantivy's term-set query and ES's ``terms`` query both
# take many more; the cap bounds the query's size for a prefix of two letters).
MAX_PREFIX_TERMS = 4096
# Past that cap, the terms that do not start with the prefix are still listed, up to this many.
MAX_OTHER_TERMS = 4096
# Longer words are not kept (Elasticsearch refuses ids over 512 bytes; no one types such a prefix).
MAX_WORD_CHARS = 100
_TOP = "\U0010ffff"
# Up to this many words written since the last prefix query are inserted into the sorted words;
# more, and they are sorted again (a list insertion moves the tail of a list of 100,000s of words).
INSERTED_WORDS = 200


@dataclass(frozen=True)
class Expansion:
    """What a prefix expands to: ``terms`` to match, and whether every term starting with ``prefix``
    is also matched (``overflow``: too many terms to list)."""

    prefix: str
    terms: tuple[str, ...]
    overflow: bool = False

    @property
    def is_empty(self) -> bool:
        """True when the prefix matches no indexed word."""
        return not self.terms and not self.overflow


def expansion(prefix: str, terms: Iterable[str]) -> Expansion:
    """The expansion of ``prefix`` given the terms of the vocabulary words that start with it."""
    distinct = sorted(set(terms))
    if len(distinct) <= MAX_PREFIX_TERMS:
        return Expansion(prefix, tuple(distinct))
    others = [t for t in distinct if not t.startswith(prefix)]
    return Expansion(prefix, tuple(others[:MAX_OTHER_TERMS]), overflow=True)


def keeps(word: str) -> bool:
    """True when ``word`` belongs in a vocabulary (see MAX_WORD_CHARS)."""
    return len(word) <= MAX_WORD_CHARS


class WordFile:
    """The vocabulary of one tantivy index generation: ``word<TAB>term`` lines appended to a file.

    Only writers holding the index's write lock append (``add`` then ``flush`` before the commit of
    the documents that have the words, so a committed document's words are always in the file);
    readers in any process read the lines appended since they last looked, up to the last complete
    line. The words are held in memory, sorted for the prefix look-up on first use after a change.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._terms: dict[str, str] = {}
        self._offset = 0
        self._inode = 0
        self._sorted: list[str] = []
        self._sorted_terms: list[str] = []
        self._dirty = False  # the sorted view must be built again
        self._fresh: list[str] = []  # words not in the sorted view yet
        self._pending: list[str] = []
        self._lock = threading.Lock()
        # The compiled analysis lists a word once per mark (search.analysis.analyze_document): a new
        # mark whenever words are forgotten.
        self.mark = new_mark()

    def refresh(self) -> None:
        """Read the lines other writers appended since the last look."""
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        try:
            with self.path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                if stat.st_ino != self._inode:  # a new file (first look): read it all
                    self._inode, self._offset = stat.st_ino, 0
                    self._terms.clear()
                    self._fresh.clear()
                    self._dirty = True
                    self.mark = new_mark()
                if stat.st_size <= self._offset:
                    return
                handle.seek(self._offset)
                data = handle.read(stat.st_size - self._offset)
        except FileNotFoundError:
            return
        complete = data.rfind(b"\n") + 1  # a line being appended is read next time
        if not complete:
            return
        self._offset += complete
        terms, fresh = self._terms, self._fresh
        for line in data[:complete].decode().splitlines():
            word, _tab, term = line.partition("\t")
            if word not in terms:
                fresh.append(word)
            terms[word] = term

    def add(self, words: list[str]) -> None:
        """Note the words of one document that are not in the vocabulary yet (the indexing hot path:
        with ``mark``, the compiled analysis lists only words it has not listed under it)."""
        terms = self._terms
        if all(map(terms.__contains__, words)):
            return
        with self._lock:  # a search in another thread may be sorting the words
            for word in words:
                if word not in terms and keeps(word):
                    terms[word] = term_for(word)
                    self._pending.append(word)
                    self._fresh.append(word)

    def flush(self) -> None:
        """Append the noted words to the file (before the commit of their documents)."""
        if not self._pending:
            return
        with self._lock:
            terms = self._terms
            lines = "".join(f"{w}\t{terms[w]}\n" for w in self._pending).encode()
            with self.path.open("ab") as handle:
                handle.write(lines)
                handle.flush()
                os.fsync(handle.fileno())
                stat = os.fstat(handle.fileno())
            self._inode, self._offset = stat.st_ino, stat.st_size
            self._pending.clear()

    def discard(self) -> None:
        """Forget the noted words (their documents were rolled back)."""
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        for word in self._pending:
            self._terms.pop(word, None)
        self._pending.clear()
        self.mark = new_mark()
        self._dirty = True

    def expand(self, prefix: str) -> Expansion:
        """The expansion of ``prefix`` over the words in the file."""
        with self._lock:
            self._refresh()
            if self._dirty or len(self._fresh) > INSERTED_WORDS:
                self._sorted = sorted(self._terms)
                self._sorted_terms = [self._terms[w] for w in self._sorted]
                self._dirty = False
            else:  # a few words written since: inserted, not the whole list sorted again
                for word in self._fresh:
                    at = bisect.bisect_left(self._sorted, word)
                    self._sorted.insert(at, word)
                    self._sorted_terms.insert(at, self._terms[word])
            self._fresh.clear()
            start = bisect.bisect_left(self._sorted, prefix)
            end = bisect.bisect_left(self._sorted, prefix + _TOP, start)
            return expansion(prefix, self._sorted_terms[start:end])

    def __len__(self) -> int:
        return len(self._terms)
