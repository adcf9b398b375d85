"""Programmatic default templates: simple DOCX files with docxtpl tags, written with python-docx.

:func:`build_template` lays out one block per language (title, labelled fields, body), then one
signature table for the signing route (label in every language, signer, visible signature
field) and the QR code of the verification URL. Text is Times New Roman (Liberation Serif where
LibreOffice renders it: metric-compatible and it covers Kazakh). In an expression ``{lang}`` is
replaced by the block's language code, e.g. ``date|date_{lang}`` or ``body.{lang}``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"


@dataclass(frozen=True)
class Field:
    """A labelled value: ``labels`` by language, a Jinja ``expression`` (``{lang}`` is substituted)."""

    labels: Mapping[str, str]
    expression: str


@dataclass(frozen=True)
class SignatureSlot:
    """A step of the signing route: field name, labels by language, and the signer's name expression."""

    name: str
    labels: Mapping[str, str]
    signer_expression: str | None = None


def _set_page(document: Any) -> None:
    # A4 with the margins of Kazakhstan's office-work rules: left 30 mm, right 15 mm, 20 mm top/bottom.
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.paragraph_format.space_after = Pt(3)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    # The document defaults point at the theme's font (Cambria in python-docx's template): replace.
    for defaults in document.styles.element.findall(qn("w:docDefaults") + "//" + qn("w:rFonts")):
        for attribute in list(defaults.attrib):
            if attribute.endswith("Theme"):
                del defaults.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            defaults.set(qn(attribute), FONT)


def _tag(expression: str, lang: str) -> str:
    return "{{ " + expression.replace("{lang}", lang) + " }}"


def _paragraph(container: Any, text: str = "", *, bold: bool = False, size: float | None = None) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    return paragraph


def _language_block(
    document: Any, lang: str, title: Mapping[str, str], fields: Sequence[Field], body_expression: str | None
) -> None:
    heading = _paragraph(document, title[lang], bold=True, size=14)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for item in fields:
        paragraph = _paragraph(document)
        paragraph.add_run(f"{item.labels[lang]}: ").bold = True
        paragraph.add_run(_tag(item.expression, lang))
    if body_expression:
        body = _paragraph(document, _tag(body_expression, lang))
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document)


def _signature_table(document: Any, languages: Sequence[str], slots: Sequence[SignatureSlot]) -> None:
    table = document.add_table(rows=0, cols=3)
    widths = (Mm(55), Mm(65), Mm(45))
    for slot in slots:
        cells: list[_Cell] = list(table.add_row().cells)
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        cells[0].paragraphs[0].add_run(" / ".join(slot.labels[lang] for lang in languages))
        # The marker's baseline is the field's lower-left corner: leave room above it.
        marker = cells[1].paragraphs[0]
        marker.paragraph_format.space_before = Pt(48)
        marker.add_run("{{ signature_field('" + slot.name + "') }}")
        if slot.signer_expression:
            cells[2].paragraphs[0].add_run(_tag(slot.signer_expression, languages[0]))


def build_template(
    *,
    title: Mapping[str, str],
    fields: Sequence[Field],
    languages: Sequence[str] = ("kk", "ru", "en"),
    body_expression: str | None = None,
    signature_slots: Sequence[SignatureSlot] = (),
    header_expression: str | None = None,
    header_lines: Sequence[str] = (),
    qr_code: bool = True,
) -> bytes:
    """A DOCX template with one block per language, a signature table and the QR code.

    The page header shows `header_lines` (fixed text, e.g. the issuing authority), then the value of
    `header_expression` (e.g. the organisation's name), centred.
    """
    document = Document()
    _set_page(document)
    if header_lines or header_expression:
        header_part = document.sections[0].header
        texts = [*header_lines, *([_tag(header_expression, languages[0])] if header_expression else [])]
        for index, text in enumerate(texts):
            header = header_part.paragraphs[0] if index == 0 else header_part.add_paragraph()
            header.text = text
            header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for lang in languages:
        _language_block(document, lang, title, fields, body_expression)
    if signature_slots:
        _signature_table(document, languages, signature_slots)
    if qr_code:
        _paragraph(document, "{% if qr_code is defined %}{{ qr_code }}{% endif %}")
        _paragraph(document, "{% if verification_url is defined %}{{ verification_url }}{% endif %}", size=8)
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())


def _deterministic(docx: bytes) -> bytes:
    """The same DOCX with fixed zip timestamps, so equal templates have equal SHA-256."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info))
    return output.getvalue()


def internal_order_template() -> bytes:
    """The example: a trilingual internal order signed by its author and approver, with a QR code."""
    return build_template(
        title={"kk": "Бұйрық", "ru": "Приказ", "en": "Order"},
        fields=[
            Field({"kk": "Нөмірі", "ru": "Номер", "en": "Number"}, "number"),
            Field({"kk": "Күні", "ru": "Дата", "en": "Date"}, "date|date_{lang}"),
            Field({"kk": "Тақырыбы", "ru": "Тема", "en": "Subject"}, "subject.{lang}"),
        ],
        body_expression="body.{lang}",
        signature_slots=[
            SignatureSlot(
                "author",
                {"kk": "Орындаушы", "ru": "Исполнитель", "en": "Prepared by"},
                "author.name|short_name",
            ),
            SignatureSlot(
                "approver",
                {"kk": "Бекітті", "ru": "Утвердил", "en": "Approved by"},
                "approver.name|short_name",
            ),
        ],
        header_expression="university_name",
    )


INTERNAL_ORDER_SIGNATURE_FIELDS = ("author", "approver")
INTERNAL_ORDER_SAMPLE: dict[str, Any] = {
    "university_name": "Әл-Фараби атындағы Қазақ ұлттық университеті",
    "number": "123-П",
    "date": dt.date(2026, 11, 28),
    "subject": {
        "kk": "Қысқы емтихан сессиясы туралы",
        "ru": "О зимней экзаменационной сессии",
        "en": "On the winter examination session",
    },
    "body": {
        "kk": "Әріптер тексеру: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І.",
        "ru": "Провести сессию с 5 по 25 января; «Том & Джерри» <ТОО>.",
        "en": "Hold the session from 5 to 25 January.",
    },
    "author": {"name": "Әлібеков Данияр Серікұлы"},
    "approver": {"name": "Иванова Мария Петровна"},
}
