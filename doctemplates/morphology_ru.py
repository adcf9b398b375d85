"""Russian declension of personal names and organisation names for documents.

A sentence such as «справка выдана Ахметовой Меруерт Сериковне … в Демо-университете» needs the
name in the case the sentence governs. Names are declined by the rules of Russian grammar for
surnames, given names and patronymics (the ending and the person's sex decide: a woman's name
ending in a consonant, Kazakh patronymics in -улы/-кызы and surnames in -о, -ых, -их stay as they
are); given names the OpenCorpora dictionary knows (Павел → Павла, Лев → Льва) are declined by
pymorphy3. Organisation names decline their head noun and the adjectives before it («Казахский
национальный университет имени аль-Фараби» → «Казахском национальном университете имени
аль-Фараби»); quoted parts and what follows the head noun stay as written.
"""

from __future__ import annotations

import functools
import re
from typing import Any

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
MALE, FEMALE = "male", "female"
_VOWELS = set("аеёиоуыэюя")
_KAZAKH_PATRONYMIC = re.compile(r"(улы|ұлы|уулу|оглы|кызы|қызы)$", re.IGNORECASE)


def _check_case(case: str) -> str:
    if case not in CASES:
        raise ValueError(f"Unknown Russian case {case!r}; expected one of {', '.join(CASES)}.")
    return case


@functools.cache
def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _keep_case(template: str, word: str) -> str:
    """`word` with the capitalisation of `template` (ВСЕ ЗАГЛАВНЫЕ, Заглавная, строчная)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _replace_ending(word: str, cut: int, endings: dict[str, str], case: str) -> str:
    if case == "nomn":
        return word
    return word[: len(word) - cut] + endings[case]


# Endings by case for each declension pattern: (letters cut from the nominative, endings).
_HARD_MASC = {"gent": "а", "datv": "у", "accs": "а", "ablt": "ом", "loct": "е"}
_SURNAME_OV_MASC = {"gent": "а", "datv": "у", "accs": "а", "ablt": "ым", "loct": "е"}
_SURNAME_OV_FEMN = {"gent": "ой", "datv": "ой", "accs": "у", "ablt": "ой", "loct": "ой"}
_ADJ_MASC = {"gent": "ого", "datv": "ому", "accs": "ого", "ablt": "им", "loct": "ом"}
_ADJ_FEMN = {"gent": "ой", "datv": "ой", "accs": "ую", "ablt": "ой", "loct": "ой"}
_FIRST_A = {"gent": "ы", "datv": "е", "accs": "у", "ablt": "ой", "loct": "е"}
_FIRST_A_SOFT = {
    "gent": "и",
    "datv": "е",
    "accs": "у",
    "ablt": "ей",
    "loct": "е",
}  # after г, к, х, ж, ш, ч, щ
_FIRST_YA = {"gent": "и", "datv": "е", "accs": "ю", "ablt": "ей", "loct": "е"}
_FIRST_IYA = {"gent": "и", "datv": "и", "accs": "ю", "ablt": "ей", "loct": "и"}
_SOFT_MASC = {"gent": "я", "datv": "ю", "accs": "я", "ablt": "ем", "loct": "е"}  # -й, -ь
_SIBILANT_MASC = {"gent": "а", "datv": "у", "accs": "а", "ablt": "ем", "loct": "е"}  # -ж, -ш, -ч, -щ, -ц


def _first_declension(word: str, case: str) -> str:
    """Nouns in -а/-я (Жанна, Мария, Кочерга, Илья)."""
    low = word.lower()
    if low.endswith("ия"):
        return _replace_ending(word, 1, _FIRST_IYA, case)
    if low.endswith("я"):
        return _replace_ending(word, 1, _FIRST_YA, case)
    if len(low) > 1 and low[-2] in "гкхжшчщ":
        endings = dict(_FIRST_A_SOFT)
        if low[-2] in "гкх":
            endings["ablt"] = "ой"
        return _replace_ending(word, 1, endings, case)
    if len(low) > 1 and low[-2] == "ц":
        return _replace_ending(word, 1, {**_FIRST_A, "ablt": "ей"}, case)
    return _replace_ending(word, 1, _FIRST_A, case)


def _masculine_noun(word: str, case: str) -> str:
    """A man's name or surname ending in a consonant (Айбек, Ким, Сергей, Игорь)."""
    low = word.lower()
    if low.endswith(("й", "ь")):
        return _replace_ending(word, 1, _SOFT_MASC, case)
    if low[-1:] in "жшчщц":
        return _replace_ending(word, 0, _SIBILANT_MASC, case)
    return _replace_ending(word, 0, _HARD_MASC, case)


