"""Text analysis shared by every search backend.

Both backends index the terms produced here (joined by spaces into a whitespace-tokenised field),
so a query finds the same documents whichever engine runs it:

- NFC normalisation and Unicode lower-casing, which folds the Kazakh letters ӘҒҚҢӨҰҮҺІ;
- ё → е (Russian spelling variant);
- per-token script detection: a Cyrillic token with a Kazakh-specific letter goes through the light
  Kazakh suffix stripper; other Cyrillic tokens through the Russian Snowball stemmer and then the
  Kazakh stripper (Kazakh words written without special letters, e.g. "студенттер"); Latin tokens
  through the English Snowball stemmer; anything else (digits, mixed scripts) stays lower-cased.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import Stemmer

# A token is a run of letters and digits; punctuation, underscores and engine syntax separate tokens.
TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")

# Suffixes of the light Kazakh stripper, tried longest first: plural, possessive and case endings.
KAZAKH_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            # plural
            "лар", "лер", "дар", "дер", "тар", "тер",
            # possessive (1st/2nd person, polite, 3rd person)
            "ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз", "ың", "ің", "ым", "ім",
            "сы", "сі", "ы", "і",
            # genitive
            "дың", "дің", "тың", "тің", "ның", "нің",
            # locative, and locative + relative -ғы/-гі
            "да", "де", "та", "те", "нда", "нде",
            "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі",
            # dative
            "ға", "ге", "қа", "ке", "на", "не",
            # ablative
            "дан", "ден", "тан", "тен", "нан", "нен",
            # instrumental
            "мен", "бен", "пен", "ымен", "імен",
            # accusative
            "ды", "ді", "ты", "ті", "ны", "ні",
        },
        key=lambda suffix: (-len(suffix), suffix),
    )
)  # fmt: skip
_SUFFIXES_BY_LENGTH: tuple[tuple[int, frozenset[str]], ...] = tuple(
    (length, frozenset(s for s in KAZAKH_SUFFIXES if len(s) == length))
    for length in sorted({len(s) for s in KAZAKH_SUFFIXES}, reverse=True)
)
KAZAKH_MIN_STEM = 3
# Cyrillic words without Kazakh letters are Russian-stemmed first; afterwards only a Kazakh plural
# is stripped (e.g. "студенттер"), because case endings such as -мен/-да would cut Russian stems.
_KAZAKH_PLURALS = ("лар", "лер", "дар", "дер", "тар", "тер")
_KAZAKH_MAX_PASSES = 3


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
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е")


def strip_kazakh_suffixes(word: str) -> str:
    """Strip Kazakh plural, possessive and case endings, longest first, never below the minimal stem."""
    for _ in range(_KAZAKH_MAX_PASSES):
        for length, suffixes in _SUFFIXES_BY_LENGTH:
            if len(word) - length >= KAZAKH_MIN_STEM and word[-length:] in suffixes:
                word = word[:-length]
                break
        else:
            break
    return word


def detect_script(word: str) -> str:
    """Return "kk", "ru", "en" or "other" for one normalised token."""
    if _CYRILLIC_RE.search(word):
        if _LATIN_RE.search(word):
            return "other"
        return "kk" if _KAZAKH_LETTERS.intersection(word) else "ru"
    if _LATIN_RE.search(word) and word.isascii():
        return "en"
    return "other"


def _compute_term(word: str) -> str:
    script = detect_script(word)
    if script == "kk":
        return strip_kazakh_suffixes(word)
    if script == "ru":
        stem = str(_stemmers.russian.stemWord(word))
        for plural in _KAZAKH_PLURALS:
            if stem.endswith(plural) and len(stem) - len(plural) >= KAZAKH_MIN_STEM:
                return stem[: -len(plural)]
        return stem
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


def terms_for(tokens: list[str]) -> list[str]:
    """Index terms of normalised tokens (the fast path of ``analyze``)."""
    try:
        return list(map(_TERMS.__getitem__, tokens))
    except KeyError:
        for word in set(tokens).difference(_TERMS):
            term_for(word)
    try:
        return list(map(_TERMS.__getitem__, tokens))
    except KeyError:  # the cache was cleared while filling it
        return list(map(term_for, tokens))


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
    return terms_for(TOKEN_RE.findall(normalize(text)))


def words(text: str) -> list[str]:
    """Return the normalised but unstemmed tokens of ``text`` (used for prefix search)."""
    return TOKEN_RE.findall(normalize(text))


def analyzed_string(text: str) -> str:
    """The terms of ``text`` joined by spaces, as stored in a whitespace-tokenised index field."""
    return " ".join(analyze(text))


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    """The index strings of a document's text fields, tokenised once."""

    title: str
    meta: str
    body: str
    words: str


def analyze_document(title: str, meta: str, body: str) -> AnalyzedDocument:
    """Terms of title, meta (number and names) and body, plus the distinct unstemmed words of all three."""
    parts = [TOKEN_RE.findall(normalize(text)) for text in (title, meta, body)]
    title_terms, meta_terms, body_terms = (" ".join(terms_for(tokens)) for tokens in parts)
    distinct = dict.fromkeys(parts[0])
    distinct.update(dict.fromkeys(parts[1]))
    distinct.update(dict.fromkeys(parts[2]))
    return AnalyzedDocument(title_terms, meta_terms, body_terms, " ".join(distinct))
