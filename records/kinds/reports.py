"""Reports to the leadership and the Ministry (issue 17): registered documents with frozen figures.

Each report freezes the figures records.selectors.reports computed for its as-of date and scope,
with their provenance (the as-of date, the academic policy version in force, a digest of the
projection rows used) and the notes stating every assumption. Prepared by the registrar or the
academic affairs office (vice-rector), signed by the rector. Registration changes no projection:
a report only records what the registry said on its date.
"""

from __future__ import annotations

import io
from typing import Any, Literal

import docx as python_docx
from django.utils.translation import gettext_lazy as _
from docx.shared import Mm, Pt
from pydantic import BaseModel, Field

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import _deterministic, build_template
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.templates import LABELS as COMMON
from records.kinds.templates import layout_common
from records.models.org import Role
from records.subjects import SubjectRef, code_ref

Cell = str | int | float | None


class ReportTable(BaseModel):
    """A titled table of figures as the report prints it."""

    title: str = Field(max_length=500)
    header: list[str] = Field(min_length=1, max_length=30)
    rows: list[list[Cell]] = Field(default_factory=list, max_length=50_000)


class ReportData(BaseModel):
    """The frozen figures of a report and where they came from."""

    language: Literal["kk", "ru", "en"] = "ru"
    as_of: RecordDate
    registered_by: RecordDate | None = Field(
        default=None,
        description="The registry as it stood at the end of this day (the as-of date when empty)",
    )
    period_from: RecordDate | None = None
    period_to: RecordDate | None = None
    term: str = Field(default="", max_length=10, pattern=r"^(\d{4}-[123])?$")
    scope_code: str = Field(default="", max_length=50, description="Empty for the whole university")
    scope_name: str = Field(default="", max_length=300)
    policy_version: str = Field(min_length=1, max_length=40)
    projection_digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    tables: list[ReportTable] = Field(min_length=1, max_length=10)
    figures: dict[str, Cell] = Field(default_factory=dict)
    documents: dict[str, list[int]] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list, max_length=20)


NAMES = {
    "report_contingent": {
        "kk": "Білім алушылар контингенті туралы есеп",
        "ru": "Отчёт о контингенте обучающихся",
        "en": "Student body report",
    },
    "report_movement": {
        "kk": "Контингент қозғалысы туралы есеп",
        "ru": "Отчёт о движении контингента",
        "en": "Student movement report",
    },
    "report_session_results": {
        "kk": "Емтихан сессиясының қорытындылары туралы есеп",
        "ru": "Отчёт об итогах экзаменационной сессии",
        "en": "Session results report",
    },
    "report_graduates": {
        "kk": "Түлектер туралы есеп",
        "ru": "Отчёт о выпускниках",
        "en": "Graduates report",
    },
    "report_teaching_load": {
        "kk": "Кафедралар бойынша оқу жүктемесінің орындалуы туралы есеп",
        "ru": "Отчёт о выполнении учебной нагрузки по кафедрам",
        "en": "Teaching load done by department report",
    },
}
# How many columns each table of a kind has: the default layout prints that many.
TABLE_COLUMNS = {
    "report_contingent": (14, 14),
    "report_movement": (2, 7),
    "report_session_results": (8, 8, 2),
    "report_graduates": (3, 11),
    "report_teaching_load": (10, 9),
}
LABELS = {
    "as_of": {"kk": "Есеп күні", "ru": "По состоянию на", "en": "As of"},
    "period": {"kk": "Кезең", "ru": "Период", "en": "Period"},
    "scope": {"kk": "Бөлімше", "ru": "Подразделение", "en": "Unit"},
    "whole": {"kk": "Бүкіл университет", "ru": "Весь университет", "en": "The whole university"},
    "policy": {
        "kk": "Академиялық саясат нұсқасы",
        "ru": "Версия академической политики",
        "en": "Policy version",
    },
    "digest": {"kk": "Деректер дайджесті", "ru": "Дайджест данных", "en": "Data digest"},
    "term": {"kk": "Академиялық кезең", "ru": "Академический период", "en": "Term"},
}


