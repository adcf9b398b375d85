"""Rector's order on the state scholarship for one semester (Govt Decree No. 116 of 07.02.2008).

The data is computed by records.services.scholarship from the registry (students' status, funding
and the grade lines of the preceding session, the academic policy in force) and frozen in the order:
the paid term, the monthly amounts, the policy version used, the awarded students with rate and
amount, and every excluded student with the reasons. Prepared by the registrar, signed by the
rector. One order in force per term and scope (the whole university, a faculty or a department; a
faculty overlaps its departments): a second one
is refused unless the earlier order was revoked.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Literal

import docx as python_docx
from django.utils.translation import gettext_lazy as _
from docx.shared import Mm, Pt
from pydantic import BaseModel, Field, model_validator

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import _deterministic, build_template
from records.errors import RecordsError
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.templates import layout_common
from records.models import Document, OrgUnit
from records.models.org import Role
from records.subjects import SubjectRef, code_ref, student_refs

if TYPE_CHECKING:
    from collections.abc import Sequence

KIND = "scholarship_order"
MAX_AMOUNT = 1_000_000  # KZT a month; a typing error above this is refused


class ReasonEntry(BaseModel):
    """One reason of a decision: a stable code and its text (in the language of the order)."""

    code: str = Field(min_length=1, max_length=60)
    text: str = Field(default="", max_length=500)


class AwardedStudent(BaseModel):
    """A student awarded the scholarship: rate and monthly amount, with the reason."""

    iin: str = Field(pattern=r"^\d{12}$")
    name: str = Field(min_length=1, max_length=300)
    group_code: str = Field(default="", max_length=40)
    rate: Literal["base", "increased"]
    rate_label: str = Field(default="", max_length=60)
    amount: int = Field(ge=0, le=MAX_AMOUNT)
    reasons: list[ReasonEntry] = Field(default_factory=list)


class ExcludedStudent(BaseModel):
    """A student of the scope not awarded the scholarship, with every reason."""

    iin: str = Field(pattern=r"^\d{12}$")
    name: str = Field(min_length=1, max_length=300)
    group_code: str = Field(default="", max_length=40)
    funding: str = Field(default="", max_length=20)
    reasons: list[ReasonEntry] = Field(min_length=1)


class ScholarshipOrderData(BaseModel):
    """The data of a scholarship order."""

    academic_year: int = Field(
        ge=1990, le=2999, description="Start of the paid academic year (2026 for 2026/27)"
    )
    semester: Literal[1, 2] = Field(description="The paid semester of that year")
    term_label: str = Field(default="", max_length=60)
    session_label: str = Field(default="", max_length=60, description="The session that decided it")
    faculty_code: str = Field(default="", max_length=50, description="Empty for the whole university")
    faculty_name: str = Field(default="", max_length=300)
    base_amount: int = Field(ge=1, le=MAX_AMOUNT)
    increased_amount: int = Field(ge=1, le=MAX_AMOUNT)
    policy_version: str = Field(min_length=1, max_length=40)
    awarded: list[AwardedStudent] = Field(default_factory=list, max_length=20_000)
    excluded: list[ExcludedStudent] = Field(default_factory=list, max_length=20_000)
    total_amount: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> ScholarshipOrderData:
        """Amounts agree with the rates and the total is their sum."""
        if self.increased_amount < self.base_amount:
            raise ValueError("the increased amount must not be below the base amount")
        for student in self.awarded:
            expected = self.increased_amount if student.rate == "increased" else self.base_amount
            if student.amount != expected:
                raise ValueError(f"student {student.iin}: the amount does not match the rate")
        if self.total_amount != sum(s.amount for s in self.awarded):
            raise ValueError("the total is not the sum of the amounts")
        return self


def term_label(academic_year: int, semester: int) -> str:
    """ "2026/27, семестр 1": the paid term as the order prints it."""
    return f"{academic_year}/{str(academic_year + 1)[-2:]}, семестр {semester}"


def same_term_orders(academic_year: int, semester: int, faculty_code: str) -> list[Document]:
    """Scholarship orders for this term whose scope overlaps (the same unit, a unit within the other,
    or the whole university on either side) and that are not revoked (any other state counts: a student must not be paid twice)."""
    documents = (
        Document.objects.filter(kind=KIND)
        .exclude(state="revoked")
        .select_related("current_version")
        .order_by("id")
    )
    mine = _scope_path(faculty_code)
    overlapping = []
    for document in documents:
        data = document.current_version.data if document.current_version is not None else {}
        if (data.get("academic_year"), data.get("semester")) != (academic_year, semester):
            continue
        other = _scope_path(data.get("faculty_code", ""))
        if other.startswith(mine) or mine.startswith(other):
            overlapping.append(document)
    return overlapping


def _scope_path(code: str) -> str:
    """The org path of an order's scope ("" for the whole university): a faculty and its departments overlap."""
    if not code:
        return ""

    unit = OrgUnit.objects.filter(code=code).only("path").first()
    return unit.path if unit is not None else f"?{code}/"


