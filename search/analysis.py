"""Text analysis shared by every search backend.

Both backends index the terms produced here (joined by spaces into a whitespace-tokenised field),
so a query finds the same documents whichever engine runs it:

- NFC normalisation and Unicode lower-casing, which folds the Kazakh letters ӘҒҚҢӨҰҮҺІ;
- ё → е (Russian spelling variant);
- per-token script detection: a Cyrillic token with a Kazakh-specific letter goes through the Kazakh
  stemmer (``search.kazakh``: suffixes checked by vowel harmony and assimilation); another Cyrillic
  token through the Kazakh stemmer's strict mode when it carries an ending only a Kazakh word can
  have ("университеттен", "студенттер"), else the Russian Snowball stemmer; Latin tokens through
  the English Snowball stemmer; anything else (digits, mixed scripts) stays lower-cased;
- personal names (the people and signers of a document) are also indexed as script-independent
  keys (``search.transliteration``) in a names field, and every query word is looked up there too,
  so "Akhmetova", "Ахметова", "AHMETOVA" and "Ahmetova" find the same documents.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import Stemmer

from search.kazakh import stem_ambiguous, stem_kazakh
from search.transliteration import name_key

# Changes whenever the terms of a text change (stemmers, name keys, index fields): an index built
# by another version is rebuilt before it is used (``search.sync.drain``).
ANALYSIS_VERSION = "2026-12-kk-harmony-names-places"
# A token is a run of letters and digits; punctuation, underscores and engine syntax separate tokens.
TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_findall = TOKEN_RE.findall
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text: its character span, its normalised form and its index term."""

    start: int
    end: int
    normalized: str
    term: str


class _Stemmers(threading.local):
    """PyStemmer objects are not thread-safe: one pair per thread."""

    def __init__(self) -> None:
        self.russian = Stemmer.Stemmer("russian")
        self.english = Stemmer.Stemmer("english")


_stemmers = _Stemmers()


def normalize(text: str) -> str:
    """NFC, lower-case (Kazakh letters included) and ё → е; the form prefixes are matched against."""
    # "İ".lower() is i + a combining dot, which would split the token: keep the plain i.
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е").replace("i\u0307", "i")


def detect_script(word: str) -> str:
    """Return "kk", "ru", "en" or "other" for one normalised token."""
    if _CYRILLIC_RE.search(word):
        if _LATIN_RE.search(word):
            return "other"
        return "kk" if _KAZAKH_LETTERS.intersection(word) else "ru"
    if _LATIN_RE.search(word) and word.isascii():
        return "en"
    return "other"


# Place names written differently in Kazakh and Russian, and inflected beyond what the stemmers
# handle consistently (Snowball gives "казахста" for Казахстан but "казахстан" for Казахстане; the
# Kazakh -ды of Қарағанды looks like an accusative): every form starting with one of these spellings
# (a case ending or an adjective suffix after it) is indexed as the Kazakh name.
PLACE_NAMES: tuple[tuple[str, str], ...] = (
    ("қазақстан", "қазақстан"),
    ("казахстан", "қазақстан"),
    ("қарағанды", "қарағанды"),
    ("караганд", "қарағанды"),
    ("қызылорда", "қызылорда"),
    ("кызылорд", "қызылорда"),
    ("қостанай", "қостанай"),
    ("костана", "қостанай"),
    ("талдықорған", "талдықорған"),
    ("талдыкорган", "талдықорған"),
)
_PLACE_SUFFIX_MAX = 7


def _place_name(word: str) -> str | None:
    for spelling, name in PLACE_NAMES:
        if word.startswith(spelling) and len(word) - len(spelling) <= _PLACE_SUFFIX_MAX:
            return name
    return None


def split_tokens(text: str) -> list[str]:
    """``TOKEN_RE.findall(text)``, about twice as fast on prose (the indexing hot path).

    ``[^\\W_]`` is exactly ``str.isalnum`` (checked over every code point by a test) and no token
    spans whitespace, so a whitespace-separated chunk made only of letters and digits is a token as
    it stands; the regular expression runs only on chunks with punctuation in them.
    """
    tokens: list[str] = []
    append, extend = tokens.append, tokens.extend
    for chunk in text.split():
        if chunk.isalnum():
            append(chunk)
        else:
            extend(_findall(chunk))
    return tokens


def _compute_term(word: str) -> str:
    place = _place_name(word)
    if place is not None:
        return place
    script = detect_script(word)
    if script == "kk":
        return stem_kazakh(word)
    if script == "ru":
        return stem_ambiguous(word) or str(_stemmers.russian.stemWord(word))
    if script == "en":
        return str(_stemmers.english.stemWord(word))
    return word


# word -> term; word frequencies follow Zipf's law, so a plain dict read at C speed pays off.
_TERMS: dict[str, str] = {}
_MAX_CACHED_TERMS = 500_000


def term_for(word: str) -> str:
    """The index term of one normalised token."""
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) >= _MAX_CACHED_TERMS:
            _TERMS.clear()
        term = _TERMS[word] = _compute_term(word)
    return term


def _fill(tokens: list[str]) -> None:
    for word in set(tokens).difference(_TERMS):
        term_for(word)


def terms_for(tokens: list[str]) -> list[str]:
    """Index terms of normalised tokens (the fast path of ``analyze``)."""
    try:
        return list(map(_TERMS.__getitem__, tokens))
    except KeyError:
        _fill(tokens)
    try:
        return list(map(_TERMS.__getitem__, tokens))
    except KeyError:  # the cache was cleared while filling it
        return list(map(term_for, tokens))


