"""Text analysis: case folding, ё → е, Russian/English stemming, the light Kazakh suffix stripper."""

from __future__ import annotations

import pytest

from search.analysis import analyze, detect_script, normalize, strip_kazakh_suffixes, words


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # Kazakh: upper case and inflected forms analyse to the same term
        ("ҚАЗАҚСТАН", "Қазақстандағы"),
        ("Қазақстан", "Қазақстаннан"),
        ("студенттердің", "студент"),
        ("студенттер", "студент"),
        ("бұйрықтар", "бұйрық"),
        ("мектептерімізде", "мектеп"),
        ("университеттің", "университет"),
        ("университетіміз", "университет"),
        ("кітаптарды", "кітап"),
        ("кітапқа", "кітап"),
        ("оқытушымен", "оқытушы"),
        ("факультеттегі", "факультет"),
        ("ӘҒҚҢӨҰҮҺІ", "әғқңөұүһі"),
        # Russian stemming and ё → е
        ("студенты", "студентов"),
        ("приказы", "приказ"),
        ("ёлка", "ЕЛКА"),
        ("университета", "университет"),
        # Kazakh and Russian forms of the same loan word meet
        ("университеттің", "университета"),
        # English stemming
        ("Students", "student"),
        ("running", "run"),
    ],
)
def test_forms_analyse_to_the_same_term(left: str, right: str) -> None:
    assert analyze(left) == analyze(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("студент", "ступень"),
        ("қала", "қол"),
        ("мен", "сен"),  # short words are never stripped to nothing
        ("экзамен", "экзаменационный"),
    ],
)
def test_different_words_stay_different(left: str, right: str) -> None:
    assert analyze(left) != analyze(right)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("студенттердің", "студент"),
        ("қазақстандағы", "қазақстан"[:6]),
        ("үйлер", "үйлер"),  # stem "үй" would be below the minimal length
        ("мен", "мен"),
        ("ата", "ата"),
        ("балаларымызға", "бала"),
    ],
)
def test_kazakh_stripper(word: str, stem: str) -> None:
    assert strip_kazakh_suffixes(word) == stem


@pytest.mark.parametrize(
    ("word", "script"),
    [("қазақ", "kk"), ("студент", "ru"), ("student", "en"), ("2026", "other"), ("cтудент", "other")],
)
def test_detect_script(word: str, script: str) -> None:
    assert detect_script(normalize(word)) == script


def test_tokens_split_on_punctuation_and_engine_syntax() -> None:
    assert analyze("ВЕД-2026-000123") == ["вед", "2026", "000123"]
    assert analyze('title:foo AND ( *:* \\ "') == ["titl", "foo", "and"]
    assert words("Ёлка_ҚАЗАҚ") == ["елка", "қазақ"]
    assert analyze("") == []


def test_nfc_normalisation() -> None:
    decomposed = "и\u0306од"  # й written as и + combining breve
    assert analyze(decomposed) == analyze("йод")
