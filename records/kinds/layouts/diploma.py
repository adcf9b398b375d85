"""The designed default layouts of the diploma and its supplement (DOCX templates with docxtpl tags).

The diploma is a landscape page in Kazakh (left) and Russian (right), as an own-sample Kazakh diploma
reads: the emblem and the university's name, the title (with honours where decided), the series and
number, the award in sentence form (the holder's name declined), the registration number, the
city and date of issue, the Ministry-issued unique number (ЕПВО), the dean's and rector's signature
fields and the QR code with the verification link; the English version is its own page.

The supplement is a portrait table of every discipline: the holder, the programme and the series
and number sit in the page header (so every page repeats them), the table's header row repeats on
every page, the final attestation, the totals and the GPA follow, then the signatures on the last
page; the footer says "page N of M".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import docx as python_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from doctemplates.defaults import SignatureSlot, _deterministic, _set_page

NAVY = RGBColor(0x1F, 0x38, 0x64)
LANGS = ("kk", "ru", "en")

TITLE = {
    "kk": "{{ 'ҮЗДІК ДИПЛОМ' if data.with_honours else 'ДИПЛОМ' }}",
    "ru": "{{ 'ДИПЛОМ С ОТЛИЧИЕМ' if data.with_honours else 'ДИПЛОМ' }}",
    "en": "{{ 'DIPLOMA WITH HONOURS' if data.with_honours else 'DIPLOMA' }}",
}
_PROTOCOL = "{{ data.protocol_number or '—' }}"
_PROGRAMME = "«{{ data.programme_code }} — {{ data.programme_name.%s }}»"
# The award in the wording of an own-sample diploma; the name is declined by the morphology filters.
SENTENCE = {
    "kk": "{{ data.full_name.kk }} {{ data.university.kk|kk_case('genitive') }} толық курсын "
    "{{ data.study_form.kk }} оқу нысаны бойынша бітірді. Аттестаттау комиссиясының шешімімен "
    "({{ data.protocol_date|date_kk if data.protocol_date else '—' }}, № " + _PROTOCOL + " хаттама) "
    "{{ data.full_name.kk|kk_case('dative') }} " + _PROGRAMME % "kk" + " білім беру бағдарламасы "
    "бойынша «{{ data.degree.kk }}» дәрежесі берілді.",
    "ru": "Настоящий диплом выдан {{ data.full_name.ru|ru_name_case('datv') }} об окончании полного курса "
    "{{ data.university.ru|ru_case('gent') }} по образовательной программе " + _PROGRAMME % "ru" + ", "
    "форма обучения — {{ data.study_form.ru }}. Решением аттестационной комиссии от "
    "{{ data.protocol_date|date_ru if data.protocol_date else '—' }} (протокол № " + _PROTOCOL + ") "
    "присуждена степень «{{ data.degree.ru }}».",
    "en": "This is to certify that {{ data.full_name.en }} has completed the full course of "
    "{{ data.university.en }} in the educational programme " + _PROGRAMME % "en" + " "
    "({{ data.study_form.en }} study). By the decision of the Attestation Commission of "
    "{{ data.protocol_date|date_en if data.protocol_date else '—' }} (protocol No. " + _PROTOCOL + ") "
    "the degree of «{{ data.degree.en }}» was awarded.",
}
# The honours wording the issuing service writes into the remark is already the title: not twice.
_HONOURS = {"kk": "Үздік диплом", "ru": "Диплом с отличием", "en": "Diploma with honours"}
REMARK = {
    lang: "{{ data.remark.LANG if data.remark.LANG and data.remark.LANG != 'HONOURS' else '' }}".replace(
        "LANG", lang
    ).replace("HONOURS", _HONOURS[lang])
    for lang in LANGS
}
LABEL = {
    "number": {"kk": "Сериясы мен нөмірі", "ru": "Серия и номер", "en": "Series and number"},
    "registry": {"kk": "Тіркеу нөмірі", "ru": "Регистрационный номер", "en": "Registration number"},
    "epvo": {
        "kk": "ЕПВО бірегей нөмірі",
        "ru": "Уникальный номер ЕПВО",
        "en": "Unique number (Unified Higher Education Platform)",
    },
    "verify": {"kk": "Тексеру", "ru": "Проверка", "en": "Verification"},
    "holder": {"kk": "Иесі", "ru": "Обладатель", "en": "Holder"},
    "programme": {"kk": "Білім беру бағдарламасы", "ru": "Образовательная программа", "en": "Programme"},
    "degree": {"kk": "Дәреже", "ru": "Степень", "en": "Degree"},
    "page": {"kk": "Бет", "ru": "Страница", "en": "Page"},
    "final_attestation": {
        "kk": "Қорытынды аттестаттау",
        "ru": "Итоговая аттестация",
        "en": "Final attestation",
    },
    "total_credits": {"kk": "Барлық кредиттер", "ru": "Всего кредитов", "en": "Total credits"},
    "gpa": {"kk": "Орташа балл (GPA)", "ru": "Средний балл (GPA)", "en": "Grade point average (GPA)"},
    "protocol": {"kk": "Хаттама", "ru": "Протокол", "en": "Protocol"},
    "study_form": {"kk": "Оқу нысаны", "ru": "Форма обучения", "en": "Form of study"},
    "issued": {"kk": "Берілген күні", "ru": "Дата выдачи", "en": "Date of issue"},
}
CITY_DATE = {
    "kk": "{{ data.issue_city.kk }} қ., {{ data.issue_date|date_kk }}",
    "ru": "г. {{ data.issue_city.ru }}, {{ data.issue_date|date_ru }}",
    "en": "{{ data.issue_city.en }}, {{ data.issue_date|date_en }}",
}
_EPVO = "{{ data.epvo_number or '—' }}"
SUPPLEMENT_TITLE = {"kk": "ДИПЛОМҒА ҚОСЫМША", "ru": "ПРИЛОЖЕНИЕ К ДИПЛОМУ", "en": "DIPLOMA SUPPLEMENT"}
# The transcript's columns: (labels, width in mm, the cell's expression, alignment).
COLUMNS: tuple[tuple[dict[str, str], float, str, str], ...] = (
    ({"kk": "№", "ru": "№", "en": "No."}, 8, "{{ loop.index }}", "center"),
    ({"kk": "Кезең", "ru": "Период", "en": "Term"}, 21, "{{ item.term or '—' }}", "center"),
    ({"kk": "Коды", "ru": "Код", "en": "Code"}, 14, "{{ item.discipline_code }}", "left"),
    ({"kk": "Пән", "ru": "Дисциплина", "en": "Discipline"}, 48, "{{ item.discipline_name }}", "left"),
    ({"kk": "Кредит", "ru": "Кредиты", "en": "Credits"}, 12, "{{ item.credits }}", "center"),
    ({"kk": "%", "ru": "%", "en": "%"}, 9, "{{ item.final_percent or '—' }}", "center"),
    ({"kk": "Әріп", "ru": "Буква", "en": "Letter"}, 10, "{{ item.letter }}", "center"),
    ({"kk": "Балл", "ru": "Балл", "en": "Points"}, 11, "{{ item.points or '—' }}", "center"),
    (
        {"kk": "Дәстүрлі баға", "ru": "Традиционная оценка", "en": "Traditional grade"},
        52,
        "{{ item.traditional or '—' }}",
        "left",
    ),
)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _text(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = 11,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    align: Any = None,
) -> Paragraph:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    if color is not None:
        run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _borderless(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table: Any, widths: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)


def _landscape(document: Any) -> None:
    """A4 landscape with a double navy frame around the page."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(16)
    section.top_margin = section.bottom_margin = Mm(12)
    frame = OxmlElement("w:pgBorders")
    frame.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "double")
        line.set(qn("w:sz"), "12")
        line.set(qn("w:space"), "20")
        line.set(qn("w:color"), "1F3864")
        frame.append(line)
    section._sectPr.find(qn("w:pgMar")).addnext(frame)


