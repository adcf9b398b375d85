"""Titles are made from the kind, the subject and the document's language (never a slug or the
reader's language); a grade statement writes names, terms, attempts and numbers as a Russian
document does, whoever typed it and in whatever interface language."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from doctemplates.provenance import pdf_text
from records.kinds.base import get_kind
from records.kinds.student_order import ORDER_SCHEMAS, kind_code
from records.models import Document, Person, Role, Version
from records.services.rendering import version_render
from tests.factories import make_person
from tests.records.academic.conftest import bulk_order, enrollment, line, order, statement

NAMES = {
    "last_name_ru": "Ахметова",
    "first_name_ru": "Меруерт",
    "patronymic_ru": "Сериковна",
    "last_name_kk": "Ахметова",
    "first_name_kk": "Меруерт",
    "patronymic_kk": "Серікқызы",
    "last_name_en": "Akhmetova",
    "first_name_en": "Meruert",
}


def test_order_titles_name_the_kind_the_student_and_the_date_in_the_documents_language(
    users: dict[str, Any], org: Any
) -> None:
    person = make_person(kind=Person.Kind.STUDENT, group=org.group, **NAMES)
    data = {"student_iin": person.iin, "effective_date": "2026-12-07", "order_type": "next_year"}
    kind = get_kind(kind_code("next_year"))
    with translation.override("en"):  # the author's interface language does not matter
        title = kind.make_title(data)
    assert title == "Приказ о переводе на следующий курс: Ахметова Меруерт Сериковна, с 7 декабря 2026 г."
    assert kind.make_title(data, "kk") == (
        "Келесі курсқа ауыстыру туралы бұйрық: Ахметова Меруерт Серікқызы, 2026 жылғы 7 желтоқсаннан бастап"
    )
    assert "next_year" not in title
    titles = {get_kind(kind_code(t)).make_title({**data, "order_type": t}) for t in ORDER_SCHEMAS}
    assert len(titles) == len(ORDER_SCHEMAS)  # every order kind has its own title


def test_an_order_drafted_in_a_form_is_named_by_its_kind(users: dict[str, Any], org: Any) -> None:
    """The back-office form leaves out the order type (the kind fixes it): the title still names it
    (it read ": Ахметова Меруерт Сериковна, с 7 декабря 2026 г.")."""
    person = make_person(kind=Person.Kind.STUDENT, group=org.group, **NAMES)
    data = {"student_iin": person.iin, "effective_date": "2026-12-07", "leave_grounds": "illness"}
    kind = get_kind(kind_code("academic_leave"))
    assert kind.make_title(data) == (
        "Приказ об академическом отпуске: Ахметова Меруерт Сериковна, с 7 декабря 2026 г."
    )
    assert kind.make_title(data, "en").startswith("Academic leave order: Akhmetova Meruert")


def test_a_document_created_without_a_title_gets_the_kinds(users: dict[str, Any], org: Any) -> None:
    person = make_person(kind=Person.Kind.STUDENT, group=org.group, **NAMES)
    bulk_order(users, org, "enrollment", enrollment(person, org, "2024-09-01"))
    from records.projections.bulk import document_register_directly

    leave = order("academic_leave", person, "2024-10-01", leave_grounds="illness", end_date="2025-09-01")
    made = document_register_directly(
        by=users[Role.REGISTRAR], kind=kind_code("academic_leave"), org_unit=org.faculty, title="", data=leave
    )
    assert made.title == "Приказ об академическом отпуске: Ахметова Меруерт Сериковна, с 1 октября 2024 г."


def test_certificate_titles_differ_by_purpose_and_language() -> None:
    kind = get_kind("student_certificate")
    base = {"full_name": "Ахметова Меруерт Сериковна"}
    titles = {
        kind.make_title({**base, "purpose": purpose, "language": language})
        for purpose in ("military", "social", "employer", "other")
        for language in ("kk", "ru", "en")
    }
    assert len(titles) == 12
    assert kind.make_title({**base, "purpose": "military", "language": "ru"}) == (
        "Справка с места учёбы для предъявления в военный комиссариат: Ахметова Меруерт Сериковна"
    )


def test_a_statement_is_written_in_russian_whoever_types_it(users: dict[str, Any], org: Any) -> None:
    person = make_person(kind=Person.Kind.STUDENT, group=org.group, **NAMES)
    bulk_order(users, org, "enrollment", enrollment(person, org, "2024-09-01"))
    kind = get_kind("grade_statement")
    with translation.override("en"):
        data = kind.validate_db(kind.validate(statement(org, [line(person, 90, 96, 95)])), org.department)  # type: ignore[misc]
        title = kind.make_title(data)
    assert data["lines"][0]["student_name"] == "Ахметова Меруерт Сериковна"
    assert title == (
        "Экзаменационная ведомость: MAT101 Математика, группа IS-24-1, 2024/2025 учебный год, осенний семестр"
    )
    document = Document(
        kind="grade_statement", title=title, org_unit=org.department, org_path=org.department.path
    )
    version = Version(
        document=document, number=1, data=data, author=users[Role.TEACHER], frozen_at=timezone.now()
    )
    with translation.override("en"):
        _docx, pdf, _provenance = version_render(document=document, version=version, store=False)
    text = " ".join(pdf_text(pdf).split())
    assert "Ахметова Меруерт Сериковна" in text and "Akhmetova" not in text
    assert "Попытка: основная" in text and "regular" not in text
    assert "2024/2025 учебный год, осенний семестр" in text
    # Ratings, admission, exam and final percent without trailing zeros, points to two places with a
    # decimal comma, the traditional mark.
    assert "Ахметова Меруерт Сериковна 90 96 93 95 94 A- 3,67 5" in text
    assert ".00" not in text
    assert "(номер ещё не присвоен)" in text  # the placeholder in the document's language too
