"""Kazakh case endings by suffix rules: vowel harmony and the last sound of the word.

Kazakh is agglutinative: a noun phrase takes its case ending once, on its last word
(«Ахметова Меруерт Серікқызына», «Демо-университетте»). The ending's vowel follows the word's
last vowel (back а о ұ ы — front ә ө ү і е), its first consonant the word's last sound (a vowel,
a sonorant, a voiced or a voiceless consonant). A phrase whose last word carries the possessive of
the third person («… университеті», «Серікұлы», «Серікқызы») takes the pronominal ‑н‑ forms
(«университетінде», «Серікұлына»).
"""

from __future__ import annotations

from typing import Any

CASES = ("nominative", "genitive", "dative", "accusative", "locative", "ablative", "instrumental")
_BACK = set("аоұыяё")
_FRONT = set("әөүіеэ")
# б в г д at the end of a word sound voiceless (Глеб → Глебке), as the consonants of _VOICELESS.
_VOICELESS = set("кқпстфхцчшщбвгд")
_SONORANT_NASAL = set("мнң")
_SONORANT_OTHER = set("лрйу")
# Endings with a back and a front vowel, chosen by the last sound: (after a vowel, after м н ң,
# after л р й у, after ж з, after a voiceless consonant).
_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "genitive": (("ның", "нің"), ("ның", "нің"), ("дың", "дің"), ("дың", "дің"), ("тың", "тің")),
    "dative": (("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("қа", "ке")),
    "accusative": (("ны", "ні"), ("ды", "ді"), ("ды", "ді"), ("ды", "ді"), ("ты", "ті")),
    "locative": (("да", "де"), ("да", "де"), ("да", "де"), ("да", "де"), ("та", "те")),
    "ablative": (("дан", "ден"), ("нан", "нен"), ("дан", "ден"), ("дан", "ден"), ("тан", "тен")),
    "instrumental": (("мен", "мен"), ("мен", "мен"), ("мен", "мен"), ("бен", "бен"), ("пен", "пен")),
}
# After the possessive of the third person: the pronominal n.
_POSSESSIVE_ENDINGS = {
    "genitive": ("ның", "нің"),
    "dative": ("на", "не"),
    "accusative": ("н", "н"),
    "locative": ("нда", "нде"),
    "ablative": ("нан", "нен"),
    "instrumental": ("мен", "мен"),
}
_POSSESSIVE_WORDS = ("ұлы", "қызы", "улы", "кызы")


def _check_case(case: str) -> str:
    if case not in CASES:
        raise ValueError(f"Unknown Kazakh case {case!r}; expected one of {', '.join(CASES)}.")
    return case


def is_front(word: str) -> bool:
    """Whether the word's last harmonising vowel is a front one (е, ә, ө, ү, і, э).

    и and у are neutral: the vowel before them decides (күту → front, оқу → back); a word with no
    other vowel is back when it holds у (институт → институтқа), front when it holds only и.
    """
    letters = [c for c in word.lower() if c.isalpha()]
    for letter in reversed(letters):
        if letter in _FRONT:
            return True
        if letter in _BACK:
            return False
    return "у" not in letters and "и" in letters


def _sound_class(word: str) -> int:
    letters = [c for c in word.lower() if c.isalpha()]
    last = letters[-1] if letters else "а"
    if last in _SONORANT_NASAL:
        return 1
    if last in _SONORANT_OTHER:
        return 2
    if last in "жз":
        return 3
    if last in _VOICELESS:
        return 4
    return 0


def _possessive(phrase: str) -> bool:
    """The last word carries the 3rd-person possessive: «…университеті» in a phrase, «Серікұлы»."""
    words = phrase.split()
    last = words[-1].lower() if words else ""
    if last.endswith(_POSSESSIVE_WORDS):
        return True
    return len(words) > 1 and last.endswith(("ы", "і")) and not last.endswith(("ии", "ый", "ій"))


def kk_case(phrase: Any, case: str = "dative") -> str:
    """A Kazakh noun phrase (a name, an organisation) with the case ending on its last word."""
    _check_case(case)
    text = str(phrase).rstrip()
    if case == "nominative" or not text:
        return text
    front = is_front(text.split()[-1].split("-")[-1])
    if _possessive(text):
        ending = _POSSESSIVE_ENDINGS[case][1 if front else 0]
    else:
        ending = _ENDINGS[case][_sound_class(text)][1 if front else 0]
    if text[-1].isupper() and len(text.split()[-1]) > 1 and text.split()[-1].isupper():
        ending = ending.upper()
    return text + ending