def _emblem(document: Any) -> None:
    paragraph = document.add_paragraph()
    _text(paragraph, "{% if emblem %}{{ emblem }}{% endif %}", align=WD_ALIGN_PARAGRAPH.CENTER)


def _diploma_side(cell: Any, lang: str) -> None:
    """One language's half of the diploma: name, title, number, the award, the registry facts."""
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    _text(
        cell.paragraphs[0], "{{ data.university." + lang + " }}", size=13, bold=True, color=NAVY, align=center
    )
    _text(cell.add_paragraph(), TITLE[lang], size=28, bold=True, color=NAVY, align=center)
    _text(cell.add_paragraph(), "№ {{ data.diploma_number }}", size=14, bold=True, align=center)
    sentence = _text(cell.add_paragraph(), SENTENCE[lang], size=12, align=justify)
    sentence.paragraph_format.space_before = Pt(12)
    sentence.paragraph_format.space_after = Pt(8)
    sentence.paragraph_format.line_spacing = 1.2
    _text(cell.add_paragraph(), REMARK[lang], size=10, italic=True, align=justify)
    _text(cell.add_paragraph(), LABEL["registry"][lang] + ": {{ number }}", size=10)
    _text(cell.add_paragraph(), CITY_DATE[lang], size=10)
    _text(cell.add_paragraph(), LABEL["epvo"][lang] + ": " + _EPVO, size=10)


