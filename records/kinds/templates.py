"""Default DOCX templates of the kinds, built with the rendering capability's template builder."""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx as python_docx
from django.utils import translation
from docx.shared import Mm, Pt

from doctemplates.defaults import Field, SignatureSlot, _deterministic, build_template
from records.kinds.base import DocumentKind, all_kinds, get_kind
from records.kinds.letterhead import ministry_lines
from records.kinds.order_sentences import ORDER_SENTENCES

LABELS = {
    "number": {"kk": "Нөмірі", "ru": "Номер", "en": "Number"},
    "date": {"kk": "Күні", "ru": "Дата", "en": "Date"},
    "subject": {"kk": "Тақырыбы", "ru": "Тема", "en": "Subject"},
    "executor": {"kk": "Орындаушы", "ru": "Исполнитель", "en": "Executor"},
    "effective_date": {"kk": "Күшіне енетін күні", "ru": "Дата вступления в силу", "en": "Effective date"},
    "student": {"kk": "Білім алушы", "ru": "Обучающийся", "en": "Student"},
    "iin": {"kk": "ЖСН", "ru": "ИИН", "en": "IIN"},
    "grounds": {"kk": "Негіздеме", "ru": "Основание", "en": "Grounds"},
    "discipline": {"kk": "Пән", "ru": "Дисциплина", "en": "Discipline"},
    "credits": {"kk": "Кредиттер", "ru": "Кредиты", "en": "Credits"},
    "group": {"kk": "Топ", "ru": "Группа", "en": "Group"},
    "term": {"kk": "Кезең", "ru": "Период", "en": "Term"},
    "examiner": {"kk": "Емтихан алушы", "ru": "Экзаменатор", "en": "Examiner"},
    "exam_date": {"kk": "Емтихан күні", "ru": "Дата экзамена", "en": "Exam date"},
    "attempt": {"kk": "Тапсыру", "ru": "Попытка", "en": "Attempt"},
    "programme": {"kk": "Білім беру бағдарламасы", "ru": "Образовательная программа", "en": "Programme"},
    "gpa": {"kk": "GPA", "ru": "GPA", "en": "GPA"},
    "credits_earned": {"kk": "Игерілген кредиттер", "ru": "Освоено кредитов", "en": "Credits earned"},
    "r1": {"kk": "АБ1", "ru": "Р1", "en": "R1"},
    "r2": {"kk": "АБ2", "ru": "Р2", "en": "R2"},
    "admission": {"kk": "Жіберу", "ru": "Допуск", "en": "Admission"},
    "exam": {"kk": "Емтихан", "ru": "Экзамен", "en": "Exam"},
    "final": {"kk": "Қорытынды, %", "ru": "Итог, %", "en": "Final, %"},
    "letter": {"kk": "Әріп", "ru": "Буква", "en": "Letter"},
    "points": {"kk": "Балл", "ru": "Балл", "en": "Points"},
    "traditional": {"kk": "Баға", "ru": "Оценка", "en": "Mark"},
    "counts": {"kk": "Есептеледі", "ru": "Засчитана", "en": "Counts"},
    "statement": {"kk": "Ведомость", "ru": "Ведомость", "en": "Statement"},
    "term_gpa": {"kk": "Кезең GPA", "ru": "GPA за период", "en": "Term GPA"},
    "cumulative_gpa": {"kk": "Жинақ GPA", "ru": "Накопленный GPA", "en": "Cumulative GPA"},
    "end_date": {"kk": "Аяқталу күні", "ru": "Дата окончания", "en": "End date"},
    "leave_grounds": {"kk": "Демалыс негізі", "ru": "Основание отпуска", "en": "Grounds of the leave"},
    "year_of_study": {"kk": "Курс", "ru": "Курс", "en": "Year of study"},
    "funding": {"kk": "Қаржыландыру", "ru": "Финансирование", "en": "Funding"},
    "degree_awarded": {"kk": "Берілетін дәреже", "ru": "Присуждаемая степень", "en": "Degree awarded"},
    "with_honours": {"kk": "Үздік диплом", "ru": "Диплом с отличием", "en": "With honours"},
    "archive": {"kk": "Қабылдайтын мұрағат", "ru": "Архив-получатель", "en": "Receiving archive"},
    "bag": {"kk": "Пакет (BagIt)", "ru": "Пакет (BagIt)", "en": "Bag (BagIt)"},
    "payload_oxum": {"kk": "Payload-Oxum", "ru": "Payload-Oxum", "en": "Payload-Oxum"},
    "manifest": {"kk": "Манифест SHA-256", "ru": "SHA-256 манифеста", "en": "Manifest SHA-256"},
    "registry_copy": {"kk": "Тізілімдегі көшірме", "ru": "Копия в реестре", "en": "The registry's copy"},
    "registry_number": {"kk": "Тіркеу нөмірі", "ru": "Регистрационный номер", "en": "Registry number"},
    "record_title": {"kk": "Атауы", "ru": "Наименование", "en": "Title"},
}
REGISTRY_COPY = {
    "kk": ("жойылады (қалдық жазба сақталады)", "сақталады"),
    "ru": ("уничтожается (остаётся остаточная запись)", "сохраняется"),
    "en": ("released (a residual record stays)", "kept"),
}
# How an order shows each field of its data: (label key, Jinja expression; ``{lang}`` is substituted).
ORDER_FIELDS = {
    "programme_code": ("programme", "text.programme"),
    "group_code": ("group", "text.group"),
    "year_of_study": ("year_of_study", "text.year_of_study"),
    "funding": ("funding", "text.funding"),
    "leave_grounds": ("leave_grounds", "text.leave_grounds"),
    "end_date": ("end_date", "data.end_date|date_{lang}"),
    "degree_awarded": ("degree_awarded", "text.degree_awarded"),
    "with_honours": ("with_honours", "text.with_honours"),
}
TABLE_MARKER = "TABLE_MARKER_"


