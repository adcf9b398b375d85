"""The default layout of the teaching-load kinds: header fields, then titled tables of the data's rows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import docx as python_docx
from docx.shared import Mm, Pt

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import _deterministic, build_template
from records.kinds.base import DocumentKind
from records.kinds.templates import LABELS as COMMON
from records.kinds.templates import layout_common

Label = dict[str, str]


@dataclass(frozen=True)
class Column:
    """A column: its header in kk/ru/en and the Jinja expression of a cell (the row is ``row``)."""

    header: Label
    cell: str


@dataclass(frozen=True)
class Table:
    """A table of the rows at ``source`` (a Jinja expression of a list) under a title."""

    title: Label
    source: str
    columns: tuple[Column, ...]


def label(kk: str, ru: str, en: str) -> Label:
    return {"kk": kk, "ru": ru, "en": en}


def table_layout(
    kind: DocumentKind, language: str, *, fields: Sequence[tuple[Label, str]], tables: Sequence[Table]
) -> bytes:
    """Number, date and `fields` (label, expression), then each table with its header row and one row
    per item, then the route's signatures."""
    docx = build_template(
        title=kind.names,
        fields=[
            TemplateField(COMMON["number"], "number"),
            TemplateField(COMMON["date"], "date|date_{lang}"),
            *(TemplateField(text, expression) for text, expression in fields),
        ],
        body_expression="LOAD_TABLES",
        **layout_common(kind, language),
    )
    document = python_docx.Document(io.BytesIO(docx))
    marker = next(p for p in document.paragraphs if p.text == "{{ LOAD_TABLES }}")
    anchor = marker._p
    for spec in tables:
        count = len(spec.columns)
        title = document.add_paragraph()
        title.add_run(spec.title[language]).bold = True
        anchor.addnext(title._p)
        anchor = title._p
        table = document.add_table(rows=0, cols=count)
        table.style = "Table Grid"
        width = int(Mm(180) / count)
        size = Pt(7 if count > 7 else 9)
        texts = [
            [column.header[language] for column in spec.columns],
            ["{%tr for row in " + spec.source + " %}"] + [""] * (count - 1),
            ["{{ " + column.cell + " }}" for column in spec.columns],
            ["{%tr endfor %}"] + [""] * (count - 1),
        ]
        for number, row_texts in enumerate(texts):
            cells = table.add_row().cells
            for cell, text in zip(cells, row_texts, strict=True):
                cell.width = width
                if text:
                    run = cell.paragraphs[0].add_run(text)
                    run.font.size = size
                    run.bold = number == 0
        anchor.addnext(table._tbl)
        anchor = table._tbl
    marker.text = ""
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())