def _signature_cell(cell: Any, slot: SignatureSlot, languages: Sequence[str]) -> None:
    _text(cell.paragraphs[0], " / ".join(slot.labels[lang] for lang in languages), size=10, bold=True)
    marker = _text(cell.add_paragraph(), "{{ signature_field('" + slot.name + "') }}", size=10)
    # The marker's baseline is the field's lower-left corner: leave the field's height above it.
    marker.paragraph_format.space_before = Pt(48)
    if slot.signer_expression:
        _text(cell.add_paragraph(), "{{ " + slot.signer_expression + " }}", size=9)


def _qr_cell(cell: Any, lang_labels: str) -> None:
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _text(cell.paragraphs[0], "{% if qr_code is defined %}{{ qr_code }}{% endif %}", align=right)
    _text(
        cell.add_paragraph(),
        lang_labels + ": {% if verification_url is defined %}{{ verification_url }}{% endif %}",
        size=7,
        align=right,
    )


def diploma_template(slots: Sequence[SignatureSlot]) -> bytes:
    """The diploma: page 1 in Kazakh and Russian with signatures and QR code, page 2 in English."""
    document = python_docx.Document()
    _set_page(document)
    _landscape(document)
    _emblem(document)
    sides = document.add_table(rows=1, cols=3)
    _borderless(sides)
    _widths(sides, (128, 9, 128))
    _diploma_side(sides.rows[0].cells[0], "kk")
    _diploma_side(sides.rows[0].cells[2], "ru")
    document.add_paragraph().paragraph_format.space_before = Pt(36)
    bottom = document.add_table(rows=1, cols=len(slots) + 1)
    _borderless(bottom)
    _widths(bottom, [*([70] * len(slots)), 265 - 70 * len(slots)])
    for cell, slot in zip(bottom.rows[0].cells, slots, strict=False):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _signature_cell(cell, slot, ("kk", "ru"))
    _qr_cell(bottom.rows[0].cells[-1], " / ".join(LABEL["verify"][lang] for lang in ("kk", "ru")))
    # The English version: its own page, the same facts, the same QR code.
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _emblem(document)
    english = document.add_table(rows=1, cols=3)
    _borderless(english)
    _widths(english, (40, 185, 40))
    _diploma_side(english.rows[0].cells[1], "en")
    document.add_paragraph().paragraph_format.space_before = Pt(70)
    closing = document.add_table(rows=1, cols=2)
    _borderless(closing)
    _widths(closing, (175, 90))
    _text(
        closing.rows[0].cells[0].paragraphs[0],
        "Signed with the qualified electronic signatures of: "
        + ", ".join(slot.labels["en"] for slot in slots)
        + " (page 1).",
        size=9,
        italic=True,
    )
    _qr_cell(closing.rows[0].cells[1], LABEL["verify"]["en"])
    return _save(document)


def _save(document: Any) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())


def _trilingual(key: str) -> str:
    return " / ".join(LABEL[key][lang] for lang in LANGS)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) LibreOffice fills in when it lays the pages out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _supplement_header(section: Any) -> None:
    """The page header every page repeats: university, title, holder, programme, series and number."""
    header = section.header
    center = WD_ALIGN_PARAGRAPH.CENTER
    _text(
        header.paragraphs[0],
        "{{ data.university.kk }} / {{ data.university.ru }}",
        size=9,
        bold=True,
        align=center,
    )
    _text(
        header.add_paragraph(),
        " / ".join(SUPPLEMENT_TITLE[lang] for lang in LANGS),
        size=12,
        bold=True,
        color=NAVY,
        align=center,
    )
    rows = (
        (
            _trilingual("holder"),
            "{{ data.full_name.kk }} / {{ data.full_name.ru }} / {{ data.full_name.en }}",
        ),
        (
            _trilingual("programme"),
            "{{ data.programme_code }} {{ data.programme_name.ru }} / {{ data.programme_name.kk }} / "
            "{{ data.programme_name.en }}",
        ),
        (_trilingual("number"), "{{ data.diploma_number }}"),
        (_trilingual("registry"), "{{ number }}"),
    )
    for label, value in rows:
        paragraph = header.add_paragraph()
        _text(paragraph, label + ": ", size=7.5, bold=True)
        _text(paragraph, value, size=8.5)
        paragraph.paragraph_format.space_after = Pt(1)
    _column_labels(header)