def decline_surname(surname: str, case: str, sex: str) -> str:
    """A surname in `case` for a person of `sex` (male or female)."""
    _check_case(case)
    if not surname.replace("-", "").isalpha():
        return surname  # not a word (digits, initials): left as written
    if "-" in surname:  # double surnames decline each part: Петрова-Водкина
        return "-".join(decline_surname(part, case, sex) for part in surname.split("-"))
    low = surname.lower()
    if len(low) < 2 or low.endswith(("о", "е", "э", "и", "ы", "у", "ю", "ых", "их")):
        return surname
    if sex == FEMALE:
        if low.endswith(("ова", "ева", "ёва", "ина", "ына")):
            return _replace_ending(surname, 1, _SURNAME_OV_FEMN, case)
        if low.endswith(("ская", "цкая", "ая")):
            return _replace_ending(surname, 2, _ADJ_FEMN, case)
        if low.endswith(("а", "я")) and low[-2] not in _VOWELS:
            return _first_declension(surname, case)
        return surname  # Ким, Пак, Нурлан as a woman's surname: not declined
    if low.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return _replace_ending(surname, 0, _SURNAME_OV_MASC, case)
    if low.endswith(("ский", "цкий", "ой", "ый", "ий")):
        endings = dict(_ADJ_MASC)
        if low.endswith(("кий", "гий", "хий", "жий", "ший", "чий", "щий", "ний")):
            endings.update({"gent": "ого", "datv": "ому", "accs": "ого", "ablt": "им", "loct": "ом"})
        if low.endswith(("жий", "ший", "чий", "щий", "ний")):
            endings.update({"gent": "его", "datv": "ему", "accs": "его", "loct": "ем"})
        if low.endswith("ой") or low.endswith("ый"):
            endings["ablt"] = "ым"
        return _replace_ending(surname, 2, endings, case)
    if low.endswith(("а", "я")) and low[-2] not in _VOWELS:
        return _first_declension(surname, case)
    if low[-1] in _VOWELS:
        return surname
    return _masculine_noun(surname, case)


@functools.lru_cache(maxsize=8192)
def _dictionary_name(name: str, case: str, sex: str) -> str | None:
    """The given name declined by the dictionary, when the dictionary knows it as a name of this sex."""
    gender = "masc" if sex == MALE else "femn"
    if not _analyzer().word_is_known(name.lower()):
        return None
    for parse in _analyzer().parse(name.lower()):
        tag = parse.tag
        if "Name" in tag and tag.gender == gender and tag.case == "nomn" and tag.number == "sing":
            inflected = parse.inflect({case})
            return None if inflected is None else _keep_case(name, inflected.word)
    return None


def decline_first_name(name: str, case: str, sex: str) -> str:
    """A given name in `case`: from the dictionary if it knows the name, else by its ending."""
    _check_case(case)
    if case == "nomn" or not name or not name.replace("-", "").isalpha():
        return name
    if "-" in name:
        return "-".join(decline_first_name(part, case, sex) for part in name.split("-"))
    known = _dictionary_name(name, case, sex)
    if known is not None:
        return known
    low = name.lower()
    if low.endswith(("а", "я")) and len(low) > 1 and low[-2] not in "аеёиоуыэюя":
        return _first_declension(name, case)
    if low.endswith("ия"):
        return _first_declension(name, case)
    if sex == FEMALE or low[-1] in _VOWELS:
        return name  # Меруерт, Гульнур, Айгерим, Дильноза's -о: a woman's name in a consonant stays
    return _masculine_noun(name, case)


def decline_patronymic(patronymic: str, case: str, sex: str) -> str:
    """A patronymic in `case` (Сериковичу, Сериковне); Kazakh -улы/-кызы forms are not declined."""
    _check_case(case)
    low = patronymic.lower()
    if not patronymic or _KAZAKH_PATRONYMIC.search(low) or " " in patronymic:
        return patronymic
    if low.endswith(("ович", "евич", "ич")):
        return _replace_ending(patronymic, 0, _SIBILANT_MASC, case)
    if low.endswith(("овна", "евна", "ична", "инична")):
        return _replace_ending(
            patronymic, 1, {"gent": "ы", "datv": "е", "accs": "у", "ablt": "ой", "loct": "е"}, case
        )
    return patronymic


@functools.lru_cache(maxsize=8192)
def _sex_of_first_name(name: str) -> str:
    """The sex of a given name the dictionary knows as a name of one sex only (Алия, Павел), else ''."""
    analyzer = _analyzer()
    if not analyzer.word_is_known(name.lower()):
        return ""
    genders = {p.tag.gender for p in analyzer.parse(name.lower()) if "Name" in p.tag and p.tag.case == "nomn"}
    if genders == {"masc"}:
        return MALE
    if genders == {"femn"}:
        return FEMALE
    return ""


