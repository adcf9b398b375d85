"""Script-independent keys of personal names: Kazakh/Russian Cyrillic and Latin spellings meet.

A name reaches the registry in several spellings: Kazakh Cyrillic (Әбенов, Жұмабеков), Russian
Cyrillic (Абенов, Жумабеков), the passport's Latin (ICAO 9303, as in Kazakh passports: ABENOV,
ZHUMABEKOV, KHAMITOV; older passports: YESSENOV, SARSENBAYEV, DMITRIY) and the 2021 Kazakh Latin
alphabet (Äbenov, Jūmabekov, Qasymov, Şäkenov, Serıkbaev). ``name_key`` maps every spelling of one
name to one key, both ways, by reducing each spelling to a coarse Latin skeleton:

1. letters to Latin: Cyrillic by the passport table (х → kh, ж → zh, ц → ts, ю → iu, я → ia,
   Kazakh letters to their base letter: ә → a, қ → k, ң → n, ө → o, ұ/ү → u, і → i, һ → h), the
   2021 alphabet's letters by what they stand for (ä → a, ğ → g, ı/i̇ → i, ñ → n, ö → o, q → k,
   ş → sh, ç → ch, ū/ü → u), the 2018 acute letters (á ǵ ń ó ú ý) likewise;
2. spellings that differ between the tables are made equal: kh → h, zh/dzh → j, shch → sh,
   y → i (й, ы and the Y of older passports), x → ks, doubled letters once (Kassymov), i between
   two vowels dropped (Sarsenbayev, Meruyert), a leading ie → e (Yerlan, Yessenov);
3. one final vowel is dropped (Akhmetova and Akhmetov, like the Russian stemmer does for Cyrillic).

The key is coarse on purpose: it only ever meets keys of other names in the names field, where a
rare false match costs less than a missed document.
"""

from __future__ import annotations

import re

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_LATIN = {
    # 2021 Kazakh Latin alphabet
    "ä": "a", "ğ": "g", "ı": "i", "ñ": "n", "ö": "o", "ş": "sh", "ç": "ch", "ū": "u", "ü": "u",
    # 2018 version (acute accents) and other diacritics seen in transcriptions
    "á": "a", "ǵ": "g", "ń": "n", "ó": "o", "ú": "u", "ý": "u", "é": "e", "ș": "sh", "ţ": "ts",
    "\u0307": "",  # the dot of İ once lower-cased (i + combining dot above)
}  # fmt: skip
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_REWRITES: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("x", "ks"),
    ("q", "k"),
    ("y", "i"),
)
_DOUBLED_RE = re.compile(r"(.)\1+")
_I_BETWEEN_VOWELS_RE = re.compile(r"(?<=[aeou])i(?=[aeou])")
_FINAL_VOWEL_RE = re.compile(r"[aeiou]$")
MIN_KEY = 3


def latin_skeleton(word: str) -> str:
    """Steps 1 and 2 of the module docstring for one lower-cased token (no final-vowel cut)."""
    key = word.translate(_TABLE)
    for old, new in _REWRITES:
        if old in key:
            key = key.replace(old, new)
    key = _DOUBLED_RE.sub(r"\1", key)
    key = _I_BETWEEN_VOWELS_RE.sub("", key)
    if key.startswith("ie"):
        key = key[1:]
    return _DOUBLED_RE.sub(r"\1", key)


def name_key(word: str) -> str:
    """The script-independent key of one lower-cased token of a personal name."""
    key = latin_skeleton(word)
    if len(key) > MIN_KEY and _FINAL_VOWEL_RE.search(key):
        key = key[:-1]
    return key