def joined_terms(tokens: list[str]) -> str:
    """``" ".join(terms_for(tokens))`` without the intermediate list (the indexing hot path)."""
    try:
        return " ".join(map(_TERMS.__getitem__, tokens))
    except KeyError:
        _fill(tokens)
    try:
        return " ".join(map(_TERMS.__getitem__, tokens))
    except KeyError:  # the cache was cleared while filling it
        return " ".join(map(term_for, tokens))


def tokenize(text: str) -> Iterator[Token]:
    """Yield every token of ``text`` with its span in the original string."""
    # NFC may change offsets, so spans refer to the NFC form of the text; callers that need
    # highlighting pass text that is already NFC (``normalize_nfc``).
    for match in TOKEN_RE.finditer(text):
        normalized = normalize(match.group())
        yield Token(match.start(), match.end(), normalized, term_for(normalized))


def normalize_nfc(text: str) -> str:
    """NFC form of a text, so that token spans and the displayed string agree."""
    return unicodedata.normalize("NFC", text)


def analyze(text: str) -> list[str]:
    """Return the index terms of ``text`` in order."""
    return terms_for(split_tokens(normalize(text)))


def words(text: str) -> list[str]:
    """Return the normalised but unstemmed tokens of ``text`` (used for prefix search)."""
    return split_tokens(normalize(text))


def analyzed_string(text: str) -> str:
    """The terms of ``text`` joined by spaces, as stored in a whitespace-tokenised index field."""
    return " ".join(analyze(text))


# word -> name key, cached like the terms (names repeat across documents).
_NAME_KEYS: dict[str, str] = {}


def name_key_for(word: str) -> str:
    """The name key of one normalised token."""
    key = _NAME_KEYS.get(word)
    if key is None:
        if len(_NAME_KEYS) >= _MAX_CACHED_TERMS:
            _NAME_KEYS.clear()
        key = _NAME_KEYS[word] = name_key(word)
    return key


def name_keys(text: str) -> list[str]:
    """The script-independent keys of the words of ``text`` (one per token, as ``analyze``)."""
    return [name_key_for(word) for word in split_tokens(normalize(text))]


# (normalised texts, vocabulary mark) -> the joined terms of each text, then a list of distinct words.
FieldsAnalyzer = Callable[[tuple[str, ...], int], tuple[Any, ...]]


def analyze_fields_python(texts: tuple[str, ...], mark: int = 0) -> tuple[Any, ...]:
    """The terms of each normalised text joined by spaces, then the list of the distinct words of all
    of them (every one: ``mark`` only lets the compiled version leave out words already listed).

    The reference of the compiled ``search._native.analyze_fields`` (a test compares both).
    """
    parts = [split_tokens(text) for text in texts]
    return (*map(joined_terms, parts), list(dict.fromkeys(chain.from_iterable(parts))))


NATIVE_SOURCE = Path(__file__).resolve().parent / "_native.c"
logger = logging.getLogger(__name__)


def native_analyzer(module_name: str = "search._native") -> FieldsAnalyzer | None:
    """``analyze_fields`` of the compiled module (search/build_native.py), or None when it is not
    built or was built from another version of search/_native.c."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        logger.info("search: the compiled analysis is not built; using the Python analysis")
        return None
    if hashlib.sha256(NATIVE_SOURCE.read_bytes()).hexdigest() != module.SOURCE_SHA256:
        logger.warning("search: %s is stale (run scripts/setup.sh); using the Python analysis", module_name)
        return None
    compiled = module.analyze_fields

    def analyze_fields(texts: tuple[str, ...], mark: int = 0) -> tuple[Any, ...]:
        result: tuple[Any, ...] = compiled(texts, _TERMS, term_for, mark)
        return result

    global _new_mark
    _new_mark = module.new_mark
    return analyze_fields


def _no_mark() -> int:
    return 0


_new_mark: Callable[[], int] = _no_mark


def new_mark() -> int:
    """A fresh vocabulary mark (see ``analyze_document``); 0 when the Python analysis runs."""
    return _new_mark()


# The indexing hot path: compiled when built (the same strings, without a Python-level step per
# token), else the Python reference.
analyze_fields: FieldsAnalyzer = native_analyzer() or analyze_fields_python


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    """The index strings of a document's text fields, tokenised once."""

    title: str
    meta: str
    body: str
    words: list[str]
    names: str


def analyze_document(
    title: str,
    meta: str,
    body: str,
    names: str = "",
    *,
    fields: FieldsAnalyzer | None = None,
    mark: int = 0,
) -> AnalyzedDocument:
    """Terms of title, meta (number and names) and body, the distinct unstemmed words of all three,
    and the name keys of ``names`` (the people a document names, one name after another).

    ``fields`` is the analyser of the three texts (default: ``analyze_fields``, compiled when built).
    ``mark`` (from ``new_mark``) names the caller's vocabulary: the compiled analysis then leaves out
    the words it already listed under that mark, which the caller must have kept.
    """
    title_terms, meta_terms, body_terms, distinct = (fields or analyze_fields)(
        (normalize(title), normalize(meta), normalize(body)), mark
    )
    return AnalyzedDocument(
        title_terms, meta_terms, body_terms, distinct, " ".join(name_keys(names)) if names else ""
    )