def _value(expression: str) -> str:
    """A cell showing `expression`, or a dash when it is None or empty (0 stays 0)."""
    return "{{ " + expression + " if " + expression + " is not none and " + expression + " != '' else '—' }}"


def _with_tables(
    docx: bytes, language: str, tables: Sequence[tuple[str, Sequence[tuple[str, str]]]]
) -> bytes:
    """Replace each marker paragraph ``{{ TABLE_MARKER_<n> }}`` with a table looping over a list.

    ``tables``: (the list expression, [(label key, item attribute or "=" + a Jinja expression), ...]);
    the rows use docxtpl's ``{%tr for %}`` so one template row becomes one row per item. The first
    wide column (names) gets the room it needs; the text is 9 pt.
    """
    document = python_docx.Document(io.BytesIO(docx))
    for index, (source, columns) in enumerate(tables):
        marker = "{{ " + TABLE_MARKER + str(index) + " }}"
        paragraph = next(p for p in document.paragraphs if p.text == marker)
        table = document.add_table(rows=0, cols=len(columns))
        table.style = "Table Grid"
        table.autofit = False
        wide = next((i for i, (label, _a) in enumerate(columns) if label in WIDE_COLUMNS), None)
        narrow = Mm(165 - (40 if wide is not None else 0)) / (len(columns) - (1 if wide is not None else 0))
        widths = [Mm(40) if i == wide else int(narrow) for i in range(len(columns))]
        cells_text = [
            [LABELS[label][language] for label, _attribute in columns],
            ["{%tr for item in " + source + " %}"] + [""] * (len(columns) - 1),
            [
                attribute[1:].replace("{lang}", language)
                if attribute.startswith("=")
                else _value("item." + attribute)
                for _l, attribute in columns
            ],
            ["{%tr endfor %}"] + [""] * (len(columns) - 1),
        ]
        for row_number, texts in enumerate(cells_text):
            cells = table.add_row().cells
            for cell, text, width in zip(cells, texts, widths, strict=True):
                cell.width = width
                if text:
                    run = cell.paragraphs[0].add_run(text)
                    run.font.size = Pt(9)
                    run.bold = row_number == 0
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid LibreOffice lays out by
        paragraph._p.addnext(table._tbl)
        paragraph.text = ""
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())


WIDE_COLUMNS = {"student", "discipline"}
ATTEMPTS = (
    "{{ {'regular': '', 'retake': 'R', 'amendment': 'Δ', 'final_attestation': 'ИА', 'coursework': 'КР',"
    " 'practice': 'П'}.get(item.attempt, '') }}"
)


def _number(expression: str, places: int | None = None) -> str:
    """A cell with a number as a person writes it in the document's language (93, 3,67; — when none)."""
    return "={{ " + expression + "|number_format('{lang}'" + (f", {places}" if places else "") + ") }}"


