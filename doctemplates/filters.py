"""Jinja filters for academic documents in Kazakh, Russian and English.

Dates with month names, numbers in words, letter grades of the 100-point credit scale, and
short forms of personal names. Every filter takes plain values and is safe in the sandbox.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext
from jinja2 import Undefined
from num2words import num2words

LANGUAGES = ("kk", "ru", "en")

MONTHS_KK = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
# Russian dates use the genitive: «28 ноября 2026 г.».
MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The letter scale of the Kazakh credit system: (lowest score, letter, grade point,
# traditional grade in kk, ru, en).
GRADE_SCALE: tuple[tuple[int, str, str, dict[str, str]], ...] = (
    (95, "A", "4.0", {"kk": "өте жақсы", "ru": "отлично", "en": "excellent"}),
    (90, "A-", "3.67", {"kk": "өте жақсы", "ru": "отлично", "en": "excellent"}),
    (85, "B+", "3.33", {"kk": "жақсы", "ru": "хорошо", "en": "good"}),
    (80, "B", "3.0", {"kk": "жақсы", "ru": "хорошо", "en": "good"}),
    (75, "B-", "2.67", {"kk": "жақсы", "ru": "хорошо", "en": "good"}),
    (70, "C+", "2.33", {"kk": "қанағаттанарлық", "ru": "удовлетворительно", "en": "satisfactory"}),
    (65, "C", "2.0", {"kk": "қанағаттанарлық", "ru": "удовлетворительно", "en": "satisfactory"}),
    (60, "C-", "1.67", {"kk": "қанағаттанарлық", "ru": "удовлетворительно", "en": "satisfactory"}),
    (55, "D+", "1.33", {"kk": "қанағаттанарлық", "ru": "удовлетворительно", "en": "satisfactory"}),
    (50, "D", "1.0", {"kk": "қанағаттанарлық", "ru": "удовлетворительно", "en": "satisfactory"}),
    (0, "F", "0", {"kk": "қанағаттанарлықсыз", "ru": "неудовлетворительно", "en": "fail"}),
)

_NUM2WORDS_LANG = {"kk": "kz", "ru": "ru", "en": "en"}
# Kazakh patronymics may be written as two words: «Серік ұлы».
_PATRONYMIC_SUFFIXES = {"ұлы", "қызы", "uly", "kyzy", "оглы", "кызы"}


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(gettext("Unknown language %(lang)s; expected kk, ru or en.") % {"lang": lang})
    return lang


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(gettext("Not a date: %(value)r.") % {"value": value})


def format_date(value: Any, lang: str = "ru") -> str:
    """A date with the month name: «2026 жылғы 28 қараша», «28 ноября 2026 г.», «28 November 2026»."""
    day = _as_date(value)
    lang = _check_lang(lang)
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {MONTHS_KK[day.month - 1]}"
    if lang == "ru":
        return f"{day.day} {MONTHS_RU[day.month - 1]} {day.year} г."
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def date_kk(value: Any) -> str:
    """A date in Kazakh: «2026 жылғы 28 қараша»."""
    return format_date(value, "kk")


def date_ru(value: Any) -> str:
    """A date in Russian: «28 ноября 2026 г.»."""
    return format_date(value, "ru")


def date_en(value: Any) -> str:
    """A date in English: «28 November 2026»."""
    return format_date(value, "en")


def date_numeric(value: Any) -> str:
    """A date as «28.11.2026»."""
    return _as_date(value).strftime("%d.%m.%Y")


def number_words(value: Any, lang: str = "ru") -> str:
    """A number (int, Decimal, or numeric string) in words in kk, ru or en."""
    lang = _check_lang(lang)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(gettext("Not a number: %(value)r.") % {"value": value}) from exc
    if number == number.to_integral_value():
        return str(num2words(int(number), lang=_NUM2WORDS_LANG[lang]))
    return str(num2words(number, lang=_NUM2WORDS_LANG[lang]))


def amount_words(value: Any, lang: str = "ru") -> str:
    """An amount in tenge in words: «бір мың теңге, елу тиын», «одна тысяча тенге, …», «one thousand tenge, …»."""
    lang = _check_lang(lang)
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(gettext("Not a number: %(value)r.") % {"value": value}) from exc
    if lang == "en":  # num2words has no KZT for English
        tenge, tiyn = divmod(int(amount * 100), 100)
        return f"{num2words(tenge, lang='en')} tenge, {num2words(tiyn, lang='en')} tiyn"
    return str(num2words(amount, lang=_NUM2WORDS_LANG[lang], to="currency", currency="KZT"))


def _grade_row(score: Any) -> tuple[int, str, str, dict[str, str]]:
    try:
        points = Decimal(str(score))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(gettext("Not a score: %(value)r.") % {"value": score}) from exc
    if not Decimal(0) <= points <= Decimal(100):
        raise ValueError(gettext("A score must be between 0 and 100, not %(value)s.") % {"value": score})
    for row in GRADE_SCALE:
        if points >= row[0]:
            return row
    raise AssertionError("unreachable: the scale starts at 0")


def letter_grade(score: Any) -> str:
    """The letter grade of a 100-point score (A, A-, B+ … F)."""
    return _grade_row(score)[1]


def grade_point(score: Any) -> str:
    """The grade point (4.0 … 0) of a 100-point score, as text."""
    return _grade_row(score)[2]


def grade_word(score: Any, lang: str = "ru") -> str:
    """The traditional grade of a 100-point score in words («отлично», «өте жақсы», «excellent»)."""
    return _grade_row(score)[3][_check_lang(lang)]


def _name_parts(full_name: Any) -> list[str]:
    words = str(full_name).split()
    parts: list[str] = []
    for word in words:
        if parts and word.lower() in _PATRONYMIC_SUFFIXES:
            parts[-1] = f"{parts[-1]} {word}"
        else:
            parts.append(word)
    return parts


def short_name(full_name: Any) -> str:
    """«Әлібеков Данияр Серікұлы» → «Әлібеков Д. С.» (surname first, then initials)."""
    parts = _name_parts(full_name)
    if not parts:
        return ""
    initials = " ".join(f"{part[0]}." for part in parts[1:])
    return f"{parts[0]} {initials}".strip()


def initials_surname(full_name: Any) -> str:
    """«Әлібеков Данияр Серікұлы» → «Д. С. Әлібеков» (as under a signature)."""
    parts = _name_parts(full_name)
    if not parts:
        return ""
    initials = " ".join(f"{part[0]}." for part in parts[1:])
    return f"{initials} {parts[0]}".strip()


def surname_upper(full_name: Any) -> str:
    """«Әлібеков Данияр» → «ӘЛІБЕКОВ Данияр» (surname in capitals, as on diplomas)."""
    parts = _name_parts(full_name)
    if not parts:
        return ""
    return " ".join([parts[0].upper(), *parts[1:]])


def ru_case(value: Any, case: str = "loct") -> str:
    """A Russian noun phrase (an organisation's name) in `case`: «в {{ university|ru_case('loct') }}»."""
    from doctemplates.morphology_ru import decline_phrase

    return decline_phrase(value, case)


def ru_name_case(value: Any, case: str = "datv", sex: Any = "") -> str:
    """A Russian full name in `case` for a person of `sex` ("male"/"female", else guessed from the name)."""
    from doctemplates.morphology_ru import decline_full_name

    return decline_full_name(value, case, str(sex or ""))


def kk_case(value: Any, case: str = "dative") -> str:
    """A Kazakh noun phrase (a name, an organisation) with its case ending: «{{ name|kk_case('dative') }}»."""
    from doctemplates.morphology_kk import kk_case as decline

    return decline(value, case)


def ru_he_she(sex: Any) -> str:
    """«он» or «она» for a person of `sex`."""
    from doctemplates.morphology_ru import he_she

    return he_she(sex)


def number_format(value: Any, lang: str = "ru", places: int | None = None) -> str:
    """A number as a person writes it: «93», «3,67» (kk, ru), «3.67» (en); None or '' → «—».

    Without `places` trailing zeros go (93.0000 → 93); with `places` it is rounded half up to them.
    """
    lang = _check_lang(lang)
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(gettext("Not a number: %(value)r.") % {"value": value}) from exc
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding="ROUND_HALF_UP")
        text = f"{number:f}"
    else:
        text = f"{number.normalize():f}"
    return text.replace(".", ",") if lang in ("kk", "ru") else text


def _strict(function: Callable[..., str]) -> Callable[..., str]:
    """A filter that raises the undefined-variable error when given an undefined value."""

    @functools.wraps(function)
    def wrapper(value: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        return function(value, *args, **kwargs)

    return wrapper


FILTERS: dict[str, Callable[..., str]] = {
    name: _strict(function)
    for name, function in {
        "date": format_date,
        "date_kk": date_kk,
        "date_ru": date_ru,
        "date_en": date_en,
        "date_numeric": date_numeric,
        "number_words": number_words,
        "amount_words": amount_words,
        "letter_grade": letter_grade,
        "grade_point": grade_point,
        "grade_word": grade_word,
        "short_name": short_name,
        "initials_surname": initials_surname,
        "surname_upper": surname_upper,
        "ru_case": ru_case,
        "ru_name_case": ru_name_case,
        "kk_case": kk_case,
        "number_format": number_format,
        "ru_he_she": ru_he_she,
    }.items()
}