def check_no_duplicate(academic_year: int, semester: int, faculty_code: str) -> None:
    """Refuse a second order for the same term and scope unless the earlier one was revoked."""
    earlier = same_term_orders(academic_year, semester, faculty_code)
    if earlier:
        first = earlier[0]
        raise RecordsError(
            "scholarship_order_exists",
            _(
                "A scholarship order for %(term)s covering this scope already exists (%(number)s, %(state)s); "
                "revoke it before preparing another one."
            ),
            term=term_label(academic_year, semester),
            number=first.registry_number or first.title,
            state=first.state,
        )


LABELS: dict[str, dict[str, str]] = {
    "number": {"kk": "Нөмірі", "ru": "Номер", "en": "Number"},
    "date": {"kk": "Күні", "ru": "Дата", "en": "Date"},
    "term": {"kk": "Кезең", "ru": "Период выплаты", "en": "Paid term"},
    "session": {"kk": "Сессия", "ru": "По итогам сессии", "en": "Session"},
    "faculty": {"kk": "Құрылымдық бөлімше", "ru": "Подразделение", "en": "Unit"},
    "base": {"kk": "Базалық мөлшер", "ru": "Базовый размер", "en": "Base amount"},
    "increased": {"kk": "Жоғарылатылған мөлшер", "ru": "Повышенный размер", "en": "Increased amount"},
    "policy": {"kk": "Академиялық саясат", "ru": "Академическая политика", "en": "Academic policy"},
    "count": {"kk": "Тағайындалды", "ru": "Назначено", "en": "Awarded"},
    "total": {"kk": "Барлығы, айына", "ru": "Итого в месяц", "en": "Total a month"},
    "no": {"kk": "№", "ru": "№", "en": "No."},
    "student": {"kk": "Білім алушы", "ru": "Обучающийся", "en": "Student"},
    "iin": {"kk": "ЖСН", "ru": "ИИН", "en": "IIN"},
    "group": {"kk": "Топ", "ru": "Группа", "en": "Group"},
    "rate": {"kk": "Түрі", "ru": "Вид", "en": "Rate"},
    "amount": {"kk": "Сома", "ru": "Сумма", "en": "Amount"},
}
AWARDED_COLUMNS = (
    ("no", "{{ loop.index }}"),
    ("student", "{{ item.name }}"),
    ("iin", "{{ item.iin }}"),
    ("group", "{{ item.group_code }}"),
    ("rate", "{{ item.rate_label }}"),
    ("amount", "{{ item.amount }}"),
)
TABLE_MARKER = "TABLE_MARKER_0"


