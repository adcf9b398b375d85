"""Declension for documents: Russian names and organisations (pymorphy3 + the rules of Russian surnames),
Kazakh case endings by vowel harmony; the template filters that use them."""

from __future__ import annotations

import pytest

from doctemplates.filters import FILTERS, number_format
from doctemplates.morphology_kk import is_front, kk_case
from doctemplates.morphology_ru import decline_full_name, decline_phrase, he_she, sex_of_name
from doctemplates.rendering import make_environment

RU_NAMES = [
    # (full name, sex ("" = from the name), case, expected)
    ("Ахметова Меруерт Сериковна", "", "datv", "Ахметовой Меруерт Сериковне"),
    ("Ахметова Меруерт Сериковна", "", "gent", "Ахметовой Меруерт Сериковны"),
    ("Ахметова Меруерт Сериковна", "", "accs", "Ахметову Меруерт Сериковну"),
    ("Сарсенов Айбек Серикович", "", "datv", "Сарсенову Айбеку Сериковичу"),
    ("Сарсенов Айбек Серикович", "", "ablt", "Сарсеновым Айбеком Сериковичем"),
    ("Иванов Павел Петрович", "", "gent", "Иванова Павла Петровича"),  # Павел → Павла (dictionary)
    ("Жумабаев Лев Ильич", "", "datv", "Жумабаеву Льву Ильичу"),
    ("Иванова Мария Петровна", "", "ablt", "Ивановой Марией Петровной"),
    ("Пушкин Александр Сергеевич", "", "loct", "Пушкине Александре Сергеевиче"),
    ("Ильина Жанна Олеговна", "", "datv", "Ильиной Жанне Олеговне"),
    ("Достоевский Фёдор Михайлович", "", "gent", "Достоевского Фёдора Михайловича"),
    ("Вишневская Ольга Ивановна", "", "accs", "Вишневскую Ольгу Ивановну"),
    ("Толстой Лев Николаевич", "", "ablt", "Толстым Львом Николаевичем"),
    ("Әлібеков Данияр Серікұлы", "", "datv", "Әлібекову Данияру Серікұлы"),  # Kazakh patronymic stays
    ("Нурланова Айгерим Нурлан кызы", "", "datv", "Нурлановой Айгерим Нурлан кызы"),
    ("Ким Анна", "female", "datv", "Ким Анне"),  # a woman's surname in a consonant stays
    ("Ким Сергей", "male", "gent", "Кима Сергея"),
    ("Черных Ольга", "female", "ablt", "Черных Ольгой"),  # -ых never declines
    ("Шевченко Игорь", "male", "datv", "Шевченко Игорю"),  # -о never declines
    ("Кочерга Гульнур", "female", "gent", "Кочерги Гульнур"),  # -а after a consonant: first declension
    ("Сергеев Ильяс", "male", "nomn", "Сергеев Ильяс"),
    ("Петров-Водкин Кузьма Сергеевич", "", "datv", "Петрову-Водкину Кузьме Сергеевичу"),
]


@pytest.mark.parametrize(("name", "sex", "case", "expected"), RU_NAMES)
def test_russian_names_are_declined_as_the_sentence_needs(
    name: str, sex: str, case: str, expected: str
) -> None:
    assert decline_full_name(name, case, sex) == expected


def test_a_name_whose_sex_is_unknown_stays_in_the_nominative() -> None:
    assert decline_full_name("Ким Меруерт", "datv") == "Ким Меруерт"
    assert sex_of_name("Ким Меруерт") == ""
    assert sex_of_name("Ахметова Меруерт") == "female"
    assert sex_of_name("Ахметов Данияр Серікұлы") == "male"


RU_PHRASES = [
    ("Демо-университет", "loct", "Демо-университете"),
    ("Демо-университет", "gent", "Демо-университета"),
    (
        "Казахский национальный университет имени аль-Фараби",
        "loct",
        "Казахском национальном университете имени аль-Фараби",
    ),
    (
        "Казахский национальный университет имени аль-Фараби",
        "datv",
        "Казахскому национальному университету имени аль-Фараби",
    ),
    ("Высшая школа экономики", "accs", "Высшую школу экономики"),
    ("Высшая школа экономики", "loct", "Высшей школе экономики"),
    ("Университет «Туран»", "loct", "Университете «Туран»"),
    (
        "Казахская головная архитектурно-строительная академия",
        "gent",
        "Казахской головной архитектурно-строительной академии",
    ),
    ("Карагандинский технический университет", "ablt", "Карагандинским техническим университетом"),
]