STATEMENT_COLUMNS = (
    ("student", "student_name"),
    ("r1", _number("item.rating1")),
    ("r2", _number("item.rating2")),
    ("admission", _number("item.admission_rating")),
    ("exam", _number("item.exam")),
    ("final", _number("item.final_percent")),
    ("letter", "letter"),
    ("points", _number("item.points", 2)),
    ("traditional", "traditional_mark"),
)
TRANSCRIPT_COLUMNS = (
    ("term", "term"),
    ("discipline", "discipline_name"),
    ("credits", "credits"),
    ("attempt", "=" + ATTEMPTS),
    ("final", _number("item.final_percent")),
    ("letter", "letter"),
    ("points", _number("item.points", 2)),
    ("counts", "={{ '✓' if item.counts else '' }}"),
)
TERM_COLUMNS = (
    ("term", "term"),
    ("term_gpa", _number("item.term_gpa", 2)),
    ("credits", "term_credits"),
    ("cumulative_gpa", _number("item.cumulative_gpa", 2)),
)


def layout_common(kind: DocumentKind, language: str) -> dict[str, Any]:
    """What every default layout shares: its one language, the route's signature slots, the header."""
    return {
        "languages": (language,),
        "signature_slots": _step_labels(kind),
        "header_expression": "university_name",
        "header_lines": ministry_lines(kind.code, language),
    }


def _number_fields() -> list[Field]:
    return [Field(LABELS["number"], "number"), Field(LABELS["date"], "date|date_{lang}")]


def plain_layout(kind: DocumentKind, language: str) -> bytes:
    """The layout of a kind that declares none: its name, number and date, and the signatures."""
    return build_template(title=kind.names, fields=_number_fields(), **layout_common(kind, language))  # type: ignore[arg-type]


def internal_order_layout(kind: DocumentKind, language: str) -> bytes:
    """An internal order: subject, dates, executor and the order's text."""
    return build_template(
        title={"kk": "Бұйрық", "ru": "Приказ", "en": "Order"},
        fields=[
            *_number_fields(),
            Field(LABELS["subject"], "data.subject"),
            Field(LABELS["effective_date"], "data.effective_date|default('—', true)"),
            Field(LABELS["executor"], "data.executor|default('—', true)"),
        ],
        languages=(language,),
        body_expression="data.body",
        signature_slots=_step_labels(kind),
        header_expression="university_name",
        header_lines=ministry_lines(kind.code, language),
    )