def _awarded_table(docx: bytes, language: str, columns: Sequence[tuple[str, str]]) -> bytes:
    """Replace the marker paragraph with a table of the awarded students (one docxtpl row per student)."""
    document = python_docx.Document(io.BytesIO(docx))
    marker = "{{ " + TABLE_MARKER + " }}"
    paragraph = next(p for p in document.paragraphs if p.text == marker)
    table = document.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Mm(8), Mm(55), Mm(30), Mm(27), Mm(25), Mm(20)]
    rows = [
        [LABELS[label][language] for label, _expression in columns],
        ["{%tr for item in data.awarded %}"] + [""] * (len(columns) - 1),
        [expression for _label, expression in columns],
        ["{%tr endfor %}"] + [""] * (len(columns) - 1),
    ]
    for row_number, texts in enumerate(rows):
        for cell, text, width in zip(table.add_row().cells, texts, widths, strict=True):
            cell.width = width
            if text:
                run = cell.paragraphs[0].add_run(text)
                run.font.size = Pt(9)
                run.bold = row_number == 0
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    paragraph._p.addnext(table._tbl)
    paragraph.text = ""
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())


def scholarship_order_template(kind: DocumentKind, language: str) -> bytes:
    """The default layout: the order's facts, the table of awarded students and the total."""
    common = layout_common(kind, language)

    docx = build_template(
        title=kind.names,
        fields=[
            TemplateField(LABELS["number"], "number"),
            TemplateField(LABELS["date"], "date|date_{lang}"),
            TemplateField(LABELS["term"], "data.term_label"),
            TemplateField(LABELS["session"], "data.session_label"),
            TemplateField(LABELS["faculty"], "data.faculty_name|default('—', true)"),
            TemplateField(LABELS["base"], "data.base_amount ~ ' ₸'"),
            TemplateField(LABELS["increased"], "data.increased_amount ~ ' ₸'"),
            TemplateField(LABELS["policy"], "data.policy_version"),
            TemplateField(LABELS["count"], "data.awarded|length"),
            TemplateField(LABELS["total"], "data.total_amount ~ ' ₸'"),
        ],
        body_expression=TABLE_MARKER,
        **common,
    )
    return _awarded_table(docx, language, AWARDED_COLUMNS)


SAMPLE = {
    "academic_year": 2026,
    "semester": 1,
    "term_label": term_label(2026, 1),
    "session_label": "2025/26, семестр 2",
    "faculty_code": "",
    "faculty_name": "",
    "base_amount": 47135,
    "increased_amount": 54205,
    "policy_version": "default",
    "awarded": [
        {
            "iin": "040515500128",
            "name": "Сәрсенбаева Гүлнұр",
            "group_code": "6B06101-24-KK",
            "rate": "increased",
            "rate_label": "повышенная",
            "amount": 54205,
            "reasons": [{"code": "all_excellent", "text": "Все оценки сессии отличные."}],
        }
    ],
    "excluded": [],
    "total_amount": 54205,
}


def _subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The unit of the order and every student it awards or excludes."""
    return [
        *code_ref("unit", data.get("faculty_code")),
        *student_refs(s.get("iin") for s in (*data.get("awarded", []), *data.get("excluded", []))),
    ]


SCHOLARSHIP_ORDER = register_kind(
    DocumentKind(
        layout=scholarship_order_template,
        code=KIND,
        names={
            "kk": "Мемлекеттік стипендия тағайындау туралы бұйрық",
            "ru": "Приказ о назначении государственной стипендии",
            "en": "State scholarship order",
        },
        schema=ScholarshipOrderData,
        series="Б-СТ",
        number_format="{series}-{year}-{seq:05d}",
        creator_roles=frozenset({Role.REGISTRAR}),
        approver_roles=frozenset({Role.VICE_RECTOR, Role.REGISTRAR, Role.DEAN}),
        revoker_roles=frozenset({Role.RECTOR, Role.REGISTRAR}),
        signing_route=(RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),),
        retention_class="permanent",
        sample_data=SAMPLE,
        search_text=lambda document, version: " ".join(
            [str(version.data.get("term_label", "")), str(version.data.get("faculty_name", ""))]
            + [f"{s['name']} {s['iin']} {s['group_code']}" for s in version.data.get("awarded", [])]
        ),
        subjects=_subjects,
    )
)