def _supplement_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(paragraph, _trilingual("page") + " ", size=8)
    _field(paragraph, "PAGE")
    _text(paragraph, " / ", size=8)
    _field(paragraph, "NUMPAGES")


def _column_labels(header: Any) -> None:
    """The transcript's column labels, in the page header so every page repeats them.

    LibreOffice 7.4 ends the first page early (about 21 rows of 36) when a table row is marked as a
    repeated heading (w:tblHeader), so the labels are a one-row table of the same widths in the
    page header, right above the body's table.
    """
    labels = header.add_table(rows=1, cols=len(COLUMNS), width=Mm(185))
    labels.style = "Table Grid"
    labels.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(labels, [width for _labels, width, _expression, _align in COLUMNS])
    for cell, (names, _width, _expression, _align) in zip(labels.rows[0].cells, COLUMNS, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for index, lang in enumerate(LANGS):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            _text(paragraph, names[lang], size=6.5, bold=lang == "ru", align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.space_after = Pt(0)


def _transcript_table(document: Any) -> None:
    widths = [width for _labels, width, _expression, _align in COLUMNS]
    table = document.add_table(rows=3, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    loop_start, line, loop_end = table.rows
    _text(loop_start.cells[0].paragraphs[0], "{%tr for item in data.lines %}", size=7)
    for cell, (_labels, _width, expression, align) in zip(line.cells, COLUMNS, strict=True):
        paragraph = _text(cell.paragraphs[0], expression, size=8, align=ALIGN[align])
        paragraph.paragraph_format.space_after = Pt(0)
    _text(loop_end.cells[0].paragraphs[0], "{%tr endfor %}", size=7)


def _summary_table(document: Any) -> None:
    """The final attestation, the total credits, the GPA and the degree: one labelled row each."""
    final = "data.final_attestation"
    rows = (
        (
            _trilingual("final_attestation"),
            "{{ %s.discipline_code }} {{ %s.discipline_name }}: {{ %s.letter }} ({{ %s.points or '—' }}; "
            "{{ %s.final_percent or '—' }} %%), {{ %s.credits }} — {{ %s.traditional or '—' }}"
            % ((final,) * 7),
        ),
        (
            _trilingual("protocol"),
            "№ " + _PROTOCOL + ", {{ data.protocol_date|date_ru if data.protocol_date else '—' }}",
        ),
        (_trilingual("total_credits"), "{{ data.total_credits }}"),
        (_trilingual("gpa"), "{{ data.gpa|number_format('ru', 2) if data.gpa is not none else '—' }}"),
        (_trilingual("degree"), "{{ data.degree.kk }} / {{ data.degree.ru }} / {{ data.degree.en }}"),
        (
            _trilingual("study_form"),
            "{{ data.study_form.kk }} / {{ data.study_form.ru }} / {{ data.study_form.en }}",
        ),
        (_trilingual("issued"), "{{ data.issue_date|date_ru }}"),
    )
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(4)
    spacer.paragraph_format.keep_with_next = True
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (60, 125))
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _text(row.cells[0].paragraphs[0], label, size=7.5, bold=True)
        _text(row.cells[1].paragraphs[0], value, size=8.5)
    _keep_together(table)


def _keep_together(table: Any) -> None:
    """Rows that never split and stay with what follows (the closing block moves as one)."""
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def supplement_template(slots: Sequence[SignatureSlot]) -> bytes:
    """The supplement: header on every page, the transcript table, the totals, signatures on the last page."""
    document = python_docx.Document()
    _set_page(document)
    section = document.sections[0]
    section.left_margin, section.right_margin = Mm(15), Mm(10)
    section.top_margin, section.bottom_margin = Mm(12), Mm(12)
    section.header_distance, section.footer_distance = Mm(8), Mm(6)
    _supplement_header(section)
    _supplement_footer(section)
    _transcript_table(document)
    _summary_table(document)
    closing = document.add_table(rows=1, cols=len(slots) + 1)
    _borderless(closing)
    _widths(closing, [*([62] * len(slots)), 185 - 62 * len(slots)])
    for cell, slot in zip(closing.rows[0].cells, slots, strict=False):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _signature_cell(cell, slot, LANGS)
    _qr_cell(closing.rows[0].cells[-1], " / ".join(LABEL["verify"][lang] for lang in LANGS))
    for row in closing.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return _save(document)
