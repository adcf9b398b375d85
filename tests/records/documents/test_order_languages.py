"""An order drafted in Kazakh (or English) reads in Kazakh (or English), from the letterhead to the
operative sentence, with the student's name declined as the Kazakh verb needs.

Rendered for real (the kind's default template in the order's language, docxtpl + LibreOffice), the
text read back from the PDF. "No Russian words": no word of the Russian layout's own vocabulary
(its operative sentences, labels, kind names, options, month names, the ministry's line) appears in
the Kazakh text unless Kazakh writes it the same way; the English text has no Cyrillic at all.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone, translation

from doctemplates.filters import MONTHS_KK, MONTHS_RU, date_en, date_kk, kk_case
from doctemplates.provenance import pdf_text
from records.kinds.base import get_kind
from records.kinds.letterhead import MINISTRY
from records.kinds.order_sentences import ORDER_SENTENCES_KK, ORDER_SENTENCES_RU
from records.kinds.student_order import FUNDING_TEXT, LEAVE_GROUNDS_TEXT, ORDER_SCHEMAS, SAMPLES, kind_code
from records.kinds.templates import LABELS
from records.models import Document, Person, Role, Version
from records.services.rendering import version_render
from tests.factories import make_person

GROUNDS = {
    "kk": "Білім алушының 2026 жылғы 1 желтоқсандағы өтініші",
    "en": "The student's application of 1 December 2026",
}
DEGREE = {"kk": "Ақпараттық жүйелер бакалавры", "en": "Bachelor of Information Systems"}
# The name in the case the Kazakh verb governs: «… беру» (to grant) takes the dative, the rest the
# accusative.
KK_CASE = {"academic_leave": "dative"}
# The operative verb each Kazakh sentence must carry, so a sentence cannot silently fall back.
KK_VERB = {
    "enrollment": "оқуға қабылдау",
    "transfer": "ауыстыру",
    "academic_leave": "академиялық демалыс беру",
    "return_from_leave": "оқуға жіберу",
    "expulsion": "оқудан шығару",
    "reinstatement": "оқуға қайта қабылдау",
    "next_year": "келесі курсқа ауыстыру",
    "final_attestation_admission": "қорытынды аттестаттауға жіберу",
    "graduation": "дәрежесін үздік дипломмен беру",
}


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def _russian_vocabulary() -> set[str]:
    """Words of the Russian layout that Kazakh does not write the same way."""
    untagged = " ".join(re.sub(r"\{[{%].*?[%}]\}", " ", s) for s in ORDER_SENTENCES_RU.values())
    russian = " ".join(
        [
            untagged,
            *(labels["ru"] for labels in LABELS.values()),
            *(names["ru"] for _schema, names in ORDER_SCHEMAS.values()),
            *(texts["ru"] for texts in (*LEAVE_GROUNDS_TEXT.values(), *FUNDING_TEXT.values())),
            *MONTHS_RU,
            MINISTRY["ru"],
        ]
    )
    kazakh = " ".join(
        [
            re.sub(r"\{[{%].*?[%}]\}", " ", " ".join(ORDER_SENTENCES_KK.values())),
            *(labels["kk"] for labels in LABELS.values()),
            *MONTHS_KK,
        ]
    )
    return _words(russian) - _words(kazakh)


def _render(order_type: str, language: str, users: dict[str, Any], org: Any) -> tuple[str, Person]:
    person = make_person(
        kind=Person.Kind.STUDENT,
        last_name_ru="Ахметова",
        first_name_ru="Меруерт",
        patronymic_ru="Сериковна",
        last_name_kk="Ахметова",
        first_name_kk="Меруерт",
        patronymic_kk="Серікқызы",
        last_name_en="Akhmetova",
        first_name_en="Meruert",
    )
    data: dict[str, Any] = {
        **SAMPLES[order_type],
        "student_iin": person.iin,
        "effective_date": "2026-12-07",
        "grounds": GROUNDS[language],
        "language": language,
    }
    fields = ORDER_SCHEMAS[order_type][0].model_fields
    if "programme_code" in fields:
        data["programme_code"] = org.programme.code
    if "group_code" in fields:
        data["group_code"] = org.group.code
    if "year_of_study" in fields:
        data["year_of_study"] = 3
    if "funding" in fields:
        data["funding"] = "paid"
    if order_type == "graduation":
        data.update(degree_awarded=DEGREE[language], with_honours=True)
    kind = get_kind(kind_code(order_type))
    document = Document(
        kind=kind.code,
        title="—",
        org_unit=org.faculty,
        org_path=org.faculty.path,
        registry_number="Б-ОС-2026-00007",
    )
    version = Version(
        document=document,
        number=1,
        data=kind.validate(data),
        author=users[Role.DEAN],
        frozen_at=timezone.now(),
    )
    with translation.override("ru"):  # the reader's language does not choose the document's
        _docx, pdf, provenance = version_render(document=document, version=version, store=False)
    assert provenance["template_version"].startswith("default:")
    return " ".join(pdf_text(pdf).split()), person


@pytest.mark.parametrize("order_type", sorted(ORDER_SCHEMAS))
def test_a_kazakh_order_reads_in_kazakh_with_the_name_declined(
    order_type: str, users: dict[str, Any], org: Any
) -> None:
    text, person = _render(order_type, "kk", users, org)
    name = person.full_name("kk")
    assert name == "Ахметова Меруерт Серікқызы"
    declined = kk_case(name, KK_CASE.get(order_type, "accusative"))
    assert declined in {"Ахметова Меруерт Серікқызын", "Ахметова Меруерт Серікқызына"}
    expected = [
        MINISTRY["kk"],
        "uni kk",  # the university's Kazakh name in the letterhead
        ORDER_SCHEMAS[order_type][1]["kk"],
        "БҰЙЫРАМЫН:",
        declined,
        KK_VERB[order_type],
        kk_case(date_kk("2026-12-07"), "ablative") + " бастап",
        GROUNDS["kk"],
    ]
    if order_type == "academic_leave":
        expected += [LEAVE_GROUNDS_TEXT["illness"]["kk"], kk_case(date_kk("2027-08-31"), "dative") + " дейін"]
    if order_type in ("enrollment", "transfer"):
        expected += ["Ақпараттық жүйелер", FUNDING_TEXT["paid"]["kk"]]
    if order_type == "graduation":
        expected.append("«" + DEGREE["kk"] + "»")
    missing = [value for value in expected if value not in text]
    assert not missing, f"{order_type}: missing {missing} in {text!r}"
    russian = sorted(_words(text) & _russian_vocabulary())
    assert not russian, f"{order_type}: Russian words {russian} in {text!r}"


@pytest.mark.parametrize("order_type", sorted(ORDER_SCHEMAS))
def test_an_english_order_reads_in_english(order_type: str, users: dict[str, Any], org: Any) -> None:
    text, _person = _render(order_type, "en", users, org)
    expected = [
        MINISTRY["en"],
        "uni en",
        ORDER_SCHEMAS[order_type][1]["en"],
        "I ORDER: to ",
        "Akhmetova Meruert",
        GROUNDS["en"],
        date_en("2026-12-07"),
    ]
    if order_type == "academic_leave":
        expected += ["academic leave for health reasons", date_en("2027-08-31")]
    if order_type == "graduation":
        expected += [DEGREE["en"], "with honours"]
    missing = [value for value in expected if value not in text]
    assert not missing, f"{order_type}: missing {missing} in {text!r}"
    cyrillic = re.findall(r"\S*[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]\S*", text)
    # The registry number's series is Cyrillic on every paper (Б-ОС); nothing else may be.
    assert [w for w in cyrillic if not w.startswith("Б-ОС-")] == [], f"{order_type}: {cyrillic} in {text!r}"