@pytest.mark.parametrize(("phrase", "case", "expected"), RU_PHRASES)
def test_the_universitys_name_is_declined(phrase: str, case: str, expected: str) -> None:
    assert decline_phrase(phrase, case) == expected


def test_unknown_cases_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown Russian case"):
        decline_phrase("Демо-университет", "dative")
    with pytest.raises(ValueError, match="Unknown Kazakh case"):
        kk_case("Асан", "datv")


KK = [
    ("Ахметова Меруерт Серікқызы", "dative", "Ахметова Меруерт Серікқызына"),  # possessive: -на
    ("Әлібеков Данияр Серікұлы", "genitive", "Әлібеков Данияр Серікұлының"),
    ("Ахметова Меруерт", "dative", "Ахметова Меруертке"),  # front, voiceless: -ке
    ("Асан", "dative", "Асанға"),  # back, nasal: -ға
    ("Асан", "ablative", "Асаннан"),  # after н: -нан
    ("Асан", "accusative", "Асанды"),
    ("Дина", "genitive", "Динаның"),  # after a vowel: -ның
    ("Дина", "accusative", "Динаны"),
    ("Айгүл", "locative", "Айгүлде"),  # front, л: -де
    ("Айгүл", "genitive", "Айгүлдің"),
    ("Бекзат", "instrumental", "Бекзатпен"),  # voiceless: -пен
    ("сөз", "instrumental", "сөзбен"),  # ж, з: -бен
    ("Демо-университет", "locative", "Демо-университетте"),
    ("Демо-университет", "dative", "Демо-университетке"),
    (
        "Әл-Фараби атындағы Қазақ ұлттық университеті",
        "locative",
        "Әл-Фараби атындағы Қазақ ұлттық университетінде",
    ),
    (
        "Әл-Фараби атындағы Қазақ ұлттық университеті",
        "ablative",
        "Әл-Фараби атындағы Қазақ ұлттық университетінен",
    ),
    ("институт", "dative", "институтқа"),  # у of a loanword is back
    ("Глеб", "dative", "Глебке"),  # a final б sounds voiceless
    ("Әли", "dative", "Әлиге"),
    ("Асан", "nominative", "Асан"),
]


@pytest.mark.parametrize(("phrase", "case", "expected"), KK)
def test_kazakh_case_endings_follow_vowel_harmony_and_the_last_sound(
    phrase: str, case: str, expected: str
) -> None:
    assert kk_case(phrase, case) == expected


@pytest.mark.parametrize(
    ("word", "front"), [("күту", True), ("оқу", False), ("мектеп", True), ("Нұрлан", False)]
)
def test_vowel_harmony(word: str, front: bool) -> None:
    assert is_front(word) is front


def test_the_filters_work_in_a_template() -> None:
    env = make_environment()
    template = env.from_string(
        "выдана {{ name|ru_name_case('datv', sex) }} в том, что {{ sex|ru_he_she }} обучается "
        "в {{ uni|ru_case('loct') }}; {{ kk|kk_case('dative') }}; {{ gpa|number_format('ru') }}"
    )
    text = template.render(
        name="Ахметова Меруерт Сериковна", sex="female", uni="Демо-университет", kk="Меруерт", gpa="93.0000"
    )
    assert text == (
        "выдана Ахметовой Меруерт Сериковне в том, что она обучается в Демо-университете; Меруертке; 93"
    )
    assert he_she("male") == "он" and he_she("") == "он(а)"
    assert {"ru_case", "ru_name_case", "kk_case", "ru_he_she", "number_format"} <= set(FILTERS)


@pytest.mark.parametrize(
    ("value", "lang", "places", "expected"),
    [
        ("93.0000", "ru", None, "93"),
        ("3.6700", "ru", None, "3,67"),
        ("3.6700", "en", None, "3.67"),
        ("2.865", "kk", 2, "2,87"),
        ("100", "en", None, "100"),
        (None, "ru", None, "—"),
    ],
)
def test_numbers_are_written_as_a_person_writes_them(
    value: object, lang: str, places: int | None, expected: str
) -> None:
    assert number_format(value, lang, places) == expected
