"""Rector's orders on students: one kind per order type, one schema each, one projection.

Every order names one student (by IIN; the document's subject becomes that person), an effective
date and grounds. Registration changes the student's state from the effective date; revocation
undoes exactly that (records.projections.students). Contradictions are refused at drafting.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field, model_validator

from doctemplates.filters import format_date, kk_case
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.templates import student_order_layout
from records.models import Person, Programme
from records.models.academic import Funding
from records.models.org import OrgUnit, Role
from records.projections.students import check_order, project_order, unproject_order
from records.subjects import SubjectRef, code_ref, student_refs

FundingCode = Literal["state_grant", "paid"]
assert set(Funding.values) == {"state_grant", "paid"}


class _Order(BaseModel):
    """What every order on a student carries."""

    student_iin: str = Field(pattern=r"^\d{12}$", description="IIN of the student")
    effective_date: RecordDate
    grounds: str = Field(default="", max_length=2000, description="Grounds of the order")
    # The language the order is written and rendered in (records.services.rendering.document_language).
    language: Literal["kk", "ru", "en"] = "ru"


class EnrollmentOrder(_Order):
    """Enrollment: programme, group, year of study and funding."""

    order_type: Literal["enrollment"] = "enrollment"
    programme_code: str = Field(min_length=1, max_length=20)
    group_code: str = Field(min_length=1, max_length=40)
    year_of_study: int = Field(default=1, ge=1, le=7)
    funding: FundingCode


class TransferOrder(_Order):
    """Transfer to another programme, group, year of study or funding (at least one)."""

    order_type: Literal["transfer"] = "transfer"
    programme_code: str = Field(default="", max_length=20)
    group_code: str = Field(default="", max_length=40)
    year_of_study: int | None = Field(default=None, ge=1, le=7)
    funding: FundingCode | None = None

    @model_validator(mode="after")
    def _something_changes(self) -> TransferOrder:
        if not (self.programme_code or self.group_code or self.year_of_study or self.funding):
            raise ValueError("a transfer must change the programme, group, year of study or funding")
        return self


class AcademicLeaveOrder(_Order):
    """Academic leave (domain.md §1.7): grounds and dates."""

    order_type: Literal["academic_leave"] = "academic_leave"
    leave_grounds: Literal["illness", "tuberculosis", "military_service", "childbirth", "other"]
    end_date: RecordDate

    @model_validator(mode="after")
    def _dates(self) -> AcademicLeaveOrder:
        if self.end_date <= self.effective_date:
            raise ValueError("the leave must end after it starts")
        return self


class ReturnFromLeaveOrder(_Order):
    """Return from academic leave, possibly to another group or year."""

    order_type: Literal["return_from_leave"] = "return_from_leave"
    group_code: str = Field(default="", max_length=40)
    year_of_study: int | None = Field(default=None, ge=1, le=7)


class ExpulsionOrder(_Order):
    """Expulsion; the grounds are required."""

    order_type: Literal["expulsion"] = "expulsion"
    grounds: str = Field(min_length=3, max_length=2000, description="Grounds of the order")


class ReinstatementOrder(_Order):
    """Reinstatement of an expelled student."""

    order_type: Literal["reinstatement"] = "reinstatement"
    group_code: str = Field(default="", max_length=40)
    year_of_study: int | None = Field(default=None, ge=1, le=7)


class NextYearOrder(_Order):
    """Transfer to the next year of study (the next one unless given)."""

    order_type: Literal["next_year"] = "next_year"
    year_of_study: int | None = Field(default=None, ge=2, le=7)
    group_code: str = Field(default="", max_length=40)


class FinalAttestationAdmissionOrder(_Order):
    """Admission to the final attestation."""

    order_type: Literal["final_attestation_admission"] = "final_attestation_admission"


class GraduationOrder(_Order):
    """Graduation with the degree awarded."""

    order_type: Literal["graduation"] = "graduation"
    degree_awarded: str = Field(min_length=3, max_length=300)
    with_honours: bool = False


ORDER_SCHEMAS: dict[str, tuple[type[_Order], dict[str, str]]] = {
    "enrollment": (
        EnrollmentOrder,
        {"kk": "Оқуға қабылдау туралы бұйрық", "ru": "Приказ о зачислении", "en": "Enrollment order"},
    ),
    "transfer": (
        TransferOrder,
        {"kk": "Ауыстыру туралы бұйрық", "ru": "Приказ о переводе", "en": "Transfer order"},
    ),
    "academic_leave": (
        AcademicLeaveOrder,
        {
            "kk": "Академиялық демалыс туралы бұйрық",
            "ru": "Приказ об академическом отпуске",
            "en": "Academic leave order",
        },
    ),
    "return_from_leave": (
        ReturnFromLeaveOrder,
        {
            "kk": "Академиялық демалыстан шығу туралы бұйрық",
            "ru": "Приказ о выходе из академического отпуска",
            "en": "Return from leave order",
        },
    ),
    "expulsion": (
        ExpulsionOrder,
        {"kk": "Оқудан шығару туралы бұйрық", "ru": "Приказ об отчислении", "en": "Expulsion order"},
    ),
    "reinstatement": (
        ReinstatementOrder,
        {"kk": "Қайта қабылдау туралы бұйрық", "ru": "Приказ о восстановлении", "en": "Reinstatement order"},
    ),
    "next_year": (
        NextYearOrder,
        {
            "kk": "Келесі курсқа ауыстыру туралы бұйрық",
            "ru": "Приказ о переводе на следующий курс",
            "en": "Transfer to the next year order",
        },
    ),
    "final_attestation_admission": (
        FinalAttestationAdmissionOrder,
        {
            "kk": "Қорытынды аттестаттауға жіберу туралы бұйрық",
            "ru": "Приказ о допуске к итоговой аттестации",
            "en": "Admission to final attestation order",
        },
    ),
    "graduation": (
        GraduationOrder,
        {
            "kk": "Бітіру және дәреже беру туралы бұйрық",
            "ru": "Приказ о выпуске и присуждении степени",
            "en": "Graduation order",
        },
    ),
}
SERIES = "Б-ОС"
_SAMPLE_BASE = {
    "student_iin": "040515500128",
    "effective_date": "2026-09-01",
    "grounds": "Заявление студента",
}
SAMPLES: dict[str, dict[str, Any]] = {
    "enrollment": {
        "programme_code": "6B06101",
        "group_code": "6B06101-26-KK",
        "year_of_study": 1,
        "funding": "state_grant",
    },
    "transfer": {"group_code": "6B06101-26-RU"},
    "academic_leave": {"leave_grounds": "illness", "end_date": "2027-08-31"},
    "return_from_leave": {},
    "expulsion": {"grounds": "Академическая неуспеваемость"},
    "reinstatement": {"year_of_study": 2},
    "next_year": {},
    "final_attestation_admission": {},
    "graduation": {"degree_awarded": "Бакалавр информационных систем"},
}


# Options in words, as an order writes them (kk, ru, en).
LEAVE_GROUNDS_TEXT: dict[str, dict[str, str]] = {
    "illness": {"kk": "денсаулығына байланысты", "ru": "по состоянию здоровья", "en": "for health reasons"},
    "tuberculosis": {
        "kk": "туберкулезбен ауыруына байланысты",
        "ru": "в связи с заболеванием туберкулёзом",
        "en": "because of tuberculosis",
    },
    "military_service": {
        "kk": "әскери қызметке шақырылуына байланысты",
        "ru": "в связи с призывом на воинскую службу",
        "en": "for military service",
    },
    "childbirth": {
        "kk": "жүктілік пен босануға және бала күтіміне байланысты",
        "ru": "по беременности и родам и уходу за ребёнком",
        "en": "for maternity and childcare",
    },
    "other": {"kk": "өзге негіздер бойынша", "ru": "по иным основаниям", "en": "on other grounds"},
}
FUNDING_TEXT: dict[str, dict[str, str]] = {
    "state_grant": {
        "kk": "мемлекеттік білім беру гранты",
        "ru": "государственный образовательный грант",
        "en": "state grant",
    },
    "paid": {"kk": "ақылы негізде", "ru": "на платной основе", "en": "fee-paying"},
}
YES_NO = {True: {"kk": "иә", "ru": "да", "en": "yes"}, False: {"kk": "жоқ", "ru": "нет", "en": "no"}}
TEXT_KEYS = (
    "student",
    "student_sex",
    "iin",
    "programme",
    "group",
    "year_of_study",
    "funding",
    "leave_grounds",
    "degree_awarded",
    "with_honours",
    "grounds",
)


def order_text(data: dict[str, Any], language: str) -> dict[str, str]:
    """The order's values in words: the student's name in the document's script, the programme's name,
    options as a person writes them; "—" for what the order does not set."""
    person = Person.objects.filter(iin=str(data.get("student_iin", ""))).first()
    programme = Programme.objects.filter(code=str(data.get("programme_code") or "")).first()
    programme_text = ""
    if programme is not None:
        programme_text = (
            f"{programme.code} «{getattr(programme, f'name_{language}', '') or programme.name_ru}»"
        )
    year = data.get("year_of_study")
    year_words = {"kk": "{n}-курс", "ru": "{n} курс", "en": "year {n}"}[language]
    leave = data.get("leave_grounds")
    funding = data.get("funding")
    dash = "—"
    return {
        "student": person.full_name(language) if person is not None else dash,
        "student_sex": person.sex if person is not None else "",
        "iin": str(data.get("student_iin", "")) or dash,
        "programme": programme_text or str(data.get("programme_code") or dash),
        "group": str(data.get("group_code") or dash),
        "year_of_study": year_words.format(n=year) if year else dash,
        "funding": FUNDING_TEXT[funding][language] if funding in FUNDING_TEXT else dash,
        "leave_grounds": LEAVE_GROUNDS_TEXT[leave][language] if leave in LEAVE_GROUNDS_TEXT else dash,
        "degree_awarded": str(data.get("degree_awarded") or dash),
        "with_honours": YES_NO[bool(data.get("with_honours"))][language],
        "grounds": str(data.get("grounds") or dash),
    }


def order_title(data: dict[str, Any], language: str, order_type: str = "") -> str:
    """«Приказ об академическом отпуске: Ахметова Меруерт Сериковна, с 7 декабря 2026 г.»; the kind's
    order type names it (a form's data does not carry it: the kind fixes it)."""
    order_type = order_type or str(data.get("order_type", ""))
    names = ORDER_SCHEMAS[order_type][1] if order_type in ORDER_SCHEMAS else {}
    name = names.get(language) or names.get("ru", "")
    person = Person.objects.filter(iin=str(data.get("student_iin", ""))).first()
    who = person.full_name(language) if person is not None else str(data.get("student_iin", ""))

    try:
        day = format_date(data.get("effective_date"), language)
    except ValueError:
        day = ""
    since = {"kk": "{date} бастап", "ru": "с {date}", "en": "from {date}"}[language]
    effective = since.format(date=kk_case(day, "ablative") if language == "kk" else day) if day else ""
    changes = _transfer_changes(data, language) if order_type == "transfer" else []
    return ", ".join(part for part in (f"{name}: {who}", effective, *changes) if part)


TRANSFER_CHANGE_WORDS = {
    "programme_code": {"kk": "ББ {value}", "ru": "ОП {value}", "en": "programme {value}"},
    "group_code": {"kk": "{value} тобы", "ru": "группа {value}", "en": "group {value}"},
    "year_of_study": {"kk": "{value}-курс", "ru": "{value} курс", "en": "year {value}"},
    "funding": {"kk": "қаржыландыру: {value}", "ru": "финансирование: {value}", "en": "funding: {value}"},
}


def _transfer_changes(data: dict[str, Any], language: str) -> list[str]:
    """What a transfer changes, in words (a change of funding is not a change of group)."""
    parts = []
    for key, words in TRANSFER_CHANGE_WORDS.items():
        value = data.get(key)
        if not value:
            continue
        if key == "funding":
            value = FUNDING_TEXT.get(str(value), {}).get(language, str(value))
        parts.append(words[language].format(value=value))
    return parts


def kind_code(order_type: str) -> str:
    """The document kind of an order type ("student_order_enrollment", ...)."""
    return f"student_order_{order_type}"


def _validate_db(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    check_order(str(data["order_type"]), data)
    return data


def _subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The student, and the group and programme the order moves them to (when it names them)."""
    return [
        *student_refs([data.get("student_iin")]),
        *code_ref("group", data.get("group_code")),
        *code_ref("programme", data.get("programme_code")),
    ]


def _search_text(document: Any, version: Any) -> str:
    """The student's name in every spelling, the grounds, the group and programme."""
    person = Person.objects.filter(iin=str(version.data.get("student_iin", ""))).first()
    names = person.all_spellings() if person is not None else []
    fields = [
        str(version.data.get(k, "")) for k in ("grounds", "group_code", "programme_code", "degree_awarded")
    ]
    return " ".join([*names, *fields])


STUDENT_ORDER_KINDS: dict[str, DocumentKind] = {}
for _order_type, (_schema, _names) in ORDER_SCHEMAS.items():
    STUDENT_ORDER_KINDS[_order_type] = register_kind(
        DocumentKind(
            layout=student_order_layout,
            # Drafted in kk, ru or en (the data's ``language``): a default layout in each.
            template_languages=("kk", "ru", "en"),
            code=kind_code(_order_type),
            names=_names,
            schema=_schema,
            series=SERIES,
            number_format="{series}-{year}-{seq:05d}",
            creator_roles=frozenset({Role.REGISTRAR, Role.DEAN, Role.VICE_RECTOR}),
            approver_roles=frozenset({Role.DEAN, Role.REGISTRAR, Role.VICE_RECTOR}),
            revoker_roles=frozenset({Role.RECTOR, Role.REGISTRAR}),
            signing_route=(RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),),
            retention_class="permanent",
            sample_data={**_SAMPLE_BASE, **SAMPLES[_order_type]},
            project=project_order,
            unproject=unproject_order,
            search_text=_search_text,
            validate_db=_validate_db,
            subjects=_subjects,
            text=order_text,
            text_keys=TEXT_KEYS,
            title=partial(order_title, order_type=_order_type),
        )
    )
