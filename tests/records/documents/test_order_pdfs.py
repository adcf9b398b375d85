"""Every order kind's PDF shows every field a person entered, in words, in the document's language.

Rendered for real (docxtpl + LibreOffice), the text read back from the PDF: the student's name (and
declined in the operative sentence), the IIN, the dates in words, the programme's name, the options
as words (never their codes) and the grounds.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from doctemplates.filters import date_ru
from doctemplates.provenance import pdf_text
from records.kinds.base import get_kind
from records.kinds.student_order import ORDER_SCHEMAS, SAMPLES, kind_code, order_text
from records.models import Document, Person, Role, Version
from records.services.rendering import version_render
from tests.factories import make_person

# How each order's operative sentence names the student (the case its verb governs).
WHOM = {
    "academic_leave": "предоставить Ахметовой Меруерт Сериковне",
    "enrollment": "зачислить Ахметову Меруерт Сериковну",
    "expulsion": "отчислить Ахметову Меруерт Сериковну",
}
CODES = {"illness", "state_grant", "paid", "regular", "academic_leave", "next_year", "True", "False"}


def _data(order_type: str, person: Person, org: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "student_iin": person.iin,
        "effective_date": "2026-12-07",
        "grounds": "Заявление студентки от 1 декабря 2026 г. и медицинское заключение",
        **SAMPLES[order_type],
    }
    if "programme_code" in ORDER_SCHEMAS[order_type][0].model_fields and order_type in (
        "enrollment",
        "transfer",
    ):
        data["programme_code"] = org.programme.code
    if "group_code" in data or order_type in ("enrollment", "transfer", "return_from_leave", "next_year"):
        data["group_code"] = org.group.code
    if order_type in ("transfer", "return_from_leave", "reinstatement", "next_year"):
        data["year_of_study"] = 3
    if order_type == "transfer":
        data["funding"] = "paid"
    if order_type == "graduation":
        data["with_honours"] = True
    return data


@pytest.mark.parametrize("order_type", sorted(ORDER_SCHEMAS))
def test_every_field_of_the_order_appears_in_words(order_type: str, users: dict[str, Any], org: Any) -> None:
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
    kind = get_kind(kind_code(order_type))
    data = kind.validate(_data(order_type, person, org))
    document = Document(
        kind=kind.code,
        title="—",
        org_unit=org.faculty,
        org_path=org.faculty.path,
        registry_number="Б-ОС-2026-00007",
    )
    version = Version(
        document=document, number=1, data=data, author=users[Role.DEAN], frozen_at=timezone.now()
    )
    with translation.override("en"):  # the reader's language does not change the document's
        _docx, pdf, _provenance = version_render(document=document, version=version, store=False)
    text = " ".join(pdf_text(pdf).split())
    words = order_text(data, "ru")
    expected = ["Ахметова Меруерт Сериковна", person.iin, date_ru("2026-12-07"), data["grounds"]]
    for field in kind.schema.model_fields:
        if field == "end_date":
            expected.append(date_ru(data["end_date"]))
        elif field == "programme_code" and data.get(field):
            expected.append("Информационные системы")
        elif field in words and field not in ("student_iin", "grounds"):
            expected.append(words[field])
        elif field == "group_code" and data.get(field):
            expected.append(org.group.code)
        elif field == "year_of_study" and data.get(field):
            expected.append(f"{data[field]} курс")
        elif field == "leave_grounds":
            expected.append(words["leave_grounds"])
    if order_type == "academic_leave":
        expected += ["по состоянию здоровья", date_ru("2027-08-31")]
    if order_type == "graduation":
        expected += ["Бакалавр информационных систем", "с отличием"]
    if order_type == "transfer":
        expected += ["на платной основе"]
    if order_type in WHOM:
        expected.append(WHOM[order_type])
    missing = [value for value in expected if value not in text]
    assert not missing, f"{order_type}: missing {missing} in {text!r}"
    shown_codes = [code for code in CODES if f" {code} " in f" {text} "]
    assert not shown_codes, f"{order_type}: raw codes {shown_codes} in {text!r}"
