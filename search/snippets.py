"""Highlighted snippets computed from stored text, identical for every backend.

The engines index pre-analysed terms, so their own highlighters would show stems; snippets are
therefore cut from the stored original text here, marking every token whose index term is a query
term (a prefix's expansion included) or whose unstemmed form starts with a query prefix.
"""

from __future__ import annotations

from html import escape

from search.analysis import TOKEN_RE, normalize_nfc, term_for, terms_for, tokenize
from search.query import ParsedQuery

SNIPPET_TOKENS = 30
MAX_SCANNED_CHARS = 200_000


class _Matcher:
    """Marks tokens of a text; the query's terms and prefixes are computed once."""

    def __init__(self, query: ParsedQuery) -> None:
        self.terms = query.terms
        self.prefixes = query.prefixes

    def tokens(self, text: str) -> tuple[list[tuple[int, int]], set[int]]:
        """Spans of every token of ``text`` and the indexes of the matching ones."""
        lowered = text.lower()
        if len(lowered) != len(text):  # rare letters whose lower case is longer: slow path
            tokens = list(tokenize(text))
            return [(t.start, t.end) for t in tokens], {
                i for i, t in enumerate(tokens) if self._matches(t.normalized)
            }
        lowered = lowered.replace("ё", "е")
        found = TOKEN_RE.findall(lowered)
        terms = self.terms
        marked = {i for i, term in enumerate(terms_for(found)) if term in terms}
        if self.prefixes:
            marked.update(i for i, word in enumerate(found) if word.startswith(self.prefixes))
        return [match.span() for match in TOKEN_RE.finditer(lowered)], marked

    def _matches(self, word: str) -> bool:
        if term_for(word) in self.terms:
            return True
        return word.startswith(self.prefixes) if self.prefixes else False


def _render(text: str, spans: list[tuple[int, int]], marked: set[int], start: int, end: int) -> str:
    parts: list[str] = []
    cursor = spans[start][0] if spans else 0
    for index in range(start, end):
        token_start, token_end = spans[index]
        parts.append(escape(text[cursor:token_start]))
        word = escape(text[token_start:token_end])
        parts.append(f"<mark>{word}</mark>" if index in marked else word)
        cursor = token_end
    return "".join(parts)


def highlight_all(text: str, query: ParsedQuery) -> str:
    """The whole (short) text HTML-escaped with matches in <mark>, e.g. for a title."""
    text = normalize_nfc(text)
    spans, marked = _Matcher(query).tokens(text)
    if not spans:
        return escape(text)
    head = escape(text[: spans[0][0]])
    tail = escape(text[spans[-1][1] :])
    return head + _render(text, spans, marked, 0, len(spans)) + tail


def best_snippet(text: str, query: ParsedQuery, size: int = SNIPPET_TOKENS) -> str:
    """The window of ``size`` tokens with the most matches, HTML-escaped, matches in <mark>."""
    text = normalize_nfc(text[:MAX_SCANNED_CHARS])
    spans, marked = _Matcher(query).tokens(text)
    if not spans:
        return ""
    matches = sorted(marked)
    best_start, best_count = 0, 0
    right = 0
    for left, first in enumerate(matches):
        while right < len(matches) and matches[right] < first + size:
            right += 1
        if right - left > best_count:
            best_start, best_count = first, right - left
    # Show a little context before the first match.
    start = max(0, best_start - 3) if best_count else 0
    end = min(len(spans), start + size)
    snippet = _render(text, spans, marked, start, end)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(spans) else ""
    return prefix + snippet + suffix
