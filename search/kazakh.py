"""A light Kazakh stemmer: suffix stripping checked by vowel harmony and consonant assimilation.

A Kazakh word form is stem + plural + possessive + case (+ the relative -ғы/-гі after a locative).
The stemmer strips at most one suffix of each class, right to left, and only where Kazakh grammar
puts it:

- vowel harmony: a back-vowel suffix (-дар, -ға, -дың) follows a stem whose last vowel is back
  (а о ұ ы я ё), a front-vowel suffix (-дер, -ге, -дің) one whose last vowel is front (ә е ө ү і э);
  и, у and ю go with either;
- the first consonant of a case or plural suffix follows the last sound of the stem: -лар after a
  vowel or р/й/у, -дар after л/м/н/ң/з/ж, -тар after a voiceless consonant, -на/-нда/-нан/-н after
  the 3rd-person possessive -ы/-і, and so on (``_CASES`` and ``_PLURALS`` list them);
- a vowel-initial possessive voices the stem's last consonant (бұйрық → бұйрығы, кітап → кітабы,
  тілек → тілегі): the stem's final ғ/г/б is written back as қ/к/п, so every form meets.

``stem_kazakh`` is for words with a Kazakh-only letter. ``stem_ambiguous`` is for Cyrillic words
without one ("университеттен", "студенттер"), which may be Russian: it strips only the case and
plural endings that a Russian word cannot take under those two checks, and returns None when the
word does not look Kazakh, so the caller stems it as Russian.
"""

from __future__ import annotations

BACK_VOWELS = frozenset("аоұыяё")
FRONT_VOWELS = frozenset("әеөүіэ")
NEUTRAL_VOWELS = frozenset("иую")
VOWELS = BACK_VOWELS | FRONT_VOWELS | NEUTRAL_VOWELS
MIN_STEM = 3

# Classes of the sound that ends a stem, which choose the first consonant of a suffix.
V = "vowel"
R = "р й у"
N = "nasal"
Z = "voiced"
K = "voiceless"
P = "possessive"  # the stem ends with the 3rd-person possessive -ы/-і (or -сы/-сі)

_CLASS_OF_LETTER: dict[str, str] = {
    **dict.fromkeys("аәеёиоөұүыіэюя", V),
    **dict.fromkeys("рй", R),
    **dict.fromkeys("мнң", N),
    **dict.fromkeys("лзж", Z),
    # Final б, в, г, ғ, д of loan words are pronounced voiceless: клуб-тар, завод-тар.
    **dict.fromkeys("бвгғдкқпстфхһцчшщ", K),
}
# у after a vowel is a glide (тау-лар, тау-дың); after a consonant it is a vowel (оқу-лар, оқу-дың):
# both take the same suffixes as р and й, so у is always R.
_CLASS_OF_LETTER["у"] = R


def _table(rows: dict[str, str]) -> dict[str, frozenset[str]]:
    return {suffix: frozenset(classes.split(",")) for suffix, classes in rows.items()}


# Case endings (and the relative -ғы/-гі, alone or after a locative): the classes they follow.
_CASES = _table(
    {
        # genitive
        "ның": f"{V},{N}", "нің": f"{V},{N}", "дың": f"{R},{Z}", "дің": f"{R},{Z}",
        "тың": K, "тің": K,
        # accusative
        "ны": V, "ні": V, "ды": f"{R},{N},{Z}", "ді": f"{R},{N},{Z}", "ты": K, "ті": K, "н": P,
        # dative
        "ға": f"{V},{R},{N},{Z}", "ге": f"{V},{R},{N},{Z}", "қа": K, "ке": K, "на": P, "не": P,
        # locative
        "да": f"{V},{R},{N},{Z}", "де": f"{V},{R},{N},{Z}", "та": K, "те": K, "нда": P, "нде": P,
        # ablative
        "дан": f"{V},{R},{Z}", "ден": f"{V},{R},{Z}", "тан": K, "тен": K,
        "нан": f"{N},{P}", "нен": f"{N},{P}",
        # instrumental
        "мен": f"{V},{R},{N},{Z}", "бен": Z, "пен": K,
        # relative, alone after a consonant (2024 жылғы; after a vowel -ғы is the possessive of
        # a voiced stem: бұйрығы) or after a locative (Қазақстандағы)
        "ғы": f"{R},{N},{Z}", "гі": f"{R},{N},{Z}", "қы": K, "кі": K,
        "дағы": f"{V},{R},{N},{Z}", "дегі": f"{V},{R},{N},{Z}", "тағы": K, "тегі": K,
        "ндағы": P, "ндегі": P,
    }
)  # fmt: skip
_PLURALS = _table(
    {"лар": f"{V},{R}", "лер": f"{V},{R}", "дар": f"{N},{Z}", "дер": f"{N},{Z}", "тар": K, "тер": K}
)
# Possessive endings: after a consonant (vowel-initial) or after a vowel. The 1st/2nd person
# singular -м/-ң after a vowel are left out: stripping them would cut adam → ada.
_POSSESSIVES_AFTER_CONSONANT = ("ымыз", "іміз", "ыңыз", "іңіз", "ым", "ім", "ың", "ің", "ы", "і")
_POSSESSIVES_AFTER_VOWEL = ("мыз", "міз", "ңыз", "ңіз", "сы", "сі")
# Endings a Russian word cannot carry under harmony and assimilation (used for ambiguous words).
_AMBIGUOUS_CASES = frozenset({"дан", "ден", "тан", "тен", "нан", "нен", "ге", "ке", "мен", "бен", "пен"})
# The instrumental is the one ending without vowel harmony (оқытушымен, студентпен).
_NO_HARMONY = frozenset({"мен", "бен", "пен"})
_VOICED_FINAL = {"ғ": "қ", "г": "к", "б": "п"}