def student_order_layout(kind: DocumentKind, language: str) -> bytes:
    """An order on a student: the student, the order's own fields, grounds and the operative sentence."""
    sentence = ORDER_SENTENCES[language][kind.code.removeprefix("student_order_")]
    own = [name for name in kind.schema.model_fields if name in ORDER_FIELDS]
    docx = build_template(
        title=kind.names,
        fields=[
            *_number_fields(),
            Field(LABELS["student"], "text.student"),
            Field(LABELS["iin"], "text.iin"),
            Field(LABELS["effective_date"], "data.effective_date|date_{lang}"),
            *(Field(LABELS[ORDER_FIELDS[name][0]], ORDER_FIELDS[name][1]) for name in own),
            Field(LABELS["grounds"], "text.grounds"),
        ],
        body_expression="ORDER_SENTENCE",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    return _with_sentence(docx, sentence)


def grade_statement_layout(kind: DocumentKind, language: str) -> bytes:
    """A grade statement: the discipline and the exam, then the table of students."""
    docx = build_template(
        title=kind.names,
        fields=[
            *_number_fields(),
            Field(LABELS["discipline"], "data.discipline_code ~ ' ' ~ data.discipline_name"),
            Field(LABELS["credits"], "data.credits"),
            Field(LABELS["group"], "data.group_code"),
            Field(LABELS["term"], "text.term"),
            Field(LABELS["exam_date"], "data.exam_date|date_{lang}"),
            Field(LABELS["examiner"], "data.examiner"),
            Field(LABELS["attempt"], "text.attempt"),
        ],
        body_expression=TABLE_MARKER + "0",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    return _with_tables(docx, language, [("data.lines", STATEMENT_COLUMNS)])


def transcript_layout(kind: DocumentKind, language: str) -> bytes:
    """A transcript: the student, GPA and credits, the table of grades and the table of terms."""
    docx = build_template(
        title=kind.names,
        fields=[
            *_number_fields(),
            Field(LABELS["student"], "data.student.name"),
            Field(LABELS["iin"], "data.student_iin"),
            Field(LABELS["programme"], "data.student.programme_code ~ ' ' ~ data.student.programme"),
            Field(LABELS["gpa"], "data.gpa|number_format('{lang}', 2)"),
            Field(LABELS["credits_earned"], "data.credits_earned"),
        ],
        body_expression=TABLE_MARKER + "0",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    # The second table goes after the first: a marker paragraph right after the first marker.
    document = python_docx.Document(io.BytesIO(docx))
    first = next(p for p in document.paragraphs if p.text == "{{ " + TABLE_MARKER + "0 }}")
    second = first.insert_paragraph_before("")
    first._p.addnext(second._p)
    second.text = "{{ " + TABLE_MARKER + "1 }}"
    output = io.BytesIO()
    document.save(output)
    return _with_tables(
        output.getvalue(), language, [("data.lines", TRANSCRIPT_COLUMNS), ("data.terms", TERM_COLUMNS)]
    )


def transfer_act_layout(kind: DocumentKind, language: str) -> bytes:
    """A transfer act: the receiving archive, the bag's identity, what becomes of the registry's copy,
    then the table of the records handed over."""
    released, kept = REGISTRY_COPY[language]
    docx = build_template(
        title=kind.names,
        fields=[
            *_number_fields(),
            Field(LABELS["archive"], "data.archive"),
            Field(LABELS["grounds"], "data.grounds|default('—', true)"),
            Field(LABELS["bag"], "data.bag_identifier"),
            Field(LABELS["payload_oxum"], "data.payload_oxum"),
            Field(LABELS["manifest"], "data.manifest_sha256"),
            Field(LABELS["registry_copy"], "'" + released + "' if data.release else '" + kept + "'"),
        ],
        body_expression=TABLE_MARKER + "0",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    columns = (("registry_number", "registry_number"), ("record_title", "title"))
    return _with_tables(docx, language, [("data.records", columns)])


def _with_sentence(docx: bytes, sentence: str) -> bytes:
    """Replace the body marker paragraph with the order's operative sentence (plain text with tags)."""
    document = python_docx.Document(io.BytesIO(docx))
    paragraph = next(p for p in document.paragraphs if p.text == "{{ ORDER_SENTENCE }}")
    paragraph.runs[0].text = sentence
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())


def _step_labels(kind: DocumentKind) -> list[SignatureSlot]:
    slots = []
    for step in kind.signing_route:
        labels = {}
        for lang in ("kk", "ru", "en"):
            with translation.override(lang):
                labels[lang] = str(step.label)
        slots.append(SignatureSlot(step.code, labels, f"signers.{step.code}|default('')"))
    return slots


DEFAULTS_DIR = Path(__file__).resolve().parent / "default_templates"


def default_template_path(kind_code: str, language: str) -> Path:
    return DEFAULTS_DIR / f"{kind_code}.{language}.docx"


@functools.cache
def default_template(kind_code: str, language: str = "ru") -> tuple[bytes, str]:
    """The kind's default template for `language` and its identifier ("default:<sha256[:16]>").

    Default templates are kept in the repository as .docx files (records/kinds/default_templates/),
    written by `manage.py templates export-defaults` from the layouts below; a test keeps the two equal.
    """
    path = default_template_path(kind_code, language)
    if path.exists():
        docx = path.read_bytes()
        return docx, "default:" + hashlib.sha256(docx).hexdigest()[:16]
    return build_default_template(kind_code, language)


def build_default_template(kind_code: str, language: str = "ru") -> tuple[bytes, str]:
    """Build the kind's default layout for `language` (what export-defaults writes to the repository).

    Each kind declares its layout (``DocumentKind.layout``); a kind without one gets `plain_layout`.
    """
    kind = get_kind(kind_code)
    docx = (kind.layout or plain_layout)(kind, language)
    return docx, "default:" + hashlib.sha256(docx).hexdigest()[:16]


def export_default_templates() -> list[Path]:
    """Write every kind's default template to records/kinds/default_templates/; returns the files."""

    DEFAULTS_DIR.mkdir(exist_ok=True)
    written = []
    for kind in all_kinds():
        for language in kind.template_languages:
            docx, _id = build_default_template(kind.code, language)
            path = default_template_path(kind.code, language)
            path.write_bytes(docx)
            written.append(path)
    default_template.cache_clear()
    return written