def sex_of_name(full_name: str) -> str:
    """The sex a Russian or Kazakh full name shows (by the patronymic, the given name the dictionary
    knows, then the surname's ending), or ''."""
    words = full_name.split()
    for word in reversed(words):
        low = word.lower()
        if low.endswith(("вич", "ич", "улы", "ұлы", "оглы")):
            return MALE
        if low.endswith(("вна", "чна", "кызы", "қызы")):
            return FEMALE
    if len(words) > 1 and (by_first_name := _sex_of_first_name(words[1])):
        return by_first_name
    if words:
        low = words[0].lower()
        if low.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
            return FEMALE
        if low.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий")):
            return MALE
    return ""


def decline_full_name(full_name: Any, case: str = "datv", sex: str = "") -> str:
    """«Фамилия Имя Отчество» in `case`; `sex` is "male" or "female" (guessed from the name if empty)."""
    _check_case(case)
    text = str(full_name).strip()
    if case == "nomn" or not text:
        return text
    sex = sex if sex in (MALE, FEMALE) else sex_of_name(text)
    if not sex:
        return text  # unknown sex: the nominative is better than a wrong ending
    words = text.split()
    # A Kazakh patronymic may be written as two words: «Серік ұлы».
    if len(words) >= 2 and words[-1].lower() in ("ұлы", "улы", "қызы", "кызы"):
        words = [*words[:-2], f"{words[-2]} {words[-1]}"]
    declined = [decline_surname(words[0], case, sex)]
    if len(words) > 1:
        declined.append(decline_first_name(words[1], case, sex))
    if len(words) > 2:
        declined.append(decline_patronymic(" ".join(words[2:]), case, sex))
    return " ".join(declined)


_QUOTED = re.compile(r"[«\"“].*$")


def decline_adjective(word: str, case: str) -> str:
    """An adjective in `case`, by its ending (Казахский, национальная, Высшая, синее), for an inanimate noun."""
    _check_case(case)
    low = word.lower()
    ending, stem_last = low[-2:], low[-3:-2]
    soft = stem_last in "жшчщ" or (ending in ("ий", "яя", "ее") and stem_last not in "гкх")
    if ending in ("ый", "ой", "ий"):
        endings = {"gent": "ого", "datv": "ому", "accs": ending, "ablt": "ым", "loct": "ом"}
        if ending == "ий":
            endings["ablt"] = "им"
        if soft and ending == "ий":
            endings.update({"gent": "его", "datv": "ему", "loct": "ем"})
    elif ending in ("ая", "яя"):
        endings = {"gent": "ой", "datv": "ой", "accs": "ую", "ablt": "ой", "loct": "ой"}
        if soft:
            endings = {"gent": "ей", "datv": "ей", "accs": "ую", "ablt": "ей", "loct": "ей"}
        if ending == "яя":
            endings["accs"] = "юю"
    elif ending in ("ое", "ее"):
        endings = {"gent": "ого", "datv": "ому", "accs": ending, "ablt": "ым", "loct": "ом"}
        if soft:
            endings.update({"gent": "его", "datv": "ему", "ablt": "им", "loct": "ем"})
    else:
        return word
    return _keep_case(word, _replace_ending(low, 2, endings, case))


@functools.lru_cache(maxsize=1024)
def _decline_noun(word: str, case: str) -> str:
    """A common noun in `case` (the last part of a hyphenated word declines: Демо-университет)."""
    prefix = ""
    if "-" in word:
        prefix, word = word.rsplit("-", 1)
        prefix += "-"
    analyzer = _analyzer()
    candidates = [
        p
        for p in analyzer.parse(word.lower())
        if p.tag.POS == "NOUN" and p.tag.case == "nomn" and p.tag.number == "sing"
    ]
    if not candidates or not analyzer.word_is_known(word.lower()):
        return prefix + word
    inflected = candidates[0].inflect({case})
    return prefix + (word if inflected is None else _keep_case(word, inflected.word))


def decline_phrase(phrase: Any, case: str = "loct") -> str:
    """An organisation's name in `case`: the adjectives up to the head noun and the head noun decline."""
    _check_case(case)
    text = str(phrase).strip()
    if case == "nomn" or not text:
        return text
    quoted = _QUOTED.search(text)
    head_text, tail = (text[: quoted.start()], text[quoted.start() :]) if quoted else (text, "")
    words = head_text.split()
    head = None
    for index, word in enumerate(words):
        parses = _analyzer().parse(word.split("-")[-1].lower())
        if parses and parses[0].tag.POS == "NOUN" and parses[0].tag.case == "nomn":
            head = index
            break
    if head is None:
        return text
    declined = [decline_adjective(word, case) for word in words[:head]]
    result = " ".join([*declined, _decline_noun(words[head], case), *words[head + 1 :]])
    return f"{result} {tail}".strip() if tail else result


def he_she(sex: Any) -> str:
    """«он» or «она» for a person of `sex` ("male"/"female"), «он(а)» when unknown."""
    return {MALE: "он", FEMALE: "она"}.get(str(sex), "он(а)")