def _subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The unit the report covers (the whole university names none)."""
    return [*code_ref("unit", data.get("scope_code"))]


def _title(code: str) -> Any:
    def title(data: dict[str, Any], language: str) -> str:
        name = NAMES[code].get(language) or NAMES[code]["ru"]
        scope = data.get("scope_name") or LABELS["whole"][language]
        when = (
            f"{data.get('period_from')} — {data.get('period_to')}"
            if data.get("period_from")
            else data.get("as_of")
        )
        if data.get("term"):
            when = str(data["term"])
        return f"{name}: {scope}, {when}"

    return title


def _search_text(document: Any, version: Any) -> str:
    data = version.data
    cells = [str(c) for t in data.get("tables", []) for row in t.get("rows", [])[:200] for c in row if c]
    return " ".join(
        [str(data.get("scope_name", "")), *(t.get("title", "") for t in data.get("tables", [])), *cells]
    )


def report_layout(kind: DocumentKind, language: str) -> bytes:
    """The default layout: the provenance, each table with its title and header, then the notes."""
    common = layout_common(kind, language)

    period = (
        "(data.period_from|date_{lang}) ~ ' — ' ~ (data.period_to|date_{lang}) if data.period_from "
        "else (data.term or '—')"
    )
    docx = build_template(
        title=kind.names,
        fields=[
            TemplateField(COMMON["number"], "number"),
            TemplateField(COMMON["date"], "date|date_{lang}"),
            TemplateField(LABELS["as_of"], "data.as_of|date_{lang}"),
            TemplateField(LABELS["period"], period),
            TemplateField(LABELS["scope"], f"data.scope_name or '{LABELS['whole'][language]}'"),
            TemplateField(LABELS["policy"], "data.policy_version"),
            TemplateField(LABELS["digest"], "data.projection_digest"),
        ],
        body_expression="REPORT_TABLES",
        **common,
    )
    document = python_docx.Document(io.BytesIO(docx))
    marker = next(p for p in document.paragraphs if p.text == "{{ REPORT_TABLES }}")
    anchor = marker._p
    columns = TABLE_COLUMNS[kind.code]
    size = Pt(7 if max(columns) > 8 else 9)
    for index, count in enumerate(columns):
        source = f"data.tables[{index}]"
        title = document.add_paragraph()
        run = title.add_run("{{ " + source + ".title }}")
        run.bold = True
        anchor.addnext(title._p)
        anchor = title._p
        table = document.add_table(rows=0, cols=count)
        table.style = "Table Grid"
        width = Mm(170) / count
        texts = [
            ["{{ " + f"{source}.header[{i}]" + " }}" for i in range(count)],
            ["{%tr for row in " + source + ".rows %}"] + [""] * (count - 1),
            ["{{ row[" + str(i) + "] if row[" + str(i) + "] is not none else '' }}" for i in range(count)],
            ["{%tr endfor %}"] + [""] * (count - 1),
        ]
        for number, row_texts in enumerate(texts):
            cells = table.add_row().cells
            for cell, text in zip(cells, row_texts, strict=True):
                cell.width = int(width)
                if text:
                    cell_run = cell.paragraphs[0].add_run(text)
                    cell_run.font.size = size
                    cell_run.bold = number == 0
        anchor.addnext(table._tbl)
        anchor = table._tbl
    notes = document.add_paragraph()
    notes.add_run("{{ data.notes|join(' ') }}").font.size = Pt(8)
    anchor.addnext(notes._p)
    marker.text = ""
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())


def _sample(code: str) -> dict[str, Any]:
    """Sample data with as many tables and columns as the kind's layout prints."""
    tables = [
        {
            "title": f"Таблица {n + 1}",
            "header": [f"Графа {i + 1}" for i in range(count)],
            "rows": [[1] * count],
        }
        for n, count in enumerate(TABLE_COLUMNS[code])
    ]
    return {**SAMPLE, "tables": tables}


SAMPLE = {
    "language": "ru",
    "as_of": "2026-10-01",
    "period_from": "2025-10-02",
    "period_to": "2026-10-01",
    "scope_code": "",
    "scope_name": "",
    "policy_version": "default",
    "projection_digest": "0" * 64,
    "figures": {"students": 1},
    "notes": ["Пример данных."],
}

REPORT_KINDS: dict[str, DocumentKind] = {}
for _code, _names in NAMES.items():
    REPORT_KINDS[_code] = register_kind(
        DocumentKind(
            code=_code,
            names=_names,
            schema=ReportData,
            layout=report_layout,
            template_languages=("kk", "ru", "en"),
            series="ОТЧ",
            number_format="{series}-{year}-{seq:04d}",
            creator_roles=frozenset({Role.REGISTRAR, Role.VICE_RECTOR}),
            approver_roles=frozenset({Role.REGISTRAR, Role.VICE_RECTOR}),
            revoker_roles=frozenset({Role.RECTOR, Role.REGISTRAR}),
            signing_route=(RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),),
            retention_class="permanent",
            sample_data=_sample(_code),
            search_text=_search_text,
            subjects=_subjects,
            title=_title(_code),
        )
    )