_CASE_LENGTHS = sorted({len(s) for s in _CASES}, reverse=True)
_PLURAL_LENGTHS = [3]
_AMBIGUOUS_LENGTHS = sorted({len(s) for s in _AMBIGUOUS_CASES}, reverse=True)


def _harmony(stem: str) -> str:
    """ "back", "front" or "any", from the last vowel of ``stem``."""
    for letter in reversed(stem):
        if letter in BACK_VOWELS:
            return "back"
        if letter in FRONT_VOWELS:
            return "front"
        if letter in NEUTRAL_VOWELS:
            return "any"
    return "any"


def _suffix_harmony(suffix: str) -> str:
    if BACK_VOWELS.intersection(suffix):
        return "back"
    if FRONT_VOWELS.intersection(suffix):
        return "front"
    return "any"


def _agrees(stem: str, suffix: str) -> bool:
    stem_h, suffix_h = _harmony(stem), _suffix_harmony(suffix)
    return stem_h == "any" or suffix_h == "any" or stem_h == suffix_h


def _final_class(stem: str) -> str:
    return _CLASS_OF_LETTER.get(stem[-1], K) if stem else ""


def _follows(stem: str, classes: frozenset[str]) -> bool:
    if P in classes and stem[-1] in "ыі":
        return True
    return _final_class(stem) in classes


def _strip_table(
    word: str,
    lengths: list[int],
    table: dict[str, frozenset[str]],
    *,
    strict: bool = False,
    allowed: frozenset[str] | None = None,
) -> str:
    """``word`` without the longest suffix of ``table`` that grammar allows after its stem."""
    for length in lengths:
        suffix = word[-length:]
        classes = table.get(suffix)
        if classes is None or (allowed is not None and suffix not in allowed):
            continue
        stem = word[:-length]
        if len(stem) < MIN_STEM or not _follows(stem, classes):
            continue
        if (strict or suffix not in _NO_HARMONY) and not _agrees(stem, suffix):
            continue
        # Place names in -стан/-стен (Қазақстан, Түркістан) do not end in the ablative -тан.
        if suffix in ("тан", "тен") and stem.endswith("с"):
            continue
        return stem
    return word


def _strip_case(word: str) -> str:
    return _strip_table(word, _CASE_LENGTHS, _CASES)


def _strip_plural(word: str) -> str:
    return _strip_table(word, _PLURAL_LENGTHS, _PLURALS)


def _strip_possessive(word: str) -> str:
    """The word without its possessive ending."""
    for suffix in _POSSESSIVES_AFTER_CONSONANT:
        stem = word[: -len(suffix)]
        if (
            word.endswith(suffix)
            and len(stem) >= MIN_STEM
            and stem[-1] not in VOWELS
            and _agrees(stem, suffix)
        ):
            return stem
    for suffix in _POSSESSIVES_AFTER_VOWEL:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= MIN_STEM and stem[-1] in VOWELS and _agrees(stem, suffix):
            return stem
    return word


def _devoice(stem: str) -> str:
    """бұйрығ → бұйрық: the form the stem has before a consonant or at the end of a word."""
    last = _VOICED_FINAL.get(stem[-1]) if stem else None
    return stem[:-1] + last if last else stem


def stem_kazakh(word: str) -> str:
    """The stem of a lower-cased Kazakh word: case, possessive and plural endings removed."""
    stem = _strip_case(word)
    stem = _strip_possessive(stem)
    stem = _strip_plural(stem)
    return _devoice(stem)


def stem_ambiguous(word: str) -> str | None:
    """The Kazakh stem of a Cyrillic word without Kazakh letters, or None when it may be Russian."""
    stem = _strip_table(word, _AMBIGUOUS_LENGTHS, _CASES, strict=True, allowed=_AMBIGUOUS_CASES)
    stem = _strip_plural(stem)
    return stem if stem != word else None
