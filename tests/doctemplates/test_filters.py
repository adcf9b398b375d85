"""Filters for dates, numbers in words, letter grades and names in kk, ru and en."""

import datetime as dt
from decimal import Decimal

import pytest

from doctemplates import filters

DAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (DAY, "kk", "2026 жылғы 28 қараша"),
        (DAY, "ru", "28 ноября 2026 г."),
        (DAY, "en", "28 November 2026"),
        (dt.datetime(2026, 1, 5, 10, 30), "ru", "5 января 2026 г."),
        ("2026-09-01", "kk", "2026 жылғы 1 қыркүйек"),
    ],
)
def test_date_has_month_names_in_each_language(value, lang, expected):
    assert filters.format_date(value, lang) == expected


def test_date_shortcuts_and_numeric():
    assert filters.date_kk(DAY) == "2026 жылғы 28 қараша"
    assert filters.date_ru(DAY) == "28 ноября 2026 г."
    assert filters.date_en(DAY) == "28 November 2026"
    assert filters.date_numeric(DAY) == "28.11.2026"


@pytest.mark.parametrize("bad", ["yesterday", 42, None])
def test_date_refuses_what_is_not_a_date(bad):
    with pytest.raises(ValueError, match="Not a date"):
        filters.format_date(bad, "ru")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="Unknown language"):
        filters.format_date(DAY, "de")


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (21, "kk", "жиырма бір"),
        (21, "ru", "двадцать один"),
        (21, "en", "twenty-one"),
        ("5", "ru", "пять"),
        (Decimal("4.5"), "kk", "төрт бүтін бес"),
        (Decimal("4.0"), "en", "four"),
    ],
)
def test_number_words(value, lang, expected):
    assert filters.number_words(value, lang) == expected


def test_number_words_refuses_text():
    with pytest.raises(ValueError, match="Not a number"):
        filters.number_words("many", "ru")


@pytest.mark.parametrize(
    ("score", "letter", "point"),
    [
        (100, "A", "4.0"),
        (95, "A", "4.0"),
        (94, "A-", "3.67"),
        (85, "B+", "3.33"),
        (80, "B", "3.0"),
        (75, "B-", "2.67"),
        (70, "C+", "2.33"),
        (65, "C", "2.0"),
        (60, "C-", "1.67"),
        (55, "D+", "1.33"),
        (50, "D", "1.0"),
        (49, "F", "0"),
        (0, "F", "0"),
        ("89.5", "B+", "3.33"),
    ],
)
def test_letter_grade_follows_the_credit_scale(score, letter, point):
    assert filters.letter_grade(score) == letter
    assert filters.grade_point(score) == point


def test_grade_word_in_each_language():
    assert filters.grade_word(96, "kk") == "өте жақсы"
    assert filters.grade_word(96, "ru") == "отлично"
    assert filters.grade_word(40, "en") == "fail"


@pytest.mark.parametrize("bad", [101, -1, "A+"])
def test_letter_grade_refuses_scores_off_the_scale(bad):
    with pytest.raises(ValueError):
        filters.letter_grade(bad)


@pytest.mark.parametrize(
    ("full_name", "short", "signature", "upper"),
    [
        ("Әлібеков Данияр Серікұлы", "Әлібеков Д. С.", "Д. С. Әлібеков", "ӘЛІБЕКОВ Данияр Серікұлы"),
        (
            "Нұрланова Айгерім Серік қызы",
            "Нұрланова А. С.",
            "А. С. Нұрланова",
            "НҰРЛАНОВА Айгерім Серік қызы",
        ),
        ("Smith John", "Smith J.", "J. Smith", "SMITH John"),
        ("", "", "", ""),
    ],
)
def test_name_forms(full_name, short, signature, upper):
    assert filters.short_name(full_name) == short
    assert filters.initials_surname(full_name) == signature
    assert filters.surname_upper(full_name) == upper


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("1234.50", "kk", "бір мың екі жүз отыз төрт теңге, елу тиын"),
        (Decimal("1234.5"), "ru", "одна тысяча двести тридцать четыре тенге, пятьдесят тиынов"),
        (1234.5, "en", "one thousand, two hundred and thirty-four tenge, fifty tiyn"),
    ],
)
def test_amount_words_in_tenge(value, lang, expected):
    assert filters.amount_words(value, lang) == expected
