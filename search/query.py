"""Safe parsing of the text a user types into the search box.

The parser never hands user text to an engine's query language: it turns it into a list of clauses
(terms, phrases in double quotes, ``prefix*``), each already analysed by ``search.analysis``, and the
backends build engine queries from those clauses. Engine syntax typed by a user (``title:foo AND (``,
``*:*``, backslashes) is therefore just punctuation between words; unbalanced quotes are ignored;
over-long text is truncated to MAX_QUERY_CHARS and the result says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from django.utils.translation import gettext as _

from search.analysis import analyze, name_keys, normalize, words
from search.transliteration import latin_skeleton

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32
MAX_PAGE_SIZE = 100
MIN_PREFIX_CHARS = 2
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_QUOTED_RE = re.compile(r'"([^"]*)"')


class SearchError(Exception):
    """Base class of the search capability's errors; the message can be shown to a user."""


class QueryError(SearchError):
    """A search request is malformed; the message names the problem."""


@dataclass(frozen=True)
class Clause:
    """One required part of a query: a term, a phrase of terms, or a prefix of indexed words
    (normalised, not stemmed; the backends expand it through ``search.vocabulary``).

    ``names`` holds the same words as name keys (``search.transliteration``; for a prefix, the Latin
    skeleton of the prefix): a clause also matches them in the names field, in any script.
    """

    kind: Literal["term", "phrase", "prefix"]
    terms: tuple[str, ...]
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    """The clauses of a user query (all required) and whether the text was truncated."""

    clauses: tuple[Clause, ...] = ()
    truncated: bool = False
    dropped: int = 0
    text: str = ""
    # The terms the prefixes expanded to (set by the backend that ran the query; highlighted).
    expanded: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        """True when the text holds no searchable word (the query then matches everything)."""
        return not self.clauses

    @cached_property
    def terms(self) -> frozenset[str]:
        """Index terms of the term and phrase clauses and of the prefixes' expansions (highlighted in
        snippets)."""
        own = frozenset(t for clause in self.clauses if clause.kind != "prefix" for t in clause.terms)
        return own | self.expanded

    @cached_property
    def prefixes(self) -> tuple[str, ...]:
        """Normalised prefixes of the prefix clauses."""
        return tuple(clause.terms[0] for clause in self.clauses if clause.kind == "prefix")


def parse_query(text: str) -> ParsedQuery:
    """Parse user text into clauses; raise QueryError only when the text is not a string."""
    if not isinstance(text, str):
        raise QueryError(_("The search text must be a string."))
    truncated = len(text) > MAX_QUERY_CHARS
    cut = text[:MAX_QUERY_CHARS]
    if truncated and not text[MAX_QUERY_CHARS].isspace() and re.search(r"\s", cut):
        # Never search a word cut in half (it would be a required word nobody wrote).
        cut = cut[: max(m.start() for m in re.finditer(r"\s", cut))]
    text = _CONTROL_RE.sub(" ", cut)
    clauses: list[Clause] = []
    position = 0
    for match in _QUOTED_RE.finditer(text):
        clauses.extend(_loose_clauses(text[position : match.start()]))
        phrase = tuple(analyze(match.group(1)))
        if phrase:
            names = tuple(name_keys(match.group(1)))
            clauses.append(Clause("phrase" if len(phrase) > 1 else "term", phrase, names))
        position = match.end()
    # An unbalanced quote is dropped: the rest of the text is read as loose words.
    clauses.extend(_loose_clauses(text[position:].replace('"', " ")))
    unique = list(dict.fromkeys(clauses))
    return ParsedQuery(
        clauses=tuple(unique[:MAX_CLAUSES]),
        truncated=truncated,
        dropped=max(0, len(unique) - MAX_CLAUSES),
        text=text,
    )


def _loose_clauses(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    for chunk in text.split():
        if chunk in _OPERATORS:
            continue
        if chunk.endswith("*"):
            core = words(chunk.rstrip("*"))
            if len(core) == 1 and len(core[0]) >= MIN_PREFIX_CHARS:
                prefix = normalize(core[0])
                clauses.append(Clause("prefix", (prefix,), (latin_skeleton(prefix),)))
                continue
        terms = tuple(analyze(chunk))
        names = tuple(name_keys(chunk))
        if len(terms) == 1:
            clauses.append(Clause("term", terms, names))
        elif terms:
            # "ВЕД-2026-000123" or "title:foo": words glued by punctuation must stay together.
            clauses.append(Clause("phrase", terms, names))
    return clauses
